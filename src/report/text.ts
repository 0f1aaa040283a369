// Sentences every human-readable format shares: a finding's text and the one-line summary.
import { SEVERITIES, type Severity } from "../rules/types.js";
import { t, type Lang } from "../i18n/index.js";
import type { EvaluationResult } from "../evaluate/engine.js";
import type { Report } from "./model.js";
import { emptyScopeSummary } from "./coverage-sections.js";

/** The message, plus who accepted it for waived findings, or what an unresolved check needs. */
export function findingText(r: EvaluationResult, lang: Lang = r.rule.lang): string {
  if (r.status === "unresolved" && r.unresolved?.length) return t(lang, "report.needs", { message: r.message, causes: r.unresolved.map(causeText).join("; ") });
  if (r.waiver) return t(lang, "report.waivedBy", { message: r.message, owner: r.waiver.owner, expires: r.waiver.expires, reason: r.waiver.reason });
  if (r.expiredWaiver) return t(lang, "report.waiverExpired", { message: r.message, owner: r.expiredWaiver.owner, expires: r.expiredWaiver.expires });
  return r.message;
}

/** "parameter InferencePort (pass --parameters)" */
export function causeText(c: { kind: string; name: string; hint?: string }): string {
  return `${c.kind} ${c.name}${c.hint ? ` (${c.hint})` : ""}`;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const lang = report.lang;
  const failBySeverity = SEVERITIES.map((sev) => [sev, s.bySeverity[sev].fail] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => t(lang, "report.summary.severityCount", { n, severity: severityWord(sev, lang) }));
  const unresolved = s.byStatus.unresolved ?? 0;
  const total = s.byStatus.pass + s.byStatus.fail + s.byStatus.error + s.byStatus.waived + unresolved;
  const parts = [
    t(lang, "report.summary.rules", { n: s.rules }),
    // Resources with at least one result: the ones the rules checked (validate counts the snapshot's).
    t(lang, "report.summary.resources", { n: s.resources }),
    t(lang, "report.summary.checks", {
      n: total,
      pass: s.byStatus.pass,
      fail: s.byStatus.fail,
      bySeverity: failBySeverity.length ? t(lang, "report.summary.bySeverity", { list: failBySeverity.join(t(lang, "engine.sep.comma")) }) : "",
      waived: s.byStatus.waived,
      error: s.byStatus.error,
      unresolved: unresolved ? t(lang, "report.summary.unresolvedChecks", { n: unresolved }) : "",
    }),
  ];
  if (s.new !== undefined) parts.push(t(lang, "report.summary.baseline", { new: s.new, fixed: s.fixed ?? 0 }));
  if (s.waivers.expired + s.waivers.unused > 0) {
    const words = [
      s.waivers.expired > 0 ? t(lang, "report.summary.waiversExpired", { n: s.waivers.expired }) : "",
      s.waivers.unused > 0 ? t(lang, "report.summary.waiversUnused", { n: s.waivers.unused }) : "",
    ].filter(Boolean);
    parts.push(t(lang, "report.summary.waivers", { words: words.join(t(lang, "engine.sep.and")), n: s.waivers.expired + s.waivers.unused }));
  }
  if (!s.complete)
    parts.push(
      t(lang, "report.summary.incomplete", {
        n: s.collectionErrors,
        unresolved: unresolved ? t(lang, "report.summary.unresolvedIncomplete", { n: unresolved }) : "",
      }),
    );
  const empty = emptyScopeSummary(report);
  if (empty) parts.push(empty);
  return t(lang, "report.summary.line", { parts: parts.join(t(lang, "engine.sep.list")) });
}

/** "critical" or 严重: a severity as the reader's language names it (JSON and SARIF keep the value). */
export function severityWord(severity: Severity, lang: Lang): string {
  return t(lang, `report.severity.${severity}`);
}

/** "1 rule", "2 rules". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
