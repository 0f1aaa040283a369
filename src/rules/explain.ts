// One explanation of a rule — what the design says (in the design's words and in English), why it
// matters, how to fix it — shared by the rule pages, SARIF help and `rules show`, so they never
// drift apart. Fixes go through fixFor, the same function the reports use for each finding.
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
}

/** The English rendering of the quote, when it says something the quote does not. */
export function englishQuote(d: RuleDefinition): string | undefined {
  const english = d.design.english?.trim();
  return english && english !== d.design.quote.trim() ? english : undefined;
}

/** What fills each `<name>` of the fix in a finding, as a sentence (empty when the rule fills nothing). */
export function fillSentence(d: RuleDefinition): string {
  const entries = Object.entries(d.remediation.fill ?? {});
  if (entries.length === 0) return "";
  const parts = entries.map(
    ([name, source]) => `\`<${name}>\` ${FILL_WORDS[source] ?? `comes from each failure's evidence (${source.slice("evidence.".length)})`}`,
  );
  return `In each finding, ${join(parts)}.`;
}

const FILL_WORDS: Record<string, string> = {
  $id: "is the resource's id",
  $arn: "is the resource's ARN",
  $accountId: "is the resource's account",
  $region: "is the resource's region",
  $ipPermissions: "is the failing permission",
};

function join(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * The explanation as Markdown. `level` is the heading level ("##" on a page, "###" inside SARIF
 * help). Section references link to docs/design.md.
 */
export function explanationMarkdown(d: RuleDefinition, level: "##" | "###", options: ExplainOptions): string[] {
  const fix = fixFor(d, options.config);
  const english = englishQuote(d);
  const fill = fillSentence(d);
  return [
    `${level} What the design says ([§${d.design.section}](${designUrl(d.design.section, options.base)}))`,
    "",
    `> ${d.design.quote.trim()}`,
    ...(english ? [">", `> *In English:* ${english}`] : []),
    "",
    `${level} Why it matters`,
    "",
    linkSections(d.rationale.trim(), options.base),
    "",
    `${level} How to fix`,
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
  const fix = fixFor(d, options.config);
  const english = englishQuote(d);
  const fill = fillSentence(d);
  return [
    `What the design says (§${d.design.section}): "${d.design.quote.trim()}"`,
    ...(english ? [`In English: "${english}"`] : []),
    "",
    `Why it matters: ${d.rationale.trim()}`,
    "",
    `How to fix: ${fix.text}`,
    "",
    `  ${fix.commands[0]!}`,
    ...(fill ? ["", fill.replace(/`/g, "")] : []),
  ];
}
