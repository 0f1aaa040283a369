// Terminal table: failures and errors grouped by severity, then one summary line.
import Table from "cli-table3";
import { SEVERITIES } from "../rules/types.js";
import { bySeverityThenRule, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import type { EvaluationResult } from "../evaluate/engine.js";

const SHOWN_PER_SEVERITY = 200;

export function writeTableReport(report: Report, sink: Sink, options: { color?: boolean; width?: number } = {}): void {
  const paint = options.color ? colors : plain;
  const findings = report.results.filter((r) => r.status !== "pass").sort(bySeverityThenRule);
  const width = Math.max(80, options.width ?? 120);
  const messageWidth = Math.max(30, width - 70);
  for (const severity of SEVERITIES) {
    const group = findings.filter((r) => r.rule.def.severity === severity);
    if (group.length === 0) continue;
    sink.write(`\n${paint.severity(severity, `${severity.toUpperCase()} (${group.length})`)}\n`);
    const table = new Table({
      head: ["Rule", "Status", "Resource", "Region", "Finding"],
      style: { head: options.color ? ["bold"] : [], border: [] },
      colWidths: [8, 10, 34, 16, messageWidth],
      wordWrap: true,
    });
    for (const r of group.slice(0, SHOWN_PER_SEVERITY)) {
      const status = r.status === "error" ? paint.error("error") : r.status === "waived" ? "waived" : r.baselineState === "new" ? "fail new" : "fail";
      table.push([r.rule.def.id, status, `${shortType(r.resource.type)} ${r.resource.id}`, `${r.resource.region}`, findingText(r)]);
    }
    sink.write(table.toString() + "\n");
    if (group.length > SHOWN_PER_SEVERITY) sink.write(`… and ${group.length - SHOWN_PER_SEVERITY} more ${severity} findings (see the JSON report)\n`);
  }
  sink.write(`\n${summaryLine(report)}\n`);
}

/** The message, plus who accepted it for waived findings. */
export function findingText(r: EvaluationResult): string {
  if (r.waiver) return `${r.message} — waived by ${r.waiver.owner} until ${r.waiver.expires}: ${r.waiver.reason}`;
  if (r.expiredWaiver) return `${r.message} (waiver by ${r.expiredWaiver.owner} expired ${r.expiredWaiver.expires})`;
  return r.message;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const failBySeverity = SEVERITIES.map((sev) => [sev, s.bySeverity[sev].fail] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`);
  const total = s.byStatus.pass + s.byStatus.fail + s.byStatus.error + s.byStatus.waived;
  const parts = [
    `${s.rules} rules`,
    `${s.resources} resources`,
    `${total} checks: ${s.byStatus.pass} passed, ${s.byStatus.fail} failed${failBySeverity.length ? ` (${failBySeverity.join(", ")})` : ""}, ${s.byStatus.waived} waived, ${s.byStatus.error} could not be evaluated`,
  ];
  if (s.new !== undefined) parts.push(`${s.new} new and ${s.fixed ?? 0} fixed since the baseline`);
  if (s.waivers.expired + s.waivers.unused > 0) parts.push(`${s.waivers.expired} expired and ${s.waivers.unused} unused waivers`);
  if (!s.complete) parts.push(`INCOMPLETE: ${s.collectionErrors} collection error${s.collectionErrors === 1 ? "" : "s"}`);
  return `sagegate: ${parts.join("; ")}`;
}

function shortType(type: string): string {
  return type.replace(/^AWS::/, "");
}

const plain = { severity: (_s: string, t: string) => t, error: (t: string) => t };
const SEVERITY_COLORS: Record<string, string> = { critical: "\x1b[1;31m", high: "\x1b[31m", medium: "\x1b[33m", low: "\x1b[36m" };
const colors = {
  severity: (s: string, t: string) => `${SEVERITY_COLORS[s] ?? ""}${t}\x1b[0m`,
  error: (t: string) => `\x1b[35m${t}\x1b[0m`,
};
