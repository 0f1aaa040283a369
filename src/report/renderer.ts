import type { Report } from "./model.js";
import type { Sink } from "./sink.js";

/** Writes one report format into a sink; `target` is the file path or "-" it will end up in. */
export type Renderer = (report: Report, sink: Sink, target: string) => void | Promise<void>;
