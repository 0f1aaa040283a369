import { testOperator } from "./tester.js";

const job = (groups: string[]) => ({ VpcConfig: { SecurityGroupIds: groups, Subnets: [] } });
const group = (id: string, name: string) => ({ GroupId: id, GroupName: name, VpcId: "vpc-1", IpPermissions: [], IpPermissionsEgress: [] });
const related = { "AWS::EC2::SecurityGroup": [group("sg-1", "acme-ml-training"), group("sg-2", "default")] };
const named = { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroup", check: { path: "GroupName", regex: "^{tagPrefix}-" } } };

testOperator("ref", {
  holds: [
    { check: { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroup" } }, resource: job(["sg-1", "sg-2"]), related },
    { name: "check on each target", check: named, resource: job(["sg-1"]), related },
    {
      name: "a child type by ARN",
      type: "AWS::SageMaker::Model",
      check: {
        ref: { path: "PrimaryContainer.ModelPackageName", type: "AWS::SageMaker::ModelPackage", check: { path: "ModelApprovalStatus", equals: "Approved" } },
      },
      resource: { PrimaryContainer: { ModelPackageName: "arn:aws:sagemaker:eu-west-1:111122223333:model-package/g/1" } },
      related: {
        "AWS::SageMaker::ModelPackageGroup": [
          {
            ModelPackageGroupName: "g",
            ModelPackages: [{ ModelPackageArn: "arn:aws:sagemaker:eu-west-1:111122223333:model-package/g/1", ModelApprovalStatus: "Approved" }],
          },
        ],
      },
    },
  ],
  fails: [
    {
      name: "a dangling id",
      check: { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroup" } },
      resource: job(["sg-1", "sg-9"]),
      related,
      message: "VpcConfig.SecurityGroupIds[] names SecurityGroup sg-9, which is not in the snapshot",
      evidence: [{ missing: "sg-9", type: "AWS::EC2::SecurityGroup" }],
    },
    {
      name: "a target that fails the check",
      check: named,
      resource: job(["sg-2"]),
      related,
      message: 'SecurityGroup sg-2: GroupName "default" does not match',
      evidence: [{ ref: "sg-2" }],
    },
  ],
  error: [
    {
      name: "the type could not be listed",
      check: { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroup" } },
      resource: job(["sg-9"]),
      errors: [{ resourceType: "AWS::EC2::SecurityGroup", operation: "DescribeSecurityGroups" }],
      message: /could not evaluate: .*DescribeSecurityGroups failed: AccessDeniedException/,
    },
  ],
  refused: [{ check: { ref: { path: "VpcConfig.SecurityGroupIds[]", type: "AWS::EC2::SecurityGroups" } }, message: /\/check\/ref\/type: must be one of/ }],
});
