// Choosing what runs: --rule / --skip-rule (ids and globs), --profile, --rules DIR added to the
// catalogue, --no-builtin-rules; `rules test` and `rules show` with an unknown id; `rules show`.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, longestLine, ROOT, runCli, tempDir } from "../helpers.js";

const evaluate = (extra: string[]) => runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--fail-on", "none", "-f", "json", ...extra]);
const ruleIds = (stdout: string) => [...new Set((JSON.parse(stdout).results as Array<{ ruleId: string }>).map((r) => r.ruleId))].sort();

/** A rules directory with one rule of its own, XX001, and its cases. */
function customRules(dir: string, id = "XX001", name = "vpc-has-an-id"): string {
  const rules = join(dir, "my-rules");
  mkdirSync(rules, { recursive: true });
  writeFileSync(
    join(rules, `${id}.yaml`),
    [
      `id: ${id}`,
      `name: ${name}`,
      "title: Every VPC has an id, a rule of our own",
      "severity: low",
      "resourceType: AWS::EC2::VPC",
      "profile: baseline",
      "design: { section: '2.1', quote: 按用途分离, english: Separate by purpose }",
      "rationale: a rationale long enough to pass the schema",
      "remediation: { text: nothing to do really, cli: aws ec2 describe-vpcs --vpc-ids <vpc-id>, fill: { vpc-id: $id } }",
      "check:",
      "  path: VpcId",
      "  regex: '^vpc-'",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(rules, `${id}.test.yaml`),
    [
      "cases:",
      "  - name: has one",
      "    resource: { VpcId: vpc-1 }",
      "    expect: pass",
      "  - name: odd id",
      "    resource: { VpcId: x-1 }",
      "    expect: fail",
      "",
    ].join("\n"),
  );
  return rules;
}

describe("--rule and --skip-rule", () => {
  it("run only the rules given, by id or glob, repeated or comma-separated, case-insensitively", () => {
    expect(ruleIds(evaluate(["--rule", "SG009"]).stdout)).toEqual(["SG009"]);
    expect(ruleIds(evaluate(["--rule", "sg00?", "--rule", "ECR001,ECR002"]).stdout)).toEqual([
      "ECR001",
      "ECR002",
      "SG001",
      "SG002",
      "SG003",
      "SG004",
      "SG005",
      "SG006",
      "SG007",
      "SG008",
      "SG009",
    ]);
    expect(ruleIds(evaluate(["--rule", "SG*", "--skip-rule", "SG00*", "--skip-rule", "SG011"]).stdout)).toEqual(["SG010"]);
  });

  it("an unknown id is exit 2 with did you mean; a glob matching nothing is exit 2", () => {
    for (const [args, message] of [
      [["--rule", "SG099"], /--rule SG099: no rule has this id; did you mean "SG009"\?/],
      [["--skip-rule", "KMS01"], /--skip-rule KMS01: no rule has this id; did you mean "KMS001"\?/],
      [["--rule", "XYZ*"], /--rule XYZ\*: the pattern matches no rule/],
      [["--rule", "SG009", "--skip-rule", "SG009"], /no rule is left to run/],
      [["--rule", "SG;009"], /--rule SG;009: a rule id or a glob/],
    ] as const) {
      const r = evaluate([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("--profile overrides the configuration; a high-security rule named outside its profile is an error, not silence", () => {
    expect(ruleIds(evaluate([]).stdout)).not.toContain("ECR006");
    expect(ruleIds(evaluate(["--profile", "high-security"]).stdout)).toEqual(expect.arrayContaining(["ECR006", "KMS005", "LOG003"]));
    const r = evaluate(["--rule", "ECR006"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rule ECR006: ECR006 belongs to the high-security profile; add --profile high-security/);
    expect(ruleIds(evaluate(["--rule", "ECR006", "--profile", "high-security"]).stdout)).toEqual(["ECR006"]);
    // A glob selects within the profile.
    expect(ruleIds(evaluate(["--rule", "ECR*"]).stdout)).toEqual(["ECR001", "ECR002", "ECR003", "ECR004", "ECR005"]);
    expect(evaluate(["--profile", "paranoid"]).code).toBe(2);
  });
});

describe("--rules DIR and --no-builtin-rules", () => {
  it("--rules adds a directory's rules to the bundled catalogue; --no-builtin-rules uses only the directories", () => {
    const rules = customRules(tempDir());
    const both = ruleIds(evaluate(["--rules", rules]).stdout);
    expect(both).toContain("XX001");
    expect(both).toContain("SG003");
    expect(ruleIds(evaluate(["--rules", rules, "--no-builtin-rules"]).stdout)).toEqual(["XX001"]);
    // Repeatable.
    const other = customRules(join(tempDir(), "b"), "YY001", "another-rule-of-ours");
    expect(ruleIds(evaluate(["--rules", rules, "--rules", other, "--no-builtin-rules"]).stdout)).toEqual(["XX001", "YY001"]);
    // And the rules commands take the same options.
    const list = runCli(["rules", "list", "--rules", rules, "--format", "json"]);
    expect(JSON.parse(list.stdout).map((x: { id: string }) => x.id)).toContain("XX001");
    const test = runCli(["rules", "test", "--rules", rules, "--no-builtin-rules"]);
    expect(test.stdout).toMatch(/^2 cases in 1 rule: 2 passed, 0 failed$/m);
    expect(test.code).toBe(0);
  });

  it("a rule id used by the catalogue and a directory is exit 2 naming both files", () => {
    const dir = tempDir();
    const rules = join(dir, "copy");
    mkdirSync(rules);
    cpSync(join(ROOT, "rules/security-groups/SG003.yaml"), join(rules, "SG003.yaml"));
    cpSync(join(ROOT, "rules/definitions.yaml"), join(rules, "definitions.yaml"));
    const r = evaluate(["--rules", rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${rules}/SG003\\.yaml:\\d+:\\d+: /id: rule id SG003 is also used by ${ROOT}/rules/security-groups/SG003\\.yaml`));
  });

  it("--no-builtin-rules without --rules is a usage error", () => {
    const r = evaluate(["--no-builtin-rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--no-builtin-rules needs at least one --rules DIR/);
  });
});

describe("sagegate rules test and rules show", () => {
  it("rules test SG999 is exit 2 with did you mean, not exit 1 and 0 cases", () => {
    const r = runCli(["rules", "test", "SG999"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SG999: no rule has this id; did you mean "SG009"\?/);
    expect(r.stdout).toBe("");
    const ok = runCli(["rules", "test", "SG00?"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/cases in 9 rules: \d+ passed, 0 failed/);
  });

  it("rules show prints the rule as a reviewer reads it", () => {
    const r = runCli(["rules", "show", "sg003"], { env: { COLUMNS: "100" } });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    const cases = readFileSync(join(ROOT, "rules/security-groups/SG003.test.yaml"), "utf8").match(/^ {2}- name: (.*)$/gm)!;
    for (const expected of [
      "SG003: Training security group ingress is exactly the design's table",
      "Severity high · profile baseline · AWS::EC2::SecurityGroup",
      "What the design says (§2.2.1, https://github.com/sagegate/sagegate/blob/v0.1.0/docs/design.md#s2-2-1)",
      "入站 All Traffic 自身 SG（分布式训练通信）",
      "In English:",
      "Inbound All Traffic from the group itself (distributed-training communication)",
      "Why it matters",
      "How to fix",
      "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions '<ip-permissions>'",
      "<sg-id> is the resource's id",
      "What it checks",
      'applies to resources where GroupName equals "acme-ml-training"',
      "passes when ingress only all traffic from itself, TCP 443 from the VPC CIDR",
      "Test cases",
    ]) {
      expect(out.replace(/\n\s*/g, " ")).toContain(expected);
    }
    for (const c of cases) expect(out.replace(/\n\s+/g, " ")).toContain(c.replace(/^ {2}- name: /, "").replace(/^"|"$/g, ""));
    // With a configuration, its values.
    const dir = tempDir();
    const config = join(dir, "c.yaml");
    writeFileSync(config, "tagPrefix: corp-ai\ncompany: corp\necr: { keepImages: 3 }\n");
    const withConfig = runCli(["rules", "show", "ECR002", "--config", config], { env: { COLUMNS: "200" } }).stdout;
    expect(withConfig).toContain('"countNumber":3');
    expect(runCli(["rules", "show", "SG003", "--config", config]).stdout).toContain('GroupName equals "corp-ai-training"');
  });

  it("rules show fits the terminal, the design's Chinese included (two columns a character)", () => {
    for (const id of ["SG010", "ECR002", "WL003", "LOG001"]) {
      const r = runCli(["rules", "show", id], { env: { COLUMNS: "80" } });
      expect(r.code).toBe(0);
      expect(longestLine(r.stdout), id).toBeLessThanOrEqual(80);
    }
  });

  it("rules show with an unknown id is exit 2 with did you mean", () => {
    const r = runCli(["rules", "show", "KMS010"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KMS010: no rule has this id; did you mean "KMS001"\?/);
  });
});
