// Engine semantics that no single rule's cases show: the order types are processed in,
// cycles between looked-up types, sorting, duplicate ids, list errors, and that the file
// reader and the in-memory path give the same results.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/config/config.js";
import { evaluate, UNLISTED_ID } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet, type CompiledRule } from "../../src/evaluate/rule.js";
import { loadRuleSet } from "../../src/rules/load.js";
import type { LoadedRule, RuleDefinition } from "../../src/rules/types.js";
import { readSnapshotFile, snapshotFromObject } from "../../src/snapshot/read.js";
import { SnapshotError } from "../../src/errors.js";
import { DEMO_SNAPSHOT, readJson, tempDir } from "../helpers.js";

const config = withDefaults({ tagPrefix: "acme-ml", company: "acme", teams: ["rc", "algo"], projects: ["rc-fraud-detection", "algo-recommendation"] });

function rule(def: Partial<RuleDefinition> & Pick<RuleDefinition, "id" | "resourceType" | "check">): LoadedRule {
  const full: RuleDefinition = {
    name: def.id.toLowerCase(),
    title: `test rule ${def.id}`,
    violationTitle: `test rule ${def.id}`,
    severity: "high",
    kind: "security",
    profile: "baseline",
    design: { section: "1", quote: "q" },
    rationale: "r",
    remediation: { text: "t", cli: "aws x" },
    ...def,
  };
  return { def: full, file: `${def.id}.yaml`, locate: () => ({}), tests: [] };
}

function compile(rules: LoadedRule[]): CompiledRule[] {
  return compileRuleSet({ rules, definitions: new Map() }, new Placeholders(config));
}

function snapshot(resources: Record<string, unknown[]>, errors: unknown[] = []) {
  return {
    snapshotVersion: 1,
    collectedAt: "2026-01-01T00:00:00.000Z",
    collector: { name: "t", version: "0" },
    accounts: [{ accountId: "111122223333", regions: [{ region: "eu-west-1", resources, errors }] }],
  };
}

const vpc = (id: string, cidr: string) => ({ VpcId: id, CidrBlockAssociationSet: [{ CidrBlock: cidr, CidrBlockState: { State: "associated" } }] });
const sg = (id: string, name: string, vpcId: string, perms: unknown[] = []) => ({
  GroupId: id,
  GroupName: name,
  VpcId: vpcId,
  IpPermissions: perms,
  IpPermissionsEgress: [],
});
const https = (cidr: string) => ({
  IpProtocol: "tcp",
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: cidr }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
});

// SG rules read VPCs and VPC rules read security groups: a cycle the engine must break.
const sgRule = rule({
  id: "T001",
  resourceType: "AWS::EC2::SecurityGroup",
  check: { permissions: { direction: "ingress", only: [{ protocol: "tcp", port: 443, source: "vpcCidr" }] } },
});
const vpcRule = rule({
  id: "T002",
  resourceType: "AWS::EC2::VPC",
  check: { related: { type: "AWS::EC2::SecurityGroup", key: "VpcId", value: "VpcId", count: { lt: 2 } } },
});
const jobRule = rule({
  id: "T003",
  resourceType: "AWS::SageMaker::TrainingJob",
  check: { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroup" } },
});

describe("engine", () => {
  it("evaluates across types whatever their order in the file, breaking the VPC/SG cycle", () => {
    const doc = snapshot({
      "AWS::SageMaker::TrainingJob": [{ TrainingJobName: "job-1", VpcConfig: { SecurityGroupIds: ["sg-2", "sg-9"], Subnets: [] } }],
      "AWS::EC2::SecurityGroup": [sg("sg-1", "a", "vpc-1", [https("10.0.1.0/24")]), sg("sg-2", "b", "vpc-1", [https("0.0.0.0/0")])],
      "AWS::EC2::VPC": [vpc("vpc-1", "10.0.0.0/16")],
    });
    const results = evaluate(snapshotFromObject(doc), compile([sgRule, vpcRule, jobRule]), config).results;
    const by = (ruleId: string, id: string) => results.find((r) => r.rule.def.id === ruleId && r.resource.id === id);
    expect(by("T001", "sg-1")?.status).toBe("pass");
    expect(by("T001", "sg-2")?.status).toBe("fail");
    expect(by("T002", "vpc-1")?.status).toBe("fail"); // two groups in the VPC
    expect(by("T003", "job-1")?.message).toMatch(/sg-9, which is not in the snapshot/);
  });

  it("sorts results by type, resource id and rule id even when the file is not sorted", () => {
    const doc = snapshot({
      "AWS::EC2::SecurityGroup": [sg("sg-3", "c", "vpc-1"), sg("sg-1", "a", "vpc-1"), sg("sg-2", "b", "vpc-1")],
      "AWS::EC2::VPC": [vpc("vpc-1", "10.0.0.0/16")],
    });
    const results = evaluate(snapshotFromObject(doc), compile([sgRule, vpcRule]), config).results;
    expect(results.map((r) => `${r.resource.type} ${r.resource.id} ${r.rule.def.id}`)).toEqual([
      "AWS::EC2::SecurityGroup sg-1 T001",
      "AWS::EC2::SecurityGroup sg-2 T001",
      "AWS::EC2::SecurityGroup sg-3 T001",
      "AWS::EC2::VPC vpc-1 T002",
    ]);
  });

  it("refuses two resources of a type with the same id", () => {
    const doc = snapshot({ "AWS::EC2::VPC": [vpc("vpc-1", "10.0.0.0/16"), vpc("vpc-1", "10.1.0.0/16")] });
    expect(() => evaluate(snapshotFromObject(doc), compile([vpcRule]), config)).toThrow(SnapshotError);
  });

  it("reports one error result per rule when a type could not be listed, and never a pass", () => {
    const doc = snapshot({ "AWS::EC2::VPC": [vpc("vpc-1", "10.0.0.0/16")] }, [
      { resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups", code: "UnauthorizedOperation", message: "no" },
    ]);
    const results = evaluate(snapshotFromObject(doc), compile([sgRule, vpcRule]), config).results;
    expect(results.find((r) => r.rule.def.id === "T001")).toMatchObject({ status: "error", resource: { id: UNLISTED_ID } });
    // The VPC rule counts security groups: with their list unknown it cannot pass.
    expect(results.find((r) => r.rule.def.id === "T002")).toMatchObject({ status: "error", resource: { id: "vpc-1" } });
    expect(results.some((r) => r.status === "pass")).toBe(false);
  });

  it("gives identical results through the file reader and in memory (the demo, every rule)", () => {
    const set = loadRuleSet();
    const demoConfig = withDefaults({ ...config, profile: "high-security" });
    const rules = compileRuleSet(set, new Placeholders(demoConfig));
    const strip = (rs: ReturnType<typeof evaluate>["results"]) =>
      rs.map((r) => ({ rule: r.rule.def.id, ...r.resource, start: undefined, end: undefined, status: r.status, message: r.message, evidence: r.evidence }));
    const fromFile = evaluate(readSnapshotFile(DEMO_SNAPSHOT), rules, demoConfig).results;
    const inMemory = evaluate(snapshotFromObject(readJson(DEMO_SNAPSHOT)), rules, demoConfig).results;
    expect(fromFile.length).toBeGreaterThan(50);
    expect(strip(fromFile)).toEqual(strip(inMemory));
    expect(fromFile.every((r) => typeof r.resource.start === "number" || r.resource.id === UNLISTED_ID || r.rule.def.subjects)).toBe(true);
  });

  it("reads resource objects back from the file with their byte ranges", () => {
    const dir = tempDir();
    const file = join(dir, "s.json");
    const doc = snapshot({ "AWS::EC2::VPC": [vpc("vpc-1", "10.0.0.0/16"), vpc("vpc-2", "10.1.0.0/16")] });
    const text = JSON.stringify(doc, null, 3);
    writeFileSync(file, text);
    const loaded = readSnapshotFile(file, { lines: true });
    const items = [...loaded.regions[0]!.resources.get("AWS::EC2::VPC")!.items()];
    for (const item of items) {
      expect(JSON.parse(text.slice(item.start, item.end))).toEqual(item.data);
      const span = loaded.lines!(item.start!, item.end!);
      const lines = text
        .split("\n")
        .slice(span.startLine - 1, span.endLine)
        .join("\n");
      expect(JSON.parse(lines.trim().replace(/,$/, ""))).toEqual(item.data);
    }
  });
});
