// Compiles a rule's declarative conditions into closures, once. Each condition becomes a Node:
// `holds` is the fast path used for every resource; `explain` runs only for failures and says
// why, with evidence. The compiler also records which fields (and so which AWS calls) a
// condition reads, so a failed call turns exactly the rules that needed it into `error`.
import { compilePath, PathSyntaxError, type CompiledPath } from "./path.js";
import { PlaceholderError, type Placeholders, type RuntimeName } from "./placeholders.js";
import { describeError, IncompleteData, type Failure, type Frame } from "./region.js";
import { parseCidr, type Cidr } from "./operators/cidr.js";
import {
  describeRow,
  describeSource,
  entryIsRow,
  entryIsRowTruth,
  expandPermissions,
  expandUncertain,
  flowIsCovered,
  flowIsCoveredTruth,
  type UncertainGroup,
  type FlowSpec,
  type GroupContext,
  type PermissionEntry,
} from "./operators/sg.js";
import {
  actionsBeyond,
  conditionValues,
  describeStatement,
  hasCondition,
  isAllow,
  PolicyShapeError,
  principalIsEveryone,
  principalServices,
  statementsOf,
  type Statement,
} from "./operators/iam.js";
import { isCalendarDate, parseImageReference } from "./operators/values.js";
import { compileRegex, type CompiledRegex } from "./regex.js";
import { nestsDeeperThan } from "../io/depth.js";
import { suggest } from "../io/suggest.js";
import { knownTypeNames, childType, operationsForField, resourceType, type ResourceObject } from "../resources/catalog.js";
import { isUnresolved } from "../resources/unresolved.js";
import { and, isUnknown, mergeUnknown, not as notTruth, or, Unknown, unknownInside, unknownOf, type Truth } from "./truth.js";

export interface Node {
  holds(value: unknown, frame: Frame): boolean;
  /** Three-valued holds, for values that may be Unresolved (planned resources); see truth.ts. */
  truth(value: unknown, frame: Frame): Truth;
  /** Only called when holds() is false. */
  explain(value: unknown, frame: Frame): Failure[];
  /** Positive description, used when negated. */
  describe: string;
}

/** Fields read per resource type: the engine maps them to the AWS calls they come from. */
export type Needs = Map<string, Set<string>>;

/** "Is this value used by a field named … of resources of these types" (referencedBy). */
export interface ReferenceSpec {
  key: string;
  types: readonly string[];
  fields: readonly string[];
}

/**
 * What a rule reads from resources other than the one it evaluates: the fields of each
 * looked-up type (so only those are kept in memory) and the reference sets it consults.
 */
export interface Lookups {
  fields: Map<string, Set<string>>;
  references: Map<string, ReferenceSpec>;
}

export function emptyLookups(): Lookups {
  return { fields: new Map(), references: new Map() };
}

export class ConditionError extends Error {
  constructor(
    message: string,
    readonly path: ReadonlyArray<string | number>,
  ) {
    super(message);
  }
}

export interface CompileOptions {
  placeholders: Placeholders;
  definitions: ReadonlyMap<string, unknown>;
  /** Filled with what the condition looks up in other resources. */
  lookups: Lookups;
}

interface Ctx extends CompileOptions {
  /** Where in the rule document this condition is. */
  at: ReadonlyArray<string | number>;
  /** Type of the value conditions look at, when it is a whole resource; null inside a sub-value. */
  resourceType: string | null;
  needs: Needs;
  /** Definitions being expanded, to refuse cycles. */
  using: readonly string[];
}

export function compileCondition(raw: unknown, at: ReadonlyArray<string | number>, resourceTypeName: string, needs: Needs, options: CompileOptions): Node {
  return compile(raw, { ...options, at, resourceType: resourceTypeName, needs, using: [] });
}

const LOGIC = ["all", "any", "not", "use", "cases"] as const;
const QUANTIFIERS = ["every", "some", "none", "count"] as const;
const DOMAIN = ["ref", "related", "referencedBy", "permissions", "policy"] as const;
const VALUE_OPS = ["equals", "notEquals", "in", "notIn", "regex", "exists", "empty", "lt", "lte", "gt", "gte", "calendarDate", "json", "imageRef"] as const;
const SUBJECTS = ["path", "config"] as const;
const ALL_KEYS: readonly string[] = [...LOGIC, "else", ...QUANTIFIERS, ...DOMAIN, ...VALUE_OPS, ...SUBJECTS, "message"];

function fail(ctx: Ctx, message: string, sub: Array<string | number> = []): never {
  throw new ConditionError(message, [...ctx.at, ...sub]);
}

function child(ctx: Ctx, sub: Array<string | number>, resourceTypeName: string | null = ctx.resourceType): Ctx {
  return { ...ctx, at: [...ctx.at, ...sub], resourceType: resourceTypeName };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function compile(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, 'a condition must be a mapping such as { path: GroupName, equals: "…" }');
  const keys = Object.keys(raw);
  for (const key of keys) {
    if (!ALL_KEYS.includes(key)) fail(ctx, `unknown operator "${key}"${suggest(key, ALL_KEYS)}`, [key]);
  }
  const message = raw.message;
  if (message !== undefined && typeof message !== "string") fail(ctx, "message must be a string", ["message"]);
  const node = compileBare(
    raw,
    keys.filter((k) => k !== "message"),
    ctx,
  );
  return message === undefined ? node : withMessage(node, ctx.placeholders.text(message));
}

function compileBare(raw: Record<string, unknown>, keys: string[], ctx: Ctx): Node {
  const logic = keys.find((k) => (LOGIC as readonly string[]).includes(k));
  const quantifier = keys.find((k) => (QUANTIFIERS as readonly string[]).includes(k));
  const domain = keys.find((k) => (DOMAIN as readonly string[]).includes(k));
  const special = logic ?? quantifier ?? domain;
  if (special) {
    const allowed = special === "cases" ? ["cases", "else"] : [special];
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra) fail(ctx, `"${special}" cannot be combined with "${extra}" in one condition; nest them under all/any`, [extra]);
    switch (special) {
      case "all":
      case "any":
        return compileJunction(special, raw[special], child(ctx, [special]));
      case "not":
        return compileNot(raw.not, child(ctx, ["not"]));
      case "use":
        return compileUse(raw.use, child(ctx, ["use"]));
      case "cases":
        return compileCases(raw.cases, raw.else, ctx);
      case "every":
      case "some":
      case "none":
        return compileQuantifier(special, raw[special], child(ctx, [special]));
      case "count":
        return compileCount(raw.count, child(ctx, ["count"]));
      case "ref":
        return compileRef(raw.ref, child(ctx, ["ref"]));
      case "related":
        return compileRelated(raw.related, child(ctx, ["related"]));
      case "referencedBy":
        return compileReferencedBy(raw.referencedBy, child(ctx, ["referencedBy"]));
      case "permissions":
        return compilePermissions(raw.permissions, child(ctx, ["permissions"]));
      case "policy":
        return compilePolicy(raw.policy, child(ctx, ["policy"]));
    }
  }
  return compileValueCondition(raw, keys, ctx);
}

// ---------------------------------------------------------------- logic

function compileJunction(kind: "all" | "any", raw: unknown, ctx: Ctx): Node {
  if (!Array.isArray(raw) || raw.length === 0) fail(ctx, `${kind} takes a non-empty list of conditions`);
  const parts = raw.map((r, i) => compile(r, child(ctx, [i])));
  if (kind === "all") {
    return {
      describe: parts.map((p) => p.describe).join(" and "),
      holds: (v, f) => {
        for (const p of parts) if (!p.holds(v, f)) return false;
        return true;
      },
      truth: (v, f) => and(parts.map((p) => p.truth(v, f))),
      // Only definite failures explain a failure (an unknown part neither fails nor passes).
      explain: (v, f) => parts.flatMap((p) => ((f.region.uncertain ? p.truth(v, f) === false : !p.holds(v, f)) ? p.explain(v, f) : [])),
    };
  }
  return {
    describe: parts.map((p) => p.describe).join(" or "),
    holds: (v, f) => {
      for (const p of parts) if (p.holds(v, f)) return true;
      return false;
    },
    truth: (v, f) => or(parts.map((p) => p.truth(v, f))),
    explain: (v, f) => {
      const failures = parts.flatMap((p) => p.explain(v, f));
      return [{ reason: failures.map((x) => x.reason).join("; and "), evidence: { alternatives: failures.map((x) => x.evidence) } }];
    },
  };
}

function compileNot(raw: unknown, ctx: Ctx): Node {
  const inner = compile(raw, ctx);
  return {
    describe: `not (${inner.describe})`,
    holds: (v, f) => !inner.holds(v, f),
    truth: (v, f) => notTruth(inner.truth(v, f)),
    explain: () => [{ reason: `expected not: ${inner.describe}`, evidence: {} }],
  };
}

function compileUse(raw: unknown, ctx: Ctx): Node {
  if (typeof raw !== "string") fail(ctx, "use takes the name of a definition from rules/definitions.yaml");
  const def = ctx.definitions.get(raw);
  if (def === undefined) fail(ctx, `no definition named "${raw}"${suggest(raw, [...ctx.definitions.keys()])}`);
  if (ctx.using.includes(raw)) fail(ctx, `definition "${raw}" uses itself (${[...ctx.using, raw].join(" → ")})`);
  // A definition is compiled where it is used: its fields count as needs of the using rule.
  return compile(def, { ...ctx, at: ["definitions", raw], using: [...ctx.using, raw] });
}

function compileCases(raw: unknown, otherwise: unknown, ctx: Ctx): Node {
  if (!Array.isArray(raw) || raw.length === 0) fail(ctx, "cases takes a non-empty list of { when, then }", ["cases"]);
  const cases = raw.map((c, i) => {
    const at = child(ctx, ["cases", i]);
    if (!isMapping(c) || !("when" in c) || !("then" in c)) fail(at, "each case needs `when` and `then`");
    const extra = Object.keys(c).find((k) => k !== "when" && k !== "then");
    if (extra) fail(at, `unknown key "${extra}" in a case`, [extra]);
    return { when: compile(c.when, child(at, ["when"])), then: compile(c.then, child(at, ["then"])) };
  });
  const fallback = otherwise === undefined ? undefined : compile(otherwise, child(ctx, ["else"]));
  const pick = (v: unknown, f: Frame): Node | undefined => cases.find((c) => c.when.holds(v, f))?.then ?? fallback;
  return {
    describe: cases.map((c) => `if ${c.when.describe} then ${c.then.describe}`).join("; "),
    holds: (v, f) => pick(v, f)?.holds(v, f) ?? true,
    truth: (v, f) => {
      // The first case whose `when` holds decides; an unknown `when` before it leaves the outcome unknown.
      for (const c of cases) {
        const w = c.when.truth(v, f);
        if (w === true) return c.then.truth(v, f);
        if (w !== false) return w;
      }
      return fallback ? fallback.truth(v, f) : true;
    },
    explain: (v, f) => pick(v, f)?.explain(v, f) ?? [],
  };
}

function withMessage(node: Node, message: string): Node {
  return {
    describe: node.describe,
    holds: node.holds,
    truth: node.truth,
    explain: (v, f) => {
      const inner = node.explain(v, f);
      return [{ reason: message, evidence: mergeEvidence(inner) }];
    },
  };
}

/**
 * Evidence of a nested failure under an outer label: `key` names the outermost item and
 * `<key>s` the whole chain, so an inner quantifier or ref never hides the outer one.
 */
function nest(evidence: Record<string, unknown>, key: string, value: string): Record<string, unknown> {
  const chainKey = `${key}s`;
  const inner = Array.isArray(evidence[chainKey]) ? (evidence[chainKey] as unknown[]) : evidence[key] !== undefined ? [evidence[key]] : [];
  const out: Record<string, unknown> = { ...evidence, [key]: value };
  if (inner.length > 0) out[chainKey] = [value, ...inner];
  return out;
}

function mergeEvidence(failures: Failure[]): Record<string, unknown> {
  if (failures.length === 1) return failures[0]!.evidence;
  return { details: failures.map((f) => ({ reason: f.reason, ...f.evidence })) };
}

// ---------------------------------------------------------------- paths and needs

function path(raw: unknown, ctx: Ctx, sub: Array<string | number>): CompiledPath {
  if (typeof raw !== "string") fail(ctx, "a path must be a string", sub);
  let compiled: CompiledPath;
  try {
    compiled = compilePath(raw);
  } catch (err) {
    if (err instanceof PathSyntaxError) fail(ctx, err.message, sub);
    throw err;
  }
  recordNeed(ctx, compiled);
  return compiled;
}

/** A path or a list of paths whose values are concatenated. */
function paths(raw: unknown, ctx: Ctx, sub: Array<string | number>): { text: string; getAll: (v: unknown, f: Frame) => unknown[] } {
  if (Array.isArray(raw)) {
    if (raw.length === 0) fail(ctx, "a list of paths must not be empty", sub);
    const list = raw.map((r, i) => path(r, ctx, [...sub, i]));
    return { text: list.map((p) => p.text).join(" + "), getAll: (v, f) => list.flatMap((p) => p.getAll(v, f)) };
  }
  const one = path(raw, ctx, sub);
  return { text: one.text, getAll: one.getAll };
}

function recordNeed(ctx: Ctx, p: CompiledPath): void {
  if (ctx.resourceType === null || p.rootField === undefined) return;
  addNeed(ctx.needs, ctx.resourceType, p.rootField);
}

function addLookup(ctx: Ctx, type: string, fields: Iterable<string>): void {
  let set = ctx.lookups.fields.get(type);
  if (!set) ctx.lookups.fields.set(type, (set = new Set()));
  const idField = (resourceType(type) ?? childType(type)?.child)?.idField;
  if (idField) set.add(idField);
  for (const f of fields) set.add(f);
}

export function addNeed(needs: Needs, type: string, field: string): void {
  let set = needs.get(type);
  if (!set) needs.set(type, (set = new Set()));
  set.add(field);
}

// ---------------------------------------------------------------- value conditions

type Value = (f: Frame) => unknown;

function value(raw: unknown, ctx: Ctx, sub: Array<string | number>): { get: Value; text: string } {
  let interpolated;
  try {
    interpolated = ctx.placeholders.interpolate(raw);
  } catch (err) {
    if (err instanceof PlaceholderError) fail(ctx, err.message, sub);
    throw err;
  }
  if ("constant" in interpolated) {
    const constant = interpolated.constant;
    return { get: () => constant, text: display(constant) };
  }
  const runtime = interpolated.runtime;
  return { get: (f) => runtime(f.region.vars as Record<RuntimeName, string>), text: display(raw) };
}

function compileValueCondition(raw: Record<string, unknown>, keys: string[], ctx: Ctx): Node {
  const ops = keys.filter((k) => (VALUE_OPS as readonly string[]).includes(k));
  const subjects = keys.filter((k) => (SUBJECTS as readonly string[]).includes(k));
  if (ops.length === 0) fail(ctx, `a condition needs an operator: one of ${[...LOGIC, ...QUANTIFIERS, ...DOMAIN, ...VALUE_OPS].join(", ")}`);
  if (ops.length > 1) fail(ctx, `one operator per condition, found ${ops.join(" and ")}; combine them with all/any`, [ops[1]!]);
  if (subjects.length > 1) fail(ctx, "give either path or config, not both", ["config"]);
  const op = ops[0]!;
  let subject: { label: string; get: (v: unknown, f: Frame) => unknown; inner: boolean };
  let opCtx = ctx;
  if (raw.path !== undefined) {
    const p = path(raw.path, ctx, ["path"]);
    if (p.multi) fail(ctx, `"${p.text}" yields several values; use every/some/none/count for lists`, ["path"]);
    subject = { label: p.text, get: p.get, inner: true };
    opCtx = child(ctx, [], null);
  } else if (raw.config !== undefined) {
    const name = raw.config;
    if (typeof name !== "string" || !ctx.placeholders.has(name) || ctx.placeholders.isRuntime(name)) {
      fail(ctx, `config must name a configuration value: ${ctx.placeholders.names().join(", ")}`, ["config"]);
    }
    const constant = ctx.placeholders.value(name);
    subject = { label: `config ${name}`, get: () => constant, inner: true };
    opCtx = child(ctx, [], null);
  } else {
    subject = { label: "value", get: (v) => v, inner: false };
  }
  return VALUE_BUILDERS[op as (typeof VALUE_OPS)[number]](raw[op], subject, child(opCtx, [op]));
}

interface Subject {
  label: string;
  get: (v: unknown, f: Frame) => unknown;
}

type ValueBuilder = (arg: unknown, subject: Subject, ctx: Ctx) => Node;

/** A leaf: holds when `test(actual)`; failure text from `why(actual)`. */
function leaf(
  subject: Subject,
  describe: string,
  test: (actual: unknown, f: Frame) => boolean,
  why: (actual: unknown, f: Frame) => string,
  expected?: (f: Frame) => unknown,
  /** The test looks only at whether the value is there (exists, empty): a list with unknown items is still a list. */
  presenceOnly = false,
): Node {
  return {
    describe,
    holds: (v, f) => test(subject.get(v, f), f),
    truth: (v, f) => {
      const actual = subject.get(v, f);
      const unknown = presenceOnly ? unknownOf(actual) : unknownInside(actual);
      return unknown ?? test(actual, f);
    },
    explain: (v, f) => {
      const actual = subject.get(v, f);
      const evidence: Record<string, unknown> = { path: subject.label, actual: actual === undefined ? null : actual };
      if (expected) evidence.expected = expected(f);
      return [{ reason: why(actual, f), evidence }];
    },
  };
}

function is(subject: Subject, actual: unknown): string {
  return actual === undefined ? `${subject.label} is missing` : `${subject.label} is ${display(actual)}`;
}

const VALUE_BUILDERS: Record<(typeof VALUE_OPS)[number], ValueBuilder> = {
  equals: (arg, s, ctx) => {
    const expected = value(arg, ctx, []);
    const constant = constantPrimitive(expected, arg);
    const test = constant.is ? (a: unknown) => a === constant.value : (a: unknown, f: Frame) => deepEqual(a, expected.get(f));
    return leaf(s, `${s.label} equals ${expected.text}`, test, (a, f) => `${is(s, a)}, expected ${display(expected.get(f))}`, expected.get);
  },
  notEquals: (arg, s, ctx) => {
    const expected = value(arg, ctx, []);
    return leaf(
      s,
      `${s.label} is not ${expected.text}`,
      (a, f) => !deepEqual(a, expected.get(f)),
      (a) => `${is(s, a)}`,
      expected.get,
    );
  },
  in: (arg, s, ctx) => {
    const list = listValue(arg, ctx);
    const set = primitiveSet(list, arg);
    const test = set ? (a: unknown) => set.has(a) : (a: unknown, f: Frame) => list.get(f).some((x) => deepEqual(a, x));
    return leaf(s, `${s.label} is one of ${list.text}`, test, (a, f) => `${is(s, a)}, expected one of ${displayList(list.get(f))}`, list.get);
  },
  notIn: (arg, s, ctx) => {
    const list = listValue(arg, ctx);
    return leaf(
      s,
      `${s.label} is not one of ${list.text}`,
      (a, f) => !list.get(f).some((x) => deepEqual(a, x)),
      (a) => `${is(s, a)}`,
      list.get,
    );
  },
  regex: (arg, s, ctx) => {
    const spec = regexSpec(arg, ctx);
    return leaf(
      s,
      `${s.label} matches /${spec.written}/`,
      (a) => typeof a === "string" && spec.regex.test(a),
      (a) => (typeof a === "string" ? `${s.label} ${display(a)} does not match /${spec.written}/` : `${is(s, a)}, expected text matching /${spec.written}/`),
    );
  },
  exists: (arg, s, ctx) => {
    if (typeof arg !== "boolean") fail(ctx, "exists takes true or false");
    return leaf(
      s,
      `${s.label} ${arg ? "is set" : "is not set"}`,
      (a) => (a !== undefined) === arg,
      (a) => (arg ? `${s.label} is missing` : `${s.label} is set to ${display(a)}`),
      undefined,
      true,
    );
  },
  empty: (arg, s, ctx) => {
    if (typeof arg !== "boolean") fail(ctx, "empty takes true or false");
    return leaf(
      s,
      `${s.label} ${arg ? "is empty" : "is not empty"}`,
      (a) => isEmpty(a) === arg,
      (a) => (arg ? `${is(s, a)}, expected it empty` : `${s.label} is empty`),
      undefined,
      true,
    );
  },
  lt: (arg, s, ctx) => comparison(arg, s, ctx, "<", (a, b) => a < b),
  lte: (arg, s, ctx) => comparison(arg, s, ctx, "≤", (a, b) => a <= b),
  gt: (arg, s, ctx) => comparison(arg, s, ctx, ">", (a, b) => a > b),
  gte: (arg, s, ctx) => comparison(arg, s, ctx, "≥", (a, b) => a >= b),
  calendarDate: (arg, s, ctx) => {
    if (arg !== "YYYYMMDD" && arg !== "YYYY-MM-DD") fail(ctx, "calendarDate takes YYYYMMDD or YYYY-MM-DD");
    return leaf(
      s,
      `${s.label} is a ${arg} date`,
      (a) => typeof a === "string" && isCalendarDate(a, arg),
      (a) => `${is(s, a)}, not a valid ${arg} calendar date`,
    );
  },
  json: (arg, s, ctx) => transform(arg, s, ctx, "JSON", parseJsonMemo),
  imageRef: (arg, s, ctx) =>
    transform(arg, s, ctx, "an image reference", (text) =>
      typeof text === "string" && text.length > 0 ? { value: parseImageReference(text) } : { error: "not an image reference" },
    ),
};

/**
 * Most comparisons are against a config value or a literal known at compile time: a string,
 * number or boolean is compared with === (what deepEqual does for them) without a call per test.
 */
function constantPrimitive(v: { get: Value }, written: unknown): { is: true; value: unknown } | { is: false } {
  if (typeof written === "string" && /\{(accountId|region)\}/.test(written)) return { is: false };
  const value = v.get({} as Frame);
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? { is: true, value } : { is: false };
}

/** A constant list of primitives as a Set (membership by ===, as deepEqual decides for them). */
function primitiveSet(list: { get: (f: Frame) => unknown[] }, written: unknown): Set<unknown> | undefined {
  if (JSON.stringify(written ?? null).match(/\{(accountId|region)\}/)) return undefined;
  const items = list.get({} as Frame);
  return items.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x)) ? new Set(items) : undefined;
}

function comparison(arg: unknown, s: Subject, ctx: Ctx, symbol: string, cmp: (a: number, b: number) => boolean): Node {
  const bound = value(arg, ctx, []);
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
}

function listValue(arg: unknown, ctx: Ctx): { get: (f: Frame) => unknown[]; text: string } {
  const v = value(arg, ctx, []);
  const check = (x: unknown): unknown[] => {
    if (!Array.isArray(x)) fail(ctx, "in/notIn take a list (or a list placeholder such as {projects})");
    return x;
  };
  const probe = arg;
  if (!Array.isArray(probe) && !(typeof probe === "string" && probe.startsWith("{")))
    fail(ctx, "in/notIn take a list (or a list placeholder such as {projects})");
  return { get: (f) => check(v.get(f)), text: v.text };
}

function regexSpec(arg: unknown, ctx: Ctx): { regex: CompiledRegex; written: string } {
  let pattern: unknown = arg;
  let flags = "";
  if (isMapping(arg)) {
    pattern = arg.pattern;
    flags = typeof arg.flags === "string" ? arg.flags : "";
    const extra = Object.keys(arg).find((k) => k !== "pattern" && k !== "flags");
    if (extra) fail(ctx, `unknown key "${extra}" in regex (pattern, flags)`, [extra]);
    if (!/^i?$/.test(flags)) fail(ctx, 'regex flags may only be "i"', ["flags"]);
  }
  if (typeof pattern !== "string") fail(ctx, "regex takes a pattern string or { pattern, flags }");
  let expanded: string;
  try {
    expanded = ctx.placeholders.regex(pattern);
  } catch (err) {
    if (err instanceof PlaceholderError) fail(ctx, err.message);
    throw err;
  }
  try {
    return { regex: compileRegex(expanded, flags), written: pattern };
  } catch (err) {
    fail(ctx, `invalid regex /${pattern}/: ${(err as Error).message}`);
  }
}

type Parsed = { value?: unknown; error?: string };

/** Deepest nesting of a JSON document inside a resource (key policy, lifecycle policy). */
const MAX_EMBEDDED_JSON_DEPTH = 64;

/** JSON strings (policies, lifecycle policies) are parsed once per resource and shared by its rules. */
function parseJsonMemo(text: unknown, f: Frame): Parsed {
  if (typeof text !== "string") return typeof text === "object" && text !== null ? { value: text } : { error: "not a JSON string" };
  const memo = f.region.parsed;
  let parsed = memo.get(text);
  if (!parsed) {
    try {
      const value: unknown = JSON.parse(text);
      // A policy nested deeper than any real one would overflow the stack later (evidence in reports).
      parsed = nestsDeeperThan(value, MAX_EMBEDDED_JSON_DEPTH) ? { error: `nested deeper than ${MAX_EMBEDDED_JSON_DEPTH} levels` } : { value };
    } catch (err) {
      parsed = { error: `not valid JSON (${(err as Error).message})` };
    }
    memo.set(text, parsed);
  }
  return parsed;
}

/** Applies a condition to a value derived from the subject (parsed JSON, a parsed image reference). */
function transform(arg: unknown, s: Subject, ctx: Ctx, what: string, convert: (v: unknown, f: Frame) => Parsed): Node {
  const inner = compile(arg, child(ctx, [], null));
  const run = (v: unknown, f: Frame): { missing: true } | { error: string } | { value: unknown } => {
    const actual = s.get(v, f);
    if (actual === undefined) return { missing: true };
    const parsed = convert(actual, f);
    return parsed.error !== undefined ? { error: parsed.error } : { value: parsed.value };
  };
  return {
    describe: `${s.label} as ${what}: ${inner.describe}`,
    holds: (v, f) => {
      const r = run(v, f);
      return "value" in r && inner.holds(r.value, f);
    },
    truth: (v, f) => {
      const unknown = unknownOf(s.get(v, f));
      if (unknown) return unknown;
      const r = run(v, f);
      return "value" in r && inner.truth(r.value, f);
    },
    explain: (v, f) => {
      const r = run(v, f);
      if ("missing" in r) return [{ reason: `${s.label} is missing`, evidence: { path: s.label, actual: null } }];
      if ("error" in r) return [{ reason: `${s.label} is ${r.error}`, evidence: { path: s.label, error: r.error } }];
      return inner.explain(r.value, f);
    },
  };
}

// ---------------------------------------------------------------- quantifiers

function quantifierBody(raw: unknown, ctx: Ctx, needsCheck: boolean) {
  if (!isMapping(raw)) fail(ctx, "takes { path, where?, check, label? }");
  const extra = Object.keys(raw).find((k) => !["path", "where", "check", "label"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" (expected path, where, check, label)`, [extra]);
  if (raw.path === undefined) fail(ctx, "missing path");
  if (needsCheck && raw.check === undefined) fail(ctx, "missing check");
  const items = paths(raw.path, ctx, ["path"]);
  const inner = child(ctx, [], null);
  const where = raw.where === undefined ? undefined : compile(raw.where, child(inner, ["where"]));
  const check = raw.check === undefined ? undefined : compile(raw.check, child(inner, ["check"]));
  const label = raw.label === undefined ? undefined : path(raw.label, inner, ["label"]);
  const selected = (v: unknown, f: Frame) => {
    const all = items.getAll(v, f);
    return where ? all.filter((x) => where.holds(x, f)) : all;
  };
  const labelOf = (item: unknown, index: number, f: Frame): string => {
    const l = label?.get(item, f);
    if (l !== undefined) return String(l);
    // A list of strings or numbers: the item names itself ("release-1").
    if (typeof item === "string" || typeof item === "number") return String(item);
    return `${items.text} #${index + 1}`;
  };
  /** Per item: is it selected (where), does it match (check)? An Unresolved item is unknown on both. */
  const judged = (v: unknown, f: Frame): Array<{ item: unknown; index: number; selected: Truth; matches: Truth }> =>
    items.getAll(v, f).map((item, index) => {
      const u = unknownOf(item);
      if (u) return { item, index, selected: where ? u : true, matches: check ? u : true };
      return { item, index, selected: where ? where.truth(item, f) : true, matches: check ? check.truth(item, f) : true };
    });
  /** The list itself not known (a whole list from a parameter without value). */
  const unknownList = (v: unknown, f: Frame): Unknown | undefined => {
    const raw = items.getAll(v, f);
    return raw.length === 1 && isUnresolved(raw[0]) ? unknownOf(raw[0]) : undefined;
  };
  return { items, where, check, selected, labelOf, judged, unknownList };
}

function compileQuantifier(kind: "every" | "some" | "none", raw: unknown, ctx: Ctx): Node {
  const q = quantifierBody(raw, ctx, kind === "every");
  const matches = (x: unknown, f: Frame) => (q.check ? q.check.holds(x, f) : true);
  const what = `${q.items.text}${q.where ? ` where ${q.where.describe}` : ""}`;
  if (kind === "every") {
    return {
      describe: `every ${what}: ${q.check!.describe}`,
      holds: (v, f) => q.selected(v, f).every((x) => matches(x, f)),
      // An item fails when it is selected and does not match; unknown when either is unknown.
      truth: (v, f) => q.unknownList(v, f) ?? and(q.judged(v, f).map((j) => or([notTruth(j.selected), j.matches]))),
      explain: (v, f) =>
        q.selected(v, f).flatMap((x, i) => {
          if (f.region.uncertain ? q.check!.truth(x, f) !== false : matches(x, f)) return [];
          const item = q.labelOf(x, i, f);
          return q.check!.explain(x, f).map((fl) => ({ reason: `${item}: ${fl.reason}`, evidence: nest(fl.evidence, "item", item) }));
        }),
    };
  }
  if (kind === "some") {
    return {
      describe: `some ${what}${q.check ? `: ${q.check.describe}` : ""}`,
      holds: (v, f) => q.selected(v, f).some((x) => matches(x, f)),
      truth: (v, f) => q.unknownList(v, f) ?? or(q.judged(v, f).map((j) => and([j.selected, j.matches]))),
      explain: (v, f) => {
        const candidates = q.selected(v, f);
        const reason = candidates.length === 0 ? `no ${what}` : `no ${what} has ${q.check!.describe}`;
        return [{ reason, evidence: { path: q.items.text, candidates: candidates.length } }];
      },
    };
  }
  return {
    describe: `no ${what}${q.check ? `: ${q.check.describe}` : ""}`,
    holds: (v, f) => !q.selected(v, f).some((x) => matches(x, f)),
    truth: (v, f) => q.unknownList(v, f) ?? notTruth(or(q.judged(v, f).map((j) => and([j.selected, j.matches])))),
    explain: (v, f) =>
      q.selected(v, f).flatMap((x, i) => {
        if (f.region.uncertain ? (q.check ? q.check.truth(x, f) !== true : false) : !matches(x, f)) return [];
        const item = q.labelOf(x, i, f);
        return [{ reason: `${item}: ${q.check ? q.check.describe : `matches ${q.where?.describe ?? "the condition"}`}`, evidence: { item } }];
      }),
  };
}

function countBounds(raw: Record<string, unknown>, ctx: Ctx): { test: (n: number) => boolean; text: string } {
  const bounds: Array<[string, (n: number, b: number) => boolean, string]> = [
    ["equals", (n, b) => n === b, "="],
    ["lt", (n, b) => n < b, "<"],
    ["lte", (n, b) => n <= b, "≤"],
    ["gt", (n, b) => n > b, ">"],
    ["gte", (n, b) => n >= b, "≥"],
  ];
  const active = bounds
    .filter(([k]) => raw[k] !== undefined)
    .map(([k, cmp, sym]) => {
      const b = value(raw[k], ctx, [k]).get({} as Frame);
      if (typeof b !== "number") fail(ctx, `${k} takes a number`, [k]);
      return { test: (n: number) => cmp(n, b), text: `${sym} ${b}` };
    });
  if (active.length === 0) fail(ctx, "count needs a bound: equals, lt, lte, gt or gte");
  return { test: (n) => active.every((a) => a.test(n)), text: active.map((a) => a.text).join(" and ") };
}

/** A count known to lie in [lo, hi]: the bound holds for all, none, or some of those counts. */
function boundTruth(test: (n: number) => boolean, lo: number, hi: number, unknown: Unknown[]): Truth {
  if (lo === hi) return test(lo);
  let yes = 0;
  for (let n = lo; n <= hi; n++) if (test(n)) yes++;
  if (yes === 0) return false;
  if (yes === hi - lo + 1) return true;
  return mergeUnknown(unknown);
}

function compileCount(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "count takes { path, where?, equals|lt|lte|gt|gte }");
  const extra = Object.keys(raw).find((k) => !["path", "where", "equals", "lt", "lte", "gt", "gte"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in count`, [extra]);
  const q = quantifierBody({ path: raw.path, where: raw.where }, ctx, false);
  const bound = countBounds(raw, ctx);
  const what = `${q.items.text}${q.where ? ` where ${q.where.describe}` : ""}`;
  return {
    describe: `count of ${what} ${bound.text}`,
    holds: (v, f) => bound.test(q.selected(v, f).length),
    truth: (v, f) => {
      const whole = q.unknownList(v, f);
      if (whole) return whole;
      const judged = q.judged(v, f);
      const unknown = judged.map((j) => j.selected).filter(isUnknown);
      const lo = judged.filter((j) => j.selected === true).length;
      return boundTruth(bound.test, lo, lo + unknown.length, unknown);
    },
    explain: (v, f) => {
      const n = q.selected(v, f).length;
      return [{ reason: `${what} has ${n} item${n === 1 ? "" : "s"}, expected ${bound.text}`, evidence: { path: q.items.text, count: n } }];
    },
  };
}

// ---------------------------------------------------------------- cross-resource

function typeName(raw: unknown, ctx: Ctx, sub: Array<string | number>): string {
  const names = knownTypeNames();
  if (typeof raw !== "string" || !names.includes(raw))
    fail(ctx, `unknown resource type ${JSON.stringify(raw)}${typeof raw === "string" ? suggest(raw, names) : ""}`, sub);
  return raw;
}

function shortType(type: string): string {
  return type.split("::").pop()!;
}

/** References by id (a job's subnets, a model's package): each must exist; `check` applies to each. */
function compileRef(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "ref takes { path, type, check? }");
  const extra = Object.keys(raw).find((k) => !["path", "type", "check"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in ref (path, type, check)`, [extra]);
  const type = typeName(raw.type, ctx, ["type"]);
  const ids = paths(raw.path, ctx, ["path"]);
  const refNeeds: Needs = new Map();
  const check = raw.check === undefined ? undefined : compile(raw.check, { ...child(ctx, ["check"], type), needs: refNeeds });
  for (const [t, fields] of refNeeds) for (const field of fields) addNeed(ctx.needs, t, field);
  addLookup(ctx, type, refNeeds.get(type) ?? []);
  // Calls whose data the check reads on the referenced resource: a failure recorded against it makes the answer unknown.
  const refDef = resourceType(type);
  const refOps = new Set([...(refNeeds.get(type) ?? [])].flatMap((field) => (refDef ? operationsForField(refDef, field) : [])));
  const resolve = (v: unknown, f: Frame) =>
    ids.getAll(v, f).map((id) => {
      if (isUnresolved(id)) return { id: "(unresolved)", target: undefined, unknown: unknownOf(id) };
      const key = String(id);
      const target = f.region.lookup(type, key);
      if (target === undefined) {
        const because = f.region.missingBecause(type, key);
        if (because) throw new IncompleteData(`${shortType(type)} ${key} could not be read: ${because}`);
      } else if (check && refDef) {
        const failed = f.region.errorsFor(type, key).find((e) => refOps.has(e.operation));
        if (failed) throw new IncompleteData(`${shortType(type)} ${key} could not be read completely: ${describeError(failed)}`);
      }
      return { id: key, target, unknown: undefined };
    });
  const frameFor = (f: Frame, id: string, target: ResourceObject): Frame => ({ resource: target, type, id, region: f.region });
  return {
    describe: `${ids.text} refers to existing ${type}${check ? ` where ${check.describe}` : ""}`,
    holds: (v, f) => resolve(v, f).every((r) => r.target !== undefined && (!check || check.holds(r.target, frameFor(f, r.id, r.target)))),
    truth: (v, f) => and(resolve(v, f).map((r) => r.unknown ?? (r.target !== undefined && (!check || check.truth(r.target, frameFor(f, r.id, r.target)))))),
    explain: (v, f) =>
      resolve(v, f).flatMap((r): Failure[] => {
        if (r.unknown) return [];
        if (r.target === undefined) {
          return [{ reason: `${ids.text} names ${shortType(type)} ${r.id}, which is not in the snapshot`, evidence: { missing: r.id, type } }];
        }
        const fr = frameFor(f, r.id, r.target);
        if (!check || (f.region.uncertain ? check.truth(r.target, fr) !== false : check.holds(r.target, fr))) return [];
        return check.explain(r.target, fr).map((fl) => ({ reason: `${shortType(type)} ${r.id}: ${fl.reason}`, evidence: nest(fl.evidence, "ref", r.id) }));
      }),
  };
}

/** Resources that point back at this one (security groups whose VpcId is this VPC). */
function compileRelated(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "related takes { type, key, value, some|every|none|count }");
  const type = typeName(raw.type, ctx, ["type"]);
  if (childType(type)) fail(ctx, "related works on top-level resource types", ["type"]);
  const quantifiers = ["some", "every", "none", "count"].filter((k) => raw[k] !== undefined);
  const extra = Object.keys(raw).find((k) => !["type", "key", "value", "some", "every", "none", "count"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in related`, [extra]);
  if (quantifiers.length !== 1) fail(ctx, "related takes exactly one of some, every, none, count");
  if (typeof raw.key !== "string") fail(ctx, "key must name a field of the related type", ["key"]);
  const key = raw.key;
  const own = path(raw.value, ctx, ["value"]);
  // The whole list of that type matters (counts, "has one named …"): a failed list call makes the answer unknown.
  addNeed(ctx.needs, type, key);
  const listCtx = child(ctx, [], null);
  const kind = quantifiers[0]!;
  const items = (v: unknown, f: Frame) => f.region.related(type, key, own.get(v, f));
  const relatedNeeds: Needs = new Map();
  const inner = kind === "count" ? undefined : compile(raw[kind], { ...child(ctx, [kind], type), needs: relatedNeeds });
  for (const [t, fields] of relatedNeeds) for (const field of fields) addNeed(ctx.needs, t, field);
  addLookup(ctx, type, [key, ...(relatedNeeds.get(type) ?? [])]);
  const bound = kind === "count" ? countBounds(raw.count as Record<string, unknown>, child(listCtx, ["count"])) : undefined;
  const idField = resourceType(type)!.idField;
  const frameFor = (f: Frame, r: ResourceObject): Frame => ({ resource: r, type, id: String(r[idField]), region: f.region });
  const holdsFor = (r: ResourceObject, f: Frame) => inner!.holds(r, frameFor(f, r));
  const what = `${type} with ${key} = ${own.text}`;
  // Planned resources whose key is not known may or may not be related.
  const truth = (v: unknown, f: Frame): Truth => {
    const value = own.get(v, f);
    const unknownValue = unknownOf(value);
    if (unknownValue) return unknownValue;
    const sure = items(v, f);
    const maybe = f.region.relatedUnknown(type, key);
    const maybeUnknown = maybe.map((r) => unknownOf(r[key])!);
    if (kind === "count") return boundTruth(bound!.test, sure.length, sure.length + maybe.length, maybeUnknown);
    const t = (r: ResourceObject) => inner!.truth(r, frameFor(f, r));
    if (kind === "some") return or([...sure.map(t), ...maybe.map((r, i) => and([maybeUnknown[i]!, t(r)]))]);
    if (kind === "every") return and([...sure.map(t), ...maybe.map((r, i) => or([maybeUnknown[i]!, t(r)]))]);
    return notTruth(or([...sure.map(t), ...maybe.map((r, i) => and([maybeUnknown[i]!, t(r)]))]));
  };
  return {
    describe: kind === "count" ? `count of ${what} ${bound!.text}` : `${kind} ${what}: ${inner!.describe}`,
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
}

/** Is any of this resource's identifiers used in a field of other resources (a KMS key used by SageMaker)? */
function compileReferencedBy(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "referencedBy takes { types, fields, values }");
  const extra = Object.keys(raw).find((k) => !["types", "fields", "values"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in referencedBy`, [extra]);
  if (!Array.isArray(raw.types) || raw.types.length === 0) fail(ctx, "types must be a list of resource types", ["types"]);
  const types = raw.types.map((t, i) => typeName(t, ctx, ["types", i]));
  if (!Array.isArray(raw.fields) || raw.fields.length === 0 || !raw.fields.every((x) => typeof x === "string"))
    fail(ctx, "fields must be a list of field names", ["fields"]);
  const fields = raw.fields as string[];
  const values = paths(raw.values, ctx, ["values"]);
  const spec: ReferenceSpec = { key: `${types.join(",")}\u0000${fields.join(",")}`, types, fields };
  ctx.lookups.references.set(spec.key, spec);
  const find = (v: unknown, f: Frame): boolean => {
    const set = f.region.referenceSet(spec);
    if (values.getAll(v, f).some((x) => typeof x === "string" && set.has(x))) return true;
    // Not found: only a finding if those resources were all read.
    const blind = types.find((t) => f.region.hasAnyErrors(t));
    if (blind) throw new IncompleteData(`cannot tell whether any ${blind} references it: ${blind} was not read completely`);
    return false;
  };
  return {
    describe: `referenced by ${types.map(shortType).join("/")} (${fields.join(", ")})`,
    holds: find,
    truth: (v, f) => {
      const own = values.getAll(v, f);
      const set = f.region.referenceSet(spec);
      if (own.some((x) => typeof x === "string" && set.has(x))) return true;
      // A referencing field that is not known may name this resource.
      const unknown = [...own.map(unknownOf), ...f.region.referenceUnknowns(spec).map((c) => new Unknown([c]))].filter((u): u is Unknown => u !== undefined);
      if (unknown.length > 0) return mergeUnknown(unknown);
      return find(v, f);
    },
    explain: () => [{ reason: `not referenced by any ${types.map(shortType).join(", ")}`, evidence: {} }],
  };
}

// ---------------------------------------------------------------- security groups

function flowRows(raw: unknown, ctx: Ctx, key: string): FlowSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(ctx, `${key} takes a non-empty list of { protocol, port?, source }`, [key]);
  return raw.map((r, i) => {
    const at: Array<string | number> = [key, i];
    if (!isMapping(r)) fail(ctx, "each row is { protocol, port?, source }", at);
    const extra = Object.keys(r).find((k) => !["protocol", "port", "source"].includes(k));
    if (extra) fail(ctx, `unknown key "${extra}" (protocol, port, source)`, [...at, extra]);
    if (typeof r.protocol !== "string") fail(ctx, "protocol: all, any, tcp, udp, icmp, icmpv6 or a protocol number", [...at, "protocol"]);
    if (r.port !== undefined && (!Number.isInteger(r.port) || (r.port as number) < 0 || (r.port as number) > 65535))
      fail(ctx, "port must be an integer 0-65535", [...at, "port"]);
    const source = r.source;
    const okSource =
      source === "self" ||
      source === "vpcCidr" ||
      source === "any" ||
      (isMapping(source) && typeof source.cidr === "string" && parseCidr(source.cidr) !== undefined);
    if (!okSource) fail(ctx, "source: self, vpcCidr, any, or { cidr: <block> }", [...at, "source"]);
    const row: FlowSpec = { protocol: r.protocol, source: source as FlowSpec["source"] };
    if (r.port !== undefined) row.port = r.port as number;
    return row;
  });
}

/** Design flow tables for a security group: `only` these rows, `include` these flows, `none` of these. */
function compilePermissions(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "permissions takes { direction, only|include|none }");
  const extra = Object.keys(raw).find((k) => !["direction", "only", "include", "none"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in permissions`, [extra]);
  if (raw.direction !== "ingress" && raw.direction !== "egress") fail(ctx, "direction: ingress or egress", ["direction"]);
  const direction = raw.direction;
  const modes = (["only", "include", "none"] as const).filter((k) => raw[k] !== undefined);
  if (modes.length !== 1) fail(ctx, "permissions takes exactly one of only, include, none");
  const mode = modes[0]!;
  const rows = flowRows(raw[mode], ctx, mode);
  const field = direction === "ingress" ? "IpPermissions" : "IpPermissionsEgress";
  const usesVpc = rows.some((r) => r.source === "vpcCidr");
  if (ctx.resourceType !== null) {
    addNeed(ctx.needs, ctx.resourceType, field);
    if (usesVpc) addNeed(ctx.needs, "AWS::EC2::VPC", "CidrBlockAssociationSet");
  }
  if (usesVpc) addLookup(ctx, "AWS::EC2::VPC", ["CidrBlockAssociationSet"]);
  const word: "from" | "to" = direction === "ingress" ? "from" : "to";

  const groupOf = (sg: Record<string, unknown>, f: Frame): GroupContext | { missingVpc: string } => {
    const groupId = String(sg.GroupId ?? "");
    if (!usesVpc) return { groupId, vpcCidrs: [] };
    const vpcId = String(sg.VpcId ?? "");
    const vpc = f.region.lookup("AWS::EC2::VPC", vpcId);
    if (!vpc) {
      const because = f.region.missingBecause("AWS::EC2::VPC", vpcId);
      if (because) throw new IncompleteData(`VPC ${vpcId} could not be read: ${because}`);
      return { missingVpc: vpcId };
    }
    return { groupId, vpcCidrs: associatedBlocks(vpc) };
  };

  const violations = (v: unknown, f: Frame): Failure[] => {
    if (!isMapping(v)) return [{ reason: "not a security group", evidence: {} }];
    const group = groupOf(v, f);
    if ("missingVpc" in group)
      return [{ reason: `the group's VPC ${group.missingVpc} is not in the snapshot`, evidence: { missing: group.missingVpc, type: "AWS::EC2::VPC" } }];
    const entries = expandPermissions(v[field]);
    if (mode === "include") {
      return rows
        .filter((row) => !flowIsCovered(row, entries, group))
        .map((row) => ({
          reason: `no ${direction} permission allows ${describeRow(row, word)}`,
          evidence: {
            direction,
            missing: describeRow(row, word),
            protocol: row.protocol,
            port: row.port ?? null,
            source: typeof row.source === "string" ? row.source : row.source.cidr,
          },
        }));
    }
    const bad = entries.filter((e) => {
      const matched = rows.some((row) => entryIsRow(e, row, group));
      return mode === "only" ? !matched : matched;
    });
    return bad.map((e) => entryFailure(e, group, direction, word));
  };
  const describe = `${direction} ${mode} ${rows.map((r) => describeRow(r, word)).join(", ")}`;

  // Planned groups: each entry is a definite violation, a possible one, or fine.
  const uncertainGroup = (sg: Record<string, unknown>, f: Frame): UncertainGroup | { missingVpc: string } => {
    if (!usesVpc) return { groupId: String(sg.GroupId ?? ""), vpcCidrs: [] };
    const vpcUnknown = unknownOf(sg.VpcId);
    if (vpcUnknown) return { groupId: String(sg.GroupId ?? ""), vpcCidrs: [], vpcUnknown };
    const group = groupOf(sg, f);
    if ("missingVpc" in group) return group;
    const vpc = f.region.lookup("AWS::EC2::VPC", String(sg.VpcId ?? ""));
    const blocks = vpc ? unknownInside(vpc.CidrBlockAssociationSet) : undefined;
    return blocks ? { ...group, vpcUnknown: blocks } : group;
  };
  const judge = (v: unknown, f: Frame): { definite: Failure[]; unknown: Truth } => {
    if (!isMapping(v)) return { definite: [{ reason: "not a security group", evidence: {} }], unknown: true };
    const whole = unknownOf(v[field]);
    if (whole) return { definite: [], unknown: whole };
    const group = uncertainGroup(v, f);
    if ("missingVpc" in group)
      return {
        definite: [{ reason: `the group's VPC ${group.missingVpc} is not in the snapshot`, evidence: { missing: group.missingVpc, type: "AWS::EC2::VPC" } }],
        unknown: true,
      };
    const entries = expandUncertain(v[field]);
    const definite: Failure[] = [];
    const unknown: Truth[] = [];
    if (mode === "include") {
      for (const row of rows) {
        const t = flowIsCoveredTruth(row, entries, group);
        if (t === false)
          definite.push({
            reason: `no ${direction} permission allows ${describeRow(row, word)}`,
            evidence: {
              direction,
              missing: describeRow(row, word),
              protocol: row.protocol,
              port: row.port ?? null,
              source: typeof row.source === "string" ? row.source : row.source.cidr,
            },
          });
        else unknown.push(t);
      }
    } else {
      for (const u of entries) {
        const matched = or(rows.map((row) => entryIsRowTruth(u, row, group)));
        const bad = mode === "only" ? notTruth(matched) : matched;
        if (bad === true) definite.push(entryFailure(u.entry, group, direction, word));
        else unknown.push(notTruth(bad));
      }
    }
    return { definite, unknown: and(unknown) };
  };
  return {
    describe,
    holds: (v, f) => violations(v, f).length === 0,
    truth: (v, f) => {
      const j = judge(v, f);
      return j.definite.length > 0 ? false : j.unknown;
    },
    explain: (v, f) => (f.region.uncertain ? judge(v, f).definite : violations(v, f)),
  };
}

function entryFailure(e: PermissionEntry, group: GroupContext, direction: string, word: string): Failure {
  const source = describeSource(e.source, group);
  return {
    reason: `${direction} ${e.traffic} ${word} ${source}`,
    evidence: {
      direction,
      permission: e.traffic,
      protocol: e.protocol,
      fromPort: e.ports?.from ?? null,
      toPort: e.ports?.to ?? null,
      source: e.source.value,
      sourceType: e.source.kind,
    },
  };
}

function associatedBlocks(vpc: ResourceObject): Cidr[] {
  const set = vpc.CidrBlockAssociationSet;
  if (!Array.isArray(set)) return [];
  const blocks: Cidr[] = [];
  for (const a of set) {
    if (!isMapping(a) || !isMapping(a.CidrBlockState) || a.CidrBlockState.State !== "associated") continue;
    const c = typeof a.CidrBlock === "string" ? parseCidr(a.CidrBlock) : undefined;
    if (c && c.version === 4) blocks.push(c);
  }
  return blocks;
}

// ---------------------------------------------------------------- IAM policies

interface StatementCheck {
  describe: string;
  /** Problems of one statement; empty when it passes. */
  problems(st: Statement, f: Frame): string[];
}

function compileStatementFilter(raw: unknown, ctx: Ctx): (st: Statement) => boolean {
  if (raw === undefined) return () => true;
  if (!isMapping(raw)) fail(ctx, "where takes { effect?, principalService?, principalEveryone? }");
  const extra = Object.keys(raw).find((k) => !["effect", "principalService", "principalEveryone"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in where (effect, principalService, principalEveryone)`, [extra]);
  const tests: Array<(st: Statement) => boolean> = [];
  if (raw.effect !== undefined) {
    if (raw.effect !== "Allow" && raw.effect !== "Deny") fail(ctx, "effect: Allow or Deny", ["effect"]);
    const allow = raw.effect === "Allow";
    tests.push((st) => isAllow(st) === allow);
  }
  if (raw.principalService !== undefined) {
    if (typeof raw.principalService !== "string") fail(ctx, "principalService takes a service principal", ["principalService"]);
    const service = raw.principalService.toLowerCase();
    tests.push((st) => principalServices(st).includes(service));
  }
  if (raw.principalEveryone !== undefined) {
    if (typeof raw.principalEveryone !== "boolean") fail(ctx, "principalEveryone takes true or false", ["principalEveryone"]);
    const want = raw.principalEveryone;
    tests.push((st) => principalIsEveryone(st) === want);
  }
  return (st) => tests.every((t) => t(st));
}

function compileStatementCheck(raw: unknown, ctx: Ctx): StatementCheck {
  if (!isMapping(raw)) fail(ctx, "takes { hasCondition?, actionsWithin?, condition? }");
  const extra = Object.keys(raw).find((k) => !["hasCondition", "actionsWithin", "condition"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" (hasCondition, actionsWithin, condition)`, [extra]);
  const checks: StatementCheck[] = [];
  if (raw.hasCondition !== undefined) {
    if (typeof raw.hasCondition !== "boolean") fail(ctx, "hasCondition takes true or false", ["hasCondition"]);
    const want = raw.hasCondition;
    checks.push({
      describe: want ? "has a Condition" : "has no Condition",
      problems: (st) => (hasCondition(st) === want ? [] : [want ? "has no Condition" : "has a Condition"]),
    });
  }
  if (raw.actionsWithin !== undefined) {
    if (!Array.isArray(raw.actionsWithin) || !raw.actionsWithin.every((a) => typeof a === "string"))
      fail(ctx, "actionsWithin takes a list of actions", ["actionsWithin"]);
    const allowed = raw.actionsWithin as string[];
    checks.push({
      describe: `allows only ${allowed.join(", ")}`,
      problems: (st) => {
        const beyond = actionsBeyond(st, allowed);
        return beyond.length === 0 ? [] : [`allows ${beyond.join(", ")} beyond ${allowed.join(", ")}`];
      },
    });
  }
  if (raw.condition !== undefined) checks.push(compileConditionCheck(raw.condition, child(ctx, ["condition"])));
  if (checks.length === 0) fail(ctx, "give at least one of hasCondition, actionsWithin, condition");
  return { describe: checks.map((c) => c.describe).join(" and "), problems: (st, f) => checks.flatMap((c) => c.problems(st, f)) };
}

/** `{ operator: StringEquals, key: aws:SourceAccount, values: "{accountId}", only: true }` */
function compileConditionCheck(raw: unknown, ctx: Ctx): StatementCheck {
  if (!isMapping(raw)) fail(ctx, "condition takes { operator, key, values, only? }");
  const extra = Object.keys(raw).find((k) => !["operator", "key", "values", "only"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" (operator, key, values, only)`, [extra]);
  if (typeof raw.operator !== "string" || typeof raw.key !== "string") fail(ctx, "operator and key are strings");
  const operator = raw.operator;
  const key = raw.key;
  const expected = value(raw.values, ctx, ["values"]);
  const only = raw.only === true;
  const text = `${operator} ${key} ${only ? "only " : ""}${expected.text}`;
  return {
    describe: `has condition ${text}`,
    problems: (st, f) => {
      const wanted = ([] as unknown[]).concat(expected.get(f)).map(String);
      const actual = conditionValues(st, operator, key);
      if (actual === undefined || actual.length === 0) return [`has no ${operator} condition on ${key}`];
      const values = actual.map(String);
      const ok = only ? values.every((x) => wanted.includes(x)) : values.some((x) => wanted.includes(x));
      return ok ? [] : [`${operator} ${key} is ${displayList(values)}, expected ${only ? "only " : ""}${displayList(wanted)}`];
    },
  };
}

function compilePolicy(raw: unknown, ctx: Ctx): Node {
  if (!isMapping(raw)) fail(ctx, "policy takes { path, where?, every|none }");
  const extra = Object.keys(raw).find((k) => !["path", "where", "every", "none"].includes(k));
  if (extra) fail(ctx, `unknown key "${extra}" in policy (path, where, every, none)`, [extra]);
  const doc = path(raw.path ?? "Policy", ctx, ["path"]);
  const where = compileStatementFilter(raw.where, child(ctx, ["where"]));
  const modes = (["every", "none"] as const).filter((k) => raw[k] !== undefined);
  if (modes.length !== 1) fail(ctx, "policy takes exactly one of every, none");
  const mode = modes[0]!;
  const check = compileStatementCheck(raw[mode], child(ctx, [mode]));
  const evaluate = (v: unknown, f: Frame): Failure[] => {
    const text = doc.get(v, f);
    if (text === undefined) return [{ reason: `${doc.text} is missing`, evidence: { path: doc.text, actual: null } }];
    const parsed = parseJsonMemo(text, f);
    if (parsed.error !== undefined) return [{ reason: `${doc.text} is ${parsed.error}`, evidence: { path: doc.text, error: parsed.error } }];
    let statements: Statement[];
    try {
      statements = statementsOf(parsed.value);
    } catch (err) {
      if (err instanceof PolicyShapeError) return [{ reason: `${doc.text}: ${err.message}`, evidence: { path: doc.text, error: err.message } }];
      throw err;
    }
    const failures: Failure[] = [];
    for (const st of statements.filter(where)) {
      const problems = check.problems(st, f);
      const bad = mode === "every" ? problems.length > 0 : problems.length === 0;
      if (!bad) continue;
      const reasons = mode === "every" ? problems : [check.describe];
      failures.push({ reason: `${describeStatement(st)} ${reasons.join("; ")}`, evidence: { statement: st.sid ?? st.index + 1, problems: reasons } });
    }
    return failures;
  };
  // Planned key policies: a statement holding an Unresolved value is unknown as a whole.
  const judge = (v: unknown, f: Frame): { definite: Failure[]; unknown: Truth } => {
    const text = doc.get(v, f);
    const whole = unknownOf(text);
    if (whole) return { definite: [], unknown: whole };
    const parsed = text === undefined ? undefined : parseJsonMemo(text, f);
    const value = parsed?.value;
    const statementsRaw = isMapping(value) ? value.Statement : undefined;
    if (!isMapping(value) || statementsRaw === undefined) return { definite: evaluate(v, f), unknown: true };
    const wholeStatements = unknownOf(statementsRaw);
    if (wholeStatements) return { definite: [], unknown: wholeStatements };
    const list = Array.isArray(statementsRaw) ? statementsRaw : [statementsRaw];
    const unknown: Truth[] = [];
    const known: unknown[] = [];
    list.forEach((st) => {
      const u = unknownInside(st);
      if (u) unknown.push(u);
      known.push(u ? { Effect: "Deny", Sid: "(unresolved)" } : st);
    });
    const definite = evaluate({ ...(v as Record<string, unknown>), [doc.text]: JSON.stringify({ ...value, Statement: known }) }, f);
    return { definite, unknown: and(unknown) };
  };
  return {
    describe: `${mode} selected statement of ${doc.text} ${check.describe}`,
    holds: (v, f) => evaluate(v, f).length === 0,
    truth: (v, f) => {
      const j = judge(v, f);
      return j.definite.length > 0 ? false : j.unknown;
    },
    explain: (v, f) => (f.region.uncertain ? judge(v, f).definite : evaluate(v, f)),
  };
}

// ---------------------------------------------------------------- helpers

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v).length === 0;
  return false;
}

/** Short, deterministic rendering of a value for messages. */
export function display(v: unknown): string {
  if (v === undefined) return "missing";
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function displayList(list: readonly unknown[]): string {
  const shown = list.slice(0, 10).map(display).join(", ");
  return list.length > 10 ? `${shown}, … (${list.length} in all)` : shown;
}
