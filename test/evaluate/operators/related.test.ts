import { testOperator } from "./tester.js";

const vpc = { type: "AWS::EC2::VPC" };
const group = (id: string, name: string) => ({ GroupId: id, GroupName: name, VpcId: "vpc-1", IpPermissions: [], IpPermissionsEgress: [] });
const groups = { "AWS::EC2::SecurityGroup": [group("sg-1", "acme-ml-training"), group("sg-2", "default"), { ...group("sg-3", "elsewhere"), VpcId: "vpc-2" }] };
const about = { type: "AWS::EC2::SecurityGroup", key: "VpcId", value: "VpcId" };

testOperator("related", {
  holds: [
    { ...vpc, check: { related: { ...about, some: { path: "GroupName", equals: "{tagPrefix}-training" } } }, resource: { VpcId: "vpc-1" }, related: groups },
    { name: "count", ...vpc, check: { related: { ...about, count: { equals: 2 } } }, resource: { VpcId: "vpc-1" }, related: groups },
    { name: "none", ...vpc, check: { related: { ...about, none: { path: "GroupName", equals: "elsewhere" } } }, resource: { VpcId: "vpc-1" }, related: groups },
  ],
  fails: [
    {
      name: "some",
      ...vpc,
      check: { related: { ...about, some: { path: "GroupName", equals: "{tagPrefix}-inference" } } },
      resource: { VpcId: "vpc-1" },
      related: groups,
      message: 'no SecurityGroup with VpcId = "vpc-1" has GroupName equals "acme-ml-inference"',
      evidence: [{ type: "AWS::EC2::SecurityGroup", candidates: 2 }],
    },
    {
      name: "every names the offenders",
      ...vpc,
      check: { related: { ...about, every: { path: "GroupName", regex: "^{tagPrefix}-" } } },
      resource: { VpcId: "vpc-1" },
      related: groups,
      message: "SecurityGroup sg-2 fails: GroupName matches /^{tagPrefix}-/",
      evidence: [{ type: "AWS::EC2::SecurityGroup", id: "sg-2" }],
    },
    {
      name: "count",
      ...vpc,
      check: { related: { ...about, count: { lt: 2 } } },
      resource: { VpcId: "vpc-1" },
      related: groups,
      message: '2 SecurityGroup resources with VpcId = "vpc-1", expected < 2',
    },
  ],
  error: [
    {
      name: "the related type could not be listed",
      ...vpc,
      check: { related: { ...about, count: { lt: 2 } } },
      resource: { VpcId: "vpc-1" },
      errors: [{ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups" }],
      message: "could not evaluate: DescribeSecurityGroups failed: AccessDeniedException",
    },
  ],
  refused: [
    {
      check: { related: { ...about, some: { path: "a", exists: true }, count: { lt: 1 } } },
      message: /\/check\/related: takes one of some, every, none, count; found some and count/,
    },
    { check: { related: { ...about } }, message: /\/check\/related: needs one of some, every, none, count/ },
    {
      name: "child types are not listed",
      check: { related: { ...about, type: "AWS::SageMaker::ModelPackage", count: { lt: 1 } } },
      message: /\/check\/related\/type: must be one of/,
    },
  ],
});
