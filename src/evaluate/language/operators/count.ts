// count: the number of values of a path (that `where` selects) is within bounds.
import { joined, text, type Text } from "../../../i18n/index.js";
import type { CompileContext } from "../context.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import { isUnknown, mergeUnknown, type Truth, type Unknown } from "../truth.js";
import type { Frame } from "../types.js";
import { BOUND } from "./comparison.js";
import { compileItems, selectedSurely, type ItemsArg } from "./quantifiers.js";

const BOUNDS = [
  ["equals", (n: number, b: number) => n === b, "="],
  ["lt", (n: number, b: number) => n < b, "<"],
  ["lte", (n: number, b: number) => n <= b, "≤"],
  ["gt", (n: number, b: number) => n > b, ">"],
  ["gte", (n: number, b: number) => n >= b, "≥"],
] as const;

type BoundKey = (typeof BOUNDS)[number][0];
export type BoundsArg = Partial<Record<BoundKey, number | string>>;

/** The bound keys of a count, at least one of them. */
export const BOUNDS_SCHEMA = {
  properties: Object.fromEntries(BOUNDS.map(([k]) => [k, BOUND])),
  anyOf: BOUNDS.map(([k]) => ({ required: [k] })),
} as const satisfies JsonSchema;

export interface Bounds {
  test: (n: number) => boolean;
  text: Text;
}

/** Count bounds; a placeholder bound must stand for a number. */
export function compileBounds(arg: BoundsArg, ctx: CompileContext): Bounds {
  const active = BOUNDS.filter(([k]) => arg[k] !== undefined).map(([k, cmp, sym]) => {
    const b = ctx.value(arg[k], [k]).get({} as Frame);
    if (typeof b !== "number") ctx.fail(`${k} takes a number`, [k]);
    const bound = `${sym} ${b}`;
    return { test: (n: number) => cmp(n, b), text: () => bound };
  });
  return {
    test: (n) => active.every((a) => a.test(n)),
    text: joined(
      active.map((a) => a.text),
      "engine.sep.and",
    ),
  };
}

/** A count known only to lie in [lo, hi]: the bound holds for all, none, or some of those counts. */
export function boundTruth(test: (n: number) => boolean, lo: number, hi: number, unknown: readonly Unknown[]): Truth {
  if (lo === hi) return test(lo);
  let yes = 0;
  for (let n = lo; n <= hi; n++) if (test(n)) yes++;
  if (yes === 0) return false;
  if (yes === hi - lo + 1) return true;
  return mergeUnknown(unknown);
}

export const count: ConditionOperator<ItemsArg & BoundsArg> = {
  key: "count",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: { path: REF.paths, where: REF.condition, ...BOUNDS_SCHEMA.properties },
    anyOf: BOUNDS_SCHEMA.anyOf,
  },
  doc: {
    signature: "count: {path, where?, equals/lt/lte/gt/gte}",
    meaning: "the number of values of `path` (that `where` selects) is within the bounds",
    example: '{ count: { path: "images[]", where: { path: imageTags, empty: false }, lte: "{ecr.keepImages}" } }',
  },
  evidence: () => ["path", "count"],
  compile(arg, ctx) {
    const q = compileItems(arg, ctx);
    const bound = compileBounds(arg, ctx);
    return {
      describe: text("engine.count", { what: q.what, bound: bound.text }),
      holds: (v, f) => bound.test(q.selected(v, f).length),
      truth: (v, f) => {
        const whole = q.unknownList(v, f);
        if (whole) return whole;
        const judged = q.selectedTruth(v, f);
        const unknown = judged.map((j) => j.selected).filter(isUnknown);
        const lo = judged.filter((j) => j.selected === true).length;
        return boundTruth(bound.test, lo, lo + unknown.length, unknown);
      },
      explain: (v, f) => {
        const n = selectedSurely(q, v, f).length;
        return [{ reason: text("engine.count.failed", { what: q.what, n, bound: bound.text }), evidence: { path: q.items.text, count: n } }];
      },
    };
  },
};
