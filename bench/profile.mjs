// Where `sagegate evaluate` spends its time and its allocations (issue 18): runs it once under
// V8's CPU profiler, once under the sampling heap profiler counting every allocation
// (bench/heap-sampler.mjs) and once with --trace-gc, then
// prints where the time goes by phase and by function, and what allocates.
//
//   node bench/profile.mjs [--shape failure-heavy] [--resources 100000] [--seed 1] [--interval-us 250] [--keep DIR]
//
// The snapshot is bench/out/snapshot[-<shape>]-N.json (generated when missing, as npm run bench
// does). The command is the one `npm run bench` times: JSON report with passes, every catalogue
// rule, bench/sagegate.config.yaml. The build is dist/ (SAGEGATE_DIST for another one); build
// first (npm run build). Profiles of the main thread only: at 100k resources evaluate runs on one
// thread (src/evaluate/parallel.ts starts workers from 250k resources).
//
// Phases are inclusive: a sample counts for a phase when one of the phase's functions is on its
// stack; the phases are tried in a fixed order, narrow ones first, so "messages" inside
// "evaluation" counts as messages only and remediation inside resultLine as remediation.
// "self" lists the functions the samples were in. Garbage collection is V8's "(garbage
// collector)" node: the main thread's share; V8's concurrent marking on the other core is on top.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { CONFIG_FILE } from "./org.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
process.chdir(ROOT);
const DIST = resolve(process.env.SAGEGATE_DIST ?? "dist");
const { values: args } = parseArgs({
  options: {
    shape: { type: "string", default: "failure-heavy" },
    resources: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    "interval-us": { type: "string", default: "250" },
    keep: { type: "string" },
  },
});
const size = Number(args.resources);
const file = args.shape === "default" ? `bench/out/snapshot-${size}.json` : `bench/out/snapshot-${args.shape}-${size}.json`;
if (!existsSync(file)) {
  const r = spawnSync(process.execPath, ["bench/generate.mjs", "--resources", String(size), "--shape", args.shape, "--seed", args.seed, "--out", file], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(2);
}
const dir = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), "sagegate-profile-"));
const report = join(dir, "report.json");
const evaluate = [join(DIST, "cli/main.js"), "evaluate", file, "--config", CONFIG_FILE, "--format", "json", "--output", report, "--fail-on", "none"];

function run(flags) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...flags, ...evaluate], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  if (![0, 1, 3].includes(r.status ?? -1)) {
    console.error(r.stderr);
    process.exit(1);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: r.stdout };
}

const cpu = run(["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${args["interval-us"]}`]);
process.env.SAGEGATE_HEAP_SAMPLE_FILE = join(dir, "allocations.heapprofile");
const heap = run(["--import", pathToFileURL(join(ROOT, "bench/heap-sampler.mjs")).href]);
delete process.env.SAGEGATE_HEAP_SAMPLE_FILE;
const gcRun = run(["--trace-gc"]);
const latest = (ext) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f))
    .sort()
    .pop();

// ---------------------------------------------------------------------------------------------
// CPU profile

/** Phases in priority order: the first phase with a function on a sample's stack gets the sample. */
const PHASES = [
  ["garbage collection (main thread)", (f) => f.functionName === "(garbage collector)"],
  ["report: remediation text per failure (rules/remediation.js)", (f) => /rules\/remediation\.js$/.test(f.url)],
  [
    "report: JSON result lines (resultLine, JSON.stringify, less the remediation)",
    (f) => /report\/json\.js$/.test(f.url) && /^(resultLine|jsonResult)$/.test(f.functionName),
  ],
  [
    "evaluation: messages and evidence (renderMessage, explain)",
    (f) => /evaluate\/(rule|templates|placeholders)\.js$/.test(f.url) || (/evaluate\/compile\.js$/.test(f.url) && /^(explain|describe)/.test(f.functionName)),
  ],
  ["report: writing bytes (buffer, fs)", (f) => f.url.startsWith("node:") && /^(write|writeSync|writeUtf8String|fsync|rename|close)/.test(f.functionName)],
  ["report: other (summary, coverage, the rest of json.js, sink)", (f) => /\/report\//.test(f.url)],
  ["snapshot: per-object JSON.parse (read.js parsed)", (f) => /snapshot\/read\.js$/.test(f.url) && f.functionName === "parsed"],
  [
    "snapshot: validation (schemas, generated validators)",
    (f) => /generated\/validators\.js$|io\/schema\.js$/.test(f.url) || (/snapshot\/read\.js$/.test(f.url) && f.functionName === "checked"),
  ],
  ["snapshot: structure scan (scan.js)", (f) => /snapshot\/scan\.js$/.test(f.url)],
  ["snapshot: reading the file and the rest of read.js", (f) => /snapshot\//.test(f.url) || f.functionName === "read" || f.functionName === "readFileSync"],
  ["evaluation: rules (engine, compiled checks, operators, lookups)", (f) => /\/evaluate\//.test(f.url)],
  [
    "start-up: module loading, rule bundle, config",
    (f) => /node:internal\/modules|\/rules\/|\/config\//.test(f.url) || f.functionName === "compileSourceTextModule",
  ],
];

const frameName = (f) =>
  `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/dist\//, "dist/").replace(/^file:\/\//, "")}${f.lineNumber >= 0 ? `:${f.lineNumber + 1}` : ""}`;

function cpuSummary(path) {
  const p = JSON.parse(readFileSync(path, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseOf = new Map();
  const phaseFor = (id) => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at).callFrame);
    let phase = "other (idle, program, uncategorised)";
    for (const [name, test] of PHASES) {
      if (stack.some(test)) {
        phase = name;
        break;
      }
    }
    phaseOf.set(id, phase);
    return phase;
  };
  const phases = new Map();
  const self = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    const id = p.samples[i];
    total += dt;
    const phase = phaseFor(id);
    phases.set(phase, (phases.get(phase) ?? 0) + dt);
    const key = frameName(byId.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return { total, phases, self };
}

// ---------------------------------------------------------------------------------------------
// Allocation profile (sampled allocations, collected ones included, by allocating function)

function heapSummary(path) {
  const p = JSON.parse(readFileSync(path, "utf8"));
  const by = new Map();
  const phases = new Map();
  let total = 0;
  const walk = (n, stack) => {
    const f = n.callFrame;
    const here = [...stack, f];
    const size = n.selfSize ?? 0;
    if (size > 0) {
      by.set(frameName(f), (by.get(frameName(f)) ?? 0) + size);
      const phase = PHASES.find(([, test]) => here.some(test))?.[0] ?? "other (idle, program, uncategorised)";
      phases.set(phase, (phases.get(phase) ?? 0) + size);
      total += size;
    }
    for (const c of n.children ?? []) walk(c, here);
  };
  walk(p.head, []);
  return { total, by, phases };
}

// ---------------------------------------------------------------------------------------------
// --trace-gc: pauses by kind

function gcSummary(text) {
  const kinds = new Map();
  for (const line of text.split("\n")) {
    const m = /ms: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)[^,]*, ([\d.]+) \/ ([\d.]+) ms/.exec(line);
    if (!m) continue;
    const k = kinds.get(m[1]) ?? { count: 0, ms: 0 };
    k.count++;
    k.ms += Number(m[2]);
    kinds.set(m[1], k);
  }
  return kinds;
}

const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
const cpuProfile = cpuSummary(latest(".cpuprofile"));
const heapProfile = heapSummary(join(dir, "allocations.heapprofile"));
const gc = gcSummary(gcRun.stdout);

console.log(
  `sagegate evaluate ${file} (JSON report with passes); wall ${cpu.seconds.toFixed(2)} s under --cpu-prof, ${gcRun.seconds.toFixed(2)} s under --trace-gc`,
);
console.log(`\nTime by phase (main thread, ${ms(cpuProfile.total)} sampled every ${args["interval-us"]} µs):`);
console.log("| phase | time | share |\n|---|---:|---:|");
for (const [name, t] of [...cpuProfile.phases].sort((a, b) => b[1] - a[1])) console.log(`| ${name} | ${ms(t)} | ${pct(t, cpuProfile.total)} |`);
console.log("\nFunctions by self time (top 25):");
console.log("| function | self | share |\n|---|---:|---:|");
for (const [name, t] of [...cpuProfile.self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`| \`${name}\` | ${ms(t)} | ${pct(t, cpuProfile.total)} |`);
console.log(`\nAllocation by phase (sampled, collected objects included: ${(heapProfile.total / 2 ** 20).toFixed(0)} MiB allocated in all):`);
console.log("| phase | allocated | share |\n|---|---:|---:|");
for (const [name, b] of [...heapProfile.phases].sort((a, b) => b[1] - a[1]))
  console.log(`| ${name} | ${(b / 2 ** 20).toFixed(0)} MiB | ${pct(b, heapProfile.total)} |`);
console.log(`\nAllocation by allocating function (top 20):`);
console.log("| function | allocated | share |\n|---|---:|---:|");
for (const [name, b] of [...heapProfile.by].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`| \`${name}\` | ${(b / 2 ** 20).toFixed(0)} MiB | ${pct(b, heapProfile.total)} |`);
console.log("\nGarbage collection pauses (--trace-gc, main thread):");
for (const [kind, k] of gc) console.log(`- ${kind}: ${k.count} pauses, ${k.ms.toFixed(0)} ms`);
console.log(`\nwall time without a profiler (this run's --trace-gc run): ${gcRun.seconds.toFixed(2)} s; under the heap profiler ${heap.seconds.toFixed(2)} s`);
if (!args.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`profiles kept in ${dir} (open the .cpuprofile in Chrome DevTools or speedscope)`);
