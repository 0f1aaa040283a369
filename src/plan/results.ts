// What the engine's results on the planned snapshot mean for the plan:
//   - only results about what is being deployed count: planned resources, live resources the
//     plan changes or names (the existing VPC it deploys into), and the checks that could not
//     see a live type at all; the rest of the live account is the nightly scan's business;
//   - a rule that needs data no declaration can hold (ECR images, model package versions
//     registered later) gives no result on a planned resource, never pass and never error;
//   - a resource created only under a condition that could not be resolved is unresolved;
//   - a planned resource whose name is declared but not known before deploy has a stand-in id:
//     the results of rules that read the id are unresolved (the name is what they check);
//   - without --live, "this project has no model package group" is not known (the account may
//     have it), so MR005-style checks that fail are unresolved.
import { UNLISTED_ID, type EvaluationResult } from "../evaluate/engine.js";
import { describeOperation, listOperation, resourceType, type ResourceTypeDef } from "../resources/catalog.js";
import { resultKey, type BuiltPlan } from "./build.js";

export function planResults(results: readonly EvaluationResult[], built: BuiltPlan): EvaluationResult[] {
  const out: EvaluationResult[] = [];
  for (const r of results) {
    const res = r.resource;
    const key = resultKey(res.accountId, res.region, res.type, res.id);
    const entry = built.planned.get(key);
    if (r.rule.def.subjects) {
      if (!built.hasLive && r.status === "fail") {
        out.push({
          ...r,
          status: "unresolved",
          message: `${r.message} — unless the account already has it`,
          unresolved: [
            { kind: "resource", name: res.id, hint: `not declared in the plan's inputs; pass --live SNAPSHOT.json to see the account's ${res.type}` },
          ],
        });
      } else out.push(r);
      continue;
    }
    if (!entry) {
      if (res.id === UNLISTED_ID || built.referencedLive.has(key)) out.push(r);
      continue;
    }
    if (needsUndeclarable(r, entry.undeclarable)) continue;
    const unknownId = entry.resource.unknownId;
    if (unknownId && (r.status === "pass" || r.status === "fail") && readsId(r)) {
      out.push({
        ...r,
        status: "unresolved",
        message: `the name is not known before deploy (${r.status} with the id it stands in for)`,
        unresolved: [unknownId],
      });
      continue;
    }
    const condition = entry.resource.condition;
    if (condition && (r.status === "pass" || r.status === "fail")) {
      out.push({
        ...r,
        status: "unresolved",
        message: `created only if a condition holds that could not be resolved (${r.status} if it is created)`,
        evidence: r.evidence,
        unresolved: [condition],
      });
      continue;
    }
    out.push(r);
  }
  return out;
}

/**
 * Whether the rule's check on this type reads a field that only exists after deploy. The id
 * field counts as read through the list call (a rule on `$id`), as the engine counts it: a
 * pipeline step's job name is given by SageMaker when the pipeline runs.
 */
function needsUndeclarable(r: EvaluationResult, fields: readonly string[]): boolean {
  if (fields.length === 0) return false;
  const def = resourceType(r.resource.type);
  const ops = r.rule.byType.get(r.resource.type)?.checkOps.get(r.resource.type);
  if (!def || !ops) return false;
  for (const field of fields) if (ownOperations(def, field).some((op) => ops.has(op))) return true;
  return false;
}

/** The calls that read a field and nothing else: the list call for the id, a detail's own calls. */
function ownOperations(def: ResourceTypeDef, field: string): string[] {
  if (field === def.idField) return [listOperation(def)];
  const detail = def.collect.details?.find((d) => d.field === field);
  if (!detail) return [];
  const describeEach = detail.kind === "paged" ? detail.describeEach : undefined;
  return [detail.operation, ...(describeEach ? [describeEach.operation] : [])];
}

/** Whether the rule's check reads the resource's id (only told apart for types listed by a call of their own). */
function readsId(r: EvaluationResult): boolean {
  const def = resourceType(r.resource.type);
  const ops = r.rule.byType.get(r.resource.type)?.checkOps.get(r.resource.type);
  return def !== undefined && ops !== undefined && listOperation(def) !== describeOperation(def) && ops.has(listOperation(def));
}
