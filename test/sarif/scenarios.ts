// Snapshots and checkouts the SARIF tests share: the demo and incomplete fixtures as a nightly
// job sees them, with the snapshot in the repository checkout or not.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, ROOT, runCli } from "../helpers.js";

export const INCOMPLETE_SNAPSHOT = join(ROOT, "fixtures/incomplete/snapshot.json");
export const INCOMPLETE_CONFIG = join(ROOT, "fixtures/incomplete/sagegate.config.yaml");

export const FIXTURES = {
  demo: { snapshot: DEMO_SNAPSHOT, config: DEMO_CONFIG },
  incomplete: { snapshot: INCOMPLETE_SNAPSHOT, config: INCOMPLETE_CONFIG },
} as const;

// Directories shared by the tests of a file live until its end (helpers' tempDir() is emptied after every test).
const dirs: string[] = [];
export function suiteDir(prefix = "sagegate-sarif-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function readDoc(file: string): any {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The snapshot with only these regions of each account (accounts left without a region dropped). */
export function withRegions(doc: any, regions: readonly string[]): any {
  const out = structuredClone(doc);
  for (const account of out.accounts) account.regions = account.regions.filter((r: any) => regions.includes(r.region));
  out.accounts = out.accounts.filter((a: any) => a.regions.length > 0);
  return out;
}

/** The snapshot with a copy of region `from` of each account as region `to` (every mention of `from` in it renamed). */
export function withRegionCopy(doc: any, from: string, to: string): any {
  const out = structuredClone(doc);
  for (const account of out.accounts) {
    const source = account.regions.find((r: any) => r.region === from);
    if (source) account.regions.push(JSON.parse(JSON.stringify(source).split(from).join(to)));
    account.regions.sort((a: any, b: any) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
  }
  return out;
}

/** The snapshot of one account. */
export function withAccount(doc: any, accountId: string): any {
  const out = structuredClone(doc);
  out.accounts = out.accounts.filter((a: any) => a.accountId === accountId);
  return out;
}

export interface Checkout {
  /** The repository root as checked out. */
  dir: string;
  /** The SARIF log sagegate wrote (outside the checkout, as a workflow's temp file). */
  sarif: string;
  /** The JSON report of the same run. */
  report: string;
  log: any;
  stderr: string;
  code: number;
}

/**
 * A nightly job: the snapshot at `snapshot.json` in a git checkout, `sagegate evaluate` run from
 * the checkout's root, and then, unless `keepSnapshot`, the snapshot removed (the upload then runs
 * where the snapshot is not in the checkout, as in a later job or a re-run).
 */
export function nightly(doc: unknown, config: string, options: { keepSnapshot: boolean; args?: string[]; name?: string }): Checkout {
  const base = suiteDir();
  const dir = join(base, "repo");
  mkdirSync(dir);
  writeFileSync(join(dir, "README.md"), "the repository\n");
  gitCommit(dir);
  // Written by the scan step into the workspace, not committed (as in examples/github/nightly.yml).
  const snapshot = join(dir, "snapshot.json");
  writeFileSync(snapshot, JSON.stringify(doc, null, 2) + "\n");
  const sarif = join(base, `${options.name ?? "sagegate"}.sarif`);
  const report = join(base, `${options.name ?? "sagegate"}.json`);
  const r = runCli(
    [
      "evaluate",
      "snapshot.json",
      "--config",
      config,
      "--fail-on",
      "none",
      "--allow-incomplete",
      "-f",
      "sarif",
      "-o",
      sarif,
      "-f",
      "json",
      "-o",
      report,
      ...(options.args ?? []),
    ],
    { cwd: dir },
  );
  if (!options.keepSnapshot) rmSync(snapshot);
  return { dir, sarif, report, log: existsSync(sarif) ? readDoc(sarif) : undefined, stderr: r.stderr, code: r.code };
}

/** Makes `dir` a git repository with one commit, as actions/checkout leaves it (the action asks git for HEAD). */
function gitCommit(dir: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  const git = (...args: string[]) => spawnSync("git", args, { cwd: dir, env, encoding: "utf8" });
  if (git("init", "-q").status !== 0) return; // no git: the action falls back to GITHUB_SHA
  git("add", "-A");
  git("commit", "-q", "-m", "checkout");
}
