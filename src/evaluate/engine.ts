// Evaluates compiled rules over a snapshot, one region at a time. Each resource is parsed once,
// every rule of its type is applied to it, and it is dropped: only what other rules look up
// (projections of VPCs, subnets, security groups, model packages, reference sets) stays in
// memory. Types are processed in an order where everything a rule looks up is complete before
// the rule runs; a cycle (VPC rules look at security groups, security group rules at VPCs) is
// broken by keeping the smaller type whole.
//
// Each (rule, resource) yields pass, fail, error, unresolved, or nothing when out of scope.
// `error` is reserved for data that was not collected: a failed call turns exactly the rules that
// needed its data into `error`. `unresolved` only arises in regions holding planned resources
// (sagegate plan), where a value may not be known before deploy.
import type { Config } from "../config/config.js";
import { SnapshotError } from "../errors.js";
import { listOperation, resourceType, type ResourceObject } from "../resources/catalog.js";
import type { SourceLocation } from "../resources/source.js";
import type { UnresolvedCause } from "../resources/unresolved.js";
import { compare } from "../snapshot/read.js";
import type { CollectionError, LoadedSnapshot, RegionInventory, StoredResource } from "../snapshot/types.js";
import { checkpoint } from "../io/files.js";
import { asText } from "../io/text.js";
import { say, t, text, type Words } from "../i18n/index.js";
import { describeError } from "./language/messages.js";
import { decide } from "./language/outcome.js";
import type { Frame } from "./language/types.js";
import { buildPlan, type Plan } from "./plan.js";
import { RegionIndex } from "./region.js";
import type { CompiledCheck, CompiledRule, OperationNeeds } from "./rule.js";

/**
 * `waived`: a failure an active waiver accepts (set by the gate stage, never by rules).
 * `unresolved`: the outcome depends on a value not known before deploy (planned resources); the
 * result names what it needs in `unresolved`.
 */
export type Status = "pass" | "fail" | "error" | "waived" | "unresolved";

/**
 * Results per status. `unresolved` is counted only in runs over planned resources (sagegate
 * plan), so the reports of live snapshots keep their shape.
 */
export type StatusCounts = Record<Exclude<Status, "unresolved">, number> & { unresolved?: number };

export function statusCounts(planned: boolean): StatusCounts {
  return planned ? { pass: 0, fail: 0, error: 0, waived: 0, unresolved: 0 } : { pass: 0, fail: 0, error: 0, waived: 0 };
}

export function countStatus(counts: StatusCounts, status: Status): void {
  counts[status] = (counts[status] ?? 0) + 1;
}

/** Whether a snapshot holds planned resources (sagegate plan): its regions are decided three-valued. */
export function isPlanned(snapshot: Pick<LoadedSnapshot, "regions">): boolean {
  return snapshot.regions.some((r) => r.uncertain === true);
}

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
  /** Where it is declared in code, when known: reports point there (SARIF's primary location). */
  source?: SourceLocation;
  /** Declared in a plan and not read from AWS: its alert identity is its declaration (see report/sarif-identity.ts). */
  planned?: true;
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

/**
 * Why a result is `error`: a collection call whose data the check needs failed. Reports read
 * these fields; the message is written from them.
 */
export interface NotEvaluated {
  /**
   * `unlisted`: the type's list call failed, so none of its resources is known (the result stands
   * for all of them, id "*"); `missing-data`: a call whose data the check reads failed.
   */
  kind: "unlisted" | "missing-data";
  /** The type whose call failed: the result's own, or one the check looks across (a group's VPC). */
  type: string;
  operation: string;
  /** What the call answered, as the snapshot recorded it; `resourceId` when it was made for one resource. */
  error: { code: string; message: string; resourceId?: string };
  /** What could not be told, as the message says it after "could not evaluate: " or "could not list <type>: ". */
  reason: string;
}

export interface EvaluationResult {
  rule: CompiledRule;
  resource: ResultResource;
  status: Status;
  message: string;
  evidence: ReadonlyArray<Record<string, unknown>>;
  /** Set on `error` results. */
  cause?: NotEvaluated;
  /** Set on `unresolved` results: the values it depends on that are not known before deploy. */
  unresolved?: UnresolvedCause[];
  /** The active waiver that turned this failure into `waived`. */
  waiver?: WaiverInfo;
  /** A waiver that would have matched but has expired (the failure stands). */
  expiredWaiver?: WaiverInfo;
  /** Compared with a baseline report: is this finding new? */
  baselineState?: BaselineState;
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

/** What a run prepares once: the rules that run (profile filter applied, sorted by id) and their plan. */
export interface PreparedRun {
  rules: CompiledRule[];
  plan: Plan;
  config: Config;
}

export function prepareRun(rules: readonly CompiledRule[], config: Config): PreparedRun {
  const active = activeRules(rules, config);
  return { rules: active, plan: buildPlan(active), config };
}

/**
 * The one evaluation loop: the regions given, in that order, each evaluated with the run's plan
 * (regions are independent: no rule looks across regions). The in-memory evaluation, the CLI's
 * sequential path, the main thread of a parallel run and each worker all drive it; they differ
 * only in which regions they give it and what they do between two (a checkpoint, a message).
 */
export function* evaluateRegions<R>(run: PreparedRun, regions: Iterable<R>, inventoryOf: (region: R) => RegionInventory): Generator<[R, EvaluationResult[]]> {
  for (const region of regions) yield [region, evaluateRegion(inventoryOf(region), run.plan, run.config)];
}

/** Evaluates every region of a snapshot; results in snapshot order. */
export function evaluate(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], config: Config): Evaluation {
  const run = prepareRun(rules, config);
  const results: EvaluationResult[] = [];
  for (const [, regionResults] of evaluateRegions(run, snapshot.regions, (r) => r)) for (const r of regionResults) results.push(r);
  return { results, rules: run.rules };
}

/**
 * `evaluate` with a checkpoint between regions, so SIGINT/SIGTERM are acted on between regions
 * rather than after the whole evaluation. The results are those of `evaluate`.
 */
export async function evaluateSequentially(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], config: Config): Promise<Evaluation> {
  const run = prepareRun(rules, config);
  const results: EvaluationResult[] = [];
  await checkpoint();
  for (const [, regionResults] of evaluateRegions(run, snapshot.regions, (r) => r)) {
    for (const r of regionResults) results.push(r);
    await checkpoint();
  }
  return { results, rules: run.rules };
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
        for (const rule of rules) b.add(UNLISTED_ID, notEvaluated(rule, resource, "unlisted", listFailure, describeError(listFailure)));
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
  for (const rule of plan.existenceRules) for (const r of evaluateExistence(rule, index, config)) bucket(r.resource.type).addExpected(r);

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
  // Made with the resource's first result: most resources are in the scope of none of their rules.
  let resource: ResultResource | undefined;
  const resourceOf = () => (resource ??= resultResource(type, stored, index));
  const frame: Frame = { resource: stored.data, type, id: stored.id, index };
  const b = buckets.get(type) ?? new TypeResults();
  buckets.set(type, b);
  for (const rule of rules) {
    const result = evaluateOne(rule, rule.byType.get(type)!, frame, resourceOf, index);
    if (result) b.add(stored.id, result);
  }
}

function resultResource(type: string, stored: StoredResource, index: RegionIndex): ResultResource {
  const resource: ResultResource = {
    type,
    id: stored.id,
    arn: stored.arn ?? resourceType(type)!.arn(stored.data, index.accountId, index.region),
    accountId: index.accountId,
    region: index.region,
  };
  if (stored.source) resource.source = stored.source;
  if (stored.planned) resource.planned = true;
  if (stored.start !== undefined) {
    resource.start = stored.start;
    resource.end = stored.end!;
  }
  // Kept as the stored list; turned into a map only if a waiver asks (see tagsOf).
  if (Array.isArray(stored.data.Tags) && stored.data.Tags.length > 0) resource.rawTags = stored.data.Tags;
  return resource;
}

/**
 * Results of one type. Resources usually arrive sorted by id (collectors write them so); the
 * sort runs only when they did not.
 */
class TypeResults {
  private results: EvaluationResult[] = [];
  /** Results of existence rules (MR005), merged in by resource id. */
  private expected: EvaluationResult[] = [];
  private lastId: string | undefined;
  private sorted = true;

  add(id: string, result: EvaluationResult): void {
    if (this.lastId !== undefined && id < this.lastId) this.sorted = false;
    this.lastId = id;
    this.results.push(result);
  }

  addExpected(result: EvaluationResult): void {
    this.expected.push(result);
  }

  drainInto(out: EvaluationResult[]): void {
    const byResource = (a: EvaluationResult, b: EvaluationResult) => compare(a.resource.id, b.resource.id) || compare(a.rule.def.id, b.rule.def.id);
    if (!this.sorted) this.results.sort(byResource); // stable: a resource's results keep rule order
    if (this.expected.length === 0) {
      for (const r of this.results) out.push(r);
      return;
    }
    this.expected.sort(byResource);
    let i = 0;
    let j = 0;
    while (i < this.results.length || j < this.expected.length) {
      if (j >= this.expected.length || (i < this.results.length && byResource(this.results[i]!, this.expected[j]!) <= 0)) out.push(this.results[i++]!);
      else out.push(this.expected[j++]!);
    }
  }
}

function evaluateOne(
  rule: CompiledRule,
  compiled: CompiledCheck,
  frame: Frame,
  resourceOf: () => ResultResource,
  index: RegionIndex,
): EvaluationResult | undefined {
  if (compiled.scope) {
    const blind = missingData(compiled.scopeOps, frame, index);
    if (blind) return notEvaluated(rule, resourceOf(), "missing-data", blind, describeError(blind));
    const scope = decide(compiled.scope, frame.resource, frame, false);
    if (scope.status === "error") return notEvaluated(rule, resourceOf(), "missing-data", scope.failed, scope.reason);
    if (scope.status === "unresolved") return unresolvedResult(rule, resourceOf(), scope.causes, "engine.unresolved.scope");
    if (scope.status === "fail") return undefined;
  }
  const blind = missingData(compiled.checkOps, frame, index);
  if (blind) return notEvaluated(rule, resourceOf(), "missing-data", blind, describeError(blind));
  const outcome = decide(compiled.check, frame.resource, frame);
  switch (outcome.status) {
    case "pass":
      return { rule, resource: resourceOf(), status: "pass", message: "", evidence: NO_EVIDENCE };
    case "fail":
      if (outcome.failures.length === 0) return { rule, resource: resourceOf(), status: "fail", message: rule.def.violationTitle, evidence: NO_EVIDENCE };
      return {
        rule,
        resource: resourceOf(),
        status: "fail",
        message: rule.message(outcome.failures),
        evidence: outcome.failures.map((f) => ({ reason: say(f.reason, "en"), ...f.evidence })),
      };
    case "error":
      return notEvaluated(rule, resourceOf(), "missing-data", outcome.failed, outcome.reason);
    case "unresolved":
      return unresolvedResult(rule, resourceOf(), outcome.causes, "engine.unresolved.outcome");
  }
}

/** An `unresolved` result: what it depends on as fields (`unresolved`), its message written from them. */
function unresolvedResult(
  rule: CompiledRule,
  resource: ResultResource,
  causes: UnresolvedCause[],
  what: "engine.unresolved.scope" | "engine.unresolved.outcome",
): EvaluationResult {
  const names = causes.map((c) => `${c.kind} ${c.name}`).join(", ") || t(rule.lang, "engine.unresolved.values");
  return {
    rule,
    resource,
    status: "unresolved",
    message: t(rule.lang, what, { names }),
    evidence: causes.map((c) => ({ reason: `${c.kind} ${c.name} is not known before deploy${c.hint ? `: ${c.hint}` : ""}`, unresolved: c })),
    unresolved: causes,
  };
}

/** An `error` result: its cause as fields (in English, like evidence), its message written from them in the rule's language. */
function notEvaluated(rule: CompiledRule, resource: ResultResource, kind: NotEvaluated["kind"], failed: CollectionError, reason: Words): EvaluationResult {
  const error: NotEvaluated["error"] = { code: failed.code, message: failed.message };
  if (failed.resourceId !== undefined) error.resourceId = failed.resourceId;
  const cause: NotEvaluated = { kind, type: failed.resourceType, operation: failed.operation, error, reason: say(reason, "en") };
  const message = (kind === "unlisted" ? text("engine.unlisted", { type: failed.resourceType, reason }) : text("engine.notEvaluated", { reason }))(rule.lang);
  return { rule, resource, status: "error", message, evidence: NO_EVIDENCE, cause };
}

/** The first recorded failure of a call whose data this condition needs. */
function missingData(ops: OperationNeeds, frame: Frame, index: RegionIndex): CollectionError | undefined {
  if (ops.size === 0 || !index.hasErrors) return undefined;
  const regionWide = index.memoized(ops, () => regionLevelBlindSpot(ops, frame.type, index));
  if (regionWide !== undefined) return regionWide;
  const needed = ops.get(frame.type);
  if (needed) for (const e of index.errorsFor(frame.type, frame.id)) if (needed.has(e.operation)) return e;
  return undefined;
}

/** Region-level failures (no resource named) of calls these conditions need: the same for every resource. */
function regionLevelBlindSpot(ops: OperationNeeds, ownType: string, region: RegionIndex): CollectionError | undefined {
  for (const [type, needed] of ops) {
    const def = resourceType(type)!;
    for (const e of region.regionLevelErrors(type)) {
      // Another type's failed list call matters too: the rule looks across that type.
      if (needed.has(e.operation) || (type !== ownType && e.operation === listOperation(def))) return e;
    }
  }
  return undefined;
}

function listError(index: RegionIndex, type: string): CollectionError | undefined {
  const def = resourceType(type)!;
  return index.regionLevelErrors(type).find((x) => x.operation === listOperation(def));
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

/** Rules about things that must exist (MR005): one expected resource per configured value (the rule's `subjects`). */
function evaluateExistence(rule: CompiledRule, index: RegionIndex, config: Config): EvaluationResult[] {
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
    const r = evaluateOne(rule, compiled, { resource: data, type, id: name, index }, () => resource, index);
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
    if (typeof key === "string") Object.defineProperty(tags, key, { value: asText(value ?? ""), enumerable: true, writable: true, configurable: true });
  }
  return tags;
}
