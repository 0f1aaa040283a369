// The resource types sagegate knows, declared once. Everything else (snapshot validation,
// the engine's indexes, report ARNs, the collectors) looks a type up here.

export type ResourceObject = Record<string, unknown>;

export type AwsService = "ec2" | "ecr" | "sagemaker" | "kms" | "logs";

export interface ResourceTypeDef {
  /** AWS CloudFormation / AWS Config name, e.g. AWS::EC2::SecurityGroup. */
  type: string;
  service: AwsService;
  /** Field of the stored object that holds its natural id. */
  idField: string;
  /** ARN of a resource; uses the stored ARN field when present. */
  arn(resource: ResourceObject, accountId: string, region: string): string;
  /** The call that lists (and usually describes) the resources. Its failure means the region's list is unknown. */
  listOperation: string;
  /** The call that produced the object's own fields (often the same as listOperation). */
  describeOperation: string;
  /** Fields added by a second call, mapped to that call. A rule reading such a field needs that call to have succeeded. */
  fieldOperations: Readonly<Record<string, string>>;
  /** Name of this type's definition in schemas/snapshot.schema.json. */
  schemaDefinition: string;
  /** Objects nested inside this type that rules may look up by id (e.g. model packages inside a group). */
  children?: ReadonlyArray<ChildTypeDef>;
}

export interface ChildTypeDef {
  type: string;
  /** Array field of the parent holding the children. */
  field: string;
  idField: string;
}

/** The partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function str(resource: ResourceObject, field: string): string | undefined {
  const v = resource[field];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

function arnFrom(field: string | undefined, service: string, path: (id: string) => string, idField: string) {
  return (r: ResourceObject, accountId: string, region: string): string =>
    (field && str(r, field)) ?? `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${path(String(r[idField]))}`;
}

const TYPES: ResourceTypeDef[] = [
  {
    type: "AWS::EC2::VPC",
    schemaDefinition: "vpc",
    service: "ec2",
    idField: "VpcId",
    arn: arnFrom(undefined, "ec2", (id) => `vpc/${id}`, "VpcId"),
    listOperation: "DescribeVpcs",
    describeOperation: "DescribeVpcs",
    fieldOperations: {},
  },
  {
    type: "AWS::EC2::Subnet",
    schemaDefinition: "subnet",
    service: "ec2",
    idField: "SubnetId",
    arn: arnFrom("SubnetArn", "ec2", (id) => `subnet/${id}`, "SubnetId"),
    listOperation: "DescribeSubnets",
    describeOperation: "DescribeSubnets",
    fieldOperations: {},
  },
  {
    type: "AWS::EC2::SecurityGroup",
    schemaDefinition: "securityGroup",
    service: "ec2",
    idField: "GroupId",
    arn: arnFrom("SecurityGroupArn", "ec2", (id) => `security-group/${id}`, "GroupId"),
    listOperation: "DescribeSecurityGroups",
    describeOperation: "DescribeSecurityGroups",
    fieldOperations: {},
  },
  {
    type: "AWS::ECR::Repository",
    schemaDefinition: "ecrRepository",
    service: "ecr",
    idField: "repositoryName",
    arn: arnFrom("repositoryArn", "ecr", (id) => `repository/${id}`, "repositoryName"),
    listOperation: "DescribeRepositories",
    describeOperation: "DescribeRepositories",
    fieldOperations: { lifecyclePolicyText: "GetLifecyclePolicy", images: "DescribeImages" },
  },
  {
    type: "AWS::SageMaker::ModelPackageGroup",
    schemaDefinition: "modelPackageGroup",
    service: "sagemaker",
    idField: "ModelPackageGroupName",
    arn: arnFrom("ModelPackageGroupArn", "sagemaker", (id) => `model-package-group/${id.toLowerCase()}`, "ModelPackageGroupName"),
    listOperation: "ListModelPackageGroups",
    describeOperation: "DescribeModelPackageGroup",
    fieldOperations: { ModelPackages: "DescribeModelPackage" },
    children: [{ type: "AWS::SageMaker::ModelPackage", field: "ModelPackages", idField: "ModelPackageArn" }],
  },
  {
    type: "AWS::SageMaker::TrainingJob",
    schemaDefinition: "trainingJob",
    service: "sagemaker",
    idField: "TrainingJobName",
    arn: arnFrom("TrainingJobArn", "sagemaker", (id) => `training-job/${id.toLowerCase()}`, "TrainingJobName"),
    listOperation: "ListTrainingJobs",
    describeOperation: "DescribeTrainingJob",
    fieldOperations: {},
  },
  {
    type: "AWS::SageMaker::ProcessingJob",
    schemaDefinition: "processingJob",
    service: "sagemaker",
    idField: "ProcessingJobName",
    arn: arnFrom("ProcessingJobArn", "sagemaker", (id) => `processing-job/${id.toLowerCase()}`, "ProcessingJobName"),
    listOperation: "ListProcessingJobs",
    describeOperation: "DescribeProcessingJob",
    fieldOperations: {},
  },
  {
    type: "AWS::SageMaker::Model",
    schemaDefinition: "model",
    service: "sagemaker",
    idField: "ModelName",
    arn: arnFrom("ModelArn", "sagemaker", (id) => `model/${id.toLowerCase()}`, "ModelName"),
    listOperation: "ListModels",
    describeOperation: "DescribeModel",
    fieldOperations: {},
  },
  {
    type: "AWS::SageMaker::Endpoint",
    schemaDefinition: "endpoint",
    service: "sagemaker",
    idField: "EndpointName",
    arn: arnFrom("EndpointArn", "sagemaker", (id) => `endpoint/${id.toLowerCase()}`, "EndpointName"),
    listOperation: "ListEndpoints",
    describeOperation: "DescribeEndpoint",
    fieldOperations: { EndpointConfig: "DescribeEndpointConfig" },
  },
  {
    type: "AWS::KMS::Key",
    schemaDefinition: "kmsKey",
    service: "kms",
    idField: "KeyId",
    arn: arnFrom("Arn", "kms", (id) => `key/${id}`, "KeyId"),
    listOperation: "ListKeys",
    describeOperation: "DescribeKey",
    fieldOperations: { Policy: "GetKeyPolicy", KeyRotationEnabled: "GetKeyRotationStatus", Aliases: "ListAliases" },
  },
  {
    type: "AWS::Logs::LogGroup",
    schemaDefinition: "logGroup",
    service: "logs",
    idField: "logGroupName",
    arn: (r, accountId, region) =>
      str(r, "logGroupArn") ??
      str(r, "arn")?.replace(/:\*$/, "") ??
      `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${String(r.logGroupName)}`,
    listOperation: "DescribeLogGroups",
    describeOperation: "DescribeLogGroups",
    fieldOperations: {},
  },
];

const BY_TYPE = new Map(TYPES.map((t) => [t.type, t]));

/** Child types (e.g. AWS::SageMaker::ModelPackage) mapped to their parent declaration. */
const CHILD_PARENT = new Map<string, { parent: ResourceTypeDef; child: ChildTypeDef }>();
for (const t of TYPES) for (const c of t.children ?? []) CHILD_PARENT.set(c.type, { parent: t, child: c });

export const RESOURCE_TYPES: readonly ResourceTypeDef[] = TYPES;

export function resourceType(type: string): ResourceTypeDef | undefined {
  return BY_TYPE.get(type);
}

export function childType(type: string): { parent: ResourceTypeDef; child: ChildTypeDef } | undefined {
  return CHILD_PARENT.get(type);
}

/** Every type name a rule may mention: top-level types and the child types. */
export function knownTypeNames(): string[] {
  return [...BY_TYPE.keys(), ...CHILD_PARENT.keys()].sort();
}

/** The call that provides `field` of a `type` object. */
export function operationForField(def: ResourceTypeDef, field: string): string {
  return def.fieldOperations[field] ?? def.describeOperation;
}
