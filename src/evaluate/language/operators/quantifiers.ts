// every / some / none: quantifiers over the values of a path (`[]` takes each item of a list).
// `where` selects items, `check` is applied to each, `label` names failing items in the evidence.
import { asText } from "../../../io/text.js";
import type { CompileContext, Paths } from "../context.js";
import { nest } from "../messages.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import type { Condition, Frame } from "../types.js";

export interface ItemsArg {
  path: string | string[];
  where?: unknown;
}

interface QuantifierArg extends ItemsArg {
  check?: unknown;
  label?: string;
}

export interface Items {
  items: Paths;
  where: Condition | undefined;
  /** The values of the path that `where` selects. */
  selected: (v: unknown, f: Frame) => unknown[];
  /** "items where …". */
  what: string;
}

/** The items a quantifier or count ranges over. */
export function compileItems(arg: ItemsArg, ctx: CompileContext): Items {
  const items = ctx.paths(arg.path, ["path"]);
  const where = arg.where === undefined ? undefined : ctx.within(["where"]).compile(arg.where);
  const selected = (v: unknown, f: Frame) => {
    const all = items.getAll(v, f);
    return where ? all.filter((x) => where.holds(x, f)) : all;
  };
  return { items, where, selected, what: `${items.text}${where ? ` where ${where.describe}` : ""}` };
}

function schema(required: string[]): JsonSchema {
  return {
    type: "object",
    additionalProperties: false,
    required,
    properties: { path: REF.paths, where: REF.condition, check: REF.condition, label: REF.path },
  };
}

function compileQuantified(arg: QuantifierArg, ctx: CompileContext) {
  const q = compileItems(arg, ctx);
  const check = arg.check === undefined ? undefined : ctx.within(["check"]).compile(arg.check);
  const label = arg.label === undefined ? undefined : ctx.within().path(arg.label, ["label"]);
  const labelOf = (item: unknown, index: number, f: Frame): string => {
    const l = label?.get(item, f);
    if (l !== undefined) return asText(l);
    // A list of strings or numbers: the item names itself ("release-1").
    if (typeof item === "string" || typeof item === "number") return String(item);
    return `${q.items.text} #${index + 1}`;
  };
  const matches = (x: unknown, f: Frame) => (check ? check.holds(x, f) : true);
  return { ...q, check, labelOf, matches };
}

export const every: ConditionOperator<QuantifierArg> = {
  key: "every",
  subject: false,
  schema: schema(["path", "check"]),
  doc: {
    signature: "every: {path, where?, check, label?}",
    meaning: "`check` holds for every value of `path` (that `where` selects); each failing item is named in the evidence",
    example: '{ every: { path: "VpcConfig.Subnets[]", check: { regex: "^subnet-" } } }',
  },
  // The check's failures, each under the item's label (`items` when checks nest).
  evidence: (arg, nested) => ["item", "items", ...nested.of(arg.check)],
  compile(arg, ctx) {
    const q = compileQuantified(arg, ctx);
    const check = q.check!;
    return {
      describe: `every ${q.what}: ${check.describe}`,
      holds: (v, f) => q.selected(v, f).every((x) => q.matches(x, f)),
      explain: (v, f) =>
        q.selected(v, f).flatMap((x, i) => {
          if (q.matches(x, f)) return [];
          const item = q.labelOf(x, i, f);
          return check.explain(x, f).map((fl) => ({ reason: `${item}: ${fl.reason}`, evidence: nest(fl.evidence, "item", item) }));
        }),
    };
  },
};

/** some, and its negation none: whether an item (that `where` selects) meets `check`. */
function existential(key: "some" | "none", meaning: string, example: string): ConditionOperator<QuantifierArg> {
  const label = key === "none" ? ", label?" : "";
  return {
    key,
    subject: false,
    schema: schema(["path"]),
    doc: { signature: `${key}: {path, where?, check?${label}}`, meaning, example },
    evidence: () => (key === "some" ? ["path", "candidates"] : ["item"]),
    compile(arg, ctx): Condition {
      const q = compileQuantified(arg, ctx);
      const found = (v: unknown, f: Frame) => q.selected(v, f).some((x) => q.matches(x, f));
      const what = `${q.what}${q.check ? `: ${q.check.describe}` : ""}`;
      if (key === "some") {
        return {
          describe: `some ${what}`,
          holds: found,
          explain: (v, f) => {
            const candidates = q.selected(v, f);
            const reason = candidates.length === 0 ? `no ${q.what}` : `no ${q.what} has ${q.check!.describe}`;
            return [{ reason, evidence: { path: q.items.text, candidates: candidates.length } }];
          },
        };
      }
      return {
        describe: `no ${what}`,
        holds: (v, f) => !found(v, f),
        // Each offending item, named by its label.
        explain: (v, f) =>
          q.selected(v, f).flatMap((x, i) => {
            if (!q.matches(x, f)) return [];
            const item = q.labelOf(x, i, f);
            return [{ reason: `${item}: ${q.check ? q.check.describe : `matches ${q.where?.describe ?? "the condition"}`}`, evidence: { item } }];
          }),
      };
    },
  };
}

export const some = existential(
  "some",
  "at least one value of `path` (that `where` selects) exists and meets `check`",
  '{ some: { path: "Tags[]", where: { path: Key, equals: Project }, check: { path: Value, in: "{projects}" } } }',
);

export const none = existential(
  "none",
  "no value of `path` (that `where` selects) meets `check`; each offending item is named",
  '{ none: { path: "images[]", where: { path: imageTags, empty: true } } }',
);
