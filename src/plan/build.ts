// The one builder: planned sets (from any input), optionally over a live snapshot, become the
// in-memory snapshot the engine already evaluates. For each account and region the plan deploys
// into:
//   - live resources of that region are read in (context: the existing VPC a template names,
//     its groups, subnets, keys), and a planned resource that is the same physical resource as a
//     live one (same natural id, the CloudFormation stack and logical-id tags, a group of the same
//     name in the same VPC) replaces it;
//   - live resources the plan deletes (Terraform) are dropped; resources the plan read itself
//     (Terraform data sources) stand in for live ones --live does not hold, for lookups only;
//   - amendments (standalone rules, aliases, CIDR blocks, package versions) are applied to their
//     planned or live target, removals where a declaration goes away; then each planned object's
//     defaults (EC2's default egress);
//   - a reference to a resource that neither the plan nor the live snapshot holds becomes
//     Unresolved (kind "resource"), so checks that follow it report unresolved, not a guess.
import { SnapshotError, TemplateError } from "../errors.js";
import { subValidator } from "../io/schema.js";
import { resourceType, type ResourceObject } from "../resources/catalog.js";
import type { SourceLocation } from "../resources/source.js";
import { insideUnresolved, isUnresolved, unresolved } from "../resources/unresolved.js";
import { compare } from "../snapshot/read.js";
import type { CollectionError, LoadedSnapshot, RegionInventory, StoredResource, TypeSource } from "../snapshot/types.js";
import { TOOL } from "../version.js";
import type { Amendment, ContextResource, PlannedResource, PlannedSet, PlanTarget, PlanWarning } from "./types.js";
import { groupPermissions, removePermissions } from "./cfn/translate.js";

export interface BuildOptions {
  live?: LoadedSnapshot;
}

/** What a stored resource of the planned snapshot is, for the plan's post-processing of results. */
export interface PlannedEntry {
  resource: PlannedResource;
  /** Fields no declaration can hold (after amendments filled some). */
  undeclarable: string[];
}

export interface BuiltPlan {
  snapshot: LoadedSnapshot;
  /** Planned (and amended live) resources by `account NUL region NUL type NUL id`. */
  planned: Map<string, PlannedEntry>;
  /** Live resources the plan refers to, by the same key: their results are part of the plan's. */
  referencedLive: Set<string>;
  warnings: PlanWarning[];
  hasLive: boolean;
}

export function resultKey(accountId: string, region: string, type: string, id: string): string {
  return `${accountId}\u0000${region}\u0000${type}\u0000${id}`;
}

/** Fields whose values name other resources, per type: [path, referenced type]. */
const REFERENCES: Record<string, Array<[string, string]>> = {
  "AWS::EC2::SecurityGroup": [["VpcId", "AWS::EC2::VPC"]],
  "AWS::EC2::Subnet": [["VpcId", "AWS::EC2::VPC"]],
  "AWS::SageMaker::Model": [
    ["VpcConfig.SecurityGroupIds[]", "AWS::EC2::SecurityGroup"],
    ["VpcConfig.Subnets[]", "AWS::EC2::Subnet"],
    ["PrimaryContainer.ModelPackageName", "AWS::SageMaker::ModelPackage"],
    ["Containers[].ModelPackageName", "AWS::SageMaker::ModelPackage"],
  ],
  "AWS::SageMaker::Endpoint": [["EndpointConfig.ProductionVariants[].ModelName", "AWS::SageMaker::Model"]],
  "AWS::SageMaker::TrainingJob": [
    ["VpcConfig.SecurityGroupIds[]", "AWS::EC2::SecurityGroup"],
    ["VpcConfig.Subnets[]", "AWS::EC2::Subnet"],
  ],
  "AWS::SageMaker::ProcessingJob": [
    ["NetworkConfig.VpcConfig.SecurityGroupIds[]", "AWS::EC2::SecurityGroup"],
    ["NetworkConfig.VpcConfig.Subnets[]", "AWS::EC2::Subnet"],
  ],
};

const PACKAGE = "AWS::SageMaker::ModelPackage";
const GROUP = "AWS::SageMaker::ModelPackageGroup";

interface LiveItem {
  stored: StoredResource;
  /** Replaced by a planned resource, amended (a copy is planned instead) or deleted by the plan. */
  dropped?: boolean;
  /** Known from the plan itself (a data source), not from --live: looked up, never reported. */
  context?: boolean;
}

class Target {
  readonly planned: PlannedResource[] = [];
  readonly amendments: Amendment[] = [];
  readonly deletes: Array<{ type: string; id: string }> = [];
  readonly context: ContextResource[] = [];
  readonly live = new Map<string, LiveItem[]>();
  errors: CollectionError[] = [];
  constructor(readonly target: PlanTarget) {}
}

export function buildPlannedSnapshot(sets: readonly PlannedSet[], options: BuildOptions = {}): BuiltPlan {
  const targets = new Map<string, Target>();
  const warnings: PlanWarning[] = [];
  for (const set of sets) {
    const key = `${set.target.accountId}\u0000${set.target.region}`;
    let t = targets.get(key);
    if (!t) targets.set(key, (t = new Target(set.target)));
    t.planned.push(...set.resources);
    t.amendments.push(...set.amendments);
    t.deletes.push(...(set.deletes ?? []));
    t.context.push(...(set.context ?? []));
    warnings.push(...set.warnings);
  }
  const planned = new Map<string, PlannedEntry>();
  const referencedLive = new Set<string>();
  const regions: RegionInventory[] = [];
  for (const t of [...targets.values()].sort((a, b) => compare(a.target.accountId, b.target.accountId) || compare(a.target.region, b.target.region))) {
    loadLive(t, options.live);
    addContext(t);
    applyDeletes(t);
    regions.push(buildRegion(t, planned, referencedLive, warnings, options.live !== undefined));
  }
  const meta = options.live?.meta ?? { snapshotVersion: 1 as const, collectedAt: "planned", collector: { name: TOOL.name, version: TOOL.version } };
  return { snapshot: { meta, regions }, planned, referencedLive, warnings, hasLive: options.live !== undefined };
}

function loadLive(t: Target, live: LoadedSnapshot | undefined): void {
  const inventory = live?.regions.find((r) => r.accountId === t.target.accountId && r.region === t.target.region);
  if (!inventory) return;
  t.errors = inventory.errors;
  for (const [type, source] of inventory.resources) {
    const items: LiveItem[] = [];
    for (const stored of source.items()) {
      delete stored.raw;
      items.push({ stored });
    }
    t.live.set(type, items);
  }
}

/** Resources the plan read itself, where --live does not hold them. */
function addContext(t: Target): void {
  const seen = new Set<string>();
  for (const c of t.context) {
    const items = t.live.get(c.type) ?? [];
    const key = `${c.type}\u0000${c.id}`;
    if (seen.has(key) || items.some((i) => i.stored.id === c.id)) continue;
    seen.add(key);
    items.push({ stored: { id: c.id, data: structuredClone(c.data) }, context: true });
    t.live.set(c.type, items);
  }
}

/** Live resources the plan deletes are gone after deploy. */
function applyDeletes(t: Target): void {
  const { accountId, region } = t.target;
  for (const d of t.deletes)
    for (const item of t.live.get(d.type) ?? [])
      if (item.stored.id === d.id || (item.stored.arn ?? resourceType(d.type)?.arn(item.stored.data, accountId, region)) === d.id) item.dropped = true;
}

function buildRegion(t: Target, planned: Map<string, PlannedEntry>, referencedLive: Set<string>, warnings: PlanWarning[], hasLive: boolean): RegionInventory {
  const { accountId, region } = t.target;
  const byType = new Map<string, PlannedResource[]>();
  const where = new Map<string, SourceLocation>();
  for (const p of t.planned) {
    const k = `${p.type}\u0000${p.id}`;
    const earlier = where.get(k);
    if (earlier)
      throw new TemplateError(
        `${p.type} ${p.id} is declared twice for the same account and region (also at ${earlier.file}:${earlier.line}); plan one of them (--stack) or give the stacks different environments`,
        p.source.file,
        { line: p.source.line },
      );
    where.set(k, p.source);
    let list = byType.get(p.type);
    if (!list) byType.set(p.type, (list = []));
    list.push(p);
  }
  replaceLive(t, byType);
  const entries = new Map<PlannedResource, PlannedEntry>();
  for (const p of t.planned) entries.set(p, { resource: p, undeclarable: [...(p.undeclarable ?? [])] });
  const amendedLive = applyAmendments(t, byType, entries, warnings);
  for (const p of t.planned) {
    for (const [field, value] of Object.entries(p.defaults ?? {})) if (p.data[field] === undefined) p.data[field] = structuredClone(value);
  }
  const known = knownIds(t, byType, amendedLive);
  const blind = (type: string) => t.errors.some((e) => e.resourceId === undefined && e.resourceType === (type === PACKAGE ? GROUP : type));
  for (const p of [...t.planned, ...amendedLive]) markDangling(p, known, blind, hasLive);

  const resources = new Map<string, TypeSource>();
  const types = new Set<string>([...byType.keys(), ...t.live.keys(), ...amendedLive.map((a) => a.type)]);
  for (const type of [...types].sort(compare)) {
    const stored: StoredResource[] = [];
    for (const item of t.live.get(type) ?? []) if (!item.dropped) stored.push(item.stored);
    for (const p of [...(byType.get(type) ?? []), ...amendedLive.filter((a) => a.type === type)]) {
      // A live resource a declaration changes keeps its live identity (its ARN); only declared ones are `planned`.
      const s: StoredResource = { id: p.id, data: p.data, arn: p.arn, source: p.source };
      if (!amendedLive.includes(p)) s.planned = true;
      stored.push(s);
      const entry = entries.get(p) ?? { resource: p, undeclarable: [] };
      // What no declaration holds (an ECR repository's images) is not known before deploy: the
      // snapshot schema requires the field, and rules reading it give no result (results.ts).
      for (const field of entry.undeclarable)
        if (p.data[field] === undefined) p.data[field] = unresolved("attribute", field, `${shortType(type)} ${field} exists only after deploy`);
      planned.set(resultKey(accountId, region, type, p.id), entry);
    }
    stored.sort((a, b) => compare(a.id, b.id));
    resources.set(type, new PlannedTypeSource(type, stored));
  }
  // Live resources the plan names (an existing VPC, its subnets, a key): their results count.
  const named = new Set<string>();
  for (const p of [...t.planned, ...amendedLive]) collectStrings(p.data, named, 0);
  for (const [type, items] of t.live)
    for (const item of items) {
      if (item.dropped || item.context) continue;
      const arn = item.stored.arn ?? resourceType(type)?.arn(item.stored.data, accountId, region);
      if (named.has(item.stored.id) || (arn !== undefined && named.has(arn))) referencedLive.add(resultKey(accountId, region, type, item.stored.id));
    }
  return { accountId, region, resources, errors: t.errors, uncertain: true };
}

/** A planned resource that is the same physical resource as a live one replaces it. */
function replaceLive(t: Target, byType: Map<string, PlannedResource[]>): void {
  for (const [type, list] of byType) {
    const live = t.live.get(type);
    if (!live) continue;
    for (const p of list) {
      for (const item of live) {
        if (item.dropped) continue;
        const data = item.stored.data;
        const sameId = item.stored.id === p.id || (p.physicalIds?.includes(item.stored.id) ?? false);
        const sameTags = p.liveTags !== undefined && Object.entries(p.liveTags).every(([k, v]) => tagValue(data, k) === v);
        const sameGroup =
          type === "AWS::EC2::SecurityGroup" &&
          typeof p.data.GroupName === "string" &&
          typeof p.data.VpcId === "string" &&
          data.GroupName === p.data.GroupName &&
          data.VpcId === p.data.VpcId;
        if (sameId || sameTags || sameGroup) item.dropped = true;
      }
    }
  }
}

function tagValue(data: ResourceObject, key: string): unknown {
  const tags = Array.isArray(data.Tags) ? data.Tags : Array.isArray(data.tags) ? data.tags : [];
  for (const t of tags) if (t && typeof t === "object" && (t as Record<string, unknown>).Key === key) return (t as Record<string, unknown>).Value;
  return undefined;
}

/** Applies amendments; live targets are copied into planned resources (same id and ARN, the amendment's source). */
function applyAmendments(
  t: Target,
  byType: Map<string, PlannedResource[]>,
  entries: Map<PlannedResource, PlannedEntry>,
  warnings: PlanWarning[],
): PlannedResource[] {
  const amendedLive = new Map<string, PlannedResource>();
  const { accountId, region } = t.target;
  for (const a of t.amendments) {
    // A removal from something the plan cannot see changes nothing it evaluates.
    if (a.remove && isUnresolved(a.id)) continue;
    if (isUnresolved(a.id)) {
      warnings.push({
        source: a.source,
        message: `${a.what}: the ${shortType(a.type)} it changes is not known before deploy, so it is not evaluated`,
        cause: a.id.$unresolved,
      });
      continue;
    }
    const id = String(a.id);
    let target = (byType.get(a.type) ?? []).find((p) => p.id === id || p.arn === id || p.data.Arn === id);
    if (!target) {
      const cached = [...amendedLive.values()].find((p) => p.type === a.type && (p.id === id || p.arn === id));
      if (cached) target = cached;
    }
    if (!target) {
      const item = (t.live.get(a.type) ?? []).find(
        (i) => !i.dropped && (i.stored.id === id || resourceType(a.type)?.arn(i.stored.data, accountId, region) === id),
      );
      if (item) {
        item.dropped = true;
        target = {
          type: a.type,
          id: item.stored.id,
          arn: item.stored.arn ?? resourceType(a.type)!.arn(item.stored.data, accountId, region),
          data: structuredClone(item.stored.data),
          source: a.source,
        };
        amendedLive.set(`${a.type}\u0000${item.stored.id}`, target);
      }
    }
    if (!target && a.remove) continue;
    if (!target) {
      const cause = unresolved("resource", id, `${shortType(a.type)} ${id} is neither declared in the plan's inputs nor in the --live snapshot`);
      warnings.push({
        source: a.source,
        message: `${a.what} changes ${shortType(a.type)} ${id}, which the plan cannot see, so it is not evaluated`,
        cause: cause.$unresolved,
      });
      continue;
    }
    applyAmendment(target.data, a);
    const entry = entries.get(target);
    if (entry) entry.undeclarable = entry.undeclarable.filter((f) => f !== a.field);
  }
  return [...amendedLive.values()];
}

/** Changes one object as the amendment says. A field not known before deploy stays unknown: its unknown part is kept as an item. */
function applyAmendment(data: ResourceObject, a: Amendment): void {
  const current = data[a.field];
  if (a.merge === "replace") {
    if (!a.remove) data[a.field] = a.items[0];
    else if (current !== undefined && !isUnresolved(current) && JSON.stringify(current) === JSON.stringify(a.items[0])) delete data[a.field];
    return;
  }
  const existing: unknown[] = isUnresolved(current) ? [current] : Array.isArray(current) ? (current as unknown[]) : [];
  if (a.remove) {
    if (a.merge === "ipPermissions") data[a.field] = removePermissions(existing, a.items);
    else {
      const same = (x: unknown, y: unknown) =>
        a.key !== undefined && isRecordValue(x) && isRecordValue(y) ? x[a.key] === y[a.key] : JSON.stringify(x) === JSON.stringify(y);
      data[a.field] = existing.filter((x) => !a.items.some((y) => same(x, y)));
    }
    return;
  }
  data[a.field] = a.merge === "ipPermissions" ? groupPermissions([...existing, ...a.items]) : [...existing, ...a.items];
}

function isRecordValue(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnresolved(v);
}

function knownIds(t: Target, byType: Map<string, PlannedResource[]>, amended: readonly PlannedResource[]): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  const add = (type: string, id: unknown) => {
    if (typeof id !== "string") return;
    let s = known.get(type);
    if (!s) known.set(type, (s = new Set()));
    s.add(id);
  };
  for (const [type, list] of byType) for (const p of list) add(type, p.id);
  for (const p of amended) add(p.type, p.id);
  for (const [type, items] of t.live) for (const i of items) add(type, i.stored.id);
  // Model packages live inside their groups, named by ARN.
  const groups = [
    ...(byType.get(GROUP) ?? []).map((p) => p.data),
    ...(t.live.get(GROUP) ?? []).map((i) => i.stored.data),
    ...amended.filter((p) => p.type === GROUP).map((p) => p.data),
  ];
  for (const g of groups) if (Array.isArray(g.ModelPackages)) for (const mp of g.ModelPackages) add(PACKAGE, (mp as ResourceObject | null)?.ModelPackageArn);
  return known;
}

function markDangling(p: PlannedResource, known: Map<string, Set<string>>, blind: (type: string) => boolean, hasLive: boolean): void {
  for (const [path, type] of REFERENCES[p.type] ?? []) {
    if (blind(type)) continue; // the live list failed: the engine reports error for what depends on it
    const ids = known.get(type) ?? new Set<string>();
    const hint = hasLive
      ? "neither declared in the plan's inputs nor in the --live snapshot"
      : "not declared in the plan's inputs: pass --live SNAPSHOT.json for existing resources";
    rewrite(p.data, path.split("."), (v) => (typeof v === "string" && !ids.has(v) ? unresolved("resource", v, `${shortType(type)} ${v} is ${hint}`) : v));
  }
}

/** Replaces the values at a dotted path (`a.b[].c`) with `f(value)`. */
function rewrite(obj: unknown, segments: string[], f: (v: unknown) => unknown): void {
  if (segments.length === 0 || typeof obj !== "object" || obj === null || isUnresolved(obj)) return;
  const [first, ...rest] = segments;
  const many = first!.endsWith("[]");
  const name = many ? first!.slice(0, -2) : first!;
  const record = obj as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, name)) return;
  const value = record[name];
  if (many) {
    if (!Array.isArray(value)) return;
    if (rest.length === 0) record[name] = value.map(f);
    else for (const item of value) rewrite(item, rest, f);
  } else if (rest.length === 0) record[name] = f(value);
  else rewrite(value, rest, f);
}

function collectStrings(v: unknown, out: Set<string>, depth: number): void {
  if (depth > 64) return;
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (typeof v === "object" && v !== null && !isUnresolved(v)) for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
}

function shortType(type: string): string {
  return type.split("::").pop()!;
}

/**
 * Planned and live objects of one type. Planned objects are checked against the snapshot
 * schema like every snapshot object, except where a value is Unresolved (it stands for a value
 * of the right type that is not known yet); a mismatch names the declaration's line.
 */
class PlannedTypeSource implements TypeSource {
  private readonly validate;
  constructor(
    readonly type: string,
    private readonly stored: StoredResource[],
  ) {
    this.validate = subValidator("snapshot", `/definitions/${resourceType(type)!.schemaDefinition}`);
    for (const s of stored) if (s.source) this.check(s);
  }
  get count(): number {
    return this.stored.length;
  }
  item(index: number): StoredResource {
    return this.stored[index]!;
  }
  items(): Iterable<StoredResource> {
    return this.stored;
  }
  private check(s: StoredResource): void {
    if (this.validate(s.data)) return;
    for (const e of this.validate.errors ?? []) {
      if (insideUnresolved(s.data, e.instancePath)) continue;
      throw new SnapshotError(
        `${this.type} ${s.id} as planned does not match the snapshot schema at ${e.instancePath || "/"}: ${e.message ?? e.keyword}`,
        s.source!.file,
        {
          line: s.source!.line,
        },
      );
    }
  }
}

/** Resources per type that a plan's results are about: the planned ones and the live ones the plan names (coverage of a plan run). */
export function planTypeCounts(built: Pick<BuiltPlan, "planned" | "referencedLive">): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of [...built.planned.keys(), ...built.referencedLive]) {
    const type = key.split("\u0000")[2]!;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}
