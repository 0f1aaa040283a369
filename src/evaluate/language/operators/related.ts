// related: resources of a type whose field `key` equals this resource's `value` (the security
// groups of a VPC), quantified with some/every/none or counted.
import { resourceType, type ResourceObject } from "../../../resources/catalog.js";
import { unknownFieldProblem } from "../../../resources/fields.js";
import { display, shortType } from "../messages.js";
import { REF, type ConditionOperator } from "../operator.js";
import type { Condition, Frame, Needs } from "../types.js";
import { BOUNDS_SCHEMA, compileBounds, type Bounds, type BoundsArg } from "./count.js";

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
    const what = `${type} with ${key} = ${own.text}`;
    return {
      describe: kind === "count" ? `count of ${what} ${bound!.text}` : `${kind} ${what}: ${inner!.describe}`,
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
              reason: `${list.length} ${shortType(type)} resources with ${key} = ${display(own.get(v, f))}, expected ${bound!.text}`,
              evidence: { type, count: list.length },
            },
          ];
        if (kind === "some")
          return [
            { reason: `no ${shortType(type)} with ${key} = ${display(own.get(v, f))} has ${inner!.describe}`, evidence: { type, candidates: list.length } },
          ];
        const offending = list.filter((r) => (kind === "every" ? !holdsFor(r, f) : holdsFor(r, f)));
        return offending.map((r) => ({
          reason: `${shortType(type)} ${String(r[idField])}${kind === "none" ? `: ${inner!.describe}` : ` fails: ${inner!.describe}`}`,
          evidence: { type, id: r[idField] },
        }));
      },
    };
  },
};
