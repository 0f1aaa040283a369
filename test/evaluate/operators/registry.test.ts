// Conventions of the rule language: every operator module has its test file, every operator is
// tested through the tester, every documented example loads (on one of the catalogue's types),
// and the schema offers exactly the registry's keys.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { languageDefinitions } from "../../../src/evaluate/language/schema.js";
import { OPERATORS, SUBJECT_KEYS } from "../../../src/evaluate/language/registry.js";
import { RESOURCE_TYPES } from "../../../src/resources/catalog.js";
import { loadRuleSet } from "../../../src/rules/load.js";
import { ROOT } from "../../helpers.js";
import { load } from "./tester.js";

const MODULES = join(ROOT, "src/evaluate/language/operators");
const TESTS = join(ROOT, "test/evaluate/operators");

describe("operator registry", () => {
  it("has one key per operator", () => {
    const keys = OPERATORS.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("every operator module has a test file", () => {
    const modules = readdirSync(MODULES).filter((f) => f.endsWith(".ts"));
    const tests = new Set(readdirSync(TESTS));
    expect(modules.length).toBeGreaterThan(15);
    expect(modules.filter((m) => !tests.has(m.replace(/\.ts$/, ".test.ts")))).toEqual([]);
  });

  it("every operator has a testOperator block", () => {
    const text = readdirSync(TESTS)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => readFileSync(join(TESTS, f), "utf8"))
      .join("\n");
    const tested = new Set([...text.matchAll(/testOperator\("([A-Za-z]+)"/g)].map((m) => m[1]));
    expect(OPERATORS.map((o) => o.key).filter((k) => !tested.has(k))).toEqual([]);
  });

  it("the condition schema offers exactly the operators, their subjects and companions, and message", () => {
    const properties = Object.keys((languageDefinitions().condition as { properties: object }).properties).sort();
    const companions = OPERATORS.flatMap((o) => (o.subject ? [] : Object.keys(o.companions ?? {})));
    expect(properties).toEqual([...OPERATORS.map((o) => o.key), ...SUBJECT_KEYS, ...companions, "message"].sort());
  });

  const definitions = Object.fromEntries(loadRuleSet().definitions);
  for (const op of OPERATORS) {
    it(`the documented example of ${op.key} loads`, () => {
      const check: unknown = parse(op.doc.example);
      expect(Object.keys(check as object)).toContain(op.key);
      // On a resource type it is written for: paths into fields a type does not have are refused at load.
      const refusals = RESOURCE_TYPES.flatMap((t) => {
        try {
          load({ check, definitions, type: t.type });
          return [];
        } catch (err) {
          return [`${t.type}: ${(err as Error).message}`];
        }
      });
      expect(refusals.length, refusals.join("\n")).toBeLessThan(RESOURCE_TYPES.length);
    });
  }
});
