import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Place, SagegateError } from "../errors.js";
import { tooDeep } from "./depth.js";

/** A parsed YAML (or JSON) document that can still say where each value came from. */
export interface LocatedDocument {
  file: string;
  value: unknown;
  /** Line and column of the value (or, with `key`, of the key) at `path`; the nearest ancestor when the path does not exist. */
  locate: (path: ReadonlyArray<string | number>, key?: boolean) => Place;
}

type ErrorFactory = (message: string, file: string, place?: Place) => SagegateError;

/** Bounds alias expansion so a "billion laughs" document fails fast instead of eating memory. */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of mappings and sequences in a rule, config or waivers file (the deepest rule is ~10). */
export const MAX_YAML_DEPTH = 64;

/**
 * Parses YAML as plain data: YAML 1.2 core schema, no custom tags, duplicate keys rejected,
 * alias expansion bounded. Warnings (unknown tags, …) are errors: a rule file should mean
 * exactly what it says.
 */
export function parseYaml(text: string, file: string, makeError: ErrorFactory): LocatedDocument {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      schema: "core",
      uniqueKeys: true,
      strict: true,
      prettyErrors: false,
      merge: false,
      // YAML 1.1 tags (!!binary, !!set, !!timestamp, !!omap) are not plain data: unresolved, so refused.
      resolveKnownTags: false,
      intAsBigInt: false,
      keepSourceTokens: false,
    });
  } catch (err) {
    throw makeError(`cannot parse YAML: ${describeThrown(err)}`, file);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    throw makeError(describeThrown(problem), file, { line: pos.line, column: pos.col });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw makeError(describeThrown(err), file);
  }
  const locate = (path: ReadonlyArray<string | number>, key = false): Place => {
    const offset = nodeOffset(doc.contents, path, key);
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const deep = tooDeep(value, MAX_YAML_DEPTH);
  if (deep) throw makeError(`nesting deeper than the limit of ${MAX_YAML_DEPTH} levels`, file, { ...locate(deep), pointer: toPointer(deep) });
  return { file, value, locate };
}

/** A parser's message, first line only; a stack overflow on absurd nesting said in the user's terms. */
function describeThrown(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError || /Maximum call stack size exceeded/.test(message)) return "nesting too deep to parse";
  return firstLine(message);
}

function toPointer(path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? "/" : path.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function nodeOffset(root: unknown, path: ReadonlyArray<string | number>, wantKey: boolean): number | undefined {
  let node = root as Node | null;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      if (last && wantKey) return rangeStart(pair.key) ?? offset;
      node = pair.value as Node | null;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
