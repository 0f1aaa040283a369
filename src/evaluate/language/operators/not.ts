// not: the condition does not hold.
import { text } from "../../../i18n/index.js";
import { REF, type ConditionOperator } from "../operator.js";
import { not as notTruth } from "../truth.js";

export const not: ConditionOperator = {
  key: "not",
  subject: false,
  schema: REF.condition,
  doc: {
    signature: "not: c",
    meaning: "the condition does not hold",
    example: "{ not: { path: KeyState, equals: PendingDeletion } }",
  },
  evidence: () => [],
  compile(arg, ctx) {
    const inner = ctx.compile(arg);
    return {
      describe: text("engine.not", { inner: inner.describe }),
      holds: (v, f) => !inner.holds(v, f),
      truth: (v, f) => notTruth(inner.truth(v, f)),
      explain: () => [{ reason: text("engine.not.failed", { inner: inner.describe }), evidence: {} }],
    };
  },
};
