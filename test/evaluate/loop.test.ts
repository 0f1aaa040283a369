// One evaluation loop behind every path: in memory (evaluate), the CLI's sequential path
// (evaluateSequentially) and the parallel path's shares (evaluateRegions over some regions).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { evaluate, evaluateRegions, evaluateSequentially, prepareRun, type EvaluationResult } from "../../src/evaluate/engine.js";
import { Placeholders } from "../../src/evaluate/placeholders.js";
import { compileRuleSet } from "../../src/evaluate/rule.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { readSnapshotFile } from "../../src/snapshot/read.js";
import { ROOT } from "../helpers.js";

const FIXTURE = join(ROOT, "fixtures/incomplete");
const config = loadConfig(join(FIXTURE, "sagegate.config.yaml"));
const rules = compileRuleSet(loadRuleSet(), new Placeholders(config));
const key = (r: EvaluationResult) =>
  `${r.resource.accountId} ${r.resource.region} ${r.resource.type} ${r.resource.id} ${r.rule.def.id} ${r.status} ${r.message}`;

describe("the evaluation loop", () => {
  const snapshot = readSnapshotFile(join(FIXTURE, "snapshot.json"));

  it("gives the same results in memory and on the CLI's sequential path", async () => {
    const inMemory = evaluate(snapshot, rules, config);
    const sequential = await evaluateSequentially(snapshot, rules, config);
    expect(snapshot.regions.length).toBeGreaterThan(2);
    expect(sequential.rules.map((r) => r.def.id)).toEqual(inMemory.rules.map((r) => r.def.id));
    expect(sequential.results.map(key)).toEqual(inMemory.results.map(key));
    expect(inMemory.results.some((r) => r.status === "error")).toBe(true);
  });

  it("evaluates any share of the regions, in the order given, as the whole run does", () => {
    const whole = evaluate(snapshot, rules, config).results;
    const run = prepareRun(rules, config);
    const order = [2, 0, 3];
    const shares = [...evaluateRegions(run, order, (i) => snapshot.regions[i]!)];
    expect(shares.map(([i]) => i)).toEqual(order);
    for (const [i, results] of shares) {
      const region = snapshot.regions[i]!;
      const expected = whole.filter((r) => r.resource.accountId === region.accountId && r.resource.region === region.region);
      expect(results.map(key)).toEqual(expected.map(key));
    }
  });
});
