// The verdict a CI gate acts on: exit 1 when a failure is at or above --fail-on (only new ones
// with --fail-on-new; expired or unused waivers too with --strict-waivers), else 3 when the scan
// is incomplete (unless --allow-incomplete), a plan has checks that depend on values not known
// before deploy (unless --allow-unresolved), or the run checked nothing in a rule area or for a configured
// value (unless --allow-empty-scope), else 0.
import { ExitCode } from "../errors.js";
import { waiverLabel } from "../gate/waivers.js";
import { severityRank, type Severity } from "../rules/types.js";
import type { Report } from "./model.js";
import { warningLine } from "./coverage-sections.js";

export type FailOn = Severity | "none";

export interface GateOptions {
  failOn: FailOn;
  allowIncomplete: boolean;
  /** sagegate plan: exit 0 rather than 3 when some checks depend on values not known before deploy. */
  allowUnresolved?: boolean;
  /** Exit 0 rather than 3 when a rule area or a configured value checked nothing (the warnings are still printed). */
  allowEmptyScope?: boolean;
  failOnNew?: boolean;
  strictWaivers?: boolean;
}

export interface Verdict {
  exitCode: number;
  reason: string;
  /** Further lines worth printing (expired waivers, unused waivers). */
  notes: string[];
}

export function gateVerdict(report: Report, options: GateOptions): Verdict {
  const notes: string[] = [];
  const expired = report.waivers.filter((w) => w.state === "expired");
  const unused = report.waivers.filter((w) => w.state === "unused");
  for (const w of expired)
    notes.push(
      `${waiverLabel(w.waiver, "expired")} no longer applies${w.matched ? `: ${w.matched} finding${w.matched === 1 ? "" : "s"} it covered fail again` : ""}`,
    );
  for (const w of unused) notes.push(`${waiverLabel(w.waiver)} matches no finding (unused)`);
  for (const w of report.coverage.warnings) notes.push(`warning: ${warningLine(w, report.lang)}`);

  if (options.failOn !== "none") {
    const threshold = severityRank(options.failOn);
    const failing = report.results.filter(
      (r) => r.status === "fail" && severityRank(r.rule.def.severity) <= threshold && (!options.failOnNew || r.baselineState !== "unchanged"),
    );
    if (failing.length > 0) {
      const kind = options.failOnNew ? "new failing check" : "failing check";
      const viaExpired = failing.filter((r) => r.expiredWaiver).length;
      return {
        exitCode: ExitCode.gateFailed,
        reason: `${failing.length} ${kind}${failing.length === 1 ? "" : "s"} at or above ${options.failOn}${viaExpired ? ` (${viaExpired} of them covered by an expired waiver)` : ""}`,
        notes,
      };
    }
  }
  if (options.strictWaivers && (expired.length > 0 || unused.length > 0)) {
    return {
      exitCode: ExitCode.gateFailed,
      reason: `--strict-waivers: ${expired.length} expired and ${unused.length} unused waiver${expired.length + unused.length === 1 ? "" : "s"}`,
      notes,
    };
  }
  const s = report.summary;
  if ((s.byStatus.error > 0 || s.collectionErrors > 0) && !options.allowIncomplete) {
    return {
      exitCode: ExitCode.incomplete,
      reason: `the scan is incomplete (${s.byStatus.error} checks could not be evaluated, ${s.collectionErrors} collection errors)`,
      notes,
    };
  }
  const unresolved = s.byStatus.unresolved ?? 0;
  const unplaced = report.plan?.warnings.length ?? 0;
  if ((unresolved > 0 || unplaced > 0) && !options.allowUnresolved) {
    return {
      exitCode: ExitCode.incomplete,
      reason: `the plan is incomplete: ${unresolved} check${unresolved === 1 ? "" : "s"} depend on values not known before deploy${unplaced ? ` and ${unplaced} declaration${unplaced === 1 ? "" : "s"} could not be placed` : ""} (pass --parameters or --live, or --allow-unresolved to accept)`,
      notes,
    };
  }
  const warnings = report.coverage.warnings;
  if (warnings.length > 0 && !options.allowEmptyScope) {
    const what = warnings.map((w) => w.area ?? w.configKeys.join(", ")).join(", ");
    return {
      exitCode: ExitCode.incomplete,
      reason: `the scan checked nothing for ${what} (see the warning${warnings.length === 1 ? "" : "s"} above); --allow-empty-scope accepts this`,
      notes,
    };
  }
  return { exitCode: ExitCode.ok, reason: "no failing checks at or above the threshold", notes };
}
