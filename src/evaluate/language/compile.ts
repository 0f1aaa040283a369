// The dispatcher: one condition mapping → the operator that compiles it. A mapping holds one
// operator; a value operator may have a subject (`path` or `config`) beside it, a condition
// operator its companions (`else` beside `cases`); any of them may carry a `message` that
// replaces its failure reason. The mapping passed schemas/rule.schema.json at load, so only the
// combinations the schema does not express are checked here.
import { CompileContext, type CompileOptions } from "./context.js";
import { mergeEvidence } from "./messages.js";
import type { ConditionOperator, ValueOperator } from "./operator.js";
import { OPERATOR_BY_KEY, OPERATORS } from "./registry.js";
import type { Condition, Needs, Subject } from "./types.js";

/** Compiles a rule's `scope` or `check` (at `at` in the document) for resources of one type, recording the fields it reads in `needs`. */
export function compileCondition(raw: unknown, at: ReadonlyArray<string | number>, resourceTypeName: string, needs: Needs, options: CompileOptions): Condition {
  return compile(raw, CompileContext.root(options, compile, at, resourceTypeName, needs));
}

function compile(raw: unknown, ctx: CompileContext): Condition {
  const mapping = raw as Readonly<Record<string, unknown>>;
  const keys = Object.keys(mapping).filter((k) => k !== "message");
  const condition = compileBare(mapping, keys, ctx);
  // A condition's message is its failure reason as written: configuration values filled, `{{ }}` unescaped.
  return typeof mapping.message === "string" ? withMessage(condition, ctx.placeholders.message(mapping.message)) : condition;
}

function compileBare(mapping: Readonly<Record<string, unknown>>, keys: readonly string[], ctx: CompileContext): Condition {
  const operators = keys.flatMap((k) => OPERATOR_BY_KEY.get(k) ?? []);
  const standalone = operators.find((o): o is ConditionOperator => !o.subject);
  if (standalone) {
    const allowed = [standalone.key, ...Object.keys(standalone.companions ?? {})];
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra) ctx.fail(`"${standalone.key}" cannot be combined with "${extra}" in one condition; nest them under all/any`, [extra]);
    return standalone.compile(mapping[standalone.key], ctx.child([standalone.key]), mapping);
  }
  if (operators.length === 0) ctx.fail(`a condition needs an operator: one of ${OPERATORS.map((o) => o.key).join(", ")}`);
  if (operators.length > 1)
    ctx.fail(`one operator per condition, found ${operators.map((o) => o.key).join(" and ")}; combine them with all/any`, [operators[1]!.key]);
  const op = operators[0] as ValueOperator;
  const stray = keys.find((k) => k !== op.key && k !== "path" && k !== "config");
  if (stray) ctx.fail(`"${stray}" goes with ${owner(stray)}, not with "${op.key}"`, [stray]);
  const { subject, within } = subjectOf(mapping, ctx);
  return op.compile(mapping[op.key], subject, within.child([op.key]));
}

/** The operator a companion key belongs to ("else" → "cases"). */
function owner(companion: string): string {
  const op = OPERATORS.find((o) => !o.subject && o.companions?.[companion] !== undefined);
  return op ? `"${op.key}"` : "no operator";
}

/** The subject of a value operator, and the context its argument is compiled in. */
function subjectOf(mapping: Readonly<Record<string, unknown>>, ctx: CompileContext): { subject: Subject; within: CompileContext } {
  if (mapping.path !== undefined && mapping.config !== undefined) ctx.fail("give either path or config, not both", ["config"]);
  if (mapping.path !== undefined) {
    const p = ctx.path(mapping.path as string, ["path"]);
    if (p.multi) ctx.fail(`"${p.text}" yields several values; use every/some/none/count for lists`, ["path"]);
    return { subject: { label: p.text, get: p.get }, within: ctx.within() };
  }
  if (mapping.config !== undefined) {
    const name = mapping.config as string;
    const placeholders = ctx.placeholders;
    if (!placeholders.has(name) || placeholders.isRuntime(name))
      ctx.fail(`config must name a configuration value: ${placeholders.names().join(", ")}`, ["config"]);
    const constant = placeholders.value(name);
    return { subject: { label: `config ${name}`, get: () => constant }, within: ctx.within() };
  }
  return { subject: { label: "value", get: (v) => v }, within: ctx };
}

function withMessage(condition: Condition, message: string): Condition {
  return {
    describe: condition.describe,
    holds: condition.holds,
    explain: (v, f) => [{ reason: message, evidence: mergeEvidence(condition.explain(v, f)) }],
  };
}
