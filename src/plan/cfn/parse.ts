// Reads a CloudFormation template (YAML with the short-form intrinsic tags, or JSON) through the
// project's hardened path: size limit and UTF-8 check (src/io/files.ts), the `yaml` package with
// the CloudFormation tags declared as custom tags and a LineCounter, unique keys, bounded aliases
// and nesting. Short forms are turned into their long forms (`!Ref X` → `{Ref: X}`, `!GetAtt A.B`
// → `{"Fn::GetAtt": [A, B]}`), so the resolver sees one shape. Positions are kept: `locate(path)`
// gives the line of any value of the converted document, long-form keys included.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { Place } from "../../errors.js";
import { readTextFile } from "../../io/files.js";
import { MAX_ALIAS_COUNT } from "../../io/yaml.js";
import { TemplateError } from "../../errors.js";

/** Deepest nesting of a template (intrinsics inside key policies nest about 15 levels). */
export const MAX_TEMPLATE_DEPTH = 64;

/** CloudFormation's short-form tags and the long form each stands for. */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Not": "Fn::Not",
  "!FindInMap": "Fn::FindInMap",
  "!ImportValue": "Fn::ImportValue",
  "!GetAZs": "Fn::GetAZs",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
};

/** Each tag on a scalar, a sequence and a mapping; the shape is checked when the intrinsic is resolved. */
const CUSTOM_TAGS = Object.keys(SHORT_FORMS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: "seq" as const, resolve: (value: unknown) => value },
  { tag, collection: "map" as const, resolve: (value: unknown) => value },
]);

export interface ParsedTemplate {
  file: string;
  value: Record<string, unknown>;
  /** 1-based line (and column) of the value at `path` of `value`; with `key`, of its key. The nearest ancestor when the path does not exist. */
  locate(path: ReadonlyArray<string | number>, key?: boolean): Place;
  /** Last line of the value at `path`. */
  endLine(path: ReadonlyArray<string | number>): number | undefined;
}

export function readTemplate(file: string, displayName = file): ParsedTemplate {
  const text = readTextFile(file, (message, f, place) => new TemplateError(message, displayName === file ? f : displayName, place));
  return parseTemplate(text, displayName);
}

export function parseTemplate(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      schema: "core",
      customTags: CUSTOM_TAGS,
      uniqueKeys: true,
      strict: true,
      prettyErrors: false,
      merge: false,
      resolveKnownTags: false,
      intAsBigInt: false,
    });
  } catch (err) {
    throw new TemplateError(`cannot parse the template: ${firstLine(err)}`, file);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    const tag = /^Unresolved tag: (\S+)/.exec(firstLine(problem));
    const message = tag ? `unknown tag ${tag[1]}: CloudFormation's short forms are ${Object.keys(SHORT_FORMS).join(", ")}` : firstLine(problem);
    throw new TemplateError(message, file, { line: pos.line, column: pos.col });
  }
  const at = (offset: number | undefined): Place => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const converter = new Converter(doc, file, at);
  const value = converter.convert(doc.contents, 0);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TemplateError("a template is a mapping with a Resources section", file, { line: 1 });
  }
  return {
    file,
    value: value as Record<string, unknown>,
    locate: (path, key = false) => at(findNode(doc.contents, path, key)?.start),
    endLine: (path) => {
      const end = findNode(doc.contents, path, false)?.end;
      // The range ends after the value's last character (often at the next line's start).
      return end === undefined ? undefined : lineCounter.linePos(Math.max(0, end - 1)).line;
    },
  };
}

class Converter {
  private aliases = 0;
  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly at: (offset: number | undefined) => Place,
  ) {}

  convert(node: Node | null | undefined, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateError(`nesting deeper than the limit of ${MAX_TEMPLATE_DEPTH} levels`, this.file, this.at(start(node)));
    if (isAlias(node)) {
      if (++this.aliases > MAX_ALIAS_COUNT) throw new TemplateError(`more than ${MAX_ALIAS_COUNT} aliases`, this.file, this.at(start(node)));
      return this.convert(node.resolve(this.doc), depth + 1);
    }
    const long = node.tag !== undefined ? SHORT_FORMS[node.tag] : undefined;
    const plain = this.plain(node, depth + (long ? 1 : 0));
    if (!long) return plain;
    if (long === "Fn::GetAtt" && typeof plain === "string") {
      // `!GetAtt Resource.Attribute` (attributes may have dots themselves: Endpoint.Address).
      const dot = plain.indexOf(".");
      if (dot <= 0) throw new TemplateError(`!GetAtt takes Resource.Attribute, not "${plain}"`, this.file, this.at(start(node)));
      return record(long, [plain.slice(0, dot), plain.slice(dot + 1)]);
    }
    return record(long, plain);
  }

  private plain(node: Node, depth: number): unknown {
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === "number" && !Number.isFinite(v)) throw new TemplateError("not a finite number", this.file, this.at(start(node)));
      return v === undefined ? null : v;
    }
    if (isSeq(node)) return node.items.map((item) => this.convert(item as Node | null, depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== "string" && typeof key !== "number")
          throw new TemplateError("mapping keys must be plain text", this.file, this.at(start(pair.key as Node)));
        // defineProperty: a key named "__proto__" stays an ordinary key.
        Object.defineProperty(out, String(key), {
          value: this.convert(pair.value as Node | null, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    throw new TemplateError("unsupported YAML node", this.file, this.at(start(node)));
  }
}

function record(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  out[key] = value;
  return out;
}

function start(node: Node | null | undefined): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}

function end(node: Node | null | undefined): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[1] : undefined;
}

/**
 * The node at `path` of the converted value: map keys and sequence indexes, where a short-form
 * tag's long-form key (`Fn::If`, `Ref`) names the tagged node itself.
 */
function findNode(
  root: Node | null,
  path: ReadonlyArray<string | number>,
  wantKey: boolean,
): { start: number | undefined; end: number | undefined } | undefined {
  let node: Node | null = root;
  let found = { start: start(node), end: end(node) };
  for (let i = 0; i < path.length; i++) {
    if (node === null) return found;
    const segment = path[i]!;
    const last = i === path.length - 1;
    const long = node.tag !== undefined ? SHORT_FORMS[node.tag] : undefined;
    if (long !== undefined && String(segment) === long) continue; // the tag stands for this key
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return found;
      if (last && wantKey) return { start: start(pair.key as Node), end: end(pair.value as Node) ?? end(pair.key as Node) };
      node = pair.value as Node | null;
      found = { start: start(node) ?? start(pair.key as Node), end: end(node) ?? end(pair.key as Node) };
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return found;
      node = item;
      found = { start: start(item), end: end(item) };
    } else return found;
  }
  return found;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError || /Maximum call stack size exceeded/.test(message)) return "nesting too deep to parse";
  return message.split("\n")[0]!.trim();
}
