// Times loading and compiling the whole rule catalogue (issue 6 target: ≤ 50 ms), as
// `sagegate evaluate` does it (src/cli/evaluate.ts prepareRules): loadCatalogue() takes the
// bundle the build made (dist/generated/catalogue.json, checked against the rule files' names,
// sizes and times), compileRuleSet() compiles the rules for a config. `--yaml` times the path
// without the bundle instead: every rule and definitions file parsed from YAML and validated.
//
//   node bench/rules-load.mjs [runs]      (default 20; run in a fresh process by bench/run.mjs)
//
// Prints one JSON line:
//   importMs  loading the modules (dist) before the first call
//   coldMs    the first load + compile in this fresh process (what one CLI run pays)
//   warm      median / min / max over `runs` further calls, after 5 warm-up calls
//   (cold and warm also split into loadRuleSet and compileRuleSet)
//
// SAGEGATE_DIST (default ../dist/ next to this file) points at a sagegate build.

import { pathToFileURL } from "node:url";
import { ORG } from "./org.mjs";

const yaml = process.argv.includes("--yaml");
const runs = Number(process.argv.filter((a) => !a.startsWith("--"))[2] ?? 20);
const dist = process.env.SAGEGATE_DIST ? pathToFileURL(`${process.env.SAGEGATE_DIST.replace(/\/?$/, "/")}`) : new URL("../dist/", import.meta.url);
const load = (path) => import(new URL(path, dist).href);

const t0 = performance.now();
const { loadRuleSet } = await load("rules/load.js");
const { loadCatalogue } = await load("rules/bundle.js");
const { compileRuleSet } = await load("evaluate/rule.js");
const { Placeholders } = await load("evaluate/placeholders.js");
const { withDefaults } = await load("config/config.js");
const importMs = performance.now() - t0;

const config = withDefaults(structuredClone(ORG));
let rules = 0;
/** One load + compile; returns [total, load, compile] in ms. */
const once = () => {
  const started = performance.now();
  const set = yaml ? loadRuleSet(undefined, { tests: false }) : loadCatalogue().set;
  const loaded = performance.now();
  rules = compileRuleSet(set, new Placeholders(config)).length;
  const done = performance.now();
  return [done - started, loaded - started, done - loaded];
};

const cold = once();
for (let i = 0; i < 5; i++) once();
const samples = Array.from({ length: runs }, once);
const round = (ms) => +ms.toFixed(2);
const median = (i) => round(samples.map((s) => s[i]).sort((a, b) => a - b)[Math.floor(runs / 2)]);
const totals = samples.map((s) => s[0]).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rules,
    source: yaml ? "yaml" : "bundle",
    importMs: round(importMs),
    coldMs: round(cold[0]),
    cold: { loadMs: round(cold[1]), compileMs: round(cold[2]) },
    warm: { runs, medianMs: median(0), minMs: round(totals[0]), maxMs: round(totals[runs - 1]), loadMedianMs: median(1), compileMedianMs: median(2) },
  }),
);
