import { testOperator } from "./tester.js";

const kms = { type: "AWS::KMS::Key" };

testOperator("equals", {
  holds: [
    { ...kms, check: { path: "KeyState", equals: "Enabled" }, resource: { KeyState: "Enabled" } },
    { name: "a region placeholder", ...kms, check: { path: "AWSAccountId", equals: "{accountId}" }, resource: { AWSAccountId: "111122223333" } },
    {
      name: "deep equality of mappings",
      check: { path: "StoppingCondition", equals: { MaxRuntimeInSeconds: 3600 } },
      resource: { StoppingCondition: { MaxRuntimeInSeconds: 3600 } },
    },
    { name: "a config subject", check: { config: "tagPrefix", equals: "acme-ml" }, resource: {} },
  ],
  fails: [
    {
      ...kms,
      check: { path: "KeyState", equals: "Enabled" },
      resource: { KeyState: "Disabled" },
      message: 'KeyState is "Disabled", expected "Enabled"',
      evidence: [{ path: "KeyState", actual: "Disabled", expected: "Enabled" }],
    },
    {
      name: "a missing field equals nothing",
      ...kms,
      check: { path: "KeyState", equals: "Enabled" },
      resource: {},
      message: "KeyState is missing",
      evidence: [{ actual: null }],
    },
    {
      name: 'hyperparameters are strings: 1 is not "1"',
      check: { path: "HyperParameters.epochs", equals: 1 },
      resource: { HyperParameters: { epochs: "1" } },
      message: 'HyperParameters.epochs is "1", expected 1',
    },
  ],
  refused: [
    { ...kms, check: { path: "KeyState", equals: "{nope}" }, message: /\/check\/equals: unknown placeholder \{nope\}/ },
    {
      check: { path: "VpcConfig.Subnets[]", equals: "x" },
      message: /\/check\/path: "VpcConfig\.Subnets\[\]" yields several values; use every\/some\/none\/count for lists/,
    },
    { check: { config: "tagprefix", equals: "x" }, message: /\/check\/config: config must name a configuration value: / },
    { check: { path: "A", config: "tagPrefix", equals: "x" }, message: /\/check\/config: give either path or config, not both/ },
    {
      check: { path: "A", equals: 1, notEquals: 2 },
      message: /\/check\/notEquals: one operator per condition, found equals and notEquals; combine them with all\/any/,
    },
  ],
});

testOperator("notEquals", {
  holds: [
    { ...kms, check: { path: "KeyState", notEquals: "PendingDeletion" }, resource: { KeyState: "Enabled" } },
    { name: "a missing field passes", ...kms, check: { path: "KeyState", notEquals: "PendingDeletion" }, resource: {} },
  ],
  fails: [
    { ...kms, check: { path: "KeyState", notEquals: "PendingDeletion" }, resource: { KeyState: "PendingDeletion" }, message: 'KeyState is "PendingDeletion"' },
  ],
});

testOperator("in", {
  holds: [
    { name: "a list placeholder", check: { path: "Environment.PROJECT", in: "{projects}" }, resource: { Environment: { PROJECT: "rc-fraud-detection" } } },
    {
      name: "a list with a placeholder item",
      check: { path: "Environment.TEAM", in: ["{teams}", "platform"] },
      resource: { Environment: { TEAM: "platform" } },
    },
    {
      name: "lists of mappings",
      check: { path: "StoppingCondition", in: [{ MaxRuntimeInSeconds: 3600 }, { MaxRuntimeInSeconds: 7200 }] },
      resource: { StoppingCondition: { MaxRuntimeInSeconds: 7200 } },
    },
  ],
  fails: [
    {
      check: { path: "Environment.PROJECT", in: "{projects}" },
      resource: { Environment: { PROJECT: "other" } },
      message: 'Environment.PROJECT is "other", expected one of "rc-fraud-detection", "algo-recommendation"',
      evidence: [{ expected: ["rc-fraud-detection", "algo-recommendation"] }],
    },
  ],
  refused: [
    { check: { path: "Environment.PROJECT", in: 3 }, message: /\/check\/in: must be array, not a number/ },
    { name: "a placeholder that is not a list", check: { path: "Environment.PROJECT", in: "{tagPrefix}" }, message: /\/check\/in: in\/notIn take a list/ },
  ],
});

testOperator("notIn", {
  holds: [{ check: { path: "ResourceConfig.InstanceType", notIn: ["ml.p4d.24xlarge"] }, resource: { ResourceConfig: { InstanceType: "ml.m5.xlarge" } } }],
  fails: [
    {
      check: { path: "ResourceConfig.InstanceType", notIn: ["ml.p4d.24xlarge"] },
      resource: { ResourceConfig: { InstanceType: "ml.p4d.24xlarge" } },
      message: 'ResourceConfig.InstanceType is "ml.p4d.24xlarge"',
    },
  ],
  refused: [
    {
      name: "a placeholder that is not a list",
      check: { path: "ResourceConfig.InstanceType", notIn: "{company}" },
      message: /\/check\/notIn: in\/notIn take a list/,
    },
  ],
});
