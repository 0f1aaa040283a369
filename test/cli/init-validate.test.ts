// Starting out: `sagegate init` (with --from a snapshot), the yml spelling of the config name,
// and `validate` that recognises files by content, checks every file, and lists every problem.
import { existsSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEMO_CONFIG, DEMO_SNAPSHOT, ROOT, runCli, tempDir } from "../helpers.js";

describe("sagegate init", () => {
  it("writes a commented configuration and an empty waivers file that validate and run", () => {
    const dir = tempDir();
    const r = runCli(["init"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote sagegate\.config\.yaml and sagegate\.waivers\.yaml/);
    const config = readFileSync(join(dir, "sagegate.config.yaml"), "utf8");
    expect(config.split("\n").filter((l) => l.startsWith("#")).length).toBeGreaterThan(10);
    expect(parse(readFileSync(join(dir, "sagegate.waivers.yaml"), "utf8"))).toEqual({ waivers: [] });
    const v = runCli(["validate", "sagegate.config.yaml", "sagegate.waivers.yaml"], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/sagegate\.waivers\.yaml: valid waivers \(0 waivers\)/);
    // The files it wrote are picked up from the working directory.
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--fail-on", "none", "-f", "json"], { cwd: dir }).code).toBe(0);
  });

  it("--from the demo snapshot proposes the demo's own configuration values, saying how sure it is", () => {
    const dir = tempDir();
    const r = runCli(["init", "--from", DEMO_SNAPSHOT], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, "sagegate.config.yaml"), "utf8");
    const proposed = parse(text);
    const demo = parse(readFileSync(DEMO_CONFIG, "utf8"));
    const sorted = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v);
    for (const key of ["tagPrefix", "company", "teams", "projects", "vpcIds", "logRetentionDays", "ecr", "profile"])
      expect(sorted(proposed[key]), key).toEqual(sorted(demo[key]));
    expect(text).toMatch(
      /# \{TAG_PREFIX\}: from 5 purpose-level security groups \(acme-ml-inference, acme-ml-processing, acme-ml-studio, acme-ml-training, acme-ml-vpc-endpoints\)/,
    );
    expect(text).toMatch(/- "rc-fraud-detection" {3}# fairly sure: 2 repositories, model package group rc-fraud-detection/);
    expect(text).toMatch(/In the snapshot: vpc-0a1b2c3d4e5f60001 \(eu-west-1\)/);
    // With it, the demo evaluates exactly as with its own configuration.
    const a = JSON.parse(runCli(["evaluate", DEMO_SNAPSHOT, "-f", "json", "--fail-on", "none"], { cwd: dir }).stdout);
    const b = JSON.parse(runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "--fail-on", "none"]).stdout);
    expect(a.results).toEqual(b.results);
  });

  it("never overwrites an existing file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sagegate.config.yaml"), "tagPrefix: mine\ncompany: mine\n");
    const r = runCli(["init", "--from", DEMO_SNAPSHOT], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sagegate\.config\.yaml exists; left as it is/);
    expect(readFileSync(join(dir, "sagegate.config.yaml"), "utf8")).toBe("tagPrefix: mine\ncompany: mine\n");
    expect(existsSync(join(dir, "sagegate.waivers.yaml"))).toBe(true);
    const again = runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/nothing to write: both files exist/);
    // The .yml spelling counts as an existing configuration too.
    const yml = tempDir();
    writeFileSync(join(yml, "sagegate.config.yml"), "tagPrefix: mine\ncompany: mine\n");
    expect(runCli(["init"], { cwd: yml }).stderr).toMatch(/sagegate\.config\.yml exists/);
    expect(existsSync(join(yml, "sagegate.config.yaml"))).toBe(false);
  });
});

describe("the configuration file name", () => {
  it("sagegate.config.yml is picked up from the working directory too; both at once is refused", () => {
    const dir = tempDir();
    copyFileSync(DEMO_CONFIG, join(dir, "sagegate.config.yml"));
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "-f", "json", "--fail-on", "none"], { cwd: dir }).code).toBe(0);
    copyFileSync(DEMO_CONFIG, join(dir, "sagegate.config.yaml"));
    const both = runCli(["evaluate", DEMO_SNAPSHOT, "-f", "json", "--fail-on", "none"], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both sagegate\.config\.yaml and sagegate\.config\.yml exist/);
  });
});

describe("sagegate validate", () => {
  it("recognises waivers files and JSON reports by their content, whatever their names", () => {
    const dir = tempDir();
    const waivers = join(dir, "accepted.yaml");
    writeFileSync(waivers, "waivers:\n  - rule: SG009\n    resource: sg-1\n    reason: a reason long enough\n    owner: me\n    expires: 2030-01-01\n");
    const report = join(dir, "last-night.txt");
    writeFileSync(report, runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "--fail-on", "none"]).stdout);
    const r = runCli(["validate", waivers, report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${waivers}: valid waivers (1 waiver)`);
    expect(r.stdout).toContain(`${report}: valid report (36 failing or waived findings)`);
  });

  it("checks every file it is given, continuing after a bad one, and exits 2", () => {
    const dir = tempDir();
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "tagPrefix: acme\ncompany: [1]\n");
    const r = runCli(["validate", bad, DEMO_CONFIG, join(dir, "missing.yaml"), DEMO_SNAPSHOT]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/valid configuration/);
    expect(r.stdout).toMatch(/valid snapshot/);
    expect(r.stderr).toMatch(/bad\.yaml:2:\d+: \/company: must be string/);
    expect(r.stderr).toMatch(/missing\.yaml: file not found/);
    expect(r.stderr).toMatch(/2 of 4 files are not valid/);
  });

  it("prints every schema problem of a file, up to 20, each with its line", () => {
    const dir = tempDir();
    const file = join(dir, "c.yaml");
    writeFileSync(file, "tagPrefix: acme\ncompany: acme\nprofile: paranoid\nlogRetentionDays: { endpoints: 15, studio: 8 }\necr: { keepImages: 0 }\n");
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/c\.yaml:3:\d+: \/profile: must be one of "baseline", "high-security"/),
      expect.stringMatching(/c\.yaml:4:\d+: \/logRetentionDays\/endpoints: must be one of/),
      expect.stringMatching(/c\.yaml:4:\d+: \/logRetentionDays\/studio: must be one of/),
      expect.stringMatching(/c\.yaml:5:\d+: \/ecr\/keepImages: must be >= 1/),
    ]);
    const many = join(dir, "w.yaml");
    writeFileSync(
      many,
      "waivers:\n" + Array.from({ length: 30 }, (_, i) => `  - { rule: SG00${i % 10}, resource: r, reason: short, owner: me, expires: 2030-01-01 }\n`).join(""),
    );
    const capped = runCli(["validate", many]);
    expect(capped.stderr.trim().split("\n")).toHaveLength(20);
  });

  it("names every bad resource object of a snapshot, in file order, not only the first (up to 20)", () => {
    const dir = tempDir();
    const snap = JSON.parse(readFileSync(DEMO_SNAPSHOT, "utf8"));
    const resources = snap.accounts[0].regions[0].resources;
    delete resources["AWS::EC2::SecurityGroup"][0].GroupId;
    resources["AWS::EC2::SecurityGroup"][1].GroupName = 5;
    resources["AWS::ECR::Repository"][0].repositoryNme = "x";
    resources["AWS::ECR::Repository"][1].repositoryName = resources["AWS::ECR::Repository"][2].repositoryName;
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify(snap, null, 1));
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/s\.json:\d+:\d+: \/accounts\/0\/regions\/0\/resources\/AWS::EC2::SecurityGroup\/0: missing required key "GroupId"$/),
      expect.stringMatching(/s\.json:\d+:\d+: \/accounts\/0\/regions\/0\/resources\/AWS::EC2::SecurityGroup\/1\/GroupName: must be string/),
      expect.stringMatching(/AWS::ECR::Repository\/0\/repositoryNme: unknown field "repositoryNme"; did you mean "repositoryName"\?/),
      expect.stringMatching(/duplicate AWS::ECR::Repository id/),
    ]);
    for (let i = 0; i < 30; i++) delete resources["AWS::EC2::SecurityGroup"][i % resources["AWS::EC2::SecurityGroup"].length].GroupId;
    resources["AWS::EC2::SecurityGroup"].push(...Array.from({ length: 30 }, (_, i) => ({ ...resources["AWS::EC2::SecurityGroup"][0], GroupName: `g${i}` })));
    writeFileSync(file, JSON.stringify(snap));
    expect(runCli(["validate", file]).stderr.trim().split("\n")).toHaveLength(20);
  });

  it("lists every schema problem of a JSON report too", () => {
    const dir = tempDir();
    const report = JSON.parse(runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "--fail-on", "none"]).stdout);
    report.results[0].status = "maybe";
    report.results[3].severity = "urgent";
    delete report.summary;
    const file = join(dir, "r.json");
    writeFileSync(file, JSON.stringify(report));
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/r\.json: \/: missing required key "summary"$/),
      expect.stringMatching(/r\.json: \/results\/0\/status: must be one of "pass", "fail", "error", "waived"$/),
      expect.stringMatching(/r\.json: \/results\/3\/severity: must be one of/),
    ]);
  });

  it("a misspelt top-level key is named as unknown with did you mean, not as a missing required key", () => {
    const dir = tempDir();
    const config = join(dir, "c.yaml");
    writeFileSync(config, "tagprefix: acme-ml\ncompany: acme\n");
    const v = runCli(["validate", config]);
    expect(v.stderr.trim()).toMatch(/c\.yaml:1:1: \/tagprefix: unknown key "tagprefix"; did you mean "tagPrefix"\?$/);
    // evaluate says the same in its one line.
    const e = runCli(["evaluate", DEMO_SNAPSHOT, "--config", config, "-f", "json"]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/unknown key "tagprefix"; did you mean "tagPrefix"\?/);
    const waivers = join(dir, "w.yaml");
    writeFileSync(waivers, "waivers:\n  - rules: SG009\n    resource: sg-1\n    reason: a reason long enough\n    owner: me\n    expires: 2030-01-01\n");
    const w = runCli(["validate", waivers]);
    expect(w.code).toBe(2);
    expect(w.stderr.trim().split("\n")).toEqual([expect.stringMatching(/w\.yaml:2:5: \/waivers\/0\/rules: unknown key "rules"; did you mean "rule"\?$/)]);
  });

  it("the catalogue and the demo still validate", () => {
    const r = runCli([
      "validate",
      join(ROOT, "rules"),
      DEMO_CONFIG,
      DEMO_SNAPSHOT,
      join(ROOT, "rules/definitions.yaml"),
      join(ROOT, "rules/ecr/ECR002.yaml"),
      join(ROOT, "rules/ecr/ECR002.test.yaml"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(6);
  });
});
