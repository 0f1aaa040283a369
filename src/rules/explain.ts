// One explanation of a rule — what the design says (in the design's words and in English), why it
// matters, how to fix it — shared by the rule pages, SARIF help and `rules show`, so they never
// drift apart. Fixes go through fixFor, the same function the reports use for each finding.
import { DEFAULT_LANG, t, type Lang } from "../i18n/index.js";
import { withDefaults, type Config } from "../config/config.js";
import { designUrl, linkSections } from "./links.js";
import { fixFor } from "./remediation.js";
import type { RuleDefinition } from "./types.js";

/** The configuration's defaults, for help shown without a configuration; tagPrefix and company have none and stay placeholders. */
export const DEFAULT_FIX_CONFIG: Partial<Config> = (() => {
  const { tagPrefix: _t, company: _c, ...defaults } = withDefaults({ tagPrefix: "", company: "" });
  return defaults;
})();

export interface ExplainOptions {
  /** Where `docs/…` is: an absolute docsUrl outside the repository, "../../" on a rule page. */
  base: string;
  /** Fills the configuration's placeholders in the fix (none filled without it). */
  config?: Partial<Config>;
  /** The language of the headings (the rule's text is already in it); in Chinese the design quote is not repeated in English. */
  lang?: Lang;
}

/** The English rendering of the quote, when it says something the quote does not. */
export function englishQuote(d: RuleDefinition): string | undefined {
  const english = d.design.english?.trim();
  return english && english !== d.design.quote.trim() ? english : undefined;
}

/** What fills each `<name>` of the fix in a finding, as a sentence (empty when the rule fills nothing). */
export function fillSentence(d: RuleDefinition, lang: Lang = DEFAULT_LANG): string {
  const entries = Object.entries(d.remediation.fill ?? {});
  if (entries.length === 0) return "";
  const parts = entries.map(([name, source]) => {
    const word = (FILL_WORDS as readonly string[]).includes(source) ? t(lang, `explain.fill.${source as (typeof FILL_WORDS)[number]}`) : undefined;
    return `\`<${name}>\` ${word ?? t(lang, "explain.fill.evidence", { key: source.slice("evidence.".length) })}`;
  });
  return t(lang, "explain.fill", { parts: join(parts, lang) });
}

const FILL_WORDS = ["$id", "$arn", "$accountId", "$region", "$ipPermissions"] as const;

function join(parts: string[], lang: Lang): string {
  if (parts.length <= 1) return parts.join("");
  const comma = t(lang, "engine.sep.comma");
  return `${parts.slice(0, -1).join(comma)}${t(lang, "explain.fill.and")}${parts[parts.length - 1]}`;
}

/** The English rendering of the quote, for an English reader only. */
function englishFor(d: RuleDefinition, lang: Lang): string | undefined {
  return lang === "en" ? englishQuote(d) : undefined;
}

/**
 * The explanation as Markdown. `level` is the heading level ("##" on a page, "###" inside SARIF
 * help). Section references link to docs/design.md.
 */
export function explanationMarkdown(d: RuleDefinition, level: "##" | "###", options: ExplainOptions): string[] {
  const lang = options.lang ?? DEFAULT_LANG;
  const fix = fixFor(d, options.config);
  const english = englishFor(d, lang);
  const fill = fillSentence(d, lang);
  return [
    `${level} ${t(lang, "explain.designAt", { section: `[§${d.design.section}](${designUrl(d.design.section, options.base)})` })}`,
    "",
    `> ${d.design.quote.trim()}`,
    ...(english ? [">", t(lang, "explain.md.english", { english })] : []),
    "",
    `${level} ${t(lang, "explain.why")}`,
    "",
    linkSections(d.rationale.trim(), options.base),
    "",
    `${level} ${t(lang, "explain.fix")}`,
    "",
    linkSections(fix.text, options.base),
    "",
    "```sh",
    fix.commands[0]!,
    "```",
    ...(fill ? ["", fill] : []),
  ];
}

/** The explanation as plain text lines (SARIF `help.text`): the design in both languages, why, how to fix with the command. */
export function helpText(d: RuleDefinition, options: ExplainOptions): string[] {
  const lang = options.lang ?? DEFAULT_LANG;
  const fix = fixFor(d, options.config);
  const english = englishFor(d, lang);
  const fill = fillSentence(d, lang);
  return [
    t(lang, "explain.help.design", { section: d.design.section, quote: d.design.quote.trim() }),
    ...(english ? [t(lang, "explain.help.english", { english })] : []),
    "",
    t(lang, "explain.help.why", { text: d.rationale.trim() }),
    "",
    t(lang, "explain.help.fix", { text: fix.text }),
    "",
    `  ${fix.commands[0]!}`,
    ...(fill ? ["", fill.replace(/`/g, "")] : []),
  ];
}
