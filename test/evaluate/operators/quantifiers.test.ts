import { testOperator } from "./tester.js";

const vpcConfig = (subnets: string[]) => ({ VpcConfig: { SecurityGroupIds: ["sg-1"], Subnets: subnets } });
const tags = (pairs: Record<string, string>) => ({ Tags: Object.entries(pairs).map(([Key, Value]) => ({ Key, Value })) });
// Tags are a security group's (DescribeTrainingJob returns none), containers a model's.
const sg = { type: "AWS::EC2::SecurityGroup" };
const model = { type: "AWS::SageMaker::Model" };

testOperator("every", {
  holds: [
    { check: { every: { path: "VpcConfig.Subnets[]", check: { regex: "^subnet-" } } }, resource: vpcConfig(["subnet-1", "subnet-2"]) },
    { name: "no items", check: { every: { path: "VpcConfig.Subnets[]", check: { regex: "^subnet-" } } }, resource: vpcConfig([]) },
    {
      name: "where selects",
      ...sg,
      check: { every: { path: "Tags[]", where: { path: "Key", equals: "Team" }, check: { path: "Value", in: "{teams}" } } },
      resource: tags({ Team: "rc", Other: "x" }),
    },
    {
      name: "several paths",
      check: { every: { path: ["VpcConfig.Subnets[]", "VpcConfig.SecurityGroupIds[]"], check: { regex: "-" } } },
      resource: vpcConfig(["subnet-1"]),
    },
  ],
  fails: [
    {
      name: "strings name themselves",
      check: { every: { path: "VpcConfig.Subnets[]", check: { regex: "^subnet-" } } },
      resource: vpcConfig(["subnet-1", "sn-2"]),
      message: 'sn-2: value "sn-2" does not match /^subnet-/',
      evidence: [{ item: "sn-2" }],
    },
    {
      name: "label names items",
      ...sg,
      check: { every: { path: "Tags[]", label: "Key", check: { path: "Value", empty: false } } },
      resource: { Tags: [{ Key: "Team", Value: "" }] },
      message: "Team: Value is empty",
      evidence: [{ item: "Team" }],
    },
    {
      name: "items without a label are numbered",
      ...sg,
      check: { every: { path: "Tags[]", check: { path: "Value", empty: false } } },
      resource: {
        Tags: [
          { Key: "a", Value: "x" },
          { Key: "b", Value: "" },
        ],
      },
      message: "Tags[] #2: Value is empty",
    },
    {
      name: "nested quantifiers keep the outer item",
      ...model,
      check: {
        every: { path: "Containers[]", label: "ContainerHostname", check: { every: { path: "Environment[]", check: { path: "Value", empty: false } } } },
      },
      resource: { Containers: [{ ContainerHostname: "c1", Environment: [{ Value: "" }] }] },
      evidence: [{ item: "c1", items: ["c1", "Environment[] #1"] }],
    },
  ],
  refused: [
    { check: { every: { path: "VpcConfig.Subnets[]" } }, message: /\/check\/every: missing required key "check"/ },
    { check: { every: { path: "Subnets[", check: { exists: true } } }, message: /\/check\/every\/path: "Subnets\[" is not a field path/ },
  ],
});

testOperator("some", {
  holds: [
    {
      ...sg,
      check: { some: { path: "Tags[]", where: { path: "Key", equals: "Project" }, check: { path: "Value", in: "{projects}" } } },
      resource: tags({ Project: "rc-fraud-detection" }),
    },
    {
      name: "without check: there is one",
      ...sg,
      check: { some: { path: "Tags[]", where: { path: "Key", equals: "Owner" } } },
      resource: tags({ Owner: "x" }),
    },
  ],
  fails: [
    {
      name: "none selected",
      ...sg,
      check: { some: { path: "Tags[]", where: { path: "Key", equals: "Owner" } } },
      resource: tags({}),
      message: 'no Tags[] where Key equals "Owner"',
      evidence: [{ candidates: 0 }],
    },
    {
      name: "none meets the check",
      ...sg,
      check: { some: { path: "Tags[]", where: { path: "Key", equals: "Project" }, check: { path: "Value", in: "{projects}" } } },
      resource: tags({ Project: "other" }),
      message: 'no Tags[] where Key equals "Project" has Value is one of',
      evidence: [{ path: "Tags[]", candidates: 1 }],
    },
  ],
});

testOperator("none", {
  holds: [{ ...sg, check: { none: { path: "Tags[]", where: { path: "Key", regex: "^aws:" } } }, resource: tags({ Project: "x" }) }],
  fails: [
    {
      ...sg,
      check: { none: { path: "Tags[]", label: "Key", where: { path: "Key", regex: "^aws:" } } },
      resource: tags({ "aws:cloudformation:stack-name": "x" }),
      message: "aws:cloudformation:stack-name: matches Key matches /^aws:/",
      evidence: [{ item: "aws:cloudformation:stack-name" }],
    },
    {
      name: "with check",
      check: { none: { path: "VpcConfig.Subnets[]", check: { equals: "subnet-public" } } },
      resource: vpcConfig(["subnet-public"]),
      message: 'subnet-public: value equals "subnet-public"',
    },
  ],
});
