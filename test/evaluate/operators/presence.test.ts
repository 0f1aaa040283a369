import { testOperator } from "./tester.js";

const sg = { type: "AWS::EC2::SecurityGroup" };

testOperator("exists", {
  holds: [
    { check: { path: "VpcConfig", exists: true }, resource: { VpcConfig: { SecurityGroupIds: [], Subnets: [] } } },
    { check: { path: "OutputDataConfig.KmsKeyId", exists: false }, resource: {} },
  ],
  fails: [
    { check: { path: "VpcConfig", exists: true }, resource: {}, message: "VpcConfig is missing" },
    { check: { path: "RoleArn", exists: false }, resource: { RoleArn: "arn:aws:iam::1:role/x" }, message: 'RoleArn is set to "arn:aws:iam::1:role/x"' },
  ],
  refused: [{ check: { path: "VpcConfig", exists: "yes" }, message: /\/check\/exists: must be boolean, not a string/ }],
});

testOperator("empty", {
  holds: [
    { ...sg, check: { path: "Tags", empty: false }, resource: { Tags: [{ Key: "a", Value: "b" }] } },
    {
      name: 'missing, "", [] and {} are empty',
      check: {
        all: [
          { path: "Environment", empty: true },
          { path: "FailureReason", empty: true },
          { path: "DebugRuleConfigurations", empty: true },
          { path: "HyperParameters", empty: true },
        ],
      },
      resource: { FailureReason: "", DebugRuleConfigurations: [], HyperParameters: {} },
    },
    { name: "a config subject", check: { config: "vpcIds", empty: true }, resource: {} },
  ],
  fails: [
    { ...sg, check: { path: "Tags", empty: false }, resource: { Tags: [] }, message: "Tags is empty" },
    { ...sg, check: { path: "Tags", empty: true }, resource: { Tags: [{ Key: "a", Value: "b" }] }, message: "expected it empty" },
  ],
});
