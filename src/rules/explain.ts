import type { RuleDefinition } from "./types.js";

/**
 * The three things a reviewer needs about a rule, as Markdown: what the design says, why it
 * matters, how to fix (with the AWS CLI example). Shared by the rule pages and SARIF help so
 * the two never drift apart. `level` is the heading level ("##" on a page, "###" inside SARIF).
 */
export function explanationMarkdown(d: RuleDefinition, level: "##" | "###"): string[] {
  return [
    `${level} What the design says (§${d.design.section})`,
    "",
    `> ${d.design.quote.trim()}`,
    "",
    `${level} Why it matters`,
    "",
    d.rationale.trim(),
    "",
    `${level} How to fix`,
    "",
    d.remediation.text.trim(),
    "",
    "```sh",
    d.remediation.cli.trim(),
    "```",
  ];
}
