// The report every format is rendered from. Built once from an evaluation; deterministic (no
// clock, no machine-specific values) so the same snapshot gives byte-identical output.
import { languageOf, type Lang } from "../i18n/index.js";
import { countStatus, isPlanned, statusCounts, type Evaluation, type EvaluationResult, type ResultResource, type StatusCounts } from "../evaluate/engine.js";
import type { CompiledRule } from "../evaluate/rule.js";
import { SEVERITIES, severityRank, type Severity } from "../rules/types.js";
import type { CollectionError, LoadedSnapshot, SourceSpan } from "../snapshot/types.js";
import { TOOL } from "../version.js";
import type { BaselineFinding, BaselineOutcome } from "../gate/baseline.js";
import { EXPIRING_SOON_DAYS, type WaiverStatus } from "../gate/waivers.js";
import type { Config } from "../config/config.js";
import { docsBase, rulePagePath } from "../rules/links.js";
import type { SourceLocation } from "../resources/source.js";
import type { UnresolvedCause } from "../resources/unresolved.js";
import { computeCoverage, type Coverage } from "./coverage.js";

export type SeverityCounts = Record<Severity, number>;

export interface Summary {
  /** Results per status, all severities (`unresolved` in plan runs only). */
  byStatus: StatusCounts;
  /** Failures and errors per severity. */
  bySeverity: Record<Severity, StatusCounts>;
  rules: number;
  resources: number;
  collectionErrors: number;
  /** False when some data could not be collected or some results are `error` or `unresolved`. */
  complete: boolean;
  /** With --baseline: failures not in the baseline, and baseline failures that are gone. */
  new?: number;
  fixed?: number;
  waivers: { active: number; expired: number; unused: number; expiringSoon: number };
}

export interface ReportContext {
  snapshot: LoadedSnapshot;
  evaluation: Evaluation;
  /** Snapshot path as given on the command line (relative paths stay relative). */
  snapshotPath?: string;
  profile: string;
  waivers?: WaiverStatus[];
  baseline?: BaselineOutcome;
  /** The snapshot file as a URI relative to the repository root, for formats that point at lines (SARIF). */
  artifactUri?: string;
  /** `--category`: names this kind of run (nightly, pre-deploy) for code scanning. */
  category?: string;
  /** `--sarif-include-waived`: emit waived results with `suppressions` instead of leaving them out. */
  includeWaivedInSarif?: boolean;
  /** `--sarif-max-results`: at most this many results in the SARIF log. */
  sarifMaxResults?: number;
  /**
   * Failures of the previous run (the baseline and `--last-report`), by `findingKey`: a check that
   * cannot be evaluated now keeps its alert open only when it failed then.
   */
  previousFailures?: ReadonlyMap<string, BaselineFinding>;
  /** The run's configuration: fills the placeholders of each finding's fix; coverage warnings (empty scope, configured values not in the snapshot) need it. */
  config?: Config;
  /** sagegate plan: the inputs and what could not be placed. */
  plan?: PlanSummary;
  /**
   * sagegate plan: resources per type that the plan is about (planned ones and the live ones it
   * names), for coverage; the rest of a --live snapshot is the nightly scan's business.
   */
  planTypeCounts?: ReadonlyMap<string, number>;
}

/** sagegate plan: what was planned, and declarations that could not be placed (never evaluated). */
export interface PlanSummary {
  inputs: string[];
  live?: string;
  warnings: Array<{ file: string; line: number; message: string; unresolved?: UnresolvedCause }>;
}

/** Where results sit in the snapshot file, as a repository-relative URI and line ranges (SARIF's related locations). */
export interface ReportSource {
  /** Relative to the repository root, forward slashes, percent-encoded: never absolute, never an ARN. */
  uri: string;
  /**
   * Lines of a result's resource object; for results without an object of their own (a type
   * that could not be listed, a project without its group) the line naming their region; line 1
   * when the snapshot was not read from a file.
   */
  locate(resource: ResultResource): SourceSpan;
}

export interface Report {
  tool: typeof TOOL;
  snapshot: {
    path?: string;
    collectedAt: string;
    collector: { name: string; version: string };
    accounts: string[];
    regions: string[];
  };
  profile: string;
  summary: Summary;
  rules: CompiledRule[];
  results: EvaluationResult[];
  /** What each rule checked, and warnings when a rule area or a configured value checked nothing. */
  coverage: Coverage;
  collectionErrors: Array<CollectionError & { accountId: string; region: string }>;
  waivers: WaiverStatus[];
  baseline?: { path: string; new: number; unchanged: number; fixed: BaselineFinding[]; unknown: BaselineFinding[] };
  /** Present when the report was given the snapshot's repository-relative location. */
  source?: ReportSource;
  category?: string;
  includeWaivedInSarif?: boolean;
  config?: Config;
  /** The language of the human-facing text (rule text and messages are already in it; headings and sentences follow it). Not written to JSON. */
  lang: Lang;
  /** Base URL of docs/ for links that leave the repository (config docsUrl, else the repository at this version's tag). */
  docsBase: string;
  sarifMaxResults?: number;
  previousFailures?: ReadonlyMap<string, BaselineFinding>;
  /** sagegate plan: the inputs and what could not be placed. */
  plan?: PlanSummary;
}

export function buildReport(ctx: ReportContext): Report {
  const { snapshot, evaluation } = ctx;
  const collectionErrors = snapshot.regions.flatMap((r) => r.errors.map((e) => ({ accountId: r.accountId, region: r.region, ...e })));
  const results = ctx.baseline?.results ?? evaluation.results;
  const waivers = ctx.waivers ?? [];
  const summary = summarize(results, evaluation.rules.length, collectionErrors.length, waivers, isPlanned(snapshot));
  if (ctx.baseline) {
    summary.new = ctx.baseline.newCount;
    summary.fixed = ctx.baseline.fixed.length;
  }
  const report: Report = {
    tool: TOOL,
    snapshot: {
      collectedAt: snapshot.meta.collectedAt,
      collector: snapshot.meta.collector,
      accounts: [...new Set(snapshot.regions.map((r) => r.accountId))].sort(),
      regions: [...new Set(snapshot.regions.map((r) => r.region))].sort(),
    },
    profile: ctx.profile,
    summary,
    rules: evaluation.rules,
    results,
    coverage: computeCoverage(snapshot, evaluation.rules, results, ctx.config, ctx.planTypeCounts),
    collectionErrors,
    waivers,
    docsBase: docsBase(ctx.config?.docsUrl),
    lang: languageOf(ctx.config),
  };
  if (ctx.config) report.config = ctx.config;
  if (ctx.baseline)
    report.baseline = {
      path: ctx.baseline.file,
      new: ctx.baseline.newCount,
      unchanged: ctx.baseline.unchangedCount,
      fixed: ctx.baseline.fixed,
      unknown: ctx.baseline.unknown,
    };
  if (ctx.snapshotPath !== undefined) report.snapshot.path = ctx.snapshotPath;
  if (ctx.artifactUri !== undefined) report.source = { uri: ctx.artifactUri, locate: locator(snapshot) };
  if (ctx.category !== undefined) report.category = ctx.category;
  if (ctx.includeWaivedInSarif) report.includeWaivedInSarif = true;
  if (ctx.sarifMaxResults !== undefined) report.sarifMaxResults = ctx.sarifMaxResults;
  if (ctx.previousFailures !== undefined) report.previousFailures = ctx.previousFailures;
  if (ctx.plan) report.plan = ctx.plan;
  return report;
}

const FIRST_LINE: SourceSpan = { startLine: 1, endLine: 1 };

function locator(snapshot: LoadedSnapshot): ReportSource["locate"] {
  return (resource) => {
    if (resource.start !== undefined && resource.end !== undefined && snapshot.lines) return snapshot.lines(resource.start, resource.end);
    return snapshot.regionLines?.(resource.accountId, resource.region) ?? FIRST_LINE;
  };
}

export function summarize(
  results: readonly EvaluationResult[],
  rules: number,
  collectionErrors: number,
  waivers: readonly WaiverStatus[] = [],
  planned = false,
): Summary {
  const byStatus = statusCounts(planned);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, statusCounts(planned)])) as Record<Severity, StatusCounts>;
  // Results of one resource are adjacent and share its object: count changes, not a set of ARNs.
  let resources = 0;
  let last: unknown;
  for (const r of results) {
    countStatus(byStatus, r.status);
    countStatus(bySeverity[r.rule.def.severity], r.status);
    if (r.resource !== last) {
      resources++;
      last = r.resource;
    }
  }
  const count = (state: string) => waivers.filter((w) => w.state === state).length;
  return {
    byStatus,
    bySeverity,
    rules,
    resources,
    collectionErrors,
    complete: byStatus.error === 0 && (byStatus.unresolved ?? 0) === 0 && collectionErrors === 0,
    waivers: { active: count("active"), expired: count("expired"), unused: count("unused"), expiringSoon: expiringSoon(waivers).length },
  };
}

/** Waivers still in force that end within EXPIRING_SOON_DAYS days. */
export function expiringSoon(waivers: readonly WaiverStatus[]): WaiverStatus[] {
  return waivers.filter((w) => w.state !== "expired" && w.daysLeft <= EXPIRING_SOON_DAYS);
}

/** Failures first by severity, then by rule and resource: the order people read findings in. */
export function bySeverityThenRule(a: EvaluationResult, b: EvaluationResult): number {
  return (
    severityRank(a.rule.def.severity) - severityRank(b.rule.def.severity) ||
    cmp(a.rule.def.id, b.rule.def.id) ||
    cmp(a.resource.accountId, b.resource.accountId) ||
    cmp(a.resource.region, b.resource.region) ||
    cmp(a.resource.id, b.resource.id)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `file:line` of a resource declared in code (planned resources), for the table, Markdown and fixes. */
export function sourceText(source: SourceLocation | undefined): string | undefined {
  return source ? `${source.file}:${source.line}` : undefined;
}

/** Rule page path, relative to the repository root. */
export function rulePage(id: string): string {
  return rulePagePath(id);
}
