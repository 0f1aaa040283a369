// The resource types sagegate knows, declared once. Everything else (snapshot validation,
// the engine's indexes, report ARNs, the collector) looks a type up here. Each type's
// `collect` declaration says which AWS calls gather it (see collect-spec.ts).
import type { CollectSpec, ErrorMatch } from "./collect-spec.js";

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
  /** Name of this type's definition in schemas/snapshot.schema.json. */
  schemaDefinition: string;
  /** Objects nested inside this type that rules may look up by id (e.g. model packages inside a group). */
  children?: ReadonlyArray<ChildTypeDef>;
  /**
   * How `sagegate collect` gathers this type with the AWS SDK. It also says which call produced
   * which field (listOperation, describeOperation, operationsForField), so a failed call turns
   * exactly the rules that read its fields into `error`.
   */
  collect: CollectSpec;
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

/** SageMaker answers a Describe* of a resource deleted since it was listed with ValidationException (or the modeled ResourceNotFound). */
const SAGEMAKER_GONE: readonly ErrorMatch[] = [
  { code: "ResourceNotFound" },
  { code: "ValidationException", message: "not found|could not find|does not exist" },
];

const TYPES: ResourceTypeDef[] = [
  {
    type: "AWS::EC2::VPC",
    schemaDefinition: "vpc",
    service: "ec2",
    idField: "VpcId",
    arn: arnFrom(undefined, "ec2", (id) => `vpc/${id}`, "VpcId"),
    collect: { list: { operation: "DescribeVpcs", itemsKey: "Vpcs", pageSize: 1000, returns: ["OwnerId", "CidrBlock", "State"] } },
  },
  {
    type: "AWS::EC2::Subnet",
    schemaDefinition: "subnet",
    service: "ec2",
    idField: "SubnetId",
    arn: arnFrom("SubnetArn", "ec2", (id) => `subnet/${id}`, "SubnetId"),
    collect: { list: { operation: "DescribeSubnets", itemsKey: "Subnets", pageSize: 1000, returns: ["VpcId", "CidrBlock", "AvailabilityZone", "State"] } },
  },
  {
    type: "AWS::EC2::SecurityGroup",
    schemaDefinition: "securityGroup",
    service: "ec2",
    idField: "GroupId",
    arn: arnFrom("SecurityGroupArn", "ec2", (id) => `security-group/${id}`, "GroupId"),
    collect: {
      list: {
        operation: "DescribeSecurityGroups",
        itemsKey: "SecurityGroups",
        pageSize: 1000,
        returns: ["GroupName", "VpcId", "OwnerId", "IpPermissions", "IpPermissionsEgress"],
      },
    },
  },
  {
    type: "AWS::ECR::Repository",
    schemaDefinition: "ecrRepository",
    service: "ecr",
    idField: "repositoryName",
    arn: arnFrom("repositoryArn", "ecr", (id) => `repository/${id}`, "repositoryName"),
    collect: {
      list: { operation: "DescribeRepositories", itemsKey: "repositories", pageSize: 1000, returns: ["repositoryArn", "registryId", "repositoryUri"] },
      details: [
        {
          kind: "single",
          field: "lifecyclePolicyText",
          operation: "GetLifecyclePolicy",
          from: { repositoryName: "repositoryName", registryId: "registryId" },
          outputKey: "lifecyclePolicyText",
          absent: [{ code: "LifecyclePolicyNotFoundException" }],
          gone: [{ code: "RepositoryNotFoundException" }],
        },
        {
          kind: "paged",
          field: "images",
          operation: "DescribeImages",
          from: { repositoryName: "repositoryName", registryId: "registryId" },
          itemsKey: "imageDetails",
          pageSize: 1000,
          returns: ["imageDigest", "imagePushedAt"],
          sortBy: ["imagePushedAt", "imageDigest"],
          gone: [{ code: "RepositoryNotFoundException" }],
        },
      ],
    },
  },
  {
    type: "AWS::SageMaker::ModelPackageGroup",
    schemaDefinition: "modelPackageGroup",
    service: "sagemaker",
    idField: "ModelPackageGroupName",
    arn: arnFrom("ModelPackageGroupArn", "sagemaker", (id) => `model-package-group/${id.toLowerCase()}`, "ModelPackageGroupName"),
    children: [{ type: "AWS::SageMaker::ModelPackage", field: "ModelPackages", idField: "ModelPackageArn" }],
    collect: {
      list: { operation: "ListModelPackageGroups", itemsKey: "ModelPackageGroupSummaryList", pageSize: 100, returns: ["ModelPackageGroupArn"] },
      describe: {
        operation: "DescribeModelPackageGroup",
        from: { ModelPackageGroupName: "ModelPackageGroupName" },
        gone: SAGEMAKER_GONE,
        returns: ["ModelPackageGroupName", "ModelPackageGroupArn", "CreationTime", "ModelPackageGroupStatus"],
      },
      details: [
        {
          kind: "paged",
          field: "ModelPackages",
          operation: "ListModelPackages",
          from: { ModelPackageGroupName: "ModelPackageGroupName" },
          itemsKey: "ModelPackageSummaryList",
          pageSize: 100,
          returns: ["ModelPackageArn", "ModelPackageStatus", "CreationTime"],
          describeEach: {
            operation: "DescribeModelPackage",
            from: { ModelPackageName: "ModelPackageArn" },
            gone: SAGEMAKER_GONE,
            returns: ["ModelPackageName", "ModelPackageArn", "ModelPackageStatus", "CreationTime"],
          },
          sortBy: ["ModelPackageVersion", "ModelPackageArn"],
          gone: SAGEMAKER_GONE,
        },
      ],
    },
  },
  {
    type: "AWS::SageMaker::TrainingJob",
    schemaDefinition: "trainingJob",
    service: "sagemaker",
    idField: "TrainingJobName",
    arn: arnFrom("TrainingJobArn", "sagemaker", (id) => `training-job/${id.toLowerCase()}`, "TrainingJobName"),
    collect: {
      list: {
        operation: "ListTrainingJobs",
        itemsKey: "TrainingJobSummaries",
        pageSize: 100,
        sinceParam: "LastModifiedTimeAfter",
        returns: ["TrainingJobArn", "TrainingJobStatus"],
      },
      describe: {
        operation: "DescribeTrainingJob",
        from: { TrainingJobName: "TrainingJobName" },
        gone: SAGEMAKER_GONE,
        returns: ["TrainingJobName", "TrainingJobArn", "TrainingJobStatus", "CreationTime"],
      },
    },
  },
  {
    type: "AWS::SageMaker::ProcessingJob",
    schemaDefinition: "processingJob",
    service: "sagemaker",
    idField: "ProcessingJobName",
    arn: arnFrom("ProcessingJobArn", "sagemaker", (id) => `processing-job/${id.toLowerCase()}`, "ProcessingJobName"),
    collect: {
      list: {
        operation: "ListProcessingJobs",
        itemsKey: "ProcessingJobSummaries",
        pageSize: 100,
        sinceParam: "LastModifiedTimeAfter",
        returns: ["ProcessingJobArn", "ProcessingJobStatus"],
      },
      describe: {
        operation: "DescribeProcessingJob",
        from: { ProcessingJobName: "ProcessingJobName" },
        gone: SAGEMAKER_GONE,
        returns: ["ProcessingJobName", "ProcessingJobArn", "ProcessingJobStatus", "CreationTime"],
      },
    },
  },
  {
    type: "AWS::SageMaker::Model",
    schemaDefinition: "model",
    service: "sagemaker",
    idField: "ModelName",
    arn: arnFrom("ModelArn", "sagemaker", (id) => `model/${id.toLowerCase()}`, "ModelName"),
    collect: {
      list: { operation: "ListModels", itemsKey: "Models", pageSize: 100, returns: ["ModelArn"] },
      describe: { operation: "DescribeModel", from: { ModelName: "ModelName" }, gone: SAGEMAKER_GONE, returns: ["ModelName", "ModelArn", "CreationTime"] },
    },
  },
  {
    type: "AWS::SageMaker::Endpoint",
    schemaDefinition: "endpoint",
    service: "sagemaker",
    idField: "EndpointName",
    arn: arnFrom("EndpointArn", "sagemaker", (id) => `endpoint/${id.toLowerCase()}`, "EndpointName"),
    collect: {
      list: { operation: "ListEndpoints", itemsKey: "Endpoints", pageSize: 100, returns: ["EndpointArn", "EndpointStatus"] },
      describe: {
        operation: "DescribeEndpoint",
        from: { EndpointName: "EndpointName" },
        gone: SAGEMAKER_GONE,
        returns: ["EndpointName", "EndpointArn", "EndpointStatus", "CreationTime"],
      },
      details: [
        // A config deleted after the endpoint was created answers ValidationException: recorded as an error, never as "no config".
        {
          kind: "single",
          field: "EndpointConfig",
          operation: "DescribeEndpointConfig",
          from: { EndpointConfigName: "EndpointConfigName" },
          returns: ["EndpointConfigName", "EndpointConfigArn", "ProductionVariants", "CreationTime"],
        },
      ],
    },
  },
  {
    type: "AWS::KMS::Key",
    schemaDefinition: "kmsKey",
    service: "kms",
    idField: "KeyId",
    arn: arnFrom("Arn", "kms", (id) => `key/${id}`, "KeyId"),
    collect: {
      list: { operation: "ListKeys", itemsKey: "Keys", pageSize: 1000, returns: ["KeyArn"] },
      describe: {
        operation: "DescribeKey",
        from: { KeyId: "KeyId" },
        outputKey: "KeyMetadata",
        gone: [{ code: "NotFoundException" }],
        returns: ["KeyId", "Arn", "KeyState", "KeyManager"],
      },
      // AWS-managed keys are not the platform team's to configure. Keys pending deletion are kept; rules skip them.
      skip: [{ field: "KeyManager", equals: "AWS" }],
      details: [
        {
          kind: "single",
          field: "Policy",
          operation: "GetKeyPolicy",
          from: { KeyId: "KeyId" },
          fixed: { PolicyName: "default" },
          outputKey: "Policy",
          gone: [{ code: "NotFoundException" }],
        },
        {
          kind: "single",
          field: "KeyRotationEnabled",
          operation: "GetKeyRotationStatus",
          from: { KeyId: "KeyId" },
          outputKey: "KeyRotationEnabled",
          // Asymmetric, HMAC, imported and custom-key-store keys have no automatic rotation.
          absent: [{ code: "UnsupportedOperationException" }],
          gone: [{ code: "NotFoundException" }],
        },
        {
          kind: "region-join",
          field: "Aliases",
          operation: "ListAliases",
          itemsKey: "Aliases",
          pageSize: 100,
          returns: ["AliasName", "AliasArn"],
          joinOn: "TargetKeyId",
          skipPrefix: { field: "AliasName", prefix: "alias/aws/" },
          sortBy: ["AliasName"],
        },
      ],
    },
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
    collect: { list: { operation: "DescribeLogGroups", itemsKey: "logGroups", pageSize: 50, returns: ["creationTime", "arn"] } },
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

/** The call that lists (and usually describes) the resources. Its failure means the region's list is unknown. */
export function listOperation(def: ResourceTypeDef): string {
  return def.collect.list.operation;
}

/** The call that produced the object's own fields: the describe call, or the list call when there is none. */
export function describeOperation(def: ResourceTypeDef): string {
  return def.collect.describe?.operation ?? def.collect.list.operation;
}

/**
 * The calls that provide `field` of a `type` object: the detail call that adds it (and the
 * describe call of each listed item, for model packages), after the describe call. A field added
 * by a later call also needs the describe call: when it failed, the later calls were not made
 * (their input came from it).
 */
export function operationsForField(def: ResourceTypeDef, field: string): string[] {
  const detail = def.collect.details?.find((d) => d.field === field);
  if (!detail) return [describeOperation(def)];
  const describeEach = detail.kind === "paged" ? detail.describeEach : undefined;
  return [describeOperation(def), detail.operation, ...(describeEach ? [describeEach.operation] : [])];
}

/** Every AWS operation the collector may call for a type, in declaration order. */
export function collectOperations(def: ResourceTypeDef): string[] {
  const c = def.collect;
  const ops = [c.list.operation];
  if (c.describe) ops.push(c.describe.operation);
  for (const d of c.details ?? []) {
    ops.push(d.operation);
    if (d.kind === "paged" && d.describeEach) ops.push(d.describeEach.operation);
  }
  return ops;
}
