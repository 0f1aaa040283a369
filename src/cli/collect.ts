// `sagegate collect`, `scan` and `merge`. Loaded only when one of them runs, and the AWS SDK only
// when AWS is called, so `evaluate` never loads either.
import { ExitCode, UsageError } from "../errors.js";
import type { FailOn, Verdict } from "../report/gate.js";
import { readSnapshotFile, snapshotFromObject } from "../snapshot/read.js";
import type { SnapshotFile } from "../snapshot/types.js";
import { stageSnapshotFile, writeSnapshotFile } from "../snapshot/write.js";
import { checkOutputs } from "../io/files.js";
import { mergeSnapshotFiles } from "../snapshot/merge.js";
import { collect, roleArnsFor, type CollectOptions, type CollectResult } from "../collect/collect.js";
import { parseSince } from "../collect/since.js";
import { prepare, reportAndGate, type EvaluateOptions } from "./evaluate.js";
import type { CollectCliOptions } from "./collect-options.js";

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got "${text}"`);
  return n;
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return n;
}

/** Node timers hold at most 2^31 − 1 ms; a longer one fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Seconds → whole milliseconds, between 1 ms and Node's timer limit (about 24.8 days): below 1 ms
 * the value would round to 0, which the HTTP handler reads as "no timeout".
 */
function timeoutMs(name: string, text: string): number {
  const ms = Math.round(positiveNumber(name, text) * 1000);
  if (ms < 1) throw new UsageError(`${name} must be at least 0.001 seconds (1 ms), got "${text}"`);
  if (ms > MAX_TIMER_MS) throw new UsageError(`${name} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds, got "${text}"`);
  return ms;
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items.length > 0 ? [...new Set(items)] : undefined;
}

/** Command-line options → collect options; every usage problem is found here, before any AWS call. */
export function collectOptionsFrom(opts: CollectCliOptions, stderr: (line: string) => void): CollectOptions {
  const regions = list(opts.regions);
  if (opts.regions !== undefined && !regions) throw new UsageError("--regions needs at least one region");
  for (const r of regions ?? []) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw new UsageError(`--regions: "${r}" is not an AWS region name`);
  if (regions && opts.allRegions) throw new UsageError("give either --regions or --all-regions, not both");
  const roleArns = [...opts.roleArn];
  for (const arn of roleArns) if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) throw new UsageError(`--role-arn: "${arn}" is not an IAM role ARN`);
  const accounts = list(opts.accounts);
  if (accounts && !opts.roleName) throw new UsageError("--accounts needs --role-name");
  if (opts.roleName && !accounts) throw new UsageError("--role-name needs --accounts");
  if (accounts) roleArns.push(...roleArnsFor(accounts, opts.roleName!, regions?.[0] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION));
  if (opts.externalId !== undefined && roleArns.length === 0) throw new UsageError("--external-id needs --role-arn or --accounts");
  const scale = process.env.SAGEGATE_RETRY_DELAY_SCALE;
  const options: CollectOptions = {
    since: parseSince(opts.since),
    concurrency: positiveInt("--concurrency", opts.concurrency),
    maxInFlight: positiveInt("--max-in-flight", opts.maxInFlight),
    roleArns: [...new Set(roleArns)],
    aws: {
      maxAttempts: positiveInt("--max-attempts", opts.maxAttempts),
      requestTimeoutMs: timeoutMs("--request-timeout", opts.requestTimeout),
      ...(scale ? { retryDelayScale: positiveNumber("SAGEGATE_RETRY_DELAY_SCALE", scale) } : {}),
    },
  };
  if (regions) options.regions = regions;
  if (opts.allRegions) options.allRegions = true;
  if (opts.externalId !== undefined) options.externalId = opts.externalId;
  if (opts.progress || process.stderr.isTTY) options.progress = (line) => stderr(`sagegate: ${line}`);
  return options;
}

/** The last line of every collect, on stderr. */
export function summaryLine(result: CollectResult): string {
  const { stats, snapshot } = result;
  const regions = snapshot.accounts.reduce((n, a) => n + a.regions.length, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return (
    `sagegate: collected ${plural(stats.resources, "resource")} from ${plural(snapshot.accounts.length, "account")} and ${plural(regions, "region")}: ` +
    `${plural(stats.calls, "API call")}, ${plural(stats.retries, "retry").replace("retrys", "retries")}, ${plural(stats.errors, "error")} in ${(result.elapsedMs / 1000).toFixed(1)} s`
  );
}

export async function runCollect(opts: CollectCliOptions & { output: string }, stderr: (line: string) => void): Promise<number> {
  const options = collectOptionsFrom(opts, stderr);
  checkOutputs([{ path: opts.output, option: "--output" }]);
  const result = await collect(options);
  await writeSnapshotFile(opts.output, result.snapshot);
  stderr(summaryLine(result));
  if (result.stats.errors > 0) {
    stderr(
      `sagegate: the snapshot is incomplete: ${result.stats.errors} AWS calls failed; they are listed under "errors" in ${opts.output === "-" ? "the snapshot" : opts.output}`,
    );
    return ExitCode.incomplete;
  }
  return ExitCode.ok;
}

export async function runScan(
  opts: CollectCliOptions & EvaluateOptions & { failOn: FailOn; snapshotOut?: string },
  stderr: (line: string) => void,
): Promise<Verdict> {
  // Everything that can be wrong with the user's files is checked before calling AWS.
  if (opts.snapshotOut === "-") throw new UsageError("--snapshot-out needs a file name (standard output is for reports)");
  const snapshotOut = opts.snapshotOut !== undefined ? [{ path: opts.snapshotOut, option: "--snapshot-out" }] : [];
  const prepared = prepare(opts, opts.snapshotOut, snapshotOut);
  const sarif = prepared.outputs.some((o) => o.format === "sarif");
  const options = collectOptionsFrom(opts, stderr);
  const result = await collect(options);
  stderr(summaryLine(result));
  if (opts.snapshotOut === undefined) return reportAndGate(snapshotFromObject(result.snapshot), undefined, prepared, opts);
  // The snapshot is renamed into place together with the reports: an interrupted scan leaves neither.
  const staged = await stageSnapshotFile(opts.snapshotOut, result.snapshot, "--snapshot-out");
  // Read back from the written bytes, as `evaluate` would, so reports can point into the file.
  const snapshot = staged.readPath !== undefined ? readSnapshotFile(staged.readPath, { lines: sarif }) : snapshotFromObject(result.snapshot);
  // SARIF relates results to their objects in the snapshot only when it is a file it can point into.
  if (staged.readPath === undefined) delete prepared.locations.artifactUri;
  return reportAndGate(snapshot, opts.snapshotOut, prepared, opts, [staged]);
}

export async function runMerge(files: string[], output: string): Promise<SnapshotFile> {
  if (files.length < 2) throw new UsageError("merge needs at least two snapshot files");
  checkOutputs([{ path: output, option: "--output" }]);
  const merged = mergeSnapshotFiles(files);
  await writeSnapshotFile(output, merged);
  return merged;
}
