// Markdown report, shaped for a GitHub Actions job summary: counts first, then findings by
// severity with links to the rule pages, then what could not be checked.
import { SEVERITIES } from "../rules/types.js";
import { bySeverityThenRule, rulePage, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import { summaryLine } from "./table.js";

const MAX_ROWS = 100;

export interface MarkdownOptions {
  /** Prefix for rule page links (e.g. a repository URL); relative links by default. */
  ruleLinkBase?: string;
}

export function writeMarkdownReport(report: Report, sink: Sink, options: MarkdownOptions = {}): void {
  const s = report.summary;
  const link = (id: string) => `[${id}](${(options.ruleLinkBase ?? "") + rulePage(id)})`;
  sink.write(`## sagegate: ${s.byStatus.fail === 0 && s.complete ? "all checks passed" : `${s.byStatus.fail} failing checks`}\n\n`);
  sink.write(`Snapshot collected ${report.snapshot.collectedAt} · accounts ${report.snapshot.accounts.join(", ") || "none"} · regions ${report.snapshot.regions.join(", ") || "none"} · profile ${report.profile}\n\n`);
  if (!s.complete) {
    sink.write(`> [!WARNING]\n> The scan is incomplete: ${s.byStatus.error} checks could not be evaluated and ${s.collectionErrors} AWS calls failed. Missing data is never counted as passing.\n\n`);
  }
  sink.write("| Severity | Failed | Could not evaluate | Passed |\n|---|---:|---:|---:|\n");
  for (const sev of SEVERITIES) {
    const c = s.bySeverity[sev];
    sink.write(`| ${sev} | ${c.fail} | ${c.error} | ${c.pass} |\n`);
  }
  sink.write(`| **total** | **${s.byStatus.fail}** | **${s.byStatus.error}** | **${s.byStatus.pass}** |\n\n`);

  const failures = report.results.filter((r) => r.status === "fail").sort(bySeverityThenRule);
  if (failures.length > 0) {
    sink.write("### Failures\n\n| Severity | Rule | Resource | Region | Finding |\n|---|---|---|---|---|\n");
    for (const r of failures.slice(0, MAX_ROWS)) {
      sink.write(`| ${r.rule.def.severity} | ${link(r.rule.def.id)} ${cell(r.rule.def.title)} | \`${cell(r.resource.id)}\` | ${r.resource.accountId} ${r.resource.region} | ${cell(r.message)} |\n`);
    }
    if (failures.length > MAX_ROWS) sink.write(`\n…and ${failures.length - MAX_ROWS} more failures (see the JSON report).\n`);
    sink.write("\n");
  }
  const errors = report.results.filter((r) => r.status === "error").sort(bySeverityThenRule);
  if (errors.length > 0) {
    sink.write("### Could not be evaluated\n\n| Rule | Resource | Region | Why |\n|---|---|---|---|\n");
    for (const r of errors.slice(0, MAX_ROWS)) {
      sink.write(`| ${link(r.rule.def.id)} | \`${cell(r.resource.id)}\` | ${r.resource.accountId} ${r.resource.region} | ${cell(r.message)} |\n`);
    }
    if (errors.length > MAX_ROWS) sink.write(`\n…and ${errors.length - MAX_ROWS} more (see the JSON report).\n`);
    sink.write("\n");
  }
  if (report.collectionErrors.length > 0) {
    sink.write("### AWS calls that failed\n\n| Account | Region | Type | Operation | Resource | Error |\n|---|---|---|---|---|---|\n");
    for (const e of report.collectionErrors.slice(0, MAX_ROWS)) {
      sink.write(`| ${e.accountId} | ${e.region} | ${e.resourceType} | ${e.operation} | ${cell(e.resourceId ?? "(all)")} | ${cell(`${e.code}: ${e.message}`)} |\n`);
    }
    sink.write("\n");
  }
  sink.write(`<sub>${cell(summaryLine(report))} · ${report.tool.name} ${report.tool.version}</sub>\n`);
}

/** Escapes text for a table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}
