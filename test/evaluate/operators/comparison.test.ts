import { testOperator } from "./tester.js";

const logGroup = { type: "AWS::Logs::LogGroup" };

testOperator("lt", {
  holds: [{ ...logGroup, check: { path: "retentionInDays", lt: 3653 }, resource: { retentionInDays: 90 } }],
  fails: [
    { ...logGroup, check: { path: "retentionInDays", lt: 3653 }, resource: { retentionInDays: 3653 }, message: "retentionInDays is 3653, expected < 3653" },
  ],
  refused: [{ ...logGroup, check: { path: "retentionInDays", lt: [1] }, message: /\/check\/lt: must be number,string, not an array/ }],
});

testOperator("lte", {
  holds: [{ ...logGroup, check: { path: "retentionInDays", lte: 90 }, resource: { retentionInDays: 90 } }],
  fails: [{ ...logGroup, check: { path: "retentionInDays", lte: 90 }, resource: { retentionInDays: 91 }, message: "expected ≤ 90" }],
});

testOperator("gt", {
  holds: [{ ...logGroup, check: { path: "retentionInDays", gt: 0 }, resource: { retentionInDays: 1 } }],
  fails: [
    {
      name: "a string is not a number",
      ...logGroup,
      check: { path: "retentionInDays", gt: 0 },
      resource: {},
      message: "retentionInDays is missing, expected > 0",
    },
  ],
});

testOperator("gte", {
  holds: [
    {
      name: "a number placeholder",
      ...logGroup,
      check: { path: "retentionInDays", gte: "{logRetentionDays.trainingJobs}" },
      resource: { retentionInDays: 90 },
    },
  ],
  fails: [
    {
      ...logGroup,
      check: { path: "retentionInDays", gte: "{logRetentionDays.trainingJobs}" },
      resource: { retentionInDays: 30 },
      message: "retentionInDays is 30, expected ≥ 90",
      evidence: [{ path: "retentionInDays", actual: 30, expected: 90 }],
    },
  ],
  refused: [{ ...logGroup, check: { path: "retentionInDays", gte: "{logRetention}" }, message: /\/check\/gte: unknown placeholder \{logRetention\}/ }],
});
