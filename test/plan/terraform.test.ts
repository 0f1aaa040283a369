// `sagegate plan` on Terraform plan JSON (terraform/README.md): every catalogue rule's expected
// result per address in both formats (1.2 and 0.1), locations in the `.tf` files (and at the plan
// entry when the sources are absent), the live overlay with deletes, sensitive values in no
// output, SARIF, a real-world plan of another project, malformed plans, and the soundness of
// values known only after apply.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/config/config.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet } from "../../src/evaluate/rule.js";
import { buildPlannedSnapshot } from "../../src/plan/build.js";
import { planInputs } from "../../src/plan/inputs.js";
import { planResults } from "../../src/plan/results.js";
import { unresolved } from "../../src/resources/unresolved.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { readJson, ROOT, runCli, tempDir, withoutWrote } from "../helpers.js";
import { validateSarifFile } from "../sarif/validators.js";

const T = join(ROOT, "test/plan/terraform");
const W = join(T, "workloads");
const CONFIG_TEXT = "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n";

function config(extra = ""): string {
  const file = join(tempDir(), "sagegate.config.yaml");
  writeFileSync(file, CONFIG_TEXT + extra);
  return file;
}

type Source = { file: string; line: number; endLine?: number; address?: string };
type Result = {
  ruleId: string;
  status: string;
  message: string;
  resource: { type: string; id: string; source?: Source };
  unresolved?: Array<{ kind: string; name: string; hint?: string }>;
};

function plan(args: string[], cwd = ROOT, extraConfig = ""): { code: number; stderr: string; results: Result[]; report: any } {
  const r = runCli(["plan", ...args, "--config", config(extraConfig), "-f", "json", "--fail-on", "none"], { cwd });
  const report = r.stdout ? JSON.parse(r.stdout) : undefined;
  return { code: r.code, stderr: withoutWrote(r.stderr), results: report?.results ?? [], report };
}

/** "RULE address" → status (the subject of MR005 has no address: its id). */
const byAddress = (results: Result[]) => Object.fromEntries(results.map((r) => [`${r.ruleId} ${r.resource.source?.address ?? r.resource.id}`, r.status]));

const EXPECTED: Record<string, string> = {
  // VPCs: the main one holds all three purpose groups; the IPAM one only a training group.
  "SG001 aws_vpc.main": "pass",
  "SG011 aws_vpc.main": "pass",
  "SG001 aws_vpc.analytics": "fail", // no processing or inference group, whatever its CIDR
  "SG011 aws_vpc.analytics": "pass",
  // Training: no inline rules, so exactly the four separate rules (both resource styles, self, "all").
  "SG002 aws_security_group.training": "pass",
  "SG003 aws_security_group.training": "pass",
  "SG004 aws_security_group.training": "pass",
  "SG009 aws_security_group.training": "pass",
  "SG010 aws_security_group.training": "pass",
  // Processing: inline blocks, protocol "6" read as TCP, egress of everything.
  "SG002 aws_security_group.processing": "pass",
  "SG005 aws_security_group.processing": "pass",
  "SG006 aws_security_group.processing": "fail",
  "SG009 aws_security_group.processing": "pass",
  "SG010 aws_security_group.processing": "pass",
  // The analytics training group: TCP 443 from a CIDR allocated at apply.
  "SG002 aws_security_group.analytics_training": "pass",
  "SG003 aws_security_group.analytics_training": "unresolved",
  "SG004 aws_security_group.analytics_training": "pass", // egress: a prefix list and itself
  "SG009 aws_security_group.analytics_training": "unresolved", // the CIDR could be anything
  "SG010 aws_security_group.analytics_training": "unresolved",
  // name_prefix: a generated name, never a purpose name.
  "SG002 aws_security_group.scratch": "fail",
  // The existing endpoints group (an update), in the VPC the plan reads as a data source.
  "SG002 aws_security_group.endpoints": "pass",
  "SG009 aws_security_group.endpoints": "pass",
  // The ml module, count = 2: references through module variables.
  ...Object.fromEntries(
    [0, 1].flatMap((i) => [
      [`SG002 module.ml[${i}].aws_security_group.inference`, "pass"],
      [`SG007 module.ml[${i}].aws_security_group.inference`, "pass"],
      [`SG008 module.ml[${i}].aws_security_group.inference`, "pass"],
      [`SG009 module.ml[${i}].aws_security_group.inference`, "pass"],
      [`SG010 module.ml[${i}].aws_security_group.inference`, "pass"],
      [`ECR005 module.ml[${i}].aws_sagemaker_model.serving`, "pass"],
      [`WL003 module.ml[${i}].aws_sagemaker_model.serving`, "pass"],
      [`MR006 module.ml[${i}].aws_sagemaker_endpoint.serving`, "pass"],
      [`WL004 module.ml[${i}].aws_sagemaker_endpoint.serving`, "pass"],
    ]),
  ),
  // Repositories: the lifecycle policy is a resource of its own.
  "ECR001 aws_ecr_repository.inference": "pass",
  "ECR002 aws_ecr_repository.inference": "pass",
  "ECR003 aws_ecr_repository.inference": "pass",
  "ECR001 aws_ecr_repository.scratch": "fail",
  "ECR002 aws_ecr_repository.scratch": "fail",
  "ECR003 aws_ecr_repository.scratch": "fail",
  // Log groups: retention_in_days = 0 never expires; the endpoint's group is a no-op.
  "LOG001 aws_cloudwatch_log_group.training": "pass",
  "LOG001 aws_cloudwatch_log_group.processing": "fail",
  "LOG001 aws_cloudwatch_log_group.endpoint": "pass",
  "LOG002 aws_cloudwatch_log_group.endpoint": "pass",
  // Keys: the account comes from data.aws_caller_identity; aws_kms_key_policy replaces the default policy.
  "KMS001 aws_kms_key.platform": "pass",
  "KMS002 aws_kms_key.platform": "pass",
  "KMS003 aws_kms_key.platform": "pass",
  "KMS004 aws_kms_key.platform": "pass",
  "KMS001 aws_kms_key.loose": "pass",
  "KMS002 aws_kms_key.loose": "fail",
  "KMS003 aws_kms_key.loose": "fail",
  "KMS004 aws_kms_key.loose": "fail",
  // The experiment from the private registry: latest, outside the VPC.
  "ECR005 aws_sagemaker_model.latest": "fail",
  "WL003 aws_sagemaker_model.latest": "fail",
  // Package groups: the pipeline's RegisterModel step feeds the project's group.
  "MR001 aws_sagemaker_model_package_group.project": "pass",
  "MR002 aws_sagemaker_model_package_group.project": "pass",
  "MR003 aws_sagemaker_model_package_group.project": "unresolved", // TrainingJobName is the step's property, known when it runs
  "MR004 aws_sagemaker_model_package_group.project": "pass",
  "MR001 aws_sagemaker_model_package_group.adhoc": "fail",
  "MR005 rc-fraud-detection": "pass",
  // The pipeline's training step: the vpc-endpoints group, named by its physical id.
  "WL001 aws_sagemaker_pipeline.training": "fail",
};

describe("sagegate plan on Terraform plan JSON", () => {
  it.each(["plan-1.2.json", "plan-0.1.json"])("gives every catalogue rule's expected result per address (%s)", (file) => {
    const { code, stderr, results } = plan([`test/plan/terraform/workloads/${file}`]);
    expect(byAddress(results)).toEqual(EXPECTED);
    expect(code).toBe(3);
    expect(stderr).toMatch(/the plan is incomplete: 4 checks depend on values not known before deploy/);
    // Resources of types sagegate does not read, data sources and deleted resources give nothing.
    for (const r of results) expect(r.resource.source?.address ?? "").not.toMatch(/aws_iam_role|aws_s3_bucket|data\.|legacy/);
    // Ids: the address, or the declared name for types whose id is a name.
    const ids = new Set(results.map((r) => r.resource.id));
    for (const id of [
      "aws_security_group.training",
      "module.ml[1].aws_security_group.inference",
      "acme-sm-rc-fraud-detection/inference",
      "rc-fraud-detection-blue",
    ])
      expect(ids).toContain(id);
    // What an unresolved result needs is named: the attribute path, "known after apply".
    const sg003 = results.find((r) => r.ruleId === "SG003" && r.resource.id === "aws_security_group.analytics_training")!;
    expect(sg003.unresolved).toEqual([
      { kind: "computed", name: "aws_security_group.analytics_training.ingress[1].cidr_blocks[0]", hint: "known after apply" },
    ]);
  });

  it("passes with --allow-unresolved and fails the gate on a failure at the threshold", () => {
    const c = config();
    expect(
      runCli([
        "plan",
        "test/plan/terraform/workloads/plan-1.2.json",
        "--config",
        c,
        "-f",
        "json",
        "-o",
        join(tempDir(), "r.json"),
        "--fail-on",
        "none",
        "--allow-unresolved",
      ]).code,
    ).toBe(0);
    expect(
      runCli(["plan", "test/plan/terraform/workloads/plan-1.2.json", "--config", c, "-f", "json", "-o", join(tempDir(), "r.json"), "--fail-on", "high"]).code,
    ).toBe(1);
  });

  it("points each result at the resource block of its .tf file, and a resource without one at its plan entry", () => {
    const { results } = plan(["test/plan/terraform/workloads/plan-1.2.json", "--live", "test/plan/terraform/live.json"]);
    const planLines = readFileSync(join(W, "plan-1.2.json"), "utf8").split("\n");
    let tf = 0;
    let entries = 0;
    for (const r of results.filter((x) => x.resource.source)) {
      const s = r.resource.source!;
      const lines = readFileSync(join(ROOT, s.file), "utf8").split("\n");
      if (s.file.endsWith(".tf")) {
        tf++;
        const [, type, name] = /^(?:module\.[^.]+\.)*(?:module\.[a-z]+\[\d\]\.)?([a-z0-9_]+)\.([a-z0-9_]+)/.exec(s.address!)!;
        expect(lines[s.line - 1]).toBe(`resource "${type}" "${name}" {`);
        expect(lines[s.endLine! - 1]).toBe("}");
      } else {
        entries++;
        expect(s.file).toBe("test/plan/terraform/workloads/plan-1.2.json");
        expect(planLines[s.line]).toContain(`"address": "${s.address}"`);
      }
    }
    expect(tf).toBeGreaterThan(50);
    expect(entries).toBeGreaterThan(0); // the shared group, changed by the deleted rule only
    const models = results.filter((r) => r.resource.source?.file.endsWith("modules/ml/main.tf"));
    expect(models.length).toBeGreaterThan(10);
  });

  it("falls back to the plan entry's lines when the sources are absent, and finds them under --tf-root", () => {
    const dir = tempDir();
    cpSync(join(W, "plan-1.2.json"), join(dir, "tfplan.json"));
    const absent = plan(["tfplan.json"], dir);
    expect(byAddress(absent.results)).toEqual(EXPECTED);
    const lines = readFileSync(join(dir, "tfplan.json"), "utf8").split("\n");
    for (const r of absent.results.filter((x) => x.resource.source)) {
      const s = r.resource.source!;
      expect(s.file).toBe("tfplan.json");
      expect(lines[s.line - 1]).toBe("    {");
      expect(lines[s.line]).toContain(`"address": "${s.address}"`);
      expect(lines[s.endLine! - 1]).toMatch(/^ {4}\},?$/);
    }
    mkdirSync(join(dir, "infra"));
    cpSync(W, join(dir, "infra"), { recursive: true });
    const found = plan(["tfplan.json", "--tf-root", "infra"], dir);
    const files = new Set(found.results.map((r) => r.resource.source?.file).filter(Boolean));
    expect([...files].sort()).toEqual([
      "infra/kms.tf",
      "infra/modules/ml/main.tf",
      "infra/network.tf",
      "infra/registry.tf",
      "infra/sagemaker.tf",
      "infra/security.tf",
    ]);
  });

  it("evaluates the plan over the live account: updates replace, deletes remove, data sources give way", () => {
    const without = plan(["test/plan/terraform/workloads/plan-1.2.json"]);
    const { code, results } = plan(["test/plan/terraform/workloads/plan-1.2.json", "--live", "test/plan/terraform/live.json"]);
    expect(code).toBe(3); // the analytics VPC's CIDR is still known only after apply
    const got = byAddress(results);
    // The existing VPC the endpoints group is in: reported with the plan, and the plan deletes its training group.
    expect(got["SG001 vpc-0existing0000001"]).toBe("fail");
    expect(results.find((r) => r.ruleId === "SG001" && r.resource.id === "vpc-0existing0000001")!.message).toBe(
      "workload VPC lacks a purpose-level security group (§8.1): no security group named acme-ml-training",
    );
    expect(got["SG011 vpc-0existing0000001"]).toBe("pass");
    // The studio group loses the SSH rule the plan deletes: it no longer opens 22 to the internet.
    expect(got["SG009 aws_security_group_rule.legacy_ssh"]).toBe("pass");
    expect(results.find((r) => r.ruleId === "SG009" && r.resource.source?.address === "aws_security_group_rule.legacy_ssh")!.resource.id).toBe(
      "sg-0shared0000000001",
    );
    // The updated endpoints group replaces its live version (one result per rule, under its address).
    expect(results.filter((r) => r.resource.id === "sg-0endpoints0000001")).toEqual([]);
    expect(results.filter((r) => r.resource.id === "aws_security_group.endpoints").map((r) => r.ruleId)).toEqual(["SG002", "SG009"]);
    // Deleted and unrelated live resources are not reported.
    for (const id of ["sg-0legacy0000000001", "sg-0unrelated000001", "vpc-0unrelated000001", "sg-0processing000001"])
      expect(results.some((r) => r.resource.id === id)).toBe(false);
    // Everything else is as without the live account.
    for (const [k, v] of Object.entries(byAddress(without.results))) expect(got[k]).toBe(v);
    // The pipeline's subnet is now known (private): the training step fails only on its group.
    const wl001 = results.find((r) => r.ruleId === "WL001")!;
    expect(wl001.message).toBe(
      'SecurityGroup aws_security_group.endpoints: GroupName is "acme-ml-vpc-endpoints", expected "acme-ml-training" (§2.3: training jobs use only acme-ml-training, in private subnets)',
    );
  });

  it("never writes a sensitive value to any report or to stderr", () => {
    const dir = tempDir();
    const secret = "registry.acme.internal";
    expect(readFileSync(join(W, "plan-1.2.json"), "utf8")).toContain(secret); // the plan holds it in clear text
    const c = config("profile: high-security\n");
    const out = (f: string) => join(dir, f);
    const r = runCli(
      [
        "plan",
        "test/plan/terraform/workloads/plan-1.2.json",
        "--config",
        c,
        "--fail-on",
        "none",
        "--allow-unresolved",
        ...["-f", "json", "-o", out("r.json"), "-f", "sarif", "-o", out("r.sarif"), "-f", "markdown", "-o", out("r.md"), "-f", "table", "-o", out("r.txt")],
      ],
      { env: { GITHUB_STEP_SUMMARY: out("summary.md") } },
    );
    expect(r.code).toBe(0);
    for (const f of ["r.json", "r.sarif", "r.md", "r.txt", "summary.md"]) expect(readFileSync(out(f), "utf8"), f).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret);
    // The model is still evaluated with the value: its image is deployed by the latest tag.
    const ecr005 = (readJson(out("r.json")).results as Result[]).find((x) => x.ruleId === "ECR005" && x.resource.id === "rc-fraud-detection-latest")!;
    expect(ecr005.status).toBe("fail");
    expect(ecr005.message).toContain("container image (sensitive) is deployed by the tag latest");
    // A plan of format 0.1 cannot mark values sensitive: there the image is shown.
    const old = plan(["test/plan/terraform/workloads/plan-0.1.json", "--allow-unresolved"]);
    expect(JSON.stringify(old.report)).toContain(secret);
  });

  it("writes SARIF that passes the validators and points at the .tf lines of the resource blocks", () => {
    const dir = tempDir();
    cpSync(W, join(dir, "infra"), { recursive: true });
    const sarif = join(dir, "plan.sarif");
    const r = runCli(
      ["plan", "infra/plan-1.2.json", "--tf-root", "infra", "--config", config(), "-f", "sarif", "-o", sarif, "--fail-on", "none", "--allow-unresolved"],
      {
        cwd: dir,
      },
    );
    expect(withoutWrote(r.stderr)).toBe("");
    expect(r.code).toBe(0);
    const v = validateSarifFile(sarif);
    expect(v.schema).toEqual([]);
    expect(v.github).toEqual([]);
    expect(v.multitool.errors, v.multitool.problems.join("\n")).toBe(0);
    expect(v.multitool.warnings, v.multitool.problems.join("\n")).toBe(0);
    const log = readJson(sarif);
    const results = log.runs[0].results as Array<{
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } } }>;
    }>;
    expect(results.length).toBeGreaterThan(10);
    for (const res of results) {
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^infra\/(modules\/ml\/)?[a-z]+\.tf$/);
      const lines = readFileSync(join(dir, loc.artifactLocation.uri), "utf8").split("\n");
      expect(lines[loc.region.startLine - 1]).toMatch(/^resource "aws_[a-z_]+" "[a-z_]+" \{$/);
      expect(lines[loc.region.endLine - 1]).toBe("}");
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

  it("writes a JSON report that matches its schema, byte-identical across runs", () => {
    const args = ["plan", "test/plan/terraform/workloads/plan-1.2.json", "--config", config(), "-f", "json", "--fail-on", "none"];
    const a = runCli(args);
    const b = runCli(args);
    expect(a.stdout).toBe(b.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(readJson(join(ROOT, "schemas/report.schema.json")));
    expect(validate(JSON.parse(a.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("reads a real-world plan of another project: other types ignored, mapped ones evaluated", () => {
    // Another project's groups, keys and log groups are in no rule's scope: coverage says so (exit 3, issue 10) ...
    const strict = plan(["test/plan/terraform/real-world/plan.json"]);
    expect(strict.code).toBe(3);
    expect(strict.report.coverage.warnings.map((w: { area: string }) => w.area)).toEqual(["KMS", "LOG", "SG"]);
    expect(strict.stderr).toMatch(/SG: no security group is named acme-ml-training\|.*2 security groups and 1 VPCs were not checked by SG001–SG011/);
    // ... which --allow-empty-scope accepts; the plan itself is read without error.
    const { code, stderr, results, report } = plan(["test/plan/terraform/real-world/plan.json", "--allow-empty-scope"]);
    expect(stderr.split("\n").filter((l) => l !== "" && !l.startsWith("sagegate: warning: "))).toEqual([]);
    expect(code).toBe(0);
    expect(report.plan.warnings).toEqual([]);
    // No tag prefix: no group, VPC, log group or key is in a rule's scope; the repository is.
    expect(byAddress(results)).toEqual({
      "ECR001 aws_ecr_repository.web": "fail",
      "ECR002 aws_ecr_repository.web": "pass",
      "ECR003 aws_ecr_repository.web": "fail",
    });
    expect(new Set(results.map((r) => `${r.resource.source?.file}:${r.resource.source?.line}`))).toEqual(
      new Set(["test/plan/terraform/real-world/plan.json:732"]),
    );
    // Its region comes from the provider configuration; the database password stays out of the report.
    expect(JSON.stringify(report)).not.toContain("correct-horse-battery-staple");
    expect(report.results[0].resource.region).toBe("us-east-1");
  });
});

describe("Terraform resources as snapshot objects", () => {
  it("translates every mapped type into the SDK's field names", () => {
    const sets = planInputs([join(W, "plan-1.2.json")], { stacks: [], parameters: [], root: ROOT });
    const built = buildPlannedSnapshot(sets);
    const region = built.snapshot.regions[0]!;
    expect([region.accountId, region.region]).toEqual(["111122223333", "eu-west-1"]); // data.aws_caller_identity, the provider's region
    const get = (type: string, id: string) => [...region.resources.get(type)!.items()].find((s) => s.id === id)!.data as Record<string, any>;
    // The secondary CIDR block joins the VPC's association set.
    expect(get("AWS::EC2::VPC", "aws_vpc.main").CidrBlockAssociationSet.map((a: { CidrBlock: string }) => a.CidrBlock)).toEqual([
      "10.20.0.0/16",
      "10.21.0.0/16",
    ]);
    expect(get("AWS::EC2::Subnet", "aws_subnet.public")).toMatchObject({ SubnetId: "aws_subnet.public", VpcId: "aws_vpc.main", MapPublicIpOnLaunch: true });
    expect(get("AWS::EC2::Subnet", "aws_subnet.private[1]").MapPublicIpOnLaunch).toBe(false);
    // Every group carries what DescribeSecurityGroups always returns; Terraform removed the default egress.
    for (const id of ["aws_security_group.training", "aws_security_group.scratch", "module.ml[0].aws_security_group.inference"]) {
      const g = get("AWS::EC2::SecurityGroup", id);
      for (const field of ["GroupId", "GroupName", "Description", "VpcId", "OwnerId", "IpPermissions", "IpPermissionsEgress"])
        expect(g[field], `${id} ${field}`).toBeDefined();
    }
    expect(get("AWS::EC2::SecurityGroup", "aws_security_group.scratch")).toMatchObject({
      Description: "Managed by Terraform",
      IpPermissions: [],
      IpPermissionsEgress: [],
    });
    expect(get("AWS::EC2::SecurityGroup", "aws_security_group.scratch").GroupName).toMatch(/^acme-ml-scratch-\d{26}$/);
    expect(get("AWS::EC2::SecurityGroup", "module.ml[1].aws_security_group.inference").VpcId).toBe("aws_vpc.main"); // through var.vpc_id
    // Protocol "6" is TCP, "-1"/"all" have no ports, as EC2 returns them.
    expect(get("AWS::EC2::SecurityGroup", "aws_security_group.processing").IpPermissions).toEqual([
      { IpProtocol: "-1", IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: "aws_security_group.processing" }] },
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.20.0.0/16" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    expect(get("AWS::ECR::Repository", "acme-sm-rc-fraud-detection/inference")).toMatchObject({
      repositoryName: "acme-sm-rc-fraud-detection/inference",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: "KMS", kmsKey: get("AWS::KMS::Key", "aws_kms_key.platform").Arn },
    });
    expect(JSON.parse(get("AWS::ECR::Repository", "acme-sm-rc-fraud-detection/inference").lifecyclePolicyText).rules[0].selection.countNumber).toBe(10);
    expect(get("AWS::ECR::Repository", "scratch").lifecyclePolicyText).toBeUndefined();
    expect(get("AWS::Logs::LogGroup", "/aws/sagemaker/ProcessingJobs").retentionInDays).toBeUndefined(); // 0 = never expire
    expect(get("AWS::Logs::LogGroup", "/aws/sagemaker/TrainingJobs").retentionInDays).toBe(90);
    expect(get("AWS::KMS::Key", "aws_kms_key.platform")).toMatchObject({
      KeyManager: "CUSTOMER",
      KeyState: "Enabled",
      KeySpec: "SYMMETRIC_DEFAULT",
      KeyRotationEnabled: true,
    });
    expect(get("AWS::KMS::Key", "aws_kms_key.platform").Aliases.map((a: { AliasName: string }) => a.AliasName)).toEqual(["alias/sagemaker-platform"]);
    expect(JSON.parse(get("AWS::KMS::Key", "aws_kms_key.loose").Policy).Statement[1].Principal).toBe("*"); // aws_kms_key_policy replaced the default
    const model = get("AWS::SageMaker::Model", "rc-fraud-detection-serving-green");
    expect(model.VpcConfig).toEqual({
      SecurityGroupIds: ["module.ml[1].aws_security_group.inference"],
      Subnets: ["aws_subnet.private[0]", "aws_subnet.private[1]"],
    });
    expect(get("AWS::SageMaker::Endpoint", "rc-fraud-detection-green").EndpointConfig).toMatchObject({
      EndpointConfigName: "rc-fraud-detection-green-config",
      ProductionVariants: [{ VariantName: "primary", ModelName: "rc-fraud-detection-serving-green", InstanceType: "ml.m5.large" }],
      KmsKeyId: get("AWS::KMS::Key", "aws_kms_key.platform").Arn,
    });
    expect(get("AWS::SageMaker::ModelPackageGroup", "rc-fraud-detection").ModelPackages).toHaveLength(1); // the pipeline's RegisterModel step
    expect(get("AWS::SageMaker::TrainingJob", "rc-fraud-detection-training/Train").VpcConfig.SecurityGroupIds).toEqual(["aws_security_group.endpoints"]); // sg-0endpoints0000001
  });
});

describe("malformed Terraform plans", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["bad JSON", '{\n  "format_version": "1.2",\n  "resource_changes": [\n    {"address": }\n  ]\n}\n', /tfplan\.json:4:17: not valid JSON/],
    [
      "an unsupported major format",
      '{"format_version": "2.0", "resource_changes": []}',
      /tfplan\.json: \/format_version: format_version 2\.0 is not supported: sagegate reads Terraform plan JSON formats 0\.1 to 1\.x/,
    ],
    [
      "a state instead of a plan",
      '{"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": {}}}',
      /this is a Terraform state, not a plan/,
    ],
    [
      "a change without an address",
      '{\n  "format_version": "1.2",\n  "resource_changes": [\n    {"type": "aws_vpc", "name": "x", "change": {"actions": ["create"]}}\n  ]\n}\n',
      /tfplan\.json:4: \/resource_changes\/0: a resource change needs "address"/,
    ],
    [
      "a change without actions",
      '{\n  "format_version": "1.2",\n  "resource_changes": [\n    {"address": "aws_vpc.x", "type": "aws_vpc", "name": "x", "change": {"after": {}}}\n  ]\n}\n',
      /tfplan\.json:4: \/resource_changes\/0: a resource change needs "change" with its "actions"/,
    ],
  ];
  it.each(cases)("refuses %s with exit 2 and one line naming the file and place, nothing written", (_name, text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, "tfplan.json"), text);
    const out = join(dir, "r.json");
    const r = runCli(["plan", "tfplan.json", "--config", config(), "-f", "json", "-o", out], { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(() => readFileSync(out)).toThrow();
  });

  it("warns (and counts as unresolved) when the plan errored", () => {
    const dir = tempDir();
    const doc = readJson(join(W, "plan-1.2.json"));
    doc.errored = true;
    writeFileSync(join(dir, "tfplan.json"), JSON.stringify(doc));
    const { code, stderr, report } = plan(["tfplan.json", "--allow-unresolved"], dir);
    expect(stderr).toContain("tfplan.json:1: the plan errored (errored: true): resources Terraform did not reach are not in it");
    expect(report.plan.warnings).toHaveLength(1);
    expect(plan(["tfplan.json"], dir).code).toBe(3);
    expect(code).toBe(0);
  });
});

describe("Terraform plans in detail", () => {
  /** A plan of a few resources, with configuration, written to a temporary directory. */
  function miniPlan(changes: unknown[], resources: unknown[], extra: Record<string, unknown> = {}): string {
    const dir = tempDir();
    const doc = {
      format_version: "1.2",
      terraform_version: "1.9.8",
      resource_changes: changes,
      configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" } } } }, root_module: { resources } },
      ...extra,
    };
    writeFileSync(join(dir, "tfplan.json"), JSON.stringify(doc, null, 2));
    return join(dir, "tfplan.json");
  }
  const change = (address: string, actions: string[], after: unknown, afterUnknown: unknown, before: unknown = null) => {
    const [type, name] = address.split(".");
    return { address, mode: "managed", type, name, change: { actions, before, after, after_unknown: afterUnknown } };
  };
  const conf = (address: string, expressions: Record<string, unknown>) => {
    const [type, name] = address.split(".");
    return { address, mode: "managed", type, name, provider_config_key: "aws", expressions };
  };

  it("reads a group whose inline rules are not known as unresolved when its configuration cannot tell", () => {
    // No configuration for the group at all: "ingress: true" may be inline rules known only after apply.
    const file = miniPlan(
      [change("aws_security_group.web", ["create"], { name: "acme-ml-inference", vpc_id: "vpc-0a1b2c3d4e5f60001" }, { id: true, ingress: true, egress: true })],
      [],
    );
    const { results } = plan([file, "--live", "test/plan/templates/live.json"]);
    expect(byAddress(results)["SG007 aws_security_group.web"]).toBe("unresolved");
    // With a configuration that sets no inline rules, the provider computes them: none.
    const declared = miniPlan(
      [change("aws_security_group.web", ["create"], { name: "acme-ml-inference", vpc_id: "vpc-0a1b2c3d4e5f60001" }, { id: true, ingress: true, egress: true })],
      [conf("aws_security_group.web", { name: { constant_value: "acme-ml-inference" }, vpc_id: { constant_value: "vpc-0a1b2c3d4e5f60001" } })],
    );
    const got = byAddress(plan([declared, "--live", "test/plan/templates/live.json"]).results);
    expect(got["SG007 aws_security_group.web"]).toBe("pass"); // no ingress at all
    expect(got["SG008 aws_security_group.web"]).toBe("pass"); // Terraform removed EC2's default egress
    expect(got["SG010 aws_security_group.web"]).toBe("fail"); // so the required flows are missing
  });

  it("takes the old side of an updated rule away before adding the new one", () => {
    // The group's state lists the rules of its separate rule resources too (the provider reads them back).
    const open = {
      protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_blocks: ["0.0.0.0/0"],
      ipv6_cidr_blocks: [],
      prefix_list_ids: [],
      security_groups: [],
      self: false,
    };
    const group = { id: "sg-0tr", name: "acme-ml-training", vpc_id: "vpc-0a1b2c3d4e5f60001", ingress: [open], egress: [] };
    const file = miniPlan(
      [
        change("aws_security_group.training", ["no-op"], group, {}, group),
        change(
          "aws_vpc_security_group_ingress_rule.https",
          ["update"],
          { security_group_id: "sg-0tr", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.20.0.0/16" },
          {},
          { security_group_id: "sg-0tr", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" },
        ),
      ],
      [],
    );
    const { results } = plan([file, "--live", "test/plan/templates/live.json"]);
    const got = byAddress(results);
    expect(got["SG009 aws_security_group.training"]).toBe("pass"); // 0.0.0.0/0 is gone
    expect(results.find((r) => r.ruleId === "SG003")!.message).not.toContain("0.0.0.0/0");
  });

  it("makes a declared name not known before apply unresolved for the rules on the name", () => {
    const file = miniPlan(
      [
        change("aws_sagemaker_endpoint.serving", ["create"], { endpoint_config_name: "cfg" }, { id: true, arn: true, name: true }),
        change("aws_sagemaker_endpoint.generated", ["create"], { endpoint_config_name: "cfg" }, { id: true, arn: true, name: true }),
      ],
      [
        conf("aws_sagemaker_endpoint.serving", {
          name: { references: ["random_pet.suffix.id", "random_pet.suffix"] },
          endpoint_config_name: { constant_value: "cfg" },
        }),
        conf("aws_sagemaker_endpoint.generated", { endpoint_config_name: { constant_value: "cfg" } }),
      ],
    );
    const { results } = plan([file]);
    const wl004 = results.find((r) => r.ruleId === "WL004" && r.resource.id === "aws_sagemaker_endpoint.serving")!;
    expect(wl004.status).toBe("unresolved");
    expect(wl004.unresolved).toEqual([{ kind: "computed", name: "aws_sagemaker_endpoint.serving.name", hint: "known after apply" }]);
    // No name at all: Terraform generates one (terraform-…), never a project name.
    expect(byAddress(results)["WL004 aws_sagemaker_endpoint.generated"]).toBe("fail");
  });

  it("reads an existing VPC from the data source the plan read, where --live does not give it", () => {
    const rule = (protocol: string, port: number, cidrs: string[], self = false) => ({
      protocol,
      from_port: port,
      to_port: port,
      cidr_blocks: cidrs,
      ipv6_cidr_blocks: [],
      prefix_list_ids: [],
      security_groups: [],
      self,
      description: "",
    });
    const file = miniPlan(
      [
        change(
          "aws_security_group.training",
          ["create"],
          {
            name: "acme-ml-training",
            vpc_id: "vpc-0data",
            ingress: [rule("-1", 0, [], true), rule("tcp", 443, ["10.60.0.0/16"])],
            egress: [rule("tcp", 443, ["0.0.0.0/0"])],
          },
          { id: true },
        ),
      ],
      [
        conf("aws_security_group.training", {
          name: { constant_value: "acme-ml-training" },
          vpc_id: { references: ["data.aws_vpc.shared.id", "data.aws_vpc.shared"] },
        }),
      ],
      {
        prior_state: {
          format_version: "1.0",
          values: {
            root_module: {
              resources: [
                {
                  address: "data.aws_vpc.shared",
                  mode: "data",
                  type: "aws_vpc",
                  name: "shared",
                  values: {
                    id: "vpc-0data",
                    cidr_block: "10.60.0.0/16",
                    cidr_block_associations: [{ association_id: "a", cidr_block: "10.60.0.0/16", state: "associated" }],
                  },
                },
              ],
            },
          },
        },
      },
    );
    const { code, results } = plan([file]);
    expect(byAddress(results)["SG003 aws_security_group.training"]).toBe("pass"); // 443 from inside the VPC the data source read
    expect(results.some((r) => r.resource.id === "vpc-0data")).toBe(false); // read, not reported
    expect(code).toBe(0);
  });

  it("qualifies an address two plans of the run both declare with each plan's name", () => {
    const group = (name: string) => [
      [change("aws_security_group.this", ["create"], { name, vpc_id: "vpc-0a1b2c3d4e5f60001", ingress: [], egress: [] }, { id: true })],
      [conf("aws_security_group.this", { name: { constant_value: name } })],
    ];
    const dir = tempDir();
    const [a, b] = [group("acme-ml-training"), group("acme-ml-processing")].map((g) => miniPlan(g[0]!, g[1]!));
    cpSync(a!, join(dir, "network.json"));
    cpSync(b!, join(dir, "ml.json"));
    const { code, results } = plan(["network.json", "ml.json", "--allow-unresolved"], dir);
    expect(code).toBe(0);
    expect(new Set(results.map((r) => r.resource.id))).toEqual(new Set(["network/aws_security_group.this", "ml/aws_security_group.this"]));
    expect(new Set(results.map((r) => r.resource.source?.address))).toEqual(new Set(["aws_security_group.this"]));
  });

  it("warns when a pipeline's definition is read from S3 or known only after apply", () => {
    const file = miniPlan(
      [
        change(
          "aws_sagemaker_pipeline.s3",
          ["create"],
          { pipeline_name: "a", pipeline_definition: null, pipeline_definition_s3_location: [{ bucket: "b", object_key: "k" }] },
          { id: true },
        ),
        change("aws_sagemaker_pipeline.later", ["create"], { pipeline_name: "b" }, { id: true, pipeline_definition: true }),
      ],
      [],
    );
    const { stderr, report } = plan([file, "--allow-unresolved"]);
    expect(stderr).toMatch(
      /tfplan\.json:\d+: aws_sagemaker_pipeline aws_sagemaker_pipeline\.s3: the definition is read from S3 at apply, so the jobs it starts are not evaluated/,
    );
    expect(stderr).toMatch(
      /aws_sagemaker_pipeline\.later: the definition is not known before apply.*\(computed aws_sagemaker_pipeline\.later\.pipeline_definition/,
    );
    expect(report.plan.warnings).toHaveLength(2);
  });
});

describe("values known only after apply are sound", () => {
  // Every scalar of every planned object is replaced, one at a time, by an Unresolved value: a
  // result that is still pass or fail must be the result with the value known.
  it("never turns a value known only after apply into a pass or a fail it could change", () => {
    const cfg = withDefaults({ tagPrefix: "acme-ml", company: "acme", teams: ["rc"], projects: ["rc-fraud-detection"] });
    const rules = compileRuleSet(loadRuleSet(undefined, { tests: false }), new Placeholders(cfg));
    const context = { stacks: [], parameters: [], root: ROOT };
    const file = join(W, "plan-1.2.json");
    const run = (mutate?: (data: Record<string, unknown>, id: string) => void): Map<string, string> => {
      const sets = planInputs([file], context);
      if (mutate) for (const s of sets) for (const p of s.resources) mutate(p.data, p.id);
      const built = buildPlannedSnapshot(sets);
      return new Map(
        planResults(evaluate(built.snapshot, rules, cfg).results, built).map((r) => [`${r.rule.def.id} ${r.resource.type} ${r.resource.id}`, r.status]),
      );
    };
    const base = run();
    const sets = planInputs([file], context);
    let mutations = 0;
    for (const p of sets.flatMap((s) => s.resources)) {
      if (!["AWS::EC2::SecurityGroup", "AWS::EC2::Subnet", "AWS::SageMaker::Model", "AWS::KMS::Key"].includes(p.type)) continue;
      for (const path of scalarPaths(p.data)) {
        if (["GroupId", "SubnetId", "ModelName", "KeyId"].includes(String(path[0]))) continue;
        mutations++;
        const got = run((data, id) => {
          if (id === p.id) setAt(data, path, unresolved("computed", "Mutated"));
        });
        for (const [key, status] of got)
          if (status !== "unresolved")
            expect(`${key} ${JSON.stringify(path)} ${status}`).toBe(`${key} ${JSON.stringify(path)} ${base.get(key) ?? "no result"}`);
      }
    }
    expect(mutations).toBeGreaterThan(80);
  }, 240_000);
});

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
