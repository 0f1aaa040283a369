import { describe, expect, it } from "vitest";
import { parseCidr, type Cidr } from "../../src/evaluate/domain/cidr.js";
import {
  describeRow,
  describeSource,
  entryIsRow,
  expandPermissions,
  flowIsCovered,
  type FlowSpec,
  type GroupContext,
  type PermissionEntry,
} from "../../src/evaluate/domain/sg.js";

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (c === undefined) throw new Error(`test setup: ${text} should parse`);
  return c;
}

const GROUP: GroupContext = { groupId: "sg-self", vpcCidrs: [cidr("10.0.0.0/16"), cidr("10.1.0.0/16")] };

/** One permission with one source, expanded; the test wants exactly one entry. */
function entry(perm: Record<string, unknown>): PermissionEntry {
  const entries = expandPermissions([perm]);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

const tcp = (from: number, to: number, source: Record<string, unknown>) => entry({ IpProtocol: "tcp", FromPort: from, ToPort: to, ...source });
const ipv4 = (c: string) => ({ IpRanges: [{ CidrIp: c }] });
const ipv6 = (c: string) => ({ Ipv6Ranges: [{ CidrIpv6: c }] });
const group = (id: string) => ({ UserIdGroupPairs: [{ GroupId: id, UserId: "111122223333" }] });
const prefixList = (id: string) => ({ PrefixListIds: [{ PrefixListId: id }] });

describe("expandPermissions", () => {
  it("gives one entry per source across all four source lists, in order", () => {
    const entries = expandPermissions([
      {
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: "10.0.0.0/16" }, { CidrIp: "0.0.0.0/0", Description: "world" }],
        Ipv6Ranges: [{ CidrIpv6: "::/0" }],
        PrefixListIds: [{ PrefixListId: "pl-123" }],
        UserIdGroupPairs: [{ GroupId: "sg-1" }, { GroupName: "default" }],
      },
    ]);
    expect(entries.map((e) => e.source)).toEqual([
      { kind: "ipv4", value: "10.0.0.0/16", cidr: cidr("10.0.0.0/16") },
      { kind: "ipv4", value: "0.0.0.0/0", cidr: cidr("0.0.0.0/0") },
      { kind: "ipv6", value: "::/0", cidr: cidr("::/0") },
      { kind: "prefixList", value: "pl-123" },
      { kind: "securityGroup", value: "sg-1" },
      { kind: "securityGroup", value: "default" },
    ]);
    for (const e of entries) {
      expect(e.protocol).toBe("tcp");
      expect(e.ports).toEqual({ from: 443, to: 443 });
      expect(e.traffic).toBe("TCP 443");
    }
  });

  it("expands each permission with its own protocol and ports", () => {
    const entries = expandPermissions([
      { IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: "sg-self" }] },
      { IpProtocol: "6", FromPort: 8080, ToPort: 8081, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
      { IpProtocol: "50", FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
    ]);
    expect(entries.map((e) => [e.protocol, e.ports, e.traffic])).toEqual([
      ["all", undefined, "all traffic"],
      ["tcp", { from: 8080, to: 8081 }, "TCP 8080-8081"],
      ["50", undefined, "protocol 50"],
    ]);
  });

  it("a permission with no source lists gives no entries", () => {
    expect(expandPermissions([{ IpProtocol: "tcp", FromPort: 22, ToPort: 22 }])).toEqual([]);
    expect(expandPermissions([{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [], UserIdGroupPairs: [] }])).toEqual([]);
  });

  it("a missing or non-list IpPermissions gives no entries", () => {
    expect(expandPermissions(undefined)).toEqual([]);
    expect(expandPermissions(null)).toEqual([]);
    expect(expandPermissions({ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] })).toEqual([]);
    expect(expandPermissions("[]")).toEqual([]);
  });

  it("ignores permissions and sources that are not objects", () => {
    const entries = expandPermissions([
      null,
      "tcp",
      42,
      { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [null, "0.0.0.0/0", 7, { CidrIp: "10.0.0.0/16" }], Ipv6Ranges: "::/0", UserIdGroupPairs: [[]] },
    ]);
    expect(entries.map((e) => e.source)).toEqual([{ kind: "ipv4", value: "10.0.0.0/16", cidr: cidr("10.0.0.0/16") }]);
  });

  it("keeps a source whose block does not parse, without a cidr", () => {
    const entries = expandPermissions([{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0/8" }, {}] }]);
    expect(entries.map((e) => e.source)).toEqual([
      { kind: "ipv4", value: "10.0.0/8" },
      { kind: "ipv4", value: "" },
    ]);
  });

  it("does not attach a block of the wrong family to a source", () => {
    const entries = expandPermissions([{ IpProtocol: "-1", IpRanges: [{ CidrIp: "::/0" }], Ipv6Ranges: [{ CidrIpv6: "0.0.0.0/0" }] }]);
    expect(entries.map((e) => e.source)).toEqual([
      { kind: "ipv4", value: "::/0" },
      { kind: "ipv6", value: "0.0.0.0/0" },
    ]);
  });
});

describe("entryIsRow: sources", () => {
  const row = (source: FlowSpec["source"]): FlowSpec => ({ protocol: "tcp", port: 443, source });

  it("self: only the group itself", () => {
    expect(entryIsRow(tcp(443, 443, group("sg-self")), row("self"), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, group("sg-other")), row("self"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/16")), row("self"), GROUP)).toBe(false);
    // A prefix list that happens to carry the group's id is not the group.
    expect(entryIsRow(tcp(443, 443, prefixList("sg-self")), row("self"), GROUP)).toBe(false);
  });

  it("vpcCidr: a block inside or equal to a VPC block", () => {
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/16")), row("vpcCidr"), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.3.0/24")), row("vpcCidr"), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, ipv4("10.1.9.9/32")), row("vpcCidr"), GROUP)).toBe(true); // second VPC block
  });

  it("vpcCidr: not a wider or outside block", () => {
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/8")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv4("0.0.0.0/0")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/15")), row("vpcCidr"), GROUP)).toBe(false); // covers both blocks, still wider
    expect(entryIsRow(tcp(443, 443, ipv4("192.168.0.0/24")), row("vpcCidr"), GROUP)).toBe(false);
  });

  it("vpcCidr: not IPv6, prefix lists, groups, or unparsable blocks", () => {
    expect(entryIsRow(tcp(443, 443, ipv6("2600:1f18::/64")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv6("::ffff:10.0.0.1/128")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, prefixList("pl-1")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, group("sg-self")), row("vpcCidr"), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0")), row("vpcCidr"), GROUP)).toBe(false);
  });

  it("vpcCidr: nothing matches when the VPC has no known blocks", () => {
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/16")), row("vpcCidr"), { groupId: "sg-self", vpcCidrs: [] })).toBe(false);
  });

  it("vpcCidr: an IPv6 VPC block does not make an IPv4 range match", () => {
    const v6Only: GroupContext = { groupId: "sg-self", vpcCidrs: [cidr("::/0")] };
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/16")), row("vpcCidr"), v6Only)).toBe(false);
  });

  it("any: every kind of source", () => {
    for (const source of [ipv4("0.0.0.0/0"), ipv6("::/0"), prefixList("pl-1"), group("sg-other"), ipv4("junk")]) {
      expect(entryIsRow(tcp(443, 443, source), row("any"), GROUP)).toBe(true);
    }
  });

  it("{cidr}: exactly that block, in either family", () => {
    expect(entryIsRow(tcp(443, 443, ipv4("0.0.0.0/0")), row({ cidr: "0.0.0.0/0" }), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.7/16")), row({ cidr: "10.0.0.0/16" }), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, ipv6("::/0")), row({ cidr: "::/0" }), GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, ipv4("10.0.0.0/16")), row({ cidr: "0.0.0.0/0" }), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv4("0.0.0.0/0")), row({ cidr: "10.0.0.0/16" }), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, ipv6("::/0")), row({ cidr: "0.0.0.0/0" }), GROUP)).toBe(false);
    expect(entryIsRow(tcp(443, 443, prefixList("pl-1")), row({ cidr: "0.0.0.0/0" }), GROUP)).toBe(false);
  });

  it("{cidr}: a row block that does not parse matches nothing", () => {
    expect(entryIsRow(tcp(443, 443, ipv4("0.0.0.0/0")), row({ cidr: "0.0.0.0" }), GROUP)).toBe(false);
  });
});

describe("entryIsRow: protocol and port", () => {
  const from = ipv4("10.0.0.0/16");

  it("port means exactly that port", () => {
    expect(entryIsRow(tcp(443, 443, from), { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 444, from), { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(false);
    expect(entryIsRow(tcp(442, 443, from), { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(false);
    expect(entryIsRow(tcp(0, 65535, from), { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(false);
    expect(entryIsRow(tcp(80, 80, from), { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(false);
  });

  it("a row without a port takes any ports of its protocol", () => {
    expect(entryIsRow(tcp(1, 1024, from), { protocol: "tcp", source: "vpcCidr" }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(0, 65535, from), { protocol: "tcp", source: "vpcCidr" }, GROUP)).toBe(true);
  });

  it("protocol names and numbers are the same protocol, on both sides", () => {
    const byNumber = entry({ IpProtocol: "6", FromPort: 443, ToPort: 443, ...from });
    expect(entryIsRow(byNumber, { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, from), { protocol: "6", port: 443, source: "vpcCidr" }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(443, 443, from), { protocol: "TCP", port: 443, source: "vpcCidr" }, GROUP)).toBe(true);
  });

  it("another protocol does not match", () => {
    const udp = entry({ IpProtocol: "udp", FromPort: 443, ToPort: 443, ...from });
    expect(entryIsRow(udp, { protocol: "tcp", port: 443, source: "vpcCidr" }, GROUP)).toBe(false);
  });

  it("all and -1 are the same, and only match all traffic", () => {
    const all = entry({ IpProtocol: "-1", ...group("sg-self") });
    expect(entryIsRow(all, { protocol: "all", source: "self" }, GROUP)).toBe(true);
    expect(entryIsRow(all, { protocol: "-1", source: "self" }, GROUP)).toBe(true);
    // All traffic is more than TCP 443 ...
    expect(entryIsRow(all, { protocol: "tcp", port: 443, source: "self" }, GROUP)).toBe(false);
    // ... and TCP all ports is not all traffic.
    expect(entryIsRow(tcp(0, 65535, group("sg-self")), { protocol: "all", source: "self" }, GROUP)).toBe(false);
  });

  it("any takes whatever protocol and ports, but the source still counts", () => {
    const all = entry({ IpProtocol: "-1", ...ipv4("0.0.0.0/0") });
    expect(entryIsRow(all, { protocol: "any", source: { cidr: "0.0.0.0/0" } }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(22, 22, ipv4("0.0.0.0/0")), { protocol: "any", source: { cidr: "0.0.0.0/0" } }, GROUP)).toBe(true);
    expect(entryIsRow(tcp(22, 22, ipv4("10.0.0.0/16")), { protocol: "any", source: { cidr: "0.0.0.0/0" } }, GROUP)).toBe(false);
  });

  it("a protocol number without ports matches its number", () => {
    const esp = entry({ IpProtocol: "50", FromPort: 0, ToPort: 0, ...from });
    expect(entryIsRow(esp, { protocol: "50", source: "vpcCidr" }, GROUP)).toBe(true);
    expect(entryIsRow(esp, { protocol: "51", source: "vpcCidr" }, GROUP)).toBe(false);
  });
});

describe("flowIsCovered", () => {
  const need443 = (source: FlowSpec["source"]): FlowSpec => ({ protocol: "tcp", port: 443, source });

  it("all traffic (-1) covers TCP 443", () => {
    expect(flowIsCovered(need443("vpcCidr"), [entry({ IpProtocol: "-1", ...ipv4("10.0.0.0/16") })], GROUP)).toBe(true);
  });

  it("TCP 0-65535 and ranges around the port cover it", () => {
    expect(flowIsCovered(need443("vpcCidr"), [tcp(0, 65535, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(400, 500, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
  });

  it("a range that misses the port, or another protocol, does not cover it", () => {
    expect(flowIsCovered(need443("vpcCidr"), [tcp(444, 500, ipv4("10.0.0.0/16"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(80, 442, ipv4("10.0.0.0/16"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [entry({ IpProtocol: "udp", FromPort: 443, ToPort: 443, ...ipv4("10.0.0.0/16") })], GROUP)).toBe(false);
  });

  it("a required all-traffic row is not covered by TCP all ports", () => {
    expect(flowIsCovered({ protocol: "all", source: "self" }, [tcp(0, 65535, group("sg-self"))], GROUP)).toBe(false);
    expect(flowIsCovered({ protocol: "all", source: "self" }, [entry({ IpProtocol: "-1", ...group("sg-self") })], GROUP)).toBe(true);
  });

  it("vpcCidr needs a source containing a VPC block: equal or wider, not narrower", () => {
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("10.1.0.0/16"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("10.0.0.0/8"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("0.0.0.0/0"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("10.0.1.0/24"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("192.168.0.0/16"))], GROUP)).toBe(false);
  });

  it("vpcCidr is not covered by IPv6, prefix lists or groups", () => {
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv6("::/0"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, prefixList("pl-1"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, group("sg-self"))], GROUP)).toBe(false);
  });

  it("vpcCidr is not covered when the VPC blocks are unknown", () => {
    expect(flowIsCovered(need443("vpcCidr"), [tcp(443, 443, ipv4("0.0.0.0/0"))], { groupId: "sg-self", vpcCidrs: [] })).toBe(false);
  });

  it("self needs the group itself", () => {
    expect(flowIsCovered(need443("self"), [tcp(443, 443, group("sg-self"))], GROUP)).toBe(true);
    expect(flowIsCovered(need443("self"), [tcp(443, 443, group("sg-other"))], GROUP)).toBe(false);
    expect(flowIsCovered(need443("self"), [tcp(443, 443, ipv4("0.0.0.0/0"))], GROUP)).toBe(false);
  });

  it("any takes any source", () => {
    expect(flowIsCovered(need443("any"), [tcp(443, 443, prefixList("pl-1"))], GROUP)).toBe(true);
  });

  it("traffic and source must hold for the same entry", () => {
    const entries = [tcp(443, 443, ipv4("192.168.0.0/16")), tcp(22, 22, ipv4("10.0.0.0/16"))];
    expect(flowIsCovered(need443("vpcCidr"), entries, GROUP)).toBe(false);
    expect(flowIsCovered(need443("vpcCidr"), [...entries, tcp(443, 443, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
  });

  it("nothing is covered by no entries", () => {
    expect(flowIsCovered({ protocol: "any", source: "any" }, [], GROUP)).toBe(false);
  });

  it("a row without a port is covered by any range of its protocol", () => {
    expect(flowIsCovered({ protocol: "tcp", source: "any" }, [tcp(22, 22, ipv4("10.0.0.0/16"))], GROUP)).toBe(true);
  });
});

describe("describeSource", () => {
  it("names each kind of source", () => {
    expect(describeSource({ kind: "securityGroup", value: "sg-self" }, GROUP)).toBe("sg-self (itself)");
    expect(describeSource({ kind: "securityGroup", value: "sg-other" }, GROUP)).toBe("security group sg-other");
    expect(describeSource({ kind: "prefixList", value: "pl-1" }, GROUP)).toBe("prefix list pl-1");
    expect(describeSource(tcp(443, 443, ipv4("0.0.0.0/0")).source, GROUP)).toBe("0.0.0.0/0");
    expect(describeSource(tcp(443, 443, ipv6("::/0")).source, GROUP)).toBe("::/0");
  });
});

describe("describeRow", () => {
  it.each([
    [{ protocol: "tcp", port: 443, source: "vpcCidr" }, "TCP 443 with the VPC CIDR"],
    [{ protocol: "6", port: 22, source: "any" }, "TCP 22 with anywhere"],
    [{ protocol: "all", source: "self" }, "all traffic with itself"],
    [{ protocol: "-1", source: "self" }, "all traffic with itself"],
    [{ protocol: "udp", source: "any" }, "UDP all ports with anywhere"],
    [{ protocol: "any", source: { cidr: "0.0.0.0/0" } }, "any traffic with 0.0.0.0/0"],
    [{ protocol: "50", source: { cidr: "::/0" } }, "protocol 50 with ::/0"],
  ] as [FlowSpec, string][])("%j is %s", (row, text) => {
    expect(describeRow(row)).toBe(text);
  });
});
