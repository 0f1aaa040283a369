// related: resources of a type whose field `key` equals this resource's `value` (the security
// groups of a VPC), quantified with some/every/none or counted.
import { text } from "../../../i18n/index.js";
import { resourceType, type ResourceObject } from "../../../resources/catalog.js";
import { unknownFieldProblem } from "../../../resources/fields.js";
import { display, shortType } from "../messages.js";
import { REF, type ConditionOperator } from "../operator.js";
import { and, not as notTruth, or, unknownOf, type Truth } from "../truth.js";
import type { Condition, Frame, Needs } from "../types.js";
import { boundTruth, BOUNDS_SCHEMA, compileBounds, type Bounds, type BoundsArg } from "./count.js";

type Quantifier = "some" | "every" | "none" | "count";

interface RelatedArg {
  type: string;
  key: string;
  value: string;
  some?: unknown;
  every?: unknown;
  none?: unknown;
  count?: BoundsArg;
}

const QUANTIFIERS: readonly Quantifier[] = ["some", "every", "none", "count"];

export const related: ConditionOperator<RelatedArg> = {
  key: "related",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["type", "key", "value"],
    properties: {
      type: REF.resourceType,
      key: { type: "string" },
      value: REF.path,
      some: REF.condition,
      every: REF.condition,
      none: REF.condition,
      count: { type: "object", additionalProperties: false, ...BOUNDS_SCHEMA },
    },
    oneOf: QUANTIFIERS.map((k) => ({ required: [k] })),
  },
  doc: {
    signature: "related: {type, key, value, some/every/none/count}",
    meaning: "resources of `type` whose field `key` equals this resource's `value` (the security groups of a VPC)",
    example: '{ related: { type: AWS::EC2::SecurityGroup, key: VpcId, value: VpcId, some: { path: GroupName, equals: "{tagPrefix}-training" } } }',
  },
  evidence: (arg) => ["type", arg.count !== undefined ? "count" : arg.some !== undefined ? "candidates" : "id"],
  compile(arg, ctx) {
    const type = arg.type;
    const key = arg.key;
    const kind = QUANTIFIERS.find((k) => arg[k] !== undefined)!;
    // A key the related type does not have can never match (issue 10).
    const unknownKey = unknownFieldProblem(type, key);
    if (unknownKey) ctx.fail(unknownKey, ["key"]);
    const own = ctx.path(arg.value, ["value"]);
    // The whole list of that type matters (counts, "has one named …"): a failed list call makes the answer unknown.
    ctx.addNeed(type, key);
    const relatedNeeds: Needs = new Map();
    const inner: Condition | undefined = kind === "count" ? undefined : ctx.onResource([kind], type, relatedNeeds).compile(arg[kind]);
    ctx.addNeeds(relatedNeeds);
    ctx.addLookup(type, [key, ...(relatedNeeds.get(type) ?? [])]);
    const bound: Bounds | undefined = kind === "count" ? compileBounds(arg.count!, ctx.within(["count"])) : undefined;
    const idField = resourceType(type)!.idField;
    const items = (v: unknown, f: Frame) => f.index.related(type, key, own.get(v, f));
    const frameFor = (f: Frame, r: ResourceObject): Frame => ({ resource: r, type, id: String(r[idField]), index: f.index });
    const holdsFor = (r: ResourceObject, f: Frame) => inner!.holds(r, frameFor(f, r));
    const what = text("engine.related.what", { type, key, value: own.text });
    const QUANTIFIED = { some: "engine.related.some", every: "engine.related.every", none: "engine.related.none" } as const;
    // Planned resources whose key is not known before deploy may or may not be related.
    const truth = (v: unknown, f: Frame): Truth => {
      const unknownValue = unknownOf(own.get(v, f));
      if (unknownValue) return unknownValue;
      const sure = items(v, f);
      const maybe = f.index.relatedUnknown(type, key);
      const maybeUnknown = maybe.map((r) => unknownOf(r[key])!);
      if (kind === "count") return boundTruth(bound!.test, sure.length, sure.length + maybe.length, maybeUnknown);
      const t = (r: ResourceObject) => inner!.truth(r, frameFor(f, r));
      if (kind === "every") return and([...sure.map(t), ...maybe.map((r, i) => or([maybeUnknown[i]!, t(r)]))]);
      const some = or([...sure.map(t), ...maybe.map((r, i) => and([maybeUnknown[i]!, t(r)]))]);
      return kind === "some" ? some : notTruth(some);
    };
    /** In an uncertain region only definite offenders are named. */
    const offends = (r: ResourceObject, f: Frame): boolean => {
      if (!f.index.uncertain) return kind === "every" ? !holdsFor(r, f) : holdsFor(r, f);
      return inner!.truth(r, frameFor(f, r)) === (kind !== "every");
    };
    return {
      describe: kind === "count" ? text("engine.count", { what, bound: bound!.text }) : text(QUANTIFIED[kind], { what, check: inner!.describe }),
      truth,
      holds: (v, f) => {
        const list = items(v, f);
        switch (kind) {
          case "count":
            return bound!.test(list.length);
          case "some":
            return list.some((r) => holdsFor(r, f));
          case "every":
            return list.every((r) => holdsFor(r, f));
          default:
            return !list.some((r) => holdsFor(r, f));
        }
      },
      explain: (v, f) => {
        const list = items(v, f);
        if (kind === "count")
          return [
            {
              reason: text("engine.related.count", { n: list.length, type: shortType(type), key, value: display(own.get(v, f)), bound: bound!.text }),
              evidence: { type, count: list.length },
            },
          ];
        if (kind === "some")
          return [
            {
              reason: text("engine.related.noneHas", { type: shortType(type), key, value: display(own.get(v, f)), check: inner!.describe }),
              evidence: { type, candidates: list.length },
            },
          ];
        const offending = list.filter((r) => offends(r, f));
        return offending.map((r) => ({
          reason: text(kind === "none" ? "engine.labelled" : "engine.related.fails", {
            label: `${shortType(type)} ${String(r[idField])}`,
            reason: inner!.describe,
          }),
          evidence: { type, id: r[idField] },
        }));
      },
    };
  },
};
