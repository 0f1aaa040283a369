// not: the condition does not hold.
import { REF, type ConditionOperator } from "../operator.js";

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
      describe: `not (${inner.describe})`,
      holds: (v, f) => !inner.holds(v, f),
      explain: () => [{ reason: `expected not: ${inner.describe}`, evidence: {} }],
    };
  },
};
