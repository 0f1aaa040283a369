// equals / notEquals / in / notIn: deep equality with a value or membership in a list. A missing
// field equals nothing.
import { isDeepStrictEqual } from "node:util";
import type { CompileContext, Value } from "../context.js";
import { is, leaf } from "../leaf.js";
import { display, displayList } from "../messages.js";
import type { ValueOperator } from "../operator.js";
import type { Frame } from "../types.js";

/** JSON equality: the same primitive, or lists and mappings with equal members. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || isDeepStrictEqual(a, b);
}

/** Matches {accountId} or {region}: values known only per region. */
const RUNTIME = /\{(accountId|region)\}/;

/**
 * Most comparisons are against a config value or a literal known at compile time: a string,
 * number or boolean is compared with === (what deep equality decides for them) without a call
 * per test.
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

/** A constant list of primitives as a Set (membership by ===, as deep equality decides for them). */
function primitiveSet(list: ListValue): Set<unknown> | undefined {
  const items = list.constant;
  return items?.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x)) ? new Set(items) : undefined;
}

const list = { anyOf: [{ type: "array" }, { type: "string", pattern: "^\\{" }], description: "A list, or a list placeholder such as {projects}." };

export const equals: ValueOperator = {
  key: "equals",
  subject: true,
  schema: {},
  doc: {
    signature: "path/config + equals: value",
    meaning: "equality (deep); a missing field is not equal to anything",
    example: "{ path: KeyState, equals: Enabled }",
  },
  compile(arg, s, ctx) {
    const expected = ctx.value(arg);
    const constant = constantPrimitive(expected, arg);
    const test = constant.is ? (a: unknown) => a === constant.value : (a: unknown, f: Frame) => sameValue(a, expected.get(f));
    return leaf(s, `${s.label} equals ${expected.text}`, test, (a, f) => `${is(s, a)}, expected ${display(expected.get(f))}`, expected.get);
  },
};

export const notEquals: ValueOperator = {
  key: "notEquals",
  subject: true,
  schema: {},
  doc: {
    signature: "path/config + notEquals: value",
    meaning: "not equal (deep); a missing field is not equal to anything, so it passes",
    example: '{ path: RootAccess, notEquals: "Enabled" }',
  },
  compile(arg, s, ctx) {
    const expected = ctx.value(arg);
    return leaf(
      s,
      `${s.label} is not ${expected.text}`,
      (a, f) => !sameValue(a, expected.get(f)),
      (a) => `${is(s, a)}`,
      expected.get,
    );
  },
};

export const inList: ValueOperator = {
  key: "in",
  subject: true,
  schema: list,
  doc: {
    signature: "path/config + in: [v…] or a list placeholder",
    meaning: "membership in a list or list placeholder",
    example: '{ path: Tags.Project, in: "{projects}" }',
  },
  compile(arg, s, ctx) {
    const values = listValue(arg, ctx);
    const set = primitiveSet(values);
    const test = set ? (a: unknown) => set.has(a) : (a: unknown, f: Frame) => values.get(f).some((x) => sameValue(a, x));
    return leaf(s, `${s.label} is one of ${values.text}`, test, (a, f) => `${is(s, a)}, expected one of ${displayList(values.get(f))}`, values.get);
  },
};

export const notIn: ValueOperator = {
  key: "notIn",
  subject: true,
  schema: list,
  doc: {
    signature: "path/config + notIn: [v…] or a list placeholder",
    meaning: "not a member of the list; a missing field passes",
    example: "{ path: InstanceType, notIn: [ml.p4d.24xlarge, ml.p5.48xlarge] }",
  },
  compile(arg, s, ctx) {
    const values = listValue(arg, ctx);
    return leaf(
      s,
      `${s.label} is not one of ${values.text}`,
      (a, f) => !values.get(f).some((x) => sameValue(a, x)),
      (a) => `${is(s, a)}`,
      values.get,
    );
  },
};
