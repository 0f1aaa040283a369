import { testOperator } from "./tester.js";

const repo = { type: "AWS::ECR::Repository" };
const policy = (rules: unknown[]) => JSON.stringify({ rules });

testOperator("json", {
  holds: [
    {
      ...repo,
      check: { path: "lifecyclePolicyText", json: { some: { path: "rules[].selection.countNumber", check: { lte: 10 } } } },
      resource: { lifecyclePolicyText: policy([{ selection: { countType: "imageCountMoreThan", countNumber: 10 } }]) },
    },
  ],
  fails: [
    {
      ...repo,
      check: { path: "lifecyclePolicyText", json: { some: { path: "rules[]" } } },
      resource: { lifecyclePolicyText: policy([]) },
      message: "no rules[]",
    },
    {
      name: "missing",
      ...repo,
      check: { path: "lifecyclePolicyText", json: { path: "rules", exists: true } },
      resource: {},
      message: "lifecyclePolicyText is missing",
    },
    {
      name: "not JSON",
      ...repo,
      check: { path: "lifecyclePolicyText", json: { path: "rules", exists: true } },
      resource: { lifecyclePolicyText: "{rules:" },
      message: "lifecyclePolicyText is not valid JSON",
      evidence: [{ path: "lifecyclePolicyText" }],
    },
    {
      name: "nested deeper than any policy",
      ...repo,
      check: { path: "lifecyclePolicyText", json: { path: "rules", exists: true } },
      resource: { lifecyclePolicyText: "[".repeat(100) + "]".repeat(100) },
      message: "lifecyclePolicyText is nested deeper than 64 levels",
    },
  ],
  refused: [{ check: { path: "lifecyclePolicyText", json: "rules" }, message: /\/check\/json: must be object, not a string/ }],
});
