import { describe, expect, it } from "vitest";
import { JsonScanError, LineMap, Span, scanJson, type JsonPath, type ScanOptions } from "../../src/snapshot/scan.js";

const parseAll: ScanOptions = { spanAt: () => false };

function scan(text: string, options: ScanOptions = parseAll): unknown {
  return scanJson(Buffer.from(text), options);
}

/** Runs the scan and returns the JsonScanError it must throw. */
function scanError(input: string | Uint8Array, options: Partial<ScanOptions> = {}): JsonScanError {
  const buf = typeof input === "string" ? Buffer.from(input) : input;
  try {
    scanJson(buf, { ...parseAll, ...options });
  } catch (err) {
    if (err instanceof JsonScanError) return err;
    throw err;
  }
  throw new Error("expected a JsonScanError");
}

/** mulberry32: a tiny seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates random JSON text (not via JSON.stringify): odd whitespace, number forms, escapes. */
function jsonTextGenerator(seed: number): () => string {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => String(int(10))).join("");
  const ws = () => (rnd() < 0.5 ? "" : pick([" ", "\n", "\t", "\r\n", "  ", " \r\n\t "]));
  const pieces = [
    "a",
    "Z",
    " ",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "é",
    "日本",
    "🚀",
    "x".repeat(40),
    '\\"',
    "\\\\",
    "\\/",
    "\\n",
    "\\t",
    "\\b",
    "\\f",
    "\\r",
    "\\u00e9",
    "\\u00E9",
    "\\uD83D\\uDE80",
    "\\ud800",
    "\\u0000",
    '\\\\\\"',
    "\\\\\\\\",
  ];
  const string = () => `"${Array.from({ length: int(12) }, () => pick(pieces)).join("")}"`;
  const number = () => {
    const sign = rnd() < 0.3 ? "-" : "";
    const whole = rnd() < 0.2 ? "0" : String(1 + int(9)) + digits(int(20));
    const fraction = rnd() < 0.3 ? `.${digits(1 + int(10))}` : "";
    const exponent = rnd() < 0.2 ? pick(["e", "E"]) + pick(["", "+", "-"]) + digits(1 + int(3)) : "";
    return sign + whole + fraction + exponent;
  };
  const list = (items: string[], open: string, close: string) => open + ws() + items.join(`${ws()},${ws()}`) + ws() + close;
  const value = (depth: number): string => {
    switch (int(depth > 4 ? 6 : 8)) {
      case 0:
        return number();
      case 1:
      case 5:
        return string();
      case 2:
        return "true";
      case 3:
        return "false";
      case 4:
        return "null";
      case 6:
        return list(
          Array.from({ length: int(6) }, () => value(depth + 1)),
          "[",
          "]",
        );
      default: {
        const seen = new Set<string>();
        const members: string[] = [];
        for (let k = int(6); k > 0; k--) {
          const key = string();
          const decoded = JSON.parse(key) as string;
          if (seen.has(decoded) || decoded === "__proto__") continue;
          seen.add(decoded);
          members.push(`${key}${ws()}:${ws()}${value(depth + 1)}`);
        }
        return list(members, "{", "}");
      }
    }
  };
  return () => ws() + value(0) + ws();
}

/** Checks a scan result against JSON.parse's value, parsing every span it finds. */
function expectMatches(buf: Buffer, got: unknown, expected: unknown): void {
  if (got instanceof Span) {
    const text = buf.toString("utf8", got.start, got.end);
    expect(text).toBe(text.trim());
    expect(JSON.parse(text)).toEqual(expected);
  } else if (Array.isArray(got)) {
    expect(Array.isArray(expected)).toBe(true);
    const list = expected as unknown[];
    expect(got).toHaveLength(list.length);
    got.forEach((item, i) => expectMatches(buf, item, list[i]));
  } else if (got !== null && typeof got === "object") {
    const record = expected as Record<string, unknown>;
    expect(Object.keys(got)).toEqual(Object.keys(record));
    for (const [key, item] of Object.entries(got)) expectMatches(buf, item, record[key]);
  } else {
    expect(got).toEqual(expected);
  }
}

describe("scanJson without spans equals JSON.parse", () => {
  const cases = [
    "0",
    "-0",
    "1",
    "-1",
    "123456789012345",
    "-123456789012345",
    "1234567890123456",
    "9007199254740993",
    "123456789012345678901234567890",
    "1.5",
    "-0.0",
    "1e400",
    "-1e400",
    "1E+2",
    "1e-2",
    "2.5E-3",
    "0.1e1",
    "1e-400",
    "true",
    "false",
    "null",
    '""',
    '"plain"',
    '"é 日本 🚀"',
    '"\\u00e9"',
    '"\\uD83D\\uDE80"',
    '"\\ud800"',
    '"\\udc00x"',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    '"\\u0000"',
    '"ends with backslash \\\\"',
    "{}",
    "[]",
    "[[]]",
    "[{}]",
    '{"":""}',
    '{"a":{"b":{"c":[1,[2,[3]]]}}}',
    '{"b":1,"2":2,"1":3,"a":4}',
    ' \t\r\n {"a" : [ 1 , 2 ] } \n\t ',
    '[1,"two",true,false,null,{},[],-3.5e2]',
    '{"constructor":1,"prototype":{"x":1},"toString":"s","hasOwnProperty":2}',
  ];
  for (const text of cases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      expect(scan(text)).toEqual(JSON.parse(text));
    });
  }

  it("keeps -0 and big numbers exactly as JSON.parse", () => {
    expect(Object.is(scan("-0"), -0)).toBe(true);
    expect((scan("[-0]") as number[])[0]).toBe(-0);
    expect(scan("9007199254740993")).toBe(JSON.parse("9007199254740993"));
  });

  it("matches JSON.parse on 500 random documents", () => {
    const next = jsonTextGenerator(20240601);
    for (let n = 0; n < 500; n++) {
      const text = next();
      expect(scan(text), text).toEqual(JSON.parse(text));
    }
  });

  it("accepts a plain Uint8Array and a Buffer view with a byte offset", () => {
    const text = '{"a":[1,"é",{"b":null}]}';
    expect(scanJson(new TextEncoder().encode(text), parseAll)).toEqual(JSON.parse(text));
    const padded = Buffer.from(`xxxx${text}yyyy`);
    const view = padded.subarray(4, 4 + Buffer.byteLength(text));
    const spanned = scanJson(view, { spanAt: (path) => path.length === 1 }) as { a: Span };
    expect(spanned.a).toEqual(new Span(5, view.length - 1));
    expect(JSON.parse(Buffer.from(view.subarray(spanned.a.start, spanned.a.end)).toString())).toEqual([1, "é", { b: null }]);
  });
});

describe("spans", () => {
  it("match JSON.parse on 500 random documents with random span positions", () => {
    const next = jsonTextGenerator(777);
    const rnd = prng(99);
    for (let n = 0; n < 500; n++) {
      const text = next();
      const buf = Buffer.from(text);
      const got = scanJson(buf, { spanAt: () => rnd() < 0.3 });
      expectMatches(buf, got, JSON.parse(text));
    }
  });

  it("skip scalars of every kind", () => {
    const text = '[ "a", "x\\"y\\\\", 1, -2.5e3, true, false, null ]';
    const buf = Buffer.from(text);
    const got = scanJson(buf, { spanAt: (path) => path.length === 1 }) as Span[];
    expect(got.map((s) => buf.toString("utf8", s.start, s.end))).toEqual(['"a"', '"x\\"y\\\\"', "1", "-2.5e3", "true", "false", "null"]);
  });

  it("find the closing quote after backslash runs of every parity, around the short-string limit", () => {
    for (let length = 0; length < 70; length++) {
      for (let run = 0; run < 5; run++) {
        // `run` backslashes before the end, plus an escaped quote inside: JSON.stringify escapes both.
        const value = `${"y".repeat(length)}"${"\\".repeat(run)}`;
        const text = `[${JSON.stringify(value)}, {"k": ${JSON.stringify(value)}}]`;
        const buf = Buffer.from(text);
        const got = scanJson(buf, { spanAt: (path) => path.length === 1 }) as Span[];
        expectMatches(buf, got, JSON.parse(text));
      }
    }
  });

  it("may be nested far deeper than maxDepth", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const buf = Buffer.from(`{"deep": ${deep}}`);
    const got = scanJson(buf, { spanAt: (path) => path.length === 1, maxDepth: 4 }) as { deep: Span };
    expect(got.deep).toEqual(new Span(9, buf.length - 1));
  });

  it("can be the whole document", () => {
    const buf = Buffer.from('  {"a": 1}\n');
    expect(scanJson(buf, { spanAt: () => true })).toEqual(new Span(2, 10));
  });
});

// ---- A snapshot-shaped document -------------------------------------------------------------

const TRICKY = [
  "braces { } and brackets [ ] outside of JSON",
  'quote " inside, and "}]" after it',
  "ends with a backslash \\",
  "\\",
  '\\"',
  "C:\\data\\models\\",
  "unicode: 日本語 🚀 naïve café — Ωμέγα",
  `${"long ".repeat(20)}with \\"} at the end\\`,
];

function resource(id: string, i: number): Record<string, unknown> {
  return {
    id,
    name: TRICKY[i % TRICKY.length],
    nested: { list: ["[", "{", { deep: ["}", "]", TRICKY[(i + 3) % TRICKY.length]] }], path: "C:\\dir\\" },
    count: i,
    ratio: i / 7,
    enabled: i % 2 === 0,
    none: null,
    empty: { obj: {}, arr: [] },
  };
}

/** Keys deliberately out of the usual order: accounts first, resources before region. */
function snapshotDoc(): Record<string, unknown> {
  let n = 0;
  const region = (name: string) => ({
    resources: {
      "AWS::EC2::VPC": Array.from({ length: 3 }, () => resource(`vpc-${n}`, n++)),
      "AWS::S3::Bucket": Array.from({ length: 4 }, () => resource(`bucket-${n}`, n++)),
      "AWS::SageMaker::NotebookInstance": [],
    },
    region: name,
    errors: [{ service: "kms", message: 'AccessDenied: "kms:ListKeys" {not allowed}' }],
  });
  return {
    accounts: [
      { regions: [region("eu-west-1"), region("us-east-1")], accountId: "111111111111" },
      { accountId: "222222222222", regions: [region("eu-central-1")] },
    ],
    collector: { name: "sagegate", version: "0.1.0" },
    snapshotVersion: 1,
    collectedAt: "2024-06-01T00:00:00.000Z",
  };
}

type Region = { region: string; resources: Record<string, unknown[]>; errors: unknown[] };
type Snapshot = { snapshotVersion: number; accounts: Array<{ accountId: string; regions: Region[] }> };

const isResource = (path: JsonPath) => path.length === 7 && path[4] === "resources";

/** Expected 1-based start/end lines of a resource, found by searching the pretty-printed text. */
function expectedLines(text: string, id: string): { start: number; end: number; indent: number } {
  const lines = text.split(/\r?\n/);
  const idLine = lines.findIndex((line) => line.includes(`"id": "${id}"`));
  const open = idLine - 1; // "id" is the first key, so the line above holds the opening brace
  const indent = /^ */.exec(lines[open]!)![0];
  expect(lines[open]).toBe(`${indent}{`);
  const close = lines.findIndex((line, k) => k > idLine && line.startsWith(`${indent}}`));
  return { start: open + 1, end: close + 1, indent: indent.length };
}

function checkSnapshotSpans(text: string): void {
  const doc = snapshotDoc();
  const buf = Buffer.from(text);
  const paths: JsonPath[] = [];
  const got = scanJson(buf, {
    spanAt: (path) => {
      paths.push([...path]);
      return isResource(path);
    },
  }) as Snapshot;
  const lineMap = new LineMap(buf);
  const expected = doc as unknown as Snapshot;

  expect(got.snapshotVersion).toBe(1);
  expect(Object.keys(got)).toEqual(["accounts", "collector", "snapshotVersion", "collectedAt"]);
  expect(paths).toContainEqual(["accounts", 0, "regions", 1, "resources", "AWS::EC2::VPC", 2]);
  expect(paths).toContainEqual(["accounts", 1, "regions", 0, "region"]);
  let spans = 0;
  got.accounts.forEach((account, a) => {
    expect(account.accountId).toBe(expected.accounts[a]!.accountId);
    account.regions.forEach((region, r) => {
      const want = expected.accounts[a]!.regions[r]!;
      expect(region.region).toBe(want.region);
      expect(region.errors).toEqual(want.errors);
      expect(Object.keys(region.resources)).toEqual(Object.keys(want.resources));
      for (const [type, list] of Object.entries(region.resources)) {
        list.forEach((span, i) => {
          expect(span).toBeInstanceOf(Span);
          const { start, end } = span as Span;
          const original = want.resources[type]![i] as { id: string };
          expect(JSON.parse(buf.subarray(start, end).toString())).toEqual(original);
          const lines = expectedLines(text, original.id);
          expect(lineMap.line(start)).toBe(lines.start);
          expect(lineMap.position(start).column).toBe(lines.indent + 1);
          expect(lineMap.line(end - 1)).toBe(lines.end);
          spans++;
        });
      }
    });
  });
  expect(spans).toBe(21);
}

describe("snapshot-shaped documents", () => {
  it("put spans exactly around each resource, with the right lines", () => {
    checkSnapshotSpans(JSON.stringify(snapshotDoc(), null, 2));
  });

  it("work with tabs, CRLF line endings and a BOM", () => {
    const text = JSON.stringify(snapshotDoc(), null, 2).replace(/\n/g, "\r\n");
    checkSnapshotSpans(text);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const got = scanJson(withBom, { spanAt: isResource }) as Snapshot;
    const first = got.accounts[0]!.regions[0]!.resources["AWS::EC2::VPC"]![0] as Span;
    // Offsets count the BOM, so spans index the buffer that was passed in.
    expect(JSON.parse(withBom.subarray(first.start, first.end).toString())).toEqual(resource("vpc-0", 0));
    expect(new LineMap(withBom).line(first.start)).toBe(expectedLines(text, "vpc-0").start);
  });
});

describe("located", () => {
  it("reports every parsed value with its exact byte range, and nothing inside spans", () => {
    const text = JSON.stringify(snapshotDoc(), null, 2).replace(/\n/g, "\r\n");
    const buf = Buffer.from(text);
    const seen: Array<{ path: JsonPath; start: number; end: number }> = [];
    scanJson(buf, { spanAt: isResource, located: (path, start, end) => seen.push({ path: [...path], start, end }) });
    expect(seen.some((v) => isResource(v.path) || v.path.length > 7)).toBe(false);
    const regionName = seen.find((v) => v.path.join("/") === "accounts/1/regions/0/region")!;
    expect(buf.subarray(regionName.start, regionName.end).toString()).toBe('"eu-central-1"');
    for (const v of seen) {
      // Each range is exactly the JSON text of a value: it parses on its own.
      expect(() => JSON.parse(buf.subarray(v.start, v.end).toString())).not.toThrow();
    }
    const root = seen[seen.length - 1]!;
    expect(root.path).toEqual([]);
    expect([root.start, root.end]).toEqual([0, buf.length]);
  });
});

// ---- Errors ---------------------------------------------------------------------------------

describe("errors", () => {
  const pretty = JSON.stringify(snapshotDoc(), null, 2);

  it("are JsonScanErrors with a name, a message and an offset", () => {
    const err = scanError("[1,]");
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("JsonScanError");
    expect(err.offset).toBe(3);
    expect(err.message).toMatch(/expected a JSON value/);
  });

  it("report a truncated file at its end, wherever it is cut", () => {
    const last = pretty.lastIndexOf("}");
    for (let cut = 0; cut < last; cut += 37) {
      const text = pretty.slice(0, cut);
      const err = scanError(text, { spanAt: isResource });
      const bytes = Buffer.byteLength(text);
      const insideString = err.message === "unterminated string";
      if (insideString) expect(Buffer.from(text)[err.offset]).toBe(0x22);
      else expect(err.offset).toBe(bytes);
    }
  });

  it("report unbalanced brackets inside a span where the mismatch is found", () => {
    const text = ['{"resources": [', '  {"a": [1, 2}', "]}"].join("\n");
    const err = scanError(text, { spanAt: (path) => path.length === 2 });
    expect(err.offset).toBe(text.indexOf("2}") + 1);
    expect(new LineMap(Buffer.from(text)).position(err.offset)).toEqual({ line: 2, column: 14 });
  });

  it("report a missing closing brace inside a span at the bracket that gives it away", () => {
    const text = ["[", '  {"a": 1,', '  {"b": 2}', "]"].join("\n");
    const err = scanError(text, { spanAt: (path) => path.length === 1 });
    expect(err.offset).toBe(text.lastIndexOf("]"));
    expect(new LineMap(Buffer.from(text)).line(err.offset)).toBe(4);
    expect(scanError('{"a": [1, {"b": 2]]}', { spanAt: (p) => p.length === 1 }).offset).toBe(17);
  });

  it("report an unclosed span at the end of input", () => {
    const text = '{"a": [[1, 2], [3';
    const err = scanError(text, { spanAt: (path) => path.length === 1 });
    expect(err.offset).toBe(text.length);
    expect(err.message).toMatch(/inside the value starting at byte 6/);
  });

  it("report an unterminated string at its opening quote, in spans and parsed values", () => {
    const text = '{"a": "ok",\n "b": "never closed}';
    expect(scanError(text).offset).toBe(text.lastIndexOf('"never'));
    expect(scanError(text, { spanAt: (p) => p.length === 1 }).offset).toBe(text.lastIndexOf('"never'));
    expect(scanError('["abc\\"]').offset).toBe(1);
    expect(scanError('["abc\\"]', { spanAt: (p) => p.length === 1 }).offset).toBe(1);
    expect(scanError('["' + "x".repeat(100) + '\\"]', { spanAt: (p) => p.length === 1 }).offset).toBe(1);
  });

  it("report trailing garbage", () => {
    expect(scanError('{"a": 1} x').offset).toBe(9);
    expect(scanError('{"a": 1}}').offset).toBe(8);
    expect(scanError("{} {}").offset).toBe(3);
    expect(scanError('"a""b"').offset).toBe(3);
    expect(scanError("[] x", { spanAt: () => true }).offset).toBe(3);
  });

  it("report duplicate keys in parsed objects at the second key", () => {
    const text = '{\n  "a": 1,\n  "b": {"x": 1, "x": 2},\n  "a": 3\n}';
    const err = scanError(text);
    expect(err.message).toBe('duplicate key "x"');
    expect(err.offset).toBe(text.indexOf('"x": 2'));
    expect(new LineMap(Buffer.from(text)).line(err.offset)).toBe(3);
    // Equal after unescaping counts as equal.
    expect(scanError('{"a": 1, "\\u0061": 2}').offset).toBe(9);
    expect(scanError('{"__proto__": 1, "__proto__": 2}').offset).toBe(17);
  });

  it("report bad literals and numbers at their start", () => {
    expect(scanError("[tru]").offset).toBe(1);
    expect(scanError('{"a": falsy}').offset).toBe(6);
    expect(scanError("[nul").offset).toBe(1);
    expect(scanError("[True]").offset).toBe(1);
    expect(scanError("[1, +1]").offset).toBe(4);
    expect(scanError("[.5]").offset).toBe(1);
    expect(scanError("[-]").offset).toBe(1);
    expect(scanError("[1.]").offset).toBe(3);
    expect(scanError("[1e]").offset).toBe(3);
    expect(scanError("[01]").offset).toBe(2);
    expect(scanError("[0x1]").offset).toBe(2);
    expect(scanError("[NaN]").offset).toBe(1);
  });

  it("report bad strings", () => {
    expect(scanError('["a\nb"]').offset).toBe(3);
    expect(scanError('["a\\x"]').offset).toBe(3);
    expect(scanError('["ab\\u12G4"]').offset).toBe(4);
    expect(scanError('{"a" 1}').offset).toBe(5);
    expect(scanError("{a: 1}").offset).toBe(1);
  });

  it("report missing and extra separators", () => {
    expect(scanError("[1 2]").offset).toBe(3);
    expect(scanError('{"a": 1 "b": 2}').offset).toBe(8);
    expect(scanError('{"a": 1,}').offset).toBe(8);
    expect(scanError("[,1]").offset).toBe(1);
    expect(scanError("[1 2]", { spanAt: (p) => p.length === 1 }).offset).toBe(3);
    expect(scanError("[}]", { spanAt: (p) => p.length === 1 }).offset).toBe(1);
  });

  it("report empty input at its end", () => {
    expect(scanError("").offset).toBe(0);
    expect(scanError(" \n\t ").offset).toBe(4);
    expect(scanError(Buffer.from([0xef, 0xbb, 0xbf])).offset).toBe(3);
  });

  it("allow whitespace around the document but nothing else", () => {
    expect(scan(" \t\r\n [1] \r\n\t ")).toEqual([1]);
    expect(scanError("\f[1]").offset).toBe(0);
    expect(scanError("[1]\u00a0").offset).toBe(3);
    // A BOM is only skipped at the very start.
    expect(scanError(Buffer.concat([Buffer.from(" "), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("1")])).offset).toBe(1);
  });

  it("enforce the depth limit on parsed values", () => {
    expect(scan("[[[1]]]", { ...parseAll, maxDepth: 3 })).toEqual([[[1]]]);
    const err = scanError('{"a": [[{"b": 1}]]}', { maxDepth: 3 });
    expect(err.offset).toBe(8);
    expect(err.message).toMatch(/limit of 3/);
    const ok = "[".repeat(512) + "]".repeat(512);
    expect(() => scan(ok)).not.toThrow();
    expect(scanError("[".repeat(513) + "]".repeat(513)).offset).toBe(512);
  });
});

describe("__proto__ and friends", () => {
  it("become own data properties and never change a prototype", () => {
    const text = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "prototype": 1}';
    const got = scan(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.hasOwn(got, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(got, "__proto__")).toEqual({
      value: { polluted: true },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(Object.keys(got)).toEqual(["__proto__", "constructor", "prototype"]);
    expect((got as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(got)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it("works inside arrays and as a span path", () => {
    const text = '[{"__proto__": [1]}, {"a": {"__proto__": null}}]';
    const got = scan(text) as Array<Record<string, unknown>>;
    expect(Object.hasOwn(got[0]!, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(got[1]!["a"])).toBe(Object.prototype);
    const buf = Buffer.from(text);
    const spanned = scanJson(buf, { spanAt: (path) => path[1] === "__proto__" }) as Array<Record<string, unknown>>;
    expect(Object.getOwnPropertyDescriptor(spanned[0]!, "__proto__")?.value).toBeInstanceOf(Span);
  });
});

describe("LineMap", () => {
  it("maps offsets to 1-based lines and byte columns", () => {
    const buf = Buffer.from("ab\ncd\r\n\néx\n");
    const map = new LineMap(buf);
    expect(map.position(0)).toEqual({ line: 1, column: 1 });
    expect(map.position(2)).toEqual({ line: 1, column: 3 }); // the "\n" itself
    expect(map.position(3)).toEqual({ line: 2, column: 1 });
    expect(map.position(5)).toEqual({ line: 2, column: 3 }); // "\r" of "\r\n"
    expect(map.position(6)).toEqual({ line: 2, column: 4 });
    expect(map.position(7)).toEqual({ line: 3, column: 1 });
    expect(map.position(8)).toEqual({ line: 4, column: 1 }); // "é" is two bytes
    expect(map.position(10)).toEqual({ line: 4, column: 3 });
    expect(map.position(12)).toEqual({ line: 5, column: 1 }); // end of input
    expect(map.line(1000)).toBe(5);
    expect(map.line(-1)).toBe(1);
  });

  it("agrees with counting newlines on a large document", () => {
    const text = JSON.stringify(snapshotDoc(), null, "\t").replace(/\n/g, "\r\n");
    const buf = Buffer.from(text);
    const map = new LineMap(new Uint8Array(buf));
    for (let offset = 0; offset < buf.length; offset += 97) {
      const before = buf.subarray(0, offset).toString("latin1");
      expect(map.line(offset)).toBe(before.split("\n").length);
    }
  });

  it("works on an empty buffer", () => {
    expect(new LineMap(new Uint8Array(0)).position(0)).toEqual({ line: 1, column: 1 });
  });
});
