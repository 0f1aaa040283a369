// Baselines: compare this run's findings with a previous JSON report. Matching is by rule id +
// resource ARN only, never by resource type, so a new violation on another resource is never
// absorbed by an old one.
import { BaselineError, type Place } from "../errors.js";
import { readBytes } from "../io/files.js";
import { parseJsonBytes } from "../io/json.js";
import { assertSchema } from "../io/schema.js";
import type { EvaluationResult } from "../evaluate/engine.js";

/** Baseline reports can be large: a whole organisation's results (read as bytes, never as one string). */
const MAX_BASELINE_BYTES = 2 * 1024 * 1024 * 1024;

export interface BaselineFinding {
  ruleId: string;
  severity: string;
  resource: { type: string; id: string; arn: string; accountId: string; region: string };
  message: string;
}

export interface Baseline {
  file: string;
  /** Failing (or waived) findings of the previous run, by rule id + ARN. */
  findings: Map<string, BaselineFinding>;
}

export interface BaselineOutcome {
  results: EvaluationResult[];
  file: string;
  newCount: number;
  unchangedCount: number;
  /** Findings of the baseline that no longer fail (fixed, or the resource is gone). */
  fixed: BaselineFinding[];
  /**
   * Findings of the baseline whose resources could not even be listed this time: neither fixed
   * nor failing. SARIF keeps their alerts open with a note each.
   */
  unknown: BaselineFinding[];
}

const makeError = (message: string, file: string, place?: Place) => new BaselineError(message, file, place);

export function findingKey(ruleId: string, arn: string): string {
  return `${ruleId}\u0000${arn}`;
}

export function loadBaseline(file: string): Baseline {
  const doc = parseJsonBytes(readBytes(file, makeError, MAX_BASELINE_BYTES), file, makeError);
  assertSchema("report", doc, file, makeError);
  const findings = new Map<string, BaselineFinding>();
  for (const r of (doc as { results: Array<BaselineFinding & { status: string }> }).results) {
    if (r.status !== "fail" && r.status !== "waived") continue;
    findings.set(findingKey(r.ruleId, r.resource.arn), { ruleId: r.ruleId, severity: r.severity, resource: r.resource, message: r.message });
  }
  return { file, findings };
}

const FAILING = new Set(["fail", "waived"]);

export function applyBaseline(results: readonly EvaluationResult[], baseline: Baseline): BaselineOutcome {
  let newCount = 0;
  let unchangedCount = 0;
  const out = results.map((r) => {
    if (!FAILING.has(r.status)) return r;
    const key = findingKey(r.rule.def.id, r.resource.arn);
    if (baseline.findings.has(key)) {
      unchangedCount++;
      return { ...r, baselineState: "unchanged" as const };
    }
    newCount++;
    return { ...r, baselineState: "new" as const };
  });
  const stillFailing = new Set(results.filter((r) => FAILING.has(r.status) || r.status === "error").map((r) => findingKey(r.rule.def.id, r.resource.arn)));
  // A finding whose check is now `error` is not "fixed": we cannot tell.
  // Nor is one whose resource type could not be listed in its account and region (id "*").
  const unlisted = new Set(results.filter((r) => r.cause?.kind === "unlisted").map((r) => scopeKey(r.rule.def.id, r.resource)));
  const gone = [...baseline.findings.entries()].filter(([k]) => !stillFailing.has(k)).map(([, f]) => f);
  gone.sort((a, b) => cmp(a.ruleId, b.ruleId) || cmp(a.resource.arn, b.resource.arn));
  const fixed = gone.filter((f) => !unlisted.has(scopeKey(f.ruleId, f.resource)));
  const unknown = gone.filter((f) => unlisted.has(scopeKey(f.ruleId, f.resource)));
  return { results: out, file: baseline.file, newCount, unchangedCount, fixed, unknown };
}

function scopeKey(ruleId: string, r: { type: string; accountId: string; region: string }): string {
  return `${ruleId}\u0000${r.type}\u0000${r.accountId}\u0000${r.region}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
