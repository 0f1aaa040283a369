// `sagegate plan` on hand-written templates: every short-form tag, Conditions, Mappings,
// parameters with and without defaults (in the three parameters-file formats), ImportValue, an
// existing VPC with and without --live, malformed templates, SARIF, and the soundness of
// unresolved values (no pass or fail that a value not known before deploy could change).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/config/config.js";
import { evaluate, type EvaluationResult } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet } from "../../src/evaluate/rule.js";
import { buildPlannedSnapshot } from "../../src/plan/build.js";
import { planInputs } from "../../src/plan/inputs.js";
import { planResults } from "../../src/plan/results.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { unresolved } from "../../src/resources/unresolved.js";
import { readJson, ROOT, runCli, tempDir, withoutWrote } from "../helpers.js";
import { validateSarifFile } from "../sarif/validators.js";

const T = join(ROOT, "test/plan/templates");
const CONFIG_TEXT = "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n";

function setup(): { dir: string; config: string } {
  const dir = tempDir();
  const config = join(dir, "sagegate.config.yaml");
  writeFileSync(config, CONFIG_TEXT);
  return { dir, config };
}

type Result = {
  ruleId: string;
  status: string;
  resource: { id: string; accountId: string; source?: { file: string; line: number; logicalId?: string } };
  unresolved?: Array<{ kind: string; name: string }>;
};

function plan(args: string[], cwd = ROOT): { code: number; stderr: string; results: Result[]; report: any } {
  const { config } = setup();
  const r = runCli(["plan", ...args, "--config", config, "-f", "json", "--fail-on", "none"], { cwd });
  const report = r.stdout ? JSON.parse(r.stdout) : undefined;
  return { code: r.code, stderr: withoutWrote(r.stderr), results: report?.results ?? [], report };
}

const statuses = (results: Result[]) => Object.fromEntries(results.map((r) => [`${r.ruleId} ${r.resource.id}`, r.status]));

describe("sagegate plan on hand-written templates", () => {
  it("resolves every short-form tag, Conditions, Mappings and defaults; an unresolved port fails SG009 anyway", () => {
    const { code, stderr, results } = plan(["test/plan/templates/workloads.yaml"]);
    expect(code).toBe(3); // InferencePort has no value: incomplete without --allow-unresolved
    expect(stderr).toMatch(/the plan is incomplete: 2 checks depend on values not known before deploy/);
    expect(statuses(results)).toEqual({
      "SG002 InferenceGroup": "pass",
      "SG007 InferenceGroup": "fail", // 0.0.0.0/0 is outside the VPC whatever the port
      "SG008 InferenceGroup": "fail", // no egress declared: EC2's default allow-all egress
      "SG009 InferenceGroup": "fail", // open to the internet whatever the port parameter
      "SG010 InferenceGroup": "unresolved", // TCP 443/8080 from the VPC: depends on the port
      "SG002 ProcessingGroup": "pass",
      "SG005 ProcessingGroup": "pass", // no ingress at all: nothing outside the table
      "SG006 ProcessingGroup": "fail",
      "SG009 ProcessingGroup": "pass",
      "SG010 ProcessingGroup": "fail", // no self rule, whatever its VPC
      "SG002 TrainingGroup": "pass",
      "SG003 TrainingGroup": "pass", // self rules folded in from standalone SecurityGroupIngress
      "SG004 TrainingGroup": "pass",
      "SG009 TrainingGroup": "pass",
      "SG010 TrainingGroup": "pass",
      "SG001 Vpc": "unresolved", // the processing group's VPC is an ImportValue
      "SG011 Vpc": "pass",
      "ECR001 acme-sm-rc-fraud-detection/training": "pass",
      "ECR002 acme-sm-rc-fraud-detection/training": "pass",
      "ECR003 acme-sm-rc-fraud-detection/training": "pass", // countNumber from the KeepImages default
      "KMS001 PlatformKey": "pass", // alias joined through TargetKeyId: !GetAtt PlatformKey.Arn
      "KMS002 PlatformKey": "pass", // aws:SourceAccount: !Ref AWS::AccountId is the key's own account
      "KMS003 PlatformKey": "pass",
      "KMS004 PlatformKey": "pass",
      "LOG001 /aws/sagemaker/ProcessingJobs": "pass", // !If on Conditions, !FindInMap
      "LOG001 /aws/sagemaker/TrainingJobs": "pass",
    });
    const sg010 = results.find((r) => r.ruleId === "SG010" && r.resource.id === "InferenceGroup")!;
    expect(sg010.unresolved).toEqual([{ kind: "parameter", name: "InferencePort", hint: "no value and no default: pass --parameters" }]);
    // ScratchRepository's Condition (IsDev) is false: not planned at all.
    expect(results.some((r) => r.resource.id === "scratch")).toBe(false);
  });

  it.each([
    ["the AWS CLI format", "params-cli.json"],
    ["a CodePipeline template configuration", "params-pipeline.json"],
    ["Key=Value lines", "params.properties"],
  ])("takes parameters and export values from %s", (_name, file) => {
    const { code, results } = plan(["test/plan/templates/workloads.yaml", "--parameters", `test/plan/templates/${file}`]);
    const s = statuses(results);
    expect(s["SG010 InferenceGroup"]).toBe("fail"); // 8080 only: TCP 443 from the VPC is missing
    expect(s["SG007 InferenceGroup"]).toBe("fail");
    // The ImportValue now names a VPC, but one the templates do not declare (and no --live):
    // whether the processing group is in this VPC is still not known.
    expect(s["SG001 Vpc"]).toBe("unresolved");
    expect(code).toBe(3);
  });

  it("gives a parameters file to one stack with STACK=FILE", () => {
    const { results } = plan(["test/plan/templates/workloads.yaml", "--parameters", "workloads=test/plan/templates/params.properties"]);
    expect(statuses(results)["SG010 InferenceGroup"]).toBe("fail");
  });

  it("evaluates a template that deploys into an existing VPC with and without --live", () => {
    const without = plan(["test/plan/templates/existing-vpc.yaml"]);
    expect(statuses(without.results)).toMatchObject({
      "SG003 TrainingGroup": "unresolved", // the VPC CIDR is not known
      "SG004 TrainingGroup": "pass",
      "SG009 TrainingGroup": "pass",
      "WL003 rc-fraud-detection-model": "unresolved", // sg-0inference… is not declared
      "MR005 rc-fraud-detection": "unresolved", // the account may have the group
    });
    expect(without.results.find((r) => r.ruleId === "SG003")!.unresolved).toEqual([
      { kind: "parameter", name: "VpcId", hint: "no value and no default: pass --parameters" },
    ]);
    const dir = tempDir();
    writeFileSync(join(dir, "vpc.properties"), "VpcId=vpc-0a1b2c3d4e5f60001\n");
    const withLive = plan(["test/plan/templates/existing-vpc.yaml", "--live", "test/plan/templates/live.json", "--parameters", join(dir, "vpc.properties")]);
    expect(withLive.code).toBe(0);
    expect(statuses(withLive.results)).toEqual({
      "SG002 TrainingGroup": "pass",
      "SG003 TrainingGroup": "pass",
      "SG004 TrainingGroup": "pass",
      "SG009 TrainingGroup": "pass",
      "SG010 TrainingGroup": "pass",
      // The live resources the plan names are evaluated with it; unrelated live resources are not.
      "SG002 sg-0inference0000001": "pass",
      "SG007 sg-0inference0000001": "pass",
      "SG008 sg-0inference0000001": "pass",
      "SG009 sg-0inference0000001": "pass",
      "SG010 sg-0inference0000001": "fail",
      "SG001 vpc-0a1b2c3d4e5f60001": "fail",
      "SG011 vpc-0a1b2c3d4e5f60001": "pass",
      "ECR005 rc-fraud-detection-model": "pass",
      "WL003 rc-fraud-detection-model": "pass",
      "MR005 rc-fraud-detection": "fail",
    });
    // The live snapshot's account and region are the plan's.
    expect(new Set(withLive.results.map((r) => r.resource.accountId))).toEqual(new Set(["111122223333"]));
  });

  it("takes --account and --region for pseudo parameters", () => {
    const { results } = plan(["test/plan/templates/workloads.yaml", "--account", "444455556666", "--region", "eu-west-1", "--allow-unresolved"]);
    expect(new Set(results.map((r) => r.resource.accountId))).toEqual(new Set(["444455556666"]));
    expect(statuses(results)["KMS002 PlatformKey"]).toBe("pass");
  });

  it.each([
    ["bad-yaml.yaml", /bad-yaml\.yaml:6:1: /],
    ["unknown-tag.yaml", /unknown-tag\.yaml:5:18: unknown tag !Bogus/],
    ["ref-to-nothing.yaml", /ref-to-nothing\.yaml:6:19: Ref to "NoSuchVpc", which is neither a parameter nor a resource/],
    ["circular.yaml", /circular\.yaml:\d+:\d+: circular dependency between resources: A → B → A/],
  ])("refuses the malformed template %s with exit 2, one line naming the file and line, nothing written", (file, message) => {
    const dir = tempDir();
    const out = join(dir, "r.json");
    const r = runCli(["plan", `test/plan/templates/malformed/${file}`, "--config", setup().config, "-f", "json", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(() => readFileSync(out)).toThrow();
  });

  it("writes SARIF that passes the validators and points at the template lines of the resources", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "infra"));
    copyFileSync(join(T, "workloads.yaml"), join(dir, "infra/workloads.yaml"));
    const sarif = join(dir, "plan.sarif");
    const r = runCli(["plan", "infra/workloads.yaml", "--config", setup().config, "-f", "sarif", "-o", sarif, "--fail-on", "none", "--allow-unresolved"], {
      cwd: dir,
    });
    expect(withoutWrote(r.stderr)).toBe("");
    expect(r.code).toBe(0);
    const log = readJson(sarif);
    const v = validateSarifFile(sarif);
    expect(v.schema).toEqual([]);
    expect(v.github).toEqual([]);
    expect(v.multitool.errors, v.multitool.problems.join("\n")).toBe(0);
    expect(v.multitool.warnings, v.multitool.problems.join("\n")).toBe(0);
    const lines = readFileSync(join(T, "workloads.yaml"), "utf8").split("\n");
    const results = log.runs[0].results as Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } } }>;
    }>;
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) {
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe("infra/workloads.yaml");
      expect(lines[loc.region.startLine - 1]).toMatch(/^ {2}[A-Za-z0-9]+:$/); // the logical id's line
      expect(loc.region.endLine).toBeGreaterThan(loc.region.startLine);
    }
    // The declaration is a file of the checkout: upload-sarif hashes its line itself, so sagegate's
    // fingerprint (rule + file + logical id or address) is sagegate/v1, not primaryLocationLineHash.
    for (const res of log.runs[0].results) {
      expect(res.partialFingerprints.primaryLocationLineHash).toBeUndefined();
      expect(res.partialFingerprints["sagegate/v1"]).toMatch(/^[0-9a-f]{16}:1$/);
    }
    // No category unless --category (upload-sarif's applies), as for evaluate.
    expect(log.runs[0].automationDetails).toBeUndefined();
  });

  it("shows file:line in the table and Markdown", () => {
    const table = runCli(["plan", "test/plan/templates/workloads.yaml", "--config", setup().config, "-f", "table", "--fail-on", "none", "--allow-unresolved"]);
    expect(table.stdout).toMatch(/test\/plan\/templates\/workloads\.y/);
    const md = runCli(["plan", "test/plan/templates/workloads.yaml", "--config", setup().config, "-f", "markdown", "--fail-on", "none", "--allow-unresolved"]);
    expect(md.stdout).toMatch(/`InferenceGroup` \(test\/plan\/templates\/workloads\.yaml:83\)/);
    expect(md.stdout).toMatch(/### Unresolved before deploy/);
  });
});

describe("unresolved values are sound", () => {
  // Every scalar of every planned object is replaced, one at a time, by an Unresolved value: a
  // result that is still pass or fail must be the result with the value known (Kleene soundness),
  // and a resource out of a rule's scope must not come into it.
  it("never turns a value not known before deploy into a pass or a fail it could change", () => {
    const config = withDefaults({ tagPrefix: "acme-ml", company: "acme", teams: ["rc"], projects: ["rc-fraud-detection"] });
    const rules = compileRuleSet(loadRuleSet(undefined, { tests: false }), new Placeholders(config));
    const dir = tempDir();
    writeFileSync(join(dir, "p.properties"), "InferencePort=8080\nshared-network-VpcId=Vpc\n");
    const context = { stacks: [], parameters: [join(dir, "p.properties")], root: ROOT };
    const run = (mutate?: (data: Record<string, unknown>, id: string) => void): Map<string, string> => {
      const sets = planInputs([join(T, "workloads.yaml")], context);
      if (mutate) for (const s of sets) for (const p of s.resources) mutate(p.data, p.id);
      const built = buildPlannedSnapshot(sets);
      const results: EvaluationResult[] = planResults(evaluate(built.snapshot, rules, config).results, built);
      return new Map(results.map((r) => [`${r.rule.def.id} ${r.resource.type} ${r.resource.id}`, r.status]));
    };
    const base = run();
    expect([...base.values()]).not.toContain("unresolved");
    const sets = planInputs([join(T, "workloads.yaml")], context);
    let mutations = 0;
    let unresolvedSeen = 0;
    for (const p of sets.flatMap((s) => s.resources)) {
      for (const path of scalarPaths(p.data)) {
        if (path[0] === idFieldOf(p.type)) continue; // the id itself is always known
        mutations++;
        const got = run((data, id) => {
          if (id === p.id) setAt(data, path, unresolved("parameter", "Mutated"));
        });
        for (const [key, status] of got) {
          if (status === "unresolved") {
            unresolvedSeen++;
            continue;
          }
          expect(`${key} ${JSON.stringify(path)} ${status}`).toBe(`${key} ${JSON.stringify(path)} ${base.get(key) ?? "no result"}`);
        }
      }
    }
    expect(mutations).toBeGreaterThan(60);
    expect(unresolvedSeen).toBeGreaterThan(30);
  });
});

const ID_FIELDS: Record<string, string> = {
  "AWS::EC2::VPC": "VpcId",
  "AWS::EC2::Subnet": "SubnetId",
  "AWS::EC2::SecurityGroup": "GroupId",
  "AWS::ECR::Repository": "repositoryName",
  "AWS::Logs::LogGroup": "logGroupName",
  "AWS::KMS::Key": "KeyId",
};

function idFieldOf(type: string): string {
  return ID_FIELDS[type] ?? "";
}

function scalarPaths(v: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return v.flatMap((x, i) => scalarPaths(x, [...path, i]));
  if (typeof v === "object" && v !== null) {
    if ("$unresolved" in v) return [];
    return Object.entries(v).flatMap(([k, x]) => scalarPaths(x, [...path, k]));
  }
  return [path];
}

function setAt(root: Record<string, unknown>, path: Array<string | number>, value: unknown): void {
  let cur: any = root;
  for (const seg of path.slice(0, -1)) cur = cur[seg];
  cur[path[path.length - 1]!] = value;
}
