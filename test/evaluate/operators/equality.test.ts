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
    { name: '1 is not "1"', check: { path: "Count", equals: 1 }, resource: { Count: "1" }, message: 'Count is "1", expected 1' },
  ],
  refused: [
    { check: { path: "KeyState", equals: "{nope}" }, message: /\/check\/equals: unknown placeholder \{nope\}/ },
    { check: { path: "Tags[].Key", equals: "x" }, message: /\/check\/path: "Tags\[\]\.Key" yields several values; use every\/some\/none\/count for lists/ },
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
    { check: { path: "RootAccess", notEquals: "Enabled" }, resource: { RootAccess: "Disabled" } },
    { name: "a missing field passes", check: { path: "RootAccess", notEquals: "Enabled" }, resource: {} },
  ],
  fails: [{ check: { path: "RootAccess", notEquals: "Enabled" }, resource: { RootAccess: "Enabled" }, message: 'RootAccess is "Enabled"' }],
});

testOperator("in", {
  holds: [
    { name: "a list placeholder", check: { path: "Project", in: "{projects}" }, resource: { Project: "rc-fraud-detection" } },
    { name: "a list with a placeholder item", check: { path: "Team", in: ["{teams}", "platform"] }, resource: { Team: "platform" } },
    { name: "lists of mappings", check: { path: "Mode", in: [{ a: 1 }, { b: 2 }] }, resource: { Mode: { b: 2 } } },
  ],
  fails: [
    {
      check: { path: "Project", in: "{projects}" },
      resource: { Project: "other" },
      message: 'Project is "other", expected one of "rc-fraud-detection", "algo-recommendation"',
      evidence: [{ expected: ["rc-fraud-detection", "algo-recommendation"] }],
    },
  ],
  refused: [
    { check: { path: "Project", in: 3 }, message: /\/check\/in: must be array, not a number/ },
    { name: "a placeholder that is not a list", check: { path: "Project", in: "{tagPrefix}" }, message: /\/check\/in: in\/notIn take a list/ },
  ],
});

testOperator("notIn", {
  holds: [{ check: { path: "InstanceType", notIn: ["ml.p4d.24xlarge"] }, resource: { InstanceType: "ml.m5.xlarge" } }],
  fails: [
    {
      check: { path: "InstanceType", notIn: ["ml.p4d.24xlarge"] },
      resource: { InstanceType: "ml.p4d.24xlarge" },
      message: 'InstanceType is "ml.p4d.24xlarge"',
    },
  ],
  refused: [
    { name: "a placeholder that is not a list", check: { path: "InstanceType", notIn: "{company}" }, message: /\/check\/notIn: in\/notIn take a list/ },
  ],
});
