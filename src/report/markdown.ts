// Markdown report, shaped for a GitHub Actions job summary: counts first, then findings by
// severity with links to the rule pages, how to fix each failure (commands to paste, filled in
// for its resource), then what could not be checked. Links are absolute (docsUrl): the report
// is read outside the repository, in a job summary, an artifact or a ticket.
import { t, type MessageKey, type Params } from "../i18n/index.js";
import type { EvaluationResult, ResultResource } from "../evaluate/engine.js";
import { linkSections, rulePageUrl } from "../rules/links.js";
import { declarationText, fixFor } from "../rules/remediation.js";
import { SEVERITIES } from "../rules/types.js";
import { bySeverityThenRule, expiringSoon, sourceText, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import { causeText, findingText, severityWord, summaryLine } from "./text.js";
import { coverageMarkdown, coverageWarningsMarkdown } from "./coverage-sections.js";

const MAX_ROWS = 100;

export function writeMarkdownReport(report: Report, sink: Sink): void {
  const s = report.summary;
  const link = (id: string) => `[${id}](${rulePageUrl(id, report.docsBase)})`;
  const prose = (text: string) => linkSections(cell(text), report.docsBase);
  const lang = report.lang;
  const say = (key: MessageKey, params?: Params) => t(lang, key, params);
  const clean = s.byStatus.fail === 0 && s.complete && report.coverage.warnings.length === 0;
  sink.write(`${clean ? say("report.md.title.clean") : say("report.md.title.failing", { n: s.byStatus.fail })}\n\n`);
  const none = say("report.md.none");
  sink.write(
    `${say("report.md.snapshot", { at: report.snapshot.collectedAt, accounts: report.snapshot.accounts.join(", ") || none, regions: report.snapshot.regions.join(", ") || none, profile: report.profile })}\n\n`,
  );
  if (!s.complete) {
    const unresolved = s.byStatus.unresolved ? say("report.md.unresolved", { n: s.byStatus.unresolved }) : "";
    sink.write(`${say("report.md.incomplete", { errors: s.byStatus.error, calls: s.collectionErrors, unresolved })}\n\n`);
  }
  sink.write(coverageWarningsMarkdown(report, cell));
  if (report.baseline) {
    const unknown = report.baseline.unknown.length;
    const b = report.baseline;
    const unknownText = unknown ? say("report.md.baselineUnknown", { n: unknown }) : "";
    sink.write(`${say("report.md.baseline", { new: b.new, fixed: b.fixed.length, path: cell(b.path), unchanged: b.unchanged, unknown: unknownText })}\n\n`);
  }
  sink.write(`${say("report.md.countsHead")}\n|---|---:|---:|---:|---:|\n`);
  for (const sev of SEVERITIES) {
    const c = s.bySeverity[sev];
    sink.write(`| ${severityWord(sev, lang)} | ${c.fail} | ${c.waived} | ${c.error} | ${c.pass} |\n`);
  }
  sink.write(`| **${say("report.md.total")}** | **${s.byStatus.fail}** | **${s.byStatus.waived}** | **${s.byStatus.error}** | **${s.byStatus.pass}** |\n\n`);

  const failures = report.results.filter((r) => r.status === "fail").sort(bySeverityThenRule);
  if (failures.length > 0) {
    const shown = failures.slice(0, MAX_ROWS);
    sink.write(`${say("report.md.failures")}\n\n${say("report.md.failuresHead")}\n|---:|---|---|---|---|---|\n`);
    shown.forEach((r, i) => {
      const marker = r.baselineState === "new" ? " 🆕" : "";
      sink.write(
        `| ${i + 1} | ${severityWord(r.rule.def.severity, lang)}${marker} | ${link(r.rule.def.id)} ${cell(r.rule.def.violationTitle)} | ${resourceCell(r.resource)} | ${r.resource.accountId} ${r.resource.region} | ${prose(findingText(r))} |\n`,
      );
    });
    if (failures.length > MAX_ROWS) sink.write(`\n${say("report.md.moreFailures", { n: failures.length - MAX_ROWS })}\n`);
    sink.write("\n");
    writeFixes(report, shown, sink);
  }
  if (report.baseline && report.baseline.fixed.length > 0) {
    sink.write(`${say("report.md.fixed")}\n\n${say("report.md.fixedHead")}\n|---|---|---|\n`);
    for (const f of report.baseline.fixed.slice(0, MAX_ROWS))
      sink.write(`| ${link(f.ruleId)} | \`${cell(f.resource.id)}\` | ${f.resource.accountId} ${f.resource.region} |\n`);
    sink.write("\n");
  }
  const waived = report.results.filter((r) => r.status === "waived").sort(bySeverityThenRule);
  if (waived.length > 0) {
    sink.write(`${say("report.md.waived")}\n\n${say("report.md.waivedHead")}\n|---|---|---|---|---|\n`);
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
    sink.write(`${say("report.md.waiversToReview")}\n\n${say("report.md.waiversHead")}\n|---|---|---|---|\n`);
    const row = (w: (typeof report.waivers)[number], state: string) =>
      sink.write(
        `| #${w.waiver.index} ${cell(String(w.waiver.rule))} \`${cell(w.waiver.resource)}\` | ${cell(w.waiver.owner)} | ${w.waiver.expires} | ${state} |\n`,
      );
    for (const w of expired) row(w, say("report.md.waiverExpired"));
    for (const w of soon) row(w, say("report.md.waiverExpiresIn", { n: w.daysLeft }));
    for (const w of unused.filter((u) => !soon.includes(u))) row(w, say("report.md.waiverUnused"));
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
    sink.write(`${say("report.md.errors")}\n\n${say("report.md.errorsHead")}\n|---|---|---|---|\n`);
    for (const r of errors.slice(0, MAX_ROWS)) {
      sink.write(`| ${link(r.rule.def.id)} | ${resourceCell(r.resource)} | ${r.resource.accountId} ${r.resource.region} | ${cell(r.message)} |\n`);
    }
    if (errors.length > MAX_ROWS) sink.write(`\n${say("report.md.moreErrors", { n: errors.length - MAX_ROWS })}\n`);
    sink.write("\n");
  }
  if (report.collectionErrors.length > 0) {
    sink.write(`${say("report.md.calls")}\n\n${say("report.md.callsHead")}\n|---|---|---|---|---|---|\n`);
    for (const e of report.collectionErrors.slice(0, MAX_ROWS)) {
      sink.write(
        `| ${e.accountId} | ${e.region} | ${e.resourceType} | ${e.operation} | ${cell(e.resourceId ?? say("report.md.allResources"))} | ${cell(`${e.code}: ${e.message}`)} |\n`,
      );
    }
    sink.write("\n");
  }
  sink.write(coverageMarkdown(report, link));
  sink.write(`<sub>${cell(summaryLine(report))} · ${report.tool.name} ${report.tool.version}</sub>\n`);
}

/**
 * How to fix the failures shown: per rule, its fix once, then a shell block with the command for
 * each failing resource, preceded by a comment naming the finding's number and resource.
 */
function writeFixes(report: Report, shown: readonly EvaluationResult[], sink: Sink): void {
  sink.write(`${t(report.lang, "report.md.fixes")}\n\n`);
  const byRule = new Map<string, Array<{ n: number; r: EvaluationResult }>>();
  shown.forEach((r, i) => {
    const list = byRule.get(r.rule.def.id) ?? [];
    list.push({ n: i + 1, r });
    byRule.set(r.rule.def.id, list);
  });
  for (const [id, list] of byRule) {
    const def = list[0]!.r.rule.def;
    const fixes = list.map(({ n, r }) => ({ n, r, fix: fixFor(def, report.config, r, false) }));
    sink.write(`**[${id}](${rulePageUrl(id, report.docsBase)}) ${cell(def.title)}** — ${linkSections(escapeInline(fixes[0]!.fix.text), report.docsBase)}\n\n`);
    sink.write("```sh\n");
    // A resource declared in code has no command: its fix goes into the file, named in its comment line.
    const same = fixes.length > 1 && fixes.every((f) => f.fix.commands.length > 0 && f.fix.commands.join("\n") === fixes[0]!.fix.commands.join("\n"));
    const where = (r: EvaluationResult) =>
      r.resource.source ? `edit ${declarationText(r.resource.source)}` : `${r.resource.id} (${r.resource.accountId} ${r.resource.region})`;
    const groups = same
      ? [{ label: fixes.map((f) => `#${f.n}`).join(", "), commands: fixes[0]!.fix.commands }]
      : fixes.map((f) => ({ label: `#${f.n} ${where(f.r)}`, commands: f.fix.commands }));
    for (const g of groups) {
      sink.write(`# ${g.label.replace(/\n/g, " ")}\n`);
      for (const c of g.commands) sink.write(`${c.replace(/```/g, "` ` `")}\n`);
    }
    sink.write("```\n\n");
  }
}

/** The resource id, and where it is declared for resources declared in code. */
function resourceCell(res: ResultResource): string {
  const where = sourceText(res.source);
  return `\`${cell(res.id)}\`${where ? ` (${cell(where)})` : ""}`;
}

/** Text outside a table: only what would start HTML is escaped. */
function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\\/g, "\\\\").replace(/\*/g, "\\*").replace(/</g, "&lt;");
}

/** Escapes text for a table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\*/g, "\\*").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}
