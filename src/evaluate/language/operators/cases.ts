// cases: the first `when` that holds picks the `then` to check; no match checks `else`, or passes.
import { REF, type ConditionOperator } from "../operator.js";
import type { Condition, Frame } from "../types.js";

type Case = { when: unknown; then: unknown };

export const cases: ConditionOperator<Case[]> = {
  key: "cases",
  subject: false,
  schema: {
    type: "array",
    minItems: 1,
    items: { type: "object", additionalProperties: false, required: ["when", "then"], properties: { when: REF.condition, then: REF.condition } },
  },
  companions: { else: REF.condition },
  doc: {
    signature: "cases: [{when, then}…], else: c",
    meaning: "the first `when` that holds picks the `then` to check (no match: `else`, or pass)",
    example:
      "{ cases: [{ when: { path: logGroupName, startsWith: /aws/sagemaker/TrainingJobs }, then: { path: retentionInDays, gte: 90 } }], else: { path: retentionInDays, gte: 30 } }",
  },
  evidence: (arg, nested, mapping) => [...arg.flatMap((c) => [...nested.of(c.then)]), ...nested.of(mapping.else)],
  compile(arg, ctx, mapping) {
    const compiled = arg.map((c, i) => ({ when: ctx.compile(c.when, [i, "when"]), then: ctx.compile(c.then, [i, "then"]) }));
    const fallback = mapping.else === undefined ? undefined : ctx.sibling("else").compile(mapping.else);
    const pick = (v: unknown, f: Frame): Condition | undefined => compiled.find((c) => c.when.holds(v, f))?.then ?? fallback;
    return {
      describe: compiled.map((c) => `if ${c.when.describe} then ${c.then.describe}`).join("; "),
      holds: (v, f) => pick(v, f)?.holds(v, f) ?? true,
      explain: (v, f) => pick(v, f)?.explain(v, f) ?? [],
    };
  },
};
