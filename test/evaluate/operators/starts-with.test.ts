import { testOperator } from "./tester.js";

const sg = { type: "AWS::EC2::SecurityGroup" };
const group = (name: string) => ({ GroupId: "sg-1", GroupName: name, VpcId: "vpc-1" });

testOperator("startsWith", {
  holds: [
    { ...sg, check: { path: "GroupName", startsWith: "{tagPrefix}-" }, resource: group("acme-ml-training") },
    {
      name: "a tag prefix with a dot is text, not a pattern",
      ...sg,
      config: { tagPrefix: "acme.ml" },
      check: { path: "GroupName", startsWith: "{tagPrefix}-" },
      resource: group("acme.ml-training"),
    },
    {
      name: "one of a list placeholder",
      check: { path: "TrainingJobName", startsWith: "{projects}" },
      resource: { TrainingJobName: "algo-recommendation-2026-01" },
    },
    {
      name: "one of several texts",
      check: { path: "RoleArn", startsWith: ["arn:aws:iam::{accountId}:role/", "arn:aws-cn:iam::{accountId}:role/"] },
      resource: { RoleArn: "arn:aws:iam::111122223333:role/x" },
    },
    { name: "the whole text", ...sg, check: { path: "GroupName", startsWith: "acme-ml-training" }, resource: group("acme-ml-training") },
  ],
  fails: [
    {
      ...sg,
      check: { path: "GroupName", startsWith: "{tagPrefix}-" },
      resource: group("acme-mlops-bastion"),
      message: 'GroupName "acme-mlops-bastion" does not start with "acme-ml-"',
      evidence: [{ path: "GroupName", actual: "acme-mlops-bastion", expected: "acme-ml-" }],
    },
    {
      name: "a dot is not any character",
      ...sg,
      config: { tagPrefix: "acme.ml" },
      check: { path: "GroupName", startsWith: "{tagPrefix}-" },
      resource: group("acmexml-training"),
    },
    {
      name: "another account's role",
      check: { path: "RoleArn", startsWith: "arn:aws:iam::{accountId}:role/" },
      resource: { RoleArn: "arn:aws:iam::444455556666:role/x" },
      message: 'does not start with "arn:aws:iam::111122223333:role/"',
    },
    {
      name: "a list names every text",
      check: { path: "TrainingJobName", startsWith: "{projects}" },
      resource: { TrainingJobName: "legacy-job" },
      message: 'TrainingJobName "legacy-job" does not start with one of "rc-fraud-detection", "algo-recommendation"',
      evidence: [{ expected: ["rc-fraud-detection", "algo-recommendation"] }],
    },
    { name: "missing", check: { path: "RoleArn", startsWith: "arn:" }, resource: {}, message: 'RoleArn is missing, expected text starting with "arn:"' },
    { name: "not a string", ...sg, check: { path: "Tags", startsWith: "a" }, resource: { Tags: [] }, message: "Tags is [], expected text starting with" },
  ],
  refused: [
    { ...sg, check: { path: "GroupName", startsWith: 3 }, message: /\/check\/startsWith: must be string, not a number/ },
    { ...sg, check: { path: "GroupName", startsWith: [] }, message: /\/check\/startsWith: must not be empty/ },
    { ...sg, check: { path: "GroupName", startsWith: "{prefix}-" }, message: /\/check\/startsWith: unknown placeholder \{prefix\}/ },
    {
      name: "a list placeholder inside a longer text",
      ...sg,
      check: { path: "GroupName", startsWith: "x-{projects}" },
      message: /\{projects\} is a list and cannot be part of a longer string/,
    },
  ],
});
