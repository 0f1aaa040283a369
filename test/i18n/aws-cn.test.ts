// The China regions (teams that write their design in Chinese often run there): the aws-cn
// partition in ARNs, ECR hosts under amazonaws.com.cn, and the cn-north-1 / cn-northwest-1 names.
import { describe, expect, it } from "vitest";
import { partitionOf, resourceType } from "../../src/resources/catalog.js";
import { parseImageReference } from "../../src/evaluate/domain/values.js";

describe("the aws-cn partition", () => {
  it.each([
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
    ["eu-west-1", "aws"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("%s is in partition %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it("builds ARNs of resources in the China regions with arn:aws-cn", () => {
    const vpc = resourceType("AWS::EC2::VPC")!;
    expect(vpc.arn({ VpcId: "vpc-1" }, "111122223333", "cn-northwest-1")).toBe("arn:aws-cn:ec2:cn-northwest-1:111122223333:vpc/vpc-1");
    const logs = resourceType("AWS::Logs::LogGroup")!;
    expect(logs.arn({ logGroupName: "/aws/sagemaker/TrainingJobs" }, "111122223333", "cn-north-1")).toBe(
      "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/sagemaker/TrainingJobs",
    );
  });

  it("reads an ECR image reference whose host ends in amazonaws.com.cn", () => {
    expect(parseImageReference("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/acme-sm-rc-fraud-detection/inference:latest")).toEqual({
      registry: "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn",
      repository: "acme-sm-rc-fraud-detection/inference",
      tag: "latest",
      impliedTag: false,
    });
    expect(parseImageReference("111122223333.dkr.ecr.cn-northwest-1.amazonaws.com.cn/acme-sm-algo-rec/training").tag).toBe("latest");
  });
});
