// `sagegate plan` on SageMaker pipeline definitions: standalone (what pipeline.definition()
// writes), inside an AWS::SageMaker::Pipeline of a template (the Terraform case is in
// terraform.test.ts). Training and processing steps become planned jobs (id <pipeline>/<step>),
// parameters resolve to --parameters or their defaults, RegisterModel steps feed the model
// package checks, and WL004 does not apply to steps.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir, withoutWrote } from "../helpers.js";

const P = "test/plan/pipelines";
const CONFIG_TEXT = "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n";

type Result = {
  ruleId: string;
  status: string;
  message: string;
  resource: { type: string; id: string; source?: { file: string; line: number; endLine?: number } };
  unresolved?: Array<{ kind: string; name: string; hint?: string }>;
};

function plan(args: string[], cwd = ROOT): { code: number; stderr: string; results: Result[]; report: any } {
  const config = join(tempDir(), "sagegate.config.yaml");
  writeFileSync(config, CONFIG_TEXT);
  const r = runCli(["plan", ...args, "--config", config, "-f", "json", "--fail-on", "none"], { cwd });
  const report = r.stdout ? JSON.parse(r.stdout) : undefined;
  return { code: r.code, stderr: withoutWrote(r.stderr), results: report?.results ?? [], report };
}

const statuses = (results: Result[], prefix = "") =>
  Object.fromEntries(results.filter((r) => r.resource.id.startsWith(prefix)).map((r) => [`${r.ruleId} ${r.resource.id}`, r.status]));

function parameters(text: string): string {
  const file = join(tempDir(), "params.properties");
  writeFileSync(file, text);
  return file;
}

describe("sagegate plan on a pipeline definition", () => {
  it("plans the jobs of its steps and gives the expected results per step", () => {
    const { code, stderr, results } = plan([`${P}/fraud-detection.json`, "--live", `${P}/live.json`]);
    expect(statuses(results, "fraud-detection/")).toEqual({
      "WL002 fraud-detection/Preprocess": "fail", // the training group on a processing step
      "WL001 fraud-detection/TrainModel": "pass", // its second subnet is the PrivateSubnet parameter's default
      "WL002 fraud-detection/Evaluate": "unresolved", // EvaluationSubnet has no default
      "ECR005 fraud-detection/CreateModel": "pass", // a Model step inside the Condition step's IfSteps
      "WL003 fraud-detection/CreateModel": "fail",
    });
    // SageMaker names the jobs when the steps run: WL004 does not apply to steps.
    expect(results.filter((r) => r.ruleId === "WL004")).toEqual([]);
    const evaluate = results.find((r) => r.resource.id === "fraud-detection/Evaluate")!;
    expect(evaluate.unresolved).toEqual([
      { kind: "parameter", name: "EvaluationSubnet", hint: "pipeline fraud-detection: no default and no value: pass --parameters" },
    ]);
    expect(results.find((r) => r.resource.id === "fraud-detection/Preprocess")!.message).toBe(
      'SecurityGroup sg-0training00000001: GroupName is "acme-ml-training", expected "acme-ml-processing" (§2.3: processing jobs use only acme-ml-processing, in private subnets)',
    );
    // The RegisterModel step (in the IfSteps) adds a version to the live group: the checks see it.
    expect(statuses(results, "rc-fraud-detection")).toEqual({
      "MR001 rc-fraud-detection": "pass",
      "MR002 rc-fraud-detection": "pass",
      "MR003 rc-fraud-detection": "pass",
      "MR004 rc-fraud-detection": "pass",
      "MR005 rc-fraud-detection": "pass",
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/the plan is incomplete: 1 check depend/);
  });

  it("points each job at its step in the definition", () => {
    const { results } = plan([`${P}/fraud-detection.json`, "--live", `${P}/live.json`]);
    const lines = readFileSync(join(ROOT, P, "fraud-detection.json"), "utf8").split("\n");
    const jobs = results.filter((r) => r.resource.id.startsWith("fraud-detection/"));
    expect(jobs.length).toBe(5);
    for (const r of jobs) {
      const s = r.resource.source!;
      expect(s.file).toBe(`${P}/fraud-detection.json`);
      expect(lines[s.line - 1]!.trim()).toBe("{");
      expect(lines[s.line]).toContain(`"Name": "${r.resource.id.split("/")[1]}"`);
      expect(s.endLine).toBeGreaterThan(s.line);
    }
  });

  it("takes parameter values from --parameters, for every pipeline or for one by name", () => {
    const publicSubnet = parameters("EvaluationSubnet=subnet-0public000000a\nModelApprovalStatus=Approved\n");
    const named = plan([`${P}/fraud-detection.json`, "--live", `${P}/live.json`, "--parameters", `fraud-detection=${publicSubnet}`]);
    const evaluate = named.results.find((r) => r.resource.id === "fraud-detection/Evaluate")!;
    expect(evaluate.status).toBe("fail");
    expect(evaluate.message).toContain("Subnet subnet-0public000000a: maps public IPv4 addresses on launch");
    // Approved without a ModelQuality report: the new version fails MR002.
    expect(statuses(named.results, "rc-fraud-detection")["MR002 rc-fraud-detection"]).toBe("fail");
    expect(named.code).toBe(0);
    const global = plan([`${P}/fraud-detection.json`, "--live", `${P}/live.json`, "--parameters", parameters("EvaluationSubnet=subnet-0private00000b\n")]);
    expect(statuses(global.results, "fraud-detection/Evaluate")).toEqual({ "WL002 fraud-detection/Evaluate": "pass" });
    expect(global.code).toBe(0);
    const wrong = plan([`${P}/fraud-detection.json`, "--parameters", `other-pipeline=${publicSubnet}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--parameters other-pipeline=…: no stack or pipeline named other-pipeline/);
  });

  it("never passes a step whose groups and subnets are not known (no --live)", () => {
    const { results } = plan([`${P}/fraud-detection.json`]);
    const got = statuses(results, "fraud-detection/");
    expect(got["WL001 fraud-detection/TrainModel"]).toBe("unresolved");
    expect(results.find((r) => r.resource.id === "fraud-detection/TrainModel")!.unresolved![0]).toMatchObject({
      kind: "resource",
      name: "sg-0training00000001",
    });
    for (const [k, v] of Object.entries(got)) if (/^WL00[12] /.test(k)) expect(v, k).not.toBe("pass");
    expect(got["ECR005 fraud-detection/CreateModel"]).toBe("pass"); // the image alone decides
  });

  it("refuses a definition file that is not valid JSON, naming the line", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.json"), '{\n  "Version": "2020-12-01",\n  "Steps": [\n    {"Name": "A", "Type": "Training",}\n  ]\n}\n');
    const r = runCli(["plan", "p.json", "--config", join(ROOT, "fixtures/demo/sagegate.config.yaml")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sagegate: p\.json:4:\d+: /);
  });
});

describe("a pipeline declared in a template (AWS::SageMaker::Pipeline)", () => {
  it("plans its jobs from the definition body, with the parts not known before deploy unresolved", () => {
    const { code, results } = plan([`${P}/pipeline-stack.yaml`, "--live", `${P}/live.json`]);
    expect(statuses(results, "rc-fraud-detection-retrain/")).toEqual({
      // The group is the template's (its id is known before deploy), the subnet the parameter's default.
      "WL001 rc-fraud-detection-retrain/Train": "pass",
      "WL002 rc-fraud-detection-retrain/Prepare": "fail", // no NetworkConfig at all
    });
    const lines = readFileSync(join(ROOT, P, "pipeline-stack.yaml"), "utf8").split("\n");
    for (const r of results.filter((x) => x.resource.id.startsWith("rc-fraud-detection-retrain/")))
      expect(lines[r.resource.source!.line - 1]).toBe("  TrainingPipeline:");
    expect(code).toBe(0);
  });

  it("reads a body CDK wrote as Fn::Join of text and tokens", () => {
    const dir = tempDir();
    const body = (parts: unknown[]) => ({ "Fn::Join": ["", parts] });
    const template = {
      Resources: {
        Group: { Type: "AWS::EC2::SecurityGroup", Properties: { GroupName: "acme-ml-processing", GroupDescription: "p", VpcId: "vpc-0platform000001" } },
        Role: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {} } },
        Pipeline: {
          Type: "AWS::SageMaker::Pipeline",
          Properties: {
            PipelineName: "etl",
            RoleArn: { "Fn::GetAtt": ["Role", "Arn"] },
            PipelineDefinition: {
              PipelineDefinitionBody: body([
                '{"Version":"2020-12-01","Steps":[{"Name":"Prepare","Type":"Processing","Arguments":{"RoleArn":"',
                { "Fn::GetAtt": ["Role", "Arn"] },
                '","NetworkConfig":{"VpcConfig":{"SecurityGroupIds":["',
                { Ref: "Group" },
                '"],"Subnets":["subnet-0private00000a"]}}}}]}',
              ]),
            },
          },
        },
      },
    };
    writeFileSync(join(dir, "etl.template.json"), JSON.stringify(template, null, 2));
    const { results } = plan(["etl.template.json", "--live", join(ROOT, P, "live.json")], dir);
    expect(statuses(results, "etl/")).toEqual({ "WL002 etl/Prepare": "pass" });
  });

  it("warns when the definition is in S3, and refuses a body that is not JSON", () => {
    const dir = tempDir();
    const template = (definition: string) =>
      `Resources:\n  P:\n    Type: AWS::SageMaker::Pipeline\n    Properties:\n      PipelineName: p\n      RoleArn: arn:aws:iam::111122223333:role/r\n      PipelineDefinition:\n${definition}`;
    writeFileSync(join(dir, "s3.yaml"), template("        PipelineDefinitionS3Location: { Bucket: b, Key: k }\n"));
    const s3 = plan(["s3.yaml"], dir);
    expect(s3.stderr).toMatch(/s3\.yaml:2: AWS::SageMaker::Pipeline P: the definition is read from S3 at deploy, so the jobs it starts are not evaluated/);
    expect(s3.code).toBe(3);
    writeFileSync(join(dir, "bad.yaml"), template('        PipelineDefinitionBody: "{not json"\n'));
    const bad = runCli(["plan", "bad.yaml", "--config", join(ROOT, "fixtures/demo/sagegate.config.yaml")], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sagegate: bad\.yaml:2: AWS::SageMaker::Pipeline P: PipelineDefinitionBody is not valid JSON/);
  });
});
