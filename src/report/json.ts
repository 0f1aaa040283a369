// JSON report (schemas/report.schema.json): every evaluated (rule, resource), passes included,
// so an auditor sees what was checked. Written result by result, one per line.
import type { EvaluationResult } from "../evaluate/engine.js";
import type { Report } from "./model.js";
import type { Sink } from "./sink.js";

export const REPORT_SCHEMA_ID = "https://sagegate.dev/schemas/report.schema.json";

export function writeJsonReport(report: Report, sink: Sink): void {
  const head = {
    $schema: REPORT_SCHEMA_ID,
    reportVersion: 1,
    tool: report.tool,
    snapshot: report.snapshot,
    profile: report.profile,
    summary: report.summary,
    rules: report.rules.map((r) => ({ id: r.def.id, name: r.def.name, severity: r.def.severity, title: r.def.title, resourceType: r.def.resourceType })),
    collectionErrors: report.collectionErrors,
    waivers: report.waivers.map((w) => ({
      index: w.waiver.index,
      file: w.waiver.file,
      ...(w.waiver.line !== undefined ? { line: w.waiver.line } : {}),
      rule: w.waiver.rule,
      resource: w.waiver.resource,
      owner: w.waiver.owner,
      reason: w.waiver.reason,
      expires: w.waiver.expires,
      ...(w.waiver.ticket !== undefined ? { ticket: w.waiver.ticket } : {}),
      state: w.state,
      matched: w.matched,
      daysLeft: w.daysLeft,
    })),
    ...(report.baseline ? { baseline: report.baseline } : {}),
  };
  const text = JSON.stringify(head, null, 2);
  // Open the object, write the header members, then stream the results array.
  sink.write(text.slice(0, -2));
  sink.write(',\n  "results": [');
  let first = true;
  for (const r of report.results) {
    sink.write(first ? "\n    " : ",\n    ");
    sink.write(JSON.stringify(jsonResult(r)));
    first = false;
  }
  sink.write(first ? "]\n}\n" : "\n  ]\n}\n");
}

export function jsonResult(r: EvaluationResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: r.rule.def.id,
    ruleName: r.rule.def.name,
    severity: r.rule.def.severity,
    status: r.status,
    resource: { type: r.resource.type, id: r.resource.id, arn: r.resource.arn, accountId: r.resource.accountId, region: r.resource.region },
    message: r.message,
    evidence: r.evidence,
  };
  if (r.waiver) out.waiver = r.waiver;
  if (r.expiredWaiver) out.expiredWaiver = r.expiredWaiver;
  if (r.baselineState) out.baselineState = r.baselineState;
  return out;
}
