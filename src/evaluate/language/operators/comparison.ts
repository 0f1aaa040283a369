// lt / lte / gt / gte: numeric comparison with a number or a number placeholder ({ecr.keepImages}).
import type { CompileContext } from "../context.js";
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import { display } from "../messages.js";
import type { ValueOperator } from "../operator.js";
import type { Condition, Subject } from "../types.js";

/** A number, or a placeholder standing for one. */
export const BOUND = { type: ["number", "string"] } as const;

function comparison(key: string, symbol: string, word: string, cmp: (a: number, b: number) => boolean): ValueOperator {
  return {
    key,
    subject: true,
    schema: BOUND,
    doc: {
      signature: `path/config + ${key}: n`,
      meaning: `the value is a number ${word} n; anything else fails`,
      example: `{ path: retentionInDays, ${key}: "{logRetentionDays.trainingJobs}" }`,
    },
    evidence: () => LEAF_EVIDENCE,
    compile: (arg: unknown, s: Subject, ctx: CompileContext): Condition => {
      const bound = ctx.value(arg);
      return leaf(
        s,
        `${s.label} ${symbol} ${bound.text}`,
        (a, f) => {
          const b = bound.get(f);
          return typeof a === "number" && typeof b === "number" && cmp(a, b);
        },
        (a, f) => `${is(s, a)}, expected ${symbol} ${display(bound.get(f))}`,
        bound.get,
      );
    },
  };
}

export const lt = comparison("lt", "<", "below", (a, b) => a < b);
export const lte = comparison("lte", "≤", "at most", (a, b) => a <= b);
export const gt = comparison("gt", ">", "above", (a, b) => a > b);
export const gte = comparison("gte", "≥", "at least", (a, b) => a >= b);
