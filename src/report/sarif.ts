// SARIF 2.1.0 for GitHub code scanning, written for what upload-sarif and a reviewer do with it.
//
// One run: every rule of the run in tool.driver.rules (the violation phrasing as the alert title,
// the design, rationale and fix as help) and one result per failing (rule, resource), pointing at
// the resource's own path `aws/<account>/<region>/<service>/<resource-type>/<id>` or at its
// declaration (see sarif-identity.ts), with its object in the snapshot as a related location.
//
// An incomplete scan adds two kinds of result, neither of which opens a security alert that
// churns: a `note` with the rule and fingerprint of each (rule, resource) that failed in the
// previous run (baseline or last report) and could not be evaluated now, so that its alert is not
// closed as fixed; and one `sagegate/not-evaluated` warning per failed AWS call, a rule without a
// security severity, in the account and region where the call failed.
//
// The output is deterministic (no clock, no host, results in a fixed order) and never exceeds
// what GitHub keeps: 5,000 results by default (`--sarif-max-results`, at most 25,000), the most
// severe first, and a gzip-compressed size under 10 MB. When a limit bites, the run says so.
import { gzipSync } from "node:zlib";
import type * as Sarif from "sarif";
import type { EvaluationResult, ResultResource, Status } from "../evaluate/engine.js";
import { findingKey, type BaselineFinding } from "../gate/baseline.js";
import { severityRank } from "../rules/types.js";
import { compare } from "../snapshot/read.js";
import type { CollectionError } from "../snapshot/types.js";
import { TOOL } from "../version.js";
import type { Report } from "./model.js";
import type { Renderer } from "./renderer.js";
import { blindSpotFingerprint, declaration, fingerprint, notEvaluatedPath, resourcePath } from "./sarif-identity.js";
import { LEVEL, NOT_EVALUATED_RULE_ID, notEvaluatedDescriptor, ruleDescriptor } from "./sarif-rules.js";
import type { Sink } from "./sink.js";
export { checkCategory } from "./category.js";
export { fingerprint, resourcePath } from "./sarif-identity.js";
export { LEVEL, NOT_EVALUATED_RULE_ID, PROBLEM_SEVERITY, ruleHelpUri, SECURITY_SEVERITY } from "./sarif-rules.js";

/** The OASIS SARIF 2.1.0 schema (errata 01), the version the multitool and GitHub validate against. */
export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** GitHub keeps the 5,000 most severe results of a run; the rest are dropped and their alerts close as fixed. */
export const DEFAULT_MAX_RESULTS = 5_000;
/** GitHub rejects a run with more results than this: the highest `--sarif-max-results` allowed. */
export const MAX_RESULTS = 25_000;
/**
 * GitHub rejects a file whose gzip-compressed size is above 10 MB. We stay under 9.5 million
 * bytes: below the limit whichever "MB" is meant, with room for what upload-sarif adds.
 */
export const MAX_GZIP_BYTES = 9_500_000;

/**
 * How each result status appears in SARIF: a finding at the rule's level, a check that could not
 * be evaluated (a note, only when it failed last time), or nothing. Waived results are left out by
 * default, since GitHub ignores `suppressions` and would show them as open alerts;
 * `--sarif-include-waived` emits them with `suppressions` for other SARIF consumers.
 */
const EMIT: Record<Status, "finding" | "notEvaluated" | "waived" | undefined> = { fail: "finding", error: "notEvaluated", waived: "waived", pass: undefined };

/** At most this many evidence items, and this much evidence text, per result. */
const MAX_EVIDENCE_ITEMS = 20;
const MAX_EVIDENCE_CHARS = 8_000;
const MAX_MESSAGE_CHARS = 1_500;
const MAX_NOTIFICATIONS = 1_000;

export interface SarifOptions {
  /** Receives one line per limit that made results be left out (the CLI prints it on stderr). */
  warn?: (text: string) => void;
  maxResults?: number;
  maxGzipBytes?: number;
}

export interface SarifStats {
  results: number;
  /** Left out because of the result limit / the size limit. */
  droppedForCount: number;
  droppedForSize: number;
  gzipBytes: number;
}

/** `automationDetails.id` with `--category` (the category, then "/"); none without, so upload-sarif's `category:` applies. */
export function automationId(report: Pick<Report, "category">): string | undefined {
  const category = report.category;
  if (category === undefined) return undefined;
  return category.endsWith("/") ? category : category + "/";
}

/** A result to write: a rule's result on a resource, or a failed call. */
type Candidate = RuleCandidate | { kind: "blindSpot"; spot: BlindSpot };
interface RuleCandidate {
  kind: "rule";
  result: EvaluationResult;
  /** Present on a note that keeps the alert of a previous failure open. */
  keptOpen?: KeptOpen;
}

/** Why a note keeps an alert open: it failed in the previous run, and why it could not be evaluated now. */
interface KeptOpen {
  previous: BaselineFinding;
  why: string;
}

interface BlindSpot {
  accountId: string;
  region: string;
  resourceType: string;
  operation: string;
  resourceId?: string;
  code: string;
  message: string;
  /** Checks of the region that could not be evaluated, when no failed call explains them. */
  unexplained?: number;
}

export function writeSarifReport(report: Report, sink: Sink, options: SarifOptions = {}): SarifStats {
  const maxResults = options.maxResults ?? report.sarifMaxResults ?? DEFAULT_MAX_RESULTS;
  const maxGzip = options.maxGzipBytes ?? MAX_GZIP_BYTES;

  const ruleIndex = new Map(report.rules.map((r, i) => [r.def.id, i]));
  const ruleResults = [...findings(report), ...keptOpen(report)].sort(byPriority);
  const spots = blindSpots(report);
  const notEvaluatedIndex = report.rules.length;
  const candidates: Candidate[] = [...ruleResults, ...spots.map((spot): Candidate => ({ kind: "blindSpot", spot }))];
  const droppedForCount = Math.max(0, candidates.length - maxResults);
  const rendered = candidates
    .slice(0, candidates.length - droppedForCount)
    .map((c) =>
      JSON.stringify(
        c.kind === "rule" ? ruleResult(c.result, c.keptOpen, ruleIndex.get(c.result.rule.def.id)!, report) : blindSpotResult(c.spot, notEvaluatedIndex, report),
      ),
    );
  const bytes = rendered.map((text) => Buffer.byteLength(text, "utf8") + RESULT_SEPARATOR.length);

  // Render; if the compressed size is over the limit, leave out the least severe results and
  // measure again. The estimate comes from the compression ratio just seen, so this converges
  // in a few rounds; the text measured last is exactly the text written.
  let kept = rendered.length;
  let pieces: string[];
  let gzipBytes: number;
  for (;;) {
    const limits = { candidates: candidates.length, droppedForCount, droppedForSize: rendered.length - kept, maxResults, maxGzip };
    pieces = assemble(report, rendered, kept, limits, spots.length > 0);
    const text = pieces.join("");
    const raw = Buffer.byteLength(text, "utf8");
    gzipBytes = gzipSync(text).length;
    if (gzipBytes <= maxGzip) break;
    if (kept === 0) throw new Error(`the SARIF log is ${gzipBytes} bytes gzip-compressed without any result, above the limit of ${maxGzip}`);
    const targetRaw = (maxGzip * 0.97 * raw) / gzipBytes;
    let size = raw;
    let k = kept;
    while (k > 0 && size > targetRaw) size -= bytes[--k]!;
    kept = Math.min(k, kept - 1);
  }
  for (const piece of pieces) sink.write(piece);

  const stats: SarifStats = { results: kept, droppedForCount, droppedForSize: rendered.length - kept, gzipBytes };
  for (const text of limitMessages(stats, maxResults, maxGzip)) options.warn?.(text);
  return stats;
}

const RESULT_SEPARATOR = ",\n        ";

interface Limits {
  candidates: number;
  droppedForCount: number;
  droppedForSize: number;
  maxResults: number;
  maxGzip: number;
}

/** The whole log as pieces: pretty-printed head, then one result per line. */
function assemble(report: Report, rendered: readonly string[], kept: number, limits: Limits, withNotEvaluated: boolean): string[] {
  const snapshotUri = report.source?.uri;
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL.name,
        semanticVersion: TOOL.version,
        informationUri: TOOL.informationUri,
        rules: [...report.rules.map((r) => ruleDescriptor(r, report)), ...(withNotEvaluated ? [notEvaluatedDescriptor()] : [])],
      },
    },
  };
  const id = automationId(report);
  if (id !== undefined) run.automationDetails = { id };
  run.invocations = [invocation(report, limits)];
  if (snapshotUri !== undefined) run.artifacts = [{ location: { uri: snapshotUri }, mimeType: "application/json", roles: ["analysisTarget"] }];
  const snapshot: Sarif.PropertyBag = {};
  if (snapshotUri !== undefined) snapshot.uri = snapshotUri;
  Object.assign(snapshot, {
    collectedAt: report.snapshot.collectedAt,
    collector: report.snapshot.collector,
    accounts: report.snapshot.accounts,
    regions: report.snapshot.regions,
  });
  run.properties = {
    snapshot,
    profile: report.profile,
    summary: report.summary,
    resultsLeftOut: { resultLimit: limits.droppedForCount, sizeLimit: limits.droppedForSize },
  };
  const head = JSON.stringify(run, null, 2).replace(/\n/g, "\n    ");
  const pieces = [
    `{\n  "$schema": ${JSON.stringify(SARIF_SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    `,
    head.slice(0, -"\n    }".length),
    `,\n      "results": [`,
  ];
  for (let i = 0; i < kept; i++) pieces.push(i === 0 ? "\n        " : RESULT_SEPARATOR, rendered[i]!);
  pieces.push(kept === 0 ? "]\n    }\n  ]\n}\n" : "\n      ]\n    }\n  ]\n}\n");
  return pieces;
}

// ---------------------------------------------------------------- which results

function findings(report: Report): RuleCandidate[] {
  const includeWaived = report.includeWaivedInSarif === true;
  return report.results
    .filter((r) => EMIT[r.status] === "finding" || (EMIT[r.status] === "waived" && includeWaived))
    .map((result): RuleCandidate => ({ kind: "rule", result }));
}

/**
 * Notes that keep alerts open: each (rule, resource) that failed in the previous run and could
 * not be evaluated now, either on its own (status `error`) or because its whole type could not
 * be listed in its account and region. Nothing for a check that passed, or was never seen.
 */
function keptOpen(report: Report): RuleCandidate[] {
  const previous = report.previousFailures;
  if (!previous || previous.size === 0) return [];
  const out: RuleCandidate[] = [];
  const seen = new Set<string>();
  const unlisted = new Map<string, EvaluationResult>();
  for (const r of report.results) {
    if (r.status !== "error") continue;
    if (r.cause?.kind === "unlisted") {
      unlisted.set(scopeKey(r.rule.def.id, r.resource), r);
      continue;
    }
    const key = findingKey(r.rule.def.id, r.resource.arn);
    const before = previous.get(key);
    if (!before) continue;
    seen.add(key);
    out.push({ kind: "rule", result: r, keptOpen: { previous: before, why: notEvaluatedBecause(r) } });
  }
  if (unlisted.size === 0) return out;
  const present = new Set(report.results.map((r) => findingKey(r.rule.def.id, r.resource.arn)));
  for (const [key, before] of previous) {
    if (seen.has(key) || present.has(key)) continue;
    const unlistedResult = unlisted.get(scopeKey(before.ruleId, before.resource));
    if (!unlistedResult) continue;
    const resource: ResultResource = {
      type: before.resource.type,
      id: before.resource.id,
      arn: before.resource.arn,
      accountId: before.resource.accountId,
      region: before.resource.region,
    };
    const result: EvaluationResult = {
      rule: unlistedResult.rule,
      resource,
      status: "error",
      message: unlistedResult.message,
      evidence: [],
      ...(unlistedResult.cause ? { cause: unlistedResult.cause } : {}),
    };
    out.push({ kind: "rule", result, keptOpen: { previous: before, why: notEvaluatedBecause(result) } });
  }
  return out;
}

function scopeKey(ruleId: string, r: { type: string; accountId: string; region: string }): string {
  return `${ruleId}\u0000${r.type}\u0000${r.accountId}\u0000${r.region}`;
}

/**
 * One blind spot per failed call, in a fixed order, each call once. Checks that could not be
 * evaluated in a region where no call failed (a cause sagegate does not attribute to a call) get
 * one blind spot for the region, so they are never silent.
 */
function blindSpots(report: Report): BlindSpot[] {
  const spots = new Map<string, BlindSpot>();
  for (const e of report.collectionErrors) {
    const spot = blindSpot(e);
    const key = blindSpotFingerprint(NOT_EVALUATED_RULE_ID, spot);
    if (!spots.has(key)) spots.set(key, spot);
  }
  const withErrors = new Set(report.collectionErrors.map((e) => `${e.accountId}\u0000${e.region}`));
  const unexplained = new Map<string, { accountId: string; region: string; count: number; first: string }>();
  for (const r of report.results) {
    if (r.status !== "error") continue;
    const key = `${r.resource.accountId}\u0000${r.resource.region}`;
    if (withErrors.has(key)) continue;
    const u = unexplained.get(key);
    if (u) u.count++;
    else unexplained.set(key, { accountId: r.resource.accountId, region: r.resource.region, count: 1, first: r.message });
  }
  for (const u of unexplained.values()) {
    const spot: BlindSpot = {
      accountId: u.accountId,
      region: u.region,
      resourceType: "*",
      operation: "evaluate",
      code: "NotEvaluated",
      message: u.first,
      unexplained: u.count,
    };
    spots.set(blindSpotFingerprint(NOT_EVALUATED_RULE_ID, spot), spot);
  }
  return [...spots.values()].sort(
    (a, b) =>
      compare(a.accountId, b.accountId) ||
      compare(a.region, b.region) ||
      compare(a.resourceType, b.resourceType) ||
      compare(a.operation, b.operation) ||
      compare(a.resourceId ?? "", b.resourceId ?? ""),
  );
}

function blindSpot(e: CollectionError & { accountId: string; region: string }): BlindSpot {
  const spot: BlindSpot = {
    accountId: e.accountId,
    region: e.region,
    resourceType: e.resourceType,
    operation: e.operation,
    code: e.code,
    message: e.message ?? "",
  };
  if (e.resourceId !== undefined) spot.resourceId = e.resourceId;
  return spot;
}

/** The order results are written in and kept in when a limit bites: most severe first, findings before notes. */
function byPriority(x: RuleCandidate, y: RuleCandidate): number {
  const a = x.result;
  const b = y.result;
  return (
    severityRank(a.rule.def.severity) - severityRank(b.rule.def.severity) ||
    Number(x.keptOpen !== undefined) - Number(y.keptOpen !== undefined) ||
    compare(a.rule.def.id, b.rule.def.id) ||
    compare(a.resource.accountId, b.resource.accountId) ||
    compare(a.resource.region, b.resource.region) ||
    compare(a.resource.type, b.resource.type) ||
    compare(a.resource.id, b.resource.id) ||
    compare(a.resource.arn, b.resource.arn)
  );
}

// ---------------------------------------------------------------- how each result reads

/**
 * A rule's result on a resource. Primary location: the declaration when the resource has one,
 * else the resource's path at line 1. Related: the resource's path (when the declaration is
 * primary) and the resource's object in the snapshot (when the snapshot is under the root).
 */
function ruleResult(r: EvaluationResult, keep: KeptOpen | undefined, ruleIndex: number, report: Report): Sarif.Result {
  const res = r.resource;
  const finding = keep === undefined;
  const evidence = limitEvidence(r.evidence);
  const properties: Sarif.PropertyBag = {
    status: r.status,
    severity: r.rule.def.severity,
    accountId: res.accountId,
    region: res.region,
    resourceType: res.type,
    resourceId: res.id,
    arn: res.arn,
    evidence: evidence.items,
  };
  if (evidence.total > evidence.items.length) properties.evidenceTotal = evidence.total;
  if (keep) {
    properties.previousStatus = "fail";
    properties.previousMessage = keep.previous.message;
  }

  const path = resourcePath(res);
  const declared = declaration(res);
  const logicalLocations: Sarif.LogicalLocation[] = [{ name: res.id, fullyQualifiedName: res.arn, kind: "resource" }];
  const primary: Sarif.PhysicalLocation = declared
    ? physical(declared.uri, declared.source.line, declared.source.endLine)
    : { artifactLocation: { uri: path }, region: { startLine: 1 } };
  const related: Sarif.Location[] = [];
  if (declared)
    related.push({ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: 1 } }, message: { text: `The resource: ${subject(res)}.` } });
  const inSnapshot = snapshotLocation(report, res);
  if (inSnapshot)
    related.push({ physicalLocation: inSnapshot, message: { text: `Its object in the inventory snapshot (account ${res.accountId}, ${res.region}).` } });

  const out: Sarif.Result = {
    ruleId: r.rule.def.id,
    ruleIndex,
    level: finding ? LEVEL[r.rule.def.severity] : "note",
    message: { text: finding ? findingText(r) : keptOpenText(r, keep) },
    locations: [{ physicalLocation: primary, logicalLocations }],
    partialFingerprints: { primaryLocationLineHash: fingerprint(r.rule.def.id, res) },
  };
  if (related.length > 0) out.relatedLocations = related.map((l, i) => ({ id: i + 1, ...l }));
  out.properties = properties;
  if (r.baselineState) out.baselineState = r.baselineState;
  if (r.waiver) {
    const w = r.waiver;
    out.suppressions = [
      { kind: "external", status: "accepted", justification: `${w.reason} (owner ${w.owner}, until ${w.expires}${w.ticket ? `, ${w.ticket}` : ""})` },
    ];
  }
  return out;
}

/** A failed call: a warning under `sagegate/not-evaluated` at `aws/<account>/<region>/not-evaluated`. */
function blindSpotResult(spot: BlindSpot, ruleIndex: number, report: Report): Sarif.Result {
  const properties: Sarif.PropertyBag = {
    accountId: spot.accountId,
    region: spot.region,
    resourceType: spot.resourceType,
    operation: spot.operation,
    code: spot.code,
  };
  if (spot.resourceId !== undefined) properties.resourceId = spot.resourceId;
  if (spot.unexplained !== undefined) properties.checks = spot.unexplained;
  const out: Sarif.Result = {
    ruleId: NOT_EVALUATED_RULE_ID,
    ruleIndex,
    level: "warning",
    message: { text: blindSpotText(spot) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: notEvaluatedPath(spot.accountId, spot.region) }, region: { startLine: 1 } },
        logicalLocations: [{ name: `${spot.accountId}/${spot.region}`, kind: "namespace" }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: blindSpotFingerprint(NOT_EVALUATED_RULE_ID, spot) },
  };
  const inSnapshot = snapshotLocation(report, { accountId: spot.accountId, region: spot.region });
  if (inSnapshot) out.relatedLocations = [{ id: 1, physicalLocation: inSnapshot, message: { text: `The region in the inventory snapshot, with its errors.` } }];
  out.properties = properties;
  return out;
}

/** The resource's object (or its region's line) in the snapshot, when the snapshot is a file under the repository root. */
function snapshotLocation(
  report: Report,
  resource: Pick<ResultResource, "accountId" | "region"> & Partial<ResultResource>,
): Sarif.PhysicalLocation | undefined {
  const source = report.source;
  if (!source) return undefined;
  const lines = source.locate(resource as ResultResource);
  return { artifactLocation: { uri: source.uri, index: 0 }, region: { startLine: lines.startLine, endLine: lines.endLine } };
}

function physical(uri: string, startLine: number, endLine: number | undefined): Sarif.PhysicalLocation {
  const region: Sarif.Region = { startLine };
  if (endLine !== undefined && Number.isInteger(endLine) && endLine >= startLine) region.endLine = endLine;
  return { artifactLocation: { uri }, region };
}

/** "AWS::EC2::SecurityGroup sg-1 (arn:…)": the first thing a reviewer reads. */
function subject(res: ResultResource): string {
  return `${res.type} ${res.id} (${res.arn})`;
}

function findingText(r: EvaluationResult): string {
  return `${subject(r.resource)}: ${sentence(r.message || r.rule.def.violationTitle)}`;
}

function keptOpenText(r: EvaluationResult, keep: KeptOpen): string {
  return `${subject(r.resource)}: ${sentence(`not evaluated because ${keep.why}`)} It failed in the previous run, so its alert stays open until a complete scan says otherwise.`;
}

/** Why a check could not be evaluated, from its result's structured cause (a result without one: its message). */
function notEvaluatedBecause(r: EvaluationResult): string {
  const cause = r.cause;
  if (cause?.kind === "unlisted") return `no ${cause.type} could be listed (${cause.reason})`;
  return `data it needs could not be collected (${cause?.reason ?? r.message})`;
}

function blindSpotText(spot: BlindSpot): string {
  const where = `account ${spot.accountId}, ${spot.region}`;
  if (spot.unexplained !== undefined) {
    return sentence(
      `${spot.unexplained} check${spot.unexplained === 1 ? "" : "s"} in ${where} could not be evaluated, though no AWS call failed there (first: ${spot.message}); they neither pass nor fail`,
    );
  }
  const what =
    spot.resourceId !== undefined ? `${spot.resourceType} ${spot.resourceId}` : `${spot.resourceType} (the list call: no resource of this type could be read)`;
  const detail = spot.message ? `${spot.code}: ${spot.message}` : spot.code;
  return sentence(`${spot.operation} failed in ${where} for ${what} (${detail}); the checks that need its data were not evaluated and neither pass nor fail`);
}

/** Shortens very long messages and ends them with a period (a complete sentence, as SARIF asks). */
function sentence(text: string): string {
  let t = text.trim();
  if (t.length > MAX_MESSAGE_CHARS) {
    const cut = t.lastIndexOf("; ", MAX_MESSAGE_CHARS);
    t = `${t.slice(0, cut > MAX_MESSAGE_CHARS / 2 ? cut : MAX_MESSAGE_CHARS)}; … (shortened: the evidence and the JSON report have every item)`;
  }
  return /[.!?]$/.test(t) ? t : t + ".";
}

function limitEvidence(items: ReadonlyArray<Record<string, unknown>>): { items: Array<Record<string, unknown>>; total: number } {
  const out: Array<Record<string, unknown>> = [];
  let size = 0;
  for (const item of items) {
    if (out.length >= MAX_EVIDENCE_ITEMS) break;
    const length = JSON.stringify(item).length;
    size += length;
    if (size > MAX_EVIDENCE_CHARS) {
      // An item too big on its own keeps only its reason.
      if (out.length === 0) out.push({ reason: (typeof item.reason === "string" ? item.reason : "").slice(0, MAX_MESSAGE_CHARS), truncated: true });
      break;
    }
    out.push(item);
  }
  return { items: out, total: items.length };
}

// ---------------------------------------------------------------- the invocation

function invocation(report: Report, limits: Limits): Sarif.Invocation {
  const notifications: Sarif.Notification[] = [];
  const s = report.summary;
  if (!s.complete) {
    notifications.push({
      level: "error",
      message: {
        text:
          `The scan is incomplete: ${s.collectionErrors} AWS call${s.collectionErrors === 1 ? "" : "s"} failed and ${s.byStatus.error} check${s.byStatus.error === 1 ? "" : "s"} could not be evaluated. ` +
          `Each failed call is a warning of rule ${NOT_EVALUATED_RULE_ID}; a check that failed in the previous run and could not be evaluated now is a note with the rule and fingerprint of its alert, so the alert is not closed as fixed.`,
      },
    });
  }
  const errors = report.collectionErrors;
  for (const e of errors.slice(0, MAX_NOTIFICATIONS)) {
    const what = e.resourceId !== undefined ? `${e.resourceType} ${e.resourceId}` : `${e.resourceType} (the list call: no resource of this type could be read)`;
    const properties: Sarif.PropertyBag = {
      accountId: e.accountId,
      region: e.region,
      resourceType: e.resourceType,
      operation: e.operation,
      code: e.code,
    };
    if (e.resourceId !== undefined) properties.resourceId = e.resourceId;
    notifications.push({
      level: "error",
      message: {
        text: sentence(
          `Collection error in account ${e.accountId}, ${e.region}: ${e.operation} failed for ${what}: ${e.code}${e.message ? ` (${e.message})` : ""}`,
        ),
      },
      properties,
    });
  }
  if (errors.length > MAX_NOTIFICATIONS) {
    notifications.push({
      level: "error",
      message: { text: `…and ${errors.length - MAX_NOTIFICATIONS} more collection errors (the JSON report lists every one).` },
    });
  }
  for (const text of limitMessages({ droppedForCount: limits.droppedForCount, droppedForSize: limits.droppedForSize }, limits.maxResults, limits.maxGzip)) {
    notifications.push({ level: "warning", message: { text } });
  }
  const inv: Sarif.Invocation = { executionSuccessful: s.complete };
  if (notifications.length > 0) inv.toolExecutionNotifications = notifications;
  return inv;
}

const SPLIT_ADVICE = "Split the upload by category, e.g. one SARIF log per account (--category aws-<account>)";

function limitMessages(stats: Pick<SarifStats, "droppedForCount" | "droppedForSize">, maxResults: number, maxGzip: number): string[] {
  const out: string[] = [];
  if (stats.droppedForCount > 0) {
    out.push(
      `${stats.droppedForCount} result${stats.droppedForCount === 1 ? " was" : "s were"} left out of the SARIF log: it holds at most ${maxResults} (--sarif-max-results; GitHub code scanning keeps only the 5000 most severe results of a run and closes the alerts of the rest as fixed). ` +
        `The most severe were kept; the JSON report has every result. ${SPLIT_ADVICE}${maxResults < MAX_RESULTS ? `, or raise --sarif-max-results (at most ${MAX_RESULTS}).` : "."}`,
    );
  }
  if (stats.droppedForSize > 0) {
    out.push(
      `${stats.droppedForSize} more result${stats.droppedForSize === 1 ? " was" : "s were"} left out to keep the gzip-compressed SARIF log under ${maxGzip} bytes (GitHub rejects files above 10 MB). ` +
        "The most severe were kept; the JSON report has every result.",
    );
  }
  return out;
}

export const renderSarif: Renderer = (report, sink, target) => {
  writeSarifReport(report, sink, { warn: (text) => process.stderr.write(`sagegate: warning: ${target === "-" ? "SARIF" : target}: ${text}\n`) });
};
