// SARIF options given on the command line, checked before any work is done.
import { UsageError } from "../errors.js";

/** GitHub rejects a run with more results than this (the same number as sarif.ts's MAX_RESULTS, kept here so the CLI does not load the renderer). */
const MAX_RESULTS = 25_000;

/** `--category`: a non-empty single line. */
export function checkCategory(category: string): string {
  const trimmed = category.trim();
  if (trimmed === "" || trimmed === "/") throw new UsageError("--category must not be empty");
  if ([...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new UsageError("--category must be a single line of text");
  return trimmed;
}

/** `--sarif-max-results`: a whole number from 1 to 25,000. */
export function checkMaxResults(text: string): number {
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_RESULTS) {
    throw new UsageError(`--sarif-max-results must be a whole number from 1 to ${MAX_RESULTS} (GitHub rejects a run with more results), got "${text}"`);
  }
  return n;
}
