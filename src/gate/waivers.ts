// Governed waivers: an accepted deviation names the rule and resource, who accepted it, why and
// until when. A waived failure does not fail the gate; an expired waiver no longer applies and
// is reported; a waiver that matches nothing is reported as unused.
import { existsSync } from "node:fs";
import { WaiverError, type Place } from "../errors.js";
import { readTextFile } from "../io/files.js";
import { assertSchema } from "../io/schema.js";
import { parseYaml } from "../io/yaml.js";
import { tagsOf, type EvaluationResult, type WaiverInfo } from "../evaluate/engine.js";
import { globMatch } from "../evaluate/domain/iam.js";

export const DEFAULT_WAIVERS_FILE = "sagegate.waivers.yaml";
/** Waivers expiring within this many days are listed in the summary. */
export const EXPIRING_SOON_DAYS = 14;

export interface WaiverEntry {
  rule: string | string[];
  resource: string;
  accounts?: string[];
  regions?: string[];
  tags?: Record<string, string>;
  reason: string;
  owner: string;
  expires: string;
  ticket?: string;
}

export interface Waiver extends WaiverEntry {
  /** 1-based position in the file, to name it in messages. */
  index: number;
  file: string;
  line?: number;
}

export type WaiverState = "active" | "expired" | "unused";

export interface WaiverStatus {
  waiver: Waiver;
  state: WaiverState;
  /** Results it waived (active) or would have waived (expired). */
  matched: number;
  /** Days until it expires (negative once expired). */
  daysLeft: number;
}

const makeError = (message: string, file: string, place?: Place) => new WaiverError(message, file, place);

export function parseWaivers(text: string, file: string): Waiver[] {
  const doc = parseYaml(text, file, makeError);
  if (doc.value === null || doc.value === undefined) return [];
  assertSchema("waivers", doc.value, file, makeError, doc.locate);
  const entries = (doc.value as { waivers: WaiverEntry[] }).waivers;
  return entries.map((w, i) => {
    const line = doc.locate(["waivers", i]).line;
    if (!isRealDate(w.expires))
      throw makeError(`expires ${w.expires} is not a calendar date`, file, { ...doc.locate(["waivers", i, "expires"]), pointer: `/waivers/${i}/expires` });
    return { ...w, index: i + 1, file, ...(line !== undefined ? { line } : {}) };
  });
}

/** `--waivers FILE`, else sagegate.waivers.yaml in the working directory, else none. */
export function resolveWaivers(explicit: string | undefined): Waiver[] {
  const file = explicit ?? (existsSync(DEFAULT_WAIVERS_FILE) ? DEFAULT_WAIVERS_FILE : undefined);
  if (file === undefined) return [];
  return parseWaivers(readTextFile(file, makeError), file);
}

function isRealDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Today's date in UTC as YYYY-MM-DD; SAGEGATE_NOW pins the clock (tests, reproducible reruns). */
export function today(now: Date = clock()): string {
  return now.toISOString().slice(0, 10);
}

export function clock(): Date {
  const pinned = process.env.SAGEGATE_NOW;
  if (pinned) {
    const d = new Date(pinned);
    if (Number.isNaN(d.getTime())) throw new WaiverError(`SAGEGATE_NOW=${pinned} is not a date`);
    return d;
  }
  return new Date();
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Does the waiver name this result's rule and resource (and its account, region and tags)? */
export function waiverMatches(w: WaiverEntry, r: EvaluationResult): boolean {
  const rules = Array.isArray(w.rule) ? w.rule : [w.rule];
  if (!rules.includes(r.rule.def.id)) return false;
  if (w.accounts && !w.accounts.includes(r.resource.accountId)) return false;
  if (w.regions && !w.regions.includes(r.resource.region)) return false;
  if (!resourceMatches(w.resource, r.resource.id, r.resource.arn)) return false;
  if (w.tags) {
    const tags = tagsOf(r.resource);
    // Own keys only: a waiver tag "constructor" or "__proto__" must not meet Object.prototype's.
    for (const [k, v] of Object.entries(w.tags)) if (!Object.hasOwn(tags, k) || tags[k] !== v) return false;
  }
  return true;
}

/** An ARN pattern matches the ARN; anything else matches the id. Case-sensitive, like AWS ids. */
function resourceMatches(pattern: string, id: string, arn: string): boolean {
  const target = pattern.startsWith("arn:") ? arn : id;
  if (!/[*?]/.test(pattern)) return pattern === target;
  return globMatch(pattern, target);
}

export interface WaiverOutcome {
  results: EvaluationResult[];
  statuses: WaiverStatus[];
}

/**
 * Applies waivers to failing results: an active matching waiver turns `fail` into `waived`.
 * Passes and errors are never waived (a waiver accepts a deviation, not missing data).
 */
export function applyWaivers(results: readonly EvaluationResult[], waivers: readonly Waiver[], date: string = today()): WaiverOutcome {
  const statuses: WaiverStatus[] = waivers.map((waiver) => {
    const daysLeft = daysBetween(date, waiver.expires);
    return { waiver, state: daysLeft < 0 ? "expired" : "unused", matched: 0, daysLeft };
  });
  if (waivers.length === 0) return { results: [...results], statuses };
  const out = results.map((r) => {
    if (r.status !== "fail") return r;
    let applied: WaiverStatus | undefined;
    for (const s of statuses) {
      if (!waiverMatches(s.waiver, r)) continue;
      s.matched++;
      if (s.state !== "expired") {
        s.state = "active";
        applied ??= s;
      }
    }
    if (!applied) {
      const expired = statuses.find((s) => s.state === "expired" && waiverMatches(s.waiver, r));
      return expired ? { ...r, expiredWaiver: describeWaiver(expired.waiver) } : r;
    }
    return { ...r, status: "waived" as const, waiver: describeWaiver(applied.waiver) };
  });
  return { results: out, statuses };
}

function describeWaiver(w: Waiver): WaiverInfo {
  const info: WaiverInfo = { index: w.index, owner: w.owner, reason: w.reason, expires: w.expires, file: w.file };
  if (w.ticket !== undefined) info.ticket = w.ticket;
  if (w.line !== undefined) info.line = w.line;
  return info;
}

/** "waiver #2 (sagegate.waivers.yaml:7, owner platform-team, expired 2026-11-01)" */
export function waiverLabel(w: Pick<Waiver, "index" | "file" | "line" | "owner" | "expires">, state?: WaiverState): string {
  const where = `${w.file}${w.line !== undefined ? `:${w.line}` : ""}`;
  const when = state === "expired" ? `expired ${w.expires}` : `expires ${w.expires}`;
  return `waiver #${w.index} (${where}, owner ${w.owner}, ${when})`;
}
