// JSON report (schemas/report.schema.json): every evaluated (rule, resource), passes included,
// so an auditor sees what was checked. Written result by result, one per line. Failing and
// waived results carry the rule's title, the fix (text and commands, filled in for the resource)
// and the rule page's helpUri; errors carry helpUri.
import type { EvaluationResult, ResultResource } from "../evaluate/engine.js";
import { rulePageUrl } from "../rules/links.js";
import { fixFor } from "../rules/remediation.js";
import type { Report } from "./model.js";
import type { Sink } from "./sink.js";

/** What a result's fix and links are made from. */
export type ResultContext = Pick<Report, "config" | "docsBase">;

export const REPORT_SCHEMA_ID = "https://sagegate.dev/schemas/report.schema.json";

export async function writeJsonReport(report: Report, sink: Sink): Promise<void> {
  const head = {
    $schema: REPORT_SCHEMA_ID,
    reportVersion: 1,
    tool: report.tool,
    snapshot: report.snapshot,
    profile: report.profile,
    summary: report.summary,
    rules: report.rules.map((r) => ({
      id: r.def.id,
      name: r.def.name,
      severity: r.def.severity,
      kind: r.def.kind,
      title: r.def.title,
      violationTitle: r.def.violationTitle,
      resourceType: r.def.resourceType,
      helpUri: rulePageUrl(r.def.id, report.docsBase),
    })),
    coverage: report.coverage,
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
    ...(report.plan ? { plan: report.plan } : {}),
  };
  const text = JSON.stringify(head, null, 2);
  // Open the object, write the header members, then stream the results array.
  sink.write(text.slice(0, -2));
  sink.write(',\n  "results": [');
  let first = true;
  let n = 0;
  for (const r of report.results) {
    sink.write(first ? "\n    " : ",\n    ");
    sink.write(resultLine(r, report));
    first = false;
    if (++n % 16384 === 0) await sink.breathe?.();
  }
  sink.write(first ? "]\n}\n" : "\n  ]\n}\n");
}

/** The result's resource as the JSON report writes it; `source` only for resources declared in code (sagegate plan). */
function resourceJson(res: ResultResource): Record<string, unknown> {
  const out: Record<string, unknown> = { type: res.type, id: res.id, arn: res.arn, accountId: res.accountId, region: res.region };
  if (res.source) out.source = res.source;
  return out;
}

export function jsonResult(r: EvaluationResult, ctx: ResultContext): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: r.rule.def.id,
    ruleName: r.rule.def.name,
    severity: r.rule.def.severity,
    status: r.status,
    resource: resourceJson(r.resource),
    message: r.message,
    evidence: r.evidence,
  };
  if (r.unresolved) out.unresolved = r.unresolved;
  if (r.waiver) out.waiver = r.waiver;
  if (r.expiredWaiver) out.expiredWaiver = r.expiredWaiver;
  if (r.baselineState) out.baselineState = r.baselineState;
  if (r.status === "fail" || r.status === "waived") {
    out.title = r.rule.def.title;
    out.remediation = fixFor(r.rule.def, ctx.config, r);
  }
  if (r.status !== "pass") out.helpUri = rulePageUrl(r.rule.def.id, ctx.docsBase);
  return out;
}

// The same text as JSON.stringify(jsonResult(r)), built from pieces that repeat: a rule's
// fields are shared by all its results, a resource's by all rules on it. At a million results
// this is most of the report's cost.
interface RulePieces {
  docsBase: string;
  /** `{"ruleId":…,"ruleName":…,"severity":…,"status":` */
  prefix: string;
  /** `,"title":…,"remediation":` */
  title: string;
  /** `,"helpUri":…}` */
  help: string;
}
const rulePieces = new WeakMap<object, RulePieces>();
const resourceTexts = new WeakMap<object, string>();

function piecesOf(r: EvaluationResult, docsBase: string): RulePieces {
  let pieces = rulePieces.get(r.rule);
  if (pieces === undefined || pieces.docsBase !== docsBase) {
    const d = r.rule.def;
    pieces = {
      docsBase,
      prefix: `{"ruleId":${JSON.stringify(d.id)},"ruleName":${JSON.stringify(d.name)},"severity":${JSON.stringify(d.severity)},"status":`,
      title: `,"title":${JSON.stringify(d.title)},"remediation":`,
      help: `,"helpUri":${JSON.stringify(rulePageUrl(d.id, docsBase))}}`,
    };
    rulePieces.set(r.rule, pieces);
  }
  return pieces;
}

export function resultLine(r: EvaluationResult, ctx: ResultContext): string {
  const pieces = piecesOf(r, ctx.docsBase);
  let resource = resourceTexts.get(r.resource);
  if (resource === undefined) {
    resource = JSON.stringify(resourceJson(r.resource));
    resourceTexts.set(r.resource, resource);
  }
  if (r.status === "pass" && r.message === "" && r.evidence.length === 0 && !r.waiver && !r.expiredWaiver && !r.baselineState)
    return `${pieces.prefix}"pass","resource":${resource},"message":"","evidence":[]}`;
  let line = `${pieces.prefix}"${r.status}","resource":${resource},"message":${JSON.stringify(r.message)},"evidence":${r.evidence.length === 0 ? "[]" : JSON.stringify(r.evidence)}`;
  if (r.unresolved) line += `,"unresolved":${JSON.stringify(r.unresolved)}`;
  if (r.waiver) line += `,"waiver":${JSON.stringify(r.waiver)}`;
  if (r.expiredWaiver) line += `,"expiredWaiver":${JSON.stringify(r.expiredWaiver)}`;
  if (r.baselineState) line += `,"baselineState":"${r.baselineState}"`;
  if (r.status === "fail" || r.status === "waived") line += pieces.title + JSON.stringify(fixFor(r.rule.def, ctx.config, r));
  return r.status === "pass" ? line + "}" : line + pieces.help;
}
