// `rules list`, `rules test` and `validate` through the built CLI.
import { cpSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, ROOT, runCli, tempDir } from "../helpers.js";

describe("sagegate rules", () => {
  it("lists every rule as JSON with its design section", () => {
    const r = runCli(["rules", "list", "--format", "json"]);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; design: string }>;
    expect(rules.map((x) => x.id)).toContain("SG003");
    expect(rules.every((x) => /^\d+(\.\d+)*$/.test(x.design))).toBe(true);
  });

  it("runs every rule's cases and exits 0 when they pass", () => {
    const r = runCli(["rules", "test"]);
    expect(r.stdout).toMatch(/cases in \d+ rules: \d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it("exits 1 and names the case and file:line when a case fails", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    const testFile = join(rules, "security-groups", "SG003.test.yaml");
    writeFileSync(testFile, readFileSync(testFile, "utf8").replace("    expect: pass", "    expect: fail"));
    const r = runCli(["rules", "test", "--rules", rules, "--no-builtin-rules", "SG003"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL SG003 "exactly the design table" \(.*SG003\.test\.yaml:\d+\): expected fail, got pass/);
  });

  it("refuses a test file for a rule that does not exist", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    cpSync(join(rules, "security-groups", "SG003.test.yaml"), join(rules, "security-groups", "SG999.test.yaml"));
    const r = runCli(["rules", "test", "--rules", rules, "--no-builtin-rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SG999\.test\.yaml: test file for rule SG999, but no rule has that id/);
  });

  it("refuses two rules with the same id (in different folders)", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    cpSync(join(rules, "security-groups", "SG003.yaml"), join(rules, "ecr", "SG003.yaml"));
    const r = runCli(["rules", "list", "--rules", rules, "--no-builtin-rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SG003\.yaml:\d+:\d+: \/id: rule id SG003 is also used by .*SG003\.yaml/);
  });

  it("refuses two rules with the same name", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    const text = readFileSync(join(rules, "security-groups", "SG003.yaml"), "utf8");
    writeFileSync(join(rules, "security-groups", "SG903.yaml"), text.replace("id: SG003", "id: SG903"));
    const r = runCli(["rules", "list", "--rules", rules, "--no-builtin-rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rule name training-sg-ingress is also used by/);
  });

  it("fails when a rule has no failing case", () => {
    const dir = tempDir();
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    const testFile = join(rules, "security-groups", "SG003.test.yaml");
    writeFileSync(testFile, readFileSync(testFile, "utf8").replace(/expect: fail/g, "expect: skip"));
    const r = runCli(["rules", "test", "--rules", rules, "--no-builtin-rules"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rule SG003 has no failing test case/);
  });
});

describe("sagegate validate", () => {
  it("accepts the demo snapshot, its config and the catalogue", () => {
    const r = runCli(["validate", DEMO_SNAPSHOT, DEMO_CONFIG, join(ROOT, "rules")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid snapshot \(1 account, 2 regions, \d+ resources in the snapshot, 0 collection errors\)/);
    expect(r.stdout).toMatch(/valid configuration \(tagPrefix acme-ml/);
    expect(r.stdout).toMatch(/\d+ valid rules/);
  });

  it("names the file and line of a broken config", () => {
    const dir = tempDir();
    const file = join(dir, "c.yaml");
    writeFileSync(file, "tagPrefix: acme-ml\ncompany: acme\ncompany: again\n");
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c\.yaml:3:1: Map keys must be unique/);
  });
});
