import { testOperator } from "./tester.js";

const sg = { type: "AWS::EC2::SecurityGroup" };
const perm = (protocol: string, from: number | undefined, to: number | undefined, cidrs: string[], groups: string[] = []) => ({
  IpProtocol: protocol,
  ...(from !== undefined ? { FromPort: from, ToPort: to } : {}),
  IpRanges: cidrs.map((CidrIp) => ({ CidrIp })),
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: groups.map((GroupId) => ({ GroupId })),
});
const group = (ingress: unknown[]) => ({ GroupId: "sg-1", GroupName: "acme-ml-training", VpcId: "vpc-1", IpPermissions: ingress, IpPermissionsEgress: [] });
const vpcs = { "AWS::EC2::VPC": [{ VpcId: "vpc-1", CidrBlockAssociationSet: [{ CidrBlock: "10.0.0.0/16", CidrBlockState: { State: "associated" } }] }] };
const table = {
  permissions: {
    direction: "ingress",
    only: [
      { protocol: "all", source: "self" },
      { protocol: "tcp", port: 443, source: "vpcCidr" },
    ],
  },
};

testOperator("permissions", {
  holds: [
    { ...sg, check: table, resource: group([perm("-1", undefined, undefined, [], ["sg-1"]), perm("tcp", 443, 443, ["10.0.1.0/24"])]), related: vpcs },
    {
      name: "include",
      ...sg,
      check: { permissions: { direction: "ingress", include: [{ protocol: "tcp", port: 443, source: "vpcCidr" }] } },
      resource: group([perm("tcp", 0, 65535, ["10.0.0.0/8"])]),
      related: vpcs,
    },
    {
      name: "none",
      ...sg,
      check: { permissions: { direction: "ingress", none: [{ protocol: "tcp", port: 22, source: { cidr: "0.0.0.0/0" } }] } },
      resource: group([perm("tcp", 443, 443, ["0.0.0.0/0"])]),
    },
  ],
  fails: [
    {
      name: "only: an entry outside the table",
      ...sg,
      check: table,
      resource: group([perm("tcp", 22, 22, ["0.0.0.0/0"])]),
      related: vpcs,
      message: "ingress TCP 22 from 0.0.0.0/0",
      evidence: [{ direction: "ingress", permission: "TCP 22", fromPort: 22, toPort: 22, source: "0.0.0.0/0", sourceType: "ipv4" }],
    },
    {
      name: "only: a range wider than the VPC is not vpcCidr",
      ...sg,
      check: table,
      resource: group([perm("tcp", 443, 443, ["10.0.0.0/8"])]),
      related: vpcs,
      evidence: [{ source: "10.0.0.0/8" }],
    },
    {
      name: "include: a flow no permission allows",
      ...sg,
      check: { permissions: { direction: "ingress", include: [{ protocol: "all", source: "self" }] } },
      resource: group([]),
      related: vpcs,
      message: "no ingress permission allows",
      evidence: [{ direction: "ingress", protocol: "all", port: null, source: "self" }],
    },
    {
      name: "the group's VPC is not in the snapshot",
      ...sg,
      check: table,
      resource: group([]),
      message: "the group's VPC vpc-1 is not in the snapshot",
      evidence: [{ missing: "vpc-1", type: "AWS::EC2::VPC" }],
    },
  ],
  error: [
    {
      name: "the VPC could not be read",
      ...sg,
      check: table,
      resource: group([]),
      errors: [{ resourceType: "AWS::EC2::VPC", operation: "DescribeVpcs" }],
      message: "could not evaluate: DescribeVpcs failed: AccessDeniedException",
    },
  ],
  refused: [
    {
      check: { permissions: { direction: "ingress", only: [{ protocol: "tcp", port: 443, source: { cidr: "10.0.0.0/33" } }] } },
      message: /\/check\/permissions\/only\/0\/source: source: self, vpcCidr, any, or \{ cidr: <block> \}/,
    },
    {
      check: { permissions: { direction: "ingress", only: [{ protocol: "tcp", port: 70000, source: "any" }] } },
      message: /\/check\/permissions\/only\/0\/port: must be <= 65535/,
    },
    {
      check: { permissions: { direction: "inbound", none: [{ protocol: "all", source: "any" }] } },
      message: /\/check\/permissions\/direction: must be one of "ingress", "egress"/,
    },
  ],
});
