// The worker codec: what the main thread sends a worker (a job), what a worker sends back (a
// region's results as columns, cheap to pass between threads; or an error), and turning both back
// into engine results and typed errors.
import type { Config } from "../config/config.js";
import { BaselineError, ConfigError, RuleError, SagegateError, SnapshotError, UsageError, WaiverError } from "../errors.js";
import type { RegionSpans } from "../snapshot/read.js";
import type { EvaluationResult, NotEvaluated, ResultResource, Status } from "./engine.js";
import type { CompiledRule } from "./rule.js";
import type { RuleSource } from "../rules/bundle.js";

const STATUS: readonly Status[] = ["pass", "fail", "error", "waived"];

export interface WorkerJob {
  file: string;
  config: Config;
  /** The catalogue and `--rules DIR`s, so the worker compiles the same rules. */
  rules?: RuleSource;
  ruleIds: string[];
  regions: Array<{ index: number; spans: RegionSpans }>;
}

/** One region's results, as columns (cheap to send between threads). */
export interface EncodedRegion {
  index: number;
  typeNames: string[];
  rType: Uint8Array;
  rId: string[];
  rArn: string[];
  rStart: Float64Array;
  rEnd: Float64Array;
  rTags: Array<[number, unknown[]]>;
  /** (resource index, rule index, status) per result. */
  results: Int32Array;
  /** Message, evidence and cause of results that have any: (result index, message, evidence, cause). */
  details: Array<[number, string, ReadonlyArray<Record<string, unknown>>, NotEvaluated | undefined]>;
}

export type WorkerMessage = { kind: "region"; region: EncodedRegion } | { kind: "done" } | { kind: "error"; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  place?: SagegateError["place"];
  stack?: string;
}

export function encodeRegion(index: number, results: readonly EvaluationResult[], ruleIndex: ReadonlyMap<CompiledRule, number>): EncodedRegion {
  const typeNames: string[] = [];
  const typeIndex = new Map<string, number>();
  const resourceIndex = new Map<ResultResource, number>();
  const rType: number[] = [];
  const rId: string[] = [];
  const rArn: string[] = [];
  const rStart: number[] = [];
  const rEnd: number[] = [];
  const rTags: Array<[number, unknown[]]> = [];
  const triples = new Int32Array(results.length * 3);
  const details: EncodedRegion["details"] = [];
  results.forEach((r, i) => {
    let ri = resourceIndex.get(r.resource);
    if (ri === undefined) {
      ri = rId.length;
      resourceIndex.set(r.resource, ri);
      let ti = typeIndex.get(r.resource.type);
      if (ti === undefined) {
        ti = typeNames.length;
        typeNames.push(r.resource.type);
        typeIndex.set(r.resource.type, ti);
      }
      rType.push(ti);
      rId.push(r.resource.id);
      rArn.push(r.resource.arn);
      rStart.push(r.resource.start ?? NaN);
      rEnd.push(r.resource.end ?? NaN);
      if (r.resource.rawTags) rTags.push([ri, r.resource.rawTags]);
    }
    triples[3 * i] = ri;
    triples[3 * i + 1] = ruleIndex.get(r.rule)!;
    triples[3 * i + 2] = STATUS.indexOf(r.status);
    if (r.message !== "" || r.evidence.length > 0 || r.cause) details.push([i, r.message, r.evidence, r.cause]);
  });
  return {
    index,
    typeNames,
    rType: Uint8Array.from(rType),
    rId,
    rArn,
    rStart: Float64Array.from(rStart),
    rEnd: Float64Array.from(rEnd),
    rTags,
    results: triples,
    details,
  };
}

const NO_EVIDENCE: ReadonlyArray<Record<string, unknown>> = Object.freeze([]);

export function decodeRegion(enc: EncodedRegion, job: WorkerJob, rules: readonly CompiledRule[]): EvaluationResult[] {
  const spans = job.regions.find((r) => r.index === enc.index)!.spans;
  const resources: ResultResource[] = enc.rId.map((id, i) => {
    const res: ResultResource = { type: enc.typeNames[enc.rType[i]!]!, id, arn: enc.rArn[i]!, accountId: spans.accountId, region: spans.region };
    if (!Number.isNaN(enc.rStart[i]!)) {
      res.start = enc.rStart[i]!;
      res.end = enc.rEnd[i]!;
    }
    return res;
  });
  for (const [i, tags] of enc.rTags) resources[i]!.rawTags = tags;
  const n = enc.results.length / 3;
  const out = new Array<EvaluationResult>(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      rule: rules[enc.results[3 * i + 1]!]!,
      resource: resources[enc.results[3 * i]!]!,
      status: STATUS[enc.results[3 * i + 2]!]!,
      message: "",
      evidence: NO_EVIDENCE,
    };
  }
  for (const [i, message, evidence, cause] of enc.details) {
    out[i]!.message = message;
    out[i]!.evidence = evidence;
    if (cause) out[i]!.cause = cause;
  }
  return out;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof SagegateError) {
    const out: SerializedError = { name: err.name, message: err.message };
    if (err.file !== undefined) out.file = err.file;
    if (err.place !== undefined) out.place = err.place;
    return out;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: "Error", message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
}

const TYPED: Record<string, new (message: string, file?: string, place?: SagegateError["place"]) => SagegateError> = {
  SnapshotError,
  RuleError,
  ConfigError,
  UsageError,
  WaiverError,
  BaselineError,
};

export function reviveError(e: SerializedError): Error {
  const Typed = TYPED[e.name];
  if (Typed) return new Typed(e.message, e.file, e.place);
  const err = new Error(`in an evaluation worker: ${e.message}`);
  if (e.stack) err.stack = e.stack;
  return err;
}
