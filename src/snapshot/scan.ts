// Byte-level JSON scanner for inventory snapshots.
//
// Snapshots can reach ~800 MB, more than V8 can hold in one string (~512M characters), so
// JSON.parse on the whole file is impossible. This scanner parses the document straight
// from the bytes, builds the small "skeleton" (accounts, regions, resource-type maps) as
// ordinary values, and leaves the bulky parts (the resource objects) unparsed: for each of
// those the caller gets a Span with byte offsets, to JSON.parse later one at a time.
//
// Skipping a span is the hot path. It only tracks string boundaries and bracket balance;
// number and literal grammar inside a span is left to the later JSON.parse of that span.

/** Path of a value from the document root: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** A value that was skipped (not parsed) and located in the buffer. */
export class Span {
  /** Byte offsets, end exclusive: `buf.subarray(start, end)` is exactly the JSON text of the value. */
  constructor(
    readonly start: number,
    readonly end: number,
    /** The value nests deeper than ScanOptions.spanDepth (only set when that option is given). */
    readonly deep = false,
  ) {}
}

export interface ScanOptions {
  /**
   * Called for each value position (path from the root, e.g.
   * ["accounts",0,"regions",1,"resources","AWS::EC2::VPC",3]) before the value is read.
   * Return true to skip the value and put a Span in its place.
   *
   * The path array is reused and mutated as the scan goes on: copy it if you keep it.
   */
  spanAt(path: JsonPath): boolean;
  /**
   * Called after each value that was parsed (not skipped into a Span) with its byte range, end
   * exclusive: lets a caller locate small parts of the skeleton (a region's name) without a
   * second pass. Same path caveat as spanAt. Spans already carry their offsets.
   */
  located?(path: JsonPath, start: number, end: number): void;
  /** Max nesting depth for parsed (non-span) values; default 512. Deeper → error. */
  maxDepth?: number;
  /**
   * Flag spans nesting deeper than this (Span.deep) instead of leaving the check to a walk of
   * every parsed object: the skip counts brackets anyway.
   */
  spanDepth?: number;
}

/** Where and why a scan failed. */
export interface ScanErrorInfo {
  /** Byte offset of the problem. */
  offset: number;
  message: string;
}

export class JsonScanError extends Error implements ScanErrorInfo {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonScanError";
  }
}

const DEFAULT_MAX_DEPTH = 512;

// Byte values used by the scanner.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

// Byte classes for the span skip loop: one table load per byte instead of a chain of compares.
const OTHER = 0;
const STRING = 1;
const OPENER = 2;
const CLOSER = 3;
const SKIP_CLASS = new Uint8Array(256);
SKIP_CLASS[QUOTE] = STRING;
SKIP_CLASS[OPEN_BRACE] = OPENER;
SKIP_CLASS[OPEN_BRACKET] = OPENER;
SKIP_CLASS[CLOSE_BRACE] = CLOSER;
SKIP_CLASS[CLOSE_BRACKET] = CLOSER;

// Bytes that may make up a number or literal; a scalar span is the longest run of them.
const SCALAR_BYTE = new Uint8Array(256);
for (const ch of "0123456789+-.eEtruefalsn") SCALAR_BYTE[ch.charCodeAt(0)] = 1;

// Strings shorter than this are scanned in JS; longer ones switch to the native
// Buffer#indexOf, whose call overhead only pays off once there is something to jump over.
const SHORT_STRING = 32;

/**
 * Parse `buf` as one JSON document. Returns the value tree where values at span paths are
 * Span instances. Throws JsonScanError on any syntax error (also inside skipped spans: the
 * skip checks bracket/brace balance and string termination), on duplicate keys in parsed
 * objects, and on trailing garbage. A leading UTF-8 BOM is skipped; offsets still count it.
 */
export function scanJson(buf: Uint8Array, options: ScanOptions): unknown {
  return new Scanner(asBuffer(buf), options).document();
}

/** Maps byte offsets to 1-based line and column (column counted in bytes). */
export class LineMap {
  private readonly buf: Buffer;
  /** Offsets where each line starts; built on first lookup. */
  private starts: Uint32Array | undefined;

  constructor(buf: Uint8Array) {
    this.buf = asBuffer(buf);
  }

  position(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= lineStarts(this.buf));
    const at = Math.max(0, Math.min(offset, this.buf.length));
    const index = lastAtOrBelow(starts, at);
    return { line: index + 1, column: at - starts[index]! + 1 };
  }

  line(offset: number): number {
    return this.position(offset).line;
  }
}

/** Views the bytes as a Buffer (no copy) for its native indexOf and toString. */
function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Recursive-descent parser over the bytes; `pos` is the next unread byte. */
class Scanner {
  private pos = 0;
  private readonly n: number;
  private readonly path: (string | number)[] = [];
  private readonly maxDepth: number;
  private readonly spanDepth: number;
  /** Set by skipContainer when the container went deeper than spanDepth. */
  private wentDeep = false;
  private readonly spanAt: (path: JsonPath) => boolean;
  private readonly located: ((path: JsonPath, start: number, end: number) => void) | undefined;
  /** Opener bytes of the containers the span skip is inside; grows as needed. */
  private openers = new Uint8Array(64);

  constructor(
    private readonly b: Buffer,
    options: ScanOptions,
  ) {
    this.n = b.length;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.spanDepth = options.spanDepth ?? Infinity;
    this.spanAt = options.spanAt.bind(options);
    this.located = options.located?.bind(options);
  }

  document(): unknown {
    const b = this.b;
    // A BOM is not JSON, but editors on Windows like to add one.
    if (this.n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
    const value = this.value(0);
    const end = skipWhitespace(b, this.pos);
    if (end < this.n) throw new JsonScanError(`unexpected ${describe(b, end)} after the JSON value`, end);
    return value;
  }

  /** Reads the value at the current position, or skips it into a Span if the caller asks. */
  private value(depth: number): unknown {
    const start = skipWhitespace(this.b, this.pos);
    if (start >= this.n) throw this.endOfInput();
    if (this.spanAt(this.path)) {
      this.wentDeep = false;
      this.pos = this.skipValue(start);
      return new Span(start, this.pos, this.wentDeep);
    }
    if (this.located === undefined) return this.parsedValue(start, depth);
    const value = this.parsedValue(start, depth);
    this.located(this.path, start, this.pos);
    return value;
  }

  private parsedValue(start: number, depth: number): unknown {
    const c = this.b[start]!;
    if (c === OPEN_BRACE) return this.object(start, depth + 1);
    if (c === OPEN_BRACKET) return this.array(start, depth + 1);
    if (c === QUOTE) return this.string(start);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(start);
    if (c === TRUE[0]) return this.literal(start, TRUE, true);
    if (c === FALSE[0]) return this.literal(start, FALSE, false);
    if (c === NULL[0]) return this.literal(start, NULL, null);
    throw new JsonScanError(`unexpected ${describe(this.b, start)}, expected a JSON value`, start);
  }

  private object(open: number, depth: number): Record<string, unknown> {
    this.checkDepth(open, depth);
    const b = this.b;
    const obj: Record<string, unknown> = {};
    let i = skipWhitespace(b, open + 1);
    if (b[i] === CLOSE_BRACE) {
      this.pos = i + 1;
      return obj;
    }
    for (;;) {
      if (b[i] !== QUOTE) throw this.expected(i, "a string key");
      const key = this.string(i);
      // JSON.parse silently keeps the last duplicate; for a snapshot that hides data, so refuse.
      if (Object.hasOwn(obj, key)) throw new JsonScanError(`duplicate key ${JSON.stringify(key)}`, i);
      i = skipWhitespace(b, this.pos);
      if (b[i] !== COLON) throw this.expected(i, "':' after the key");
      this.pos = i + 1;
      this.path.push(key);
      setOwn(obj, key, this.value(depth));
      this.path.pop();
      i = skipWhitespace(b, this.pos);
      if (b[i] === COMMA) {
        i = skipWhitespace(b, i + 1);
      } else if (b[i] === CLOSE_BRACE) {
        this.pos = i + 1;
        return obj;
      } else {
        throw this.expected(i, "',' or '}' in the object");
      }
    }
  }

  private array(open: number, depth: number): unknown[] {
    this.checkDepth(open, depth);
    const b = this.b;
    const arr: unknown[] = [];
    let i = skipWhitespace(b, open + 1);
    if (b[i] === CLOSE_BRACKET) {
      this.pos = i + 1;
      return arr;
    }
    const last = this.path.length;
    this.path.push(0);
    for (;;) {
      this.pos = i;
      this.path[last] = arr.length;
      arr.push(this.value(depth));
      i = skipWhitespace(b, this.pos);
      if (b[i] === COMMA) {
        i = i + 1;
      } else if (b[i] === CLOSE_BRACKET) {
        this.path.pop();
        this.pos = i + 1;
        return arr;
      } else {
        throw this.expected(i, "',' or ']' in the array");
      }
    }
  }

  /** Parses the string whose opening quote is at `open`. */
  private string(open: number): string {
    const b = this.b;
    const n = this.n;
    let escaped = false;
    let ascii = true;
    let i = open + 1;
    for (;;) {
      if (i >= n) throw new JsonScanError("unterminated string", open);
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20) throw new JsonScanError("control character in string (must be escaped)", i);
      if (c >= 0x80) ascii = false;
      i++;
    }
    this.pos = i + 1;
    if (escaped) return this.unescape(open, i + 1);
    return b.toString(ascii ? "latin1" : "utf8", open + 1, i);
  }

  /** Decodes a string with escapes; JSON.parse knows every escape rule, including surrogates. */
  private unescape(start: number, end: number): string {
    try {
      return JSON.parse(this.b.toString("utf8", start, end)) as string;
    } catch {
      const at = badEscape(this.b, start, end);
      throw new JsonScanError("invalid escape sequence in string", at);
    }
  }

  /** Parses a number with JSON's grammar (no leading zeros, no '+', digits after '.'). */
  private number(start: number): number {
    const b = this.b;
    let i = start;
    if (b[i] === MINUS) i++;
    if (b[i] === ZERO) {
      i++;
    } else if (isDigit(b[i])) {
      i = skipDigits(b, i);
    } else {
      throw new JsonScanError("invalid number", start);
    }
    const integerEnd = i;
    if (b[i] === DOT) {
      if (!isDigit(b[i + 1])) throw new JsonScanError("invalid number: expected a digit after '.'", i + 1);
      i = skipDigits(b, i + 1);
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === MINUS) i++;
      if (!isDigit(b[i])) throw new JsonScanError("invalid number: expected a digit in the exponent", i);
      i = skipDigits(b, i);
    }
    this.pos = i;
    // Short integers are exact in a double; build them directly instead of via a string.
    if (i === integerEnd && i - start <= 15) return smallInteger(b, start, i);
    return Number(b.toString("latin1", start, i));
  }

  private literal<T>(start: number, word: readonly number[], value: T): T {
    const b = this.b;
    for (let k = 0; k < word.length; k++) {
      if (b[start + k] !== word[k]) throw new JsonScanError("invalid literal", start);
    }
    this.pos = start + word.length;
    return value;
  }

  /** Returns the end of the value starting at `start` without building it. */
  private skipValue(start: number): number {
    const b = this.b;
    const c = b[start]!;
    if (c === QUOTE) return closingQuote(b, start) + 1;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.skipContainer(start);
    // A number or literal: its grammar is checked when the span is parsed later.
    let i = start;
    while (i < this.n && SCALAR_BYTE[b[i]!] === 1) i++;
    if (i === start) throw new JsonScanError(`unexpected ${describe(b, start)}, expected a JSON value`, start);
    return i;
  }

  /**
   * Skips the object or array opening at `start`: the hot path of the scanner. Every byte
   * outside strings costs one table lookup; strings are jumped over by closingQuote.
   */
  private skipContainer(start: number): number {
    const b = this.b;
    const n = this.n;
    let openers = this.openers;
    let depth = 0;
    let i = start;
    while (i < n) {
      const c = b[i]!;
      const kind = SKIP_CLASS[c]!;
      if (kind === OTHER) {
        i++;
      } else if (kind === STRING) {
        i = closingQuote(b, i) + 1;
      } else if (kind === OPENER) {
        if (depth === openers.length) openers = this.growOpeners();
        openers[depth++] = c;
        if (depth > this.spanDepth) this.wentDeep = true;
        i++;
      } else {
        // '}' is '{' + 2 and ']' is '[' + 2.
        if (openers[--depth]! + 2 !== c) {
          throw new JsonScanError(`unexpected '${String.fromCharCode(c)}': brackets do not match`, i);
        }
        i++;
        if (depth === 0) return i;
      }
    }
    throw new JsonScanError(`unexpected end of input inside the value starting at byte ${start}`, n);
  }

  private growOpeners(): Uint8Array<ArrayBuffer> {
    const bigger = new Uint8Array(this.openers.length * 2);
    bigger.set(this.openers);
    return (this.openers = bigger);
  }

  private checkDepth(at: number, depth: number): void {
    if (depth > this.maxDepth) {
      throw new JsonScanError(`nesting deeper than the limit of ${this.maxDepth}`, at);
    }
  }

  private expected(at: number, what: string): JsonScanError {
    if (at >= this.n) return this.endOfInput();
    return new JsonScanError(`unexpected ${describe(this.b, at)}, expected ${what}`, at);
  }

  private endOfInput(): JsonScanError {
    return new JsonScanError("unexpected end of input", this.n);
  }
}

/**
 * Returns the offset of the quote closing the string that opens at `open`. Short strings
 * are walked in JS; for longer ones the native indexOf finds candidate quotes, and a quote
 * is escaped exactly when an odd number of backslashes precede it. The backward count
 * always stops at the opening quote, since that is not a backslash.
 */
function closingQuote(b: Buffer, open: number): number {
  const limit = Math.min(open + SHORT_STRING, b.length);
  let i = open + 1;
  for (; i < limit; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  let q = b.indexOf(QUOTE, i);
  while (q >= 0) {
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    if (((q - k) & 1) === 1) return q;
    q = b.indexOf(QUOTE, q + 1);
  }
  throw new JsonScanError("unterminated string", open);
}

function skipWhitespace(b: Buffer, i: number): number {
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

function skipDigits(b: Buffer, i: number): number {
  while (isDigit(b[i])) i++;
  return i;
}

function smallInteger(b: Buffer, start: number, end: number): number {
  const negative = b[start] === MINUS;
  let value = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) value = value * 10 + (b[i]! - ZERO);
  return negative ? -value : value; // "-0" gives -0, as in JSON.parse
}

/** Assigns a key as an own data property: "__proto__" must not change the prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** Finds the first invalid escape in the string spanning [start, end), for the error offset. */
function badEscape(b: Buffer, start: number, end: number): number {
  for (let i = start + 1; i < end - 1; i++) {
    if (b[i] !== BACKSLASH) continue;
    const c = b[i + 1]!;
    if (c === 0x75 /* u */) {
      const hex = b.toString("latin1", i + 2, Math.min(i + 6, end - 1));
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return i;
      i += 5;
    } else if (!'"\\/bfnrt'.includes(String.fromCharCode(c))) {
      return i;
    } else {
      i++;
    }
  }
  return start;
}

/** Names the byte at `at` for an error message. */
function describe(b: Buffer, at: number): string {
  if (at >= b.length) return "end of input";
  const c = b[at]!;
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/**
 * Offsets where lines start: 0, and the byte after every "\n" ("\r\n" ends in "\n" too).
 * The native indexOf is as fast as a JS loop on short lines and far faster on long ones.
 */
function lineStarts(b: Buffer): Uint32Array {
  // Guess one line per 256 bytes, then double: a compact snapshot has almost no lines.
  let starts = new Uint32Array(Math.max(1024, b.length >>> 8));
  let count = 1; // starts[0] = 0
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) {
    if (count === starts.length) {
      const bigger = new Uint32Array(starts.length * 2);
      bigger.set(starts);
      starts = bigger;
    }
    starts[count++] = i + 1;
  }
  return starts.subarray(0, count);
}

/** Index of the last element <= value in a sorted array whose first element is 0. */
function lastAtOrBelow(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
