// JSON documents a user hands sagegate (a baseline report): read as bytes with the snapshot's
// scanner rather than JSON.parse, so a syntax error names its line and column, duplicate keys are
// refused, "__proto__" stays a plain key and nesting is bounded (JSON.stringify of a value nested
// 10,000 levels deep would overflow the stack later).
import type { Place, SagegateError } from "../errors.js";
import { JsonScanError, LineMap, scanJson } from "../snapshot/scan.js";
import { assertUtf8 } from "./files.js";

type ErrorFactory = (message: string, file: string, place?: Place) => SagegateError;

/** Deepest nesting of a JSON document read whole (a report's evidence is the deepest part: ~10). */
export const MAX_JSON_DEPTH = 128;

export function parseJsonBytes(buf: Buffer, file: string, makeError: ErrorFactory, maxDepth = MAX_JSON_DEPTH): unknown {
  assertUtf8(buf, file, makeError);
  try {
    return scanJson(buf, { spanAt: () => false, maxDepth });
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    const pos = new LineMap(buf).position(err.offset);
    throw makeError(`not valid JSON: ${err.message}`, file, { line: pos.line, column: pos.column });
  }
}
