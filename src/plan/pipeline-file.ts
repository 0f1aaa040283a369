// A standalone SageMaker pipeline definition file (`pipeline.definition()` written to JSON), read
// through the hardened path with the lines of each step, so a planned job points at its step.
import { basename, extname } from "node:path";
import { TemplateError, type Place } from "../errors.js";
import { assertUtf8, MAX_DOCUMENT_BYTES, readBytes } from "../io/files.js";
import { JsonScanError, LineMap, scanJson } from "../snapshot/scan.js";
import { isPipelineDefinition, planPipeline, type PlannedPipeline } from "./pipeline.js";

export interface PipelineFileOptions {
  /** How reports show the path. */
  file: string;
  parameters(name: string): ReadonlyMap<string, string>;
  accountId: string;
  region: string;
}

/** The pipeline's name: the file's base name (a definition does not hold its name). */
export function pipelineNameOf(path: string): string {
  return basename(path, extname(path)).replace(/\.definition$/, "");
}

export function planPipelineFile(path: string, options: PipelineFileOptions): PlannedPipeline {
  const fail = (message: string, place?: Place) => new TemplateError(message, options.file, place);
  const buf = readBytes(path, (m, _f, p) => fail(m, p), MAX_DOCUMENT_BYTES);
  assertUtf8(buf, options.file, (m, _f, p) => fail(m, p));
  const lines = new LineMap(buf);
  const ranges = new Map<string, [number, number]>();
  let doc: unknown;
  try {
    doc = scanJson(buf, {
      spanAt: () => false,
      located: (p, start, end) => {
        const last = p[p.length - 1];
        const parent = p[p.length - 2];
        if (typeof last === "number" && (parent === "Steps" || parent === "IfSteps" || parent === "ElseSteps")) ranges.set(JSON.stringify(p), [start, end]);
      },
      maxDepth: 128,
    });
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    const pos = lines.position(err.offset);
    throw fail(`not valid JSON: ${err.message}`, { line: pos.line, column: pos.column });
  }
  if (!isPipelineDefinition(doc))
    throw fail('not a SageMaker pipeline definition: expected {"Version": "2020-12-01", "Parameters": […], "Steps": […]}', { line: 1 });
  const name = pipelineNameOf(path);
  return planPipeline({
    name,
    definition: doc,
    source: (stepPath) => {
      const range = ranges.get(JSON.stringify(stepPath));
      if (!range) return { file: options.file, line: 1 };
      const line = lines.position(range[0]).line;
      return { file: options.file, line, endLine: Math.max(line, lines.position(Math.max(range[0], range[1] - 1)).line) };
    },
    arnBase: `${options.file}#${name}`,
    parameters: options.parameters(name),
    accountId: options.accountId,
    region: options.region,
  });
}
