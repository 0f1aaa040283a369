// The CDK test app: compliant and non-compliant resources of every catalogue area, synthesized
// with aws-cdk-lib (no credentials, no network). test/plan/cdk.test.ts plans the assembly and
// asserts each rule's result per construct path. The comments say what each construct is for.
import { App, Aws, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sagemaker from "aws-cdk-lib/aws-sagemaker";

export function synthesize(outdir: string): void {
  const app = new App({ outdir });
  const stack = new Stack(app, "Workloads");

  const vpc = new ec2.Vpc(stack, "Vpc", {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: "private", subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: "public", subnetType: ec2.SubnetType.PUBLIC },
    ],
  });
  const vpcCidr = ec2.Peer.ipv4(vpc.vpcCidrBlock);

  // Training: the design's table exactly, with CDK's self-references (standalone rules).
  const training = new ec2.SecurityGroup(stack, "TrainingSg", { vpc, securityGroupName: "acme-ml-training", allowAllOutbound: false });
  training.addIngressRule(training, ec2.Port.allTraffic(), "distributed training");
  training.addIngressRule(vpcCidr, ec2.Port.tcp(443), "internal API");
  training.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "AWS services");
  training.addEgressRule(training, ec2.Port.allTraffic(), "distributed training");

  // Processing: allowAllOutbound (egress all traffic to 0.0.0.0/0), SSH from the internet, no self rule.
  const processing = new ec2.SecurityGroup(stack, "ProcessingSg", { vpc, securityGroupName: "acme-ml-processing", allowAllOutbound: true });
  processing.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), "debug SSH");

  // Inference: the design's ingress; allowAllOutbound false and no egress: CDK's no-traffic placeholder.
  const inference = new ec2.SecurityGroup(stack, "InferenceSg", { vpc, securityGroupName: "acme-ml-inference", allowAllOutbound: false });
  inference.addIngressRule(vpcCidr, ec2.Port.tcp(443), "inference requests");
  inference.addIngressRule(vpcCidr, ec2.Port.tcp(8080), "inference container");

  // A project-level group under the tag prefix (§2.1 says purpose, not project).
  new ec2.SecurityGroup(stack, "ProjectSg", { vpc, securityGroupName: "acme-ml-rc-fraud", allowAllOutbound: false });

  // ECR: a project repository with the design's lifecycle rule and KMS encryption; a scratch repository without either.
  new ecr.Repository(stack, "InferenceRepo", {
    repositoryName: "acme-sm-rc-fraud-detection/inference",
    lifecycleRules: [{ maxImageCount: 10 }],
    encryption: ecr.RepositoryEncryption.KMS,
    imageScanOnPush: true,
  });
  new ecr.Repository(stack, "ScratchRepo", { repositoryName: "scratch" });

  // Logs: the design's retention (and a key); INFINITE (no RetentionInDays) for processing.
  const platformKey = new kms.Key(stack, "PlatformKey", { alias: "alias/sagemaker-platform", enableKeyRotation: true });
  new logs.LogGroup(stack, "TrainingLogs", {
    logGroupName: "/aws/sagemaker/TrainingJobs",
    retention: logs.RetentionDays.THREE_MONTHS,
    encryptionKey: platformKey,
  });
  new logs.LogGroup(stack, "ProcessingLogs", { logGroupName: "/aws/sagemaker/ProcessingJobs", retention: logs.RetentionDays.INFINITE });
  new logs.LogGroup(stack, "EndpointLogs", { logGroupName: "/aws/sagemaker/Endpoints/rc-fraud-detection-realtime", retention: logs.RetentionDays.TWO_WEEKS });
  new logs.LogGroup(stack, "AdhocEndpointLogs", { logGroupName: "/aws/sagemaker/Endpoints/adhoc", retention: logs.RetentionDays.TWO_WEEKS });

  // KMS: the platform key lets SageMaker use it for this account only (aws:SourceAccount: Aws.ACCOUNT_ID).
  platformKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "Allow SageMaker to use the key",
      principals: [new iam.ServicePrincipal("sagemaker.amazonaws.com")],
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
  // A key SageMaker may use for any account, with every action, and open to everyone.
  const looseKey = new kms.Key(stack, "LooseKey", { alias: "alias/sagemaker-loose" });
  looseKey.addToResourcePolicy(
    new iam.PolicyStatement({ principals: [new iam.ServicePrincipal("sagemaker.amazonaws.com")], actions: ["kms:*"], resources: ["*"] }),
  );
  looseKey.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ["kms:Decrypt"], resources: ["*"] }));

  // Model registry: the project's group, an approved version without metrics or lineage, a pending one.
  const group = new sagemaker.CfnModelPackageGroup(stack, "RegistryGroup", { modelPackageGroupName: "rc-fraud-detection" });
  const approved = new sagemaker.CfnModelPackage(stack, "ApprovedPackage", {
    modelPackageGroupName: group.attrModelPackageGroupArn,
    modelApprovalStatus: "Approved",
    customerMetadataProperties: { TrainingJobName: "rc-fraud-detection-xgb-20261101", GitCommit: "0123abc" },
  });
  const pending = new sagemaker.CfnModelPackage(stack, "PendingPackage", {
    modelPackageGroupName: group.attrModelPackageGroupArn,
    modelApprovalStatus: "PendingManualApproval",
    customerMetadataProperties: { TrainingJobName: "rc-fraud-detection-xgb-20261102", GitCommit: "4567def", TrainedBy: "ci" },
  });
  new sagemaker.CfnModelPackageGroup(stack, "AdhocGroup", { modelPackageGroupName: "FraudModels" });

  const privateSubnets = vpc.isolatedSubnets.map((s) => s.subnetId);
  const image = (tag: string) => `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/acme-sm-rc-fraud-detection/inference:${tag}`;
  // The served model: inference group only, a release tag, an approved package.
  const model = new sagemaker.CfnModel(stack, "ServedModel", {
    modelName: "rc-fraud-detection-model",
    executionRoleArn: "arn:aws:iam::111122223333:role/sagemaker-execution",
    primaryContainer: { image: image("v1.0"), modelPackageName: approved.ref },
    vpcConfig: { securityGroupIds: [inference.securityGroupId], subnets: privateSubnets },
  });
  // A model deployed by latest, on the training group, from a pending package.
  const latest = new sagemaker.CfnModel(stack, "LatestModel", {
    modelName: "rc-fraud-detection-latest",
    executionRoleArn: "arn:aws:iam::111122223333:role/sagemaker-execution",
    primaryContainer: { image: image("latest"), modelPackageName: pending.ref },
    vpcConfig: { securityGroupIds: [training.securityGroupId], subnets: privateSubnets },
  });
  const config = new sagemaker.CfnEndpointConfig(stack, "RealtimeConfig", {
    kmsKeyId: platformKey.keyArn,
    productionVariants: [{ variantName: "primary", modelName: model.attrModelName, initialInstanceCount: 1, instanceType: "ml.m5.large" }],
  });
  new sagemaker.CfnEndpoint(stack, "RealtimeEndpoint", { endpointName: "rc-fraud-detection-realtime", endpointConfigName: config.attrEndpointConfigName });
  const canaryConfig = new sagemaker.CfnEndpointConfig(stack, "CanaryConfig", {
    productionVariants: [{ variantName: "canary", modelName: latest.attrModelName, initialInstanceCount: 1, instanceType: "ml.m5.large" }],
  });
  new sagemaker.CfnEndpoint(stack, "CanaryEndpoint", { endpointName: "canary", endpointConfigName: canaryConfig.attrEndpointConfigName });

  app.synth();
}
