// The builder's handling of what a plan changes separately: security group permissions merged
// and removed as EC2 keeps them, amendments of a field not known before deploy, deletes and
// resources the plan read itself (data sources) standing in for live ones.
import { describe, expect, it } from "vitest";
import { buildPlannedSnapshot } from "../../src/plan/build.js";
import { groupPermissions, removePermissions } from "../../src/plan/cfn/translate.js";
import type { PlannedSet } from "../../src/plan/types.js";
import { isUnresolved, unresolved } from "../../src/resources/unresolved.js";

const perm = (protocol: string, port: number | undefined, cidr: string, description?: string) => ({
  IpProtocol: protocol,
  ...(port === undefined ? {} : { FromPort: port, ToPort: port }),
  IpRanges: [{ CidrIp: cidr, ...(description ? { Description: description } : {}) }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
});
const source = { file: "main.tf", line: 1 };
const target = { accountId: "111122223333", region: "eu-west-1" };

describe("security group permissions", () => {
  it("keeps a permission not known before deploy as an item of its own", () => {
    const u = unresolved("parameter", "Port");
    const grouped = groupPermissions([u, perm("tcp", 443, "10.0.0.0/16"), perm("tcp", 443, "10.1.0.0/16")]);
    expect(grouped).toHaveLength(2);
    expect(isUnresolved(grouped[0])).toBe(true);
    expect((grouped[1] as { IpRanges: unknown[] }).IpRanges).toEqual([{ CidrIp: "10.0.0.0/16" }, { CidrIp: "10.1.0.0/16" }]);
  });

  it("keeps a source given twice once, as EC2 does, whatever its description", () => {
    const grouped = groupPermissions([perm("tcp", 443, "10.0.0.0/16", "from state"), perm("tcp", 443, "10.0.0.0/16")]);
    expect((grouped[0] as { IpRanges: unknown[] }).IpRanges).toEqual([{ CidrIp: "10.0.0.0/16", Description: "from state" }]);
  });

  it("removes the sources of a rule that goes away, and a permission left without one", () => {
    const kept = removePermissions(groupPermissions([perm("tcp", 22, "0.0.0.0/0"), perm("tcp", 443, "10.0.0.0/16"), perm("tcp", 443, "0.0.0.0/0")]), [
      perm("tcp", 22, "0.0.0.0/0", "ssh"),
      perm("tcp", 443, "0.0.0.0/0"),
    ]);
    expect(kept).toEqual([perm("tcp", 443, "10.0.0.0/16")]);
  });
});

describe("the builder", () => {
  const group = (data: Record<string, unknown>) => ({
    type: "AWS::EC2::SecurityGroup",
    id: "g",
    arn: "arn:sagegate:test:::g",
    source,
    data: { GroupId: "g", GroupName: "acme-ml-training", VpcId: "vpc-1", IpPermissions: [], IpPermissionsEgress: [], ...data },
  });
  const set = (over: Partial<PlannedSet>): PlannedSet => ({ name: "t", target, resources: [], amendments: [], warnings: [], ...over });

  it("keeps a field not known before deploy unknown when a standalone rule adds to it", () => {
    const u = unresolved("computed", "g.ingress");
    const built = buildPlannedSnapshot([
      set({
        resources: [group({ IpPermissions: u })],
        amendments: [
          {
            type: "AWS::EC2::SecurityGroup",
            id: "g",
            field: "IpPermissions",
            items: [perm("tcp", 443, "10.0.0.0/16")],
            merge: "ipPermissions",
            source,
            what: "rule",
          },
        ],
      }),
    ]);
    const stored = [...built.snapshot.regions[0]!.resources.get("AWS::EC2::SecurityGroup")!.items()][0]!;
    const ingress = stored.data.IpPermissions as unknown[];
    expect(ingress).toHaveLength(2);
    expect(isUnresolved(ingress[0])).toBe(true); // not replaced by the rule alone
  });

  it("replaces a field, removes it, and removes list items by their key", () => {
    const key = {
      type: "AWS::KMS::Key",
      id: "k",
      arn: "arn:sagegate:test:::k",
      source,
      data: {
        KeyId: "k",
        Arn: "arn:sagegate:test:::k",
        KeyManager: "CUSTOMER",
        KeyState: "Enabled",
        KeySpec: "SYMMETRIC_DEFAULT",
        Policy: "{}",
        Aliases: [{ AliasName: "alias/a", AliasArn: "x" }, { AliasName: "alias/b" }],
      },
    };
    const built = buildPlannedSnapshot([
      set({
        resources: [key],
        amendments: [
          { type: "AWS::KMS::Key", id: "k", field: "Policy", items: ['{"Statement":[]}'], merge: "replace", source, what: "policy" },
          { type: "AWS::KMS::Key", id: "k", field: "Aliases", items: [{ AliasName: "alias/a" }], key: "AliasName", remove: true, source, what: "alias" },
        ],
      }),
    ]);
    const stored = [...built.snapshot.regions[0]!.resources.get("AWS::KMS::Key")!.items()][0]!;
    expect(stored.data.Policy).toBe('{"Statement":[]}');
    expect(stored.data.Aliases).toEqual([{ AliasName: "alias/b" }]);
  });

  it("drops live resources the plan deletes and lets context resources give way to live ones", () => {
    const live = {
      meta: { snapshotVersion: 1 as const, collectedAt: "2026-01-01T00:00:00Z", collector: { name: "sagegate", version: "0" } },
      regions: [
        {
          ...target,
          errors: [],
          resources: new Map([
            ["AWS::EC2::VPC", listOf([{ id: "vpc-1", data: { VpcId: "vpc-1", CidrBlock: "10.9.0.0/16" } }])],
            ["AWS::EC2::SecurityGroup", listOf([{ id: "sg-old", data: { GroupId: "sg-old", GroupName: "acme-ml-training", VpcId: "vpc-1" } }])],
          ]),
        },
      ],
    };
    const built = buildPlannedSnapshot(
      [
        set({
          deletes: [{ type: "AWS::EC2::SecurityGroup", id: "sg-old" }],
          context: [
            { type: "AWS::EC2::VPC", id: "vpc-1", data: { VpcId: "vpc-1", CidrBlock: "10.1.0.0/16" } },
            { type: "AWS::EC2::VPC", id: "vpc-2", data: { VpcId: "vpc-2", CidrBlock: "10.2.0.0/16" } },
          ],
        }),
      ],
      { live },
    );
    const region = built.snapshot.regions[0]!;
    expect([...region.resources.get("AWS::EC2::SecurityGroup")!.items()]).toEqual([]);
    expect([...region.resources.get("AWS::EC2::VPC")!.items()].map((s) => [s.id, s.data.CidrBlock])).toEqual([
      ["vpc-1", "10.9.0.0/16"], // the live snapshot's, not the data source's
      ["vpc-2", "10.2.0.0/16"],
    ]);
  });
});

function listOf(items: Array<{ id: string; data: Record<string, unknown> }>) {
  return { type: "x", count: items.length, item: (i: number) => items[i]!, items: () => items.map((x) => ({ ...x, data: structuredClone(x.data) })) };
}
