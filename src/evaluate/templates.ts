// Message templates are checked when a rule is loaded: a `{name}` that nothing can fill would
// reach every report as literal text ("ingress {permision} …"), so it is refused with the file
// and line. A rule's message may use the configuration values ({tagPrefix}, {ecr.keepImages}, …),
// `{reason}`, and the evidence keys its check's operators produce; a condition's own `message`
// is filled from the configuration only. `{{` and `}}` write literal braces.
//
// The evidence keys a check may produce are derived from the operators' modules (each declares
// its own `evidence` beside its `compile`, see language/operator.ts): the catalogue test and the
// operator tester check that every evidence key a failure carries is among them.
import { suggest } from "../io/suggest.js";
import { ConditionError } from "./language/context.js";
import type { EvidenceScope } from "./language/operator.js";
import { OPERATOR_BY_KEY } from "./language/registry.js";
import { TEXT_TOKEN, type Placeholders } from "./placeholders.js";

type Path = Array<string | number>;

/** Top-level evidence keys a failure of this condition may carry (an over-approximation: the union over its branches). */
export function evidenceKeys(raw: unknown, definitions: ReadonlyMap<string, unknown>, using: readonly string[] = []): Set<string> {
  const keys = new Set<string>();
  if (!isMapping(raw)) return keys;
  const nested: EvidenceScope = {
    of: (condition) => evidenceKeys(condition, definitions, using),
    definition: (name) => (using.includes(name) ? [] : evidenceKeys(definitions.get(name), definitions, [...using, name])),
  };
  // A condition's message merges several inner failures under `details`.
  if (raw.message !== undefined) keys.add("details");
  for (const [key, arg] of Object.entries(raw)) {
    const operator = OPERATOR_BY_KEY.get(key);
    if (operator) for (const k of operator.evidence(arg, nested, raw)) keys.add(k);
  }
  return keys;
}

/** The first unfillable `{name}` of a rule's messages, as a ConditionError at its place; none when all can be filled. */
export function checkMessageTemplates(
  def: { message?: string; check: unknown; scope?: unknown },
  definitions: ReadonlyMap<string, unknown>,
  placeholders: Placeholders,
): void {
  const config = placeholders.textNames();
  if (def.message !== undefined) {
    const evidence = [...evidenceKeys(def.check, definitions), "reason"].sort();
    const bad = unfillable(def.message, (name) => config.includes(name) || evidence.includes(name));
    if (bad !== undefined)
      throw new ConditionError(
        `the message's {${bad}} is filled neither by the evidence of this rule's check (${evidence.join(", ")}) nor by the configuration (${config.join(", ")})${hint(bad, [...evidence, ...config], placeholders)}`,
        ["message"],
      );
  }
  for (const [root, condition] of [
    ["scope", def.scope],
    ["check", def.check],
  ] as const) {
    if (condition !== undefined) checkConditionMessages(condition, [root], definitions, placeholders, config, []);
  }
}

/** Conditions' own messages become failure reasons as written: only configuration values are filled in them. */
function checkConditionMessages(
  raw: unknown,
  at: Path,
  definitions: ReadonlyMap<string, unknown>,
  placeholders: Placeholders,
  config: readonly string[],
  using: readonly string[],
): void {
  if (Array.isArray(raw)) {
    raw.forEach((v, i) => checkConditionMessages(v, [...at, i], definitions, placeholders, config, using));
    return;
  }
  if (!isMapping(raw)) return;
  if (typeof raw.message === "string") {
    const bad = unfillable(raw.message, (name) => config.includes(name));
    if (bad !== undefined)
      throw new ConditionError(
        `this condition's message {${bad}} cannot be filled: a condition's message takes configuration values only (${config.join(", ")}); evidence keys such as {actual} belong in the rule's message${hint(bad, config, placeholders)}`,
        [...at, "message"],
      );
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === "message") continue;
    if (key === "use" && typeof value === "string" && !using.includes(value)) {
      checkConditionMessages(definitions.get(value), ["definitions", value], definitions, placeholders, config, [...using, value]);
      continue;
    }
    if (typeof value === "object" && value !== null) checkConditionMessages(value, [...at, key], definitions, placeholders, config, using);
  }
}

/** The first `{name}` of `template` that `fillable` refuses; `{{` and `}}` are literal braces. */
function unfillable(template: string, fillable: (name: string) => boolean): string | undefined {
  for (const m of template.matchAll(TEXT_TOKEN)) if (m[1] !== undefined && !fillable(m[1])) return m[1];
  return undefined;
}

function hint(name: string, candidates: readonly string[], placeholders: Placeholders): string {
  if (placeholders.isPattern(name)) return `; {${name}} is a regex pattern and has no text: write {{${name}}} for the literal braces`;
  if (placeholders.isRuntime(name)) return `; {${name}} is filled in regexes and values, not in messages`;
  return suggest(name, candidates) || `; write {{${name}}} for literal braces`;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
