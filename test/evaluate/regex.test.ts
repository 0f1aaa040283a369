// Rule regexes: RE2 syntax, linear-time matching. Patterns a static check proves linear run on
// V8's RegExp (re-emitted with RE2's meaning), everything else on re2js; both must agree.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withDefaults, type Config } from "../../src/config/config.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRe2, compileRegex, emitNative, nativeIfProvenLinear, parseCommonSubset } from "../../src/evaluate/regex.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { countRun, fuzzRuns } from "../fuzz/harness.js";

/** A property body, timed and counted for the README's figures. */
function counted<A extends unknown[]>(name: string, body: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    const start = performance.now();
    body(...args);
    countRun(name, performance.now() - start);
  };
}

/** Every `regex` of the catalogue, expanded for a config. */
function cataloguePatterns(raw: Partial<Config>): Array<{ pattern: string; flags: string }> {
  const placeholders = new Placeholders(withDefaults({ tagPrefix: "acme-ml", company: "acme", ...raw }));
  const set = loadRuleSet();
  const found = new Map<string, { pattern: string; flags: string }>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k !== "regex") {
        walk(x);
        continue;
      }
      const spec = typeof x === "string" ? { pattern: x, flags: "" } : (x as { pattern: string; flags?: string });
      const expanded = placeholders.regex(spec.pattern);
      found.set(`${spec.flags ?? ""}/${expanded}`, { pattern: expanded, flags: spec.flags ?? "" });
    }
  };
  for (const rule of set.rules) walk(rule.def);
  for (const d of set.definitions.values()) walk(d);
  return [...found.values()];
}

const PROJECTS = Array.from({ length: 24 }, (_, i) => `${i % 2 ? "rc" : "algo"}-project${i}`);
const CONFIGS: Array<[string, Partial<Config>]> = [
  ["teams and projects", { teams: ["rc", "algo"], projects: ["rc-fraud-detection", "algo-recommendation"] }],
  ["24 projects sharing prefixes", { teams: ["rc", "algo"], projects: PROJECTS }],
  ["teams only", { teams: ["rc", "algo"] }],
  ["neither", {}],
  ["metacharacters in values", { tagPrefix: "acme.ml+(x)", company: "a|b", teams: ["r.c"], projects: ["r.c-*"] }],
];

// 10 KB names built to make a backtracking engine try every way of matching.
const HOSTILE = [
  "a".repeat(10_239) + "!",
  "acme-sagemaker-shared/" + "a.".repeat(5_100) + "!",
  "acme-sm-" + "rc-".repeat(3_400) + "!",
  "/aws/sagemaker/Endpoints/" + "/".repeat(10_200),
  "/aws/sagemaker/" + "x".repeat(10_200) + "/",
  "rc" + "-a".repeat(5_100) + "-",
];

describe("the catalogue's regexes", () => {
  for (const [name, raw] of CONFIGS) {
    it(`run on V8's RegExp, proven linear (${name})`, () => {
      const patterns = cataloguePatterns(raw);
      expect(patterns.length).toBeGreaterThan(10);
      for (const p of patterns) expect(compileRegex(p.pattern, p.flags).engine, p.pattern).toBe("native");
    });
  }

  it("give the same answers on both engines, hostile 10 KB names included", () => {
    for (const [, raw] of CONFIGS) {
      for (const p of cataloguePatterns(raw)) {
        const native = compileRegex(p.pattern, p.flags);
        const re2 = compileRe2(p.pattern, p.flags === "i");
        for (const text of [...HOSTILE, "acme-sm-rc-fraud-detection/training", "/aws/sagemaker/TrainingJobs", "/AWS/SageMaker/Endpoints/x"]) {
          expect(native.test(text), `${p.pattern} on ${text.slice(0, 40)}`).toBe(re2.test(text));
        }
      }
    }
  });
});

describe("patterns that could backtrack run on the linear-time engine", () => {
  const hostile = [
    "(a+)+$", // nested quantifiers: exponential
    "^(a+)+$",
    "^(a|a)*$", // overlapping alternatives in a loop
    "^(?:a|ab)*c",
    "^[a-z]*[a-z]*[a-z]*!", // adjacent overlapping loops: n³
    "^\\d+\\d+$",
    "[a-z]+!", // unanchored: V8 retries from every position, n²
    "^(a?)*$", // empty iterations
    "^(?:a{1,3}){1,3}$",
    "^" + "(?:a|a)".repeat(20) + "b*$", // 2^20 ways into a loop
    "^(?<name>x+)+y", // outside the common subset
    "\\bword\\b+",
  ];
  for (const pattern of hostile) {
    it(`${pattern}`, () => {
      let compiled;
      try {
        compiled = compileRegex(pattern, "");
      } catch {
        return; // not RE2 syntax at all: rejected, which is also fine
      }
      expect(compiled.engine).toBe("re2");
      expect(nativeIfProvenLinear(pattern, false)).toBeUndefined();
      // Linear whatever the input: this would not finish on a backtracking engine.
      expect(typeof compiled.test("a".repeat(10_000) + "!")).toBe("boolean");
    });
  }

  it("lookaround and backreferences are refused at load time, saying why", () => {
    for (const pattern of ["foo(?=bar)", "(?<!x)y", "(a)\\1", "(?!x)"]) {
      expect(() => compileRegex(pattern, "")).toThrow(/not supported by the linear-time regex engine \(RE2 syntax: no lookaround, no backreferences\)/);
    }
  });

  it("only the i flag is accepted", () => {
    expect(() => compileRegex("a", "g")).toThrow(/flags/);
    expect(compileRegex("^ABC$", "i").test("abc")).toBe(true);
  });

  it("the empty list placeholder's never-matching class stays valid and matches nothing", () => {
    const r = compileRegex("^(?:x|[^\\s\\S])$", "");
    expect(r.engine).toBe("native");
    expect(r.test("x")).toBe(true);
    expect(r.test("")).toBe(false);
    expect(compileRegex("[^\\s\\S]", "").test("anything at all\n")).toBe(false);
  });
});

// ------------------------------------------------------------------ property: engines agree

/** Characters where JavaScript and RE2 classes or case folding could differ. */
const ALPHABET = [
  "a",
  "b",
  "k",
  "s",
  "A",
  "K",
  "S",
  "0",
  "9",
  "_",
  "-",
  ".",
  "/",
  " ",
  "\t",
  "\n",
  "\r",
  "\v",
  "\f",
  "\u00a0",
  "\u2028",
  "\u017f",
  "\u212a",
  "é",
  "É",
  "😀",
  "\u0000",
];

const char = fc.constantFrom(...ALPHABET);
const escapeLiteral = (c: string) =>
  /[\\^$.|?*+()[\]{}/-]/.test(c) ? `\\${c}` : c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : c === "\v" ? "\\v" : c === "\f" ? "\\f" : c;
const classChar = (c: string) => (/[\\\][^-]/.test(c) ? `\\${c}` : escapeLiteral(c));
const classItem = fc.oneof(
  char.map(classChar),
  fc
    .tuple(char, char)
    .filter(([a, b]) => a.codePointAt(0)! <= b.codePointAt(0)!)
    .map(([a, b]) => `${classChar(a)}-${classChar(b)}`),
  fc.constantFrom("\\d", "\\w", "\\s", "\\D", "\\W", "\\S"),
);

const { pattern: patternArb } = fc.letrec<{ pattern: string; atom: string; piece: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    char.map(escapeLiteral),
    fc.constantFrom(".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "^", "$"),
    fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 4 })).map(([neg, items]) => `[${neg ? "^" : ""}${items.join("")}]`),
    tie("pattern").map((p) => `(?:${p})`),
    tie("pattern").map((p) => `(${p})`),
  ),
  piece: fc.tuple(tie("atom"), fc.constantFrom("", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?")).map(([a, q]) => (/^[\^$]$/.test(a) ? a : a + q)),
  pattern: fc
    .array(
      fc.array(tie("piece"), { maxLength: 4 }).map((ps) => ps.join("")),
      { minLength: 1, maxLength: 3 },
    )
    .map((alts) => alts.join("|")),
}));

const inputArb = fc.array(char, { maxLength: 12 }).map((cs) => cs.join(""));

const anchoredPatternArb = fc.tuple(fc.boolean(), patternArb).map(([anchor, p]) => (anchor ? `^(?:${p})` : p));
const singleArb = fc.oneof(
  char.map(escapeLiteral),
  fc.constantFrom(".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S"),
  fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 4 })).map(([neg, items]) => `[${neg ? "^" : ""}${items.join("")}]`),
);

describe("property: V8 and re2js agree wherever sagegate uses V8", () => {
  it("every pattern the common-subset parser reads is RE2 syntax", () => {
    fc.assert(
      fc.property(
        anchoredPatternArb,
        fc.boolean(),
        counted("regex: subset parser accepts only RE2 syntax", (pattern: string, ignoreCase: boolean) => {
          if (parseCommonSubset(pattern, ignoreCase)) compileRe2(pattern, ignoreCase); // throws if not RE2 syntax
        }),
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it("single characters, classes and class escapes mean the same on both engines (case folding, \\s, ., astral)", () => {
    fc.assert(
      fc.property(
        singleArb,
        fc.boolean(),
        char,
        counted("regex: classes agree on both engines", (atom: string, ignoreCase: boolean, text: string) => {
          const pattern = `^${atom}$`;
          const native = emitNative(pattern, ignoreCase);
          if (!native) return;
          expect(native.test(text), `/${pattern}/${ignoreCase ? "i" : ""} on ${JSON.stringify(text)}`).toBe(compileRe2(pattern, ignoreCase).test(text));
        }),
      ),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it("patterns proven linear give the same answers on V8 as on re2js", () => {
    let proven = 0;
    fc.assert(
      fc.property(
        anchoredPatternArb,
        fc.boolean(),
        fc.array(inputArb, { minLength: 1, maxLength: 8 }),
        counted("regex: proven patterns agree on both engines", (pattern: string, ignoreCase: boolean, inputs: string[]) => {
          const native = nativeIfProvenLinear(pattern, ignoreCase);
          if (!native) return; // runs on re2js: nothing to compare (and V8 could take exponential time on it)
          proven++;
          const re2 = compileRe2(pattern, ignoreCase);
          for (const text of inputs) expect(native.test(text), `/${pattern}/${ignoreCase ? "i" : ""} on ${JSON.stringify(text)}`).toBe(re2.test(text));
        }),
      ),
      { numRuns: fuzzRuns(500) },
    );
    expect(proven).toBeGreaterThan(0);
  });

  it("sagegate's matcher always agrees with re2js", () => {
    fc.assert(
      fc.property(
        anchoredPatternArb,
        fc.boolean(),
        fc.array(inputArb, { minLength: 1, maxLength: 8 }),
        counted("regex: sagegate's matcher agrees with re2js", (pattern: string, ignoreCase: boolean, inputs: string[]) => {
          let ours;
          try {
            ours = compileRegex(pattern, ignoreCase ? "i" : "");
          } catch {
            return; // not RE2 syntax
          }
          const re2 = compileRe2(pattern, ignoreCase);
          for (const text of inputs) expect(ours.test(text)).toBe(re2.test(text));
        }),
      ),
      { numRuns: fuzzRuns(300) },
    );
  });
});
