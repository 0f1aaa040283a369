// Least privilege: iam/sagegate-readonly-policy.json lists exactly the IAM actions the collector
// calls. The server records every request of a full collect (--all-regions included); each API
// operation's IAM action has the operation's name (service prefix: ec2, ecr, sagemaker, kms, logs).
// sts:GetCallerIdentity needs no permission and sts:AssumeRole is granted to the caller, not to
// the read-only role, so STS is not part of the role's policy.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IAM_PREFIX } from "../../src/collect/sdk.js";
import { collectOperations, RESOURCE_TYPES } from "../../src/resources/catalog.js";
import { readJson, ROOT } from "../helpers.js";
import { collectFrom, demoFixture, server } from "./harness.js";

const policy = readJson(join(ROOT, "iam/sagegate-readonly-policy.json")) as { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };
const policyActions = policy.Statement.flatMap((s) => s.Action).sort();

describe("IAM read-only policy", () => {
  it("grants exactly the actions a full collect calls", async () => {
    const fixture = demoFixture();
    const second = JSON.parse(JSON.stringify(fixture.accounts[0]).replaceAll("111122223333", "444455556666"));
    const s = await server({ fixture: { accounts: [...fixture.accounts, second] } });
    const { stats } = await collectFrom(s, { regions: undefined, allRegions: true, roleArns: ["arn:aws:iam::444455556666:role/sagegate-readonly"] });
    expect(stats.errors).toBe(0);
    const called = s.operationSet().filter((op) => !op.startsWith("sts:"));
    expect(called).toEqual(policyActions);
    expect(s.operationSet().filter((op) => op.startsWith("sts:"))).toEqual(["sts:AssumeRole", "sts:GetCallerIdentity"]);
  });

  it("matches the catalog's declared calls plus ec2:DescribeRegions, read-only, on every resource", () => {
    const declared = RESOURCE_TYPES.flatMap((t) => collectOperations(t).map((op) => `${IAM_PREFIX[t.service]}:${op}`));
    expect([...new Set([...declared, "ec2:DescribeRegions"])].sort()).toEqual(policyActions);
    for (const action of policyActions) expect(action).toMatch(/^[a-z0-9]+:(Describe|Get|List)[A-Za-z]+$/);
    expect(policy.Statement.every((s) => s.Effect === "Allow" && s.Resource === "*")).toBe(true);
  });
});
