// Faults that once read as "none exists" or held a scan, each reproduced against the loopback
// AWS server through the real SDK clients: HTTP 200 answers that are not AWS answers, bodies
// that stall or trickle, retries cut short by the SDK's retry quota, progress counts mixed up
// between types, short secrets echoed in error messages.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRules } from "../../src/cli/evaluate.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { snapshotFromObject } from "../../src/snapshot/read.js";
import type { SnapshotFile } from "../../src/snapshot/types.js";
import { CLI, DEMO_CONFIG, readJson, ROOT, tempDir, type RunResult } from "../helpers.js";
import { cliEnv, collectFrom, demoFixture, server } from "./harness.js";
import type { FaultKind, Obj } from "./server.js";

const EU = "eu-west-1";

/** Evaluates a collected snapshot with the demo configuration: "RULE region id" → status. */
function statuses(doc: SnapshotFile): Map<string, string> {
  const { config, rules } = prepareRules({ config: DEMO_CONFIG });
  const { results } = evaluate(snapshotFromObject(doc), rules, config);
  return new Map(results.map((r) => [`${r.rule.def.id} ${r.resource.region} ${r.resource.id}`, r.status]));
}

function ofRule(st: Map<string, string>, rule: string): Array<[string, string]> {
  return [...st].filter(([k]) => k.startsWith(`${rule} `));
}

function region(doc: SnapshotFile, name = EU) {
  return doc.accounts[0]!.regions.find((r) => r.region === name)!;
}

function runCliAsync(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const NOT_ANSWERS: FaultKind[] = ["empty-body", "empty-object"];

describe("HTTP 200 answers that are not AWS answers are errors, never 'none exists'", () => {
  for (const kind of NOT_ANSWERS) {
    it(`ListModelPackages answering ${kind}: MalformedResponse per group, MR002–MR004 report error instead of passing`, async () => {
      const s = await server({ faults: [{ kind, service: "sagemaker", operation: "ListModelPackages" }] });
      const { snapshot, stats } = await collectFrom(s, { regions: [EU] });
      const errors = region(snapshot).errors.filter((e) => e.operation === "ListModelPackages");
      const groups = demoFixture().accounts[0]!.regions[0]!.resources["AWS::SageMaker::ModelPackageGroup"]!.map((g) => g.ModelPackageGroupName);
      expect(errors.map((e) => e.resourceId).sort()).toEqual([...groups].sort());
      for (const e of errors) {
        expect(e.code).toBe("MalformedResponse");
        expect(e.message).toMatch(/^HTTP 200 without the "ModelPackageSummaryList" list \(page 1\): not an AWS answer/);
      }
      expect(stats.errors).toBe(groups.length);
      // The groups themselves are kept, without the packages field (never an empty list).
      for (const g of region(snapshot).resources["AWS::SageMaker::ModelPackageGroup"]!) expect(g.ModelPackages).toBeUndefined();
      const st = statuses(snapshot);
      for (const rule of ["MR002", "MR003", "MR004"]) {
        const results = ofRule(st, rule);
        expect(results.length, rule).toBe(groups.length);
        for (const [key, status] of results) expect(status, key).toBe("error");
      }
    });
  }

  it("DescribeEndpointConfig answering {}: the endpoint's MR006 (high) failure is an error, not a pass", async () => {
    const endpoint = "algo-recommendation-realtime";
    const s = await server({ faults: [{ kind: "empty-object", service: "sagemaker", operation: "DescribeEndpointConfig" }] });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    const error = region(snapshot).errors.find((e) => e.resourceId === endpoint)!;
    expect(error).toMatchObject({ resourceType: "AWS::SageMaker::Endpoint", operation: "DescribeEndpointConfig", code: "MalformedResponse" });
    expect(error.message).toMatch(/^HTTP 200 without "EndpointConfigName", "EndpointConfigArn", "ProductionVariants", "CreationTime": not an AWS answer/);
    expect(region(snapshot).resources["AWS::SageMaker::Endpoint"]!.find((e) => e.EndpointName === endpoint)!.EndpointConfig).toBeUndefined();
    const st = statuses(snapshot);
    for (const [key, status] of ofRule(st, "MR006")) expect(status, key).toBe("error");
    expect(st.get(`MR006 ${EU} ${endpoint}`)).toBe("error");
  });

  it("an empty DescribeImages answer: ECR004 reports error for the repository instead of passing", async () => {
    const repo = "acme-sm-rc-fraud-detection/inference";
    const s = await server({ faults: [{ kind: "empty-body", service: "ecr", operation: "DescribeImages", when: (p: Obj) => p.repositoryName === repo }] });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    expect(region(snapshot).errors).toEqual([
      expect.objectContaining({ resourceType: "AWS::ECR::Repository", resourceId: repo, operation: "DescribeImages", code: "MalformedResponse" }),
    ]);
    const st = statuses(snapshot);
    expect(st.get(`ECR004 ${EU} ${repo}`)).toBe("error");
    expect(st.get(`ECR004 ${EU} legacy-models`)).toBe("pass");
  });

  it("an HTML page for DescribeSecurityGroups: the region's list is unknown and SG009 reports error, the critical finding does not vanish", async () => {
    const s = await server({ faults: [{ kind: "html", service: "ec2", operation: "DescribeSecurityGroups", region: EU }] });
    const { snapshot, stats } = await collectFrom(s);
    const errors = region(snapshot).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups" });
    expect(errors[0]!.resourceId).toBeUndefined();
    expect(errors[0]!.code).toBe("MalformedResponse");
    expect(stats.errors).toBe(1);
    const st = statuses(snapshot);
    const sg009 = ofRule(st, "SG009").filter(([k]) => k.includes(EU));
    expect(sg009.length).toBeGreaterThan(0);
    expect(sg009.every(([, status]) => status === "error")).toBe(true);
    // The other region is complete.
    expect(region(snapshot, "us-east-1").errors).toEqual([]);
  });

  it("a well-formed EC2 answer without its list (an empty <DescribeVpcsResponse>) is an error too", async () => {
    const s = await server({ faults: [{ kind: "empty-object", service: "ec2", operation: "DescribeVpcs", region: EU }] });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    expect(region(snapshot).errors).toEqual([expect.objectContaining({ operation: "DescribeVpcs", code: "MalformedResponse" })]);
    expect(region(snapshot).errors[0]!.message).toMatch(/without the "Vpcs" list/);
  });

  it("an empty body on page 2 of DescribeLogGroups: page 1 is kept, the list is recorded as unknown, the LOG rules report error", async () => {
    const s = await server({
      maxPageSize: 2,
      faults: [{ kind: "empty-body", service: "logs", operation: "DescribeLogGroups", region: EU, when: (p: Obj) => p.nextToken !== undefined, count: 1 }],
    });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    expect(region(snapshot).errors).toEqual([
      expect.objectContaining({ resourceType: "AWS::Logs::LogGroup", operation: "DescribeLogGroups", code: "MalformedResponse" }),
    ]);
    expect(region(snapshot).errors[0]!.message).toMatch(/\(page 2\)/);
    expect(region(snapshot).resources["AWS::Logs::LogGroup"]).toHaveLength(2);
    const st = statuses(snapshot);
    expect(ofRule(st, "LOG001").some(([, status]) => status === "error")).toBe(true);
  });

  it("a list item without a field AWS always returns (a security group without GroupName) makes the list unknown, not a group that drops out", async () => {
    const fixture = demoFixture();
    const groups = fixture.accounts[0]!.regions[0]!.resources["AWS::EC2::SecurityGroup"]!;
    delete groups[0]!.GroupName;
    const s = await server({ fixture });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    expect(region(snapshot).errors).toEqual([expect.objectContaining({ operation: "DescribeSecurityGroups", code: "MalformedResponse" })]);
    expect(region(snapshot).errors[0]!.message).toMatch(/an item of "SecurityGroups" lacks "GroupName"/);
  });

  it("scan through the CLI: an HTML page for DescribeSecurityGroups is exit 3 with SG009 reported as error", async () => {
    const s = await server({ faults: [{ kind: "html", service: "ec2", operation: "DescribeSecurityGroups", region: EU }] });
    const out = join(tempDir(), "r.json");
    const r = await runCliAsync(
      ["scan", "--regions", EU, "--since", "2026-11-01", "--config", DEMO_CONFIG, "-f", "json", "-o", out, "--fail-on", "none"],
      cliEnv(s),
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/1 error in/);
    const report = readJson(out);
    expect(report.summary.complete).toBe(false);
    const sg009 = report.results.filter((x: any) => x.ruleId === "SG009");
    expect(sg009.length).toBeGreaterThan(0);
    for (const x of sg009) {
      expect(x.status).toBe("error");
      expect(x.message).toMatch(/MalformedResponse/);
    }
  }, 60_000);
});

describe("--request-timeout bounds each attempt from the request to the last byte", () => {
  const repo = "legacy-models";
  for (const kind of ["stall-after-headers", "trickle"] as const) {
    it(`an answer that ${kind === "trickle" ? "trickles a byte every 50 ms" : "stalls after its headers"} times out on every attempt`, async () => {
      const s = await server({
        faults: [{ kind, service: "ecr", operation: "DescribeImages", delayMs: 60_000, intervalMs: 50, when: (p: Obj) => p.repositoryName === repo }],
      });
      const started = Date.now();
      const { snapshot } = await collectFrom(s, { regions: [EU], aws: { maxAttempts: 2, requestTimeoutMs: 400 } });
      // Two attempts of 400 ms and a short backoff; the answer itself would take a minute (stall) or ~30 s (trickle).
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(region(snapshot).errors).toEqual([
        expect.objectContaining({ resourceType: "AWS::ECR::Repository", operation: "DescribeImages", resourceId: repo, code: "TimeoutError" }),
      ]);
      expect(s.calls.filter((c) => c.operation === "DescribeImages" && c.params?.repositoryName === repo)).toHaveLength(2);
      expect(region(snapshot).resources["AWS::ECR::Repository"]!.find((r) => r.repositoryName === repo)!.images).toBeUndefined();
    }, 30_000);
  }

  it("refuses --request-timeout below 1 ms (it would round to 0, no timeout) and beyond Node's timer limit", async () => {
    const s = await server();
    for (const [value, message] of [
      ["0.0004", /--request-timeout must be at least 0\.001 seconds \(1 ms\), got "0\.0004"/],
      ["1e10", /--request-timeout must be at most 2147483 seconds/],
    ] as const) {
      const r = await runCliAsync(["collect", "--regions", EU, "--request-timeout", value, "-o", join(tempDir(), "s.json")], cliEnv(s));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(s.requests).toBe(0);
  });
});

describe("--max-attempts means what it says", () => {
  it("every call failing 3 times with a 5xx then succeeding: nothing lost with --max-attempts 4 (the SDK's quota gave up after ~35 retries per client)", async () => {
    const services = ["ec2", "ecr", "sagemaker", "kms", "logs"];
    const s = await server({ faults: services.map((service) => ({ kind: "server-error" as const, service, firstAttempts: 3 })) });
    const { snapshot, stats } = await collectFrom(s, { aws: { maxAttempts: 4 } });
    expect(stats.errors).toBe(0);
    expect(snapshot.accounts).toEqual(demoFixture().accounts);
    // One STS call without faults; every other call took exactly four attempts.
    expect(stats.retries).toBe(3 * (stats.calls - 1));
    expect(s.calls.filter((c) => c.service !== "sts")).toHaveLength(4 * (stats.calls - 1));
  }, 30_000);

  it("throttling on every call's first attempts is retried to the end as well", async () => {
    const s = await server({ faults: [{ kind: "throttle", service: "sagemaker", firstAttempts: 5 }] });
    const { snapshot, stats } = await collectFrom(s, { regions: [EU], aws: { maxAttempts: 6 } });
    expect(stats.errors).toBe(0);
    expect(region(snapshot).resources).toEqual(demoFixture().accounts[0]!.regions[0]!.resources);
    const sagemaker = [...stats.operations].filter(([op]) => op.startsWith("sagemaker:")).reduce((n, [, count]) => n + count, 0);
    expect(s.calls.filter((c) => c.service === "sagemaker")).toHaveLength(6 * sagemaker);
  }, 30_000);
});

describe("--progress", () => {
  it("counts each type's own errors: a failed security group list is not a VPC error", async () => {
    const s = await server({
      faults: [
        { kind: "access-denied", service: "ec2", operation: "DescribeSecurityGroups", region: EU },
        // The VPC and subnet lists finish after the security group list failed.
        { kind: "slow", service: "ec2", operation: "DescribeVpcs", delayMs: 300 },
        { kind: "slow", service: "ec2", operation: "DescribeSubnets", delayMs: 300 },
      ],
    });
    const lines: string[] = [];
    await collectFrom(s, { regions: [EU], progress: (line) => lines.push(line) });
    const ec2 = lines.filter((l) => l.includes(" ec2: "));
    // Per type: the part before the service summary that the last type's line carries.
    const perType = ec2.map((l) => l.split(" — ")[0]!.replace(/^\d+ eu-west-1 ec2: \d+ /, "")).sort();
    expect(perType).toEqual(["SecurityGroup (1 error)", "Subnet", "VPC"]);
    expect(ec2.find((l) => /ec2 done/.test(l))).toMatch(/ec2 done: \d+ resources, 3 calls, 1 error$/);
  });
});

describe("secrets shorter than 8 characters", () => {
  it("are redacted when an AWS error echoes them", async () => {
    const s = await server({
      accessKeys: { AKS1: "111122223333" },
      faults: [{ kind: "echo-credentials", service: "ecr", operation: "GetLifecyclePolicy" }],
    });
    const file = join(tempDir(), "s.json");
    const r = await runCliAsync(["collect", "--regions", EU, "--since", "2026-11-01", "-o", file], {
      ...cliEnv(s),
      AWS_ACCESS_KEY_ID: "AKS1",
      AWS_SECRET_ACCESS_KEY: "s3cr3t",
      AWS_SESSION_TOKEN: "tok7x",
    });
    expect(r.code, r.stderr).toBe(3);
    const text = readFileSync(file, "utf8");
    const errors = JSON.parse(text).accounts[0].regions[0].errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).toBe("The security token [redacted] of key [redacted] is not valid for this request.");
    for (const secret of ["AKS1", "s3cr3t", "tok7x"]) {
      expect(text).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  }, 60_000);
});
