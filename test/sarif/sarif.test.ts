// `--format sarif`: what GitHub code scanning accepts (two validators, zero errors), alert
// identity that survives the snapshot changing shape, line regions that point at the right
// object, incomplete scans that keep alerts open, limits, and byte-identical output.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareRules } from "../../src/cli/evaluate.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { buildReport } from "../../src/report/model.js";
import { fingerprint, MAX_RESULTS, writeSarifReport } from "../../src/report/sarif.js";
import { StringSink } from "../../src/report/sink.js";
import { resourceType } from "../../src/resources/catalog.js";
import { SEVERITIES } from "../../src/rules/types.js";
import { readSnapshotFile } from "../../src/snapshot/read.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";
import { githubProblems, schemaErrors, validateSarifFile, validateSarifLog, type Validation } from "./validators.js";

const INCOMPLETE_SNAPSHOT = join(ROOT, "fixtures/incomplete/snapshot.json");
const INCOMPLETE_CONFIG = join(ROOT, "fixtures/incomplete/sagegate.config.yaml");

interface Sarif {
  runs: Array<{
    tool: { driver: { name: string; semanticVersion: string; informationUri: string; rules: any[] } };
    automationDetails: { id: string };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; properties?: any }> }>;
    properties: any;
    results: any[];
  }>;
}

// Outputs shared by several tests of a describe block live until the end of the file
// (tempDir() is emptied after every test).
const suiteDirs: string[] = [];
function suiteDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sagegate-sarif-"));
  suiteDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of suiteDirs) rmSync(d, { recursive: true, force: true });
});

type Evaluated = ReturnType<typeof evaluateSarif>;

/** Runs `sagegate evaluate … --format sarif` (and JSON, to compare) and returns both. */
function evaluateSarif(snapshot: string, config: string, extra: string[] = [], cwd = ROOT) {
  const dir = suiteDir();
  const sarifFile = join(dir, "out.sarif");
  const jsonFile = join(dir, "out.json");
  const r = runCli(["evaluate", snapshot, "--config", config, "--fail-on", "none", "-f", "sarif", "-o", sarifFile, "-f", "json", "-o", jsonFile, ...extra], {
    cwd,
  });
  const text = existsSync(sarifFile) ? readFileSync(sarifFile, "utf8") : "";
  return { ...r, file: sarifFile, text, sarif: (text ? JSON.parse(text) : undefined) as Sarif, json: existsSync(jsonFile) ? readJson(jsonFile) : undefined };
}

function expectValid(v: Validation): void {
  expect(v.multitool.problems, "multitool errors and warnings").toEqual([]);
  expect(v.multitool.errors).toBe(0);
  expect(v.multitool.warnings).toBe(0);
  expect(v.schema, "ajv against the SARIF 2.1.0 schema").toEqual([]);
  expect(v.github, "GitHub ingestion constraints").toEqual([]);
}

const key = (r: any) => `${r.ruleId} ${r.properties.arn}`;

describe("the validators", () => {
  it("catch what GitHub rejects (so a clean result means something)", () => {
    const { sarif } = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    const broken = structuredClone(sarif) as any;
    const res = broken.runs[0].results[0];
    res.locations[0].physicalLocation.artifactLocation.uri = res.properties.arn; // an ARN as uri
    delete res.locations[0].physicalLocation.region; // no start line
    broken.runs[0].tool.driver.rules[0].properties["security-severity"] = 9.5; // a number, not a string
    const v = validateSarifLog(broken);
    // The GitHub rules only run when the config switches them on and "Sarif;Ghas" reaches the tool whole.
    expect(v.multitool.ruleIds).toContain("GH1003");
    expect(v.multitool.errors).toBeGreaterThan(0);
    expect(v.github.join("\n")).toMatch(/is not repository-relative/);
    expect(v.github.join("\n")).toMatch(/no region\.startLine/);
    expect(v.github.join("\n")).toMatch(/security-severity/);
    // An invalid enum value silences the multitool; the schema catches it.
    const badLevel = structuredClone(sarif) as any;
    badLevel.runs[0].results[1].level = "critical";
    expect(schemaErrors(badLevel).join("\n")).toMatch(/\/runs\/0\/results\/1\/level/);
  });
});

describe("sagegate evaluate --format sarif: the demo", () => {
  let demo: Evaluated;
  let run: Sarif["runs"][number];
  beforeAll(() => {
    demo = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    run = demo.sarif.runs[0]!;
  });

  it("passes the SARIF Multitool (Sarif;Ghas, GH1001-GH1007 on) and ajv with zero errors", () => {
    expect(demo.code).toBe(0);
    expect(demo.stderr).toMatch(/^sagegate: wrote \S+ \(sarif\), \S+ \(json\)\n$/); // and nothing else: no warning
    expectValid(validateSarifFile(demo.file));
  });

  it("describes every rule of the run for a reviewer", () => {
    const rules = run.tool.driver.rules;
    expect(run.tool.driver).toMatchObject({ name: "sagegate", semanticVersion: "0.1.0", informationUri: "https://github.com/sagegate/sagegate" });
    expect(rules.map((r) => r.id)).toEqual(demo.json.rules.map((r: { id: string }) => r.id));
    const severityScore: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
    for (const rule of rules) {
      const jsonRule = demo.json.rules.find((r: { id: string }) => r.id === rule.id);
      expect(rule.name).toBe(jsonRule.name);
      expect(rule.shortDescription.text).toBe(`${jsonRule.title}.`);
      expect(rule.properties.tags[0]).toBe("security");
      expect(rule.properties["security-severity"]).toBe(severityScore[jsonRule.severity]);
      expect(["very-high", "high", "medium", "low"]).toContain(rule.properties.precision);
      expect(rule.helpUri).toBe(`https://github.com/sagegate/sagegate/blob/v0.1.0/docs/rules/${rule.id}.md`);
      expect(existsSync(join(ROOT, "docs/rules", `${rule.id}.md`))).toBe(true);
      const yaml = readFileSync(join(ROOT, relative(ROOT, findRuleFile(rule.id))), "utf8");
      const section = /section: "([^"]+)"/.exec(yaml)![1]!;
      for (const help of [rule.help.text, rule.help.markdown]) {
        expect(help).toContain(`§${section}`); // what the design says
        expect(help).toMatch(/Why it matters/);
        expect(help).toMatch(/How to fix/);
        expect(help).toContain("aws "); // the AWS CLI example
      }
    }
  });

  it("has one result per failing (rule, resource), saying what resource and what is wrong", () => {
    const fails = demo.json.results.filter((r: { status: string }) => r.status === "fail");
    expect(run.results).toHaveLength(fails.length);
    expect(run.results.map(key).sort()).toEqual(fails.map((r: any) => `${r.ruleId} ${r.resource.arn}`).sort());
    for (const res of run.results) {
      const jsonResult = fails.find((r: any) => r.ruleId === res.ruleId && r.resource.arn === res.properties.arn);
      const { type, id, arn } = jsonResult.resource;
      expect(res.message.text.startsWith(`${type} ${id} (${arn}): `)).toBe(true);
      expect(res.message.text).toContain(jsonResult.message);
      expect(res.locations[0].logicalLocations).toEqual([{ name: id, fullyQualifiedName: arn, kind: "resource" }]);
      expect(res.properties).toMatchObject({
        accountId: jsonResult.resource.accountId,
        region: jsonResult.resource.region,
        resourceType: type,
        evidence: jsonResult.evidence,
      });
      expect(res.partialFingerprints.primaryLocationLineHash).toBe(fingerprint(res.ruleId, arn));
      expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    }
    const sg = run.results.find((r) => r.ruleId === "SG005");
    expect(sg.message.text).toBe(
      "AWS::EC2::SecurityGroup sg-0proc000000000001 (arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0proc000000000001): " +
        "processing security group ingress is not limited to the design's table (§2.2.2): ingress TCP 22 from 0.0.0.0/0.",
    );
    expect(sg.level).toBe("error");
  });

  it("lists results most severe first", () => {
    const ranks = run.results.map((r) => SEVERITIES.indexOf(r.properties.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("points at the snapshot as a repository-relative path and at the lines of each resource's object", () => {
    for (const res of run.results) expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe("fixtures/demo/snapshot.json");
    expectRegionsPointAtObjects(demo.sarif, DEMO_SNAPSHOT);
  });

  it("names the run by the accounts and regions scanned, unless --category says otherwise", () => {
    expect(run.automationDetails.id).toBe("sagegate/111122223333/eu-west-1,us-east-1/");
    const nightly = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--category", "nightly"]);
    expect(nightly.sarif.runs[0]!.automationDetails.id).toBe("nightly/");
    const predeploy = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--category", "pre-deploy/eu"]);
    expect(predeploy.sarif.runs[0]!.automationDetails.id).toBe("pre-deploy/eu/");
    expect(evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--category", " "]).code).toBe(2);
  });

  it("is byte-identical across runs, wherever it is run from", () => {
    const again = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    expect(again.text).toBe(demo.text);
    const elsewhere = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--repo-root", ROOT], tempDir());
    expect(elsewhere.text).toBe(demo.text);
  });
});

describe("alert identity", () => {
  it("survives reordering and re-indenting the snapshot: same results and fingerprints, only the lines move", () => {
    const a = tempDir();
    const b = tempDir();
    cpSync(DEMO_SNAPSHOT, join(a, "snapshot.json"));
    writeFileSync(join(b, "snapshot.json"), JSON.stringify(reorder(readJson(DEMO_SNAPSHOT)), null, 4));
    const original = evaluateSarif(join(a, "snapshot.json"), DEMO_CONFIG, ["--repo-root", a]);
    const shuffled = evaluateSarif(join(b, "snapshot.json"), DEMO_CONFIG, ["--repo-root", b]);
    expect(original.text).not.toBe(shuffled.text);
    const withoutRegions = (s: Sarif) => JSON.stringify(s, (k, v) => (k === "region" ? undefined : v));
    expect(withoutRegions(shuffled.sarif)).toBe(withoutRegions(original.sarif));
    const regions = (s: Sarif) => s.runs[0]!.results.map((r) => r.locations[0].physicalLocation.region.startLine);
    expect(regions(shuffled.sarif)).not.toEqual(regions(original.sarif));
    expectRegionsPointAtObjects(shuffled.sarif, join(b, "snapshot.json"));
  });

  it("is the same for the same rule and resource in another snapshot: a check that could not be evaluated keeps its alert", () => {
    const demo = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG).sarif.runs[0]!;
    const incomplete = evaluateSarif(INCOMPLETE_SNAPSHOT, INCOMPLETE_CONFIG).sarif.runs[0]!;
    // Key B's policy could not be read in the incomplete scan; in the demo KMS002 and KMS003 fail on it.
    for (const ruleId of ["KMS002", "KMS003"]) {
      const fail = demo.results.find((r) => r.ruleId === ruleId && r.properties.resourceId.startsWith("2222bbbb"));
      const note = incomplete.results.find((r) => r.ruleId === ruleId && r.properties.resourceId.startsWith("2222bbbb"));
      expect(["error", "warning"]).toContain(fail.level);
      expect(note.level).toBe("note");
      expect(note.partialFingerprints).toEqual(fail.partialFingerprints);
      expect(note.message.text).toMatch(/not evaluated because .*GetKeyPolicy failed/);
    }
    // Findings that do not depend on the failed calls are the same alerts in both.
    const demoFingerprints = new Map(demo.results.map((r) => [key(r), r.partialFingerprints.primaryLocationLineHash]));
    const shared = incomplete.results.filter((r) => demoFingerprints.has(key(r)));
    expect(shared.length).toBeGreaterThan(20);
    for (const r of shared) expect(r.partialFingerprints.primaryLocationLineHash).toBe(demoFingerprints.get(key(r)));
  });
});

describe("line regions", () => {
  const doc = readJson(INCOMPLETE_SNAPSHOT);
  const variants: Record<string, (dir: string) => string> = {
    "pretty-printed, as sagegate writes it": () => readFileSync(INCOMPLETE_SNAPSHOT, "utf8"),
    "reordered, 4-space indentation": () => JSON.stringify(reorder(doc), null, 4),
    "tabs, CRLF line endings and a BOM, with non-ASCII text": () => "\ufeff" + JSON.stringify(withUnicode(doc), null, "\t").replace(/\n/g, "\r\n") + "\r\n",
    "one resource per line": () => oneObjectPerLine(doc),
    "compact (everything on line 1)": () => JSON.stringify(doc),
  };
  for (const [name, make] of Object.entries(variants)) {
    it(`point at the right object: ${name}`, () => {
      const dir = tempDir();
      const file = join(dir, "snapshot.json");
      writeFileSync(file, make(dir));
      const r = evaluateSarif(file, INCOMPLETE_CONFIG, ["--repo-root", dir]);
      expect(r.code).toBe(3); // incomplete
      const checked = expectRegionsPointAtObjects(r.sarif, file);
      expect(checked.objects).toBeGreaterThan(40);
      expect(checked.regions).toBeGreaterThan(10);
      expect(githubProblems(r.text)).toEqual([]);
    });
  }
});

describe("an incomplete multi-region scan", () => {
  let r: Evaluated;
  let run: Sarif["runs"][number];
  beforeAll(() => {
    r = evaluateSarif(INCOMPLETE_SNAPSHOT, INCOMPLETE_CONFIG);
    run = r.sarif.runs[0]!;
  });

  it("passes the SARIF Multitool (Sarif;Ghas, GH1001-GH1007 on) and ajv with zero errors", () => {
    expect(r.code).toBe(3);
    expectValid(validateSarifFile(r.file));
  });

  it("says it is incomplete and lists every collection error", () => {
    const inv = run.invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    const notifications = inv.toolExecutionNotifications!;
    expect(notifications[0]!.message.text).toMatch(/^The scan is incomplete: 5 AWS calls failed and \d+ checks could not be evaluated/);
    const collection = notifications.filter((n) => n.properties?.operation);
    expect(collection.map((n) => `${n.properties.accountId} ${n.properties.region} ${n.properties.operation}`).sort()).toEqual(
      r.json.collectionErrors.map((e: any) => `${e.accountId} ${e.region} ${e.operation}`).sort(),
    );
    for (const n of collection) expect(n.level).toBe("error");
    expect(run.automationDetails.id).toBe("sagegate/111122223333,444455556666/eu-central-1,eu-west-1,us-east-1/");
  });

  it("has a note with the rule's id and fingerprint for every check that could not be evaluated", () => {
    const errors = r.json.results.filter((x: any) => x.status === "error");
    const fails = r.json.results.filter((x: any) => x.status === "fail");
    const notes = run.results.filter((x) => x.properties.status === "error");
    expect(errors.length).toBeGreaterThan(20);
    expect(notes.map(key).sort()).toEqual(errors.map((x: any) => `${x.ruleId} ${x.resource.arn}`).sort());
    expect(run.results.length).toBe(errors.length + fails.length);
    for (const note of notes) {
      expect(note.level).toBe("note");
      expect(note.partialFingerprints.primaryLocationLineHash).toBe(fingerprint(note.ruleId, note.properties.arn));
      expect(note.message.text).toMatch(/: not evaluated because .+\. It neither passes nor fails until a complete scan/);
    }
    // A type that could not be listed at all: one note per rule, for the whole type in that region.
    const unlisted = notes.filter((n) => n.properties.resourceId === "*");
    expect(new Set(unlisted.map((n) => `${n.properties.accountId} ${n.properties.region} ${n.properties.resourceType}`))).toEqual(
      new Set([
        "111122223333 eu-central-1 AWS::ECR::Repository",
        "111122223333 eu-central-1 AWS::SageMaker::ModelPackageGroup",
        "444455556666 eu-west-1 AWS::EC2::SecurityGroup",
      ]),
    );
    expect(unlisted[0].message.text).toMatch(
      /^AWS::\S+ \(every resource of this type in account \d{12}, [a-z0-9-]+; arn:aws:[^)]+\/\*\): not evaluated because no AWS::\S+ could be listed/,
    );
  });

  it("is byte-identical across runs", () => {
    expect(evaluateSarif(INCOMPLETE_SNAPSHOT, INCOMPLETE_CONFIG).text).toBe(r.text);
  });

  it("comes from a fixture that matches its build script", () => {
    const check = spawnSync(process.execPath, [join(ROOT, "fixtures/incomplete/build-snapshot.mjs"), "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});

describe("--repo-root", () => {
  it("writes the snapshot's path relative to it, with forward slashes and percent-encoding", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "inventory", "night snapshots"), { recursive: true });
    const file = join(dir, "inventory", "night snapshots", "acme é.json");
    cpSync(DEMO_SNAPSHOT, file);
    const r = evaluateSarif(file, DEMO_CONFIG, ["--repo-root", dir]);
    expect(r.code).toBe(0);
    const uri = r.sarif.runs[0]!.results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe("inventory/night%20snapshots/acme%20%C3%A9.json");
    expect(decodeURIComponent(uri)).toBe("inventory/night snapshots/acme é.json");
    expect(githubProblems(r.text)).toEqual([]);
    expect(schemaErrors(r.sarif)).toEqual([]);
    // Relative to the working directory by default.
    const fromDir = evaluateSarif(join("inventory", "night snapshots", "acme é.json"), DEMO_CONFIG, [], join(dir));
    expect(fromDir.text).toBe(r.text);
  });

  it("refuses a snapshot outside it: exit 2, one line, nothing written", () => {
    const dir = tempDir();
    const out = join(dir, "x.sarif");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-o", out, "--repo-root", join(ROOT, "fixtures/incomplete")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/snapshot\.json is outside the repository root .*fixtures\/incomplete/);
    expect(readdirSync(dir)).toEqual([]);
    const missing = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-o", out, "--repo-root", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--repo-root .*nope: directory not found/);
    // Formats other than SARIF do not need the snapshot inside the root.
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "--fail-on", "none", "--repo-root", dir]).code).toBe(0);
  });
});

describe("large results", () => {
  it("keep 20 evidence items and a shortened message, saying how many there were", () => {
    const doc = readJson(DEMO_SNAPSHOT);
    const sg = doc.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"].find((g: any) => g.GroupName === "acme-ml-processing");
    for (let port = 1000; port < 1030; port++) {
      sg.IpPermissions.push({
        IpProtocol: "tcp",
        FromPort: port,
        ToPort: port,
        IpRanges: [{ CidrIp: "0.0.0.0/0" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      });
    }
    const dir = tempDir();
    writeFileSync(join(dir, "snapshot.json"), JSON.stringify(doc, null, 2));
    const r = evaluateSarif(join(dir, "snapshot.json"), DEMO_CONFIG, ["--repo-root", dir]);
    const sg009 = r.sarif.runs[0]!.results.find((x) => x.ruleId === "SG009");
    const full = r.json.results.find((x: any) => x.ruleId === "SG009" && x.status === "fail");
    expect(full.evidence).toHaveLength(31);
    expect(sg009.properties.evidence).toEqual(full.evidence.slice(0, 20));
    expect(sg009.properties.evidenceTotal).toBe(31);
    expect(full.message.length).toBeGreaterThan(1_500);
    expect(sg009.message.text.length).toBeLessThan(1_800);
    expect(sg009.message.text).toMatch(/; … \(shortened: the evidence and the JSON report have every item\)\.$/);
    expect(githubProblems(r.text)).toEqual([]);
  });
});

describe("limits", () => {
  // 12,600 KMS keys for SageMaker open to everyone (KMS004, critical), 12,600 project-level
  // security groups (SG002, medium) and 50 endpoint log groups with a bad name (LOG002, low):
  // 25,250 failures in all.
  const GROUPS = 12_600;
  const LOGS = 50;
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = suiteDir();
    file = join(dir, "big.json");
    writeFileSync(file, JSON.stringify(bigSnapshot(GROUPS, LOGS)));
  });

  it(`keeps the ${MAX_RESULTS} most severe of more than ${MAX_RESULTS} results and says how many were left out`, () => {
    // The demo's projects name nothing in this snapshot: accepted, so the exit code says only what SARIF limits do.
    const r = evaluateSarif(file, DEMO_CONFIG, ["--repo-root", dir, "--allow-empty-scope"]);
    expect(r.code).toBe(0);
    const fails = r.json.results.filter((x: any) => x.status === "fail");
    expect(fails.length).toBe(2 * GROUPS + LOGS);
    const run = r.sarif.runs[0]!;
    expect(run.results).toHaveLength(MAX_RESULTS);
    const dropped = fails.length - MAX_RESULTS;
    const bySeverity = (list: any[], sev: string) => list.filter((x) => (x.severity ?? x.properties.severity) === sev).length;
    expect(bySeverity(run.results, "critical")).toBe(GROUPS);
    expect(bySeverity(run.results, "medium")).toBe(MAX_RESULTS - GROUPS);
    expect(bySeverity(run.results, "low")).toBe(0);
    const notice = run.invocations[0]!.toolExecutionNotifications!.find((n) => /left out/.test(n.message.text))!;
    expect(notice.level).toBe("warning");
    expect(notice.message.text).toContain(`${dropped} results were left out`);
    expect(run.properties.resultsLeftOut).toEqual({ resultLimit: dropped, sizeLimit: 0 });
    expect(r.stderr).toMatch(
      new RegExp(
        `^sagegate: warning: .*out\\.sarif: ${dropped} results were left out of the SARIF log: GitHub code scanning accepts at most ${MAX_RESULTS}`,
        "m",
      ),
    );
    // ajv and GitHub's constraints only: the Multitool needs about a minute and 2 GB for this file.
    expect(githubProblems(r.text)).toEqual([]);
    expect(schemaErrors(r.sarif)).toEqual([]);
  }, 120_000);

  it("keeps the gzip-compressed size under the limit by leaving out the least severe results", () => {
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const snapshot = readSnapshotFile(file);
    const report = buildReport({ snapshot, evaluation: evaluate(snapshot, rules, config), profile: config.profile, artifactUri: "big.json" });
    const full = new StringSink();
    const stats = writeSarifReport(report, full);
    expect(stats.gzipBytes).toBe(gzipSync(full.text()).length);
    expect(stats.gzipBytes).toBeLessThan(9_500_000);
    expect(stats.droppedForSize).toBe(0);

    const limit = Math.floor(stats.gzipBytes * 0.8);
    const warnings: string[] = [];
    const sink = new StringSink();
    const small = writeSarifReport(report, sink, { maxGzipBytes: limit, warn: (t) => warnings.push(t) });
    expect(gzipSync(sink.text()).length).toBe(small.gzipBytes);
    expect(small.gzipBytes).toBeLessThanOrEqual(limit);
    expect(small.gzipBytes).toBeGreaterThan(limit * 0.8); // not much more left out than needed
    expect(small.droppedForSize).toBeGreaterThan(0);
    expect(small.results + small.droppedForSize + small.droppedForCount).toBe(2 * GROUPS + LOGS);
    const log = JSON.parse(sink.text()) as Sarif;
    const kept = log.runs[0]!.results;
    expect(kept).toHaveLength(small.results);
    // The most severe stay: every critical finding, then medium ones as room allows.
    expect(kept.length).toBeGreaterThan(GROUPS);
    expect(kept.slice(0, GROUPS).every((x) => x.properties.severity === "critical")).toBe(true);
    expect(kept.slice(GROUPS).every((x) => x.properties.severity === "medium")).toBe(true);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain(`${small.droppedForSize} more results were left out to keep the gzip-compressed SARIF log under ${limit} bytes`);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications!.map((n) => n.message.text)).toEqual(warnings);
    expect(schemaErrors(log)).toEqual([]);
  }, 120_000);
});

// ---- helpers --------------------------------------------------------------------------------

function findRuleFile(id: string): string {
  for (const area of readdirSync(join(ROOT, "rules"))) {
    const f = join(ROOT, "rules", area, `${id}.yaml`);
    if (existsSync(f)) return f;
  }
  throw new Error(`no rule file for ${id}`);
}

/**
 * Reads every result's region back from the file. A result about an object must cover exactly
 * that object: the lines, trimmed of indentation and a trailing comma, parse as JSON to an object
 * whose id field is the result's resource id (or, when several objects share the lines, they
 * contain it). A result without an object of its own (a type that could not be listed, a
 * project without its group) must point at the line naming its region, inside its account.
 */
function expectRegionsPointAtObjects(sarif: Sarif, file: string): { objects: number; regions: number } {
  const lines = readFileSync(file, "utf8")
    .replace(/^\ufeff/, "")
    .split("\n");
  const accountLines = lines.flatMap((l, i) => (/"accountId":\s*"(\d+)"/.test(l) ? [{ line: i + 1, account: /"accountId":\s*"(\d+)"/.exec(l)![1]! }] : []));
  let objects = 0;
  let regions = 0;
  for (const res of sarif.runs[0]!.results) {
    const { startLine, endLine } = res.locations[0].physicalLocation.region;
    expect(endLine).toBeGreaterThanOrEqual(startLine);
    const text = lines.slice(startLine - 1, endLine).join("\n");
    const p = res.properties;
    const spanless = p.resourceId === "*" || res.ruleId === "MR005";
    if (spanless) {
      expect(startLine, `${res.ruleId} ${p.arn}`).toBe(endLine);
      expect(text).toMatch(new RegExp(`"region":\\s*"${p.region}"`));
      if (accountLines.length > 1) {
        const own = accountLines.findIndex((a) => a.account === p.accountId);
        expect(startLine).toBeGreaterThanOrEqual(accountLines[own]!.line);
        if (own + 1 < accountLines.length) expect(startLine).toBeLessThan(accountLines[own + 1]!.line);
      }
      regions++;
      continue;
    }
    const idField = resourceType(p.resourceType)!.idField;
    const trimmed = text.trim().replace(/,$/, "");
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && idField in parsed) {
      expect((parsed as Record<string, unknown>)[idField], `${res.ruleId} ${p.arn} at ${startLine}-${endLine}`).toBe(p.resourceId);
    } else {
      // Several objects on the same lines (compact files): the id must at least be there.
      expect(text).toContain(JSON.stringify(p.resourceId).slice(1, -1));
      expect(startLine).toBe(endLine);
    }
    objects++;
  }
  return { objects, regions };
}

/** Same resources: accounts, regions, types and resources in reverse order, keys of each object reversed. */
function reorder(doc: any): any {
  const out = structuredClone(doc);
  out.accounts.reverse();
  for (const account of out.accounts) {
    account.regions.reverse();
    for (const region of account.regions) {
      const resources: Record<string, unknown[]> = {};
      for (const type of Object.keys(region.resources).reverse()) {
        resources[type] = [...region.resources[type]].reverse().map((o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse()));
      }
      region.resources = resources;
      region.errors.reverse();
    }
  }
  return { accounts: out.accounts, collector: out.collector, collectedAt: out.collectedAt, snapshotVersion: out.snapshotVersion };
}

/** Adds multi-byte text to descriptions, so byte offsets and characters differ. */
function withUnicode(doc: any): any {
  const out = structuredClone(doc);
  for (const account of out.accounts) {
    for (const region of account.regions) {
      for (const sg of region.resources["AWS::EC2::SecurityGroup"] ?? []) sg.Description = `训练安全组 — ${sg.Description ?? ""} 🚀`;
    }
  }
  return out;
}

/** Compact, but each resource object on a line of its own. */
function oneObjectPerLine(doc: any): string {
  const out = structuredClone(doc);
  const placeholders: string[] = [];
  for (const account of out.accounts) {
    for (const region of account.regions) {
      for (const type of Object.keys(region.resources)) {
        region.resources[type] = region.resources[type].map((o: unknown) => {
          placeholders.push(JSON.stringify(o));
          return `@@${placeholders.length - 1}@@`;
        });
      }
    }
  }
  return JSON.stringify(out).replace(/"@@(\d+)@@"/g, (_, i: string) => `\n${placeholders[Number(i)]}`);
}

function bigSnapshot(groups: number, logs: number): unknown {
  const account = "111122223333";
  const region = "eu-west-1";
  const vpc = "vpc-0b16000000000001";
  const hex = (i: number, n: number) => i.toString(16).padStart(n, "0");
  const keys = Array.from({ length: groups }, (_, i) => {
    const keyId = `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`;
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "Allow decrypt for everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
      ],
    };
    return {
      KeyId: keyId,
      Arn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
      Enabled: true,
      KeyState: "Enabled",
      KeyManager: "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      Policy: JSON.stringify(policy, null, 2),
      KeyRotationEnabled: true,
      Aliases: [{ AliasName: `alias/sagemaker-p${i}`, AliasArn: `arn:aws:kms:${region}:${account}:alias/sagemaker-p${i}`, TargetKeyId: keyId }],
    };
  });
  const sgs = Array.from({ length: groups }, (_, i) => ({
    GroupId: `sg-0${hex(i, 16)}`,
    GroupName: `acme-ml-project-${i}`,
    VpcId: vpc,
    OwnerId: account,
    Description: `project ${i}`,
    IpPermissions: [],
    IpPermissionsEgress: [],
  }));
  const logGroups = Array.from({ length: logs }, (_, i) => ({
    logGroupName: `/aws/sagemaker/Endpoints/demo-${i}`,
    retentionInDays: 14,
    arn: `arn:aws:logs:${region}:${account}:log-group:/aws/sagemaker/Endpoints/demo-${i}:*`,
  }));
  const resources: Record<string, unknown[]> = Object.fromEntries(
    [
      "AWS::EC2::SecurityGroup",
      "AWS::EC2::Subnet",
      "AWS::EC2::VPC",
      "AWS::ECR::Repository",
      "AWS::KMS::Key",
      "AWS::Logs::LogGroup",
      "AWS::SageMaker::Endpoint",
      "AWS::SageMaker::Model",
      "AWS::SageMaker::ModelPackageGroup",
      "AWS::SageMaker::ProcessingJob",
      "AWS::SageMaker::TrainingJob",
    ].map((t) => [t, []]),
  );
  resources["AWS::EC2::SecurityGroup"] = sgs;
  resources["AWS::EC2::VPC"] = [
    {
      VpcId: vpc,
      OwnerId: account,
      State: "available",
      IsDefault: false,
      CidrBlock: "10.50.0.0/16",
      CidrBlockAssociationSet: [{ AssociationId: "vpc-cidr-assoc-0b16", CidrBlock: "10.50.0.0/16", CidrBlockState: { State: "associated" } }],
    },
  ];
  resources["AWS::KMS::Key"] = keys;
  resources["AWS::Logs::LogGroup"] = logGroups;
  return {
    snapshotVersion: 1,
    collectedAt: "2026-11-29T02:00:00.000Z",
    collector: { name: "sagegate", version: "0.1.0" },
    accounts: [{ accountId: account, regions: [{ region, resources, errors: [] }] }],
  };
}
