// A Terraform plan to planned sets: every resource instance of a mapped type that exists after
// apply becomes a planned object (deletes drop live resources; the old side of an updated
// separate declaration is taken away before the new one is added), with its id (the address;
// the declared name for types whose id is a name), a synthetic ARN naming the plan and the
// address, and its location (the `.tf` block, else the plan entry). Data sources the plan read
// (aws_vpc, aws_subnet, aws_security_group, aws_caller_identity) supply what existing resources
// look like and which account the plan deploys into. Sensitive values are collected so that
// reports never show them.
import { dirname } from "node:path";
import { TemplateError } from "../../errors.js";
import { partitionOf, type ResourceObject } from "../../resources/catalog.js";
import type { SourceLocation } from "../../resources/source.js";
import { isUnresolved, unresolved, type UnresolvedCause } from "../../resources/unresolved.js";
import { scanJson } from "../../snapshot/scan.js";
import { isRecord, SYMBOLIC } from "../cfn/resolve.js";
import { planPipeline } from "../pipeline.js";
import type { Amendment, ContextResource, PlannedResource, PlannedSet, PlanTarget } from "../types.js";
import { Instance, Model, sensitiveLeaves, type Path } from "./model.js";
import { readPlan, type TerraformPlan } from "./read.js";
import { TerraformSources } from "./sources.js";
import { endpointConfigObject, priorValues, TYPES, type Tf, type TfHandler, type Values } from "./translate.js";

export interface TerraformOptions {
  /** How reports show a path (relative to the repository root). */
  display(path: string): string;
  /**
   * Addresses another plan of the run declares too: their ids are qualified with this plan's
   * label (`network/aws_vpc.main`), as two stacks' equal logical ids are.
   */
  shared?: ReadonlySet<string>;
  label?: string;
  /** --tf-root: the root module's directory (else the working directory, then the plan's directory). */
  tfRoot?: string;
  accountId?: string;
  region?: string;
  liveTarget?: Partial<PlanTarget>;
  /** --parameters values for a pipeline, by pipeline name. */
  pipelineParameters(name: string): ReadonlyMap<string, string>;
}

const MAX_DEFINITION_BYTES = 8 * 1024 * 1024;

export function planTerraform(plan: TerraformPlan, options: TerraformOptions): PlannedSet[] {
  return new TerraformPlanner(plan, options).planSets();
}

/** The addresses of the instances a plan plans, to tell which two plans share. */
export function plannedAddresses(plan: TerraformPlan): string[] {
  return plan.changes
    .filter((c) => c.mode === "managed" && c.deposed === undefined && Object.prototype.hasOwnProperty.call(TYPES, c.type))
    .map((c) => c.address);
}

export { readPlan };

class TfImpl implements Tf {
  readonly id: string;
  readonly arn: string;
  unknownId?: UnresolvedCause;
  pipelineDefinition?: { name: string; definition: unknown };

  constructor(
    readonly planner: TerraformPlanner,
    readonly inst: Instance,
    readonly handler: TfHandler,
    readonly target: PlanTarget,
  ) {
    this.arn = `arn:sagegate:terraform:::${planner.plan.file}#${inst.address}`;
    const name = handler.name?.(this, inst);
    if (typeof name === "string" && name !== "") this.id = name;
    else {
      this.id = planner.qualified(inst.address);
      if (isUnresolved(name)) this.unknownId = name.$unresolved;
    }
  }
  get accountId(): string {
    return this.target.accountId;
  }
  get region(): string {
    return this.target.region;
  }
  get partition(): string {
    return this.target.region === SYMBOLIC.region ? SYMBOLIC.partition : partitionOf(this.target.region);
  }
  declared(name: string): boolean | undefined {
    const fromConfig = this.inst.declared(name);
    if (fromConfig !== undefined) return fromConfig;
    // No configuration for the resource: its block, when found, tells.
    const text = this.planner.block(this.inst)?.text;
    if (text === undefined) return undefined;
    return new RegExp(`(^|\\n)\\s*(${name}\\s*(=|\\{)|dynamic\\s+"?${name}"?\\s*\\{)`).test(text);
  }
  pipeline(name: string, definition: unknown): void {
    this.pipelineDefinition = { name, definition };
  }
  endpointConfig(name: unknown): unknown {
    if (isUnresolved(name)) return name;
    if (typeof name !== "string") return unresolved("expression", `${this.inst.address}.endpoint_config_name`, "not a name");
    const config = this.planner.endpointConfig(this.target, name);
    return config ?? unresolved("resource", name, "the endpoint configuration is not in the plan (its settings cannot be read from a snapshot)");
  }
}

class TerraformPlanner {
  readonly model: Model;
  private readonly impls = new Map<Instance, TfImpl>();
  private readonly sources: TerraformSources;
  private readonly blocks = new Map<Instance, ReturnType<TerraformSources["locate"]> | null>();
  private readonly accountId: string | undefined;

  constructor(
    readonly plan: TerraformPlan,
    private readonly options: TerraformOptions,
  ) {
    this.model = new Model(plan, (type) => Object.prototype.hasOwnProperty.call(TYPES, type));
    const roots = options.tfRoot !== undefined ? [options.tfRoot] : [process.cwd(), dirname(plan.path)];
    this.sources = new TerraformSources([...new Set(roots)], plan.configuration);
    this.accountId = options.accountId ?? this.callerAccount() ?? options.liveTarget?.accountId ?? this.ownAccount();
  }

  qualified(address: string): string {
    return this.options.shared?.has(address) && this.options.label ? `${this.options.label}/${address}` : address;
  }

  block(inst: Instance): ReturnType<TerraformSources["locate"]> {
    if (!this.blocks.has(inst)) this.blocks.set(inst, this.sources.locate(inst.moduleStepsOf, inst.type, inst.entry.name) ?? null);
    return this.blocks.get(inst) ?? undefined;
  }

  planSets(): PlannedSet[] {
    for (const inst of this.model.instances) this.impls.set(inst, new TfImpl(this, inst, TYPES[inst.type]!, this.target(inst)));
    this.model.setAttributes((inst, name) => {
      const t = this.impls.get(inst)!;
      const a = t.handler.attribute?.(t, name);
      return a !== undefined ? a : inst.value([name]);
    });
    // Existing objects: their physical ids and ARNs stand for the planned ids and ARNs.
    for (const [inst, t] of this.impls) {
      if (!inst.planned || !t.handler.physical) continue;
      for (const v of [priorValues(inst), afterValues(inst)])
        for (const p of t.handler.physical(v)) this.model.addAlias(p, p.startsWith("arn:") ? t.arn : t.id);
    }

    const sets = new Map<string, PlannedSet>();
    const setOf = (target: PlanTarget): PlannedSet => {
      const key = `${target.accountId}\u0000${target.region}`;
      let s = sets.get(key);
      if (!s) sets.set(key, (s = { name: this.plan.file, target, resources: [], amendments: [], deletes: [], context: [], sensitive: [], warnings: [] }));
      return s;
    };
    const additions = new Map<PlannedSet, Amendment[]>();
    for (const [inst, t] of this.impls) {
      const set = setOf(t.target);
      const source = this.source(inst);
      const change = inst.change;
      const hasBefore = isRecord(change.before);
      // The old side first: what a separate declaration took away goes before what it adds.
      if (hasBefore && t.handler.removed) for (const a of t.handler.removed(t, priorValues(inst))) set.amendments.push({ ...a, source });
      if (inst.actions.includes("delete") && t.handler.snapshotType && t.handler.physical)
        for (const id of t.handler.physical(priorValues(inst))) set.deletes!.push({ type: t.handler.snapshotType, id });
      if (!inst.planned) continue;
      const out = t.handler.translate(t, inst);
      const leaves: unknown[] = [];
      sensitiveLeaves(change.after, change.afterSensitive, leaves);
      if (out.resource) {
        const planned: PlannedResource = { ...out.resource, source };
        const physical = inst.actions.includes("create") || !t.handler.physical ? [] : t.handler.physical(priorValues(inst));
        if (physical.length > 0) planned.physicalIds = physical;
        if (t.unknownId) planned.unknownId = t.unknownId;
        if (leaves.length > 0) planned.sensitive = leaves;
        set.resources.push(planned);
      } else set.sensitive = [...set.sensitive!, ...leaves.filter((x): x is string => typeof x === "string")];
      const list = additions.get(set) ?? [];
      for (const a of out.amendments ?? []) list.push({ ...a, source });
      additions.set(set, list);
      if (t.pipelineDefinition) this.pipeline(t, t.pipelineDefinition, source, set);
    }
    for (const [set, list] of additions) set.amendments.push(...list);

    const context = this.context();
    const sensitiveVariables = this.sensitiveVariables();
    if (sets.size === 0) setOf(this.defaultTarget());
    const all = [...sets.values()];
    for (const s of all) {
      s.context = context;
      s.sensitive = [...s.sensitive!, ...sensitiveVariables];
    }
    if (this.plan.errored)
      all[0]!.warnings.push({
        source: { file: this.plan.file, line: 1 },
        message: "the plan errored (errored: true): resources Terraform did not reach are not in it",
        cause: { kind: "expression", name: "errored", hint: "fix the plan's errors and plan again" },
      });
    return all;
  }

  private source(inst: Instance): SourceLocation {
    const b = this.block(inst);
    if (b) return { file: this.options.display(b.path), line: b.line, endLine: b.endLine, address: inst.address };
    return { file: this.plan.file, line: inst.entry.line, endLine: Math.max(inst.entry.line, inst.entry.endLine), address: inst.address };
  }

  /** Region from the resource's provider configuration (a constant or a root variable), else the flags, the live snapshot, or symbolic. */
  private target(inst: Instance): PlanTarget {
    return { accountId: this.accountId ?? SYMBOLIC.accountId, region: this.providerRegion(inst) ?? this.defaultTarget().region };
  }

  /** A region the flags or the live snapshot give, else the root module's aws provider's, else symbolic. */
  private fallbackRegion(): string {
    return this.options.region ?? this.options.liveTarget?.region ?? this.regionOf("aws") ?? SYMBOLIC.region;
  }

  private defaultTarget(): PlanTarget {
    return { accountId: this.accountId ?? SYMBOLIC.accountId, region: this.fallbackRegion() };
  }

  private providerRegion(inst: Instance): string | undefined {
    const key = inst.config?.provider_config_key;
    return this.regionOf(typeof key === "string" ? key : "aws");
  }

  private regionOf(key: string): string | undefined {
    const providers = this.plan.configuration.provider_config;
    const provider = isRecord(providers) ? providers[key] : undefined;
    const region = isRecord(provider) && isRecord(provider.expressions) ? provider.expressions.region : undefined;
    if (!isRecord(region)) return undefined;
    if (typeof region.constant_value === "string") return region.constant_value;
    const refs = Array.isArray(region.references) ? region.references : [];
    const variable =
      refs.length > 0 && typeof refs[0] === "string" && /^var\.[A-Za-z0-9_-]+$/.test(refs[0]) ? this.plan.variables.get(refs[0].slice(4)) : undefined;
    return typeof variable === "string" ? variable : undefined;
  }

  /** The account of data.aws_caller_identity, when the plan read one. */
  private callerAccount(): string | undefined {
    const accounts = new Set<string>();
    for (const r of this.plan.priorState)
      if (r.mode === "data" && r.type === "aws_caller_identity") {
        const v = r.values();
        if (isRecord(v) && typeof v.account_id === "string" && /^\d{12}$/.test(v.account_id)) accounts.add(v.account_id);
      }
    return accounts.size === 1 ? [...accounts][0] : undefined;
  }

  /** The account in the ARNs of the plan's existing resources of mapped types, when they agree. */
  private ownAccount(): string | undefined {
    const accounts = new Set<string>();
    for (const inst of this.model.instances) {
      const before = inst.change.before;
      const arn = isRecord(before) ? before.arn : undefined;
      const m = typeof arn === "string" ? /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn) : null;
      if (m) accounts.add(m[1]!);
    }
    return accounts.size === 1 ? [...accounts][0] : undefined;
  }

  endpointConfig(target: PlanTarget, name: string): ResourceObject | undefined {
    for (const [inst, t] of this.impls) {
      if (inst.type !== "aws_sagemaker_endpoint_configuration" || !inst.planned || t.target.region !== target.region) continue;
      const own = t.handler.attribute!(t, "name");
      if (own === name) return endpointConfigObject(t, inst, own);
    }
    return undefined;
  }

  private pipeline(t: TfImpl, p: { name: string; definition: unknown }, source: SourceLocation, set: PlannedSet): void {
    const what = `aws_sagemaker_pipeline ${t.inst.address}`;
    if (typeof p.definition !== "string" || p.definition === "") {
      const s3 = t.inst.value(["pipeline_definition_s3_location"]);
      const inS3 = Array.isArray(s3) && s3.length > 0;
      set.warnings.push({
        source,
        message: `${what}: ${inS3 ? "the definition is read from S3 at apply" : "the definition is not known before apply"}, so the jobs it starts are not evaluated`,
        cause: isUnresolved(p.definition)
          ? p.definition.$unresolved
          : { kind: "computed", name: `${t.inst.address}.pipeline_definition`, hint: "inline the definition (pipeline_definition)" },
      });
      return;
    }
    let definition: unknown;
    try {
      const buf = Buffer.from(p.definition, "utf8");
      if (buf.length > MAX_DEFINITION_BYTES) throw new Error("too large");
      definition = scanJson(buf, { spanAt: () => false, maxDepth: 128 });
    } catch (err) {
      throw new TemplateError(`${what}: pipeline_definition is not valid JSON (${err instanceof Error ? err.message : String(err)})`, source.file, {
        line: source.line,
      });
    }
    const planned = planPipeline({
      name: p.name,
      definition,
      source: () => source,
      arnBase: `${this.plan.file}#${t.inst.address}`,
      parameters: this.options.pipelineParameters(p.name),
      accountId: t.accountId,
      region: t.region,
      alias: (v) => this.model.alias(v),
    });
    set.resources.push(...planned.resources);
    set.amendments.push(...planned.amendments);
    set.warnings.push(...planned.warnings);
  }

  /** Existing VPCs, subnets and security groups the plan read as data sources, in the snapshot's shapes. */
  private context(): ContextResource[] {
    const out: ContextResource[] = [];
    for (const r of this.plan.priorState) {
      if (r.mode !== "data") continue;
      const v = r.values();
      if (!isRecord(v) || typeof v.id !== "string" || v.id === "") continue;
      const cause = (field: string) => unresolved("computed", `${r.address}.${field}`, "a data source does not read it: pass --live");
      if (r.type === "aws_vpc") {
        const blocks = Array.isArray(v.cidr_block_associations)
          ? v.cidr_block_associations
              .filter(isRecord)
              .map((b) => ({ AssociationId: b.association_id, CidrBlock: b.cidr_block, CidrBlockState: { State: b.state ?? "associated" } }))
          : [{ AssociationId: `${v.id}-cidr-0`, CidrBlock: v.cidr_block, CidrBlockState: { State: "associated" } }];
        out.push({
          type: "AWS::EC2::VPC",
          id: v.id,
          data: {
            VpcId: v.id,
            CidrBlock: v.cidr_block,
            CidrBlockAssociationSet: blocks,
            State: v.state ?? "available",
            IsDefault: v.default === true,
            OwnerId: v.owner_id,
          },
        });
      } else if (r.type === "aws_subnet") {
        out.push({
          type: "AWS::EC2::Subnet",
          id: v.id,
          data: {
            SubnetId: v.id,
            SubnetArn: v.arn,
            VpcId: v.vpc_id,
            CidrBlock: v.cidr_block,
            MapPublicIpOnLaunch: v.map_public_ip_on_launch ?? cause("map_public_ip_on_launch"),
          },
        });
      } else if (r.type === "aws_security_group") {
        out.push({
          type: "AWS::EC2::SecurityGroup",
          id: v.id,
          data: {
            GroupId: v.id,
            GroupName: v.name,
            VpcId: v.vpc_id,
            Description: v.description ?? "",
            SecurityGroupArn: v.arn,
            IpPermissions: cause("ingress"),
            IpPermissionsEgress: cause("egress"),
          },
        });
      }
    }
    return out;
  }

  /** Values of root variables the configuration declares sensitive. */
  private sensitiveVariables(): string[] {
    const root = this.model.root;
    const vars = isRecord(root?.variables) ? root.variables : {};
    const out: unknown[] = [];
    for (const [name, decl] of Object.entries(vars)) if (isRecord(decl) && decl.sensitive === true) sensitiveLeaves(this.plan.variables.get(name), true, out);
    return out.filter((x): x is string => typeof x === "string");
  }
}

function afterValues(inst: Instance): Values {
  return { address: inst.address, value: (p: Path) => inst.value(p), reference: (p: Path, want) => inst.reference(p, want) };
}
