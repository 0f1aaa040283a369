// Evaluates compiled rules over a snapshot, one region at a time. Each resource is parsed once,
// every rule of its type is applied to it, and it is dropped: only what other rules look up
// (projections of VPCs, subnets, security groups, model packages, reference sets) stays in
// memory. Types are processed in an order where everything a rule looks up is complete before
// the rule runs; a cycle (VPC rules look at security groups, security group rules at VPCs) is
// broken by keeping the smaller type whole.
//
// Each (rule, resource) yields pass, fail, error, or nothing when out of scope. `error` is
// reserved for data that was not collected: a failed call turns exactly the rules that needed
// its data into `error`.
import type { Config } from "../config/config.js";
import { SnapshotError } from "../errors.js";
import { childType, resourceType, type ResourceObject } from "../resources/catalog.js";
import { compare } from "../snapshot/read.js";
import type { SourceLocation } from "../resources/source.js";
import type { UnresolvedCause } from "../resources/unresolved.js";
import type { LoadedSnapshot, RegionInventory, StoredResource } from "../snapshot/types.js";
import type { ReferenceSpec } from "./compile.js";
import { describeError, IncompleteData, RegionIndex, type Frame, type Projection } from "./region.js";
import { isUnknown, type Unknown } from "./truth.js";
import type { CompiledCheck, CompiledRule, OperationNeeds } from "./rule.js";

/**
 * `waived`: a failure an active waiver accepts (set by the gate stage, never by rules).
 * `unresolved`: the outcome depends on a value not known before deploy (planned resources);
 * the result names what it needs in `unresolved`.
 */
export type Status = "pass" | "fail" | "error" | "waived" | "unresolved";

export interface ResultResource {
  type: string;
  id: string;
  arn: string;
  accountId: string;
  region: string;
  /** Byte range of the object in the snapshot file, when it came from one. */
  start?: number;
  end?: number;
  /** The resource's EC2-style `Tags` list as stored, for waivers that match on tags (see tagsOf). */
  rawTags?: unknown[];
  /** Where the resource was declared (planned resources): JSON `resource.source`, `file:line` in the table and Markdown. */
  source?: SourceLocation;
}

/** Who accepted a deviation, why and until when (from the waivers file). */
export interface WaiverInfo {
  index: number;
  owner: string;
  reason: string;
  expires: string;
  ticket?: string;
  file: string;
  line?: number;
}

export type BaselineState = "new" | "unchanged";

export interface EvaluationResult {
  rule: CompiledRule;
  resource: ResultResource;
  status: Status;
  message: string;
  evidence: ReadonlyArray<Record<string, unknown>>;
  /** The active waiver that turned this failure into `waived`. */
  waiver?: WaiverInfo;
  /** A waiver that would have matched but has expired (the failure stands). */
  expiredWaiver?: WaiverInfo;
  /** Compared with a baseline report: is this finding new? */
  baselineState?: BaselineState;
  /** Status `unresolved`: the values it depends on that are not known before deploy. */
  unresolved?: UnresolvedCause[];
}

export interface Evaluation {
  results: EvaluationResult[];
  /** Rules that ran (profile filter applied), sorted by id. */
  rules: CompiledRule[];
}

/** Id used for the results of a rule whose resources could not even be listed. */
export const UNLISTED_ID = "*";

const NO_EVIDENCE: ReadonlyArray<Record<string, unknown>> = Object.freeze([]);

export function activeRules(rules: readonly CompiledRule[], config: Config): CompiledRule[] {
  return rules.filter((r) => r.def.profile === "baseline" || config.profile === "high-security").sort((a, b) => compare(a.def.id, b.def.id));
}

export function evaluate(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], config: Config): Evaluation {
  const active = activeRules(rules, config);
  const plan = buildPlan(active);
  const results: EvaluationResult[] = [];
  for (const region of snapshot.regions) for (const r of evaluateRegion(region, plan, config)) results.push(r);
  return { results, rules: active };
}

// ---------------------------------------------------------------- the plan (once per run)

export interface Plan {
  rules: readonly CompiledRule[];
  rulesByType: Map<string, CompiledRule[]>;
  subjectRules: CompiledRule[];
  /** Looked-up top-level types and the fields kept of them. */
  projections: Map<string, Projection>;
  references: ReferenceSpec[];
  /** Types whose lookups must be complete before a type's rules run. */
  dependsOn: Map<string, Set<string>>;
}

export function buildPlan(rules: readonly CompiledRule[]): Plan {
  const rulesByType = new Map<string, CompiledRule[]>();
  const subjectRules: CompiledRule[] = [];
  const fields = new Map<string, Set<string> | "all">();
  const childFields = new Map<string, { field: string; fields: Set<string> | "all" }>();
  const references = new Map<string, ReferenceSpec>();
  const dependsOn = new Map<string, Set<string>>();

  for (const rule of rules) {
    if (rule.def.subjects) subjectRules.push(rule);
    else for (const type of rule.types) push(rulesByType, type, rule);
    const needed = new Set<string>();
    for (const [type, read] of rule.lookups.fields) {
      const child = childType(type);
      const owner = child ? child.parent.type : type;
      needed.add(owner);
      if (child) {
        addFields(fields, owner, [child.parent.idField]);
        const current = childFields.get(owner);
        const merged = mergeFields(current?.fields, read);
        childFields.set(owner, { field: child.child.field, fields: merged });
      } else addFields(fields, owner, read);
    }
    for (const spec of rule.lookups.references.values()) {
      references.set(spec.key, spec);
      for (const t of spec.types) needed.add(t);
    }
    // Subject rules (MR005) run after every type is complete; they never hold up a type.
    if (!rule.def.subjects) for (const t of rule.types) for (const n of needed) addTo(dependsOn, t, n);
  }
  const projections = new Map<string, Projection>();
  for (const [type, f] of fields) {
    const children = childFields.get(type);
    projections.set(type, children ? { fields: f === "all" ? "all" : new Set([...f, children.field]), children } : { fields: f });
  }
  return { rules, rulesByType, subjectRules, projections, references: [...references.values()], dependsOn };
}

function addFields(map: Map<string, Set<string> | "all">, type: string, read: Iterable<string>): void {
  map.set(type, mergeFields(map.get(type), read));
}

/** A `$arn` read means the ARN field, whatever it is called: keep the whole object. */
function mergeFields(current: Set<string> | "all" | undefined, read: Iterable<string>): Set<string> | "all" {
  if (current === "all") return "all";
  const set = new Set(current ?? []);
  for (const f of read) {
    if (f === "$arn") return "all";
    if (!f.startsWith("$")) set.add(f);
  }
  return set;
}

// ---------------------------------------------------------------- one region

/** Evaluates one region; results sorted by resource type, resource id, rule id. */
export function evaluateRegion(inventory: RegionInventory, planOrRules: Plan | readonly CompiledRule[], config: Config): EvaluationResult[] {
  const plan = "rulesByType" in planOrRules ? planOrRules : buildPlan(planOrRules);
  const index = new RegionIndex(inventory, plan.projections, plan.references);
  const buckets = new Map<string, TypeResults>();
  const bucket = (type: string) => {
    let b = buckets.get(type);
    if (!b) buckets.set(type, (b = new TypeResults()));
    return b;
  };

  const pending = new Set<string>([...plan.rulesByType.keys(), ...plan.projections.keys(), ...plan.references.flatMap((r) => r.types)]);
  const complete = new Set<string>();
  const kept = new Map<string, StoredResource[]>();

  while (pending.size > 0) {
    const ready = [...pending].sort(compare).find((t) => [...(plan.dependsOn.get(t) ?? [])].every((d) => complete.has(d)));
    if (ready === undefined) {
      // A cycle: keep the smallest type it waits on whole, which completes its lookups.
      const waitedOn = new Set([...pending].flatMap((t) => [...(plan.dependsOn.get(t) ?? [])]).filter((d) => !complete.has(d)));
      const victim = [...waitedOn].sort((a, b) => index.count(a) - index.count(b) || compare(a, b))[0]!;
      kept.set(victim, keepWhole(inventory, victim, index));
      complete.add(victim);
      continue;
    }
    pending.delete(ready);
    const rules = plan.rulesByType.get(ready) ?? [];
    const retained = kept.get(ready);
    if (rules.length > 0) {
      const b = bucket(ready);
      const listFailure = listError(index, ready);
      if (listFailure) {
        const resource = unlistedResource(ready, index);
        for (const rule of rules) b.add(UNLISTED_ID, result(rule, resource, "error", `could not list ${ready}: ${listFailure}`));
      }
    }
    if (retained) {
      for (const stored of retained) evaluateResource(ready, stored, rules, index, buckets);
      kept.delete(ready);
    } else {
      const source = inventory.resources.get(ready);
      const ids = new UniqueIds(ready, inventory);
      for (const stored of source?.items() ?? []) {
        ids.check(stored.id);
        if (index.isLookupType(ready)) index.add(ready, stored);
        if (rules.length > 0) evaluateResource(ready, stored, rules, index, buckets);
      }
    }
    complete.add(ready);
  }
  for (const rule of plan.subjectRules) for (const r of evaluateSubjects(rule, index, config)) bucket(r.resource.type).addSubject(r);

  const out: EvaluationResult[] = [];
  for (const type of [...buckets.keys()].sort(compare)) buckets.get(type)!.drainInto(out);
  return out;
}

function keepWhole(inventory: RegionInventory, type: string, index: RegionIndex): StoredResource[] {
  const list: StoredResource[] = [];
  const ids = new UniqueIds(type, inventory);
  for (const stored of inventory.resources.get(type)?.items() ?? []) {
    ids.check(stored.id);
    index.add(type, stored);
    delete stored.raw; // kept objects must not keep their text too
    list.push(stored);
  }
  return list;
}

/**
 * Duplicate ids in a type are bad input. Resources normally arrive sorted, where a duplicate is
 * simply equal to its predecessor; only an unsorted type pays for a set of every id.
 */
class UniqueIds {
  private last: string | undefined;
  private seen: Set<string> | undefined;
  private readonly ids: string[] = [];

  constructor(
    private readonly type: string,
    private readonly inventory: RegionInventory,
  ) {}

  check(id: string): void {
    if (this.seen === undefined && (this.last === undefined || id > this.last)) {
      this.last = id;
      this.ids.push(id);
      return;
    }
    this.seen ??= new Set(this.ids);
    if (this.seen.has(id))
      throw new SnapshotError(`duplicate ${this.type} id "${id}" in account ${this.inventory.accountId} region ${this.inventory.region}`, undefined);
    this.seen.add(id);
  }
}

function evaluateResource(type: string, stored: StoredResource, rules: readonly CompiledRule[], index: RegionIndex, buckets: Map<string, TypeResults>): void {
  if (rules.length === 0) return;
  index.parsed.clear();
  const resource: ResultResource = {
    type,
    id: stored.id,
    arn: stored.arn ?? resourceType(type)!.arn(stored.data, index.accountId, index.region),
    accountId: index.accountId,
    region: index.region,
  };
  if (stored.source) resource.source = stored.source;
  if (stored.start !== undefined) {
    resource.start = stored.start;
    resource.end = stored.end!;
  }
  // Kept as the stored list; turned into a map only if a waiver asks (see tagsOf).
  if (Array.isArray(stored.data.Tags) && stored.data.Tags.length > 0) resource.rawTags = stored.data.Tags;
  const frame: Frame = { resource: stored.data, type, id: stored.id, region: index };
  const b = buckets.get(type) ?? new TypeResults();
  buckets.set(type, b);
  for (const rule of rules) {
    const result = evaluateOne(rule, rule.byType.get(type)!, frame, resource);
    if (result) b.add(stored.id, result);
  }
}

/**
 * Results of one type. Resources usually arrive sorted by id (collectors write them so); the
 * sort runs only when they did not.
 */
class TypeResults {
  private results: EvaluationResult[] = [];
  private subjects: EvaluationResult[] = [];
  private lastId: string | undefined;
  private sorted = true;

  add(id: string, result: EvaluationResult): void {
    if (this.lastId !== undefined && id < this.lastId) this.sorted = false;
    this.lastId = id;
    this.results.push(result);
  }

  addSubject(result: EvaluationResult): void {
    this.subjects.push(result);
  }

  drainInto(out: EvaluationResult[]): void {
    const byResource = (a: EvaluationResult, b: EvaluationResult) => compare(a.resource.id, b.resource.id) || compare(a.rule.def.id, b.rule.def.id);
    if (!this.sorted) this.results.sort(byResource); // stable: a resource's results keep rule order
    if (this.subjects.length === 0) {
      for (const r of this.results) out.push(r);
      return;
    }
    this.subjects.sort(byResource);
    let i = 0;
    let j = 0;
    while (i < this.results.length || j < this.subjects.length) {
      if (j >= this.subjects.length || (i < this.results.length && byResource(this.results[i]!, this.subjects[j]!) <= 0)) out.push(this.results[i++]!);
      else out.push(this.subjects[j++]!);
    }
  }
}

function evaluateOne(rule: CompiledRule, compiled: CompiledCheck, frame: Frame, resource: ResultResource): EvaluationResult | undefined {
  if (frame.region.uncertain) return evaluateUncertain(rule, compiled, frame, resource);
  try {
    if (compiled.scope) {
      const blind = missingData(compiled.scopeOps, frame);
      if (blind) return result(rule, resource, "error", `could not evaluate: ${blind}`);
      if (!compiled.scope.holds(frame.resource, frame)) return undefined;
    }
    const blind = missingData(compiled.checkOps, frame);
    if (blind) return result(rule, resource, "error", `could not evaluate: ${blind}`);
    if (compiled.check.holds(frame.resource, frame)) return result(rule, resource, "pass", "");
    const failures = compiled.check.explain(frame.resource, frame);
    if (failures.length === 0) return result(rule, resource, "fail", rule.def.title);
    return { rule, resource, status: "fail", message: rule.message(failures), evidence: failures.map((f) => ({ reason: f.reason, ...f.evidence })) };
  } catch (err) {
    if (err instanceof IncompleteData) return result(rule, resource, "error", `could not evaluate: ${err.reason}`);
    throw err;
  }
}

/**
 * The three-valued path (regions holding planned resources): a scope or check that depends on a
 * value not known before deploy gives `unresolved`, with the causes as fields; a definite
 * failure still fails, a definite pass still passes.
 */
function evaluateUncertain(rule: CompiledRule, compiled: CompiledCheck, frame: Frame, resource: ResultResource): EvaluationResult | undefined {
  try {
    if (compiled.scope) {
      const blind = missingData(compiled.scopeOps, frame);
      if (blind) return result(rule, resource, "error", `could not evaluate: ${blind}`);
      const inScope = compiled.scope.truth(frame.resource, frame);
      if (inScope === false) return undefined;
      if (isUnknown(inScope)) return unresolvedResult(rule, resource, inScope, "whether the rule applies");
    }
    const blind = missingData(compiled.checkOps, frame);
    if (blind) return result(rule, resource, "error", `could not evaluate: ${blind}`);
    const outcome = compiled.check.truth(frame.resource, frame);
    if (outcome === true) return result(rule, resource, "pass", "");
    if (isUnknown(outcome)) return unresolvedResult(rule, resource, outcome, "the outcome");
    const failures = compiled.check.explain(frame.resource, frame);
    if (failures.length === 0) return result(rule, resource, "fail", rule.def.title);
    return { rule, resource, status: "fail", message: rule.message(failures), evidence: failures.map((f) => ({ reason: f.reason, ...f.evidence })) };
  } catch (err) {
    if (err instanceof IncompleteData) return result(rule, resource, "error", `could not evaluate: ${err.reason}`);
    throw err;
  }
}

function unresolvedResult(rule: CompiledRule, resource: ResultResource, unknown: Unknown, what: string): EvaluationResult {
  const causes = unknown.causes.map((c) => ({ ...c }));
  const names = causes.map((c) => `${c.kind} ${c.name}`).join(", ");
  return {
    rule,
    resource,
    status: "unresolved",
    message: `not known before deploy: ${what} depends on ${names || "values not known before deploy"}`,
    evidence: causes.map((c) => ({ reason: `${c.kind} ${c.name} is not known before deploy${c.hint ? `: ${c.hint}` : ""}`, unresolved: c })),
    unresolved: causes,
  };
}

function result(rule: CompiledRule, resource: ResultResource, status: Status, message: string): EvaluationResult {
  return { rule, resource, status, message, evidence: NO_EVIDENCE };
}

/** The first recorded failure of a call whose data this condition needs, as text. */
function missingData(ops: OperationNeeds, frame: Frame): string | undefined {
  if (ops.size === 0 || !frame.region.hasErrors) return undefined;
  const regionWide = frame.region.memoized(ops, () => regionLevelBlindSpot(ops, frame.type, frame.region));
  if (regionWide !== undefined) return regionWide;
  const needed = ops.get(frame.type);
  if (needed) for (const e of frame.region.errorsFor(frame.type, frame.id)) if (needed.has(e.operation)) return describeError(e);
  return undefined;
}

/** Region-level failures (no resource named) of calls these conditions need: the same for every resource. */
function regionLevelBlindSpot(ops: OperationNeeds, ownType: string, region: RegionIndex): string | undefined {
  for (const [type, needed] of ops) {
    const def = resourceType(type)!;
    for (const e of region.regionLevelErrors(type)) {
      // Another type's failed list call matters too: the rule looks across that type.
      if (needed.has(e.operation) || (type !== ownType && e.operation === def.listOperation)) return describeError(e);
    }
  }
  return undefined;
}

function listError(index: RegionIndex, type: string): string | undefined {
  const def = resourceType(type)!;
  const e = index.regionLevelErrors(type).find((x) => x.operation === def.listOperation);
  return e ? describeError(e) : undefined;
}

/** Stands for every resource of a type that could not be listed: its rules report error, never pass. */
function unlistedResource(type: string, index: RegionIndex): ResultResource {
  const def = resourceType(type)!;
  return {
    type,
    id: UNLISTED_ID,
    arn: def.arn({ [def.idField]: UNLISTED_ID }, index.accountId, index.region),
    accountId: index.accountId,
    region: index.region,
  };
}

/** Rules about things that must exist (MR005): one subject per configured value. */
function evaluateSubjects(rule: CompiledRule, index: RegionIndex, config: Config): EvaluationResult[] {
  const subjects = rule.def.subjects!;
  if (!regionHolds(index, subjects.inRegionsWith)) return [];
  const type = rule.types[0]!;
  const def = resourceType(type)!;
  const compiled = rule.byType.get(type)!;
  const out: EvaluationResult[] = [];
  for (const name of [...config[subjects.fromConfig]].sort(compare)) {
    index.parsed.clear();
    const data: ResourceObject = { [def.idField]: name };
    const resource: ResultResource = { type, id: name, arn: def.arn(data, index.accountId, index.region), accountId: index.accountId, region: index.region };
    const r = evaluateOne(rule, compiled, { resource: data, type, id: name, region: index }, resource);
    if (r) out.push(r);
  }
  return out;
}

/** A region "holds" a type pattern when it has such resources, or could not list them. */
function regionHolds(index: RegionIndex, pattern: string): boolean {
  const prefix = pattern.endsWith("*") ? pattern.slice(0, -1) : undefined;
  const matches = (t: string) => (prefix !== undefined ? t.startsWith(prefix) : t === pattern);
  for (const [type, source] of index.inventory.resources) if (matches(type) && source.count > 0) return true;
  return index.inventory.errors.some((e) => e.resourceId === undefined && matches(e.resourceType));
}

/** A resource's EC2-style `Tags: [{Key, Value}]` as a map. */
export function tagsOf(resource: ResultResource): Record<string, string> {
  const list = resource.rawTags;
  if (!list) return {};
  const tags: Record<string, string> = {};
  for (const t of list) {
    if (typeof t !== "object" || t === null) continue;
    const { Key: key, Value: value } = t as Record<string, unknown>;
    // defineProperty: a tag named "__proto__" must stay data.
    if (typeof key === "string") Object.defineProperty(tags, key, { value: String(value ?? ""), enumerable: true, writable: true, configurable: true });
  }
  return tags;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
