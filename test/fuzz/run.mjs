// `npm run fuzz [-- SCALE]`: the property tests with SCALE times their `npm test` budget (default
// 100), then the figures docs/internals.md ("Property-based tests") quotes: documents tried per loader or property,
// how many were accepted and how many refused with a typed error, crashes and hangs (> 5 s).
// Run `npm run build` first (npm run fuzz does).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scale = process.argv[2] ?? process.env.SAGEGATE_FUZZ_SCALE ?? "100";
const dir = mkdtempSync(join(tmpdir(), "sagegate-fuzz-stats-"));
const stats = join(dir, "stats.jsonl");
const started = Date.now();
const run = spawnSync("npx", ["vitest", "run", "test/fuzz/", "test/evaluate/regex.test.ts"], {
  stdio: "inherit",
  env: { ...process.env, SAGEGATE_FUZZ_SCALE: scale, SAGEGATE_FUZZ_STATS: stats },
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);

let rows = [];
try {
  rows = readFileSync(stats, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  // no stats: vitest failed before any file finished
}
rmSync(dir, { recursive: true, force: true });

const total = { tried: 0, ok: 0, typed: 0, crashes: 0, hangs: 0, maxMs: 0 };
console.log(`\nsagegate fuzz, scale ${scale}, ${seconds} s${run.status === 0 ? "" : " — FAILED (see above: a crash or hang is shrunk to a minimal input)"}`);
console.log("| property | tried | accepted | typed error | crashes | hangs (> 5 s) | slowest |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows.sort((a, b) => a.name.localeCompare(b.name))) {
  for (const k of ["tried", "ok", "typed", "crashes", "hangs"]) total[k] += r[k];
  total.maxMs = Math.max(total.maxMs, r.maxMs);
  console.log(`| ${r.name} | ${r.tried} | ${r.ok} | ${r.typed} | ${r.crashes} | ${r.hangs} | ${r.maxMs.toFixed(0)} ms |`);
}
console.log(`| **total** | **${total.tried}** | ${total.ok} | ${total.typed} | **${total.crashes}** | **${total.hangs}** | ${total.maxMs.toFixed(0)} ms |`);
process.exit(run.status ?? 1);
