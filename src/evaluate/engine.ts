// Evaluates compiled rules over a snapshot: one pass per resource type and region, every rule
// of that type applied to each resource before moving on. Each (rule, resource) yields pass,
// fail, error, or nothing when out of scope. `error` is reserved for data that was not
// collected: a failed call turns exactly the rules that needed its data into `error`.
import type { Config } from "../config/config.js";
import { resourceType, type ResourceObject } from "../resources/catalog.js";
import { compare } from "../snapshot/read.js";
import type { LoadedSnapshot, RegionInventory } from "../snapshot/types.js";
import type { Severity } from "../rules/types.js";
import { describeError, IncompleteData, RegionIndex, type Frame } from "./region.js";
import type { CompiledCheck, CompiledRule, OperationNeeds } from "./rule.js";

export type Status = "pass" | "fail" | "error";

export interface ResultResource {
  type: string;
  id: string;
  arn: string;
  accountId: string;
  region: string;
  /** Byte range of the object in the snapshot file, when it came from one. */
  start?: number;
  end?: number;
}

export interface EvaluationResult {
  rule: CompiledRule;
  resource: ResultResource;
  status: Status;
  message: string;
  evidence: Array<Record<string, unknown>>;
}

export interface Evaluation {
  results: EvaluationResult[];
  /** Rules that ran (profile filter applied), sorted by id. */
  rules: CompiledRule[];
}

/** Id used for the results of a rule whose resources could not even be listed. */
export const UNLISTED_ID = "*";

export function activeRules(rules: readonly CompiledRule[], config: Config): CompiledRule[] {
  return rules.filter((r) => r.def.profile === "baseline" || config.profile === "high-security").sort((a, b) => compare(a.def.id, b.def.id));
}

export function evaluate(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], config: Config): Evaluation {
  const active = activeRules(rules, config);
  const results: EvaluationResult[] = [];
  for (const region of snapshot.regions) results.push(...evaluateRegion(region, active, config));
  return { results, rules: active };
}

export function evaluateRegion(inventory: RegionInventory, rules: readonly CompiledRule[], config: Config): EvaluationResult[] {
  const index = new RegionIndex(inventory);
  const out: EvaluationResult[] = [];
  const byType = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    if (rule.def.subjects) continue;
    for (const type of rule.types) {
      const list = byType.get(type) ?? [];
      list.push(rule);
      byType.set(type, list);
    }
  }
  for (const type of [...byType.keys()].sort(compare)) {
    const typeRules = byType.get(type)!;
    const listFailure = listError(index, type);
    if (listFailure) for (const rule of typeRules) out.push(unlisted(rule, type, index, listFailure));
    const def = resourceType(type)!;
    for (const stored of index.resources(type)) {
      index.parsed.clear();
      const resource: ResultResource = {
        type,
        id: stored.id,
        arn: def.arn(stored.data, index.accountId, index.region),
        accountId: index.accountId,
        region: index.region,
      };
      if (stored.start !== undefined) {
        resource.start = stored.start;
        resource.end = stored.end!;
      }
      const frame: Frame = { resource: stored.data, type, id: stored.id, region: index };
      for (const rule of typeRules) {
        const result = evaluateOne(rule, rule.byType.get(type)!, frame, resource);
        if (result) out.push(result);
      }
    }
  }
  for (const rule of rules) if (rule.def.subjects) out.push(...evaluateSubjects(rule, index, config));
  return sortResults(out);
}

function evaluateOne(rule: CompiledRule, compiled: CompiledCheck, frame: Frame, resource: ResultResource): EvaluationResult | undefined {
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

function result(rule: CompiledRule, resource: ResultResource, status: Status, message: string): EvaluationResult {
  return { rule, resource, status, message, evidence: [] };
}

/** The first recorded failure of a call whose data this condition needs, as text. */
function missingData(ops: OperationNeeds, frame: Frame): string | undefined {
  if (ops.size === 0) return undefined;
  for (const [type, needed] of ops) {
    if (!frame.region.hasAnyErrors(type)) continue;
    const def = resourceType(type)!;
    for (const e of frame.region.regionLevelErrors(type)) {
      // Another type's failed list call matters too: the rule looks across that type.
      if (needed.has(e.operation) || (type !== frame.type && e.operation === def.listOperation)) return describeError(e);
    }
    if (type === frame.type) {
      for (const e of frame.region.errorsFor(type, frame.id)) if (needed.has(e.operation)) return describeError(e);
    }
  }
  return undefined;
}

function listError(index: RegionIndex, type: string): string | undefined {
  const def = resourceType(type)!;
  const e = index.regionLevelErrors(type).find((x) => x.operation === def.listOperation);
  return e ? describeError(e) : undefined;
}

/** The resources of this type could not be listed: say so once per rule, never silently pass. */
function unlisted(rule: CompiledRule, type: string, index: RegionIndex, reason: string): EvaluationResult {
  const def = resourceType(type)!;
  const resource: ResultResource = {
    type,
    id: UNLISTED_ID,
    arn: def.arn({ [def.idField]: UNLISTED_ID }, index.accountId, index.region),
    accountId: index.accountId,
    region: index.region,
  };
  return result(rule, resource, "error", `could not list ${type}: ${reason}`);
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
  for (const [type, list] of index.inventory.resources) if (matches(type) && list.length > 0) return true;
  return index.inventory.errors.some((e) => e.resourceId === undefined && matches(e.resourceType));
}

function sortResults(results: EvaluationResult[]): EvaluationResult[] {
  return results.sort(
    (a, b) =>
      compare(a.resource.type, b.resource.type) || compare(a.resource.id, b.resource.id) || compare(a.rule.def.id, b.rule.def.id),
  );
}

export function severityOf(r: EvaluationResult): Severity {
  return r.rule.def.severity;
}
