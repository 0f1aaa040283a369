// `node bench/regex.mjs` (after `npm run build`): the rule catalogue's regexes on V8's RegExp,
// on re2js and as sagegate runs them (src/evaluate/regex.ts), per match on realistic names, and
// the time to match 10 KB hostile names against every one of them.

const dist = new URL("../dist/", import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const { compileRegex, compileRe2 } = await load("evaluate/regex.js");
const { loadRuleSet } = await load("rules/load.js");
const { Placeholders } = await load("evaluate/placeholders.js");
const { loadConfig } = await load("config/config.js");

/** Every `regex` of the catalogue, expanded for a config. */
function cataloguePatterns(configFile) {
  const placeholders = new Placeholders(loadConfig(configFile));
  const set = loadRuleSet();
  const found = new Map();
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === "regex") {
        const pattern = typeof x === "string" ? x : x.pattern;
        const flags = typeof x === "string" ? "" : (x.flags ?? "");
        const expanded = placeholders.regex(pattern);
        found.set(`${flags}/${expanded}`, { pattern: expanded, flags });
      } else walk(x);
    }
  };
  for (const rule of set.rules) walk(rule.def);
  for (const d of set.definitions.values()) walk(d);
  return [...found.values()];
}

const NAMES = [];
for (let i = 0; i < 500; i++) {
  NAMES.push(
    `/aws/sagemaker/Endpoints/rc-fraud-detection-ep-${i}`,
    "/aws/sagemaker/TrainingJobs",
    `/aws/lambda/function-${i}`,
    "acme-sm-rc-fraud-detection/training",
    `acme-sagemaker-shared/base-image-${i}`,
    `alias/sagemaker-platform-${i}`,
    `v1.${i}`,
    `rc-fraud-detection-job-${i}`,
    "acme-ml-training",
    `2026110${i % 10}`,
  );
}
const HOSTILE = [
  "a".repeat(10_239) + "!",
  "acme-sagemaker-shared/" + "a.".repeat(5_100) + "!",
  "acme-sm-" + "rc-".repeat(3_400) + "!",
  "/aws/sagemaker/Endpoints/" + "/".repeat(10_200),
  "/aws/sagemaker/" + "x".repeat(10_200) + "/",
  "alias/sagemaker-" + "-".repeat(10_200) + "!",
  "rc" + "-a".repeat(5_100) + "-",
];

function perMatchNs(matchers) {
  for (let k = 0; k < 3; k++) for (const m of matchers) for (const s of NAMES) m.test(s);
  const rounds = 20;
  const t = process.hrtime.bigint();
  for (let k = 0; k < rounds; k++) for (const m of matchers) for (const s of NAMES) m.test(s);
  return Number(process.hrtime.bigint() - t) / (rounds * matchers.length * NAMES.length);
}

function hostileMs(matchers) {
  const t = process.hrtime.bigint();
  for (const h of HOSTILE) for (const m of matchers) m.test(h);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

for (const config of ["fixtures/demo/sagegate.config.yaml", "bench/sagegate.config.yaml"]) {
  const patterns = cataloguePatterns(config);
  const native = patterns.map((p) => new RegExp(p.pattern, p.flags));
  const re2 = patterns.map((p) => compileRe2(p.pattern, p.flags === "i"));
  const sagegate = patterns.map((p) => compileRegex(p.pattern, p.flags));
  const engines = sagegate.reduce((acc, r) => ({ ...acc, [r.engine]: (acc[r.engine] ?? 0) + 1 }), {});
  console.log(`${config}: ${patterns.length} patterns, engines ${JSON.stringify(engines)}`);
  for (const [name, matchers] of [
    ["V8 RegExp", native],
    ["re2js", re2],
    ["sagegate", sagegate],
  ]) {
    console.log(
      `  ${name.padEnd(10)} ${perMatchNs(matchers).toFixed(0).padStart(4)} ns per match; ${HOSTILE.length} hostile 10 KB names × ${matchers.length} patterns: ${hostileMs(matchers).toFixed(2)} ms`,
    );
  }
}
