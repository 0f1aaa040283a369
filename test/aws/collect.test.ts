// `collect` against the loopback AWS server with the real SDK clients: completeness, paging,
// retries, faults recorded as errors, concurrency bound, scope, several accounts.
import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES, resourceType } from "../../src/resources/catalog.js";
import { serializeSnapshot } from "../../src/snapshot/write.js";
import { snapshotFromObject } from "../../src/snapshot/read.js";
import { AwsError } from "../../src/errors.js";
import type { SnapshotFile } from "../../src/snapshot/types.js";
import { collectFrom, demoFixture, server } from "./harness.js";
import { prepareRules } from "../../src/cli/evaluate.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { DEMO_CONFIG } from "../helpers.js";

/** Evaluates a collected snapshot with the demo configuration: "RULE id" → status. */
function statuses(doc: SnapshotFile): Map<string, string> {
  const { config, rules } = prepareRules({ config: DEMO_CONFIG });
  const { results } = evaluate(snapshotFromObject(doc), rules, config);
  return new Map(results.map((r) => [`${r.rule.def.id} ${r.resource.id}`, r.status]));
}
import { syntheticFixture } from "./synthetic.js";
import type { FixtureDoc, Obj } from "./server.js";

const EU = "eu-west-1";

function text(doc: SnapshotFile): string {
  let out = "";
  serializeSnapshot(doc, (chunk) => (out += chunk));
  return out;
}

/** The fixture's resources in the collector's order (sorted by id). */
function sortedFixture(doc: FixtureDoc): FixtureDoc["accounts"] {
  return doc.accounts.map((a) => ({
    accountId: a.accountId,
    regions: a.regions.map((r) => ({
      region: r.region,
      resources: Object.fromEntries(
        Object.entries(r.resources).map(([type, list]) => {
          const id = resourceType(type)!.idField;
          return [type, [...list].sort((x, y) => (String(x[id]) < String(y[id]) ? -1 : String(x[id]) > String(y[id]) ? 1 : 0))];
        }),
      ),
      errors: [],
    })),
  }));
}

function region(doc: SnapshotFile, name = EU) {
  return doc.accounts[0]!.regions.find((r) => r.region === name)!;
}

describe("collect from the loopback AWS server", () => {
  it("collects exactly the fixture: every type, detail call and nested list, in both regions", async () => {
    const s = await server();
    const { snapshot, stats } = await collectFrom(s);
    const fixture = demoFixture();
    expect(snapshot.accounts).toEqual(fixture.accounts);
    expect(snapshot.collectedAt).toBe("2026-11-28T02:00:00.000Z");
    expect(stats.errors).toBe(0);
    expect(stats.resources).toBe(52);
    // The AWS-managed key is described (to learn it is AWS-managed), then skipped: no policy, rotation or alias data for it.
    const managed = s.calls.filter((c) => c.service === "kms" && JSON.stringify(c.params).includes("0000aaaa-aws0"));
    expect(managed.map((c) => `${c.region} ${c.operation}`).sort()).toEqual(["eu-west-1 DescribeKey", "us-east-1 DescribeKey"]);
    // Every type is present in every region, empty lists included.
    for (const r of snapshot.accounts[0]!.regions) expect(Object.keys(r.resources).sort()).toEqual(RESOURCE_TYPES.map((t) => t.type).sort());
    // The snapshot is valid input for evaluate.
    expect(snapshotFromObject(snapshot).regions).toHaveLength(2);
  });

  it("writes byte-identical snapshots for two collects of the same account apart from collectedAt", async () => {
    const s = await server({ maxPageSize: 2 });
    const a = await collectFrom(s, { now: () => new Date("2026-11-28T02:00:00.000Z"), concurrency: 3 });
    const b = await collectFrom(s, { now: () => new Date("2026-11-29T03:00:00.000Z"), concurrency: 11 });
    expect(text(b.snapshot).replace("2026-11-29T03:00:00.000Z", "2026-11-28T02:00:00.000Z")).toBe(text(a.snapshot));
    expect(text(a.snapshot)).toBe(JSON.stringify(a.snapshot, null, 2) + "\n");
  });

  it("loses nothing when every list comes one item per page", async () => {
    const s = await server({ maxPageSize: 1 });
    const { snapshot, stats } = await collectFrom(s);
    expect(snapshot.accounts).toEqual(demoFixture().accounts);
    expect(stats.errors).toBe(0);
    // 9 security groups in eu-west-1 → 9 pages; 6 repositories → 6 DescribeRepositories pages.
    const pages = (op: string) => s.calls.filter((c) => c.operation === op && c.region === EU).length;
    expect(pages("DescribeSecurityGroups")).toBe(9);
    expect(pages("DescribeRepositories")).toBe(6);
    expect(pages("ListAliases")).toBe(7); // 5 customer aliases + alias/aws/ebs + alias/aws/sagemaker
  });

  it("pages through thousands of resources and nested lists without losing or duplicating any", async () => {
    const fixture = syntheticFixture({ repositories: 300, imagesPerRepository: 4, logGroups: 700, securityGroups: 120, keys: 40 });
    const s = await server({ fixture, maxPageSize: 7 });
    const { snapshot, stats } = await collectFrom(s, { regions: [EU], concurrency: 16 });
    expect(stats.errors).toBe(0);
    expect(snapshot.accounts).toEqual(sortedFixture(fixture));
    expect(s.calls.filter((c) => c.operation === "DescribeLogGroups").length).toBe(100);
    expect(s.calls.filter((c) => c.operation === "DescribeImages").length).toBe(300);
  });

  it("retries throttling bursts (EC2 RequestLimitExceeded 503, ThrottlingException 400) and 500s with nothing lost", async () => {
    const s = await server({
      maxPageSize: 2,
      faults: [
        { kind: "throttle", every: 2, count: 40 },
        { kind: "server-error", every: 5, count: 10 },
      ],
    });
    const { snapshot, stats } = await collectFrom(s, { concurrency: 4 });
    expect(stats.errors).toBe(0);
    expect(stats.retries).toBeGreaterThanOrEqual(50);
    expect(snapshot.accounts).toEqual(demoFixture().accounts);
  });

  it("retries with the SDK's own, unscaled adaptive delays too", async () => {
    const s = await server({ faults: [{ kind: "throttle", service: "ecr", operation: "DescribeRepositories", count: 1 }] });
    const { snapshot, stats } = await collectFrom(s, { regions: [EU], aws: { retryDelayScale: 1 } });
    expect(stats.errors).toBe(0);
    expect(stats.retries).toBe(1);
    expect(region(snapshot).resources["AWS::ECR::Repository"]).toHaveLength(6);
  }, 20_000);

  it("records AccessDenied on GetLifecyclePolicy per repository, keeps the repositories and their images, and goes on", async () => {
    const s = await server({ faults: [{ kind: "access-denied", service: "ecr", operation: "GetLifecyclePolicy" }] });
    const { snapshot, stats } = await collectFrom(s);
    const eu = region(snapshot);
    const repos = eu.resources["AWS::ECR::Repository"]!;
    expect(repos).toHaveLength(6);
    expect(repos.every((r) => r.lifecyclePolicyText === undefined && Array.isArray(r.images))).toBe(true);
    expect(eu.errors).toHaveLength(6);
    expect(
      eu.errors.every((e) => e.operation === "GetLifecyclePolicy" && e.code === "AccessDeniedException" && e.resourceType === "AWS::ECR::Repository"),
    ).toBe(true);
    expect(eu.errors.map((e) => e.resourceId)).toEqual(repos.map((r) => r.repositoryName));
    expect(eu.errors[0]!.message).toMatch(/^User: arn:aws:sts::111122223333:assumed-role\/.* is not authorized to perform: ecr:GetLifecyclePolicy/);
    expect(stats.errors).toBe(6);
    // Everything else is complete.
    expect(eu.resources["AWS::KMS::Key"]).toEqual(demoFixture().accounts[0]!.regions[0]!.resources["AWS::KMS::Key"]);
  });

  it("keeps the list summary when a describe call is throttled to the end, and records the error", async () => {
    const key = "2222bbbb-8d3f-4c2e-a04b-6f7e8d9cab12";
    const s = await server({ faults: [{ kind: "throttle", service: "kms", operation: "DescribeKey", when: (p: Obj) => p.KeyId === key }] });
    const { snapshot } = await collectFrom(s, { regions: [EU], aws: { maxAttempts: 3 } });
    const eu = region(snapshot);
    expect(eu.resources["AWS::KMS::Key"]!.find((k) => k.KeyId === key)).toEqual({ KeyId: key, KeyArn: `arn:aws:kms:eu-west-1:111122223333:key/${key}` });
    expect(eu.errors).toEqual([
      {
        resourceType: "AWS::KMS::Key",
        operation: "DescribeKey",
        resourceId: key,
        code: "ThrottlingException",
        message: "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
      },
    ]);
    // No detail call was made from a key whose metadata is unknown.
    expect(s.calls.filter((c) => c.operation === "GetKeyPolicy" && c.params?.KeyId === key)).toHaveLength(0);
    expect(s.calls.filter((c) => c.operation === "DescribeKey" && c.params?.KeyId === key)).toHaveLength(3);
    // Every KMS rule on that key reports error, never pass; the other keys are evaluated as usual.
    const st = statuses(snapshot);
    for (const rule of ["KMS001", "KMS002", "KMS003", "KMS004"]) expect(st.get(`${rule} ${key}`), rule).toBe("error");
    expect(st.get("KMS002 1111aaaa-7c2e-4b1d-9f3a-5e6d7c8b9a01")).toBe("pass");
  });

  it("when DescribeEndpoint fails, rules on the endpoint's name still run and those needing its config report error", async () => {
    const endpoint = "algo-recommendation-realtime";
    const s = await server({
      faults: [{ kind: "access-denied", service: "sagemaker", operation: "DescribeEndpoint", when: (p: Obj) => p.EndpointName === endpoint }],
    });
    const { snapshot } = await collectFrom(s, { regions: [EU] });
    const kept = region(snapshot).resources["AWS::SageMaker::Endpoint"]!.find((e) => e.EndpointName === endpoint)!;
    expect(kept.EndpointConfig).toBeUndefined();
    expect(kept.EndpointStatus).toBe("InService"); // the ListEndpoints summary
    expect(s.calls.filter((c) => c.operation === "DescribeEndpointConfig")).toHaveLength(2);
    const st = statuses(snapshot);
    expect(st.get(`MR006 ${endpoint}`)).toBe("error");
    expect(st.get(`WL004 ${endpoint}`)).toBe("pass");
    expect(st.get("MR006 rc-fraud-detection-realtime")).toBe("pass");
  });

  it("records a request that times out on every attempt as TimeoutError", async () => {
    const repo = "legacy-models";
    const s = await server({
      faults: [{ kind: "slow", service: "ecr", operation: "DescribeImages", delayMs: 1500, when: (p: Obj) => p.repositoryName === repo }],
    });
    const { snapshot } = await collectFrom(s, { regions: [EU], aws: { maxAttempts: 2, requestTimeoutMs: 300 } });
    const eu = region(snapshot);
    expect(eu.errors).toHaveLength(1);
    expect(eu.errors[0]).toMatchObject({ resourceType: "AWS::ECR::Repository", operation: "DescribeImages", resourceId: repo, code: "TimeoutError" });
    expect(eu.resources["AWS::ECR::Repository"]!.find((r) => r.repositoryName === repo)!.images).toBeUndefined();
  });

  it("records a failed list call for the region without a resource id", async () => {
    const s = await server({ faults: [{ kind: "access-denied", service: "ec2", operation: "DescribeSecurityGroups", region: EU }] });
    const { snapshot } = await collectFrom(s);
    expect(region(snapshot).errors).toEqual([
      expect.objectContaining({ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups", code: "UnauthorizedOperation" }),
    ]);
    expect(region(snapshot).errors[0]!.resourceId).toBeUndefined();
    expect(region(snapshot).resources["AWS::EC2::SecurityGroup"]).toEqual([]);
    expect(region(snapshot, "us-east-1").resources["AWS::EC2::SecurityGroup"]).toHaveLength(1);
  });

  it("records every list of a region that is not enabled, and collects the other regions completely", async () => {
    const s = await server({ faults: [{ kind: "region-disabled", region: "ap-east-1" }] });
    const { snapshot, stats } = await collectFrom(s, { regions: [EU, "ap-east-1"] });
    const disabled = region(snapshot, "ap-east-1");
    // Every list call, and the region-wide ListAliases of KMS keys.
    const expected = RESOURCE_TYPES.map((t) => `${t.type} ${t.collect.list.operation} ${t.service === "ec2" ? "AuthFailure" : "UnrecognizedClientException"}`);
    expected.push("AWS::KMS::Key ListAliases UnrecognizedClientException");
    expect(disabled.errors.map((e) => `${e.resourceType} ${e.operation} ${e.code}`)).toEqual(expected.sort());
    expect(disabled.errors.every((e) => e.resourceId === undefined)).toBe(true);
    expect(stats.errors).toBe(12);
    expect(region(snapshot).errors).toEqual([]);
    expect(region(snapshot).resources).toEqual(demoFixture().accounts[0]!.regions[0]!.resources);
  });

  it("leaves out a resource deleted between the list and the describe call, without an error", async () => {
    const job = "algo-recommendation-train-20261121";
    const s = await server({
      faults: [{ kind: "not-found", service: "sagemaker", operation: "DescribeTrainingJob", when: (p: Obj) => p.TrainingJobName === job }],
    });
    const { snapshot, stats } = await collectFrom(s, { regions: [EU] });
    expect(stats.errors).toBe(0);
    expect(region(snapshot).resources["AWS::SageMaker::TrainingJob"]!.map((j) => j.TrainingJobName)).not.toContain(job);
    expect(region(snapshot).resources["AWS::SageMaker::TrainingJob"]).toHaveLength(2);
  });

  it("collects only the SageMaker jobs changed within the --since window", async () => {
    const s = await server();
    const { snapshot } = await collectFrom(s, { regions: [EU], since: new Date("2026-11-22T00:00:00Z") });
    const list = s.calls.find((c) => c.operation === "ListTrainingJobs")!;
    expect(list.params!.LastModifiedTimeAfter).toBe(Date.parse("2026-11-22T00:00:00Z") / 1000);
    expect(region(snapshot).resources["AWS::SageMaker::TrainingJob"]!.map((j) => j.TrainingJobName)).toEqual(["pipelines-abc123-TrainModel-XyZ"]);
    expect(region(snapshot).resources["AWS::SageMaker::ProcessingJob"]!.map((j) => j.ProcessingJobName)).toEqual(["algo-recommendation-preprocess-20261122"]);
  });

  it("never has more requests in flight per service than --concurrency, and reaches the bound", async () => {
    const fixture = syntheticFixture({ repositories: 60, logGroups: 30, keys: 20 });
    for (const concurrency of [1, 3]) {
      const s = await server({ fixture, latencyMs: 10 });
      const { stats } = await collectFrom(s, { regions: [EU], concurrency });
      expect(stats.errors).toBe(0);
      for (const [key, max] of s.maxInFlightBy) if (!key.endsWith("/sts")) expect(max, key).toBeLessThanOrEqual(concurrency);
      expect(s.maxInFlightBy.get(`111122223333/${EU}/ecr`)).toBe(concurrency);
      await s.stop();
    }
  });

  it("assumes a role in each account (with the external id) and collects them into one snapshot", async () => {
    const fixture = demoFixture();
    const second = JSON.parse(JSON.stringify(fixture.accounts[0]).replaceAll("111122223333", "444455556666"));
    const s = await server({ fixture: { accounts: [...fixture.accounts, second] }, externalId: "sagegate-ext" });
    const roles = ["arn:aws:iam::444455556666:role/sagegate-readonly", "arn:aws:iam::111122223333:role/sagegate-readonly"];
    const { snapshot } = await collectFrom(s, { roleArns: roles, externalId: "sagegate-ext" });
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual(["111122223333", "444455556666"]);
    expect(snapshot.accounts[1]).toEqual(second);
    expect(s.calls.filter((c) => c.operation === "AssumeRole")).toHaveLength(2);
    await expect(collectFrom(s, { roleArns: roles, externalId: "wrong" })).rejects.toThrow(AwsError);
    await expect(collectFrom(s, { roleArns: roles, externalId: "wrong" })).rejects.toThrow(
      /cannot assume role arn:aws:iam::\d{12}:role\/sagegate-readonly: AccessDenied: User: .* is not authorized to perform: sts:AssumeRole/,
    );
  });

  it("lists the account's enabled regions with --all-regions", async () => {
    const s = await server({ enabledRegions: ["eu-west-1", "us-east-1", "ap-south-1"] });
    const { snapshot } = await collectFrom(s, { regions: undefined, allRegions: true });
    expect(snapshot.accounts[0]!.regions.map((r) => r.region)).toEqual(["ap-south-1", "eu-west-1", "us-east-1"]);
    expect(Object.values(region(snapshot, "ap-south-1").resources).every((l) => l.length === 0)).toBe(true);
  });
});
