// Sentences every human-readable format shares: a finding's text and the one-line summary.
import { SEVERITIES } from "../rules/types.js";
import type { EvaluationResult } from "../evaluate/engine.js";
import type { Report } from "./model.js";

/** The message, plus who accepted it for waived findings. */
export function findingText(r: EvaluationResult): string {
  if (r.status === "unresolved" && r.unresolved?.length) return `${r.message} — needs: ${r.unresolved.map(causeText).join("; ")}`;
  if (r.waiver) return `${r.message} — waived by ${r.waiver.owner} until ${r.waiver.expires}: ${r.waiver.reason}`;
  if (r.expiredWaiver) return `${r.message} (waiver by ${r.expiredWaiver.owner} expired ${r.expiredWaiver.expires})`;
  return r.message;
}

/** "parameter InferencePort has no value: pass --parameters" */
export function causeText(c: { kind: string; name: string; hint?: string }): string {
  return `${c.kind} ${c.name}${c.hint ? ` (${c.hint})` : ""}`;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const failBySeverity = SEVERITIES.map((sev) => [sev, s.bySeverity[sev].fail] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`);
  const total = s.byStatus.pass + s.byStatus.fail + s.byStatus.error + s.byStatus.waived + s.byStatus.unresolved;
  const parts = [
    `${s.rules} rules`,
    `${s.resources} resources`,
    `${total} checks: ${s.byStatus.pass} passed, ${s.byStatus.fail} failed${failBySeverity.length ? ` (${failBySeverity.join(", ")})` : ""}, ${s.byStatus.waived} waived, ${s.byStatus.error} could not be evaluated${s.byStatus.unresolved ? `, ${s.byStatus.unresolved} unresolved at plan time` : ""}`,
  ];
  if (s.new !== undefined) parts.push(`${s.new} new and ${s.fixed ?? 0} fixed since the baseline`);
  if (s.waivers.expired + s.waivers.unused > 0) parts.push(`${s.waivers.expired} expired and ${s.waivers.unused} unused waivers`);
  if (!s.complete)
    parts.push(
      `INCOMPLETE: ${s.collectionErrors} collection error${s.collectionErrors === 1 ? "" : "s"}${s.byStatus.unresolved ? `, ${s.byStatus.unresolved} unresolved` : ""}`,
    );
  return `sagegate: ${parts.join("; ")}`;
}
