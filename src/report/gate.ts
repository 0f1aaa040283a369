// The verdict a CI gate acts on: exit 1 when a failure is at or above --fail-on, else 3 when
// the scan is incomplete (unless --allow-incomplete), else 0.
import { ExitCode } from "../errors.js";
import { severityRank, type Severity } from "../rules/types.js";
import type { Report } from "./model.js";

export type FailOn = Severity | "none";

export interface GateOptions {
  failOn: FailOn;
  allowIncomplete: boolean;
}

export interface Verdict {
  exitCode: number;
  reason: string;
}

export function gateVerdict(report: Report, options: GateOptions): Verdict {
  if (options.failOn !== "none") {
    const threshold = severityRank(options.failOn);
    const failing = report.results.filter((r) => r.status === "fail" && severityRank(r.rule.def.severity) <= threshold);
    if (failing.length > 0) {
      return { exitCode: ExitCode.gateFailed, reason: `${failing.length} failing check${failing.length === 1 ? "" : "s"} at or above ${options.failOn}` };
    }
  }
  if (!report.summary.complete && !options.allowIncomplete) {
    return { exitCode: ExitCode.incomplete, reason: `the scan is incomplete (${report.summary.byStatus.error} checks could not be evaluated, ${report.summary.collectionErrors} collection errors)` };
  }
  return { exitCode: ExitCode.ok, reason: "no failing checks at or above the threshold" };
}
