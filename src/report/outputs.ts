// Renders a report in every requested format. Files are written to temp files and renamed only
// when all of them rendered, so a failure leaves no half-written report behind. Every path was
// checked before any work (checkOutputs in io/files.ts), so a run writes all of its outputs or none.
import { writeJsonReport } from "./json.js";
import { writeMarkdownReport } from "./markdown.js";
import type { Report } from "./model.js";
import { checkpoint } from "../io/files.js";
import type { Renderer } from "./renderer.js";
import { openSink, type Sink } from "./sink.js";

export interface OutputRequest {
  format: "table" | "json" | "markdown" | "sarif" | "junit";
  /** A file path, or "-" for standard output. */
  target: string;
}

// Table (cli-table3) and SARIF (hashing, gzip) are loaded only when asked for: a run pays at
// start-up for the formats it writes.
const renderers: Record<OutputRequest["format"], () => Promise<Renderer>> = {
  json: () => Promise.resolve((report, sink) => writeJsonReport(report, sink)),
  markdown: () => Promise.resolve((report, sink) => writeMarkdownReport(report, sink)),
  table: async () => {
    const { writeTableReport, tableOptionsFor } = await import("./table.js");
    return (report, sink, target) => writeTableReport(report, sink, tableOptionsFor(target));
  },
  sarif: async () => (await import("./sarif.js")).renderSarif,
  junit: async () => (await import("./junit.js")).writeJunitReport,
};

/** Something written already and made visible together with the reports (scan's --snapshot-out). */
export interface Staged {
  commit(): void;
  abort(): void;
}

export async function writeReports(report: Report, outputs: readonly OutputRequest[], commitWith: readonly Staged[] = []): Promise<void> {
  const sinks: Sink[] = [];
  try {
    for (const out of outputs) {
      const render = await renderers[out.format]();
      const sink = openSink(out.target);
      sinks.push(sink);
      await render(report, sink, out.target);
    }
    await Promise.all(sinks.map((s) => s.finish()));
  } catch (err) {
    for (const s of [...sinks, ...commitWith]) s.abort();
    throw err;
  }
  // A signal that arrived while rendering is handled here, before anything is renamed into place;
  // after it, every commit runs synchronously (no await in between), so a run leaves all of its
  // outputs or none.
  await checkpoint();
  for (const s of [...sinks, ...commitWith]) s.commit();
}
