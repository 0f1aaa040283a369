import { testOperator } from "./tester.js";

const key = { type: "AWS::KMS::Key" };
const usedBy = {
  referencedBy: { types: ["AWS::SageMaker::TrainingJob", "AWS::SageMaker::Endpoint"], fields: ["KmsKeyId", "VolumeKmsKeyId"], values: ["KeyId", "Arn"] },
};
const arn = "arn:aws:kms:eu-west-1:111122223333:key/k-1";

testOperator("referencedBy", {
  holds: [
    {
      name: "by ARN, at any depth",
      ...key,
      check: usedBy,
      resource: { KeyId: "k-1", Arn: arn },
      related: { "AWS::SageMaker::TrainingJob": [{ TrainingJobName: "t", OutputDataConfig: { KmsKeyId: arn } }] },
    },
    {
      name: "by id",
      ...key,
      check: usedBy,
      resource: { KeyId: "k-1", Arn: arn },
      related: { "AWS::SageMaker::Endpoint": [{ EndpointName: "e", EndpointConfig: { KmsKeyId: "k-1" } }] },
    },
  ],
  fails: [
    {
      ...key,
      check: usedBy,
      resource: { KeyId: "k-1", Arn: arn },
      related: { "AWS::SageMaker::TrainingJob": [{ TrainingJobName: "t", OutputDataConfig: { KmsKeyId: "k-2" } }] },
      message: "not referenced by any TrainingJob, Endpoint",
    },
  ],
  error: [
    {
      name: "not found while a type was not read completely",
      ...key,
      check: usedBy,
      resource: { KeyId: "k-1", Arn: arn },
      errors: [{ resourceType: "AWS::SageMaker::Endpoint", operation: "DescribeEndpoint", resourceId: "e" }],
      message: "could not evaluate: cannot tell whether any AWS::SageMaker::Endpoint references it: AWS::SageMaker::Endpoint was not read completely",
    },
  ],
  refused: [{ check: { referencedBy: { ...usedBy.referencedBy, fields: [] } }, message: /\/check\/referencedBy\/fields: must not be empty/ }],
});
