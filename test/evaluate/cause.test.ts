// Results that could not be evaluated carry their cause as fields: SARIF and the baseline read
// them instead of the message text, and they survive the worker codec.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { decodeRegion, encodeRegion } from "../../src/evaluate/codec.js";
import { evaluate, UNLISTED_ID } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet } from "../../src/evaluate/rule.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { readSnapshotFile } from "../../src/snapshot/read.js";
import { ROOT } from "../helpers.js";

const FIXTURE = join(ROOT, "fixtures/incomplete");
const config = loadConfig(join(FIXTURE, "sagegate.config.yaml"));
const snapshot = readSnapshotFile(join(FIXTURE, "snapshot.json"));
const evaluation = evaluate(snapshot, compileRuleSet(loadRuleSet(), new Placeholders(config)), config);
const errors = evaluation.results.filter((r) => r.status === "error");

describe("the cause of a result that could not be evaluated", () => {
  it("is on every error result and on no other", () => {
    expect(errors.length).toBeGreaterThan(20);
    expect(errors.every((r) => r.cause !== undefined)).toBe(true);
    expect(evaluation.results.filter((r) => r.status !== "error").some((r) => r.cause !== undefined)).toBe(false);
  });

  it("names a call that failed in the result's region, and the message is written from it", () => {
    for (const r of errors) {
      const cause = r.cause!;
      const region = snapshot.regions.find((x) => x.accountId === r.resource.accountId && x.region === r.resource.region)!;
      const failed = region.errors.find((e) => e.resourceType === cause.type && e.operation === cause.operation && e.code === cause.error.code);
      expect(failed, `${r.rule.def.id} ${r.resource.id}`).toBeDefined();
      expect(cause.error.resourceId).toBe(failed!.resourceId);
      if (cause.kind === "unlisted") {
        expect(r.resource.id).toBe(UNLISTED_ID);
        expect(r.message).toBe(`could not list ${cause.type}: ${cause.reason}`);
      } else {
        expect(r.message).toBe(`could not evaluate: ${cause.reason}`);
      }
    }
  });

  it("tells a type that could not be listed from data that was not collected", () => {
    const kinds = new Set(errors.map((r) => `${r.cause!.kind} ${r.cause!.operation}`));
    expect(kinds).toContain("unlisted DescribeRepositories");
    expect(kinds).toContain("unlisted DescribeSecurityGroups");
    expect(kinds).toContain("missing-data GetKeyPolicy");
    expect(kinds).toContain("missing-data GetLifecyclePolicy");
    // SG001 on a VPC whose security groups could not be listed: the cause is the other type's call.
    const sg001 = errors.find((r) => r.rule.def.id === "SG001")!;
    expect(sg001.cause).toMatchObject({ kind: "missing-data", type: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups" });
    expect(sg001.resource.type).toBe("AWS::EC2::VPC");
  });

  it("crosses the worker codec", () => {
    const region = snapshot.regions[0]!;
    const results = evaluation.results.filter((r) => r.resource.accountId === region.accountId && r.resource.region === region.region);
    expect(results.some((r) => r.cause)).toBe(true);
    const ruleIndex = new Map(evaluation.rules.map((r, i) => [r, i]));
    const spans = { accountId: region.accountId, region: region.region } as never;
    const decoded = decodeRegion(encodeRegion(0, results, ruleIndex), { file: "", config, ruleIds: [], regions: [{ index: 0, spans }] }, evaluation.rules);
    expect(decoded.map((r) => r.cause)).toEqual(results.map((r) => r.cause));
  });
});
