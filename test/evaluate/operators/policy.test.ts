import { testOperator } from "./tester.js";

const key = { type: "AWS::KMS::Key" };
const doc = (...statements: unknown[]) => ({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
const sagemaker = (extra: Record<string, unknown> = {}) => ({
  Sid: "SageMaker",
  Effect: "Allow",
  Principal: { Service: "sagemaker.amazonaws.com" },
  Action: ["kms:Encrypt", "kms:Decrypt"],
  Resource: "*",
  ...extra,
});
const sourceAccount = { StringEquals: { "aws:SourceAccount": "111122223333" } };

testOperator("policy", {
  holds: [
    {
      ...key,
      check: {
        policy: {
          where: { principalService: "SageMaker.amazonaws.com" },
          every: {
            actionsWithin: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
            condition: { operator: "stringequals", key: "AWS:SourceAccount", values: "{accountId}", only: true },
          },
        },
      },
      resource: doc(root, sagemaker({ Condition: sourceAccount })),
    },
    { name: "none", ...key, check: { policy: { where: { principalEveryone: true }, none: { hasCondition: false } } }, resource: doc(root) },
    {
      name: "Statement as one object",
      ...key,
      check: { policy: { every: { actionsWithin: ["kms:*"] } } },
      resource: { Policy: JSON.stringify({ Statement: root }) },
    },
  ],
  fails: [
    {
      name: "every: a statement with a problem",
      ...key,
      check: { policy: { where: { principalService: "sagemaker.amazonaws.com" }, every: { hasCondition: true } } },
      resource: doc(root, sagemaker()),
      message: "has no Condition",
      evidence: [{ statement: "SageMaker", problems: ["has no Condition"] }],
    },
    {
      name: "a condition value that is not expected",
      ...key,
      check: {
        policy: {
          where: { effect: "Allow", principalService: "sagemaker.amazonaws.com" },
          every: { condition: { operator: "StringEquals", key: "aws:SourceAccount", values: "{accountId}" } },
        },
      },
      resource: doc(sagemaker({ Condition: { StringEquals: { "aws:SourceAccount": "444455556666" } } })),
      message: 'StringEquals aws:SourceAccount is "444455556666", expected "111122223333"',
    },
    { name: "not JSON", ...key, check: { policy: { every: { hasCondition: true } } }, resource: { Policy: "{" }, message: "Policy is not valid JSON" },
    { name: "missing", ...key, check: { policy: { every: { hasCondition: true } } }, resource: {}, message: "Policy is missing" },
  ],
  refused: [
    {
      check: { policy: { every: { hasCondition: true }, none: { hasCondition: false } } },
      message: /\/check\/policy: takes one of every, none; found every and none/,
    },
    { check: { policy: { every: {} } }, message: /\/check\/policy\/every: needs at least one of hasCondition, actionsWithin, condition/ },
    {
      check: { policy: { where: { effect: "allow" }, every: { hasCondition: true } } },
      message: /\/check\/policy\/where\/effect: must be one of "Allow", "Deny"/,
    },
    {
      ...key,
      check: { policy: { every: { condition: { operator: "StringEquals", key: "aws:SourceAccount", values: "{nope}" } } } },
      message: /\/check\/policy\/every\/condition\/values: unknown placeholder \{nope\}/,
    },
  ],
});
