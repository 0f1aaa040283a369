// Both cores: regions are independent (no rule looks across regions), so a large snapshot's
// regions are shared between the main thread and worker threads. Each worker reads its regions'
// objects from the file itself, evaluates them with the same rules, and sends the results back
// in a compact columnar form; the main thread puts them back in snapshot order, so the results
// are exactly those of a sequential run.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/config.js";
import { BaselineError, ConfigError, RuleError, SagegateError, SnapshotError, UsageError, WaiverError } from "../errors.js";
import { regionSpans, type RegionSpans } from "../snapshot/read.js";
import type { LoadedSnapshot } from "../snapshot/types.js";
import { checkpoint } from "../io/files.js";
import { activeRules, buildPlan, evaluateRegion, type Evaluation, type EvaluationResult, type ResultResource, type Status } from "./engine.js";
import type { CompiledRule } from "./rule.js";

/**
 * Below this many resources a worker costs more than it saves: V8 already spends the second
 * core on garbage collection, and the worker repeats start-up, rule compilation and reading.
 * Measured on 2 cores: 100k resources 1.4 s sequential vs 1.7 s with a worker; 1M 10.5 s vs 9.1 s.
 */
const MIN_RESOURCES = 250_000;
const WORKER_URL = new URL("./worker.js", import.meta.url);
const STATUS: readonly Status[] = ["pass", "fail", "error", "waived", "unresolved"];

export interface WorkerJob {
  file: string;
  config: Config;
  rulesDir?: string;
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
  /** Message and evidence of results that have any: (result index, message, evidence). */
  details: Array<[number, string, ReadonlyArray<Record<string, unknown>>]>;
}

export type WorkerMessage = { kind: "region"; region: EncodedRegion } | { kind: "done" } | { kind: "error"; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  place?: SagegateError["place"];
  stack?: string;
}

export interface ParallelOptions {
  /** `--rules DIR`, so workers compile the same rules. */
  rulesDir?: string;
  /** Worker threads to use (default: one per core beyond the first; SAGEGATE_WORKERS overrides). */
  workers?: number;
}

export function workerCount(requested?: number): number {
  const env = process.env.SAGEGATE_WORKERS;
  if (requested !== undefined) return requested;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return Math.min(3, Math.max(0, availableParallelism() - 1));
}

/** Evaluates like `evaluate`, sharing regions with worker threads when that pays off. */
export async function evaluateInParallel(
  snapshot: LoadedSnapshot,
  rules: readonly CompiledRule[],
  config: Config,
  options: ParallelOptions = {},
): Promise<Evaluation> {
  const spans = regionSpans(snapshot);
  const workers = workerCount(options.workers);
  const sizes = spans?.map((r) => r.types.reduce((n, t) => n + t.offsets.length / 2, 0)) ?? [];
  const total = sizes.reduce((a, b) => a + b, 0);
  const minimum = /^\d+$/.test(process.env.SAGEGATE_PARALLEL_MIN ?? "") ? Number(process.env.SAGEGATE_PARALLEL_MIN) : MIN_RESOURCES;
  if (!spans || !snapshot.file || workers < 1 || spans.length < 2 || total < minimum || !existsSync(fileURLToPath(WORKER_URL))) {
    return evaluateSequentially(snapshot, rules, config);
  }
  const active = activeRules(rules, config);
  const bins = partition(sizes, Math.min(workers, spans.length - 1) + 1);
  const slots: EvaluationResult[][] = new Array(spans.length);
  const pending = bins.slice(1).map((indexes) =>
    runWorker(
      {
        file: snapshot.file!,
        config,
        ...(options.rulesDir !== undefined ? { rulesDir: options.rulesDir } : {}),
        ruleIds: active.map((r) => r.def.id),
        regions: indexes.map((index) => ({ index, spans: spans[index]! })),
      },
      active,
      slots,
    ),
  );
  // Keep a rejection from going unhandled while the main thread is busy with its own share.
  for (const p of pending) p.catch(() => undefined);
  try {
    const plan = buildPlan(active);
    for (const index of bins[0]!) {
      slots[index] = evaluateRegion(snapshot.regions[index]!, plan, config);
      await checkpoint(); // acts on SIGINT/SIGTERM between regions; lets worker messages in
    }
  } catch (err) {
    for (const p of pending) p.cancel();
    throw err;
  }
  await Promise.all(pending);
  const results: EvaluationResult[] = [];
  for (const slot of slots) for (const r of slot) results.push(r);
  return { results, rules: active };
}

/**
 * The engine's evaluation one region at a time with a checkpoint in between, so SIGINT/SIGTERM
 * are acted on between regions rather than after the whole evaluation. Regions are independent
 * and kept in the snapshot's order, so the results are those of one call to evaluate().
 */
export async function evaluateSequentially(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], config: Config): Promise<Evaluation> {
  const active = activeRules(rules, config);
  const plan = buildPlan(active);
  const results: EvaluationResult[] = [];
  await checkpoint();
  for (const region of snapshot.regions) {
    for (const r of evaluateRegion(region, plan, config)) results.push(r);
    await checkpoint();
  }
  return { results, rules: active };
}

/** Greedy balance: biggest region first, into the lightest bin; bin 0 is the main thread's. */
function partition(sizes: readonly number[], bins: number): number[][] {
  const out: number[][] = Array.from({ length: bins }, () => []);
  const load = new Array<number>(bins).fill(0);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  for (const i of order) {
    let best = 0;
    for (let b = 1; b < bins; b++) if (load[b]! < load[best]!) best = b;
    out[best]!.push(i);
    load[best]! += sizes[i]!;
  }
  for (const bin of out) bin.sort((a, b) => a - b);
  return out;
}

interface Running extends Promise<void> {
  cancel(): void;
}

function runWorker(job: WorkerJob, rules: readonly CompiledRule[], slots: EvaluationResult[][]): Running {
  const worker = new Worker(WORKER_URL, { workerData: job });
  let settled = false;
  const done = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if (message.kind === "region") slots[message.region.index] = decodeRegion(message.region, job, rules);
      else if (message.kind === "done") {
        settled = true;
        resolve();
      } else {
        settled = true;
        reject(reviveError(message.error));
      }
    });
    worker.on("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`evaluation worker exited with code ${code}`));
    });
  }).finally(() => void worker.terminate());
  return Object.assign(done, { cancel: () => void worker.terminate() });
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
    if (r.message !== "" || r.evidence.length > 0) details.push([i, r.message, r.evidence]);
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

function decodeRegion(enc: EncodedRegion, job: WorkerJob, rules: readonly CompiledRule[]): EvaluationResult[] {
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
  const out: EvaluationResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      rule: rules[enc.results[3 * i + 1]!]!,
      resource: resources[enc.results[3 * i]!]!,
      status: STATUS[enc.results[3 * i + 2]!]!,
      message: "",
      evidence: NO_EVIDENCE,
    };
  }
  for (const [i, message, evidence] of enc.details) {
    out[i]!.message = message;
    out[i]!.evidence = evidence;
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

function reviveError(e: SerializedError): Error {
  const Typed = TYPED[e.name];
  if (Typed) return new Typed(e.message, e.file, e.place);
  const err = new Error(`in an evaluation worker: ${e.message}`);
  if (e.stack) err.stack = e.stack;
  return err;
}
