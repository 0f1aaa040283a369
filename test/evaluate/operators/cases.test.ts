import { testOperator } from "./tester.js";

const logGroup = { type: "AWS::Logs::LogGroup" };
const check = {
  cases: [{ when: { path: "logGroupName", regex: "^/aws/sagemaker/TrainingJobs" }, then: { path: "retentionInDays", gte: 90 } }],
  else: { path: "retentionInDays", gte: 30 },
};

testOperator("cases", {
  holds: [
    { name: "the matching case's then", ...logGroup, check, resource: { logGroupName: "/aws/sagemaker/TrainingJobs", retentionInDays: 90 } },
    { name: "else when no case matches", ...logGroup, check, resource: { logGroupName: "/aws/lambda/x", retentionInDays: 30 } },
    { name: "no match and no else passes", ...logGroup, check: { cases: check.cases }, resource: { logGroupName: "/aws/lambda/x", retentionInDays: 1 } },
  ],
  fails: [
    {
      name: "then fails",
      ...logGroup,
      check,
      resource: { logGroupName: "/aws/sagemaker/TrainingJobs", retentionInDays: 30 },
      message: "retentionInDays is 30, expected ≥ 90",
    },
    { name: "else fails", ...logGroup, check, resource: { logGroupName: "/aws/lambda/x", retentionInDays: 7 }, message: "retentionInDays is 7, expected ≥ 30" },
  ],
  refused: [
    { check: { cases: [{ when: { path: "a", exists: true } }] }, message: /\/check\/cases\/0: missing required key "then"/ },
    {
      name: "else goes with cases only",
      check: { path: "a", exists: true, else: { path: "b", exists: true } },
      message: /\/check\/else: "else" goes with "cases", not with "exists"/,
    },
  ],
});
