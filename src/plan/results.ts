// What the engine's results on the planned snapshot mean for the plan:
//   - only results about what is being deployed count: planned resources, live resources the
//     plan changes or names (the existing VPC it deploys into), and the checks that could not
//     see a live type at all; the rest of the live account is the nightly scan's business;
//   - a rule that needs data no declaration can hold (ECR images, model package versions
//     registered later) gives no result on a planned resource, never pass and never error;
//   - a resource created only under a condition that could not be resolved is unresolved;
//   - without --live, "this project has no model package group" is not known (the account may
//     have it), so MR005-style checks that fail are unresolved.
import { UNLISTED_ID, type EvaluationResult } from "../evaluate/engine.js";
import { resourceType } from "../resources/catalog.js";
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
          unresolved: [{ kind: "resource", name: res.id, hint: `not declared in the templates; pass --live SNAPSHOT.json to see the account's ${res.type}` }],
        });
      } else out.push(r);
      continue;
    }
    if (!entry) {
      if (res.id === UNLISTED_ID || built.referencedLive.has(key)) out.push(r);
      continue;
    }
    if (needsUndeclarable(r, entry.undeclarable)) continue;
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

/** Whether the rule's check on this type reads a field that only exists after deploy. */
function needsUndeclarable(r: EvaluationResult, fields: readonly string[]): boolean {
  if (fields.length === 0) return false;
  const def = resourceType(r.resource.type);
  const ops = r.rule.byType.get(r.resource.type)?.checkOps.get(r.resource.type);
  if (!def || !ops) return false;
  for (const field of fields) {
    const extra = def.fieldOperations[field];
    const list = extra === undefined ? [] : typeof extra === "string" ? [extra] : extra;
    if (list.some((op) => ops.has(op))) return true;
  }
  return false;
}
