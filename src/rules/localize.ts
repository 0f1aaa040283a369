// The Chinese of a rule file: one `zh-CN:` block at the end of the file, mirroring the English text
// fields it translates (title, violationTitle, rationale, remediation.text, message) and, for the
// conditions' own messages, a map from each English message template to its Chinese. Keyed by the
// English text, a translation cannot silently attach to another condition: a key that no longer
// matches a message of the rule, or a translation whose placeholders differ from the English, is
// refused when the file is loaded. A field left out reads in English.
import type { Lang } from "../i18n/index.js";
import type { RuleDefinition } from "./types.js";

export type { RuleTranslation } from "./types.js";

/** The `zh-CN:` block of rules/definitions.yaml: the messages of the shared conditions. */
export interface DefinitionsTranslation {
  conditionMessages?: Record<string, string>;
}

export const ZH = "zh-CN";

/** The rule with its text fields in `lang` (English where the rule has no translation). */
export function localizedDef(def: RuleDefinition, lang: Lang): RuleDefinition {
  const zh = def[ZH];
  if (lang === "en" || zh === undefined) return def;
  const out: RuleDefinition = {
    ...def,
    title: zh.title ?? def.title,
    violationTitle: zh.violationTitle ?? def.violationTitle,
    rationale: zh.rationale ?? def.rationale,
    remediation: { ...def.remediation, text: zh.remediation?.text ?? def.remediation.text },
  };
  if (def.message !== undefined) out.message = zh.message ?? def.message;
  return out;
}

/** The Chinese of the conditions' messages, by English template. */
export function conditionTranslations(block: { conditionMessages?: Record<string, string> } | undefined): Map<string, string> {
  return new Map(Object.entries(block?.conditionMessages ?? {}));
}

export interface TranslationProblem {
  message: string;
  /** Where in the file (for the line). */
  path: Array<string | number>;
}

/** `message` of every condition in `raw`, with its place (shared definitions are not followed: they translate their own). */
export function conditionMessages(raw: unknown, at: Array<string | number>): Array<{ message: string; path: Array<string | number> }> {
  const out: Array<{ message: string; path: Array<string | number> }> = [];
  const walk = (v: unknown, path: Array<string | number>) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i]));
      return;
    }
    if (typeof v !== "object" || v === null) return;
    for (const [key, value] of Object.entries(v)) {
      if (key === "message" && typeof value === "string") out.push({ message: value, path: [...path, key] });
      else walk(value, [...path, key]);
    }
  };
  walk(raw, at);
  return out;
}

// `{name}` placeholders (`{{`/`}}` are literal braces), and `<name>` fill placeholders of a fix.
const BRACES = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\}/g;
const ANGLES = /<([a-z][a-z0-9-]*)>/g;

/** The placeholders a text uses, sorted: what a translation must use too. */
export function placeholderNames(text: string, withFill = false): string[] {
  const names = [...text.matchAll(BRACES)].flatMap((m) => (m[1] === undefined ? [] : [`{${m[1]}}`]));
  if (withFill) names.push(...[...text.matchAll(ANGLES)].map((m) => `<${m[1]}>`));
  return [...new Set(names)].sort();
}

function samePlaceholders(english: string, chinese: string, at: Array<string | number>, withFill = false): TranslationProblem[] {
  const en = placeholderNames(english, withFill);
  const zh = placeholderNames(chinese, withFill);
  if (en.join(" ") === zh.join(" ")) return [];
  const missing = en.filter((n) => !zh.includes(n));
  const extra = zh.filter((n) => !en.includes(n));
  const parts = [missing.length ? `lacks ${missing.join(", ")}` : "", extra.length ? `has ${extra.join(", ")} that the English has not` : ""].filter(Boolean);
  return [{ message: `the Chinese ${parts.join(" and ")}: a translation fills the same placeholders as the English`, path: at }];
}

/** Condition message translations that match no English message, or differ from it in placeholders. */
export function checkConditionTranslations(
  translations: Record<string, string> | undefined,
  english: ReadonlyArray<{ message: string }>,
  at: Array<string | number>,
  where: string,
): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  const known = new Set(english.map((e) => e.message));
  for (const [en, zh] of Object.entries(translations ?? {})) {
    if (!known.has(en)) {
      problems.push({ message: `"${en}" is not the message of any condition of ${where}: keys are the English messages as written`, path: [...at, en] });
      continue;
    }
    problems.push(...samePlaceholders(en, zh, [...at, en]));
  }
  return problems;
}

/** What is wrong with a rule's `zh-CN:` block (nothing when it has none). */
export function translationProblems(def: RuleDefinition): TranslationProblem[] {
  const zh = def[ZH];
  if (zh === undefined) return [];
  const problems: TranslationProblem[] = [];
  const pairs: Array<[string | undefined, string | undefined, Array<string | number>, boolean]> = [
    [def.title, zh.title, [ZH, "title"], false],
    [def.violationTitle, zh.violationTitle, [ZH, "violationTitle"], false],
    [def.rationale, zh.rationale, [ZH, "rationale"], false],
    [def.remediation.text, zh.remediation?.text, [ZH, "remediation", "text"], true],
    [def.message, zh.message, [ZH, "message"], false],
  ];
  for (const [en, translated, at, withFill] of pairs) {
    if (translated === undefined) continue;
    if (en === undefined) problems.push({ message: "the rule has no English message to translate", path: at });
    else problems.push(...samePlaceholders(en, translated, at, withFill));
  }
  const english = [...conditionMessages(def.scope, ["scope"]), ...conditionMessages(def.check, ["check"])];
  problems.push(...checkConditionTranslations(zh.conditionMessages, english, [ZH, "conditionMessages"], "this rule's scope or check"));
  return problems;
}

/** The English texts of a rule that its `zh-CN:` block does not translate (the catalogue's convention test wants none). */
export function untranslated(def: RuleDefinition): string[] {
  const zh = def[ZH];
  const missing: string[] = [];
  if (zh?.title === undefined) missing.push("title");
  if (zh?.violationTitle === undefined) missing.push("violationTitle");
  if (zh?.rationale === undefined) missing.push("rationale");
  if (zh?.remediation?.text === undefined) missing.push("remediation.text");
  if (def.message !== undefined && zh?.message === undefined) missing.push("message");
  for (const m of [...conditionMessages(def.scope, ["scope"]), ...conditionMessages(def.check, ["check"])])
    if (zh?.conditionMessages?.[m.message] === undefined) missing.push(`the message of ${m.path.join(".")}`);
  return missing;
}
