// Values a plan marks sensitive (Terraform's `after_sensitive`, variables declared sensitive)
// are evaluated like any value, but never written to a report: every result's message, evidence,
// causes and resource names, and every warning, have them replaced by "(sensitive)" before any
// report or stderr line is written. Text values of four characters or more are replaced wherever
// they appear (another resource's message may quote them); shorter ones, numbers and booleans
// only in the results of the resource that holds them, as whole words, so that "30" in an
// unrelated message stays.
import type { EvaluationResult } from "../evaluate/engine.js";
import { resultKey, type BuiltPlan } from "./build.js";
import type { PlannedSet, PlanWarning } from "./types.js";

export const REDACTED = "(sensitive)";
const GLOBAL_MIN_LENGTH = 4;

export class Redactor {
  private readonly global: string[];
  private readonly own = new Map<string, string[]>();

  constructor(sets: readonly PlannedSet[], built: BuiltPlan) {
    const global = new Set<string>();
    const add = (v: unknown, local: Set<string> | undefined) => {
      const text = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
      if (text === undefined || text === "") return;
      if (typeof v === "string" && text.length >= GLOBAL_MIN_LENGTH) global.add(text);
      else local?.add(text);
    };
    for (const s of sets) for (const v of s.sensitive ?? []) add(v, undefined);
    for (const [key, entry] of built.planned) {
      const local = new Set<string>();
      for (const v of entry.resource.sensitive ?? []) add(v, local);
      if (local.size > 0) this.own.set(key, [...local]);
    }
    // Longest first: a value that contains another is replaced whole.
    this.global = [...global].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  get empty(): boolean {
    return this.global.length === 0 && this.own.size === 0;
  }

  results(results: readonly EvaluationResult[]): EvaluationResult[] {
    if (this.empty) return [...results];
    return results.map((r) => {
      const local = this.own.get(resultKey(r.resource.accountId, r.resource.region, r.resource.type, r.resource.id)) ?? [];
      const text = (s: string) => this.text(s, local);
      const out: EvaluationResult = {
        ...r,
        resource: { ...r.resource, id: text(r.resource.id), arn: text(r.resource.arn) },
        message: text(r.message),
        evidence: r.evidence.map((e) => this.deep(e, local, 0) as Record<string, unknown>),
      };
      if (r.unresolved) out.unresolved = r.unresolved.map((c) => this.deep(c, local, 0) as typeof c);
      return out;
    });
  }

  warnings(warnings: readonly PlanWarning[]): PlanWarning[] {
    if (this.empty) return [...warnings];
    return warnings.map((w) => ({ ...w, message: this.text(w.message, []), ...(w.cause ? { cause: this.deep(w.cause, [], 0) as typeof w.cause } : {}) }));
  }

  private text(s: string, local: readonly string[]): string {
    let out = s;
    for (const g of this.global) if (out.includes(g)) out = out.split(g).join(REDACTED);
    for (const l of local) out = out.replace(new RegExp(`(?<![A-Za-z0-9_.-])${escape(l)}(?![A-Za-z0-9_-])`, "g"), REDACTED);
    return out;
  }

  private deep(v: unknown, local: readonly string[], depth: number): unknown {
    if (depth > 32) return v;
    if (typeof v === "string") return this.text(v, local);
    if ((typeof v === "number" || typeof v === "boolean") && local.includes(String(v))) return REDACTED;
    if (Array.isArray(v)) return v.map((x) => this.deep(x, local, depth + 1));
    if (typeof v === "object" && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, k, { value: this.deep(x, local, depth + 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
