// Terminal table: failures and errors grouped by severity, then one summary line.
import Table from "cli-table3";
import { SEVERITIES } from "../rules/types.js";
import { bySeverityThenRule, sourceText, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import { findingText, summaryLine } from "./text.js";

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
      const status =
        r.status === "error"
          ? paint.error("error")
          : r.status === "unresolved"
            ? paint.error("unresolved")
            : r.status === "waived"
              ? "waived"
              : r.baselineState === "new"
                ? "fail new"
                : "fail";
      const where = sourceText(r.resource.source);
      table.push([r.rule.def.id, status, `${shortType(r.resource.type)} ${r.resource.id}${where ? `\n${where}` : ""}`, `${r.resource.region}`, findingText(r)]);
    }
    sink.write(table.toString() + "\n");
    if (group.length > SHOWN_PER_SEVERITY) sink.write(`… and ${group.length - SHOWN_PER_SEVERITY} more ${severity} findings (see the JSON report)\n`);
  }
  sink.write(`\n${summaryLine(report)}\n`);
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
