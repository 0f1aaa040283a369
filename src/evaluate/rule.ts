// A rule compiled for evaluation: conditions as closures per resource type it applies to, the
// AWS calls each part depends on, and its message template.
import { childType, listOperation, operationsForField, resourceType } from "../resources/catalog.js";
import type { LoadedRule, RuleDefinition } from "../rules/types.js";
import { conditionTranslations, localizedDef, ZH } from "../rules/localize.js";
import { DEFAULT_LANG, say, t, type Lang } from "../i18n/index.js";
import { compileCondition } from "./language/compile.js";
import { ConditionError } from "./language/context.js";
import { emptyLookups, type Condition, type Failure, type Lookups, type Needs } from "./language/types.js";
import { Placeholders } from "./placeholders.js";
import { checkMessageTemplates } from "./templates.js";
import { RuleError } from "../errors.js";
import { asText } from "../io/text.js";

/** AWS operations a condition depends on, per resource type. */
export type OperationNeeds = Map<string, Set<string>>;

export interface CompiledCheck {
  scope: Condition | undefined;
  check: Condition;
  scopeOps: OperationNeeds;
  checkOps: OperationNeeds;
}

export interface CompiledRule {
  /** The rule with its text fields in the run's language. */
  def: RuleDefinition;
  /** The language its messages and text are in. */
  lang: Lang;
  file: string;
  types: string[];
  byType: Map<string, CompiledCheck>;
  /** What the rule reads from other resources (for the engine's plan and memory). */
  lookups: Lookups;
  message(failures: Failure[]): string;
}

export interface RuleCompileOptions {
  placeholders: Placeholders;
  definitions: ReadonlyMap<string, unknown>;
  definitionsLocate?: (path: ReadonlyArray<string | number>) => { line?: number; column?: number };
  definitionsFile?: string;
  /** The Chinese of the definitions' condition messages. */
  definitionTranslations?: ReadonlyMap<string, string>;
  /** The language of messages and rule text (default English). */
  lang?: Lang;
}

export function compileRule(rule: LoadedRule, options: RuleCompileOptions): CompiledRule {
  const def = rule.def;
  const types = Array.isArray(def.resourceType) ? def.resourceType : [def.resourceType];
  const byType = new Map<string, CompiledCheck>();
  const lookups = emptyLookups();
  const lang = options.lang ?? DEFAULT_LANG;
  const translations = { rule: conditionTranslations(def[ZH]), definitions: options.definitionTranslations ?? new Map<string, string>() };
  const compileOptions = { placeholders: options.placeholders, definitions: options.definitions, lookups, translations };
  try {
    for (const type of types) {
      const scopeNeeds: Needs = new Map();
      const checkNeeds: Needs = new Map();
      const scope = def.scope === undefined ? undefined : compileCondition(def.scope, ["scope"], type, scopeNeeds, compileOptions);
      const check = compileCondition(def.check, ["check"], type, checkNeeds, compileOptions);
      byType.set(type, { scope, check, scopeOps: operationsOf(scopeNeeds), checkOps: operationsOf(checkNeeds) });
    }
    checkMessageTemplates(def, options.definitions, options.placeholders);
  } catch (err) {
    if (err instanceof ConditionError) {
      // Errors inside a definition point at definitions.yaml, others at the rule file.
      if (err.path[0] === "definitions" && options.definitionsFile) {
        throw new RuleError(err.message, options.definitionsFile, { ...options.definitionsLocate?.(err.path), pointer: "/" + err.path.join("/") });
      }
      throw new RuleError(err.message, rule.file, { ...rule.locate(err.path), pointer: "/" + err.path.join("/") });
    }
    throw err;
  }
  const localized = localizedDef(def, lang);
  const template = options.placeholders.text(localized.message ?? "{reason}");
  return { def: localized, lang, file: rule.file, types, byType, lookups, message: (failures) => renderMessage(template, failures, lang) };
}

/** Maps the fields a condition reads to the calls that produce them. */
function operationsOf(needs: Needs): OperationNeeds {
  const ops: OperationNeeds = new Map();
  for (const [type, fields] of needs) {
    const child = childType(type);
    const def = child ? child.parent : resourceType(type);
    if (!def) continue;
    const owner = def.type;
    let set = ops.get(owner);
    if (!set) ops.set(owner, (set = new Set()));
    if (child) {
      for (const op of operationsForField(def, child.child.field)) set.add(op);
      continue;
    }
    for (const field of fields) {
      if (field === def.idField || field === "$id") set.add(listOperation(def));
      else for (const op of operationsForField(def, field)) set.add(op);
    }
  }
  return ops;
}

/** `{{`, `}}` or an evidence `{key}` of a rule's message template. */
const TEMPLATE_TOKEN = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * `{reason}` is every failure's reason joined; other `{keys}` are filled from each failure's
 * evidence, rendering the template once per failure ("ingress {permission} from {source} …"), in
 * the reader's words where the failure has them (`words`: "all traffic" is 所有流量).
 * `{{` and `}}` are literal braces ("{{team}}-{{project}}").
 */
export function renderMessage(template: string, failures: Failure[], lang: Lang = DEFAULT_LANG): string {
  const { literals, keys, named } = compiledMessage(template);
  const separator = t(lang, "engine.sep.list");
  if (named.length === 0) {
    const reasons = failures.map((f) => say(f.reason, lang)).join(separator);
    let out = literals[0]!;
    for (let i = 0; i < keys.length; i++) out += reasons + literals[i + 1]!;
    return out;
  }
  const rendered = new Set<string>();
  for (const f of failures) {
    // A failure that lacks every key the template names (the group's VPC is missing, not a
    // permission) is told in its own words rather than with a half-filled template.
    if (named.every((k) => f.evidence[k] === undefined || f.evidence[k] === null)) {
      rendered.add(say(f.reason, lang));
      continue;
    }
    let out = literals[0]!;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const word = key === "reason" ? undefined : f.words?.[key];
      const v = key === "reason" ? say(f.reason, lang) : word !== undefined ? word(lang) : f.evidence[key];
      // A key this failure lacks (another failure of the rule has it): left as written.
      out += (v === undefined || v === null ? `{${key}}` : typeof v === "string" ? v : asText(v)) + literals[i + 1]!;
    }
    rendered.add(out);
  }
  return [...rendered].join(separator);
}

/**
 * A message template cut at its `{keys}` once (a rule renders the same template for every
 * failure): literals[i], with `{{` and `}}` already made single braces, comes before keys[i].
 */
interface CompiledMessage {
  literals: string[];
  keys: string[];
  /** The keys other than `reason`. */
  named: string[];
}

const messages = new Map<string, CompiledMessage>();

function compiledMessage(template: string): CompiledMessage {
  let compiled = messages.get(template);
  if (compiled) return compiled;
  compiled = { literals: [], keys: [], named: [] };
  let literal = "";
  let last = 0;
  for (const m of template.matchAll(TEMPLATE_TOKEN)) {
    literal += template.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] === undefined) {
      literal += m[0][0]!;
      continue;
    }
    compiled.literals.push(literal);
    compiled.keys.push(m[1]);
    if (m[1] !== "reason") compiled.named.push(m[1]);
    literal = "";
  }
  compiled.literals.push(literal + template.slice(last));
  messages.set(template, compiled);
  return compiled;
}

/** Compiles every rule of a set for one configuration. */
export function compileRuleSet(
  set: {
    rules: readonly LoadedRule[];
    definitions: ReadonlyMap<string, unknown>;
    definitionsFile?: string;
    definitionsLocate?: RuleCompileOptions["definitionsLocate"];
    definitionTranslations?: ReadonlyMap<string, string>;
  },
  placeholders: Placeholders,
  lang: Lang = placeholders.config.language ?? DEFAULT_LANG,
): CompiledRule[] {
  const options: RuleCompileOptions = { placeholders, definitions: set.definitions, lang };
  if (set.definitionTranslations) options.definitionTranslations = set.definitionTranslations;
  if (set.definitionsFile) options.definitionsFile = set.definitionsFile;
  if (set.definitionsLocate) options.definitionsLocate = set.definitionsLocate;
  return set.rules.map((r) => compileRule(r, options));
}
