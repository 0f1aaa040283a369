// From Terraform resource instances to the snapshot's objects, one entry per Terraform type of
// the AWS provider: the object of the snapshot type with the field names the AWS SDK uses (as
// the CloudFormation table does), what other resources' references to it name (`id`, `arn`,
// `name`), and the separate declarations (security group rules, lifecycle policies, key
// policies, aliases, CIDR blocks) as amendments of the resource they change. The provider's
// behaviour where the configuration is silent is spelled out here: Terraform removes EC2's
// default egress, a missing name is generated (`name_prefix` + a suffix, else `terraform-…`),
// `retention_in_days` 0 means never expire, a key without `policy` gets KMS's default policy.
import { createHash } from "node:crypto";
import type { ResourceObject } from "../../resources/catalog.js";
import { isUnresolved, unresolved, type UnresolvedCause } from "../../resources/unresolved.js";
import { groupPermissions } from "../cfn/translate.js";
import { isRecord } from "../cfn/resolve.js";
import type { Amendment, PlannedResource } from "../types.js";
import { at, type Instance, type Path } from "./model.js";

/** What a handler reads: the planned object (with unknowns) or the prior one (a delete, the old side of an update). */
export interface Values {
  readonly address: string;
  value(path: Path): unknown;
  /** A field holding ids of other resources (see Instance.reference). */
  reference(path: Path, want: "scalar" | "list"): unknown;
}

/** One planned instance as the table sees it. */
export interface Tf {
  inst: Instance;
  /** Planned id (a declared name for named types, else the address) and synthetic ARN. */
  readonly id: string;
  readonly arn: string;
  accountId: string;
  region: string;
  partition: string;
  /** Whether the configuration sets an argument (undefined: the configuration is not known). */
  declared(name: string): boolean | undefined;
  /** A pipeline definition's planned jobs, for aws_sagemaker_pipeline. */
  pipeline?(name: string, definition: unknown): void;
  /** The endpoint configuration an endpoint names: planned, or unresolved. */
  endpointConfig(name: unknown): unknown;
}

export type AmendmentOut = Omit<Amendment, "source">;

export interface TfTranslation {
  resource?: Omit<PlannedResource, "source" | "sensitive" | "physicalIds">;
  amendments?: AmendmentOut[];
}

export interface TfHandler {
  /** Snapshot type of the object it becomes (none for amendments and endpoint configurations). */
  snapshotType?: string;
  /** The name that is the snapshot id, for named types: the planned name value. */
  name?(t: Tf, v: Values): unknown;
  /** Attributes others refer to, beyond the planned values. */
  attribute?(t: Tf, name: string): unknown;
  translate(t: Tf, v: Values): TfTranslation;
  /** What a delete (or the old side of an update or replacement) takes away from another resource. */
  removed?(t: Tf, before: Values): AmendmentOut[];
  /** Physical ids and ARNs of an existing object, for the live overlay and references by physical id. */
  physical?(before: Values): string[];
}

// ------------------------------------------------------------------ values

/** A generated name: `prefix` + a stable 26-digit suffix, as the provider's `id.PrefixedUniqueId`. */
export function generatedName(address: string, prefix = "terraform-"): string {
  const digits = BigInt("0x" + createHash("sha256").update(address).digest("hex").slice(0, 24))
    .toString()
    .padStart(26, "0")
    .slice(-26);
  return prefix + digits;
}

/** A nested block of nesting "list" with at most one item: its object, undefined when absent. */
function block(v: unknown): unknown {
  if (isUnresolved(v)) return v;
  return Array.isArray(v) ? (v.length > 0 ? v[0] : undefined) : isRecord(v) ? v : undefined;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function orDefault(v: unknown, fallback: unknown): unknown {
  return present(v) ? v : fallback;
}

function set(out: ResourceObject, key: string, v: unknown): void {
  if (present(v)) out[key] = v;
}

/** `tags_all` (with the provider's default tags) as EC2's [{Key, Value}]. */
function ec2Tags(v: Values): unknown {
  const all = v.value(["tags_all"]);
  // tags_all adds the provider's default tags; when it is not known yet, the resource's own tags.
  const tags = present(all) && !isUnresolved(all) ? all : v.value(["tags"]);
  if (isUnresolved(tags)) return tags;
  if (!isRecord(tags) || Object.keys(tags).length === 0) return undefined;
  return Object.keys(tags)
    .sort()
    .map((k) => ({ Key: k, Value: tags[k] }));
}

/**
 * The name of a resource with `name` and `name_prefix`: declared (or known) as is, a
 * `name_prefix` + a generated suffix, or the provider's generated `terraform-…` name. A name the
 * configuration sets but that is not known before apply is unresolved.
 */
function providerName(t: Tf, v: Values, nameField = "name", prefixField = "name_prefix"): unknown {
  const name = v.value([nameField]);
  if (present(name) && !isUnresolved(name)) return name;
  const declared = t.declared(nameField);
  if (declared === true) return isUnresolved(name) ? name : unresolved("computed", `${v.address}.${nameField}`, "known after apply");
  const prefix = v.value([prefixField]);
  if (isUnresolved(prefix)) return prefix;
  if (typeof prefix === "string" && prefix !== "") return generatedName(v.address, prefix);
  if (declared === undefined && t.declared(prefixField) === undefined && isUnresolved(name)) return name; // no configuration to tell
  return generatedName(v.address);
}

// ------------------------------------------------------------------ security group permissions

/** EC2's protocol names, as DescribeSecurityGroups returns them ("-1" for every protocol). */
export function ec2Protocol(p: unknown): unknown {
  if (isUnresolved(p)) return p;
  const text = (typeof p === "string" || typeof p === "number" ? String(p) : "").toLowerCase();
  const names: Record<string, string> = {
    all: "-1",
    "-1": "-1",
    "6": "tcp",
    tcp: "tcp",
    "17": "udp",
    udp: "udp",
    "1": "icmp",
    icmp: "icmp",
    "58": "icmpv6",
    icmpv6: "icmpv6",
  };
  return Object.hasOwn(names, text) ? names[text] : text;
}

/** An IpPermission with its ports as EC2 returns them: none for "-1" and numbered protocols other than TCP, UDP, ICMP, ICMPv6. */
function permission(protocol: unknown, fromPort: unknown, toPort: unknown): Record<string, unknown> {
  const p = ec2Protocol(protocol);
  const perm: Record<string, unknown> = { IpProtocol: p, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
  if (isUnresolved(p) || ["tcp", "udp", "icmp", "icmpv6"].includes(p as string)) {
    if (present(fromPort)) perm.FromPort = fromPort;
    if (present(toPort)) perm.ToPort = toPort;
  }
  return perm;
}

function describe(source: Record<string, unknown>, description: unknown): Record<string, unknown> {
  if (typeof description === "string" && description !== "") source.Description = description;
  else if (isUnresolved(description)) source.Description = description;
  return source;
}

/** Appends a source per item of a list to a permission; a list not known before apply is one source not known. */
function addSources(perm: Record<string, unknown>, field: string, key: string, list: unknown, description: unknown): void {
  const sources = perm[field] as unknown[];
  if (isUnresolved(list)) sources.push({ [key]: list });
  else if (Array.isArray(list)) for (const x of list as unknown[]) sources.push(describe({ [key]: x }, description));
}

/** One inline `ingress`/`egress` block of aws_security_group (its sources in five lists and `self`). */
function inlinePermission(t: Tf, v: Values, path: Path): unknown {
  const entry = v.value(path);
  if (isUnresolved(entry) || !isRecord(entry)) return entry;
  const perm = permission(entry.protocol, entry.from_port, entry.to_port);
  const d = entry.description;
  addSources(perm, "IpRanges", "CidrIp", entry.cidr_blocks, d);
  addSources(perm, "Ipv6Ranges", "CidrIpv6", entry.ipv6_cidr_blocks, d);
  addSources(perm, "PrefixListIds", "PrefixListId", entry.prefix_list_ids, d);
  addSources(perm, "UserIdGroupPairs", "GroupId", v.reference([...path, "security_groups"], "list"), d);
  if (entry.self === true) (perm.UserIdGroupPairs as unknown[]).push(describe({ GroupId: t.id }, d));
  else if (isUnresolved(entry.self)) (perm.UserIdGroupPairs as unknown[]).push({ GroupId: entry.self });
  return perm;
}

/**
 * A group's inline rules. Declared inline, they are the group's (unknown parts unresolved). Not
 * declared, the provider computes the attribute (`after_unknown.ingress: true`): the group then
 * has exactly the rules of the separate rule resources, which the builder folds in; an existing
 * group keeps what its state holds (the separate rules among them).
 */
function inlinePermissions(t: Tf, v: Values, field: "ingress" | "egress", before: Values | undefined): unknown {
  const list = v.value([field]);
  if (isUnresolved(list)) {
    const declared = t.declared(field);
    if (declared === undefined) return list;
    if (declared) return list;
    return before ? inlinePermissions(t, before, field, undefined) : [];
  }
  if (!Array.isArray(list)) return [];
  return groupPermissions(list.map((_, i) => inlinePermission(t, v, [field, i])));
}

/** aws_security_group_rule: one rule with its sources (`cidr_blocks`, …, `source_security_group_id`, `self`). */
function legacyRule(t: Tf, v: Values): AmendmentOut[] {
  const type = v.value(["type"]);
  // Whether it is ingress or egress is not known: the builder tells it cannot be placed.
  const group = isUnresolved(type) ? type : v.reference(["security_group_id"], "scalar");
  const perm = permission(v.value(["protocol"]), v.value(["from_port"]), v.value(["to_port"]));
  const d = v.value(["description"]);
  addSources(perm, "IpRanges", "CidrIp", v.value(["cidr_blocks"]), d);
  addSources(perm, "Ipv6Ranges", "CidrIpv6", v.value(["ipv6_cidr_blocks"]), d);
  addSources(perm, "PrefixListIds", "PrefixListId", v.value(["prefix_list_ids"]), d);
  const self = v.value(["self"]);
  // With self = true the provider computes source_security_group_id as the group itself.
  const source = self === true || t.declared("source_security_group_id") === false ? undefined : v.reference(["source_security_group_id"], "scalar");
  if (present(source)) (perm.UserIdGroupPairs as unknown[]).push(describe({ GroupId: source }, d));
  if (self === true) (perm.UserIdGroupPairs as unknown[]).push(describe({ GroupId: group }, d));
  else if (isUnresolved(self)) (perm.UserIdGroupPairs as unknown[]).push({ GroupId: self });
  return [ruleAmendment(group, type === "egress" ? "egress" : "ingress", perm, `aws_security_group_rule ${v.address}`)];
}

/** aws_vpc_security_group_ingress_rule / _egress_rule: one source each. */
function vpcRule(direction: "ingress" | "egress") {
  return (t: Tf, v: Values): AmendmentOut[] => {
    const group = v.reference(["security_group_id"], "scalar");
    const perm = permission(v.value(["ip_protocol"]), v.value(["from_port"]), v.value(["to_port"]));
    const d = v.value(["description"]);
    const sources: Array<[string, Record<string, unknown>]> = [];
    for (const [attr, field, key] of [
      ["cidr_ipv4", "IpRanges", "CidrIp"],
      ["cidr_ipv6", "Ipv6Ranges", "CidrIpv6"],
      ["prefix_list_id", "PrefixListIds", "PrefixListId"],
    ] as const) {
      const x = v.value([attr]);
      if (present(x)) sources.push([field, describe({ [key]: x }, d)]);
    }
    const ref = v.reference(["referenced_security_group_id"], "scalar");
    if (present(ref)) sources.push(["UserIdGroupPairs", describe({ GroupId: ref }, d)]);
    for (const [field, s] of sources) (perm[field] as unknown[]).push(s);
    return [ruleAmendment(group, direction, perm, `aws_vpc_security_group_${direction}_rule ${v.address}`)];
  };
}

function ruleAmendment(group: unknown, direction: "ingress" | "egress", perm: Record<string, unknown>, what: string): AmendmentOut {
  return {
    type: "AWS::EC2::SecurityGroup",
    id: group,
    field: direction === "ingress" ? "IpPermissions" : "IpPermissionsEgress",
    items: [perm],
    merge: "ipPermissions",
    what,
  };
}

function asRemoval(list: AmendmentOut[]): AmendmentOut[] {
  return list.map((a) => ({ ...a, remove: true }));
}

// ------------------------------------------------------------------ SageMaker shapes

const CONTAINER_FIELDS: Array<[string, string]> = [
  ["container_hostname", "ContainerHostname"],
  ["image", "Image"],
  ["mode", "Mode"],
  ["model_data_url", "ModelDataUrl"],
  ["environment", "Environment"],
  ["inference_specification_name", "InferenceSpecificationName"],
];

function container(v: Values, path: Path): unknown {
  const c = v.value(path);
  if (isUnresolved(c) || !isRecord(c)) return c;
  const out: ResourceObject = {};
  for (const [tf, sdk] of CONTAINER_FIELDS) set(out, sdk, c[tf]);
  set(out, "ModelPackageName", v.reference([...path, "model_package_name"], "scalar"));
  const imageConfig = block(c.image_config);
  if (isRecord(imageConfig)) out.ImageConfig = { RepositoryAccessMode: imageConfig.repository_access_mode };
  return out;
}

function vpcConfig(v: Values, path: Path): unknown {
  const c = block(v.value(path));
  if (c === undefined || isUnresolved(c)) return c;
  return { SecurityGroupIds: v.reference([...path, 0, "security_group_ids"], "list") ?? [], Subnets: v.reference([...path, 0, "subnets"], "list") ?? [] };
}

function productionVariant(v: Values, path: Path): unknown {
  const p = v.value(path);
  if (isUnresolved(p) || !isRecord(p)) return p;
  const out: ResourceObject = {};
  for (const [tf, sdk] of [
    ["variant_name", "VariantName"],
    ["initial_instance_count", "InitialInstanceCount"],
    ["instance_type", "InstanceType"],
    ["initial_variant_weight", "InitialVariantWeight"],
    ["accelerator_type", "AcceleratorType"],
    ["volume_size_in_gb", "VolumeSizeInGB"],
  ] as const)
    set(out, sdk, p[tf]);
  set(out, "ModelName", v.reference([...path, "model_name"], "scalar"));
  return out;
}

function variants(v: Values, field: string): unknown {
  const list = v.value([field]);
  if (isUnresolved(list)) return list;
  return Array.isArray(list) ? list.map((_, i) => productionVariant(v, [field, i])) : [];
}

/** An endpoint configuration as DescribeEndpointConfig returns it. */
export function endpointConfigObject(t: Tf, v: Values, name: unknown): ResourceObject {
  const out: ResourceObject = { EndpointConfigName: name, EndpointConfigArn: t.arn, ProductionVariants: variants(v, "production_variants") };
  set(out, "KmsKeyId", v.reference(["kms_key_arn"], "scalar"));
  const shadow = v.value(["shadow_production_variants"]);
  if (Array.isArray(shadow) && shadow.length > 0) out.ShadowProductionVariants = variants(v, "shadow_production_variants");
  const capture = block(v.value(["data_capture_config"]));
  if (isRecord(capture))
    out.DataCaptureConfig = { EnableCapture: capture.enable_capture, KmsKeyId: v.reference(["data_capture_config", 0, "kms_key_id"], "scalar") };
  return out;
}

// ------------------------------------------------------------------ KMS

const SYMMETRIC = "SYMMETRIC_DEFAULT";

function defaultKeyPolicy(t: Tf): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${t.partition}:iam::${t.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });
}

// ------------------------------------------------------------------ the table

const idAndArn = (t: Tf, name: string): unknown => (name === "id" ? t.id : name === "arn" ? t.arn : undefined);

/** Physical id and ARN of an existing object. */
function idArn(before: Values): string[] {
  return [before.value(["id"]), before.value(["arn"])].filter((x): x is string => typeof x === "string" && x !== "");
}

export const TYPES: Readonly<Record<string, TfHandler>> = {
  aws_vpc: {
    snapshotType: "AWS::EC2::VPC",
    attribute: (t, name) => idAndArn(t, name),
    physical: idArn,
    translate: (t, v) => {
      const cidr = v.value(["cidr_block"]) ?? unresolved("computed", `${v.address}.cidr_block`, "allocated from IPAM at apply");
      const data: ResourceObject = {
        VpcId: t.id,
        CidrBlock: cidr,
        CidrBlockAssociationSet: [{ AssociationId: `${t.id}-cidr-0`, CidrBlock: cidr, CidrBlockState: { State: "associated" } }],
        State: "available",
        IsDefault: false,
        OwnerId: t.accountId,
        InstanceTenancy: orDefault(v.value(["instance_tenancy"]), "default"),
      };
      set(data, "Tags", ec2Tags(v));
      return { resource: { type: "AWS::EC2::VPC", id: t.id, arn: t.arn, data } };
    },
  },
  aws_vpc_ipv4_cidr_block_association: {
    translate: (_t, v) => ({ amendments: [cidrAssociation(v)] }),
    removed: (_t, before) => [{ ...cidrAssociation(before), remove: true }],
  },
  aws_subnet: {
    snapshotType: "AWS::EC2::Subnet",
    attribute: (t, name) => idAndArn(t, name),
    physical: idArn,
    translate: (t, v) => {
      const data: ResourceObject = {
        SubnetId: t.id,
        SubnetArn: t.arn,
        VpcId: v.reference(["vpc_id"], "scalar"),
        CidrBlock: v.value(["cidr_block"]) ?? unresolved("computed", `${v.address}.cidr_block`, "known after apply"),
        AvailabilityZone: v.value(["availability_zone"]) ?? unresolved("computed", `${v.address}.availability_zone`, "chosen at apply"),
        // The provider's default, and EC2's for a subnet that is not a default subnet.
        MapPublicIpOnLaunch: orDefault(v.value(["map_public_ip_on_launch"]), false),
        State: "available",
        DefaultForAz: false,
        OwnerId: t.accountId,
      };
      set(data, "Tags", ec2Tags(v));
      return { resource: { type: "AWS::EC2::Subnet", id: t.id, arn: t.arn, data } };
    },
  },
  aws_security_group: {
    snapshotType: "AWS::EC2::SecurityGroup",
    attribute: (t, name) => idAndArn(t, name),
    physical: idArn,
    translate: (t, v) => {
      const before = t.inst.actions.includes("create") ? undefined : priorValues(t.inst);
      const data: ResourceObject = {
        GroupId: t.id,
        GroupName: providerName(t, v),
        Description: orDefault(v.value(["description"]), "Managed by Terraform"),
        OwnerId: t.accountId,
        SecurityGroupArn: t.arn,
        VpcId: v.reference(["vpc_id"], "scalar"),
        IpPermissions: inlinePermissions(t, v, "ingress", before),
        // Terraform removes EC2's default egress: no egress declared is no egress.
        IpPermissionsEgress: inlinePermissions(t, v, "egress", before),
      };
      if (data.VpcId === undefined || data.VpcId === null)
        data.VpcId = unresolved("computed", `${v.address}.vpc_id`, "created in the region's default VPC, which the plan does not name: set vpc_id");
      set(data, "Tags", ec2Tags(v));
      return { resource: { type: "AWS::EC2::SecurityGroup", id: t.id, arn: t.arn, data } };
    },
  },
  aws_security_group_rule: {
    translate: (t, v) => ({ amendments: legacyRule(t, v) }),
    removed: (t, before) => asRemoval(legacyRule(t, before)),
  },
  aws_vpc_security_group_ingress_rule: {
    translate: (t, v) => ({ amendments: vpcRule("ingress")(t, v) }),
    removed: (t, before) => asRemoval(vpcRule("ingress")(t, before)),
  },
  aws_vpc_security_group_egress_rule: {
    translate: (t, v) => ({ amendments: vpcRule("egress")(t, v) }),
    removed: (t, before) => asRemoval(vpcRule("egress")(t, before)),
  },
  aws_ecr_repository: {
    snapshotType: "AWS::ECR::Repository",
    name: (_t, v) => v.value(["name"]),
    attribute: (t, name) =>
      name === "arn"
        ? t.arn
        : name === "name" || name === "id"
          ? t.id
          : name === "repository_url"
            ? `${t.accountId}.dkr.ecr.${t.region}.amazonaws.com/${t.id}`
            : undefined,
    physical: idArn,
    translate: (t, v) => {
      const scanning = block(v.value(["image_scanning_configuration"]));
      const encryption = block(v.value(["encryption_configuration"]));
      const data: ResourceObject = {
        repositoryName: v.value(["name"]),
        repositoryArn: t.arn,
        registryId: t.accountId,
        repositoryUri: `${t.accountId}.dkr.ecr.${t.region}.amazonaws.com/${t.id}`,
        imageTagMutability: orDefault(v.value(["image_tag_mutability"]), "MUTABLE"),
        imageScanningConfiguration: isUnresolved(scanning) ? scanning : { scanOnPush: isRecord(scanning) ? orDefault(scanning.scan_on_push, false) : false },
        encryptionConfiguration: isUnresolved(encryption)
          ? encryption
          : isRecord(encryption)
            ? {
                encryptionType: orDefault(encryption.encryption_type, "AES256"),
                ...(present(encryption.kms_key) ? { kmsKey: v.reference(["encryption_configuration", 0, "kms_key"], "scalar") } : {}),
              }
            : { encryptionType: "AES256" },
      };
      // Images are pushed after apply: rules that read only them give no result. The lifecycle
      // policy is a resource of its own (aws_ecr_lifecycle_policy), folded in by the builder.
      return { resource: { type: "AWS::ECR::Repository", id: t.id, arn: t.arn, data, undeclarable: ["images"] } };
    },
  },
  aws_ecr_lifecycle_policy: {
    translate: (_t, v) => ({ amendments: [lifecyclePolicy(v)] }),
    removed: (_t, before) => [{ ...lifecyclePolicy(before), remove: true }],
  },
  aws_cloudwatch_log_group: {
    snapshotType: "AWS::Logs::LogGroup",
    name: (t, v) => providerName(t, v),
    attribute: (t, name) => (name === "arn" ? t.arn : name === "name" || name === "id" ? t.id : undefined),
    physical: idArn,
    translate: (t, v) => {
      const data: ResourceObject = { logGroupName: providerName(t, v), logGroupArn: t.arn, arn: `${t.arn}:*` };
      // 0 (the provider's default) or null: the logs never expire, and DescribeLogGroups then has no retentionInDays.
      const retention = v.value(["retention_in_days"]);
      if (isUnresolved(retention) || (typeof retention === "number" && retention > 0)) data.retentionInDays = retention;
      set(data, "kmsKeyId", v.reference(["kms_key_id"], "scalar"));
      set(data, "logGroupClass", v.value(["log_group_class"]));
      return { resource: { type: "AWS::Logs::LogGroup", id: t.id, arn: t.arn, data } };
    },
  },
  aws_kms_key: {
    snapshotType: "AWS::KMS::Key",
    attribute: (t, name) => (name === "id" || name === "key_id" ? t.id : name === "arn" ? t.arn : undefined),
    physical: (before) => [before.value(["key_id"]), before.value(["id"]), before.value(["arn"])].filter((x): x is string => typeof x === "string" && x !== ""),
    translate: (t, v) => {
      const spec = orDefault(v.value(["customer_master_key_spec"]), SYMMETRIC);
      const enabled = orDefault(v.value(["is_enabled"]), true);
      const policy = v.value(["policy"]);
      // Not set: KMS's default key policy (the provider reads it back); an aws_kms_key_policy replaces it.
      // Set but not known before apply: unresolved (also when the configuration cannot tell).
      const keyPolicy =
        typeof policy === "string" && policy !== "" ? policy : isUnresolved(policy) && t.declared("policy") !== false ? policy : defaultKeyPolicy(t);
      const data: ResourceObject = {
        KeyId: t.id,
        Arn: t.arn,
        AWSAccountId: t.accountId,
        KeyManager: "CUSTOMER",
        KeyState: isUnresolved(enabled) ? enabled : enabled === false ? "Disabled" : "Enabled",
        Enabled: enabled,
        KeySpec: spec,
        KeyUsage: orDefault(v.value(["key_usage"]), "ENCRYPT_DECRYPT"),
        Origin: present(v.value(["custom_key_store_id"])) ? "AWS_CLOUDHSM" : "AWS_KMS",
        MultiRegion: t.declared("multi_region") === false ? false : orDefault(v.value(["multi_region"]), false),
        Description: orDefault(v.value(["description"]), ""),
        Policy: keyPolicy,
        Aliases: [],
      };
      if (spec === SYMMETRIC) data.KeyRotationEnabled = orDefault(v.value(["enable_key_rotation"]), false);
      else if (isUnresolved(spec)) data.KeyRotationEnabled = spec;
      set(data, "Tags", ec2Tags(v));
      return { resource: { type: "AWS::KMS::Key", id: t.id, arn: t.arn, data } };
    },
  },
  aws_kms_key_policy: {
    translate: (_t, v) => ({
      amendments: [
        {
          type: "AWS::KMS::Key",
          id: v.reference(["key_id"], "scalar"),
          field: "Policy",
          items: [v.value(["policy"])],
          merge: "replace",
          what: `aws_kms_key_policy ${v.address}`,
        },
      ],
    }),
  },
  aws_kms_alias: {
    attribute: (t, name) => (name === "arn" ? t.arn : undefined),
    translate: (t, v) => ({ amendments: [alias(t, v)] }),
    removed: (t, before) => [{ ...alias(t, before), remove: true }],
  },
  aws_sagemaker_model: {
    snapshotType: "AWS::SageMaker::Model",
    name: (t, v) => providerName(t, v),
    attribute: (t, name) => (name === "arn" ? t.arn : name === "name" || name === "id" ? t.id : undefined),
    physical: idArn,
    translate: (t, v) => {
      const data: ResourceObject = { ModelName: providerName(t, v), ModelArn: t.arn };
      const primary = v.value(["primary_container"]);
      if (isUnresolved(primary)) data.PrimaryContainer = primary;
      else if (Array.isArray(primary) && primary.length > 0) data.PrimaryContainer = container(v, ["primary_container", 0]);
      const containers = v.value(["container"]);
      if (isUnresolved(containers)) data.Containers = containers;
      else if (Array.isArray(containers) && containers.length > 0) data.Containers = containers.map((_, i) => container(v, ["container", i]));
      set(data, "VpcConfig", vpcConfig(v, ["vpc_config"]));
      set(data, "ExecutionRoleArn", v.value(["execution_role_arn"]));
      set(data, "EnableNetworkIsolation", v.value(["enable_network_isolation"]));
      return { resource: { type: "AWS::SageMaker::Model", id: t.id, arn: t.arn, data } };
    },
  },
  aws_sagemaker_endpoint_configuration: {
    attribute: (t, name) => (name === "arn" ? t.arn : name === "name" || name === "id" ? configName(t) : undefined),
    translate: () => ({}), // carried by the endpoints that use it
  },
  aws_sagemaker_endpoint: {
    snapshotType: "AWS::SageMaker::Endpoint",
    name: (t, v) => providerName(t, v),
    attribute: (t, name) => (name === "arn" ? t.arn : name === "name" || name === "id" ? t.id : undefined),
    physical: idArn,
    translate: (t, v) => {
      const configName = v.reference(["endpoint_config_name"], "scalar");
      const data: ResourceObject = {
        EndpointName: providerName(t, v),
        EndpointArn: t.arn,
        EndpointConfigName: configName,
        EndpointStatus: "InService",
        EndpointConfig: t.endpointConfig(configName),
      };
      return { resource: { type: "AWS::SageMaker::Endpoint", id: t.id, arn: t.arn, data } };
    },
  },
  aws_sagemaker_model_package_group: {
    snapshotType: "AWS::SageMaker::ModelPackageGroup",
    name: (_t, v) => v.value(["model_package_group_name"]),
    attribute: (t, name) => (name === "arn" ? t.arn : name === "model_package_group_name" || name === "id" ? t.id : undefined),
    physical: idArn,
    translate: (t, v) => {
      const data: ResourceObject = {
        ModelPackageGroupName: v.value(["model_package_group_name"]),
        ModelPackageGroupArn: t.arn,
        ModelPackageGroupStatus: "Completed",
        ModelPackages: [],
      };
      set(data, "ModelPackageGroupDescription", v.value(["model_package_group_description"]));
      // Versions are registered later (by pipelines): rules that read them give no result.
      return { resource: { type: "AWS::SageMaker::ModelPackageGroup", id: t.id, arn: t.arn, data, undeclarable: ["ModelPackages"] } };
    },
  },
  aws_sagemaker_pipeline: {
    attribute: (t, name) => (name === "arn" ? t.arn : undefined),
    translate: (t, v) => {
      const name = v.value(["pipeline_name"]);
      const definition = v.value(["pipeline_definition"]);
      t.pipeline?.(typeof name === "string" ? name : v.address, definition);
      return {};
    },
  },
};

function configName(t: Tf): unknown {
  const v = t.inst.values;
  return providerName(t, { address: t.inst.address, value: (p) => at(v, p), reference: (p) => at(v, p) });
}

function cidrAssociation(v: Values): AmendmentOut {
  const cidr = v.value(["cidr_block"]) ?? unresolved("computed", `${v.address}.cidr_block`, "allocated from IPAM at apply");
  return {
    type: "AWS::EC2::VPC",
    id: v.reference(["vpc_id"], "scalar"),
    field: "CidrBlockAssociationSet",
    items: [{ AssociationId: v.address, CidrBlock: cidr, CidrBlockState: { State: "associated" } }],
    key: "AssociationId",
    what: `aws_vpc_ipv4_cidr_block_association ${v.address}`,
  };
}

function lifecyclePolicy(v: Values): AmendmentOut {
  return {
    type: "AWS::ECR::Repository",
    id: v.reference(["repository"], "scalar"),
    field: "lifecyclePolicyText",
    items: [v.value(["policy"])],
    merge: "replace",
    what: `aws_ecr_lifecycle_policy ${v.address}`,
  };
}

function alias(t: Tf, v: Values): AmendmentOut {
  const name = providerName(t, v, "name", "name_prefix");
  const aliasName = typeof name === "string" && name.startsWith("terraform-") && !present(v.value(["name"])) ? `alias/${name}` : name;
  return {
    type: "AWS::KMS::Key",
    id: v.reference(["target_key_id"], "scalar"),
    field: "Aliases",
    items: [
      {
        AliasName: aliasName,
        AliasArn: typeof aliasName === "string" ? `arn:${t.partition}:kms:${t.region}:${t.accountId}:${aliasName}` : aliasName,
        TargetKeyId: v.reference(["target_key_id"], "scalar"),
      },
    ],
    key: "AliasName",
    what: `aws_kms_alias ${v.address}`,
  };
}

/** The prior object of an instance (its state), for the old side of an update. */
export function priorValues(inst: Instance): Values {
  const before = isRecord(inst.change.before) ? inst.change.before : {};
  const reference = (p: Path) => {
    const v = at(before, p);
    return Array.isArray(v) ? v.map((x) => inst.model.alias(x)) : inst.model.alias(v);
  };
  return { address: inst.address, value: (p) => at(before, p), reference };
}

export type { UnresolvedCause };
