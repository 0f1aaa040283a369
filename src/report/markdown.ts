// Markdown report, shaped for a GitHub Actions job summary: counts first, then findings by
// severity with links to the rule pages, then what could not be checked.
import { SEVERITIES } from "../rules/types.js";
import type { ResultResource } from "../evaluate/engine.js";
import { bySeverityThenRule, expiringSoon, rulePage, sourceText, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import { causeText, findingText, summaryLine } from "./text.js";

const MAX_ROWS = 100;

export interface MarkdownOptions {
  /** Prefix for rule page links (e.g. a repository URL); relative links by default. */
  ruleLinkBase?: string;
}

export function writeMarkdownReport(report: Report, sink: Sink, options: MarkdownOptions = {}): void {
  const s = report.summary;
  const link = (id: string) => `[${id}](${(options.ruleLinkBase ?? "") + rulePage(id)})`;
  sink.write(`## sagegate: ${s.byStatus.fail === 0 && s.complete ? "all checks passed" : `${s.byStatus.fail} failing checks`}\n\n`);
  sink.write(
    `Snapshot collected ${report.snapshot.collectedAt} · accounts ${report.snapshot.accounts.join(", ") || "none"} · regions ${report.snapshot.regions.join(", ") || "none"} · profile ${report.profile}\n\n`,
  );
  if (!s.complete) {
    const unresolved = s.byStatus.unresolved ? ` ${s.byStatus.unresolved} checks depend on values not known before deploy.` : "";
    sink.write(
      `> [!WARNING]\n> The scan is incomplete: ${s.byStatus.error} checks could not be evaluated and ${s.collectionErrors} AWS calls failed.${unresolved} Missing data is never counted as passing.\n\n`,
    );
  }
  if (report.baseline) {
    const unknown = report.baseline.unknown.length;
    sink.write(
      `**${report.baseline.new} new** and **${report.baseline.fixed.length} fixed** findings since the baseline (${cell(report.baseline.path)}); ${report.baseline.unchanged} unchanged${unknown ? `; ${unknown} could not be checked because their resources could not be listed` : ""}.\n\n`,
    );
  }
  sink.write("| Severity | Failed | Waived | Could not evaluate | Passed |\n|---|---:|---:|---:|---:|\n");
  for (const sev of SEVERITIES) {
    const c = s.bySeverity[sev];
    sink.write(`| ${sev} | ${c.fail} | ${c.waived} | ${c.error} | ${c.pass} |\n`);
  }
  sink.write(`| **total** | **${s.byStatus.fail}** | **${s.byStatus.waived}** | **${s.byStatus.error}** | **${s.byStatus.pass}** |\n\n`);

  const failures = report.results.filter((r) => r.status === "fail").sort(bySeverityThenRule);
  if (failures.length > 0) {
    sink.write("### Failures\n\n| Severity | Rule | Resource | Region | Finding |\n|---|---|---|---|---|\n");
    for (const r of failures.slice(0, MAX_ROWS)) {
      const marker = r.baselineState === "new" ? " 🆕" : "";
      sink.write(
        `| ${r.rule.def.severity}${marker} | ${link(r.rule.def.id)} ${cell(r.rule.def.title)} | ${resourceCell(r.resource)} | ${r.resource.accountId} ${r.resource.region} | ${cell(findingText(r))} |\n`,
      );
    }
    if (failures.length > MAX_ROWS) sink.write(`\n…and ${failures.length - MAX_ROWS} more failures (see the JSON report).\n`);
    sink.write("\n");
  }
  if (report.baseline && report.baseline.fixed.length > 0) {
    sink.write("### Fixed since the baseline\n\n| Rule | Resource | Region |\n|---|---|---|\n");
    for (const f of report.baseline.fixed.slice(0, MAX_ROWS))
      sink.write(`| ${link(f.ruleId)} | \`${cell(f.resource.id)}\` | ${f.resource.accountId} ${f.resource.region} |\n`);
    sink.write("\n");
  }
  const waived = report.results.filter((r) => r.status === "waived").sort(bySeverityThenRule);
  if (waived.length > 0) {
    sink.write("### Waived\n\n| Rule | Resource | Owner | Until | Reason |\n|---|---|---|---|---|\n");
    for (const r of waived.slice(0, MAX_ROWS)) {
      const w = r.waiver!;
      sink.write(
        `| ${link(r.rule.def.id)} | \`${cell(r.resource.id)}\` | ${cell(w.owner)} | ${w.expires} | ${cell(w.reason)}${w.ticket ? ` (${cell(w.ticket)})` : ""} |\n`,
      );
    }
    sink.write("\n");
  }
  const soon = expiringSoon(report.waivers);
  const expired = report.waivers.filter((w) => w.state === "expired");
  const unused = report.waivers.filter((w) => w.state === "unused");
  if (soon.length + expired.length + unused.length > 0) {
    sink.write("### Waivers to review\n\n| Waiver | Owner | Expires | State |\n|---|---|---|---|\n");
    const row = (w: (typeof report.waivers)[number], state: string) =>
      sink.write(
        `| #${w.waiver.index} ${cell(String(w.waiver.rule))} \`${cell(w.waiver.resource)}\` | ${cell(w.waiver.owner)} | ${w.waiver.expires} | ${state} |\n`,
      );
    for (const w of expired) row(w, "**expired**: no longer applies");
    for (const w of soon) row(w, `expires in ${w.daysLeft} day${w.daysLeft === 1 ? "" : "s"}`);
    for (const w of unused.filter((u) => !soon.includes(u))) row(w, "unused: matches no finding");
    sink.write("\n");
  }
  const unresolved = report.results.filter((r) => r.status === "unresolved").sort(bySeverityThenRule);
  if (unresolved.length > 0) {
    sink.write("### Unresolved before deploy\n\n| Rule | Resource | Needs |\n|---|---|---|\n");
    for (const r of unresolved.slice(0, MAX_ROWS))
      sink.write(`| ${link(r.rule.def.id)} | ${resourceCell(r.resource)} | ${cell((r.unresolved ?? []).map(causeText).join("; ") || r.message)} |\n`);
    if (unresolved.length > MAX_ROWS) sink.write(`\n…and ${unresolved.length - MAX_ROWS} more (see the JSON report).\n`);
    sink.write("\n");
  }
  if (report.plan && report.plan.warnings.length > 0) {
    sink.write("### Not evaluated: could not be placed\n\n| Where | Why |\n|---|---|\n");
    for (const w of report.plan.warnings.slice(0, MAX_ROWS)) sink.write(`| \`${cell(`${w.file}:${w.line}`)}\` | ${cell(w.message)} |\n`);
    sink.write("\n");
  }
  const errors = report.results.filter((r) => r.status === "error").sort(bySeverityThenRule);
  if (errors.length > 0) {
    sink.write("### Could not be evaluated\n\n| Rule | Resource | Region | Why |\n|---|---|---|---|\n");
    for (const r of errors.slice(0, MAX_ROWS)) {
      sink.write(`| ${link(r.rule.def.id)} | ${resourceCell(r.resource)} | ${r.resource.accountId} ${r.resource.region} | ${cell(r.message)} |\n`);
    }
    if (errors.length > MAX_ROWS) sink.write(`\n…and ${errors.length - MAX_ROWS} more (see the JSON report).\n`);
    sink.write("\n");
  }
  if (report.collectionErrors.length > 0) {
    sink.write("### AWS calls that failed\n\n| Account | Region | Type | Operation | Resource | Error |\n|---|---|---|---|---|---|\n");
    for (const e of report.collectionErrors.slice(0, MAX_ROWS)) {
      sink.write(
        `| ${e.accountId} | ${e.region} | ${e.resourceType} | ${e.operation} | ${cell(e.resourceId ?? "(all)")} | ${cell(`${e.code}: ${e.message}`)} |\n`,
      );
    }
    sink.write("\n");
  }
  sink.write(`<sub>${cell(summaryLine(report))} · ${report.tool.name} ${report.tool.version}</sub>\n`);
}

/** The resource id, and where it was declared for planned resources. */
function resourceCell(res: ResultResource): string {
  const where = sourceText(res.source);
  return `\`${cell(res.id)}\`${where ? ` (${cell(where)})` : ""}`;
}

/** Escapes text for a table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}
