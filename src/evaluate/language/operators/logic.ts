// all / any: every listed condition holds / at least one does.
import { REF, type ConditionOperator } from "../operator.js";

const conditions = { type: "array", items: REF.condition, minItems: 1 };

export const all: ConditionOperator<unknown[]> = {
  key: "all",
  subject: false,
  schema: conditions,
  doc: {
    signature: "all: [c…]",
    meaning: "every condition holds; the failures of those that do not are reported",
    example: "{ all: [{ path: KeyState, equals: Enabled }, { path: KeyRotationEnabled, equals: true }] }",
  },
  compile(arg, ctx) {
    const parts = arg.map((r, i) => ctx.compile(r, [i]));
    return {
      describe: parts.map((p) => p.describe).join(" and "),
      holds: (v, f) => {
        for (const p of parts) if (!p.holds(v, f)) return false;
        return true;
      },
      explain: (v, f) => parts.flatMap((p) => (p.holds(v, f) ? [] : p.explain(v, f))),
    };
  },
};

export const any: ConditionOperator<unknown[]> = {
  key: "any",
  subject: false,
  schema: conditions,
  doc: {
    signature: "any: [c…]",
    meaning: "at least one condition holds; when none does, every reason is reported",
    example: "{ any: [{ path: KmsKeyId, exists: true }, { path: VolumeKmsKeyId, exists: true }] }",
  },
  compile(arg, ctx) {
    const parts = arg.map((r, i) => ctx.compile(r, [i]));
    return {
      describe: parts.map((p) => p.describe).join(" or "),
      holds: (v, f) => {
        for (const p of parts) if (p.holds(v, f)) return true;
        return false;
      },
      explain: (v, f) => {
        const failures = parts.flatMap((p) => p.explain(v, f));
        return [{ reason: failures.map((x) => x.reason).join("; and "), evidence: { alternatives: failures.map((x) => x.evidence) } }];
      },
    };
  },
};
