// From CloudFormation resources to the snapshot's objects, one entry per CloudFormation type:
// what `Ref` and `Fn::GetAtt` return, and the object of the snapshot type with the field names
// the AWS SDK uses (DescribeSecurityGroups, DescribeRepositories, DescribeKey, …), with AWS's
// defaults where the template is silent. Resources declared separately (standalone security
// group rules, aliases, secondary CIDR blocks, model package versions) become amendments of the
// resource they change, which may be planned or live.
import { createHash } from "node:crypto";
import { isUnresolved, unresolved, type Unresolved } from "../../resources/unresolved.js";
import type { ResourceObject } from "../../resources/catalog.js";
import type { Amendment, PlannedResource } from "../types.js";
import { isRecord, type Path } from "./resolve.js";

/** A declared resource as the translation sees it. */
export interface Declaration {
  logicalId: string;
  cfnType: string;
  /** Planned id (the declared name for named types, else the logical id). */
  readonly id: string;
  readonly arn: string;
  accountId: string;
  region: string;
  partition: string;
  urlSuffix: string;
  stackName: string;
  /** The resolved property (undefined when absent). */
  prop(name: string): unknown;
  /** Template path of a property, for messages. */
  path(...sub: Array<string | number>): Path;
  fail(message: string, path: Path): never;
  /** The planned EndpointConfig of this target named `name`, resolved. */
  endpointConfig(name: unknown): ResourceObject | Unresolved;
  /** A property that is text built with Fn::Join / Fn::Sub, with markers where parts are not known before deploy. */
  textWithHoles(...path: string[]): unknown;
}

export interface TranslationOutput {
  resource?: Omit<PlannedResource, "source" | "liveTags" | "condition">;
  amendments?: Array<Omit<Amendment, "source">>;
  /** A pipeline definition whose jobs are planned (AWS::SageMaker::Pipeline). */
  pipeline?: { name: unknown; body: unknown };
}

export interface TypeHandler {
  /** Snapshot type of the object it becomes (none for configs and amendments). */
  snapshotType?: string;
  /** Property holding the resource's physical name, for types whose snapshot id is a name. */
  nameProperty?: string;
  /** What `Ref` returns (default: the planned id). */
  ref?(d: Declaration): unknown;
  /** `Fn::GetAtt` attributes known before deploy. */
  attributes?: Record<string, (d: Declaration) => unknown>;
  translate(d: Declaration): TranslationOutput;
}

const afterDeploy = (d: Declaration, attribute: string) => unresolved("attribute", `${d.logicalId}.${attribute}`, "known only after deploy");

/** A CloudFormation-style generated physical name suffix: deterministic, upper case, never a purpose name. */
export function generatedSuffix(d: Pick<Declaration, "logicalId" | "stackName">): string {
  return createHash("sha256").update(`${d.stackName}\u0000${d.logicalId}`).digest("hex").slice(0, 13).toUpperCase();
}

// ------------------------------------------------------------------ value coercion (CloudFormation accepts strings for booleans and numbers)

function bool(d: Declaration, name: string, fallback?: boolean): unknown {
  const v = d.prop(name);
  if (v === undefined) return fallback;
  return asBool(d, v, d.path(name));
}

function asBool(d: Declaration, v: unknown, path: Path): unknown {
  if (isUnresolved(v) || typeof v === "boolean") return v;
  if (v === "true" || v === "True") return true;
  if (v === "false" || v === "False") return false;
  return d.fail(`must be true or false, not ${JSON.stringify(v)}`, path);
}

function int(d: Declaration, v: unknown, path: Path): unknown {
  if (v === undefined || isUnresolved(v)) return v;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return d.fail(`must be an integer, not ${JSON.stringify(v)}`, path);
}

function str(d: Declaration, v: unknown, path: Path): unknown {
  if (v === undefined || isUnresolved(v) || typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return d.fail(`must be a string, not ${Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v}`, path);
}

function list(d: Declaration, name: string): unknown[] | Unresolved | undefined {
  const v = d.prop(name);
  if (v === undefined || isUnresolved(v)) return v;
  if (!Array.isArray(v)) return d.fail("must be a list", d.path(name));
  return v as unknown[];
}

function set(out: ResourceObject, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function tags(d: Declaration): unknown {
  const t = d.prop("Tags");
  return t === undefined ? undefined : t;
}

// ------------------------------------------------------------------ security group permissions

type Direction = "ingress" | "egress";

/** One CloudFormation rule entry as an EC2 IpPermission with its single source. */
export function permissionOf(d: Declaration, entry: unknown, direction: Direction, path: Path): unknown {
  if (isUnresolved(entry)) return entry;
  if (!isRecord(entry)) return d.fail("a security group rule is a mapping", path);
  const protocolRaw = str(d, entry.IpProtocol, [...path, "IpProtocol"]);
  if (protocolRaw === undefined) return d.fail("a security group rule needs IpProtocol", path);
  const protocol = typeof protocolRaw === "string" ? protocolRaw.toLowerCase() : protocolRaw;
  const perm: Record<string, unknown> = { IpProtocol: protocol };
  if (protocol !== "-1") {
    set(perm, "FromPort", int(d, entry.FromPort, [...path, "FromPort"]));
    set(perm, "ToPort", int(d, entry.ToPort, [...path, "ToPort"]));
  }
  const description = entry.Description === undefined ? {} : { Description: entry.Description };
  const sources: Array<[string, unknown]> = [];
  if (entry.CidrIp !== undefined) sources.push(["IpRanges", { CidrIp: str(d, entry.CidrIp, [...path, "CidrIp"]), ...description }]);
  if (entry.CidrIpv6 !== undefined) sources.push(["Ipv6Ranges", { CidrIpv6: str(d, entry.CidrIpv6, [...path, "CidrIpv6"]), ...description }]);
  const prefix = direction === "ingress" ? entry.SourcePrefixListId : entry.DestinationPrefixListId;
  if (prefix !== undefined) sources.push(["PrefixListIds", { PrefixListId: prefix, ...description }]);
  const group = direction === "ingress" ? entry.SourceSecurityGroupId : entry.DestinationSecurityGroupId;
  if (group !== undefined) {
    const pair: Record<string, unknown> = { GroupId: group, ...description };
    if (direction === "ingress" && entry.SourceSecurityGroupOwnerId !== undefined) pair.UserId = entry.SourceSecurityGroupOwnerId;
    sources.push(["UserIdGroupPairs", pair]);
  } else if (direction === "ingress" && entry.SourceSecurityGroupName !== undefined) {
    sources.push(["UserIdGroupPairs", { GroupName: entry.SourceSecurityGroupName, ...description }]);
  }
  if (sources.length !== 1)
    return d.fail(
      `a security group rule needs exactly one of CidrIp, CidrIpv6, ${direction === "ingress" ? "SourcePrefixListId, SourceSecurityGroupId or SourceSecurityGroupName" : "DestinationPrefixListId or DestinationSecurityGroupId"}`,
      path,
    );
  const [field, source] = sources[0]!;
  perm[field] = [source];
  return perm;
}

const SOURCE_FIELDS = ["IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"] as const;

/** What identifies a source of a permission (its description does not). */
function sourceKey(field: string, source: unknown): string {
  if (!isRecord(source) || isUnresolved(source)) return `${field}\u0000${JSON.stringify(source)}`;
  const { Description: _description, ...identity } = source;
  return `${field}\u0000${JSON.stringify(identity, Object.keys(identity).sort())}`;
}

function permissionKey(p: Record<string, unknown>): string {
  return JSON.stringify([p.IpProtocol, p.FromPort ?? null, p.ToPort ?? null]);
}

/**
 * Groups permissions as EC2 returns them: one per (protocol, from port, to port), sources merged.
 * A source given twice (a Terraform group's state already holding a separate rule) is kept once,
 * as EC2 keeps a rule once.
 */
export function groupPermissions(perms: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const byKey = new Map<string, { target: Record<string, unknown>; seen: Set<string> }>();
  for (const p of perms) {
    if (!isRecord(p) || isUnresolved(p)) {
      out.push(p); // an unresolved entry stays an item of its own
      continue;
    }
    const key = permissionKey(p);
    let group = byKey.get(key);
    if (!group) {
      const target: Record<string, unknown> = { IpProtocol: p.IpProtocol };
      if (p.FromPort !== undefined) target.FromPort = p.FromPort;
      if (p.ToPort !== undefined) target.ToPort = p.ToPort;
      for (const f of SOURCE_FIELDS) target[f] = [];
      byKey.set(key, (group = { target, seen: new Set() }));
      out.push(target);
    }
    for (const f of SOURCE_FIELDS) {
      const sources = p[f];
      if (isUnresolved(sources)) group.target[f] = sources;
      if (!Array.isArray(sources) || !Array.isArray(group.target[f])) continue;
      for (const source of sources as unknown[]) {
        const k = sourceKey(f, source);
        if (group.seen.has(k)) continue;
        group.seen.add(k);
        (group.target[f] as unknown[]).push(source);
      }
    }
  }
  return out;
}

/** Removes the sources of `removed` from `perms` (a rule that goes away); permissions left without a source go too. */
export function removePermissions(perms: readonly unknown[], removed: readonly unknown[]): unknown[] {
  const gone = new Set<string>();
  for (const r of removed) {
    if (!isRecord(r) || isUnresolved(r)) continue;
    for (const f of SOURCE_FIELDS)
      if (Array.isArray(r[f])) for (const source of r[f] as unknown[]) gone.add(`${permissionKey(r)}\u0000${sourceKey(f, source)}`);
  }
  const out: unknown[] = [];
  for (const p of perms) {
    if (!isRecord(p) || isUnresolved(p)) {
      out.push(p);
      continue;
    }
    const kept: Record<string, unknown> = { ...p };
    let count = 0;
    for (const f of SOURCE_FIELDS) {
      const sources = p[f];
      if (!Array.isArray(sources)) {
        if (sources !== undefined) count++;
        continue;
      }
      kept[f] = (sources as unknown[]).filter((source) => !gone.has(`${permissionKey(p)}\u0000${sourceKey(f, source)}`));
      count += (kept[f] as unknown[]).length;
    }
    if (count > 0) out.push(kept);
  }
  return out;
}

function permissions(d: Declaration, name: string, direction: Direction): unknown[] | Unresolved | undefined {
  const entries = list(d, name);
  if (entries === undefined || isUnresolved(entries)) return entries;
  return groupPermissions(entries.map((e, i) => permissionOf(d, e, direction, d.path(name, i))));
}

/** EC2's default egress of a new VPC security group: all traffic to anywhere. */
export const DEFAULT_EGRESS = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }];

function standaloneRule(direction: Direction): TypeHandler {
  return {
    ref: (d) => afterDeploy(d, "Ref"),
    translate: (d) => {
      const entry: Record<string, unknown> = {};
      for (const k of [
        "IpProtocol",
        "FromPort",
        "ToPort",
        "CidrIp",
        "CidrIpv6",
        "SourcePrefixListId",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourceSecurityGroupOwnerId",
        "DestinationPrefixListId",
        "DestinationSecurityGroupId",
        "Description",
      ]) {
        const v = d.prop(k);
        if (v !== undefined) entry[k] = v;
      }
      const perm = permissionOf(d, entry, direction, d.path());
      const target = d.prop("GroupId") ?? d.prop("GroupName");
      if (target === undefined) d.fail("a standalone security group rule needs GroupId", d.path());
      return {
        amendments: [
          {
            type: "AWS::EC2::SecurityGroup",
            id: target,
            field: direction === "ingress" ? "IpPermissions" : "IpPermissionsEgress",
            items: [perm],
            merge: "ipPermissions",
            what: `${d.cfnType} ${d.logicalId}`,
          },
        ],
      };
    },
  };
}

// ------------------------------------------------------------------ the table

const SYMMETRIC = "SYMMETRIC_DEFAULT";

export const TYPES: Readonly<Record<string, TypeHandler>> = {
  "AWS::EC2::VPC": {
    snapshotType: "AWS::EC2::VPC",
    attributes: {
      VpcId: (d) => d.id,
      CidrBlock: (d) => d.prop("CidrBlock") ?? unresolved("attribute", `${d.logicalId}.CidrBlock`, "allocated from IPAM at deploy"),
      CidrBlockAssociations: (d) => afterDeploy(d, "CidrBlockAssociations"),
      DefaultSecurityGroup: (d) => afterDeploy(d, "DefaultSecurityGroup"),
      DefaultNetworkAcl: (d) => afterDeploy(d, "DefaultNetworkAcl"),
      Ipv6CidrBlocks: (d) => afterDeploy(d, "Ipv6CidrBlocks"),
    },
    translate: (d) => {
      const cidr = str(d, d.prop("CidrBlock"), d.path("CidrBlock")) ?? unresolved("attribute", `${d.logicalId}.CidrBlock`, "allocated from IPAM at deploy");
      const data: ResourceObject = {
        VpcId: d.id,
        CidrBlock: cidr,
        CidrBlockAssociationSet: [{ AssociationId: `${d.id}-cidr-0`, CidrBlock: cidr, CidrBlockState: { State: "associated" } }],
        State: "available",
        IsDefault: false,
        OwnerId: d.accountId,
        InstanceTenancy: d.prop("InstanceTenancy") ?? "default",
      };
      set(data, "Tags", tags(d));
      return { resource: { type: "AWS::EC2::VPC", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::EC2::VPCCidrBlock": {
    ref: (d) => afterDeploy(d, "Ref"),
    translate: (d) => {
      const vpc = d.prop("VpcId");
      if (vpc === undefined) d.fail("AWS::EC2::VPCCidrBlock needs VpcId", d.path());
      const v4 = d.prop("CidrBlock");
      if (v4 !== undefined || d.prop("Ipv4IpamPoolId") !== undefined) {
        const block = v4 ?? unresolved("attribute", `${d.logicalId}.CidrBlock`, "allocated from IPAM at deploy");
        return {
          amendments: [
            {
              type: "AWS::EC2::VPC",
              id: vpc,
              field: "CidrBlockAssociationSet",
              items: [{ AssociationId: `${d.logicalId}`, CidrBlock: block, CidrBlockState: { State: "associated" } }],
              what: `${d.cfnType} ${d.logicalId}`,
            },
          ],
        };
      }
      const v6 = d.prop("Ipv6CidrBlock") ?? unresolved("attribute", `${d.logicalId}.Ipv6CidrBlock`, "assigned by Amazon at deploy");
      return {
        amendments: [
          {
            type: "AWS::EC2::VPC",
            id: vpc,
            field: "Ipv6CidrBlockAssociationSet",
            items: [{ AssociationId: `${d.logicalId}`, Ipv6CidrBlock: v6, Ipv6CidrBlockState: { State: "associated" } }],
            what: `${d.cfnType} ${d.logicalId}`,
          },
        ],
      };
    },
  },
  "AWS::EC2::Subnet": {
    snapshotType: "AWS::EC2::Subnet",
    attributes: {
      SubnetId: (d) => d.id,
      VpcId: (d) => d.prop("VpcId"),
      CidrBlock: (d) => d.prop("CidrBlock") ?? afterDeploy(d, "CidrBlock"),
      AvailabilityZone: (d) => d.prop("AvailabilityZone") ?? afterDeploy(d, "AvailabilityZone"),
      AvailabilityZoneId: (d) => afterDeploy(d, "AvailabilityZoneId"),
      Ipv6CidrBlocks: (d) => afterDeploy(d, "Ipv6CidrBlocks"),
      NetworkAclAssociationId: (d) => afterDeploy(d, "NetworkAclAssociationId"),
      OutpostArn: (d) => afterDeploy(d, "OutpostArn"),
    },
    translate: (d) => {
      const data: ResourceObject = {
        SubnetId: d.id,
        SubnetArn: d.arn,
        VpcId: d.prop("VpcId"),
        CidrBlock: str(d, d.prop("CidrBlock"), d.path("CidrBlock")) ?? afterDeploy(d, "CidrBlock"),
        AvailabilityZone: d.prop("AvailabilityZone") ?? afterDeploy(d, "AvailabilityZone"),
        // Absent: false (EC2's default for a subnet that is not a default subnet).
        MapPublicIpOnLaunch: bool(d, "MapPublicIpOnLaunch", false),
        State: "available",
        DefaultForAz: false,
        OwnerId: d.accountId,
      };
      set(data, "Tags", tags(d));
      return { resource: { type: "AWS::EC2::Subnet", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::EC2::SecurityGroup": {
    snapshotType: "AWS::EC2::SecurityGroup",
    attributes: { GroupId: (d) => d.id, VpcId: (d) => d.prop("VpcId") ?? afterDeploy(d, "VpcId") },
    translate: (d) => {
      // A group without a name gets CloudFormation's generated one: <stack>-<LogicalId>-<SUFFIX>, never a purpose name.
      const name = str(d, d.prop("GroupName"), d.path("GroupName")) ?? `${d.stackName}-${d.logicalId}-${generatedSuffix(d)}`;
      const data: ResourceObject = {
        GroupId: d.id,
        GroupName: name,
        Description: d.prop("GroupDescription") ?? "",
        OwnerId: d.accountId,
        SecurityGroupArn: d.arn,
        IpPermissions: permissions(d, "SecurityGroupIngress", "ingress") ?? [],
      };
      set(data, "VpcId", d.prop("VpcId"));
      const egress = permissions(d, "SecurityGroupEgress", "egress");
      set(data, "IpPermissionsEgress", egress);
      set(data, "Tags", tags(d));
      // No egress declared (inline or standalone): EC2 keeps its default allow-all egress.
      const defaults = egress === undefined ? { IpPermissionsEgress: DEFAULT_EGRESS } : undefined;
      return { resource: { type: "AWS::EC2::SecurityGroup", id: d.id, arn: d.arn, data, ...(defaults ? { defaults } : {}) } };
    },
  },
  "AWS::EC2::SecurityGroupIngress": standaloneRule("ingress"),
  "AWS::EC2::SecurityGroupEgress": standaloneRule("egress"),
  "AWS::ECR::Repository": {
    snapshotType: "AWS::ECR::Repository",
    nameProperty: "RepositoryName",
    attributes: {
      Arn: (d) => d.arn,
      RepositoryUri: (d) => `${d.accountId}.dkr.ecr.${d.region}.${d.urlSuffix}/${d.id}`,
    },
    translate: (d) => {
      const lifecycle = d.prop("LifecyclePolicy");
      const encryption = d.prop("EncryptionConfiguration");
      const scanning = d.prop("ImageScanningConfiguration");
      const data: ResourceObject = {
        repositoryName: d.prop("RepositoryName") ?? d.id,
        repositoryArn: d.arn,
        registryId: d.accountId,
        repositoryUri: `${d.accountId}.dkr.ecr.${d.region}.${d.urlSuffix}/${d.id}`,
        imageTagMutability: d.prop("ImageTagMutability") ?? "MUTABLE",
        imageScanningConfiguration: isUnresolved(scanning)
          ? scanning
          : {
              scanOnPush:
                isRecord(scanning) && scanning.ScanOnPush !== undefined
                  ? asBool(d, scanning.ScanOnPush, d.path("ImageScanningConfiguration", "ScanOnPush"))
                  : false,
            },
        encryptionConfiguration: isUnresolved(encryption)
          ? encryption
          : isRecord(encryption)
            ? { encryptionType: encryption.EncryptionType ?? "AES256", ...(encryption.KmsKey !== undefined ? { kmsKey: encryption.KmsKey } : {}) }
            : { encryptionType: "AES256" },
      };
      if (isUnresolved(lifecycle)) data.lifecyclePolicyText = lifecycle;
      else if (isRecord(lifecycle) && lifecycle.LifecyclePolicyText !== undefined) {
        const text = lifecycle.LifecyclePolicyText;
        data.lifecyclePolicyText = isRecord(text) ? JSON.stringify(text) : str(d, text, d.path("LifecyclePolicy", "LifecyclePolicyText"));
      }
      // Images are pushed after deploy: rules that read only them give no result.
      return { resource: { type: "AWS::ECR::Repository", id: d.id, arn: d.arn, data, undeclarable: ["images"] } };
    },
  },
  "AWS::Logs::LogGroup": {
    snapshotType: "AWS::Logs::LogGroup",
    nameProperty: "LogGroupName",
    attributes: { Arn: (d) => d.arn },
    translate: (d) => {
      const data: ResourceObject = { logGroupName: d.prop("LogGroupName") ?? d.id, logGroupArn: d.arn, arn: `${d.arn}:*` };
      // Absent: the logs never expire (CDK's RetentionDays.INFINITE writes no RetentionInDays).
      set(data, "retentionInDays", int(d, d.prop("RetentionInDays"), d.path("RetentionInDays")));
      set(data, "kmsKeyId", d.prop("KmsKeyId"));
      set(data, "logGroupClass", d.prop("LogGroupClass"));
      return { resource: { type: "AWS::Logs::LogGroup", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::KMS::Key": {
    snapshotType: "AWS::KMS::Key",
    attributes: { Arn: (d) => d.arn, KeyId: (d) => d.id },
    translate: (d) => {
      const spec = d.prop("KeySpec") ?? d.prop("CustomerMasterKeySpec") ?? SYMMETRIC;
      const enabled = bool(d, "Enabled", true);
      const policy = d.prop("KeyPolicy");
      const data: ResourceObject = {
        KeyId: d.id,
        Arn: d.arn,
        AWSAccountId: d.accountId,
        KeyManager: "CUSTOMER",
        KeyState: isUnresolved(enabled) ? enabled : enabled === false ? "Disabled" : "Enabled",
        Enabled: enabled,
        KeySpec: spec,
        KeyUsage: d.prop("KeyUsage") ?? "ENCRYPT_DECRYPT",
        Origin: d.prop("Origin") ?? "AWS_KMS",
        MultiRegion: bool(d, "MultiRegion", false),
        Description: d.prop("Description") ?? "",
        // KMS's default key policy when none is given: the account (through IAM) may do everything.
        Policy:
          policy === undefined ? JSON.stringify(defaultKeyPolicy(d)) : typeof policy === "string" || isUnresolved(policy) ? policy : JSON.stringify(policy),
        Aliases: [],
      };
      // Only symmetric encryption keys have automatic rotation (GetKeyRotationStatus answers nothing for others).
      if (spec === SYMMETRIC) data.KeyRotationEnabled = bool(d, "EnableKeyRotation", false);
      else if (isUnresolved(spec)) data.KeyRotationEnabled = spec;
      set(data, "Tags", tags(d));
      return { resource: { type: "AWS::KMS::Key", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::KMS::Alias": {
    ref: (d) => d.prop("AliasName"),
    translate: (d) => {
      const name = d.prop("AliasName");
      const target = d.prop("TargetKeyId");
      if (name === undefined || target === undefined) d.fail("AWS::KMS::Alias needs AliasName and TargetKeyId", d.path());
      const aliasArn = typeof name === "string" ? `arn:${d.partition}:kms:${d.region}:${d.accountId}:${name}` : name;
      return {
        amendments: [
          {
            type: "AWS::KMS::Key",
            id: target,
            field: "Aliases",
            items: [{ AliasName: name, AliasArn: aliasArn, TargetKeyId: target }],
            what: `${d.cfnType} ${d.logicalId}`,
          },
        ],
      };
    },
  },
  "AWS::SageMaker::Model": {
    snapshotType: "AWS::SageMaker::Model",
    nameProperty: "ModelName",
    ref: (d) => d.arn,
    attributes: { ModelName: (d) => d.id, ModelId: (d) => d.arn },
    translate: (d) => {
      const data: ResourceObject = { ModelName: d.prop("ModelName") ?? d.id, ModelArn: d.arn };
      for (const k of ["PrimaryContainer", "Containers", "VpcConfig", "ExecutionRoleArn", "EnableNetworkIsolation", "InferenceExecutionConfig"])
        set(data, k, d.prop(k));
      if (data.EnableNetworkIsolation !== undefined) data.EnableNetworkIsolation = asBool(d, data.EnableNetworkIsolation, d.path("EnableNetworkIsolation"));
      return { resource: { type: "AWS::SageMaker::Model", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::SageMaker::EndpointConfig": {
    nameProperty: "EndpointConfigName",
    ref: (d) => d.arn,
    attributes: { EndpointConfigName: (d) => d.id },
    translate: () => ({}), // carried by the endpoints that use it
  },
  "AWS::SageMaker::Endpoint": {
    snapshotType: "AWS::SageMaker::Endpoint",
    nameProperty: "EndpointName",
    ref: (d) => d.arn,
    attributes: { EndpointName: (d) => d.id },
    translate: (d) => {
      const configName = d.prop("EndpointConfigName");
      if (configName === undefined) d.fail("AWS::SageMaker::Endpoint needs EndpointConfigName", d.path());
      const data: ResourceObject = {
        EndpointName: d.prop("EndpointName") ?? d.id,
        EndpointArn: d.arn,
        EndpointConfigName: configName,
        EndpointStatus: "InService",
        EndpointConfig: d.endpointConfig(configName),
      };
      return { resource: { type: "AWS::SageMaker::Endpoint", id: d.id, arn: d.arn, data } };
    },
  },
  "AWS::SageMaker::ModelPackageGroup": {
    snapshotType: "AWS::SageMaker::ModelPackageGroup",
    nameProperty: "ModelPackageGroupName",
    ref: (d) => d.arn,
    attributes: { ModelPackageGroupArn: (d) => d.arn, ModelPackageGroupName: (d) => d.id },
    translate: (d) => {
      const data: ResourceObject = {
        ModelPackageGroupName: d.prop("ModelPackageGroupName") ?? d.id,
        ModelPackageGroupArn: d.arn,
        ModelPackageGroupStatus: "Completed",
        ModelPackages: [],
      };
      set(data, "ModelPackageGroupDescription", d.prop("ModelPackageGroupDescription"));
      // Versions registered later (by pipelines) are not in the template.
      return { resource: { type: "AWS::SageMaker::ModelPackageGroup", id: d.id, arn: d.arn, data, undeclarable: ["ModelPackages"] } };
    },
  },
  "AWS::SageMaker::Pipeline": {
    nameProperty: "PipelineName",
    ref: (d) => d.prop("PipelineName") ?? d.id,
    attributes: { PipelineName: (d) => d.id },
    translate: (d) => {
      const definition = d.prop("PipelineDefinition");
      const body =
        isRecord(definition) && definition.PipelineDefinitionBody !== undefined ? d.textWithHoles("PipelineDefinition", "PipelineDefinitionBody") : definition;
      return { pipeline: { name: d.id, body } };
    },
  },
  "AWS::SageMaker::ModelPackage": {
    ref: (d) => d.arn,
    attributes: { ModelPackageArn: (d) => d.arn },
    translate: (d) => {
      const group = d.prop("ModelPackageGroupName");
      if (group === undefined) return {}; // an unversioned package belongs to no group
      const item: ResourceObject = {
        ModelPackageArn: d.arn,
        ModelPackageGroupName: group,
        ModelApprovalStatus: d.prop("ModelApprovalStatus") ?? "PendingManualApproval",
        ModelPackageStatus: "Completed",
      };
      for (const k of [
        "ApprovalDescription",
        "CustomerMetadataProperties",
        "ModelMetrics",
        "InferenceSpecification",
        "ModelPackageDescription",
        "ModelPackageVersion",
      ])
        set(item, k, d.prop(k));
      return {
        amendments: [{ type: "AWS::SageMaker::ModelPackageGroup", id: group, field: "ModelPackages", items: [item], what: `${d.cfnType} ${d.logicalId}` }],
      };
    },
  },
};

function defaultKeyPolicy(d: Declaration): unknown {
  return {
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${d.partition}:iam::${d.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

export { afterDeploy };
