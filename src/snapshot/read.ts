// Reading snapshots. A snapshot may be larger than V8's string limit, so it is never one
// string: the file is scanned once for its structure (the small envelope is parsed, each
// resource object only located), the bytes are released, and resource objects are then read
// back, parsed and validated one by one while they are evaluated.
import { closeSync, openSync, readSync } from "node:fs";
import { SnapshotError, type Place } from "../errors.js";
import { assertUtf8, readBytes } from "../io/files.js";
import { tooDeep } from "../io/depth.js";
import { assertSchema, problemOf, subValidator, toPointer } from "../io/schema.js";
import type { ErrorObject } from "ajv";
import { resourceType, type ResourceObject } from "../resources/catalog.js";
import { fieldsOf, nearMiss } from "../resources/fields.js";
import { JsonScanError, LineMap, scanJson, Span, type JsonPath } from "./scan.js";
import { compare, sortErrors } from "./order.js";
import type { CollectionError, LoadedSnapshot, RegionInventory, SnapshotFile, SnapshotMeta, SourceSpan, StoredResource, TypeSource } from "./types.js";

/** Node's Buffer limit is the practical ceiling; V8's string limit does not matter here. */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024 * 1024 - 1;
/** Deepest nesting inside one resource object (AWS SDK outputs nest about 10 levels). */
export const MAX_RESOURCE_DEPTH = 64;
/** Resource objects are read back in blocks of about this size. */
const READ_BLOCK_BYTES = 8 * 1024 * 1024;
/** Files up to this size are kept in memory between the structure scan and parsing. */
const KEEP_IN_MEMORY_BYTES = 256 * 1024 * 1024;

const makeError = (message: string, file: string, place?: Place) => new SnapshotError(message, file, place);

function isResourcePath(path: JsonPath): boolean {
  return path.length === 7 && path[0] === "accounts" && path[2] === "regions" && path[4] === "resources" && typeof path[6] === "number";
}

export interface ReadOptions {
  /** Record line numbers of every resource object and region (for SARIF locations). */
  lines?: boolean;
}

export { compare } from "./order.js";

/**
 * Reads a snapshot file. The file is scanned once for its structure; each resource object is
 * then parsed on its own when evaluated, validated against its type's schema. Problems end in a
 * SnapshotError naming the line and JSON pointer.
 */
export function readSnapshotFile(file: string, options: ReadOptions = {}): LoadedSnapshot {
  let buf: Buffer | undefined = readBytes(file, makeError, MAX_SNAPSHOT_BYTES);
  assertUtf8(buf, file, makeError); // resource objects are decoded later, where bad bytes would turn silently into U+FFFD
  // Where each region's name sits ("a/r" → byte offset), for results that have no object of
  // their own (a type that could not be listed, a project without its group).
  const regionNameAt = new Map<string, number>();
  let tree: unknown;
  try {
    tree = scanJson(buf, {
      spanAt: isResourcePath,
      spanDepth: MAX_RESOURCE_DEPTH,
      located: (path, start) => {
        if (isRegionNamePath(path)) regionNameAt.set(`${path[1]}/${path[3]}`, start);
      },
    });
  } catch (err) {
    if (err instanceof JsonScanError) {
      const pos = new LineMap(buf).position(err.offset);
      throw makeError(`not valid JSON: ${err.message}`, file, { line: pos.line, column: pos.column });
    }
    throw err;
  }
  const lineMap = options.lines ? new LineMap(buf) : undefined;
  const lines = lineMap ? spanLines(tree, lineMap) : undefined;
  // Up to KEEP_IN_MEMORY_BYTES the bytes stay in memory for the second pass; a larger file is
  // let go and read back per block, so memory does not grow with the file.
  const keep = /^\d+$/.test(process.env.SAGEGATE_KEEP_IN_MEMORY_BYTES ?? "") ? Number(process.env.SAGEGATE_KEEP_IN_MEMORY_BYTES) : KEEP_IN_MEMORY_BYTES;
  const reader = new SpanReader(file, buf.length <= keep ? buf : undefined);
  // eslint-disable-next-line no-useless-assignment -- drops the last reference so a large file's bytes can be collected while evaluation reads blocks
  buf = undefined;
  const loaded = buildSnapshot(
    tree,
    file,
    (type, items, basePath, errors) => new FileTypeSource(type, offsetsOf(items as Span[]), basePath, file, reader, deepIndexes(items as Span[]), errors),
  );
  if (lines && lineMap) {
    loaded.lines = lines;
    const regionLine = new Map<string, number>();
    (tree as SnapshotFile).accounts.forEach((account, a) =>
      account.regions.forEach((region, r) => {
        const at = regionNameAt.get(`${a}/${r}`);
        if (at !== undefined) regionLine.set(regionKey(account.accountId, region.region), lineMap.line(at));
      }),
    );
    loaded.regionLines = (accountId, region) => {
      const line = regionLine.get(regionKey(accountId, region));
      return line === undefined ? undefined : { startLine: line, endLine: line };
    };
  }
  return loaded;
}

function isRegionNamePath(path: JsonPath): boolean {
  return path.length === 5 && path[4] === "region" && path[2] === "regions" && path[0] === "accounts";
}

function regionKey(accountId: string, region: string): string {
  return `${accountId}\u0000${region}`;
}

/** Builds a snapshot from an in-memory document (tests, rule test cases, merge, scan). */
export function snapshotFromObject(doc: unknown, file = "<snapshot>", mode: ValidationMode = {}): LoadedSnapshot {
  return buildSnapshot(doc, file, (type, items, basePath, errors) => new MemoryTypeSource(type, items as ResourceObject[], basePath, file, errors, mode));
}

type SourceFactory = (type: string, items: unknown[], basePath: Array<string | number>, errors: readonly CollectionError[]) => TypeSource;

function buildSnapshot(tree: unknown, file: string, makeSource: SourceFactory): LoadedSnapshot {
  assertSchema("snapshot", withoutResourceItems(tree), file, makeError);
  const doc = tree as SnapshotFile;
  const seen = new Set<string>();
  const regions: RegionInventory[] = [];
  doc.accounts.forEach((account, a) => {
    account.regions.forEach((region, r) => {
      const key = `${account.accountId}/${region.region}`;
      if (seen.has(key))
        throw makeError(`account ${account.accountId} region ${region.region} appears twice`, file, { pointer: toPointer(["accounts", a, "regions", r]) });
      seen.add(key);
      const resources = new Map<string, TypeSource>();
      for (const type of Object.keys(region.resources).sort(compare)) {
        resources.set(type, makeSource(type, region.resources[type] as unknown[], ["accounts", a, "regions", r, "resources", type], region.errors));
      }
      regions.push({ accountId: account.accountId, region: region.region, resources, errors: sortErrors(region.errors) });
    });
  });
  regions.sort((x, y) => compare(x.accountId, y.accountId) || compare(x.region, y.region));
  const meta: SnapshotMeta = { snapshotVersion: doc.snapshotVersion, collectedAt: doc.collectedAt, collector: doc.collector };
  return { meta, regions, file };
}

/**
 * How resource objects are checked beyond their type's schema. `partial`: rule test cases hold
 * partial resources, so the fields the schema requires at the top level may be missing.
 */
export interface ValidationMode {
  partial?: boolean;
}

/**
 * Validation shared by file and memory sources: the type's schema, a string id, and no field
 * that is a near miss of a known one. A resource with a collection error recorded against it
 * (or whose type has region-wide errors) is what the collector could keep, e.g. the list's
 * summary when the describe call failed: it may lack required fields, and the rules that need
 * them report `error`.
 */
abstract class ValidatingSource implements TypeSource {
  private readonly validate;
  private readonly idField: string;
  private readonly known: ReadonlySet<string>;
  private readonly knownList: readonly string[];
  /** Ids whose required fields may be missing; "all" for the whole type. */
  private readonly lenient: ReadonlySet<string> | "all";

  constructor(
    readonly type: string,
    protected readonly basePath: Array<string | number>,
    protected readonly file: string,
    errors: readonly CollectionError[] = [],
    mode: ValidationMode = {},
  ) {
    const def = resourceType(type)!; // the envelope schema admits known types only
    this.idField = def.idField;
    this.validate = subValidator("snapshot", `/definitions/${def.schemaDefinition}`);
    this.knownList = fieldsOf(type) ?? [];
    this.known = new Set(this.knownList);
    const own = errors.filter((e) => e.resourceType === type);
    this.lenient = mode.partial || own.some((e) => e.resourceId === undefined) ? "all" : new Set(own.map((e) => e.resourceId!));
  }

  abstract readonly count: number;
  abstract item(index: number): StoredResource;
  abstract items(): Iterable<StoredResource>;

  protected checked(data: ResourceObject, index: number, place: () => Place, mayBeDeep = true): StoredResource {
    // No AWS object nests this deep; a deeper one would overflow the stack in validation or reports.
    // (The file scanner already flags such objects, so only they are walked.)
    const deep = mayBeDeep ? tooDeep(data, MAX_RESOURCE_DEPTH) : undefined;
    if (deep)
      throw makeError(`nesting deeper than the limit of ${MAX_RESOURCE_DEPTH} levels`, this.file, {
        ...place(),
        pointer: toPointer([...this.basePath, index, ...deep]),
      });
    // Before the schema: "groupName" should be told as a misspelling, not as a missing GroupName.
    for (const key of Object.keys(data)) {
      if (this.known.has(key)) continue;
      const meant = nearMissOf(this.type, key, this.knownList);
      if (meant !== undefined)
        throw makeError(`unknown field "${key}"; did you mean "${meant}"? (field names are as the AWS SDK returns them, case included)`, this.file, {
          ...place(),
          pointer: toPointer([...this.basePath, index, key]),
        });
    }
    const id = data[this.idField];
    const lenient = this.lenient === "all" || (typeof id === "string" && this.lenient.has(id));
    const problem = problemOf(this.validate, data, lenient ? isTopLevelRequired : undefined);
    if (problem) {
      const path = problem.key !== undefined ? [...problem.path, problem.key] : problem.path;
      throw makeError(problem.message, this.file, { ...place(), pointer: toPointer([...this.basePath, index, ...path]) });
    }
    return { id: id as string, data };
  }

  pointer(index: number): string {
    return toPointer([...this.basePath, index]);
  }
}

const isTopLevelRequired = (e: ErrorObject) => e.keyword === "required" && e.instancePath === "";

/** Near misses per type and unknown key, memoized: real objects repeat the same unknown fields. */
const nearMisses = new Map<string, Map<string, string | null>>();

function nearMissOf(type: string, key: string, known: readonly string[]): string | undefined {
  let perType = nearMisses.get(type);
  if (!perType) nearMisses.set(type, (perType = new Map<string, string | null>()));
  let meant = perType.get(key);
  if (meant === undefined) perType.set(key, (meant = nearMiss(key, known) ?? null));
  return meant ?? undefined;
}

class MemoryTypeSource extends ValidatingSource {
  constructor(
    type: string,
    private readonly objects: ResourceObject[],
    basePath: Array<string | number>,
    file: string,
    errors: readonly CollectionError[] = [],
    mode: ValidationMode = {},
  ) {
    super(type, basePath, file, errors, mode);
  }
  get count(): number {
    return this.objects.length;
  }
  item(index: number): StoredResource {
    return this.checked(this.objects[index]!, index, () => ({}));
  }
  *items(): Iterable<StoredResource> {
    for (let i = 0; i < this.objects.length; i++) yield this.item(i);
  }
}

/** Where a type's resource objects are in the file: [start0, end0, start1, end1, …] byte offsets. */
export type SpanOffsets = Float64Array;

export class FileTypeSource extends ValidatingSource {
  constructor(
    type: string,
    readonly offsets: SpanOffsets,
    basePath: Array<string | number>,
    file: string,
    private readonly reader: SpanReader,
    /** Indexes of objects the scanner found nesting deeper than MAX_RESOURCE_DEPTH. */
    readonly deep: ReadonlySet<number> = new Set(),
    errors: readonly CollectionError[] = [],
  ) {
    super(type, basePath, file, errors);
  }
  get count(): number {
    return this.offsets.length / 2;
  }
  /** The path of this type's list in the document, e.g. ["accounts", 0, "regions", 1, "resources", type]. */
  get path(): Array<string | number> {
    return this.basePath;
  }
  item(index: number): StoredResource {
    const start = this.offsets[2 * index]!;
    return this.parsed(this.reader.text(start, this.offsets[2 * index + 1]!), index);
  }
  *items(): Iterable<StoredResource> {
    // Spans of one type are contiguous in the file: read them in large blocks.
    const o = this.offsets;
    const n = this.count;
    let i = 0;
    while (i < n) {
      const first = o[2 * i]!;
      let j = i;
      while (j + 1 < n && o[2 * (j + 1) + 1]! - first <= READ_BLOCK_BYTES) j++;
      const block = this.reader.block(first, o[2 * j + 1]!);
      for (let k = i; k <= j; k++) yield this.parsed(block.toString("utf8", o[2 * k]! - first, o[2 * k + 1]! - first), k);
      i = j + 1;
    }
  }
  private parsed(text: string, index: number): StoredResource {
    const start = this.offsets[2 * index]!;
    let data: ResourceObject;
    try {
      data = JSON.parse(text) as ResourceObject;
    } catch (err) {
      throw makeError(`not valid JSON: ${(err as Error).message}`, this.file, { ...this.reader.position(start), pointer: this.pointer(index) });
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw makeError("must be object", this.file, { ...this.reader.position(start), pointer: this.pointer(index) });
    }
    const stored = this.checked(data, index, () => this.reader.position(start), this.deep.has(index));
    stored.start = start;
    stored.end = this.offsets[2 * index + 1]!;
    stored.raw = text;
    return stored;
  }
}

function deepIndexes(spans: readonly Span[]): Set<number> {
  const deep = new Set<number>();
  spans.forEach((s, i) => {
    if (s.deep) deep.add(i);
  });
  return deep;
}

function offsetsOf(spans: readonly Span[]): SpanOffsets {
  const o = new Float64Array(spans.length * 2);
  spans.forEach((s, i) => {
    o[2 * i] = s.start;
    o[2 * i + 1] = s.end;
  });
  return o;
}

/** A region of a file-backed snapshot in a form that can be sent to a worker thread. */
export interface RegionSpans {
  accountId: string;
  region: string;
  errors: CollectionError[];
  types: Array<{ type: string; path: Array<string | number>; offsets: SpanOffsets; deep: number[] }>;
}

/** The regions of a snapshot read from a file, as span offsets; undefined for in-memory snapshots. */
export function regionSpans(snapshot: LoadedSnapshot): RegionSpans[] | undefined {
  const out: RegionSpans[] = [];
  for (const inv of snapshot.regions) {
    const types: RegionSpans["types"] = [];
    for (const source of inv.resources.values()) {
      if (!(source instanceof FileTypeSource)) return undefined;
      types.push({ type: source.type, path: source.path, offsets: source.offsets, deep: [...source.deep] });
    }
    out.push({ accountId: inv.accountId, region: inv.region, errors: inv.errors, types });
  }
  return out;
}

/** Rebuilds a region from its span offsets (in a worker thread), reading objects from `file`. */
export function inventoryFromSpans(file: string, spans: RegionSpans, reader: SpanReader = new SpanReader(file)): RegionInventory {
  const resources = new Map<string, TypeSource>();
  for (const t of spans.types) resources.set(t.type, new FileTypeSource(t.type, t.offsets, t.path, file, reader, new Set(t.deep), spans.errors));
  return { accountId: spans.accountId, region: spans.region, resources, errors: spans.errors };
}

/** Reads byte ranges of the snapshot file back (positional reads; no whole-file buffer). */
export class SpanReader {
  private fd: number | undefined;
  constructor(
    private readonly file: string,
    private readonly bytes?: Buffer,
  ) {}

  block(start: number, end: number): Buffer {
    if (this.bytes) return this.bytes.subarray(start, end);
    const buf = Buffer.allocUnsafe(end - start);
    let done = 0;
    const fd = this.open();
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, start + done);
      if (n === 0) throw makeError("the file changed while it was being read", this.file);
      done += n;
    }
    return buf;
  }

  text(start: number, end: number): string {
    return this.block(start, end).toString("utf8");
  }

  /** Line and column of an offset, for error messages: counts newlines up to it. */
  position(offset: number): Place {
    const buf = this.block(0, offset);
    const map = new LineMap(buf);
    const pos = map.position(offset);
    return { line: pos.line, column: pos.column };
  }

  private open(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.file, "r");
      process.once("exit", () => this.close());
    }
    return this.fd;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Line numbers of every resource object, computed once while the bytes are still in memory. */
function spanLines(tree: unknown, lineMap: LineMap): (start: number, end: number) => SourceSpan {
  const starts: number[] = [];
  const found: SourceSpan[] = [];
  visitSpans(tree, (span) => {
    starts.push(span.start);
    found.push({ startLine: lineMap.line(span.start), endLine: lineMap.line(Math.max(span.start, span.end - 1)) });
  });
  const order = starts.map((_, i) => i).sort((a, b) => starts[a]! - starts[b]!);
  const sortedStarts = Float64Array.from(order.map((i) => starts[i]!));
  const sortedLines = order.map((i) => found[i]!);
  return (start) => {
    let lo = 0;
    let hi = sortedStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = sortedStarts[mid]!;
      if (v === start) return sortedLines[mid]!;
      if (v < start) lo = mid + 1;
      else hi = mid - 1;
    }
    return { startLine: 1, endLine: 1 };
  };
}

function visitSpans(value: unknown, visit: (span: Span) => void): void {
  if (value instanceof Span) visit(value);
  else if (Array.isArray(value)) for (const v of value) visitSpans(v, visit);
  else if (typeof value === "object" && value !== null) for (const v of Object.values(value)) visitSpans(v, visit);
}

/** The envelope is validated with resource arrays emptied: resource objects are validated one by one. */
function withoutResourceItems(tree: unknown): unknown {
  const doc = tree as { accounts?: unknown };
  if (!isObject(doc) || !Array.isArray(doc.accounts)) return tree;
  return {
    ...doc,
    accounts: doc.accounts.map((account: unknown) => {
      if (!isObject(account) || !Array.isArray(account.regions)) return account;
      return {
        ...account,
        regions: account.regions.map((region: unknown) => {
          if (!isObject(region) || !isObject(region.resources)) return region;
          // fromEntries defines own keys: a type named "__proto__" stays a key for the schema to refuse.
          const resources = Object.fromEntries(Object.entries(region.resources).map(([type, list]) => [type, Array.isArray(list) ? [] : list]));
          return { ...region, resources };
        }),
      };
    }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Span);
}

/** Parses and validates every resource (what `validate` does), checking ids are unique per type and region. */
export function validateAllResources(snapshot: LoadedSnapshot, maxProblems = 1): { resources: number; problems: SnapshotError[] } {
  let resources = 0;
  const problems: SnapshotError[] = [];
  const note = (err: unknown): void => {
    if (!(err instanceof SnapshotError)) throw err;
    problems.push(err);
    if (problems.length >= maxProblems) throw new EnoughProblems();
  };
  try {
    for (const region of snapshot.regions) {
      for (const source of region.resources.values()) {
        const ids = new Set<string>();
        const count = (r: StoredResource) => {
          if (ids.has(r.id)) note(makeError(`duplicate ${source.type} id "${r.id}" in ${region.accountId} ${region.region}`, snapshot.file ?? "<snapshot>"));
          ids.add(r.id);
          resources++;
        };
        // The fast path reads blocks; after a bad object the rest of the type is read one by one,
        // so that every bad object is named, not only the first.
        let next = 0;
        try {
          for (const r of source.items()) {
            next++;
            count(r);
          }
        } catch (err) {
          if (err instanceof EnoughProblems) throw err;
          note(err);
          for (let i = next + 1; i < source.count; i++) {
            try {
              count(source.item(i));
            } catch (inner) {
              if (inner instanceof EnoughProblems) throw inner;
              note(inner);
            }
          }
        }
      }
    }
  } catch (err) {
    if (!(err instanceof EnoughProblems)) throw err;
  }
  return { resources, problems };
}

/** Thrown to stop reading once `maxProblems` were found. */
class EnoughProblems extends Error {}
