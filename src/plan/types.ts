// The planned state, whatever it was read from. An input (CloudFormation templates and CDK
// assemblies, Terraform plan JSON, SageMaker pipeline definitions) reads files and yields
// PlannedSets; the builder (build.ts) turns them, optionally over a live
// snapshot, into the in-memory snapshot the engine evaluates. Planned objects have the snapshot
// type's SDK field names, so rules never know where a resource came from; a value not known
// before deploy is an Unresolved value in the place it would be.
import type { ResourceObject } from "../resources/catalog.js";
import type { SourceLocation } from "../resources/source.js";
import type { UnresolvedCause } from "../resources/unresolved.js";

/** One resource as it will exist after deploy, as the snapshot stores its type. */
export interface PlannedResource {
  /** Snapshot type (AWS::EC2::SecurityGroup, …). */
  type: string;
  /** Its id: the value of the type's id field in `data` (a declared name, else the logical id). */
  id: string;
  /** Stable synthetic ARN naming the declaration (never a live ARN). */
  arn: string;
  data: ResourceObject;
  source: SourceLocation;
  /**
   * Fields set only if still absent once every amendment is applied: EC2's default allow-all
   * egress of a CloudFormation security group that declares no egress at all.
   */
  defaults?: Record<string, unknown>;
  /** Snapshot-type calls whose data a declaration cannot hold (ECR images): rules needing them give no result. */
  undeclarable?: readonly string[];
  /** Created only if a condition holds that could not be resolved: every result on it is unresolved. */
  condition?: UnresolvedCause;
  /** Tags of a live resource that mean "this declaration" (aws:cloudformation:stack-name / logical-id). */
  liveTags?: Record<string, string>;
  /** Physical ids (and ARNs) the resource already has (a Terraform update): the live resource with one of them is this one. */
  physicalIds?: readonly string[];
  /**
   * The id stands in for a name that is declared but not known before deploy: results of rules
   * that read the id (`$id`) are unresolved with this cause.
   */
  unknownId?: UnresolvedCause;
  /** Leaf values the plan marks sensitive (Terraform `after_sensitive`): never written to a report. */
  sensitive?: readonly unknown[];
}

/**
 * A change to another resource declared separately: a standalone security group rule, a KMS
 * alias, a secondary VPC CIDR block, a model package version. The target may be planned or live.
 */
export interface Amendment {
  /** Snapshot type and id of the resource changed. */
  type: string;
  id: unknown;
  /** List field the items are appended to. */
  field: string;
  items: unknown[];
  /**
   * How the items change the field: appended (default), merged as EC2 groups security group
   * permissions, or `replace`: the field becomes `items[0]` (a lifecycle policy, a key policy).
   */
  merge?: "ipPermissions" | "replace";
  /**
   * The declaration goes away (a Terraform delete, the old side of an update): the items are
   * removed instead (permissions source by source, list items by `key` or whole, a replaced field deleted).
   */
  remove?: boolean;
  /** Field of a list item that identifies it, for removals (`AliasName`). */
  key?: string;
  source: SourceLocation;
  /** What the declaration is, for messages ("AWS::EC2::SecurityGroupIngress SshFromAnywhere"). */
  what: string;
}

/** Something the plan could not place, told once (stderr) and counted as unresolved by the gate. */
export interface PlanWarning {
  source: SourceLocation;
  message: string;
  cause?: UnresolvedCause;
}

/** Where planned resources go. Account and region may be symbolic tokens (resolve.ts SYMBOLIC). */
export interface PlanTarget {
  accountId: string;
  region: string;
}

/** What one stack (template, plan) declares for one target. */
export interface PlannedSet {
  name: string;
  target: PlanTarget;
  resources: PlannedResource[];
  amendments: Amendment[];
  /** Live resources this plan removes (Terraform deletes), by snapshot type and physical id or ARN. */
  deletes?: Array<{ type: string; id: string }>;
  /**
   * Existing resources the plan read (Terraform data sources: a VPC and its CIDR blocks): they
   * stand in for live ones when --live does not hold them, for lookups only, never reported.
   */
  context?: ContextResource[];
  /** Sensitive text values of the set (variables, amendments): never written to a report. */
  sensitive?: readonly string[];
  warnings: PlanWarning[];
}

/** An existing resource known from the plan itself, in its snapshot type's shape. */
export interface ContextResource {
  type: string;
  id: string;
  data: ResourceObject;
}
