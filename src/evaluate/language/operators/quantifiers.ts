// every / some / none: quantifiers over the values of a path (`[]` takes each item of a list).
// `where` selects items, `check` is applied to each, `label` names failing items in the evidence.
import { same, text, type Text } from "../../../i18n/index.js";
import { asText } from "../../../io/text.js";
import type { CompileContext, Paths } from "../context.js";
import { nest } from "../messages.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import { and, not as notTruth, or, unknownOf, type Truth, type Unknown } from "../truth.js";
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
  what: Text;
  /** Three-valued: whether each value is selected (an `$unresolved` item may or may not be). */
  selectedTruth: (v: unknown, f: Frame) => Array<{ item: unknown; selected: Truth }>;
  /** The list itself not known before deploy (a whole list from a parameter without a value). */
  unknownList: (v: unknown, f: Frame) => Unknown | undefined;
}

/** The items a quantifier or count ranges over. */
export function compileItems(arg: ItemsArg, ctx: CompileContext): Items {
  const items = ctx.paths(arg.path, ["path"]);
  const where = arg.where === undefined ? undefined : ctx.within(["where"]).compile(arg.where);
  const selected = (v: unknown, f: Frame) => {
    const all = items.getAll(v, f);
    return where ? all.filter((x) => where.holds(x, f)) : all;
  };
  const selectedTruth = (v: unknown, f: Frame) =>
    items.getAll(v, f).map((item) => ({ item, selected: where ? (unknownOf(item) ?? where.truth(item, f)) : true }));
  const unknownList = (v: unknown, f: Frame): Unknown | undefined => {
    const all = items.getAll(v, f);
    return all.length === 1 ? unknownOf(all[0]) : undefined;
  };
  const what = where ? text("engine.items.where", { items: items.text, where: where.describe }) : same(items.text);
  return { items, where, selected, what, selectedTruth, unknownList };
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
  /** Per item: is it selected (where), does it match (check)? An `$unresolved` item is unknown on both. */
  const judged = (v: unknown, f: Frame): Array<{ selected: Truth; matches: Truth }> =>
    q.selectedTruth(v, f).map(({ item, selected }) => ({ selected, matches: check ? (unknownOf(item) ?? check.truth(item, f)) : true }));
  /** In an uncertain region only items that definitely match (or definitely fail) are named. */
  const matchesSurely = (x: unknown, f: Frame): boolean => (f.index.uncertain ? !check || check.truth(x, f) === true : matches(x, f));
  const failsSurely = (x: unknown, f: Frame): boolean => (f.index.uncertain ? check !== undefined && check.truth(x, f) === false : !matches(x, f));
  return { ...q, check, labelOf, matches, judged, matchesSurely, failsSurely };
}

/** The items `where` selects; in an uncertain region only those it definitely selects. */
export function selectedSurely(q: Items, v: unknown, f: Frame): unknown[] {
  if (!f.index.uncertain) return q.selected(v, f);
  return q
    .selectedTruth(v, f)
    .filter((j) => j.selected === true)
    .map((j) => j.item);
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
      describe: text("engine.every", { what: q.what, check: check.describe }),
      holds: (v, f) => q.selected(v, f).every((x) => q.matches(x, f)),
      // An item fails when it is selected and does not match; unknown when either is unknown.
      truth: (v, f) => q.unknownList(v, f) ?? and(q.judged(v, f).map((j) => or([notTruth(j.selected), j.matches]))),
      explain: (v, f) =>
        selectedSurely(q, v, f).flatMap((x, i) => {
          if (!q.failsSurely(x, f)) return [];
          const item = q.labelOf(x, i, f);
          return check
            .explain(x, f)
            .map((fl) => ({ ...fl, reason: text("engine.labelled", { label: item, reason: fl.reason }), evidence: nest(fl.evidence, "item", item) }));
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
      const foundTruth = (v: unknown, f: Frame): Truth => q.unknownList(v, f) ?? or(q.judged(v, f).map((j) => and([j.selected, j.matches])));
      const what = q.check ? text("engine.withCheck", { what: q.what, check: q.check.describe }) : q.what;
      if (key === "some") {
        return {
          describe: text("engine.some", { what }),
          holds: found,
          truth: foundTruth,
          explain: (v, f) => {
            const candidates = selectedSurely(q, v, f);
            const reason =
              candidates.length === 0 ? text("engine.some.none", { what: q.what }) : text("engine.some.noneHas", { what: q.what, check: q.check!.describe });
            return [{ reason, evidence: { path: q.items.text, candidates: candidates.length } }];
          },
        };
      }
      return {
        describe: text("engine.none", { what }),
        holds: (v, f) => !found(v, f),
        truth: (v, f) => notTruth(foundTruth(v, f)),
        // Each offending item, named by its label.
        explain: (v, f) =>
          selectedSurely(q, v, f).flatMap((x, i) => {
            if (!q.matchesSurely(x, f)) return [];
            const item = q.labelOf(x, i, f);
            const why = q.check ? q.check.describe : text("engine.matches", { where: q.where?.describe ?? text("engine.theCondition") });
            return [{ reason: text("engine.labelled", { label: item, reason: why }), evidence: { item } }];
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
