// One table-driven test for the whole catalogue: every case of every rule, plus the
// conventions that keep the catalogue honest (ESLint's build does the same).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RuleError } from "../../src/errors.js";
import { loadRuleFile, loadRuleSet } from "../../src/rules/load.js";
import { conventionProblems, runCase } from "../../src/rules/testing.js";
import { evidenceKeys } from "../../src/evaluate/templates.js";
import { RULE_KINDS } from "../../src/rules/types.js";
import { tempDir } from "../helpers.js";

const set = loadRuleSet();

describe("rule catalogue conventions", () => {
  it("every rule has a passing and a failing case, and case names are unique", () => {
    expect(conventionProblems(set)).toEqual([]);
  });

  // Read from the files themselves: the loader fills in defaults for rule sets of users.
  it("every rule file names its failures (violationTitle, right after title) and its kind (right after severity)", () => {
    const problems: string[] = [];
    for (const rule of set.rules) {
      const text = readFileSync(rule.file, "utf8");
      const raw = parse(text) as Record<string, unknown>;
      const id = rule.def.id;
      if (typeof raw.violationTitle !== "string") problems.push(`${id}: no violationTitle`);
      else if (raw.violationTitle.trim().toLowerCase() === String(raw.title).trim().toLowerCase()) problems.push(`${id}: violationTitle repeats the title`);
      if (!(RULE_KINDS as readonly unknown[]).includes(raw.kind)) problems.push(`${id}: kind is ${JSON.stringify(raw.kind)}, not security or convention`);
      const keys = text.split("\n").flatMap((line) => /^([A-Za-z]+):/.exec(line)?.[1] ?? []);
      if (keys[keys.indexOf("title") + 1] !== "violationTitle") problems.push(`${id}: violationTitle is not the line after title`);
      if (keys[keys.indexOf("severity") + 1] !== "kind") problems.push(`${id}: kind is not the line after severity`);
    }
    expect(problems).toEqual([]);
  });

  it("naming, quota and housekeeping rules are conventions; every other rule is a security control", () => {
    const conventions = set.rules.filter((r) => r.def.kind === "convention").map((r) => r.def.id);
    expect(conventions).toEqual(["ECR001", "ECR004", "KMS001", "LOG002", "MR001", "SG011", "WL004"]);
  });
});

describe("a rule file of a user's own rule set", () => {
  const base = [
    "id: XX001",
    "name: user-rule",
    "title: Every VPC is the one in the config",
    "severity: low",
    "resourceType: AWS::EC2::VPC",
    "profile: baseline",
    "design: { section: '1', quote: q }",
    "rationale: a rationale long enough to pass",
    "remediation: { text: fix it somehow, cli: aws ec2 describe-vpcs }",
    "check: { path: VpcId, equals: vpc-1 }",
  ];
  const load = (extra: string[]) => {
    const file = join(tempDir(), "XX001.yaml");
    writeFileSync(file, [...base, ...extra, ""].join("\n"));
    return loadRuleFile(file).def;
  };

  it("without kind or violationTitle is a security rule whose failures are named by its title", () => {
    const def = load([]);
    expect(def.kind).toBe("security");
    expect(def.violationTitle).toBe("Every VPC is the one in the config");
  });

  it("keeps the kind and violation title it gives, and rejects an unknown kind", () => {
    expect(load(["kind: convention", "violationTitle: A VPC is not the one in the config"])).toMatchObject({
      kind: "convention",
      violationTitle: "A VPC is not the one in the config",
    });
    let error: unknown;
    try {
      load(["kind: style"]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).format()).toMatch(/XX001\.yaml:11:\d+: \/kind: must be one of "security", "convention"$/);
  });
});

for (const rule of set.rules) {
  describe(`${rule.def.id} ${rule.def.name}`, () => {
    rule.tests.forEach((testCase, i) => {
      it(`${testCase.expect}: ${testCase.name}`, () => {
        const outcome = runCase(set, rule, testCase, i);
        expect(outcome.problem).toBeUndefined();
        // The load-time message check relies on this table of evidence keys: it must cover what failures carry.
        const known = [...evidenceKeys(rule.def.check, set.definitions)];
        for (const evidence of outcome.result?.status === "fail" ? outcome.result.evidence : [])
          for (const key of Object.keys(evidence)) if (key !== "reason") expect(known, `evidence key "${key}"`).toContain(key);
      });
    });
  });
}
