// SARIF 2.1.0 for GitHub code scanning. One run: every rule of the run in tool.driver.rules
// (with the design, rationale and fix as help), one result per failing (rule, resource), and,
// when the scan is incomplete, a `note` result with the same rule and fingerprint for each
// (rule, resource) that could not be evaluated, so that GitHub keeps the alert open instead of
// closing it as fixed.
//
// GitHub wants a file and a line for every alert. Results point at the snapshot file (a path
// relative to the repository root) and at the lines of the resource's object in it. Alert
// identity must not follow those lines, which move from night to night: the fingerprint is
// derived from the rule id and the resource's ARN only.
//
// The output is deterministic (no clock, no host, results in a fixed order) and never exceeds
// what GitHub accepts: at most 25,000 results, gzip-compressed size under 10 MB. When a limit
// bites, the least severe results are left out and the run says so.
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { gzipSync } from "node:zlib";
import { UsageError } from "../errors.js";
import { UNLISTED_ID, type EvaluationResult, type ResultResource, type Status } from "../evaluate/engine.js";
import type { CompiledRule } from "../evaluate/rule.js";
import { compare } from "../snapshot/read.js";
import { severityRank, type Severity } from "../rules/types.js";
import { TOOL } from "../version.js";
import { rulePage, type Report } from "./model.js";
import type { Renderer } from "./outputs.js";
export { checkCategory } from "./category.js";
import { explanationMarkdown } from "../rules/explain.js";
import type { Sink } from "./sink.js";

/** The OASIS SARIF 2.1.0 schema (errata 01), the version the multitool and GitHub validate against. */
export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** GitHub rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;
/**
 * GitHub rejects a file whose gzip-compressed size is above 10 MB. We stay under 9.5 million
 * bytes: below the limit whichever "MB" is meant, with room for what upload-sarif adds.
 */
export const MAX_GZIP_BYTES = 9_500_000;

/** GitHub reads `security-severity` as a score: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, < 4.0 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
export const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };

/**
 * How each result status appears in SARIF: a finding at the rule's level, a `note` saying it
 * could not be evaluated, or nothing. Waived results are left out by default, since GitHub
 * ignores `suppressions` and would show them as open alerts; `--sarif-include-waived` emits them
 * with `suppressions` for other SARIF consumers.
 */
const EMIT: Record<Status, "finding" | "notEvaluated" | "waived" | undefined> = {
  fail: "finding",
  error: "notEvaluated",
  unresolved: "notEvaluated",
  waived: "waived",
  pass: undefined,
};

/** At most this many evidence items, and this much evidence text, per result. */
const MAX_EVIDENCE_ITEMS = 20;
const MAX_EVIDENCE_CHARS = 8_000;
const MAX_MESSAGE_CHARS = 1_500;
const MAX_NOTIFICATIONS = 1_000;
/** GitHub's limit on fullDescription and shortDescription. */
const MAX_DESCRIPTION_CHARS = 1_024;
/** GitHub keeps 10 tags per rule. */
const MAX_TAGS = 10;

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

/** `primaryLocationLineHash`: rule + ARN only, so the alert survives the snapshot's lines moving. */
export function fingerprint(ruleId: string, arn: string): string {
  return createHash("sha256").update(`${ruleId}\u0000${arn}`, "utf8").digest("hex").slice(0, 16) + ":1";
}

/** `automationDetails.id`: the category, then "/" (GitHub reads the category as the text before the last "/"). */
export function automationId(report: Pick<Report, "category" | "snapshot">): string {
  const category = report.category ?? defaultCategory(report.snapshot.accounts, report.snapshot.regions);
  return category.endsWith("/") ? category : category + "/";
}

/** sagegate/<accounts>/<regions>; long lists become a count and a hash so the id stays short. */
export function defaultCategory(accounts: readonly string[], regions: readonly string[]): string {
  const part = (list: readonly string[], noun: string) => {
    const joined = list.join(",");
    if (joined.length === 0) return `no-${noun}`;
    if (joined.length <= 80) return joined;
    return `${list.length}-${noun}-${createHash("sha256").update(joined).digest("hex").slice(0, 8)}`;
  };
  return `sagegate/${part(accounts, "accounts")}/${part(regions, "regions")}`;
}

/** The stable page of a rule for this version: `<homepage>/blob/v<version>/docs/rules/<ID>.md`. */
export function ruleHelpUri(id: string): string {
  return `${TOOL.informationUri.replace(/\/+$/, "")}/blob/v${TOOL.version}/${rulePage(id)}`;
}

export function writeSarifReport(report: Report, sink: Sink, options: SarifOptions = {}): SarifStats {
  const source = report.source;
  if (!source) throw new UsageError("--format sarif needs the snapshot file, to point GitHub at it");
  const maxResults = options.maxResults ?? MAX_RESULTS;
  const maxGzip = options.maxGzipBytes ?? MAX_GZIP_BYTES;

  const ruleIndex = new Map(report.rules.map((r, i) => [r.def.id, i]));
  const emitted = (r: EvaluationResult) => EMIT[r.status] !== undefined && (r.status !== "waived" || report.includeWaivedInSarif === true);
  const candidates = [...report.results.filter(emitted), ...carriedOver(report)].sort(byPriority);
  const droppedForCount = Math.max(0, candidates.length - maxResults);
  const rendered = candidates
    .slice(0, candidates.length - droppedForCount)
    .map((r) => JSON.stringify(sarifResult(r, ruleIndex.get(r.rule.def.id)!, source.uri, source.locate(r.resource))));
  const bytes = rendered.map((text) => Buffer.byteLength(text, "utf8") + RESULT_SEPARATOR.length);

  // Render; if the compressed size is over the limit, leave out the least severe results and
  // measure again. The estimate comes from the compression ratio just seen, so this converges
  // in a few rounds; the text measured last is exactly the text written.
  let kept = rendered.length;
  let pieces: string[];
  let gzipBytes: number;
  for (;;) {
    const limits = { candidates: candidates.length, droppedForCount, droppedForSize: rendered.length - kept, maxResults, maxGzip };
    pieces = assemble(report, rendered, kept, limits);
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
function assemble(report: Report, rendered: readonly string[], kept: number, limits: Limits): string[] {
  const run = {
    tool: {
      driver: {
        name: TOOL.name,
        semanticVersion: TOOL.version,
        informationUri: TOOL.informationUri,
        rules: report.rules.map(ruleDescriptor),
      },
    },
    automationDetails: {
      id: automationId(report),
      description: {
        text: `sagegate evaluation of accounts ${report.snapshot.accounts.join(", ") || "(none)"} in regions ${report.snapshot.regions.join(", ") || "(none)"}, profile ${report.profile}.`,
      },
    },
    invocations: [invocation(report, limits)],
    artifacts: [{ location: { uri: report.source!.uri }, mimeType: "application/json", roles: ["analysisTarget"] }],
    properties: {
      snapshot: {
        uri: report.source!.uri,
        collectedAt: report.snapshot.collectedAt,
        collector: report.snapshot.collector,
        accounts: report.snapshot.accounts,
        regions: report.snapshot.regions,
      },
      profile: report.profile,
      summary: report.summary,
      resultsLeftOut: { resultLimit: limits.droppedForCount, sizeLimit: limits.droppedForSize },
    },
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

/**
 * Baseline findings whose resource type could not be listed this time: one note each, with the
 * finding's own rule and fingerprint, so their alerts stay open instead of closing as fixed.
 */
function carriedOver(report: Report): EvaluationResult[] {
  const unknown = report.baseline?.unknown ?? [];
  if (unknown.length === 0) return [];
  const rules = new Map(report.rules.map((r) => [r.def.id, r]));
  const why = new Map(
    report.results
      .filter((r) => r.status === "error" && r.resource.id === UNLISTED_ID)
      .map((r) => [`${r.rule.def.id}\u0000${r.resource.type}\u0000${r.resource.accountId}\u0000${r.resource.region}`, r.message]),
  );
  const out: EvaluationResult[] = [];
  for (const f of unknown) {
    const rule = rules.get(f.ruleId);
    const message = why.get(`${f.ruleId}\u0000${f.resource.type}\u0000${f.resource.accountId}\u0000${f.resource.region}`);
    if (!rule || message === undefined) continue;
    out.push({ rule, resource: { ...f.resource }, status: "error", message, evidence: [] });
  }
  return out;
}

/** The order results are written in and kept in when a limit bites: most severe first, findings before notes. */
function byPriority(a: EvaluationResult, b: EvaluationResult): number {
  return (
    severityRank(a.rule.def.severity) - severityRank(b.rule.def.severity) ||
    (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1) ||
    compare(a.rule.def.id, b.rule.def.id) ||
    compare(a.resource.accountId, b.resource.accountId) ||
    compare(a.resource.region, b.resource.region) ||
    compare(a.resource.type, b.resource.type) ||
    compare(a.resource.id, b.resource.id) ||
    compare(a.resource.arn, b.resource.arn)
  );
}

function sarifResult(r: EvaluationResult, ruleIndex: number, uri: string, lines: { startLine: number; endLine: number }): Record<string, unknown> {
  const res = r.resource;
  const finding = EMIT[r.status] === "finding" || EMIT[r.status] === "waived";
  const evidence = limitEvidence(r.evidence);
  const properties: Record<string, unknown> = {
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
  const out: Record<string, unknown> = {
    ruleId: r.rule.def.id,
    ruleIndex,
    level: finding ? LEVEL[r.rule.def.severity] : "note",
    message: { text: finding ? findingText(r) : notEvaluatedText(r) },
    locations: [
      {
        // A declared (planned) resource points at its declaration: the template and the lines of its logical id.
        physicalLocation: res.source
          ? {
              artifactLocation: { uri: res.source.file.split("/").map(encodeURIComponent).join("/") },
              region: { startLine: res.source.line, endLine: Math.max(res.source.line, res.source.endLine ?? res.source.line) },
            }
          : { artifactLocation: { uri, index: 0 }, region: { startLine: lines.startLine, endLine: lines.endLine } },
        logicalLocations: [{ name: res.id, fullyQualifiedName: res.arn, kind: "resource" }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(r.rule.def.id, res.arn) },
    properties,
  };
  if (r.baselineState) out.baselineState = r.baselineState;
  if (r.waiver) {
    const w = r.waiver;
    out.suppressions = [
      { kind: "external", status: "accepted", justification: `${w.reason} (owner ${w.owner}, until ${w.expires}${w.ticket ? `, ${w.ticket}` : ""})` },
    ];
  }
  return out;
}

/** "AWS::EC2::SecurityGroup sg-1 (arn:…)": the first thing a reviewer reads. */
function subject(res: ResultResource): string {
  if (res.id === UNLISTED_ID) return `${res.type} (every resource of this type in account ${res.accountId}, ${res.region}; ${res.arn})`;
  return `${res.type} ${res.id} (${res.arn})`;
}

function findingText(r: EvaluationResult): string {
  return `${subject(r.resource)}: ${sentence(r.message || r.rule.def.title)}`;
}

function notEvaluatedText(r: EvaluationResult): string {
  const unlisted = /^could not list (\S+): (.*)$/s.exec(r.message);
  const why = unlisted
    ? `no ${unlisted[1]} could be listed (${unlisted[2]})`
    : `data it needs could not be collected (${r.message.replace(/^could not evaluate: /, "")})`;
  return `${subject(r.resource)}: ${sentence(`not evaluated because ${why}`)} It neither passes nor fails until a complete scan; an alert already open for it stays open.`;
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
      if (out.length === 0) out.push({ reason: String(item.reason ?? "").slice(0, MAX_MESSAGE_CHARS), truncated: true });
      break;
    }
    out.push(item);
  }
  return { items: out, total: items.length };
}

function ruleDescriptor(rule: CompiledRule): Record<string, unknown> {
  const d = rule.def;
  const helpUri = ruleHelpUri(d.id);
  const types = Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType];
  const cli = d.remediation.cli.trim();
  const text = [
    `${d.id} (${d.severity}): ${d.title}.`,
    "",
    `What the design says (§${d.design.section}): "${d.design.quote.trim()}"`,
    "",
    `Why it matters: ${d.rationale.trim()}`,
    "",
    `How to fix: ${d.remediation.text.trim()}`,
    "",
    `  ${cli}`,
    "",
    `Resource type: ${types.join(", ")}. Rule page: ${helpUri}`,
  ].join("\n");
  const markdown = [
    `**${d.id}** · severity **${d.severity}** · ${types.map((t) => `\`${t}\``).join(", ")}${d.profile === "high-security" ? " · high-security profile" : ""}`,
    "",
    ...explanationMarkdown(d, "###"),
    "",
    `The finding names the resource by its ARN; the location is its object in the inventory snapshot. [Rule page](${helpUri})`,
  ].join("\n");
  return {
    id: d.id,
    name: d.name,
    shortDescription: { text: clip(`${d.title}.`) },
    fullDescription: { text: clip(`${d.title} (design §${d.design.section}). ${d.rationale.trim()}`) },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: {
      tags: ruleTags(rule, types),
      precision: d.precision ?? "high",
      "security-severity": SECURITY_SEVERITY[d.severity],
      design: { section: d.design.section },
      profile: d.profile,
    },
  };
}

/** `security` first (GitHub's security filter), then aws, the rule's area, its resource types, its own tags. */
function ruleTags(rule: CompiledRule, types: readonly string[]): string[] {
  const area = basename(dirname(rule.file));
  const tags = [
    "security",
    "aws",
    ...(area && area !== "." && area !== "rules" ? [area] : []),
    ...types,
    ...(rule.def.profile === "high-security" ? ["high-security"] : []),
    ...(rule.def.tags ?? []),
  ];
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

function clip(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  if (t.length <= MAX_DESCRIPTION_CHARS) return t;
  const cut = t.lastIndexOf(" ", MAX_DESCRIPTION_CHARS - 1);
  return t.slice(0, cut > 0 ? cut : MAX_DESCRIPTION_CHARS - 1) + "…";
}

function invocation(report: Report, limits: Limits): Record<string, unknown> {
  const notifications: Array<Record<string, unknown>> = [];
  const s = report.summary;
  if (!s.complete) {
    notifications.push({
      level: "error",
      message: {
        text:
          `The scan is incomplete: ${s.collectionErrors} AWS call${s.collectionErrors === 1 ? "" : "s"} failed and ${s.byStatus.error} check${s.byStatus.error === 1 ? "" : "s"} could not be evaluated. ` +
          "Each of those checks is a result of level note with the rule and fingerprint of its alert, so the alert is not closed as fixed.",
      },
    });
  }
  const errors = report.collectionErrors;
  for (const e of errors.slice(0, MAX_NOTIFICATIONS)) {
    const what = e.resourceId !== undefined ? `${e.resourceType} ${e.resourceId}` : `${e.resourceType} (the list call: no resource of this type could be read)`;
    const properties: Record<string, unknown> = {
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
  const inv: Record<string, unknown> = { executionSuccessful: s.complete };
  if (notifications.length > 0) inv.toolExecutionNotifications = notifications;
  return inv;
}

function limitMessages(stats: Pick<SarifStats, "droppedForCount" | "droppedForSize">, maxResults: number, maxGzip: number): string[] {
  const out: string[] = [];
  if (stats.droppedForCount > 0) {
    out.push(
      `${stats.droppedForCount} result${stats.droppedForCount === 1 ? " was" : "s were"} left out of the SARIF log: GitHub code scanning accepts at most ${maxResults} per run. ` +
        "The most severe were kept; the JSON report has every result.",
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
