// The coverage of a run (coverage.ts) as a section of the human-readable reports: a table of
// what each rule checked, and the scope warnings. Kept apart from the layouts of table.ts and
// markdown.ts, which only call these functions.
import { say, t, type Lang } from "../i18n/index.js";
import Table from "cli-table3";
import type { Report } from "./model.js";

const HEAD = ["rule", "resources", "inScope", "passed", "failed", "waived", "errors"] as const;
const head = (lang: Lang) => HEAD.map((k) => t(lang, `report.coverage.${k}`));

function row(c: Report["coverage"]["rules"][number]): string[] {
  const inScope = c.subjects !== undefined ? `${c.inScope} ${c.subjects}` : String(c.inScope);
  return [c.ruleId, String(c.resources), inScope, ...[c.byStatus.pass, c.byStatus.fail, c.byStatus.waived, c.byStatus.error].map(String)];
}

/** Terminal: one row per rule; "Resources" counts the rule's types in the snapshot. */
export function coverageTable(report: Report, options: { color?: boolean } = {}): string {
  const table = new Table({
    head: head(report.lang),
    style: { head: options.color ? ["bold"] : [], border: [] },
    colAligns: ["left", "right", "right", "right", "right", "right", "right"],
    // One line per rule: no separators between rows.
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const c of report.coverage.rules) table.push(row(c));
  let out = `\n${t(report.lang, "report.coverage.title")}\n${table.toString()}\n`;
  for (const w of report.coverage.warnings) out += `${t(report.lang, "report.coverage.warning", { message: warningLine(w, report.lang) })}\n`;
  return out;
}

/** Markdown: the warnings as alerts (placed near the top), and the per-rule table folded away. */
export function coverageWarningsMarkdown(report: Report, cell: (text: string) => string): string {
  return report.coverage.warnings
    .map((w) => `> [!WARNING]\n> ${t(report.lang, "report.coverage.nothingChecked", { message: cell(warningLine(w, report.lang)) })}\n\n`)
    .join("");
}

export function coverageMarkdown(report: Report, link: (id: string) => string): string {
  const rules = report.coverage.rules;
  const inScope = rules.filter((c) => c.inScope > 0).length;
  let out = `<details><summary>${t(report.lang, "report.coverage.summary", { inScope, n: rules.length })}</summary>\n\n`;
  out += `| ${head(report.lang).join(" | ")} |\n|---|${"---:|".repeat(HEAD.length - 1)}\n`;
  for (const c of rules) {
    const [id, ...rest] = row(c);
    out += `| ${link(id!)} | ${rest.join(" | ")} |\n`;
  }
  return out + "\n</details>\n\n";
}

/** For the one-line summary: which areas or configured values checked nothing. */
export function emptyScopeSummary(report: Report): string | undefined {
  const warnings = report.coverage.warnings;
  if (warnings.length === 0) return undefined;
  return t(report.lang, "report.coverage.emptySummary", { what: warnings.map((w) => w.area ?? w.configKeys.join(", ")).join(", ") });
}

/** A scope warning in the reader's language (its English `message` for warnings made without words). */
export function warningLine(w: Report["coverage"]["warnings"][number], lang: Lang): string {
  return w.text ? say(w.text, lang) : w.message;
}
