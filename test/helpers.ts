import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach } from "vitest";

export const ROOT = resolve(import.meta.dirname, "..");
export const CLI = join(ROOT, "dist/cli/main.js");
export const DEMO_SNAPSHOT = join(ROOT, "fixtures/demo/snapshot.json");
export const DEMO_CONFIG = join(ROOT, "fixtures/demo/sagegate.config.yaml");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    input: options.input,
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dirs: string[] = [];

/** A temporary directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sagegate-test-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function readJson(file: string): any {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * The arguments a shell command, pasted as printed (continuation lines included), would pass to
 * the AWS CLI: bash runs it with `aws` defined as a function that prints its arguments.
 */
export function awsArgumentsOf(commandText: string): string[] {
  const script = `aws() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${commandText}\n`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bash failed (${r.status}): ${r.stderr}\n${commandText}`);
  return r.stdout.split("\0").slice(0, -1);
}

/** The lines of the first command starting with `start` in text, with its continuation lines. */
export function commandAt(text: string, start: string, from = 0): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l, n) => n >= from && l.trimStart().startsWith(start));
  if (i < 0) throw new Error(`no command starting with ${start}`);
  const out = [lines[i]!];
  for (let j = i; lines[j]!.endsWith("\\"); j++) out.push(lines[j + 1]!);
  return out.join("\n");
}

/** Terminal columns of the widest line (not bytes: borders are multi-byte; wide CJK characters take two). */
export function longestLine(text: string): number {
  const wide =
    /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
  return Math.max(...text.split("\n").map((l) => [...l].reduce((n, c) => n + (wide.test(c) ? 2 : 1), 0)));
}

/** stderr without the "sagegate: wrote FILE (format)" lines every run that writes report files prints. */
export function withoutWrote(stderr: string): string {
  return stderr.replace(/^sagegate: wrote .*\n/gm, "");
}
