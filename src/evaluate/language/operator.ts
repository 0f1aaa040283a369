// What an operator module exports (like an ESLint rule's `meta` + `create`): its key, whether it
// tests a subject, the JSON Schema of its argument, its documentation and `compile`. The
// registry lists them; the condition schema (schemas/rule.schema.json) and the operator table of
// docs/rule-language.md are generated from them (`npm run docs`).
//
// The argument has passed the operator's schema when `compile` sees it (Ajv checks rule files
// once, at load), so `compile` does only what a schema cannot: placeholders, paths, CIDRs, RE2
// syntax, definitions.
import type { CompileContext } from "./context.js";
import type { Condition, Subject } from "./types.js";

/** A JSON Schema (draft-07) fragment. `#/definitions/…` refers to schemas/rule.schema.json's definitions. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** References to the shared definitions of schemas/rule.schema.json. */
export const REF = {
  condition: { $ref: "#/definitions/condition" },
  path: { $ref: "#/definitions/path" },
  /** A path or a non-empty list of paths. */
  paths: { $ref: "#/definitions/paths" },
  /** A top-level resource type of the catalogue. */
  resourceType: { $ref: "#/definitions/resourceType" },
  /** A resource type or a child type (AWS::SageMaker::ModelPackage): what `ref` can look up. */
  lookupType: { $ref: "#/definitions/lookupType" },
} as const satisfies Record<string, JsonSchema>;

export interface OperatorDoc {
  /** How it is written, e.g. `path + startsWith: "text"`. */
  signature: string;
  /** What it means, one or two sentences (Markdown). */
  meaning: string;
  /** A condition using it, as YAML flow. */
  example: string;
}

/** The evidence keys of the conditions inside an operator's argument. */
export interface EvidenceScope {
  /** Of a condition nested in the argument (nothing for an absent one). */
  of(condition: unknown): Iterable<string>;
  /** Of a shared definition, each followed once (a cycle ends there). */
  definition(name: string): Iterable<string>;
}

interface OperatorBase<A> {
  key: string;
  /** Schema of the argument, checked once when the rule is loaded. */
  schema: JsonSchema;
  doc: OperatorDoc;
  /**
   * The top-level evidence keys its failures may carry, with those of the nested conditions whose
   * failures it passes on: the union over its branches (an over-approximation). A rule's
   * `message` may name exactly these as `{key}` (refused at load otherwise: evaluate/templates.ts);
   * the catalogue and operator tests check that failures carry no other.
   */
  evidence(arg: A, nested: EvidenceScope, mapping: Readonly<Record<string, unknown>>): Iterable<string>;
}

/** Tests the value of a subject: the field at `path` or the `config` value written beside it, else the value being looked at. */
export interface ValueOperator<A = unknown> extends OperatorBase<A> {
  subject: true;
  compile(arg: A, subject: Subject, ctx: CompileContext): Condition;
}

/** Stands alone in its mapping: combines conditions, quantifies, or looks across resources. */
export interface ConditionOperator<A = unknown> extends OperatorBase<A> {
  subject: false;
  /** Other keys that may stand beside it, with their schemas (`else` beside `cases`). */
  companions?: Readonly<Record<string, JsonSchema>>;
  /** `ctx` is at the operator's key; `mapping` is the whole condition, for companions. */
  compile(arg: A, ctx: CompileContext, mapping: Readonly<Record<string, unknown>>): Condition;
}

export type Operator = ValueOperator | ConditionOperator;
