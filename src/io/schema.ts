import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv, ErrorObject, SchemaObject, ValidateFunction } from "ajv";
import type { Place, SagegateError } from "../errors.js";
import { suggest } from "./suggest.js";

/** The JSON Schemas shipped in `schemas/` (each with an `$id` so editors can offer completion). */
export const SCHEMA_IDS = {
  config: "https://sagegate.dev/schemas/config.schema.json",
  rule: "https://sagegate.dev/schemas/rule.schema.json",
  ruleTests: "https://sagegate.dev/schemas/rule-tests.schema.json",
  definitions: "https://sagegate.dev/schemas/definitions.schema.json",
  snapshot: "https://sagegate.dev/schemas/snapshot.schema.json",
  report: "https://sagegate.dev/schemas/report.schema.json",
  waivers: "https://sagegate.dev/schemas/waivers.schema.json",
} as const;

export type SchemaName = keyof typeof SCHEMA_IDS;

export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

// Ajv's compiler is loaded only when a validator was not precompiled by the build (running from
// source, the build itself): a CLI run never pays for it.
const require = createRequire(import.meta.url);

/** One Ajv holding every shipped schema; `source` keeps code for the build's standalone validators. */
export function createAjv(options: { source?: boolean } = {}): Ajv {
  const { Ajv: AjvClass } = require("ajv") as typeof import("ajv");
  const addFormats = require("ajv-formats") as (ajv: Ajv) => Ajv;
  const ajv = new AjvClass({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    // "Exactly one of only/include/none" is written oneOf: [{ required: [only] }, …] beside the
    // keys' schemas under `properties`, which strictRequired would refuse.
    strictRequired: false,
    verbose: true,
    ...(options.source ? { code: { source: true, esm: true } } : {}),
  });
  addFormats(ajv);
  for (const name of readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".schema.json"))
    .sort()) {
    ajv.addSchema(withSafeIntegers(JSON.parse(readFileSync(SCHEMA_DIR + name, "utf8")) as SchemaObject));
  }
  return ajv;
}

/**
 * Every `"type": "integer"` gets bounds within ±(2^53 − 1): beyond them a JSON or YAML number is
 * already rounded (99999999999999999999 reads as 1e20), so it cannot be the integer written.
 */
function withSafeIntegers<T>(schema: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    const n = node as Record<string, unknown>;
    const type = n.type;
    if (type === "integer" || (Array.isArray(type) && type.includes("integer"))) {
      if (typeof n.maximum !== "number" || n.maximum > Number.MAX_SAFE_INTEGER) n.maximum = Number.MAX_SAFE_INTEGER;
      if (typeof n.minimum !== "number" || n.minimum < Number.MIN_SAFE_INTEGER) n.minimum = Number.MIN_SAFE_INTEGER;
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(schema);
  return schema;
}

/** Export name of a (sub)schema in the build's standalone validators module. */
export function standaloneName(key: string): string {
  return "v_" + key.replace(/[^A-Za-z0-9]/g, "_");
}

// The build compiles every validator ahead of time (dist/generated/validators.js) so a run does
// not pay for Ajv's compiler; running from source (tests) compiles them on first use instead.
type Precompiled = Record<string, ValidateFunction>;
let precompiled: Precompiled | undefined;
try {
  precompiled = (await import(new URL("../generated/validators.js", import.meta.url).href)) as Precompiled;
} catch {
  precompiled = undefined;
}

let ajvInstance: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function ajv(): Ajv {
  ajvInstance ??= createAjv();
  return ajvInstance;
}

function lookup(key: string): ValidateFunction {
  let fn = validators.get(key);
  if (!fn) {
    fn = precompiled?.[standaloneName(key)] ?? ajv().getSchema(key);
    if (!fn) throw new Error(`no schema ${key} in ${SCHEMA_DIR}`);
    validators.set(key, fn);
  }
  return fn;
}

export function validator(name: SchemaName): ValidateFunction {
  return lookup(SCHEMA_IDS[name]);
}

export interface SchemaProblem {
  /** Path of the offending value, as segments. */
  path: Array<string | number>;
  /** Set when the problem is a key (unknown property): the key's name. */
  key?: string;
  /** For an unknown key: the known key it is probably a misspelling of. */
  suggestion?: string;
  /** For a missing required key: its name. */
  missing?: string;
  message: string;
}

/** Validates `value`; returns the single most useful problem, or undefined when valid. */
export function schemaProblem(name: SchemaName, value: unknown): SchemaProblem | undefined {
  const validate = validator(name);
  if (validate(value)) return undefined;
  return describe(pickError(validate.errors ?? []), value);
}

/**
 * Every problem of `value` (at most `max`), each as useful as schemaProblem's: of the branches of
 * an anyOf/oneOf only the closest one is reported, and a required key that is missing because it
 * was misspelt is reported once, as the unknown key with its suggestion.
 */
export function schemaProblems(name: SchemaName, value: unknown, max = 20): SchemaProblem[] {
  const validate = validator(name);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const inBranch = (e: ErrorObject, c: ErrorObject) => e !== c && e.schemaPath.startsWith(c.schemaPath + "/") && e.instancePath.startsWith(c.instancePath);
  const picks = new Map(combinators.map((c) => [c, pickError(errors.filter((e) => e === c || inBranch(e, c)))]));
  const kept = errors.filter((e) => {
    const groups = combinators.filter((c) => e === c || inBranch(e, c));
    if (groups.length === 0) return !VAGUE.has(e.keyword);
    const outer = groups.reduce((a, b) => (a.schemaPath.length <= b.schemaPath.length ? a : b));
    return picks.get(outer) === e;
  });
  const problems = kept.map((e) => describe(e, value));
  const misspelt = new Set(problems.filter((p) => p.key !== undefined && p.suggestion !== undefined).map((p) => `${toPointer(p.path)}\u0000${p.suggestion}`));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    if (p.missing !== undefined && misspelt.has(`${toPointer(p.path)}\u0000${p.missing}`)) continue;
    const key = `${toPointer(p.key !== undefined ? [...p.path, p.key] : p.path)}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
    if (out.length === max) break;
  }
  return out;
}

type Locate = (path: ReadonlyArray<string | number>, key?: boolean) => Place;
type ErrorFactory = (message: string, file: string, place?: Place) => SagegateError;

/** Validates and throws a typed error naming the file, line and path of the first problem. */
export function assertSchema(name: SchemaName, value: unknown, file: string, makeError: ErrorFactory, locate?: Locate): void {
  const problem = schemaProblem(name, value);
  if (!problem) return;
  const path = problem.key !== undefined ? [...problem.path, problem.key] : problem.path;
  const place: Place = { ...(locate ? locate(path, problem.key !== undefined) : {}), pointer: toPointer(path) };
  throw makeError(problem.message, file, place);
}

export function toPointer(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return "/";
  return path.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

// Combinators (anyOf/oneOf/if) produce vague messages; the deepest concrete error is
// almost always the one a user needs to read. At the same depth an unknown key comes before a
// missing one: `tagprefix` is a misspelt `tagPrefix`, and "unknown key … did you mean" says so.
const VAGUE = new Set(["anyOf", "oneOf", "if", "not", "false schema"]);

function pickError(all: ErrorObject[]): ErrorObject {
  // A choice of keys (oneOf/anyOf of `required`) says more than the `required` of its branches.
  const choices = all.filter((e) => choiceKeys(e) !== undefined);
  const errors = all.filter((e) => !choices.some((c) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`)));
  const vague = (e: ErrorObject) => VAGUE.has(e.keyword) && !choices.includes(e);
  // Of the branches of an anyOf, the one the value's type fits says more than "must be <other type>";
  // a missing key says less than another problem, an unknown key (likely misspelt) most.
  const rank = (e: ErrorObject) => (vague(e) ? 0 : e.keyword === "type" ? 1 : e.keyword === "required" ? 2 : e.keyword === "additionalProperties" ? 4 : 3);
  let best = errors[0]!;
  for (const err of errors) {
    const depth = err.instancePath.split("/").length;
    const bestDepth = best.instancePath.split("/").length;
    if (depth > bestDepth || (depth === bestDepth && rank(err) > rank(best))) best = err;
  }
  return best;
}

/** The keys of `oneOf`/`anyOf: [{ required: [a] }, { required: [b] }, …]`: exactly one, or at least one, of a, b, … */
function choiceKeys(err: ErrorObject): string[] | undefined {
  if ((err.keyword !== "oneOf" && err.keyword !== "anyOf") || !Array.isArray(err.schema)) return undefined;
  const keys = (err.schema as unknown[]).map((branch) => {
    const b = branch as { required?: unknown } | null;
    const required: unknown = typeof b === "object" && b !== null && Object.keys(b).length === 1 ? b.required : undefined;
    return Array.isArray(required) && required.length === 1 ? (required[0] as unknown) : undefined;
  });
  return keys.every((k): k is string => typeof k === "string") ? keys : undefined;
}

function describe(err: ErrorObject, root: unknown): SchemaProblem {
  const path = err.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s, i, all) => (Array.isArray(valueAt(root, all.slice(0, i))) ? Number(s) : s));
  const params = err.params as Record<string, unknown>;
  const choice = choiceKeys(err);
  if (choice) {
    const given = choice.filter((k) => Object.prototype.hasOwnProperty.call(valueAt(root, path) ?? {}, k));
    if (err.keyword === "anyOf") return { path, message: `needs at least one of ${choice.join(", ")}` };
    return { path, message: given.length === 0 ? `needs one of ${choice.join(", ")}` : `takes one of ${choice.join(", ")}; found ${given.join(" and ")}` };
  }
  switch (err.keyword) {
    case "minItems":
      if (params.limit === 1) return { path, message: "must not be empty" };
      return { path, message: err.message ?? err.keyword };
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = suggest(key, known);
      const suggestion = /"(.*)"/.exec(hint)?.[1];
      return { path, key, ...(suggestion !== undefined ? { suggestion } : {}), message: `unknown key "${key}"${hint}` };
    }
    case "required":
      return { path, missing: String(params.missingProperty), message: `missing required key "${String(params.missingProperty)}"` };
    case "enum":
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "type":
      return { path, message: `must be ${String(params.type)}, not ${typeName(valueAt(root, path))}` };
    case "maximum":
    case "minimum":
      if (Math.abs(params.limit as number) === Number.MAX_SAFE_INTEGER)
        return { path, message: `${String(valueAt(root, path))} is outside the safe-integer range (±${Number.MAX_SAFE_INTEGER})` };
      return { path, message: err.message ?? err.keyword };
    default:
      return { path, message: err.message ?? err.keyword };
  }
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** A validator for a part of a shipped schema, addressed by JSON pointer (e.g. one resource type's definition). */
export function subValidator(name: SchemaName, pointer: string): ValidateFunction {
  return lookup(`${SCHEMA_IDS[name]}#${pointer}`);
}

/** Like schemaProblem, for a validator obtained from subValidator; errors `ignore` accepts do not count. */
export function problemOf(validate: ValidateFunction, value: unknown, ignore?: (e: ErrorObject) => boolean): SchemaProblem | undefined {
  if (validate(value)) return undefined;
  const errors = ignore ? (validate.errors ?? []).filter((e) => !ignore(e)) : (validate.errors ?? []);
  if (errors.length === 0) return undefined;
  return describe(pickError(errors), value);
}
