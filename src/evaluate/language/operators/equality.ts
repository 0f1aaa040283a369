// equals / notEquals / in / notIn: deep equality with a value or membership in a list. A missing
// field equals nothing.
import { isDeepStrictEqual } from "node:util";
import type { CompileContext, Value } from "../context.js";
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import { display, displayList } from "../messages.js";
import type { OperatorDoc, ValueOperator } from "../operator.js";
import type { Frame } from "../types.js";

/** JSON equality: the same primitive, or lists and mappings with equal members. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || isDeepStrictEqual(a, b);
}

/** Matches {accountId} or {region}: values known only per region. */
const RUNTIME = /\{(accountId|region)\}/;

/**
 * Most comparisons are against a config value or a literal known at compile time: a string,
 * number or boolean is compared with === without a call per test.
 */
function constantPrimitive(v: Value, written: unknown): { is: true; value: unknown } | { is: false } {
  if (RUNTIME.test(JSON.stringify(written ?? null))) return { is: false };
  const value = v.get({} as Frame);
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? { is: true, value } : { is: false };
}

const LIST_MESSAGE = "in/notIn take a list (or a list placeholder such as {projects})";

interface ListValue {
  get: (f: Frame) => unknown[];
  text: string;
  /** The list when it does not depend on the region. */
  constant: unknown[] | undefined;
}

/** A written list, or a placeholder that stands for one ({projects}). */
function listValue(arg: unknown, ctx: CompileContext): ListValue {
  const v = ctx.value(arg);
  if (RUNTIME.test(JSON.stringify(arg ?? null))) {
    // A written list whose items name {accountId} or {region}: a list in every region.
    if (!Array.isArray(arg)) ctx.fail(LIST_MESSAGE);
    return { get: (f) => v.get(f) as unknown[], text: v.text, constant: undefined };
  }
  const constant = v.get({} as Frame);
  if (!Array.isArray(constant)) ctx.fail(LIST_MESSAGE);
  const items: unknown[] = constant;
  return { get: () => items, text: v.text, constant: items };
}

/** A constant list of primitives as a Set (membership by SameValueZero, as sameValue decides for them). */
function primitiveSet(list: ListValue): Set<unknown> | undefined {
  const items = list.constant;
  return items?.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x)) ? new Set(items) : undefined;
}

const list = { anyOf: [{ type: "array" }, { type: "string", pattern: "^\\{" }], description: "A list, or a list placeholder such as {projects}." };

/** The docs of the four, one line each. */
const DOCS: Record<"equals" | "notEquals" | "in" | "notIn", OperatorDoc> = {
  equals: doc("path/config + equals: value", "equality (deep); a missing field is not equal to anything", "{ path: KeyState, equals: Enabled }"),
  notEquals: doc(
    "path/config + notEquals: value",
    "not equal (deep); a missing field is not equal to anything, so it passes",
    "{ path: KeyState, notEquals: PendingDeletion }",
  ),
  in: doc("path/config + in: [v…] or a list placeholder", "membership in a list or list placeholder", '{ path: Tags.Project, in: "{projects}" }'),
  notIn: doc(
    "path/config + notIn: [v…] or a list placeholder",
    "not a member of the list; a missing field passes",
    "{ path: ResourceConfig.InstanceType, notIn: [ml.p4d.24xlarge, ml.p5.48xlarge] }",
  ),
};

function doc(signature: string, meaning: string, example: string): OperatorDoc {
  return { signature, meaning, example };
}

/** equals, or its negation notEquals. */
function equality(key: "equals" | "notEquals"): ValueOperator {
  return {
    key,
    subject: true,
    schema: {},
    doc: DOCS[key],
    evidence: () => LEAF_EVIDENCE,
    compile(arg, s, ctx) {
      const expected = ctx.value(arg);
      const constant = constantPrimitive(expected, arg);
      const same: (a: unknown, f: Frame) => boolean = constant.is ? (a) => a === constant.value : (a, f) => sameValue(a, expected.get(f));
      if (key === "notEquals")
        return leaf(
          s,
          `${s.label} is not ${expected.text}`,
          (a, f) => !same(a, f),
          (a) => is(s, a),
          expected.get,
        );
      return leaf(s, `${s.label} equals ${expected.text}`, same, (a, f) => `${is(s, a)}, expected ${display(expected.get(f))}`, expected.get);
    },
  };
}

/** in, or its negation notIn. */
function membership(key: "in" | "notIn"): ValueOperator {
  return {
    key,
    subject: true,
    schema: list,
    doc: DOCS[key],
    evidence: () => LEAF_EVIDENCE,
    compile(arg, s, ctx) {
      const values = listValue(arg, ctx);
      const set = primitiveSet(values);
      const member: (a: unknown, f: Frame) => boolean = set ? (a) => set.has(a) : (a, f) => values.get(f).some((x) => sameValue(a, x));
      if (key === "notIn")
        return leaf(
          s,
          `${s.label} is not one of ${values.text}`,
          (a, f) => !member(a, f),
          (a) => is(s, a),
          values.get,
        );
      return leaf(s, `${s.label} is one of ${values.text}`, member, (a, f) => `${is(s, a)}, expected one of ${displayList(values.get(f))}`, values.get);
    },
  };
}

export const equals = equality("equals");
export const notEquals = equality("notEquals");
export const inList = membership("in");
export const notIn = membership("notIn");
