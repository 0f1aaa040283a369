// Issue 10, section 1: a run that checked nothing is not a clean run. Through the CLI as a user
// runs it: a typo'd tagPrefix, a configured VPC or project the snapshot lacks, --allow-empty-scope,
// zero rules, vacuous passes, misspelt snapshot fields, and rules that cannot match.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const VPC = "vpc-0a1b2c3d4e5f60001";

const anyPort = (cidr: string) => ({
  IpProtocol: "tcp",
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: cidr }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
});
const egress443 = {
  IpProtocol: "tcp",
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: "0.0.0.0/0" }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
};

function sg(id: string, name: string, ingress: unknown[] = []) {
  return { GroupId: id, GroupName: name, VpcId: VPC, OwnerId: ACCOUNT, Description: name, IpPermissions: ingress, IpPermissionsEgress: [egress443] };
}

/** A workload VPC whose training group allows SSH from the internet (SG009, critical), and a few other groups. */
function sshOpenSnapshot(): any {
  return {
    snapshotVersion: 1,
    collectedAt: "2026-11-28T02:00:00.000Z",
    collector: { name: "sagegate", version: "0.1.0" },
    accounts: [
      {
        accountId: ACCOUNT,
        regions: [
          {
            region: REGION,
            resources: {
              "AWS::EC2::VPC": [
                {
                  VpcId: VPC,
                  CidrBlock: "10.20.0.0/16",
                  CidrBlockAssociationSet: [{ CidrBlock: "10.20.0.0/16", CidrBlockState: { State: "associated" } }],
                  State: "available",
                },
              ],
              "AWS::EC2::SecurityGroup": [
                sg("sg-0000000000000001", "default"),
                sg("sg-0000000000000002", "gx-ml-training", [anyPort("0.0.0.0/0")]),
                sg("sg-0000000000000003", "gx-ml-processing"),
                sg("sg-0000000000000004", "gx-ml-inference"),
              ],
            },
            errors: [],
          },
        ],
      },
    ],
  };
}

function setup(configText: string, snapshot: unknown = sshOpenSnapshot()) {
  const dir = tempDir();
  const config = join(dir, "sagegate.config.yaml");
  const file = join(dir, "snapshot.json");
  writeFileSync(config, configText);
  writeFileSync(file, JSON.stringify(snapshot, null, 2));
  return { dir, config, file, out: join(dir, "report.json") };
}

const config = (tagPrefix: string, extra = "") => `tagPrefix: ${tagPrefix}\ncompany: gx\nteams: [rc]\n${extra}`;

describe("an empty scope is not a clean run", () => {
  it("a typo'd tagPrefix (gx_ml for gx-ml) exits 3 with one warning naming the area, the counts and tagPrefix", () => {
    const { config: c, file, out } = setup(config("gx_ml"));
    const r = runCli(["evaluate", file, "-c", c, "--fail-on", "critical", "-o", out]);
    expect(r.code, r.stderr).toBe(3);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("sagegate: warning:"));
    expect(warnings).toEqual([
      "sagegate: warning: SG: no security group is named gx_ml-training|processing|inference|studio|vpc-endpoints; 4 security groups and 1 VPCs were not checked by SG001–SG011: check tagPrefix",
    ]);
    expect(r.stderr).toMatch(/the scan checked nothing for SG .*--allow-empty-scope/);
    const report = readJson(out);
    const sg009 = report.coverage.rules.find((x: any) => x.ruleId === "SG009");
    expect(sg009).toEqual({
      ruleId: "SG009",
      area: "SG",
      resourceTypes: ["AWS::EC2::SecurityGroup"],
      resources: 4,
      inScope: 0,
      byStatus: { pass: 0, fail: 0, error: 0, waived: 0 },
    });
    expect(report.coverage.warnings).toEqual([expect.objectContaining({ kind: "empty-scope", area: "SG", configKeys: ["tagPrefix"] })]);
  });

  it("the right prefix finds the SSH-open training group: exit 1, and nothing to warn about", () => {
    const { config: c, file, out } = setup(config("gx-ml"));
    const r = runCli(["evaluate", file, "-c", c, "--fail-on", "critical", "-o", out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/warning/);
    const report = readJson(out);
    expect(report.coverage.warnings).toEqual([]);
    expect(report.coverage.rules.find((x: any) => x.ruleId === "SG009")).toMatchObject({ resources: 4, inScope: 3, byStatus: { pass: 2, fail: 1 } });
  });

  it("--allow-empty-scope keeps the warning but exits 0, or 1 when something at the threshold fails", () => {
    const typo = setup(config("gx_ml"));
    const clean = runCli(["evaluate", typo.file, "-c", typo.config, "--fail-on", "critical", "-o", typo.out, "--allow-empty-scope"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/^sagegate: warning: SG: no security group is named gx_ml-training/m);
    // The demo has a critical failure (KMS004); a configured VPC that is absent does not hide it.
    const dir = tempDir();
    const vpcConfig = join(dir, "c.yaml");
    writeFileSync(vpcConfig, readFileSync(DEMO_CONFIG, "utf8").replace(/^vpcIds: \[\].*$/m, "vpcIds: [vpc-0a1b2c3d4e5f60001, vpc-0deadbeef0000001]"));
    const failing = runCli([
      "evaluate",
      DEMO_SNAPSHOT,
      "-c",
      vpcConfig,
      "--fail-on",
      "critical",
      "-f",
      "json",
      "-o",
      join(dir, "r.json"),
      "--allow-empty-scope",
    ]);
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stderr).toMatch(/^sagegate: warning: vpcIds: vpc-0deadbeef0000001 is not in the snapshot/m);
  });

  it("a configured VPC the snapshot does not contain exits 3 with a warning naming it and vpcIds", () => {
    const { config: c, file, out } = setup(config("gx-ml", "vpcIds: [vpc-0a1b2c3d4e5f60001, vpc-0fffffffffffff999]\n"));
    const r = runCli(["evaluate", file, "-c", c, "--fail-on", "none", "-o", out]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(
      "sagegate: warning: vpcIds: vpc-0fffffffffffff999 is not in the snapshot (1 VPC in 1 region), so nothing was checked in it: check vpcIds\n",
    );
    expect(readJson(out).coverage.warnings).toEqual([
      expect.objectContaining({ kind: "not-in-snapshot", configKeys: ["vpcIds"], values: ["vpc-0fffffffffffff999"] }),
    ]);
  });

  it("a configured project nothing in the snapshot is named for exits 3 (a typo: algo-recomendation)", () => {
    const dir = tempDir();
    const c = join(dir, "c.yaml");
    writeFileSync(c, readFileSync(DEMO_CONFIG, "utf8").replace("algo-recommendation]", "algo-recomendation]"));
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", c, "--fail-on", "none", "-f", "json", "-o", join(dir, "r.json")]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /^sagegate: warning: projects: no model package group, job, model, endpoint, ECR repository or log group .* named for algo-recomendation: check projects$/m,
    );
  });

  it("the demo checks something in every area: no warning, and coverage in every format", () => {
    const dir = tempDir();
    const json = join(dir, "r.json");
    const md = join(dir, "r.md");
    const txt = join(dir, "r.txt");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--fail-on", "none", "-o", json, "-o", md, "-o", txt]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`sagegate: wrote ${json} (json), ${md} (markdown), ${txt} (table)\n`); // and no warning
    const report = readJson(json);
    expect(report.coverage.warnings).toEqual([]);
    expect(report.coverage.rules.map((x: any) => x.ruleId)).toEqual(report.rules.map((x: any) => x.id));
    for (const c of report.coverage.rules) {
      const own = report.results.filter((x: any) => x.ruleId === c.ruleId);
      expect(c.inScope).toBe(own.length);
      expect(c.byStatus.fail).toBe(own.filter((x: any) => x.status === "fail").length);
    }
    expect(report.coverage.rules.find((x: any) => x.ruleId === "MR005")).toMatchObject({ subjects: "projects", inScope: 2 });
    expect(readFileSync(md, "utf8")).toMatch(
      /<details><summary>Coverage: \d+ of \d+ rules had something in scope<\/summary>[\s\S]*\| \[SG009\]\(https:\/\/github\.com\/sagegate\/sagegate\/blob\/v0\.1\.0\/docs\/rules\/SG009\.md\) \| 10 \| 5 \| 4 \| 1 \| 0 \| 0 \|/,
    );
    expect(readFileSync(txt, "utf8")).toMatch(/│ SG009\s+│\s+10 │\s+5 │\s+4 │\s+1 │\s+0 │\s+0 │/);
  });

  it("the Markdown report and the summary line say what was not checked", () => {
    const { config: c, file, dir } = setup(config("gx_ml"));
    const md = join(dir, "r.md");
    const r = runCli(["evaluate", file, "-c", c, "--fail-on", "none", "-o", md, "--allow-empty-scope"]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(md, "utf8");
    expect(text).not.toMatch(/all checks passed/);
    expect(text).toMatch(/> \[!WARNING\]\n> Nothing was checked: SG: no security group is named gx_ml-training\\\|processing/);
    expect(text).toMatch(/NOTHING CHECKED for SG/);
  });
});

describe("zero rules is bad input", () => {
  it("--rules on an empty directory exits 2 with one line and writes nothing", () => {
    const dir = tempDir();
    const empty = join(dir, "emptydir");
    mkdirSync(empty);
    const out = join(dir, "r.json");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--rules", empty, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sagegate: ${empty}: no rules found (rule files are <area>/<ID>.yaml); a run without rules would check nothing\n`);
    expect(existsSync(out)).toBe(false);
    expect(runCli(["rules", "test", "--rules", empty]).code).toBe(2);
  });

  it("rules that all belong to another profile exit 2 too", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "rules", "ecr"), { recursive: true });
    cpSync(join(ROOT, "rules/ecr/ECR006.yaml"), join(dir, "rules/ecr/ECR006.yaml"));
    const r = runCli([
      "evaluate",
      DEMO_SNAPSHOT,
      "-c",
      DEMO_CONFIG,
      "--rules",
      join(dir, "rules"),
      "--no-builtin-rules",
      "-f",
      "json",
      "-o",
      join(dir, "r.json"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sagegate: \S+rules: none of the 1 rules runs under profile baseline .*check nothing\n$/);
    expect(readdirSync(dir)).toEqual(["rules"]);
  });
});

describe("no vacuous passes", () => {
  it("a model whose VpcConfig is {} and an endpoint config with no variants fail, saying the lists are empty", () => {
    const doc = readJson(DEMO_SNAPSHOT);
    const eu = doc.accounts[0].regions.find((r: any) => r.region === REGION);
    const model = eu.resources["AWS::SageMaker::Model"].find((m: any) => m.VpcConfig);
    model.VpcConfig = {};
    const endpoint = eu.resources["AWS::SageMaker::Endpoint"][0];
    endpoint.EndpointConfig.ProductionVariants = [];
    const { file, out } = setup(readFileSync(DEMO_CONFIG, "utf8"), doc);
    const r = runCli(["evaluate", file, "-c", DEMO_CONFIG, "--fail-on", "high", "-o", out]);
    expect(r.code, r.stderr).toBe(1);
    const results = readJson(out).results;
    const wl003 = results.find((x: any) => x.ruleId === "WL003" && x.resource.id === model.ModelName);
    expect(wl003).toMatchObject({ status: "fail" });
    expect(wl003.message).toContain("the model's VpcConfig lists no security group (SecurityGroupIds is empty or missing)");
    expect(wl003.message).toContain("the model's VpcConfig lists no subnet (Subnets is empty or missing)");
    const mr006 = results.find((x: any) => x.ruleId === "MR006" && x.resource.id === endpoint.EndpointName);
    expect(mr006).toMatchObject({ status: "fail" });
    expect(mr006.message).toContain("the endpoint config has no ProductionVariants");
  });
});

describe("misspelt snapshot fields are refused", () => {
  it("groupName instead of GroupName: exit 2, file, line and pointer, did you mean GroupName", () => {
    const doc = sshOpenSnapshot();
    const group = doc.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"][1];
    group.groupName = group.GroupName;
    delete group.GroupName;
    const { config: c, file, out } = setup(config("gx-ml"), doc);
    const r = runCli(["evaluate", file, "-c", c, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sagegate: \S+snapshot\.json:\d+:\d+: \/accounts\/0\/regions\/0\/resources\/AWS::EC2::SecurityGroup\/1\/groupName: unknown field "groupName"; did you mean "GroupName"\?.*\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("one edit away (IpPermission) is refused; a field not near any known one stays allowed", () => {
    const near = sshOpenSnapshot();
    const g = near.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"][0];
    g.IpPermission = g.IpPermissions;
    const a = setup(config("gx-ml"), near);
    const r = runCli(["validate", a.file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown field "IpPermission"; did you mean "IpPermissions"?');
    const far = sshOpenSnapshot();
    far.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"][0].SomeFieldAwsAddedLater = { enabled: true };
    const b = setup(config("gx-ml"), far);
    expect(runCli(["validate", b.file]).code).toBe(0);
  });

  it("a security group without IpPermissions is refused (required: AWS always returns it)", () => {
    const doc = sshOpenSnapshot();
    delete doc.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"][2].IpPermissions;
    const { file } = setup(config("gx-ml"), doc);
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AWS::EC2::SecurityGroup\/2: missing required key "IpPermissions"\n$/);
  });

  it("a KMS key kept as the ListKeys summary after DescribeKey failed is accepted; its rules report error", () => {
    const doc = sshOpenSnapshot();
    const region = doc.accounts[0].regions[0];
    const keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    region.resources["AWS::KMS::Key"] = [{ KeyId: keyId, KeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` }];
    region.errors = [{ resourceType: "AWS::KMS::Key", operation: "DescribeKey", resourceId: keyId, code: "AccessDeniedException", message: "denied" }];
    const { config: c, file, out } = setup(config("gx-ml"), doc);
    const r = runCli(["evaluate", file, "-c", c, "--fail-on", "none", "-o", out]);
    expect(r.code, r.stderr).toBe(3);
    const kms = readJson(out).results.filter((x: any) => x.ruleId.startsWith("KMS"));
    expect(kms.length).toBeGreaterThan(0);
    expect(kms.every((x: any) => x.status === "error")).toBe(true);
    // The same summary without a recorded error is a snapshot that lost its data: refused.
    region.errors = [];
    const bad = setup(config("gx-ml"), doc);
    expect(runCli(["validate", bad.file]).stderr).toMatch(/AWS::KMS::Key\/0: missing required key "Arn"/);
  });
});

describe("rules that cannot match are refused at load", () => {
  function customRules(edit: (text: string) => string): string {
    const dir = tempDir();
    mkdirSync(join(dir, "rules", "security-groups"), { recursive: true });
    writeFileSync(join(dir, "rules/security-groups/SG009.yaml"), edit(readFileSync(join(ROOT, "rules/security-groups/SG009.yaml"), "utf8")));
    cpSync(join(ROOT, "rules/definitions.yaml"), join(dir, "rules/definitions.yaml"));
    return join(dir, "rules");
  }

  it("a path whose first field the resource type does not have: exit 2 with file, line and the nearest field", () => {
    const rules = customRules((t) => t.replace("scope:\n  use: workloadSecurityGroup", "scope:\n  path: GroupNme\n  in: [gx-ml-training]"));
    const out = join(rules, "..", "r.json");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--rules", rules, "--no-builtin-rules", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sagegate: \S+SG009\.yaml:\d+:\d+: \/scope\/path: "GroupNme" is not a field of AWS::EC2::SecurityGroup .*; the nearest field is "GroupName"\n$/,
    );
    expect(existsSync(out)).toBe(false);
    // rules test and validate refuse it the same way.
    expect(runCli(["validate", rules]).stderr).toMatch(/SG009\.yaml:\d+:\d+: \/scope\/path: "GroupNme" is not a field/);
  });

  it("a message placeholder neither the evidence nor the configuration fills: exit 2 with file and line", () => {
    // Misspelt in both languages: a Chinese that differs from its English is refused on its own (test/i18n/catalogue.test.ts).
    const rules = customRules((t) =>
      t
        .replace('message: "ingress {permission} is open', 'message: "ingress {permision} is open')
        .replace("入站 {permission} 向互联网开放", "入站 {permision} 向互联网开放"),
    );
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--rules", rules, "--no-builtin-rules", "-f", "json", "-o", "-"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sagegate: \S+SG009\.yaml:\d+:\d+: \/message: the message's \{permision\} is filled neither by the evidence .*; did you mean "permission"\?\n$/,
    );
    expect(r.stdout).toBe("");
  });

  it("{{ and }} write literal braces", () => {
    const rules = customRules((t) => t.replace('message: "ingress {permission} is open', 'message: "{{team}}: ingress {permission} is open'));
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "-c", DEMO_CONFIG, "--rules", rules, "--no-builtin-rules", "--fail-on", "none", "-f", "json", "-o", "-"]);
    expect(r.code, r.stderr).toBe(0);
    const failed = JSON.parse(r.stdout).results.find((x: any) => x.status === "fail");
    expect(failed.message).toMatch(/^\{team\}: ingress TCP 22 is open to the internet/);
  });
});
