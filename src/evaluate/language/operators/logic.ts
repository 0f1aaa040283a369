// all / any: every listed condition holds / at least one does.
import { REF, type ConditionOperator } from "../operator.js";
import type { Condition } from "../types.js";

function junction(key: "all" | "any", meaning: string, example: string): ConditionOperator<unknown[]> {
  const word = key === "all" ? " and " : " or ";
  return {
    key,
    subject: false,
    schema: { type: "array", items: REF.condition, minItems: 1 },
    doc: { signature: `${key}: [c…]`, meaning, example },
    // all passes on its parts' failures; any puts them under `alternatives`.
    evidence: (arg, nested) => (key === "all" ? arg.flatMap((c) => [...nested.of(c)]) : ["alternatives"]),
    compile(arg, ctx): Condition {
      const parts = arg.map((r, i) => ctx.compile(r, [i]));
      const describe = parts.map((p) => p.describe).join(word);
      if (key === "all") {
        return {
          describe,
          holds: (v, f) => {
            for (const p of parts) if (!p.holds(v, f)) return false;
            return true;
          },
          explain: (v, f) => parts.flatMap((p) => (p.holds(v, f) ? [] : p.explain(v, f))),
        };
      }
      return {
        describe,
        holds: (v, f) => {
          for (const p of parts) if (p.holds(v, f)) return true;
          return false;
        },
        // None holds: every alternative's reason, and its evidence under `alternatives`.
        explain: (v, f) => {
          const failures = parts.flatMap((p) => p.explain(v, f));
          return [{ reason: failures.map((x) => x.reason).join("; and "), evidence: { alternatives: failures.map((x) => x.evidence) } }];
        },
      };
    },
  };
}

export const all = junction(
  "all",
  "every condition holds; the failures of those that do not are reported",
  "{ all: [{ path: KeyState, equals: Enabled }, { path: KeyRotationEnabled, equals: true }] }",
);

export const any = junction(
  "any",
  "at least one condition holds; when none does, every reason is reported",
  "{ any: [{ path: OutputDataConfig.KmsKeyId, exists: true }, { path: ResourceConfig.VolumeKmsKeyId, exists: true }] }",
);
