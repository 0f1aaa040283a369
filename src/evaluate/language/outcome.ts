// What one condition gives one resource: it holds, it fails (with why), it cannot be told because
// data it reads was not collected, or — for planned resources — it depends on a value not known
// before deploy. The engine turns outcomes into result statuses; the operators only hold, explain,
// give their three-valued truth or throw IncompleteData. This is the one place an outcome is decided.
import type { UnresolvedCause } from "../../resources/unresolved.js";
import { isUnknown } from "./truth.js";
import { IncompleteData, type Condition, type Failure, type Frame } from "./types.js";
import type { CollectionError } from "../../snapshot/types.js";
import type { Words } from "../../i18n/index.js";

export type Outcome =
  | { status: "pass" }
  | { status: "fail"; failures: Failure[] }
  /** The data was not collected: `failed` is the call, `reason` what the condition could not tell. */
  | { status: "error"; failed: CollectionError; reason: Words }
  /** The outcome depends on values not known before deploy (planned resources): what it needs, each once. */
  | { status: "unresolved"; causes: UnresolvedCause[] };

const PASS: Outcome = { status: "pass" };
const FAIL: Outcome = { status: "fail", failures: [] };

/**
 * Applies a condition to a value; `explain: false` (scopes) skips gathering the failures. In a
 * region holding planned resources the condition is decided three-valued (Kleene): a definite
 * failure still fails, a definite pass still passes, anything else is `unresolved`.
 */
export function decide(condition: Condition, value: unknown, frame: Frame, explain = true): Outcome {
  try {
    if (frame.index.uncertain) {
      const t = condition.truth(value, frame);
      if (t === true) return PASS;
      if (isUnknown(t)) return { status: "unresolved", causes: t.causes.map((c) => ({ ...c })) };
    } else if (condition.holds(value, frame)) return PASS;
    return explain ? { status: "fail", failures: condition.explain(value, frame) } : FAIL;
  } catch (err) {
    if (err instanceof IncompleteData) return { status: "error", failed: err.failed, reason: err.reason };
    throw err;
  }
}
