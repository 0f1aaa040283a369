// SIGINT/SIGTERM in the middle of collect, scan and evaluate: exit 130/143, one line on stderr,
// and the output directory stays empty (no report, no snapshot, no temp file).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, DEMO_CONFIG, ROOT, tempDir } from "../helpers.js";
import { cliEnv, server } from "../aws/harness.js";
import { syntheticFixture } from "../aws/synthetic.js";

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the CLI, waits until `ready(pid)` says it is mid-run, sends `signal`, waits for the exit. */
function interrupt(
  args: string[],
  env: Record<string, string>,
  signal: NodeJS.Signals,
  ready: (pid: number, stderr: string) => boolean | Promise<boolean>,
): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const check = async () => {
      if (sent || child.pid === undefined) return;
      if (await ready(child.pid, stderr)) {
        sent = true;
        clearInterval(poll);
        child.kill(signal);
      }
    };
    const poll = setInterval(() => void check(), 2);
    child.on("error", reject);
    child.on("close", (code, sig) => {
      clearTimeout(deadline);
      clearInterval(poll);
      if (!sent) reject(new Error(`the run ended (code ${code}) before it could be interrupted: ${stderr}`));
      else resolve({ code, signal: sig, stderr });
    });
  });
}

/** True when process `pid` has a file inside `dir` open for reading only (Linux /proc): scan is reading its snapshot back, i.e. evaluating. */
function readsFileIn(pid: number, dir: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        if (!readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(dir + "/")) return false;
        const flags = /^flags:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8"))?.[1];
        return flags !== undefined && (parseInt(flags, 8) & 3) === 0; // O_RDONLY
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** True when process `pid` has `file` open (Linux /proc): it is reading resources back, i.e. evaluating. */
function hasOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function expectInterrupted(r: Interrupted, signal: "SIGINT" | "SIGTERM", outDir: string): void {
  expect(r.signal, r.stderr).toBeNull(); // exited by itself, through sagegate's handler
  expect(r.code, r.stderr).toBe(signal === "SIGINT" ? 130 : 143);
  expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(`sagegate: interrupted by ${signal}; no report or snapshot was written`);
  expect(readdirSync(outDir), "files left in the output directory").toEqual([]);
}

let snapshot: string;
let bigDir: string;
let benchConfig: string;

describe.skipIf(process.platform !== "linux")("interrupted runs leave nothing behind", { timeout: 120_000 }, () => {
  beforeAll(() => {
    // 40,000 resources in 8 regions: long enough to be caught mid-evaluation.
    const dir = (bigDir = mkdtempSync(join(tmpdir(), "sagegate-signals-")));
    snapshot = join(dir, "big.json");
    const gen = spawnSync(process.execPath, [join(ROOT, "bench/generate.mjs"), "--resources", "40000", "--accounts", "4", "--out", snapshot], {
      encoding: "utf8",
    });
    expect(gen.status, gen.stderr).toBe(0);
    benchConfig = join(ROOT, "bench/sagegate.config.yaml");
  });
  afterAll(() => rmSync(bigDir, { recursive: true, force: true }));

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`evaluate: ${signal} while resources are being evaluated`, async () => {
      expect(existsSync(snapshot)).toBe(true);
      const out = tempDir();
      const args = [
        "evaluate",
        snapshot,
        "--config",
        benchConfig,
        "-f",
        "json",
        "-o",
        join(out, "r.json"),
        "-f",
        "sarif",
        "-o",
        join(out, "r.sarif"),
        "-f",
        "markdown",
        "-o",
        join(out, "r.md"),
        "--fail-on",
        "none",
        "--repo-root",
        bigDir,
      ];
      const r = await interrupt(args, {}, signal, (pid) => hasOpen(pid, snapshot));
      expectInterrupted(r, signal, out);
    });
  }

  it("collect: SIGTERM while AWS calls are in flight", async () => {
    const s = await server({ faults: [{ kind: "slow", service: "logs", delayMs: 30_000 }] });
    const out = tempDir();
    const args = ["collect", "--regions", "eu-west-1,us-east-1", "--since", "2026-11-01", "--output", join(out, "snapshot.json")];
    const r = await interrupt(args, cliEnv(s), "SIGTERM", () => s.calls.some((c) => c.service === "logs"));
    expectInterrupted(r, "SIGTERM", out);
  });

  it("scan: SIGINT while AWS calls are in flight", async () => {
    const s = await server({ faults: [{ kind: "slow", service: "kms", delayMs: 30_000 }] });
    const out = tempDir();
    const args = [
      "scan",
      "--regions",
      "eu-west-1",
      "--since",
      "2026-11-01",
      "--config",
      DEMO_CONFIG,
      "-f",
      "json",
      "-o",
      join(out, "r.json"),
      "--snapshot-out",
      join(out, "snap.json"),
    ];
    const r = await interrupt(args, cliEnv(s), "SIGINT", () => s.calls.some((c) => c.service === "kms"));
    expectInterrupted(r, "SIGINT", out);
  });

  it("scan: SIGINT after the collect, while its snapshot is staged and evaluated: no --snapshot-out file either", async () => {
    // Enough security groups that evaluating them takes a while after the collect.
    const s = await server({ fixture: syntheticFixture({ securityGroups: 12_000, logGroups: 200 }) });
    const out = tempDir();
    const args = [
      "scan",
      "--regions",
      "eu-west-1",
      "--since",
      "2026-11-01",
      "--config",
      benchConfig,
      "-f",
      "json",
      "-o",
      join(out, "r.json"),
      "--snapshot-out",
      join(out, "snap.json"),
    ];
    // Ready once the collect is over and its snapshot is staged in the output directory: from
    // then until the reports are committed (staged snapshot written, read back and evaluated,
    // reports staged) a signal must leave nothing. Waiting only for the read-back (a few hundred
    // milliseconds) was missed by the poll on a loaded CI machine.
    const collected = (stderr: string) => stderr.includes("sagegate: collected ") && readdirSync(out).length > 0;
    const r = await interrupt(args, cliEnv(s), "SIGINT", (pid, stderr) => readsFileIn(pid, out) || collected(stderr));
    expectInterrupted(r, "SIGINT", out);
  });
});
