// End-to-end behaviour of `sagegate evaluate` through the built CLI: exit codes, reports,
// determinism, and bad input that must stop with one line and write nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, cpSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const demo = (extra: string[]) => ["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, ...extra];

function shuffledCopy(dir: string): string {
  // Same resources, reversed order everywhere, keys reordered, other indentation.
  const doc = readJson(DEMO_SNAPSHOT);
  for (const account of doc.accounts) {
    account.regions.reverse();
    for (const region of account.regions) {
      const types = Object.keys(region.resources).reverse();
      const resources: Record<string, unknown[]> = {};
      for (const t of types)
        resources[t] = [...region.resources[t]].reverse().map((o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse()));
      region.resources = resources;
    }
  }
  const reordered = { accounts: doc.accounts, collector: doc.collector, collectedAt: doc.collectedAt, snapshotVersion: doc.snapshotVersion };
  const file = join(dir, "shuffled.json");
  writeFileSync(file, JSON.stringify(reordered, null, 4));
  return file;
}

describe("sagegate evaluate", () => {
  it("writes a JSON report that matches its schema and counts every check", () => {
    const dir = tempDir();
    const out = join(dir, "r.json");
    const r = runCli(demo(["--format", "json", "--output", out, "--fail-on", "none"]));
    expect(r.stderr).toBe(`sagegate: wrote ${out} (json)\n`); // names the report, and nothing else
    expect(r.code).toBe(0);
    const report = readJson(out);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(readJson(join(ROOT, "schemas/report.schema.json")));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const { pass, fail, error } = report.summary.byStatus;
    expect(pass + fail + error).toBe(report.results.length);
    expect(fail).toBeGreaterThan(0);
    expect(report.results.filter((x: { status: string }) => x.status === "pass").length).toBe(pass);
    expect(report.summary.complete).toBe(true);
  });

  it("gives byte-identical JSON across runs and when the snapshot lists resources in another order", () => {
    const dir = tempDir();
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    const c = join(dir, "c.json");
    expect(runCli(demo(["-f", "json", "-o", a, "--fail-on", "none"])).code).toBe(0);
    expect(runCli(demo(["-f", "json", "-o", b, "--fail-on", "none"])).code).toBe(0);
    const shuffled = shuffledCopy(dir);
    expect(runCli(["evaluate", shuffled, "--config", DEMO_CONFIG, "-f", "json", "-o", c, "--fail-on", "none"]).code).toBe(0);
    const strip = (text: string) => text.replace(/\n\s*"path": "[^"]*",?/, "");
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
    expect(strip(readFileSync(c, "utf8"))).toBe(strip(readFileSync(a, "utf8")));
  });

  it("pairs formats with outputs in order and writes each atomically", () => {
    const dir = tempDir();
    const r = runCli(demo(["-f", "table", "-o", "-", "-f", "markdown", "-o", join(dir, "r.md"), "-f", "json", "-o", join(dir, "r.json"), "--fail-on", "none"]));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sagegate: \d+ rules/);
    expect(readFileSync(join(dir, "r.md"), "utf8")).toMatch(/^## sagegate/);
    expect(readJson(join(dir, "r.json")).reportVersion).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(["r.json", "r.md"]); // no temp files left
  });

  it("exits 1 when a check at or above --fail-on fails, 0 when the threshold is above every failure", () => {
    const report = runCli(demo(["-f", "json", "--fail-on", "none"]));
    const results = JSON.parse(report.stdout).results as Array<{ status: string; severity: string }>;
    const failedSeverities = new Set(results.filter((x) => x.status === "fail").map((x) => x.severity));
    expect(failedSeverities.size).toBeGreaterThan(0);
    const r = runCli(demo(["-f", "json", "-o", "-"]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failing check/);
    const none = runCli(demo(["-f", "json", "--fail-on", "none"]));
    expect(none.code).toBe(0);
  });

  it("exits 3 when the scan is incomplete, and 0 with --allow-incomplete", () => {
    const dir = tempDir();
    const doc = readJson(DEMO_SNAPSHOT);
    doc.accounts[0].regions[0].errors.push({
      resourceType: "AWS::ECR::Repository",
      operation: "GetLifecyclePolicy",
      resourceId: "legacy-models",
      code: "AccessDeniedException",
      message: "denied",
    });
    const file = join(dir, "incomplete.json");
    writeFileSync(file, JSON.stringify(doc));
    const r = runCli(["evaluate", file, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "r.json"), "--fail-on", "none"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/incomplete/);
    const report = readJson(join(dir, "r.json"));
    expect(report.summary.complete).toBe(false);
    const ok = runCli(["evaluate", file, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "r2.json"), "--fail-on", "none", "--allow-incomplete"]);
    expect(ok.code).toBe(0);
  });
});

describe("bad input: exit 2, one line naming the file and place, nothing written", () => {
  function expectRejected(args: string[], pattern: RegExp, cwd?: string) {
    const dir = tempDir();
    const out = join(dir, "report.json");
    const r = runCli([...args, "-f", "json", "-o", out], cwd ? { cwd } : {});
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }

  it("snapshot that is not JSON", () => {
    const dir = tempDir();
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "snapshotVersion": 1,\n  "accounts": [ { ]\n}\n');
    expectRejected(["evaluate", file, "--config", DEMO_CONFIG], /broken\.json:3:\d+: not valid JSON/);
  });

  it("snapshot that does not match its schema", () => {
    const dir = tempDir();
    const doc = readJson(DEMO_SNAPSHOT);
    doc.accounts[0].regions[0].resources["AWS::EC2::VPC"][0].VpcId = 42;
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    expectRejected(
      ["evaluate", file, "--config", DEMO_CONFIG],
      /bad\.json:\d+:\d+: \/accounts\/0\/regions\/0\/resources\/AWS::EC2::VPC\/0\/VpcId: must be string/,
    );
  });

  it("snapshot with an unknown resource type", () => {
    const dir = tempDir();
    const doc = readJson(DEMO_SNAPSHOT);
    doc.accounts[0].regions[0].resources["AWS::S3::Bucket"] = [];
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(doc));
    expectRejected(["evaluate", file, "--config", DEMO_CONFIG], /bad\.json: \/accounts\/0\/regions\/0\/resources\/AWS::S3::Bucket: unknown key/);
  });

  it("config with an unknown key", () => {
    const dir = tempDir();
    const file = join(dir, "sagegate.config.yaml");
    writeFileSync(file, "tagPrefix: acme-ml\ncompany: acme\nlogRetention: 30\n");
    expectRejected(["evaluate", DEMO_SNAPSHOT, "--config", file], /sagegate\.config\.yaml:3:1: \/logRetention: unknown key "logRetention"/);
  });

  it("config value of the wrong type", () => {
    const dir = tempDir();
    const file = join(dir, "c.yaml");
    writeFileSync(file, "tagPrefix: acme-ml\ncompany: acme\nlogRetentionDays:\n  endpoints: 15\n");
    expectRejected(["evaluate", DEMO_SNAPSHOT, "--config", file], /c\.yaml:4:14: \/logRetentionDays\/endpoints: must be one of/);
  });

  it("no config at all", () => {
    const dir = tempDir();
    expectRejected(["evaluate", DEMO_SNAPSHOT], /sagegate\.config\.yaml: no configuration/, dir);
  });

  it("malformed rule YAML", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    writeFileSync(
      join(rules, "security-groups", "SG003.yaml"),
      readFileSync(join(ROOT, "rules/security-groups/SG003.yaml"), "utf8").replace("severity: high", "severity: [high"),
    );
    expectRejected(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--rules", rules], /SG003\.yaml:\d+:\d+: /);
  });

  it("rule with an unknown operator, with a suggestion", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    mkdirSync(rules);
    writeFileSync(
      join(rules, "XX001.yaml"),
      [
        "id: XX001",
        "name: demo-rule",
        "title: A rule with a typo in it",
        "severity: low",
        "resourceType: AWS::EC2::VPC",
        "profile: baseline",
        "design: { section: '1', quote: q }",
        "rationale: a rationale long enough to pass",
        "remediation: { text: fix it somehow, cli: aws ec2 describe-vpcs }",
        "check:",
        "  path: VpcId",
        "  equal: vpc-1",
        "",
      ].join("\n"),
    );
    expectRejected(
      ["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--rules", rules],
      /XX001\.yaml:12:3: \/check\/equal: unknown key "equal"; did you mean "equals"\?/,
    );
  });

  it("unknown option", () => {
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--fromat", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--fromat'/);
  });

  it("more outputs than formats", () => {
    const dir = tempDir();
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "a.json"), "-o", join(dir, "b.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an output whose format cannot be told from its extension", () => {
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-o", "report.xyz"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the format of --output report\.xyz/);
  });
});

describe("JSON report lines", () => {
  it("the fast writer gives exactly JSON.stringify of the result object", async () => {
    const { resultLine, jsonResult } = await import("../../src/report/json.js");
    const { evaluate } = await import("../../src/evaluate/engine.js");
    const { readSnapshotFile } = await import("../../src/snapshot/read.js");
    const { prepareRules } = await import("../../src/cli/evaluate.js");
    const { applyWaivers } = await import("../../src/gate/waivers.js");
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const ctx = { config, docsBase: "https://example.com/sagegate/" };
    const results = evaluate(readSnapshotFile(DEMO_SNAPSHOT), rules, { ...config, profile: "high-security" }).results;
    const waived = applyWaivers(
      results,
      [{ rule: "SG009", resource: "*", reason: "a reason long enough", owner: "o", expires: "2026-12-01", index: 1, file: "w.yaml", ticket: "T-1" }],
      "2026-11-29",
    ).results.map((r, i) => (i % 3 === 0 ? { ...r, baselineState: "new" as const } : r));
    expect(waived.some((r) => r.waiver)).toBe(true);
    expect(waived.some((r) => r.status === "fail") && waived.some((r) => r.status === "pass")).toBe(true);
    for (const r of waived) expect(resultLine(r, ctx)).toBe(JSON.stringify(jsonResult(r, ctx)));
  });
});
