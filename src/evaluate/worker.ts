// An evaluation worker thread (see parallel.ts): compiles the same rules as the main thread,
// evaluates the regions it was given straight from the snapshot file, and sends each region's
// results back as columns.
import { parentPort, workerData } from "node:worker_threads";
import { SagegateError } from "../errors.js";
import { loadCatalogue } from "../rules/bundle.js";
import { inventoryFromSpans, SpanReader } from "../snapshot/read.js";
import { buildPlan, evaluateRegion } from "./engine.js";
import { encodeRegion, serializeError, type WorkerJob, type WorkerMessage } from "./parallel.js";
import { Placeholders } from "./placeholders.js";
import { compileRuleSet } from "./rule.js";

function run(job: WorkerJob): void {
  const { set } = loadCatalogue(job.rules);
  const compiled = compileRuleSet(set, new Placeholders(job.config));
  const byId = new Map(compiled.map((r) => [r.def.id, r]));
  const rules = job.ruleIds.map((id) => {
    const rule = byId.get(id);
    if (!rule) throw new Error(`the worker has no rule ${id}`);
    return rule;
  });
  const ruleIndex = new Map(rules.map((r, i) => [r, i]));
  const plan = buildPlan(rules);
  const reader = new SpanReader(job.file);
  for (const { index, spans } of job.regions) {
    const results = evaluateRegion(inventoryFromSpans(job.file, spans, reader), plan, job.config);
    const region = encodeRegion(index, results, ruleIndex);
    post({ kind: "region", region }, [region.rType.buffer, region.rStart.buffer, region.rEnd.buffer, region.results.buffer] as ArrayBuffer[]);
  }
  reader.close();
  post({ kind: "done" });
}

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

try {
  run(workerData as WorkerJob);
} catch (err) {
  post({ kind: "error", error: serializeError(err) });
  if (!(err instanceof SagegateError)) process.exitCode = 70;
}
