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
import { DEFAULT_MAX_RESULTS, fingerprint, MAX_RESULTS, NOT_EVALUATED_RULE_ID, PROBLEM_SEVERITY, writeSarifReport } from "../../src/report/sarif.js";
import { resourcePath } from "../../src/report/sarif-identity.js";
import { StringSink } from "../../src/report/sink.js";
import { resourceType } from "../../src/resources/catalog.js";
import { SEVERITIES } from "../../src/rules/types.js";
import { readSnapshotFile } from "../../src/snapshot/read.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";
import { withRegionCopy } from "./scenarios.js";
import { githubProblems, schemaErrors, validateSarifFile, validateSarifLog, type Validation } from "./validators.js";

const INCOMPLETE_SNAPSHOT = join(ROOT, "fixtures/incomplete/snapshot.json");
const INCOMPLETE_CONFIG = join(ROOT, "fixtures/incomplete/sagegate.config.yaml");
const SEVERITY_SCORE: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

interface Sarif {
  runs: Array<{
    tool: { driver: { name: string; semanticVersion: string; informationUri: string; rules: any[] } };
    automationDetails?: { id: string };
    artifacts?: Array<{ location: { uri: string }; mimeType: string; roles: string[] }>;
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
  // The line naming the reports it wrote is checked once (below); the tests look at the rest of stderr.
  const wrote = `sagegate: wrote ${sarifFile} (sarif), ${jsonFile} (json)\n`;
  return {
    ...r,
    stderr: r.stderr.replace(wrote, ""),
    wroteLine: r.stderr.includes(wrote),
    file: sarifFile,
    jsonFile,
    text,
    sarif: (text ? JSON.parse(text) : undefined) as Sarif,
    json: existsSync(jsonFile) ? readJson(jsonFile) : undefined,
  };
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
    expect(demo.wroteLine).toBe(true);
    expect(demo.stderr).toBe(""); // nothing else: no warning
    expectValid(validateSarifFile(demo.file));
  });

  it("describes every rule of the run for a reviewer", () => {
    const rules = run.tool.driver.rules;
    expect(run.tool.driver).toMatchObject({ name: "sagegate", semanticVersion: "0.1.0", informationUri: "https://github.com/sagegate/sagegate" });
    expect(rules.map((r) => r.id)).toEqual(demo.json.rules.map((r: { id: string }) => r.id));
    for (const rule of rules) {
      const jsonRule = demo.json.rules.find((r: { id: string }) => r.id === rule.id);
      expect(rule.name).toBe(jsonRule.name);
      // GitHub shows shortDescription as the alert's title: the violation, not the compliant phrasing.
      expect(rule.shortDescription.text).toBe(`${jsonRule.violationTitle}.`);
      expect(rule.shortDescription.text).not.toBe(`${jsonRule.title}.`);
      expect(rule.fullDescription.text.startsWith(jsonRule.title)).toBe(true);
      expect(rule.properties["problem.severity"]).toBe(PROBLEM_SEVERITY[jsonRule.severity as keyof typeof PROBLEM_SEVERITY]);
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

  it("makes security rules security alerts and convention rules maintainability alerts without a security severity", () => {
    const byId = new Map(run.tool.driver.rules.map((r) => [r.id, r]));
    const conventions = demo.json.rules.filter((r: any) => r.kind === "convention").map((r: any) => r.id);
    expect(conventions).toEqual(["ECR001", "ECR004", "KMS001", "LOG002", "MR001", "SG011", "WL004"]);
    for (const jsonRule of demo.json.rules) {
      const rule = byId.get(jsonRule.id);
      if (jsonRule.kind === "security") {
        expect(rule.properties.tags[0]).toBe("security");
        expect(rule.properties["security-severity"]).toBe(SEVERITY_SCORE[jsonRule.severity]);
      } else {
        expect(rule.properties.tags[0]).toBe("maintainability");
        expect(rule.properties.tags).not.toContain("security");
        expect(rule.properties).not.toHaveProperty("security-severity");
        expect(["warning", "recommendation"]).toContain(rule.properties["problem.severity"]);
      }
    }
    // The demo has convention findings, and they are plain alerts: a level, no security severity.
    const conventionResults = run.results.filter((r) => conventions.includes(r.ruleId));
    expect(conventionResults.length).toBeGreaterThan(0);
    for (const r of conventionResults) expect(byId.get(r.ruleId).properties).not.toHaveProperty("security-severity");
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
      expect(res.partialFingerprints.primaryLocationLineHash).toBe(fingerprint(res.ruleId, { arn }));
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

  it("points each alert at its resource's path, line 1, and relates the resource's object in the snapshot", () => {
    const paths = new Set<string>();
    for (const res of run.results) {
      const p = res.properties;
      const loc = res.locations[0].physicalLocation;
      expect(loc).toEqual({
        artifactLocation: { uri: resourcePath({ accountId: p.accountId, region: p.region, type: p.resourceType, id: p.resourceId }) },
        region: { startLine: 1 },
      });
      expect(loc.artifactLocation.uri.startsWith(`aws/${p.accountId}/${p.region}/`)).toBe(true);
      paths.add(loc.artifactLocation.uri);
      expect(res.relatedLocations).toHaveLength(1);
      expect(res.relatedLocations[0].physicalLocation.artifactLocation).toEqual({ uri: "fixtures/demo/snapshot.json", index: 0 });
    }
    // Rows read as resources: one path per resource, shared only by the alerts of that resource.
    expect(paths.size).toBe(new Set(run.results.map((r) => r.properties.arn)).size);
    expect(paths).toContain("aws/111122223333/eu-west-1/ec2/security-group/sg-0proc000000000001");
    expectRegionsPointAtObjects(demo.sarif, DEMO_SNAPSHOT);
  });

  it("has no automationDetails, so upload-sarif's category: applies, unless --category says otherwise", () => {
    expect(run).not.toHaveProperty("automationDetails");
    // The category no longer depends on what was scanned: a region more changes nothing.
    const more = tempDir();
    writeFileSync(join(more, "snapshot.json"), JSON.stringify(withRegionCopy(readJson(DEMO_SNAPSHOT), "eu-west-1", "eu-central-1")));
    expect(evaluateSarif(join(more, "snapshot.json"), DEMO_CONFIG, ["--repo-root", more]).sarif.runs[0]).not.toHaveProperty("automationDetails");
    const nightly = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--category", "nightly"]);
    expect(nightly.sarif.runs[0]!.automationDetails).toEqual({ id: "nightly/" });
    const predeploy = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--category", "pre-deploy/eu"]);
    expect(predeploy.sarif.runs[0]!.automationDetails).toEqual({ id: "pre-deploy/eu/" });
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
    // Only the lines in the snapshot (related locations) differ; the alert's path and fingerprint do not.
    const withoutLines = (s: Sarif) => JSON.stringify(s, (k, v) => (k === "relatedLocations" ? undefined : v));
    expect(withoutLines(shuffled.sarif)).toBe(withoutLines(original.sarif));
    const lines = (s: Sarif) => s.runs[0]!.results.map((r) => r.relatedLocations[0].physicalLocation.region.startLine);
    expect(lines(shuffled.sarif)).not.toEqual(lines(original.sarif));
    expectRegionsPointAtObjects(shuffled.sarif, join(b, "snapshot.json"));
  });

  it("is the same for the same rule and resource in another snapshot: a check that failed last time and cannot be evaluated keeps its alert", () => {
    const demoRun = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    const demo = demoRun.sarif.runs[0]!;
    const incomplete = evaluateSarif(INCOMPLETE_SNAPSHOT, INCOMPLETE_CONFIG, ["--last-report", demoRun.jsonFile]).sarif.runs[0]!;
    // Key B's policy could not be read in the incomplete scan; in the demo KMS002 and KMS003 fail on it.
    for (const ruleId of ["KMS002", "KMS003"]) {
      const fail = demo.results.find((r) => r.ruleId === ruleId && r.properties.resourceId.startsWith("2222bbbb"));
      const note = incomplete.results.find((r) => r.ruleId === ruleId && r.properties.resourceId.startsWith("2222bbbb"));
      expect(["error", "warning"]).toContain(fail.level);
      expect(note.level).toBe("note");
      expect(note.partialFingerprints).toEqual(fail.partialFingerprints);
      expect(note.locations[0].physicalLocation).toEqual(fail.locations[0].physicalLocation);
      expect(note.message.text).toMatch(/not evaluated because .*GetKeyPolicy failed.*It failed in the previous run, so its alert stays open/);
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
      expect(checked.regions).toBeGreaterThanOrEqual(5); // the five failed calls, and MR005's projects
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
    expect(run).not.toHaveProperty("automationDetails");
  });

  it("without a previous report: the failures found, one sagegate/not-evaluated warning per failed call, and no note", () => {
    const fails = r.json.results.filter((x: any) => x.status === "fail");
    const errors = r.json.results.filter((x: any) => x.status === "error");
    expect(errors.length).toBeGreaterThan(20); // checks that could not be evaluated: none of them is a result
    const findings = run.results.filter((x) => x.ruleId !== NOT_EVALUATED_RULE_ID);
    expect(findings.map(key).sort()).toEqual(fails.map((x: any) => `${x.ruleId} ${x.resource.arn}`).sort());
    for (const f of findings) expect(f.properties.status).toBe("fail");
    const spots = run.results.filter((x) => x.ruleId === NOT_EVALUATED_RULE_ID);
    expect(spots).toHaveLength(r.json.collectionErrors.length);
    expect(run.results).toHaveLength(fails.length + spots.length);
  });

  it("reports each failed call once, as a warning of a rule without security severity, in its account and region", () => {
    const spots = run.results.filter((x) => x.ruleId === NOT_EVALUATED_RULE_ID);
    const describe = (e: any) => `${e.accountId} ${e.region} ${e.resourceType} ${e.operation} ${e.resourceId ?? "-"}`;
    expect(spots.map((s) => describe(s.properties)).sort()).toEqual(r.json.collectionErrors.map(describe).sort());
    const rule = run.tool.driver.rules.find((x) => x.id === NOT_EVALUATED_RULE_ID);
    expect(rule.properties).not.toHaveProperty("security-severity");
    expect(rule.properties.tags).not.toContain("security");
    expect(rule.properties["problem.severity"]).toBe("warning");
    for (const s of spots) {
      expect(s.level).toBe("warning");
      expect(run.tool.driver.rules[s.ruleIndex].id).toBe(NOT_EVALUATED_RULE_ID);
      const uri = s.locations[0].physicalLocation.artifactLocation.uri;
      expect(uri).toBe(`aws/${s.properties.accountId}/${s.properties.region}/not-evaluated`);
      expect(s.message.text).toContain(s.properties.operation);
      expect(s.message.text).toContain(s.properties.code);
    }
    expect(new Set(spots.map((s) => s.partialFingerprints.primaryLocationLineHash)).size).toBe(spots.length);
    // GetKeyPolicy of key B: the message names the call and the key.
    const policy = spots.find((s) => s.properties.operation === "GetKeyPolicy")!;
    expect(policy.message.text).toMatch(/^GetKeyPolicy failed in account \d{12}, [a-z0-9-]+ for AWS::KMS::Key 2222bbbb\S* \(\w+/);
  });

  it("has no result with a security severity that is not a real finding", () => {
    const security = new Set(run.tool.driver.rules.filter((x) => x.properties["security-severity"] !== undefined).map((x) => x.id));
    for (const res of run.results) if (security.has(res.ruleId)) expect(res.properties.status, key(res)).toBe("fail");
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

describe("a night with failed calls after a complete one", () => {
  // Night 1: the demo, complete. Night 2: the same account, but the security groups of eu-west-1
  // could not be listed and key B's policy could not be read.
  let night1: Evaluated;
  let dir: string;
  let file: string;
  beforeAll(() => {
    night1 = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    dir = suiteDir();
    const doc = readJson(DEMO_SNAPSHOT);
    const eu = doc.accounts[0].regions.find((x: any) => x.region === "eu-west-1");
    eu.resources["AWS::EC2::SecurityGroup"] = [];
    eu.errors.push({ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups", code: "UnauthorizedOperation", message: "not authorized" });
    const key = eu.resources["AWS::KMS::Key"].find((k: any) => k.KeyId.startsWith("2222bbbb"));
    delete key.Policy;
    eu.errors.push({ resourceType: "AWS::KMS::Key", resourceId: key.KeyId, operation: "GetKeyPolicy", code: "AccessDeniedException", message: "denied" });
    file = join(dir, "snapshot.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
  });

  for (const option of ["--baseline", "--last-report"]) {
    it(`${option}: a note keeps open exactly the alerts of night 1's failures that cannot be evaluated now`, () => {
      const night2 = evaluateSarif(file, DEMO_CONFIG, [option, night1.jsonFile, "--repo-root", dir]);
      expect(night2.code).toBe(3); // incomplete
      const run = night2.sarif.runs[0]!;
      const before = new Map(night1.sarif.runs[0]!.results.map((x) => [key(x), x]));
      // Which of night 1's failures cannot be evaluated now: their own check is `error`, or their type could not be listed.
      const now = night2.json.results;
      const errorKeys = new Set(now.filter((x: any) => x.status === "error" && x.resource.id !== "*").map((x: any) => `${x.ruleId} ${x.resource.arn}`));
      const unlisted = new Set(
        now.filter((x: any) => x.status === "error" && x.resource.id === "*").map((x: any) => `${x.ruleId} ${x.resource.type} ${x.resource.region}`),
      );
      const present = new Set(now.map((x: any) => `${x.ruleId} ${x.resource.arn}`));
      const failedBefore = night1.json.results.filter((x: any) => x.status === "fail");
      const expected = failedBefore
        .filter((x: any) => {
          const k = `${x.ruleId} ${x.resource.arn}`;
          return errorKeys.has(k) || (!present.has(k) && unlisted.has(`${x.ruleId} ${x.resource.type} ${x.resource.region}`));
        })
        .map((x: any) => `${x.ruleId} ${x.resource.arn}`)
        .sort();
      const notes = run.results.filter((x) => x.level === "note" && x.properties.previousStatus === "fail");
      expect(notes.map(key).sort()).toEqual(expected);
      expect(expected.length).toBeGreaterThan(5);
      expect(expected.filter((k: string) => k.startsWith("SG009 "))).toHaveLength(1); // the group open to the internet, not listed tonight
      expect(expected.filter((k: string) => /^KMS00[23] .*key\/2222bbbb/.test(k))).toHaveLength(2); // key B, policy unread
      // Nothing for a check that passed last time, though many of those cannot be evaluated either.
      const passedBefore = new Set(night1.json.results.filter((x: any) => x.status === "pass").map((x: any) => `${x.ruleId} ${x.resource.arn}`));
      expect([...errorKeys].filter((k) => passedBefore.has(k)).length).toBeGreaterThan(0);
      for (const note of notes) {
        expect(passedBefore.has(key(note))).toBe(false);
        const was = before.get(key(note))!;
        expect(note.partialFingerprints).toEqual(was.partialFingerprints);
        expect(note.locations[0].physicalLocation).toEqual(was.locations[0].physicalLocation);
        expect(note.ruleId).toBe(was.ruleId);
      }
      // The rest: tonight's failures and the two failed calls.
      const spots = run.results.filter((x) => x.ruleId === NOT_EVALUATED_RULE_ID);
      expect(spots.map((s) => s.properties.operation).sort()).toEqual(["DescribeSecurityGroups", "GetKeyPolicy"]);
      const fails = run.results.filter((x) => !notes.includes(x) && !spots.includes(x));
      expect(fails.map(key).sort()).toEqual(
        now
          .filter((x: any) => x.status === "fail")
          .map((x: any) => `${x.ruleId} ${x.resource.arn}`)
          .sort(),
      );
      // No security severity on anything but a real finding or a failure kept open.
      expect(githubProblems(night2.text)).toEqual([]);
      expect(schemaErrors(night2.sarif)).toEqual([]);
    });
  }

  it("with both, a failure in either the baseline or the last report keeps its alert open", () => {
    const only = (name: string, keep: (x: any) => boolean) => {
      const doc = readJson(night1.jsonFile);
      doc.results = doc.results.filter((x: any) => x.status !== "fail" || keep(x));
      const out = join(dir, name);
      writeFileSync(out, JSON.stringify(doc));
      return out;
    };
    const baseline = only("baseline.json", (x) => x.ruleId === "SG009");
    const last = only("last.json", (x) => x.ruleId.startsWith("KMS"));
    const night2 = evaluateSarif(file, DEMO_CONFIG, ["--baseline", baseline, "--last-report", last, "--repo-root", dir]);
    const notes = night2.sarif.runs[0]!.results.filter((x) => x.properties.previousStatus === "fail").map((x) => x.ruleId);
    expect(notes.sort()).toEqual(["KMS002", "KMS003", "SG009"]);
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
    const uri = r.sarif.runs[0]!.results[0].relatedLocations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe("inventory/night%20snapshots/acme%20%C3%A9.json");
    expect(r.sarif.runs[0]!.artifacts).toEqual([{ location: { uri }, mimeType: "application/json", roles: ["analysisTarget"] }]);
    expect(decodeURIComponent(uri)).toBe("inventory/night snapshots/acme é.json");
    expect(githubProblems(r.text)).toEqual([]);
    expect(schemaErrors(r.sarif)).toEqual([]);
    // Relative to the working directory by default.
    const fromDir = evaluateSarif(join("inventory", "night snapshots", "acme é.json"), DEMO_CONFIG, [], join(dir));
    expect(fromDir.text).toBe(r.text);
  });

  it("with the snapshot outside it, writes the same alerts without a related location in the snapshot", () => {
    const inside = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG);
    const outside = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--repo-root", join(ROOT, "fixtures/incomplete")]);
    expect(outside.code).toBe(0);
    expect(outside.stderr).toBe("");
    const run = outside.sarif.runs[0]!;
    expect(run).not.toHaveProperty("artifacts");
    expect(run.properties.snapshot).not.toHaveProperty("uri");
    for (const res of run.results) expect(res).not.toHaveProperty("relatedLocations");
    const identity = (s: Sarif) => s.runs[0]!.results.map((x) => [x.ruleId, x.locations, x.partialFingerprints, x.message]);
    expect(identity(outside.sarif)).toEqual(identity(inside.sarif));
    expect(githubProblems(outside.text)).toEqual([]);
    expect(schemaErrors(outside.sarif)).toEqual([]);
  });

  it("that is not a directory: exit 2, one line, nothing written", () => {
    const dir = tempDir();
    const out = join(dir, "x.sarif");
    const missing = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-o", out, "--repo-root", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--repo-root .*nope: directory not found/);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
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

  const bySeverity = (list: any[], sev: string) => list.filter((x) => (x.severity ?? x.properties.severity) === sev).length;

  it(`keeps the ${DEFAULT_MAX_RESULTS} most severe results by default (what GitHub keeps of a run) and says how many were left out`, () => {
    // The demo's projects name nothing in this snapshot: accepted, so the exit code says only what SARIF limits do.
    const r = evaluateSarif(file, DEMO_CONFIG, ["--repo-root", dir, "--allow-empty-scope"]);
    expect(r.code).toBe(0);
    const fails = r.json.results.filter((x: any) => x.status === "fail");
    expect(fails.length).toBe(2 * GROUPS + LOGS);
    const run = r.sarif.runs[0]!;
    expect(run.results).toHaveLength(DEFAULT_MAX_RESULTS);
    expect(bySeverity(run.results, "critical")).toBe(DEFAULT_MAX_RESULTS);
    const dropped = fails.length - DEFAULT_MAX_RESULTS;
    const notice = run.invocations[0]!.toolExecutionNotifications!.find((n) => /left out/.test(n.message.text))!;
    expect(notice.level).toBe("warning");
    expect(notice.message.text).toContain(`${dropped} results were left out of the SARIF log: it holds at most ${DEFAULT_MAX_RESULTS} (--sarif-max-results;`);
    expect(notice.message.text).toMatch(
      /Split the upload by category, e\.g\. one SARIF log per account \(--category aws-<account>\), or raise --sarif-max-results \(at most 25000\)\.$/,
    );
    expect(run.properties.resultsLeftOut).toEqual({ resultLimit: dropped, sizeLimit: 0 });
    // One line for the SARIF limit (the other warning is the big snapshot's empty project scope).
    const warnings = r.stderr
      .trim()
      .split("\n")
      .filter((l) => l.includes(r.file));
    expect(warnings).toEqual([`sagegate: warning: ${r.file}: ${notice.message.text}`]);
    expect(githubProblems(r.text)).toEqual([]);
    expect(schemaErrors(r.sarif)).toEqual([]);
  }, 120_000);

  it(`keeps up to ${MAX_RESULTS} when asked, the most severe first`, () => {
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const snapshot = readSnapshotFile(file);
    const report = buildReport({ snapshot, evaluation: evaluate(snapshot, rules, config), profile: config.profile, artifactUri: "big.json" });
    const sink = new StringSink();
    const warnings: string[] = [];
    const stats = writeSarifReport(report, sink, { maxResults: MAX_RESULTS, warn: (w) => warnings.push(w) });
    const run = (JSON.parse(sink.text()) as Sarif).runs[0]!;
    expect(run.results).toHaveLength(MAX_RESULTS);
    expect(stats.droppedForCount).toBe(2 * GROUPS + LOGS - MAX_RESULTS);
    expect(bySeverity(run.results, "critical")).toBe(GROUPS);
    expect(bySeverity(run.results, "medium")).toBe(MAX_RESULTS - GROUPS);
    expect(bySeverity(run.results, "low")).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Split the upload by category, e\.g\. one SARIF log per account \(--category aws-<account>\)\.$/);
    // ajv and GitHub's constraints only: the Multitool needs about a minute and 2 GB for this file.
    expect(githubProblems(sink.text())).toEqual([]);
  }, 120_000);

  it("--sarif-max-results: the given number, or exit 2 with one line and nothing written", () => {
    const ten = evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--sarif-max-results", "10"]);
    expect(ten.sarif.runs[0]!.results).toHaveLength(10);
    expect(ten.stderr).toMatch(/^sagegate: warning: .*: 26 results were left out of the SARIF log: it holds at most 10 /);
    expect(evaluateSarif(DEMO_SNAPSHOT, DEMO_CONFIG, ["--sarif-max-results", "25000"]).stderr).toBe("");
    for (const bad of ["0", "25001", "many", "1e3", "-5", "2.5"]) {
      const out = tempDir();
      const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "sarif", "-o", join(out, "x.sarif"), "--sarif-max-results", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trim().split("\n"), bad).toEqual([
        `sagegate: --sarif-max-results must be a whole number from 1 to 25000 (GitHub rejects a run with more results), got "${bad}"`,
      ]);
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it("keeps the gzip-compressed size under the limit by leaving out the least severe results", () => {
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const snapshot = readSnapshotFile(file);
    const report = buildReport({ snapshot, evaluation: evaluate(snapshot, rules, config), profile: config.profile, artifactUri: "big.json" });
    const full = new StringSink();
    const stats = writeSarifReport(report, full, { maxResults: MAX_RESULTS });
    expect(stats.gzipBytes).toBe(gzipSync(full.text()).length);
    expect(stats.gzipBytes).toBeLessThan(9_500_000);
    expect(stats.droppedForSize).toBe(0);

    const limit = Math.floor(stats.gzipBytes * 0.8);
    const warnings: string[] = [];
    const sink = new StringSink();
    const small = writeSarifReport(report, sink, { maxResults: MAX_RESULTS, maxGzipBytes: limit, warn: (t) => warnings.push(t) });
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
 * Reads every result's related location in the snapshot back from the file. A result about an
 * object must cover exactly that object: the lines, trimmed of indentation and a trailing comma,
 * parse as JSON to an object whose id field is the result's resource id (or, when several objects
 * share the lines, they contain it). A result without an object of its own (a failed call, a
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
    const inSnapshot = (res.relatedLocations ?? []).find((l: any) => l.physicalLocation?.artifactLocation?.index === 0);
    expect(inSnapshot, `${res.ruleId} ${res.properties.arn}: no related location in the snapshot`).toBeDefined();
    const { startLine, endLine } = inSnapshot.physicalLocation.region;
    expect(endLine).toBeGreaterThanOrEqual(startLine);
    const text = lines.slice(startLine - 1, endLine).join("\n");
    const p = res.properties;
    const spanless = res.ruleId === NOT_EVALUATED_RULE_ID || p.resourceId === "*" || res.ruleId === "MR005";
    if (spanless) {
      expect(startLine, `${res.ruleId} ${p.arn ?? p.operation}`).toBe(endLine);
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
