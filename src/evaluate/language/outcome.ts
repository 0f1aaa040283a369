// What one condition gives one resource: it holds, it fails (with why), or it cannot be told
// because data it reads was not collected. The engine turns outcomes into result statuses; the
// operators only hold, explain or throw IncompleteData. This is the one place an outcome is
// decided, so a further outcome (a value unresolved at plan time, issue 14) is added here: a
// variant of Outcome and the rule that decides it.
import { IncompleteData, type Condition, type Failure, type Frame } from "./types.js";
import type { CollectionError } from "../../snapshot/types.js";

export type Outcome =
  | { status: "pass" }
  | { status: "fail"; failures: Failure[] }
  /** The data was not collected: `failed` is the call, `reason` what the condition could not tell. */
  | { status: "error"; failed: CollectionError; reason: string };

const PASS: Outcome = { status: "pass" };
const FAIL: Outcome = { status: "fail", failures: [] };

/** Applies a condition to a value; `explain: false` (scopes) skips gathering the failures. */
export function decide(condition: Condition, value: unknown, frame: Frame, explain = true): Outcome {
  try {
    if (condition.holds(value, frame)) return PASS;
    return explain ? { status: "fail", failures: condition.explain(value, frame) } : FAIL;
  } catch (err) {
    if (err instanceof IncompleteData) return { status: "error", failed: err.failed, reason: err.reason };
    throw err;
  }
}
