// Sentences every human-readable format shares: a finding's text and the one-line summary.
import { SEVERITIES } from "../rules/types.js";
import type { EvaluationResult } from "../evaluate/engine.js";
import type { Report } from "./model.js";
import { emptyScopeSummary } from "./coverage-sections.js";

/** The message, plus who accepted it for waived findings, or what an unresolved check needs. */
export function findingText(r: EvaluationResult): string {
  if (r.status === "unresolved" && r.unresolved?.length) return `${r.message} — needs: ${r.unresolved.map(causeText).join("; ")}`;
  if (r.waiver) return `${r.message} — waived by ${r.waiver.owner} until ${r.waiver.expires}: ${r.waiver.reason}`;
  if (r.expiredWaiver) return `${r.message} (waiver by ${r.expiredWaiver.owner} expired ${r.expiredWaiver.expires})`;
  return r.message;
}

/** "parameter InferencePort (pass --parameters)" */
export function causeText(c: { kind: string; name: string; hint?: string }): string {
  return `${c.kind} ${c.name}${c.hint ? ` (${c.hint})` : ""}`;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const failBySeverity = SEVERITIES.map((sev) => [sev, s.bySeverity[sev].fail] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`);
  const unresolved = s.byStatus.unresolved ?? 0;
  const total = s.byStatus.pass + s.byStatus.fail + s.byStatus.error + s.byStatus.waived + unresolved;
  const parts = [
    plural(s.rules, "rule"),
    // Resources with at least one result: the ones the rules checked (validate counts the snapshot's).
    `${plural(s.resources, "resource")} checked`,
    `${plural(total, "check")}: ${s.byStatus.pass} passed, ${s.byStatus.fail} failed${failBySeverity.length ? ` (${failBySeverity.join(", ")})` : ""}, ${s.byStatus.waived} waived, ${s.byStatus.error} could not be evaluated${unresolved ? `, ${unresolved} unresolved before deploy` : ""}`,
  ];
  if (s.new !== undefined) parts.push(`${s.new} new and ${s.fixed ?? 0} fixed since the baseline`);
  if (s.waivers.expired + s.waivers.unused > 0) {
    const words = [s.waivers.expired > 0 ? `${s.waivers.expired} expired` : "", s.waivers.unused > 0 ? `${s.waivers.unused} unused` : ""].filter(Boolean);
    parts.push(`${words.join(" and ")} waiver${s.waivers.expired + s.waivers.unused === 1 ? "" : "s"}`);
  }
  if (!s.complete) parts.push(`INCOMPLETE: ${plural(s.collectionErrors, "collection error")}${unresolved ? `, ${unresolved} unresolved` : ""}`);
  const empty = emptyScopeSummary(report);
  if (empty) parts.push(empty);
  return `sagegate: ${parts.join("; ")}`;
}

/** "1 rule", "2 rules". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
