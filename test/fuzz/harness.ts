// Property-based tests: small, fixed budgets in `npm test`; `npm run fuzz` multiplies them
// (SAGEGATE_FUZZ_SCALE) and collects the figures docs/internals.md quotes.
//
// Each loader property feeds a generated document to a loader and classifies the outcome:
//   ok      the loader accepted it;
//   typed   it refused it with a SagegateError (exit 2 with file, place and reason);
//   crash   anything else escaped (a bug: the property fails, fast-check shrinks the input);
//   hang    it took longer than HANG_MS (the limit; the property fails too).
import { appendFileSync } from "node:fs";
import { afterAll } from "vitest";
import { isSagegateError } from "../../src/errors.js";

/** The definition of a hang. */
export const HANG_MS = 5_000;

const SCALE = Number(process.env.SAGEGATE_FUZZ_SCALE ?? "1");

/** Runs for a property: `base` in `npm test`, `base × SAGEGATE_FUZZ_SCALE` under `npm run fuzz`. */
export function fuzzRuns(base: number): number {
  return Math.max(1, Math.round(base * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1)));
}

export interface Tally {
  tried: number;
  ok: number;
  typed: number;
  crashes: number;
  hangs: number;
  maxMs: number;
}

const tallies = new Map<string, Tally>();

function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { tried: 0, ok: 0, typed: 0, crashes: 0, hangs: 0, maxMs: 0 }));
  return t;
}

/**
 * Runs `load` on one generated document: returns normally for success or a SagegateError,
 * rethrows anything else (after counting it), and throws when it took longer than HANG_MS.
 */
export function expectTypedOrOk(name: string, load: () => unknown): "ok" | "typed" {
  const t = tally(name);
  t.tried++;
  const start = performance.now();
  let outcome: "ok" | "typed";
  try {
    load();
    outcome = "ok";
  } catch (err) {
    if (!isSagegateError(err)) {
      t.crashes++;
      throw err;
    }
    outcome = "typed";
  } finally {
    const ms = performance.now() - start;
    t.maxMs = Math.max(t.maxMs, ms);
    if (ms > HANG_MS) t.hangs++;
  }
  const ms = performance.now() - start;
  if (ms > HANG_MS) throw new Error(`${name}: one document took ${Math.round(ms)} ms (a hang: more than ${HANG_MS} ms)`);
  t[outcome]++;
  return outcome;
}

/** Counts a property run that has no typed-error notion (operators). */
export function countRun(name: string, ms: number): void {
  const t = tally(name);
  t.tried++;
  t.ok++;
  t.maxMs = Math.max(t.maxMs, ms);
  if (ms > HANG_MS) t.hangs++;
}

// `npm run fuzz` collects every file's tallies (one JSON line per property) into this file.
afterAll(() => {
  const out = process.env.SAGEGATE_FUZZ_STATS;
  if (!out) return;
  for (const [name, t] of tallies) appendFileSync(out, JSON.stringify({ name, ...t }) + "\n");
});
