// `npm run bench`: times `sagegate evaluate` on generated snapshots against the parse-only floor
// and the hand-written rules measured in the same run (issues 6 and 18), for both snapshot shapes
// (default, failure-heavy), checks every count against the generator's known answer, prints the
// tables and writes them into bench/README.md.
//
//   npm run bench -- [--sizes 10000,100000,1000000] [--shapes default,failure-heavy] [--runs N]
//                    [--seed S] [--timeout SECONDS] [--no-readme] [--keep-reports]
//
//   --sizes      snapshot sizes in resources (default 10000,100000,1000000)
//   --shapes     generator shapes (default both; see bench/generate.mjs --shape)
//   --runs       runs per measurement (default: 3 below 1M resources, 1 from 1M on); the median is kept
//   --seed       generator seed (default 1); snapshots are regenerated when seed or generator change
//   --timeout    per process, default 1800 s; a run that takes longer is killed and reported
//   --no-readme  print only, leave bench/README.md alone
//   --keep-reports  keep bench/out/report-N.json (deleted after checking otherwise: 1M ≈ GBs)
//
// Every measurement is a fresh `node` process, timed from spawn to exit (startup included).
// Peak RSS is the child's maximum resident set, from /usr/bin/time -f %M when available, else from
// a preload (bench/rss-reporter.mjs) that reads process.resourceUsage() at exit. The build is not
// run here (the npm script builds first); SAGEGATE_DIST points at another build (default dist/).

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { CONFIG_FILE, ORG, SHAPES } from "./org.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
process.chdir(ROOT);
const DIST = resolve(process.env.SAGEGATE_DIST ?? "dist");
const CLI = join(DIST, "cli/main.js");
const TIME = "/usr/bin/time";
const HAS_TIME = existsSync(TIME);
const MiB = 2 ** 20;

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    shapes: { type: "string", default: SHAPES.join(",") },
    runs: { type: "string" },
    seed: { type: "string", default: "1" },
    timeout: { type: "string", default: "1800" },
    "no-readme": { type: "boolean", default: false },
    "keep-reports": { type: "boolean", default: false },
  },
});
const sizes = args.sizes.split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) usage("--sizes takes positive integers, e.g. 10000,100000");
const shapes = args.shapes.split(",").map((s) => s.trim());
if (shapes.some((s) => !SHAPES.includes(s))) usage(`--shapes takes ${SHAPES.join(", ")}`);
const seed = Number(args.seed);
const timeoutMs = Number(args.timeout) * 1000;
const runsFor = (size) => (args.runs !== undefined ? Number(args.runs) : size >= 1_000_000 ? 1 : 3);

function usage(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Child processes

/**
 * Runs `node …args` once: wall time from spawn to exit, peak RSS in MiB, stdout, exit status.
 * A child that runs out of memory or is killed is a result too (ok: false, with the reason).
 */
function measure(nodeArgs, { okCodes = [0] } = {}) {
  return new Promise((done) => {
    const tmp = mkdtempSync(join(tmpdir(), "sagegate-bench-"));
    const rssFile = join(tmp, "rss");
    const [cmd, argv, env] = HAS_TIME
      ? [TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...nodeArgs], process.env]
      : [
          process.execPath,
          ["--import", pathToFileURL(join(ROOT, "bench/rss-reporter.mjs")).href, ...nodeArgs],
          { ...process.env, SAGEGATE_BENCH_RSS_FILE: rssFile },
        ];
    const started = process.hrtime.bigint();
    // Its own process group, so a timeout (or Ctrl-C) kills node and not only /usr/bin/time.
    const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    running = child;
    let stdout = "";
    let stderrHead = "";
    let stderrTail = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      if (stderrHead.length < 4000) stderrHead += d;
      else stderrTail = (stderrTail + d).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // /usr/bin/time -o: "Command exited with non-zero status N" or "Command terminated by
      // signal N", then the peak RSS in KiB on the last line.
      let timeOutput = "";
      try {
        timeOutput = readFileSync(rssFile, "utf8").trim();
      } catch {}
      rmSync(tmp, { recursive: true, force: true });
      const rssKiB = Number(timeOutput.split("\n").pop());
      const rssMiB = timeOutput && Number.isFinite(rssKiB) ? rssKiB / 1024 : undefined;
      const killedBy = signal ?? /terminated by signal (\d+)/.exec(timeOutput)?.[1];
      const stderr = stderrTail ? `${stderrHead}\n…\n${stderrTail}` : stderrHead;
      const ok = !timedOut && killedBy === undefined && okCodes.includes(code);
      const why = ok ? undefined : timedOut ? `timed out after ${args.timeout} s` : explainFailure(code, killedBy, stderr);
      done({ ok, seconds, rssMiB, stdout, stderr, code, why });
    });
  });
}

let running;
function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
}
process.on("SIGINT", () => {
  if (running) killGroup(running);
  process.exit(130);
});

function explainFailure(code, signal, stderr) {
  if (/heap out of memory|Allocation failed|Reached heap limit/i.test(stderr)) return "out of memory (V8 heap limit)";
  if (/ERR_STRING_TOO_LONG|Cannot create a string longer/i.test(stderr)) return "longer than V8's string limit";
  if (String(signal) === "9" || signal === "SIGKILL") return "killed (SIGKILL: out of memory?)";
  const first =
    stderr
      .trim()
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return `${signal ? `killed (signal ${signal})` : `exit ${code}`}${first ? `: ${first.slice(0, 200)}` : ""}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Median wall time and RSS of several runs; the first failure makes the measurement failed. */
function summarise(runs) {
  const failed = runs.find((r) => !r.ok || r.failed);
  if (failed) return { ok: false, why: failed.why ?? failed.failed, runs: runs.length };
  return {
    ok: true,
    seconds: median(runs.map((r) => r.seconds)),
    rssMiB: median(runs.map((r) => r.rssMiB ?? NaN)),
    runs: runs.length,
    last: runs[runs.length - 1],
  };
}

// ---------------------------------------------------------------------------------------------
// Preconditions: a build, a config that matches the generator's organisation

if (!existsSync(CLI)) usage(`no sagegate build at ${CLI}: run npm run build first (or npm run bench, which builds)`);

async function checkConfig() {
  const { loadConfig } = await import(pathToFileURL(join(DIST, "config/config.js")).href);
  const fromYaml = loadConfig(CONFIG_FILE);
  const pick = (c) =>
    JSON.stringify({
      tagPrefix: c.tagPrefix,
      company: c.company,
      teams: c.teams,
      projects: c.projects,
      vpcIds: c.vpcIds,
      logRetentionDays: c.logRetentionDays,
      ecr: c.ecr,
      profile: c.profile,
    });
  if (pick(fromYaml) !== pick(ORG)) usage(`${CONFIG_FILE} and bench/org.mjs disagree; keep them identical`);
}

/** Generator identity: snapshots made by another version of the generator are regenerated. */
const generatorHash = createHash("sha256").update(readFileSync("bench/generate.mjs")).update(readFileSync("bench/org.mjs")).digest("hex").slice(0, 16);

function ensureSnapshot(size, shape) {
  const file = shape === "default" ? `bench/out/snapshot-${size}.json` : `bench/out/snapshot-${shape}-${size}.json`;
  const answerFile = `${file}.answer.json`;
  const hashFile = `${file}.generator`;
  const current = existsSync(file) && existsSync(answerFile) && existsSync(hashFile) && readFileSync(hashFile, "utf8") === `${generatorHash} seed ${seed}`;
  if (!current) {
    console.log(`generating ${file} …`);
    const r = spawnSync(process.execPath, ["bench/generate.mjs", "--resources", String(size), "--shape", shape, "--seed", String(seed), "--out", file], {
      stdio: "inherit",
    });
    if (r.status !== 0) usage(`generating ${file} failed`);
    writeFileSync(hashFile, `${generatorHash} seed ${seed}`);
  }
  return { file, answer: JSON.parse(readFileSync(answerFile, "utf8")), bytes: statSync(file).size };
}

// ---------------------------------------------------------------------------------------------
// Checking counts against the generator's answer

/** Per-rule status counts of a JSON report (sagegate's or the hand-written one's), read line by line (results are one per line). */
async function reportCounts(file, ruleIds) {
  const counts = Object.fromEntries(ruleIds.map((id) => [id, { pass: 0, fail: 0, error: 0 }]));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    // A result is one line, {"ruleId":…} (the coverage section's pretty-printed "ruleId" lines are not results).
    if (!/^\s*\{"ruleId":/.test(line)) continue;
    const rule = /"ruleId":\s*"([A-Z]+[0-9]+)"/.exec(line);
    if (!rule || !counts[rule[1]]) continue;
    const status = /"status":\s*"(\w+)"/.exec(line);
    if (!status) throw new Error(`report line without a status: ${line.slice(0, 200)}`);
    counts[rule[1]][status[1]] = (counts[rule[1]][status[1]] ?? 0) + 1; // another status is a mismatch
  }
  return counts;
}

function compareCounts(label, counts, answer) {
  const problems = [];
  for (const id of Object.keys(answer.rules)) {
    const want = answer.rules[id];
    const got = counts?.[id];
    const statuses = new Set([...Object.keys(want), ...Object.keys(got ?? {})]);
    if (!got || [...statuses].some((s) => (got[s] ?? 0) !== (want[s] ?? 0))) {
      const show = (c) => [...statuses].map((s) => `${s} ${c[s] ?? 0}`).join(" / ");
      problems.push(`${id}: expected ${show(want)}, got ${got ? show(got) : "nothing"}`);
    }
  }
  return { label, ok: problems.length === 0, problems };
}

// ---------------------------------------------------------------------------------------------
// The run

const fmtS = (m) => (m.ok ? `${m.seconds.toFixed(2)} s` : "n/a");
const fmtRss = (m) => (m.ok && Number.isFinite(m.rssMiB) ? `${m.rssMiB.toFixed(0)} MiB` : "n/a");
const ratio = (a, b) => (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");

await checkConfig();
const startedAt = new Date();
const loadBefore = loadavg()[0];

console.log("rule loading + compilation of the catalogue …");
const compileRun = await measure(["bench/rules-load.mjs", "20"], {});
const compile = compileRun.ok ? JSON.parse(compileRun.stdout) : undefined;
if (!compile) console.log(`  failed: ${compileRun.why}`);
else
  console.log(
    `  ${compile.rules} rules: cold ${compile.coldMs} ms (+${compile.importMs} ms module import), warm median ${compile.warm.medianMs} ms over ${compile.warm.runs} runs`,
  );

const MODES = ["floor", "whole", "streamed", "reported"];
const rows = [];
for (const shape of shapes) {
  for (const size of sizes) {
    const snap = ensureSnapshot(size, shape);
    const ruleIds = Object.keys(snap.answer.rules);
    const runs = runsFor(size);
    const report = `bench/out/report-${shape}-${size}.json`;
    const handReport = `bench/out/handwritten-report-${shape}-${size}.jsonl`;
    console.log(`\n${shape} shape, ${size} resources (${(snap.bytes / MiB).toFixed(0)} MiB), ${runs} run(s) each`);
    const samples = { floor: [], whole: [], streamed: [], reported: [], sagegate: [] };
    for (let r = 0; r < runs; r++) {
      // Interleaved, so drift in machine load hits every implementation alike.
      for (const mode of MODES) {
        const argv =
          mode === "floor"
            ? ["parse", snap.file]
            : mode === "reported"
              ? ["streamed", snap.file, "--rules", ruleIds.join(","), "--report", handReport]
              : [mode, snap.file, "--rules", ruleIds.join(",")];
        const m = await measure(["bench/handwritten.mjs", ...argv]);
        if (m.ok) {
          m.result = JSON.parse(m.stdout); // its own view: counts, or failed: "longer than V8's string limit …"
          m.failed = m.result.failed;
        }
        samples[mode].push(m);
        console.log(`  ${mode.padEnd(9)} ${m.ok && !m.failed ? `${m.seconds.toFixed(2)} s, ${m.rssMiB?.toFixed(0)} MiB` : `n/a: ${m.failed ?? m.why}`}`);
      }
      const m = await measure([CLI, "evaluate", snap.file, "--config", CONFIG_FILE, "--format", "json", "--output", report, "--fail-on", "none"], {
        okCodes: [0, 1, 3],
      });
      samples.sagegate.push(m);
      console.log(`  sagegate  ${m.ok ? `${m.seconds.toFixed(2)} s, ${m.rssMiB?.toFixed(0)} MiB` : `failed: ${m.why}`}`);
    }
    const row = { shape, size, mib: snap.bytes / MiB, checks: [] };
    for (const mode of [...MODES, "sagegate"]) row[mode] = summarise(samples[mode]);
    if (row.whole.ok) row.checks.push(compareCounts("hand-written (whole)", row.whole.last.result.counts, snap.answer));
    if (row.streamed.ok) row.checks.push(compareCounts("hand-written (streamed)", row.streamed.last.result.counts, snap.answer));
    if (row.reported.ok) row.checks.push(compareCounts("hand-written (streamed + report lines)", await reportCounts(handReport, ruleIds), snap.answer));
    rmSync(handReport, { force: true });
    if (row.sagegate.ok) {
      row.checks.push(compareCounts("sagegate JSON report", await reportCounts(report, ruleIds), snap.answer));
      if (!args["keep-reports"]) rmSync(report, { force: true });
    } else {
      row.checks.push({ label: "sagegate JSON report", ok: false, problems: [`no report: ${row.sagegate.why}`] });
    }
    for (const c of row.checks) {
      console.log(`  ${c.ok ? "OK      " : "MISMATCH"} ${c.label} vs ${snap.file}.answer.json`);
      for (const p of c.problems) console.log(`           ${p}`);
    }
    rows.push(row);
  }
}
const loadAfter = loadavg()[0];

// ---------------------------------------------------------------------------------------------
// Tables, targets, README

const header = [
  "| resources | file | floor: read + JSON.parse | hand-written, whole parse | hand-written, streamed | hand-written, streamed + report lines | sagegate evaluate | sagegate resources/s | sagegate / floor (wall, RSS) | sagegate / streamed (wall, RSS) | sagegate / streamed + report lines (wall) | counts vs answer |",
  "|---:|---:|---|---|---|---|---|---:|---|---|---|---|",
];
const cell = (m) => (m.ok ? `${fmtS(m)}, ${fmtRss(m)}` : `n/a: ${m.why.replace(/: \d+ bytes \(ERR_STRING_TOO_LONG\)$/, "")}`);
const line = (r) => {
  const g = r.sagegate;
  const perSecond = g.ok ? `${Math.round(r.size / g.seconds).toLocaleString("en-US")}` : "n/a";
  const checks = r.checks.map((c) => `${c.label.replace(" JSON report", "").replace("hand-written ", "")} ${c.ok ? "OK" : "MISMATCH"}`).join(", ");
  return `| ${r.size.toLocaleString("en-US")} | ${r.mib.toFixed(0)} MiB | ${cell(r.floor)} | ${cell(r.whole)} | ${cell(r.streamed)} | ${cell(r.reported)} | ${cell(g)} | ${perSecond} | ${ratio(g.seconds, r.floor.seconds)}, ${ratio(g.rssMiB, r.floor.rssMiB)} | ${ratio(g.seconds, r.streamed.seconds)}, ${ratio(g.rssMiB, r.streamed.rssMiB)} | ${ratio(g.seconds, r.reported.seconds)} | ${checks} |`;
};

/** The issues' targets, judged on this run: issue 6 on the default shape, issue 18 on the failure-heavy one. */
const TARGETS = {
  default: { issue: 6, floorWall: 2, floorRss: 2, streamedWall: 2, rssGiB: 1.5 },
  "failure-heavy": { issue: 18, floorWall: 1.5, floorRss: 1.5, streamedWall: 1.3, rssGiB: 1 },
};
const verdict = (ok) => (ok === undefined ? "not measured" : ok ? "met" : "missed");
function targetsOf(shape) {
  const t = TARGETS[shape];
  const lines = [];
  const at = (size) => rows.find((r) => r.shape === shape && r.size === size);
  const r100k = at(100_000);
  if (r100k) {
    const wall = r100k.sagegate.ok && r100k.floor.ok ? r100k.sagegate.seconds / r100k.floor.seconds : undefined;
    const rss = r100k.sagegate.ok && r100k.floor.ok ? r100k.sagegate.rssMiB / r100k.floor.rssMiB : undefined;
    lines.push(
      `- 100k: wall ≤ ${t.floorWall}× floor — ${wall !== undefined ? `${wall.toFixed(2)}×, ${verdict(wall <= t.floorWall)}` : verdict()}; peak RSS ≤ ${t.floorRss}× floor — ${rss !== undefined ? `${rss.toFixed(2)}×, ${verdict(rss <= t.floorRss)}` : verdict()}`,
    );
  }
  const r1m = at(1_000_000);
  if (r1m) {
    const wall = r1m.sagegate.ok && r1m.streamed.ok ? r1m.sagegate.seconds / r1m.streamed.seconds : undefined;
    lines.push(
      `- 1M: evaluates correctly — ${r1m.sagegate.ok ? verdict(r1m.checks.every((c) => c.ok)) : `missed (${r1m.sagegate.why})`}; wall ≤ ${t.streamedWall}× streamed hand-written — ${wall !== undefined ? `${wall.toFixed(2)}×, ${verdict(wall <= t.streamedWall)}` : verdict(r1m.sagegate.ok ? undefined : false)}; peak RSS ≤ ${t.rssGiB} GiB — ${r1m.sagegate.ok ? `${(r1m.sagegate.rssMiB / 1024).toFixed(2)} GiB, ${verdict(r1m.sagegate.rssMiB <= t.rssGiB * 1024)}` : verdict(false)}`,
    );
  }
  return lines;
}

const cpuModel = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? "unknown";
const nproc = spawnSync("nproc", { encoding: "utf8" }).stdout?.trim() || String(cpus().length);
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout?.trim();
const dirty = spawnSync("git", ["status", "--porcelain", "--", "src", "rules"], { encoding: "utf8" }).stdout?.trim();
const build = process.env.SAGEGATE_DIST
  ? `the sagegate build in ${DIST}`
  : commit
    ? `sagegate ${commit}${dirty ? " with uncommitted changes in src/ or rules/" : ""}`
    : "sagegate (no git information)";
const machine = `${nproc} CPUs (nproc), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`;
const compileLine = compile
  ? `Rule loading + compilation of the catalogue (${compile.rules} rules, \`loadCatalogue\` (the build's bundle) + \`compileRuleSet\`): cold ${compile.coldMs} ms in a fresh process (load ${compile.cold.loadMs} ms, compile ${compile.cold.compileMs} ms; module import ${compile.importMs} ms more), warm median ${compile.warm.medianMs} ms over ${compile.warm.runs} runs after warm-up (load ${compile.warm.loadMedianMs} ms, compile ${compile.warm.compileMedianMs} ms; min ${compile.warm.minMs}, max ${compile.warm.maxMs}).`
  : `Rule loading + compilation: failed (${compileRun.why}).`;
const problems = rows.flatMap((r) =>
  r.checks.filter((c) => !c.ok).flatMap((c) => c.problems.map((p) => `- ${r.shape} ${r.size.toLocaleString("en-US")}, ${c.label}: ${p}`)),
);
const SHAPE_TITLES = {
  default: "Default shape (≈ 15% of in-scope resources non-compliant, per rule)",
  "failure-heavy": "Failure-heavy shape (≈ 28% of in-scope resources non-compliant, several rules each)",
};
const shapeSections = shapes.flatMap((shape) => {
  const mine = rows.filter((r) => r.shape === shape);
  const answerRules = Object.keys(ensureSnapshot(mine[0].size, shape).answer.rules);
  const targets = targetsOf(shape);
  return [
    `### ${SHAPE_TITLES[shape]}`,
    "",
    `Answer rules (${answerRules.length}): ${answerRules.join(", ")}. Runs per measurement: ${mine.map((r) => `${r.size.toLocaleString("en-US")}: ${r.sagegate.runs}`).join(", ")} (median).`,
    "",
    ...header,
    ...mine.map(line),
    "",
    ...(targets.length > 0 ? [`Targets of issue ${TARGETS[shape].issue} on this run:`, "", ...targets, ""] : []),
  ];
});

const results = [
  `Measured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ${build}, on ${machine}. Seed ${seed}.`,
  "",
  ...shapeSections,
  compileLine,
  "",
  "Target of issue 6: rule loading + compilation ≤ 50 ms — " +
    (compile
      ? `cold ${compile.coldMs} ms, warm median ${compile.warm.medianMs} ms: ${verdict(compile.coldMs <= 50)} (cold), ${verdict(compile.warm.medianMs <= 50)} (warm)`
      : "not measured"),
  ...(problems.length > 0 ? ["", "Count mismatches against the generator's answer:", "", ...problems] : []),
].join("\n");

console.log(`\n${results}`);

if (!args["no-readme"]) {
  const readme = readFileSync("bench/README.md", "utf8");
  const start = "<!-- results:start (written by npm run bench) -->";
  const end = "<!-- results:end -->";
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) usage("bench/README.md lost its results markers");
  writeFileSync("bench/README.md", `${readme.slice(0, from + start.length)}\n${results}\n${readme.slice(to)}`);
  console.log("\nwrote the table to bench/README.md");
}
process.exitCode = rows.every((r) => r.checks.every((c) => c.ok)) ? 0 : 1;
