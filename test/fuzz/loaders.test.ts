// Property-based tests of every loader: generated valid documents, then mutated — values swapped
// for hostile ones (deep nesting, prototype keys, numbers beyond 2^53, wrong types, metacharacters,
// 100 KB strings) and bytes damaged (flips, cuts, YAML/JSON fragments, bytes that are not UTF-8).
// Each document must be accepted or refused with a SagegateError, within HANG_MS, without touching
// Object.prototype; accepted ones go on through the rest of the pipeline (compile, evaluate,
// waive, report in every format).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadConfig, parseConfig, withDefaults, type Config } from "../../src/config/config.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet } from "../../src/evaluate/rule.js";
import { applyBaseline, loadBaseline } from "../../src/gate/baseline.js";
import { applyWaivers, resolveWaivers } from "../../src/gate/waivers.js";
import { buildReport } from "../../src/report/model.js";
import { writeJsonReport } from "../../src/report/json.js";
import { writeMarkdownReport } from "../../src/report/markdown.js";
import { writeSarifReport } from "../../src/report/sarif.js";
import { StringSink } from "../../src/report/sink.js";
import { writeTableReport } from "../../src/report/table.js";
import { writeJunit } from "../../src/report/junit.js";
import { loadRuleFile, loadRuleSet } from "../../src/rules/load.js";
import { TEST_CONFIG } from "../../src/rules/testing.js";
import { readSnapshotFile, validateAllResources } from "../../src/snapshot/read.js";
import type { LoadedSnapshot } from "../../src/snapshot/types.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT } from "../helpers.js";
import { expectTypedOrOk, fuzzRuns } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "sagegate-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
function tempFile(name: string, content: string | Buffer): string {
  const sub = join(dir, String(fileCounter++));
  rmSync(sub, { recursive: true, force: true });
  const file = join(sub, name);
  mkdirSync(sub, { recursive: true });
  writeFileSync(file, content);
  return file;
}

const CATALOGUE = loadRuleSet();
const DEMO_CONFIG_VALUE = parseConfig(readFileSync(DEMO_CONFIG, "utf8"), DEMO_CONFIG);
const DEMO_RULES = compileRuleSet(CATALOGUE, new Placeholders(DEMO_CONFIG_VALUE));
const DEMO_DOC = JSON.parse(readFileSync(DEMO_SNAPSHOT, "utf8")) as Record<string, unknown>;

function expectUnpolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

// ------------------------------------------------------------------------- hostile material

/** Markers replaced in the serialized text (JSON.stringify and YAML cannot write these values). */
const DEEP_JSON = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
const DEEP_FLOW = (n: number) => "[".repeat(n) + "]".repeat(n);
const MARKERS: Record<string, (json: boolean) => string> = {
  "@@DEEP100@@": (json) => (json ? DEEP_JSON(100) : DEEP_FLOW(100)),
  "@@DEEP10000@@": (json) => (json ? DEEP_JSON(10_000) : DEEP_FLOW(10_000)),
  "@@BIGINT@@": () => "99999999999999999999",
  "@@HUGEFLOAT@@": () => "1e999",
};

function withMarkers(text: string, json: boolean): string {
  let out = text;
  for (const [marker, make] of Object.entries(MARKERS)) out = out.split(json ? JSON.stringify(marker) : marker).join(make(json));
  return out;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), 1e308, 65_536, 443, -1),
  fc.constantFrom(...Object.keys(MARKERS)),
  fc.constantFrom(
    "",
    "acme.ml",
    "a+b",
    "(a+)+$",
    "[",
    "\\",
    "*",
    "?",
    "{tagPrefix}",
    "{projects}",
    "__proto__",
    "constructor",
    "0.0.0.0/0",
    "::/0",
    "sg-0bastion00000001",
    "2026-13-45",
    "2099-12-31",
    "\u0000",
    "😀",
    "\ud800",
  ),
  fc.constantFrom("x".repeat(100_000), "a".repeat(10_240) + "!"),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown),
  fc.constant([JSON.parse('{"__proto__": {"polluted": true}}') as unknown]),
);
const hostileKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", " ", "a.b", "$id", "Tags", "GroupName"),
  fc.string({ maxLength: 10 }),
);

type Path = Array<string | number>;

/** Every path to a value of `doc` (objects and arrays included), up to `limit`. */
function paths(doc: unknown, limit = 20_000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (typeof v === "object" && v !== null) for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
  };
  walk(doc, []);
  return out;
}

type Mutation = { kind: "set" | "delete" | "add"; at: number; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("set", "set", "delete", "add"),
  at: fc.nat(),
  key: hostileKey,
  value: hostileValue,
});

/** Applies structural mutations to a deep copy; keys are defined as own properties ("__proto__" too). */
function mutate(doc: unknown, mutations: readonly Mutation[]): unknown {
  let copy = structuredClone(doc);
  for (const m of mutations) {
    const all = paths(copy);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      if (m.kind === "set") copy = structuredClone(m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<any>((v, k) => v[k], copy);
    const last = path[path.length - 1]!;
    const target = m.kind === "add" ? (typeof parent[last] === "object" && parent[last] !== null ? parent[last] : parent) : parent;
    const key = m.kind === "add" ? (Array.isArray(target) ? target.length : m.key) : last;
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else Object.defineProperty(target, key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

type ByteEdit = { kind: "flip" | "insert" | "delete" | "truncate"; at: number; byte: number; fragment: string; length: number };
const YAML_FRAGMENTS = [
  "&a ",
  "*a",
  "!!js/function ",
  "!foo ",
  "!!binary ",
  "<<: *a\n",
  "? ",
  "- ",
  "{",
  "}",
  "[",
  "]",
  ": ",
  "\t",
  "\n",
  "#",
  '"',
  "'",
  "|\n",
  ">-\n",
  "%YAML 1.1\n---\n",
  "\uFEFF",
  "---\n",
  "...\n",
  "__proto__: 1\n",
  "a: &a [*a]\n",
];
const JSON_FRAGMENTS = [
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  '"',
  "\\",
  "\\u",
  "\\ud800",
  "1e999",
  "-0",
  "nul",
  "true",
  '"__proto__":',
  '"constructor":{"prototype":{}},',
  "\uFEFF",
  " ",
  "\n",
];
const byteEdit = (fragments: string[]): fc.Arbitrary<ByteEdit> =>
  fc.record({
    kind: fc.constantFrom("flip", "insert", "insert", "delete", "truncate"),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    fragment: fc.constantFrom(...fragments),
    length: fc.integer({ min: 1, max: 40 }),
  });

function damage(text: string, edits: readonly ByteEdit[]): Buffer {
  let b = Buffer.from(text, "utf8");
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % b.length;
    if (e.kind === "flip") {
      b = Buffer.from(b);
      if (b.length > 0) b[at] = e.byte;
    } else if (e.kind === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.from(e.fragment), b.subarray(at)]);
    else if (e.kind === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)]);
    else b = b.subarray(0, at);
  }
  return b;
}

/** A document: valid, structurally mutated, byte-damaged, or both. */
function documents(valid: fc.Arbitrary<unknown>, serialize: (v: unknown) => string, json: boolean): fc.Arbitrary<Buffer> {
  const fragments = json ? JSON_FRAGMENTS : YAML_FRAGMENTS;
  return fc.tuple(valid, fc.array(mutation, { maxLength: 4 }), fc.array(byteEdit(fragments), { maxLength: 3 }), fc.nat(3)).map(([doc, muts, edits, mode]) => {
    const structured = mode === 1 || mode === 3 ? mutate(doc, muts) : doc;
    const text = withMarkers(serialize(structured), json);
    return mode >= 2 ? damage(text, edits) : Buffer.from(text, "utf8");
  });
}

const yamlText = (v: unknown) => stringify(v, { aliasDuplicateObjects: false, lineWidth: 0 });
const jsonText = (v: unknown) => JSON.stringify(v, null, 2);

// ------------------------------------------------------------------------------- generators

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const configArb = fc.record(
  {
    tagPrefix: fc.oneof(word, fc.constantFrom("acme-ml", "acme.ml", "a+b")),
    company: fc.oneof(word, fc.constant("acme")),
    teams: fc.uniqueArray(word, { maxLength: 4 }),
    projects: fc.uniqueArray(
      word.map((w) => `rc-${w}`),
      { maxLength: 6 },
    ),
    vpcIds: fc.uniqueArray(fc.stringMatching(/^vpc-[0-9a-f]{4,17}$/), { maxLength: 3 }),
    logRetentionDays: fc.record({ processingJobs: fc.constantFrom(1, 7, 14, 30, 90), trainingJobs: fc.constantFrom(30, 90, 365) }, { requiredKeys: [] }),
    ecr: fc.record({ keepImages: fc.integer({ min: 1, max: 100 }) }),
    profile: fc.constantFrom("baseline", "high-security"),
  },
  { requiredKeys: ["tagPrefix", "company"] },
);

const waiverArb = fc.record(
  {
    rule: fc.oneof(fc.constantFrom("SG009", "ECR002", "KMS004", "LOG001"), fc.constant(["SG005", "SG006"])),
    resource: fc.constantFrom("sg-0proc000000000001", "*", "sg-*", "arn:aws:ec2:*:*:security-group/*", "a?c", "/aws/sagemaker/*"),
    accounts: fc.constant(["111122223333"]),
    regions: fc.constant(["eu-west-1"]),
    tags: fc.dictionary(fc.constantFrom("environment", "Name", "team"), fc.constantFrom("sandbox", "prod")),
    reason: fc.constantFrom("debug SSH while the image is rebuilt", "accepted until the migration is done"),
    owner: fc.constantFrom("platform-team", "security"),
    expires: fc.constantFrom("2026-12-10", "2025-01-01", "2099-12-31", "2026-02-29", "2028-02-29"),
    ticket: fc.constantFrom("PLAT-123", "SEC-9"),
  },
  { requiredKeys: ["rule", "resource", "reason", "owner", "expires"] },
);
const waiversArb = fc.array(waiverArb, { minLength: 1, maxLength: 4 }).map((waivers) => ({ waivers }));

// ---------------------------------------------------------------------------------- the rest

/** Everything after loading: evaluate, waive, baseline, every report format. */
function pipeline(snapshot: LoadedSnapshot, config: Config = DEMO_CONFIG_VALUE, rules = DEMO_RULES): void {
  const evaluation = evaluate(snapshot, rules, config);
  const waived = applyWaivers(evaluation.results, [], "2026-11-28");
  const report = buildReport({
    snapshot,
    evaluation: { ...evaluation, results: waived.results },
    profile: config.profile,
    waivers: waived.statuses,
    snapshotPath: "snapshot.json",
    artifactUri: "snapshot.json",
    config,
  });
  for (const write of [writeJsonReport, writeMarkdownReport, writeTableReport, writeSarifReport, writeJunit] as const) void write(report, new StringSink());
}

const DEMO_REPORT = (() => {
  const snapshot = readSnapshotFile(DEMO_SNAPSHOT);
  const evaluation = evaluate(snapshot, DEMO_RULES, DEMO_CONFIG_VALUE);
  const report = buildReport({ snapshot, evaluation, profile: "baseline", waivers: [] });
  const sink = new StringSink();
  void writeJsonReport(report, sink);
  return { doc: JSON.parse(sink.text()) as unknown, evaluation };
})();

describe("property: loaders accept or refuse with a typed error, never crash or hang", () => {
  it("configuration files", () => {
    fc.assert(
      fc.property(documents(configArb, yamlText, false), (bytes) => {
        const file = tempFile("sagegate.config.yaml", bytes);
        expectTypedOrOk("config", () => {
          const config = parseConfig(bytes.toString("utf8"), file);
          compileRuleSet(CATALOGUE, new Placeholders(config));
        });
        expectUnpolluted();
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  it("configuration files through the reading path (UTF-8, size, BOM)", () => {
    fc.assert(
      fc.property(documents(configArb, yamlText, false), (bytes) => {
        const file = tempFile("c.yaml", bytes);
        expectTypedOrOk("config (file)", () => loadConfig(file));
        expectUnpolluted();
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  it("waivers files, then applied to the demo's results", () => {
    fc.assert(
      fc.property(documents(waiversArb, yamlText, false), (bytes) => {
        const file = tempFile("sagegate.waivers.yaml", bytes);
        expectTypedOrOk("waivers", () => {
          const waivers = resolveWaivers(file);
          applyWaivers(DEMO_REPORT.evaluation.results, waivers, "2026-11-28");
        });
        expectUnpolluted();
      }),
      { numRuns: fuzzRuns(100) },
    );
  });

  const ruleFiles = CATALOGUE.rules.map((r) => ({ file: r.file, doc: r.def }));
  it("rule files, compiled and run on the demo snapshot", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ruleFiles).chain((r) => documents(fc.constant(r.doc), yamlText, false).map((bytes) => ({ r, bytes }))),
        ({ r, bytes }) => {
          const file = tempFile(r.file.split("/").pop()!, bytes);
          expectTypedOrOk("rules", () => {
            const rule = loadRuleFile(file);
            const rules = compileRuleSet(
              { ...CATALOGUE, rules: [rule] },
              new Placeholders(withDefaults({ ...TEST_CONFIG, teams: [...TEST_CONFIG.teams], projects: [...TEST_CONFIG.projects] })),
            );
            pipeline(readSnapshotFile(DEMO_SNAPSHOT), DEMO_CONFIG_VALUE, rules);
          });
          expectUnpolluted();
        },
      ),
      { numRuns: fuzzRuns(60) },
    );
  });

  it("snapshots, then evaluated and reported in every format", () => {
    fc.assert(
      fc.property(documents(fc.constant(DEMO_DOC), jsonText, true), (bytes) => {
        const file = tempFile("snapshot.json", bytes);
        expectTypedOrOk("snapshot", () => {
          const snapshot = readSnapshotFile(file, { lines: true });
          validateAllResources(snapshot);
          pipeline(snapshot);
        });
        expectUnpolluted();
      }),
      { numRuns: fuzzRuns(40) },
    );
  });

  it("baseline reports, then compared with the demo's results", () => {
    fc.assert(
      fc.property(documents(fc.constant(DEMO_REPORT.doc), jsonText, true), (bytes) => {
        const file = tempFile("baseline.json", bytes);
        expectTypedOrOk("baseline", () => applyBaseline(DEMO_REPORT.evaluation.results, loadBaseline(file)));
        expectUnpolluted();
      }),
      { numRuns: fuzzRuns(40) },
    );
  });
});
