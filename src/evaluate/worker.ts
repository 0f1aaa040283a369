// An evaluation worker thread (see parallel.ts): compiles the same rules as the main thread,
// runs the engine's loop over the regions it was given, straight from the snapshot file, and
// sends each region's results back as columns (codec.ts).
import { parentPort, workerData } from "node:worker_threads";
import { SagegateError } from "../errors.js";
import { loadCatalogue } from "../rules/bundle.js";
import { inventoryFromSpans, SpanReader } from "../snapshot/read.js";
import { encodeRegion, serializeError, type WorkerJob, type WorkerMessage } from "./codec.js";
import { evaluateRegions, prepareRun } from "./engine.js";
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
  // The main thread's rules, in its order: results name rules by their index in it.
  const ruleIndex = new Map(rules.map((r, i) => [r, i]));
  const prepared = prepareRun(rules, job.config);
  const reader = new SpanReader(job.file);
  for (const [{ index }, results] of evaluateRegions(prepared, job.regions, (r) => inventoryFromSpans(job.file, r.spans, reader))) {
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
