// One table-driven test for the whole catalogue: every case of every rule, plus the
// conventions that keep the catalogue honest (ESLint's build does the same).
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/rules/load.js";
import { conventionProblems, runCase } from "../../src/rules/testing.js";
import { evidenceKeys } from "../../src/evaluate/templates.js";

const set = loadRuleSet();

describe("rule catalogue conventions", () => {
  it("every rule has a passing and a failing case, and case names are unique", () => {
    expect(conventionProblems(set)).toEqual([]);
  });
});

for (const rule of set.rules) {
  describe(`${rule.def.id} ${rule.def.name}`, () => {
    rule.tests.forEach((testCase, i) => {
      it(`${testCase.expect}: ${testCase.name}`, () => {
        const outcome = runCase(set, rule, testCase, i);
        expect(outcome.problem).toBeUndefined();
        // The load-time message check relies on this table of evidence keys: it must cover what failures carry.
        const known = [...evidenceKeys(rule.def.check, set.definitions)];
        for (const evidence of outcome.result?.status === "fail" ? outcome.result.evidence : [])
          for (const key of Object.keys(evidence)) if (key !== "reason") expect(known, `evidence key "${key}"`).toContain(key);
      });
    });
  });
}
