// Large generated inventories for pagination, concurrency and benchmark runs. Node builtins only
// (the benchmark compiles this file on its own).
import type { FixtureDoc, Obj } from "./server.js";

export interface SyntheticSize {
  repositories?: number;
  imagesPerRepository?: number;
  logGroups?: number;
  securityGroups?: number;
  keys?: number;
  /** Model package groups, each with `packagesPerGroup` versions (default 1). */
  modelPackageGroups?: number;
  packagesPerGroup?: number;
  /** VPCs, each with `subnetsPerVpc` subnets (default 3); security groups are spread over them. */
  vpcs?: number;
  subnetsPerVpc?: number;
}

const iso = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
const pad = (n: number, w = 6) => String(n).padStart(w, "0");

export function syntheticFixture(size: SyntheticSize, account = "111122223333", region = "eu-west-1"): FixtureDoc {
  const repos: Obj[] = [];
  for (let i = 0; i < (size.repositories ?? 0); i++) {
    const name = `acme-sm-team${i % 7}-project${pad(i)}/training`;
    const images: Obj[] = [];
    for (let j = 0; j < (size.imagesPerRepository ?? 1); j++) {
      images.push({
        registryId: account,
        repositoryName: name,
        imageDigest: `sha256:${pad(i, 32)}${pad(j, 32)}`,
        imageTags: [`v${j}.0`],
        imageSizeInBytes: 1000 + j,
        imagePushedAt: iso(i + j),
      });
    }
    const repo: Obj = {
      repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
      registryId: account,
      repositoryName: name,
      repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
      createdAt: iso(i),
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: "AES256" },
    };
    // Every third repository has no lifecycle policy: LifecyclePolicyNotFoundException is data.
    if (i % 3 !== 0) {
      repo.lifecyclePolicyText = JSON.stringify({
        rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } }],
      });
    }
    repo.images = images;
    repos.push(repo);
  }
  const logGroups: Obj[] = [];
  for (let i = 0; i < (size.logGroups ?? 0); i++) {
    const name = `/aws/sagemaker/TrainingJobs/job-${pad(i)}`;
    logGroups.push({
      logGroupName: name,
      creationTime: Date.UTC(2026, 0, 1) + i,
      retentionInDays: 90,
      metricFilterCount: 0,
      arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*`,
      storedBytes: i,
      logGroupClass: "STANDARD",
      logGroupArn: `arn:aws:logs:${region}:${account}:log-group:${name}`,
    });
  }
  const sgs: Obj[] = [];
  for (let i = 0; i < (size.securityGroups ?? 0); i++) {
    const id = `sg-${pad(i, 17)}`;
    sgs.push({
      GroupId: id,
      IpPermissionsEgress: [
        { IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [], IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [] },
      ],
      Tags: [{ Key: "Name", Value: `acme-ml-group-${i}` }],
      VpcId: "vpc-0a1b2c3d4e5f60001",
      SecurityGroupArn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
      OwnerId: account,
      GroupName: `acme-ml-group-${i}`,
      Description: "generated",
      IpPermissions: [],
    });
  }
  const keys: Obj[] = [];
  for (let i = 0; i < (size.keys ?? 0); i++) {
    const id = `${pad(i, 8)}-0000-4000-8000-000000000000`;
    keys.push({
      KeyId: id,
      AWSAccountId: account,
      Arn: `arn:aws:kms:${region}:${account}:key/${id}`,
      CreationDate: iso(i),
      Enabled: true,
      Description: "",
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      Policy: "{}",
      KeyRotationEnabled: i % 2 === 0,
      Aliases: [{ AliasName: `alias/sagemaker-k${pad(i)}`, AliasArn: `arn:aws:kms:${region}:${account}:alias/sagemaker-k${pad(i)}`, TargetKeyId: id }],
    });
  }
  const vpcs: Obj[] = [];
  const subnets: Obj[] = [];
  for (let v = 0; v < (size.vpcs ?? 0); v++) {
    const id = `vpc-${pad(v, 17)}`;
    vpcs.push({
      OwnerId: account,
      InstanceTenancy: "default",
      CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${pad(v, 17)}`, CidrBlock: `10.${v}.0.0/16`, CidrBlockState: { State: "associated" } }],
      IsDefault: false,
      VpcId: id,
      State: "available",
      CidrBlock: `10.${v}.0.0/16`,
    });
    for (let n = 0; n < (size.subnetsPerVpc ?? 3); n++) {
      const subnetId = `subnet-${pad(v, 8)}${pad(n, 9)}`;
      subnets.push({
        SubnetId: subnetId,
        SubnetArn: `arn:aws:ec2:${region}:${account}:subnet/${subnetId}`,
        VpcId: id,
        CidrBlock: `10.${v}.${n}.0/24`,
        AvailabilityZone: `${region}${"abc"[n % 3]}`,
        State: "available",
        MapPublicIpOnLaunch: false,
        OwnerId: account,
      });
    }
  }
  if (vpcs.length > 0) sgs.forEach((sg, i) => (sg.VpcId = vpcs[i % vpcs.length]!.VpcId));
  const groups: Obj[] = [];
  for (let g = 0; g < (size.modelPackageGroups ?? 0); g++) {
    const name = `rc-project${pad(g)}`;
    const packages: Obj[] = [];
    for (let v = 1; v <= (size.packagesPerGroup ?? 1); v++) {
      packages.push({
        ModelPackageName: name,
        ModelPackageGroupName: name,
        ModelPackageVersion: v,
        ModelPackageArn: `arn:aws:sagemaker:${region}:${account}:model-package/${name}/${v}`,
        CreationTime: iso(g + v),
        ModelPackageStatus: "Completed",
        ModelApprovalStatus: v % 2 === 0 ? "Approved" : "PendingManualApproval",
        CustomerMetadataProperties: { TrainingJobName: `${name}-train-${v}`, GitCommit: "0a1b2c3", TrainedBy: "pipeline" },
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: "application/json", S3Uri: `s3://acme-ml-models/${name}/${v}/evaluation.json` } } },
      });
    }
    groups.push({
      ModelPackageGroupName: name,
      ModelPackageGroupArn: `arn:aws:sagemaker:${region}:${account}:model-package-group/${name}`,
      ModelPackageGroupDescription: "generated",
      CreationTime: iso(g),
      ModelPackageGroupStatus: "Completed",
      ModelPackages: packages,
    });
  }
  const resources: Record<string, Obj[]> = {
    "AWS::EC2::SecurityGroup": sgs,
    "AWS::EC2::Subnet": subnets,
    "AWS::EC2::VPC": vpcs,
    "AWS::ECR::Repository": repos,
    "AWS::KMS::Key": keys,
    "AWS::Logs::LogGroup": logGroups,
    "AWS::SageMaker::Endpoint": [],
    "AWS::SageMaker::Model": [],
    "AWS::SageMaker::ModelPackageGroup": groups,
    "AWS::SageMaker::ProcessingJob": [],
    "AWS::SageMaker::TrainingJob": [],
  };
  return { accounts: [{ accountId: account, regions: [{ region, resources }] }] };
}

/**
 * An organisation: every account × region with the same generated inventory (ids and ARNs of its
 * own account and region). Account ids are 111100000000, 111100001111, … (step 1111).
 */
export function syntheticOrganisation(accounts: number, regions: readonly string[], size: SyntheticSize): FixtureDoc {
  const doc: FixtureDoc = { accounts: [] };
  for (let a = 0; a < accounts; a++) {
    const accountId = String(111100000000 + a * 1111);
    const perRegion = regions.map((region) => syntheticFixture(size, accountId, region).accounts[0]!.regions[0]!);
    doc.accounts.push({ accountId, regions: perRegion });
  }
  return doc;
}
