// Issue 10: what is refused when rules and snapshots are loaded, below the CLI. Near misses of
// snapshot fields, rule paths into fields a type does not have, message placeholders nothing
// fills, and the {{ }} escape.
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/config/config.js";
import { RuleError, SnapshotError } from "../../src/errors.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet, renderMessage } from "../../src/evaluate/rule.js";
import { RESOURCE_TYPES } from "../../src/resources/catalog.js";
import { fieldsOf, nearMiss, unknownFieldProblem, withinOneEdit } from "../../src/resources/fields.js";
import type { LoadedRule, RuleDefinition } from "../../src/rules/types.js";
import { snapshotFromObject } from "../../src/snapshot/read.js";

const config = withDefaults({ tagPrefix: "acme-ml", company: "acme", teams: ["rc"], projects: ["rc-fraud-detection"] });

function rule(def: Partial<RuleDefinition> & Pick<RuleDefinition, "resourceType" | "check">): LoadedRule {
  const full: RuleDefinition = {
    id: "XX001",
    name: "xx001",
    title: "test rule",
    violationTitle: "test rule",
    severity: "high",
    kind: "security",
    profile: "baseline",
    design: { section: "1", quote: "q" },
    rationale: "r",
    remediation: { text: "t", cli: "aws x" },
    ...def,
  };
  return { def: full, file: "XX001.yaml", locate: (p) => ({ line: p.length }), tests: [] };
}

const compile = (r: LoadedRule, definitions = new Map<string, unknown>()) => compileRuleSet({ rules: [r], definitions }, new Placeholders(config));

function refusal(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuleError) return err;
    throw err;
  }
  throw new Error("not refused");
}

describe("near misses", () => {
  it("case only, or one letter added, dropped, changed or two swapped", () => {
    for (const [a, b] of [
      ["groupname", "groupname"],
      ["groupnam", "groupname"],
      ["groupnamee", "groupname"],
      ["groupnbme", "groupname"],
      ["groupnmae", "groupname"],
    ])
      expect(withinOneEdit(a!, b!), `${a} ~ ${b}`).toBe(true);
    for (const [a, b] of [
      ["grupnmae", "groupname"],
      ["group", "groupname"],
      ["vpcid", "groupid"],
    ])
      expect(withinOneEdit(a!, b!), `${a} !~ ${b}`).toBe(false);
    const known = fieldsOf("AWS::EC2::SecurityGroup")!;
    expect(nearMiss("groupName", known)).toBe("GroupName");
    expect(nearMiss("GROUPID", known)).toBe("GroupId");
    expect(nearMiss("GroupName", known)).toBeUndefined(); // exact: not a miss
    expect(nearMiss("SecurityGroupRules", known)).toBeUndefined();
  });

  it("no two known fields of a type are near misses of each other (the check could not tell which was meant)", () => {
    for (const def of RESOURCE_TYPES) {
      const known = fieldsOf(def.type)!;
      expect(known.length, def.type).toBeGreaterThan(3);
      for (const f of known) expect(nearMiss(f, known), `${def.type}.${f}`).toBeUndefined();
    }
  });

  it("a rule test case's partial resource may leave required fields out, but not misspell them", () => {
    const doc = (sg: unknown) => ({
      snapshotVersion: 1,
      collectedAt: "2026-01-01T00:00:00.000Z",
      collector: { name: "t", version: "0" },
      accounts: [{ accountId: "111122223333", regions: [{ region: "eu-west-1", resources: { "AWS::EC2::SecurityGroup": [sg] }, errors: [] }] }],
    });
    const read = (sg: unknown, partial: boolean) => [
      ...snapshotFromObject(doc(sg), "t.json", { partial }).regions[0]!.resources.get("AWS::EC2::SecurityGroup")!.items(),
    ];
    expect(read({ GroupId: "sg-1", GroupName: "x" }, true)).toHaveLength(1);
    expect(() => read({ GroupId: "sg-1", GroupName: "x" }, false)).toThrow(/missing required key "VpcId"/);
    expect(() => read({ GroupId: "sg-1", groupName: "x" }, true)).toThrow(SnapshotError);
    expect(() => read({ GroupId: "sg-1", groupName: "x" }, true)).toThrow(/did you mean "GroupName"/);
  });
});

describe("rule paths into fields a type does not have", () => {
  it("are refused with the nearest field; sub-values, $-paths and child types are judged correctly", () => {
    const err = refusal(() => compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check: { path: "groupName", equals: "x" } })));
    expect(err.message).toMatch(/"groupName" is not a field of AWS::EC2::SecurityGroup .*the nearest field is "GroupName"/);
    expect(err.place?.pointer).toBe("/check/path");
    expect(unknownFieldProblem("AWS::SageMaker::ModelPackage", "ModelApprovalStatus")).toBeUndefined();
    expect(unknownFieldProblem("AWS::SageMaker::ModelPackage", "ApprovalStatus")).toMatch(/nearest field is "ModelApprovalStatus"/);
    // Inside a quantifier the path is on an item, not on the resource.
    compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check: { every: { path: "IpPermissions[]", check: { path: "Anything", exists: true } } } }));
    compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check: { path: "$id", regex: "^sg-" } }));
    const related = refusal(() =>
      compile(rule({ resourceType: "AWS::EC2::VPC", check: { related: { type: "AWS::EC2::SecurityGroup", key: "VPCId", value: "VpcId", count: { lt: 5 } } } })),
    );
    expect(related.message).toMatch(/"VPCId" is not a field of AWS::EC2::SecurityGroup/);
    expect(related.place?.pointer).toBe("/check/related/key");
  });
});

describe("message placeholders", () => {
  const check = { path: "GroupName", equals: "x" };
  it("a rule message may use config names, {reason} and the check's evidence keys", () => {
    compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check, message: "{actual} is not {expected} ({tagPrefix}, {ecr.keepImages}): {reason}" }));
  });

  it("an unknown one is refused, with a suggestion or the hint to escape", () => {
    const typo = refusal(() => compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check, message: "{actaul}" })));
    expect(typo.message).toMatch(/the message's \{actaul\} is filled neither .*; did you mean "actual"\?/);
    expect(typo.place?.pointer).toBe("/message");
    const pattern = refusal(() => compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check, message: "{reason}: not {team}-{project}" })));
    expect(pattern.message).toMatch(/\{team\}.*write \{\{team\}\} for the literal braces/);
    const runtime = refusal(() => compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check, message: "{reason} in {region}" })));
    expect(runtime.message).toMatch(/\{region\} is filled in regexes and values, not in messages/);
  });

  it("a condition's message takes config names only, also inside definitions", () => {
    const own = refusal(() => compile(rule({ resourceType: "AWS::EC2::SecurityGroup", check: { ...check, message: "{actual} is wrong" } })));
    expect(own.message).toMatch(/this condition's message \{actual\} cannot be filled.*belong in the rule's message/);
    expect(own.place?.pointer).toBe("/check/message");
    const defs = new Map<string, unknown>([["named", { path: "GroupName", equals: "x", message: "not {tagPrefix}-{purpose}" }]]);
    const inDefinition = refusal(() =>
      compileRuleSet(
        { rules: [rule({ resourceType: "AWS::EC2::SecurityGroup", check: { use: "named" } })], definitions: defs, definitionsFile: "definitions.yaml" },
        new Placeholders(config),
      ),
    );
    expect(inDefinition.file).toBe("definitions.yaml");
    expect(inDefinition.place?.pointer).toBe("/definitions/named/message");
  });

  it("{{ and }} are literal braces in both kinds of message, never filled", () => {
    const [compiled] = compile(
      rule({ resourceType: "AWS::EC2::SecurityGroup", check: { ...check, message: "not {{tagPrefix}} but {tagPrefix}" }, message: "{{reason}}: {reason}" }),
    );
    const failures = compiled!.byType.get("AWS::EC2::SecurityGroup")!.check.explain({ GroupName: "y" }, {} as never);
    expect(compiled!.message(failures)).toBe("{reason}: not {tagPrefix} but acme-ml");
    // Evidence values are never unescaped: they are data.
    expect(renderMessage("{actual} {{x}}", [{ reason: "r", evidence: { actual: "{{a}}" } }])).toBe("{{a}} {x}");
  });
});
