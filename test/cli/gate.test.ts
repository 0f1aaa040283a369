// The CI gate end to end: waivers (with a pinned clock), baselines and --fail-on-new, the
// GitHub step summary.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, runCli, tempDir } from "../helpers.js";

const WAIVERS = `waivers:
  - rule: SG009
    resource: sg-0proc000000000001
    reason: debug SSH while the Spark image is being rebuilt
    owner: platform-team
    expires: 2026-12-10
    ticket: PLAT-123
  - rule: [SG005, SG006, SG010]
    resource: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0proc*"
    reason: processing group rebuilt in the next sprint
    owner: platform-team
    expires: 2027-01-31
  - rule: KMS004
    resource: "3333cccc-*"
    reason: key C's open statement is removed with the next release
    owner: security-team
    expires: 2027-02-28
  - rule: KMS004
    resource: no-such-key
    reason: a waiver for something that is not there
    owner: security-team
    expires: 2027-01-31
`;

function setup() {
  const dir = tempDir();
  const waivers = join(dir, "waivers.yaml");
  writeFileSync(waivers, WAIVERS);
  return { dir, waivers };
}

describe("waivers in the gate", () => {
  it("a gate run whose only critical failure is waived passes, and the report says who/why/until", () => {
    const { dir, waivers } = setup();
    const out = join(dir, "r.json");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--waivers", waivers, "--fail-on", "critical", "-o", out], {
      env: { SAGEGATE_NOW: "2026-11-29T08:00:00Z" },
    });
    expect(r.code).toBe(0);
    const report = readJson(out);
    const waived = report.results.find((x: any) => x.ruleId === "SG009" && x.resource.id === "sg-0proc000000000001");
    expect(waived).toMatchObject({ status: "waived", waiver: { owner: "platform-team", expires: "2026-12-10", ticket: "PLAT-123" } });
    expect(report.summary.byStatus.waived).toBeGreaterThanOrEqual(3);
    expect(report.summary.waivers).toMatchObject({ active: 3, unused: 1, expiringSoon: 1 });
    expect(r.stderr).toMatch(/waiver #4 \(.*waivers\.yaml:18, owner security-team, expires 2027-01-31\) matches no finding \(unused\)/);
  });

  it("the same run a day after the waiver expires fails, naming the waiver", () => {
    const { waivers } = setup();
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--waivers", waivers, "--fail-on", "critical", "-f", "json", "-o", "-"], {
      env: { SAGEGATE_NOW: "2026-12-11T00:00:01Z" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/waiver #1 \(.*waivers\.yaml:2, owner platform-team, expired 2026-12-10\) no longer applies: 1 finding it covered fail again/);
    expect(r.stderr).toMatch(/1 failing check at or above critical \(1 of them covered by an expired waiver\)/);
    const report = JSON.parse(r.stdout);
    expect(report.results.find((x: any) => x.ruleId === "SG009" && x.status === "fail" && x.expiredWaiver?.index === 1)).toBeTruthy();
  });

  it("--strict-waivers fails the gate on an unused waiver", () => {
    const { waivers } = setup();
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--waivers", waivers, "--fail-on", "none", "--strict-waivers", "-f", "json", "-o", "-"], {
      env: { SAGEGATE_NOW: "2026-11-29" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--strict-waivers: 0 expired and 1 unused waiver/);
  });

  it("picks up sagegate.waivers.yaml from the working directory", () => {
    const { dir } = setup();
    writeFileSync(join(dir, "sagegate.waivers.yaml"), WAIVERS);
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on", "none", "-f", "json", "-o", "-"], {
      cwd: dir,
      env: { SAGEGATE_NOW: "2026-11-29" },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.byStatus.waived).toBeGreaterThan(0);
  });

  it("a malformed waivers file is bad input with file and line", () => {
    const { dir } = setup();
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "waivers:\n  - rule: SG009\n    resource: sg-1\n    owner: me\n    expires: 2026-12-01\n    reason: long enough to be a reason\n    color: red\n",
    );
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--waivers", bad, "-o", join(dir, "r.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:7:5: \/waivers\/0\/color: unknown key "color"/);
  });
});

describe("baselines", () => {
  // Night 2: the processing group's SSH is closed (fixed), the vpc-endpoints group opens to the
  // internet (a new violation on another resource of the same type), the rest is unchanged.
  function secondNight(dir: string): string {
    const doc = readJson(DEMO_SNAPSHOT);
    const sgs = doc.accounts[0].regions.find((r: any) => r.region === "eu-west-1").resources["AWS::EC2::SecurityGroup"];
    const proc = sgs.find((g: any) => g.GroupName === "acme-ml-processing");
    proc.IpPermissions = proc.IpPermissions.filter((p: any) => !(p.IpRanges ?? []).some((r: any) => r.CidrIp === "0.0.0.0/0"));
    const vpce = sgs.find((g: any) => g.GroupName === "acme-ml-vpc-endpoints");
    vpce.IpPermissions.push({
      IpProtocol: "tcp",
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    });
    const file = join(dir, "night2.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return file;
  }

  it("marks findings new or unchanged by rule id + ARN and counts the fixed ones", () => {
    const dir = tempDir();
    const night1 = join(dir, "night1.json");
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on", "none", "-o", night1]).code).toBe(0);
    const out = join(dir, "night2-report.json");
    const r = runCli(["evaluate", secondNight(dir), "-c", DEMO_CONFIG, "--fail-on", "none", "--baseline", night1, "-o", out]);
    expect(r.code).toBe(0);
    const report = readJson(out);
    const sg009 = report.results.filter((x: any) => x.ruleId === "SG009" && x.status === "fail");
    expect(sg009).toHaveLength(1);
    expect(sg009[0]).toMatchObject({ resource: { id: "sg-0vpce000000000001" }, baselineState: "new" });
    expect(report.results.find((x: any) => x.ruleId === "SG002" && x.status === "fail").baselineState).toBe("unchanged");
    expect(report.baseline.fixed.map((f: any) => `${f.ruleId} ${f.resource.id}`)).toContain("SG009 sg-0proc000000000001");
    expect(report.summary.new).toBe(report.results.filter((x: any) => x.baselineState === "new").length);
    expect(report.summary.fixed).toBe(report.baseline.fixed.length);
    expect(report.results.filter((x: any) => x.status === "pass").every((x: any) => x.baselineState === undefined)).toBe(true);
  });

  it("--fail-on-new passes with only pre-existing failures and fails on a new one", () => {
    const dir = tempDir();
    const night1 = join(dir, "night1.json");
    runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on", "none", "-o", night1]);
    const same = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--baseline", night1, "--fail-on-new", "-f", "json", "-o", join(dir, "a.json")]);
    expect(same.code).toBe(0);
    const changed = runCli(["evaluate", secondNight(dir), "-c", DEMO_CONFIG, "--baseline", night1, "--fail-on-new", "-f", "json", "-o", join(dir, "b.json")]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/new failing checks? at or above low/);
  });

  it("--fail-on-new without a baseline is a usage error", () => {
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on-new"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fail-on-new needs --baseline/);
  });

  it("a baseline that is not a sagegate report is bad input", () => {
    const dir = tempDir();
    const bad = join(dir, "b.json");
    writeFileSync(bad, JSON.stringify({ results: [] }));
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--baseline", bad, "-o", join(dir, "r.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\.json: \/: missing required key/);
  });
});

describe("GitHub step summary", () => {
  it("appends the Markdown report to GITHUB_STEP_SUMMARY with counts, links and expiring waivers", () => {
    const { dir, waivers } = setup();
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "previous step\n");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--waivers", waivers, "--fail-on", "none", "-o", join(dir, "r.json")], {
      env: { GITHUB_STEP_SUMMARY: summary, SAGEGATE_NOW: "2026-11-29" },
    });
    expect(r.code).toBe(0);
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith("previous step\n## sagegate")).toBe(true);
    expect(text).toMatch(/\| critical \| \d+ \| \d+ \| \d+ \| \d+ \|/);
    expect(text).toMatch(/\[SG002\]\(https:\/\/github\.com\/.*\/docs\/rules\/SG002\.md\)/);
    expect(text).toMatch(/### Waivers to review[\s\S]*expires in 11 days/);
  });
});

describe("baselines and incomplete scans", () => {
  it("a finding whose resource type could not be listed is neither fixed nor closed: SARIF keeps its alert open", async () => {
    const dir = tempDir();
    const night1 = join(dir, "night1.json");
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on", "none", "-o", night1]).code).toBe(0);
    const doc = readJson(DEMO_SNAPSHOT);
    const eu = doc.accounts[0].regions.find((r: any) => r.region === "eu-west-1");
    eu.resources["AWS::EC2::SecurityGroup"] = [];
    eu.errors.push({ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups", code: "UnauthorizedOperation", message: "not authorized" });
    const file = join(dir, "night2.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const out = join(dir, "night2-report.json");
    const sarif = join(dir, "night2.sarif");
    const r = runCli(["evaluate", file, "-c", DEMO_CONFIG, "--fail-on", "none", "--allow-incomplete", "--baseline", night1, "-o", out, "-o", sarif], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = readJson(out);
    const sg009Before = readJson(night1).results.find((x: any) => x.ruleId === "SG009" && x.status === "fail");
    expect(report.baseline.fixed.some((f: any) => f.ruleId === "SG009")).toBe(false);
    expect(report.baseline.unknown.map((f: any) => f.resource.arn)).toContain(sg009Before.resource.arn);
    const log = readJson(sarif);
    const { fingerprint } = await import("../../src/report/sarif.js");
    const note = log.runs[0].results.find((x: any) => x.partialFingerprints.primaryLocationLineHash === fingerprint("SG009", sg009Before.resource));
    expect(note).toMatchObject({ ruleId: "SG009", level: "note" });
    expect(note.message.text).toMatch(/could be listed/);
  });
});
