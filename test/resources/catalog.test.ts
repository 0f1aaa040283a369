// Each type's calls are declared once, in its `collect` spec; what a failed call makes unknown is
// derived from it. These are the calls the engine relied on when they were written out by hand.
import { describe, expect, it } from "vitest";
import { describeOperation, listOperation, operationsForField, RESOURCE_TYPES, resourceType } from "../../src/resources/catalog.js";

const EXPECTED: Record<string, { list: string; describe: string; fields: Record<string, string[]> }> = {
  "AWS::EC2::VPC": { list: "DescribeVpcs", describe: "DescribeVpcs", fields: {} },
  "AWS::EC2::Subnet": { list: "DescribeSubnets", describe: "DescribeSubnets", fields: {} },
  "AWS::EC2::SecurityGroup": { list: "DescribeSecurityGroups", describe: "DescribeSecurityGroups", fields: {} },
  "AWS::ECR::Repository": {
    list: "DescribeRepositories",
    describe: "DescribeRepositories",
    fields: { lifecyclePolicyText: ["GetLifecyclePolicy"], images: ["DescribeImages"] },
  },
  "AWS::SageMaker::ModelPackageGroup": {
    list: "ListModelPackageGroups",
    describe: "DescribeModelPackageGroup",
    fields: { ModelPackages: ["ListModelPackages", "DescribeModelPackage"] },
  },
  "AWS::SageMaker::TrainingJob": { list: "ListTrainingJobs", describe: "DescribeTrainingJob", fields: {} },
  "AWS::SageMaker::ProcessingJob": { list: "ListProcessingJobs", describe: "DescribeProcessingJob", fields: {} },
  "AWS::SageMaker::Model": { list: "ListModels", describe: "DescribeModel", fields: {} },
  "AWS::SageMaker::Endpoint": { list: "ListEndpoints", describe: "DescribeEndpoint", fields: { EndpointConfig: ["DescribeEndpointConfig"] } },
  "AWS::KMS::Key": {
    list: "ListKeys",
    describe: "DescribeKey",
    fields: { Policy: ["GetKeyPolicy"], KeyRotationEnabled: ["GetKeyRotationStatus"], Aliases: ["ListAliases"] },
  },
  "AWS::Logs::LogGroup": { list: "DescribeLogGroups", describe: "DescribeLogGroups", fields: {} },
};

describe("resource catalogue", () => {
  it("declares exactly the expected types", () => {
    expect(RESOURCE_TYPES.map((t) => t.type).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [type, expected] of Object.entries(EXPECTED)) {
    it(`${type}: list, describe and field calls come from its collect spec`, () => {
      const def = resourceType(type)!;
      expect(listOperation(def)).toBe(expected.list);
      expect(describeOperation(def)).toBe(expected.describe);
      // A field of the described object needs the describe call; an added field also needs the calls that add it.
      expect(operationsForField(def, def.idField)).toEqual([expected.describe]);
      for (const [field, ops] of Object.entries(expected.fields)) expect(operationsForField(def, field)).toEqual([expected.describe, ...ops]);
      const added = (def.collect.details ?? []).map((d) => d.field).sort();
      expect(added).toEqual(Object.keys(expected.fields).sort());
    });
  }
});
