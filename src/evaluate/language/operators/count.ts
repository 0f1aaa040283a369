// count: the number of values of a path (that `where` selects) is within bounds.
import type { CompileContext } from "../context.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import type { Frame } from "../types.js";
import { BOUND } from "./comparison.js";
import { compileItems, type ItemsArg } from "./quantifiers.js";

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
  text: string;
}

/** Count bounds; a placeholder bound must stand for a number. */
export function compileBounds(arg: BoundsArg, ctx: CompileContext): Bounds {
  const active = BOUNDS.filter(([k]) => arg[k] !== undefined).map(([k, cmp, sym]) => {
    const b = ctx.value(arg[k], [k]).get({} as Frame);
    if (typeof b !== "number") ctx.fail(`${k} takes a number`, [k]);
    return { test: (n: number) => cmp(n, b), text: `${sym} ${b}` };
  });
  return { test: (n) => active.every((a) => a.test(n)), text: active.map((a) => a.text).join(" and ") };
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
      describe: `count of ${q.what} ${bound.text}`,
      holds: (v, f) => bound.test(q.selected(v, f).length),
      explain: (v, f) => {
        const n = q.selected(v, f).length;
        return [{ reason: `${q.what} has ${n} item${n === 1 ? "" : "s"}, expected ${bound.text}`, evidence: { path: q.items.text, count: n } }];
      },
    };
  },
};
