// Outputs never destroy, never half-write, never crash: devices, FIFOs and links through the
// CLI as a user gives them, every output path checked before any work, and a reader that
// closes standard output early.
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const EVALUATE = ["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG];
/** The demo has failures at the default --fail-on low: the gate's own exit code is 1. */
const GATE_FAILED = 1;

function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr.trimEnd().split("\n"), stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

/** Running as root, a regression would replace the machine's own /dev/null: tests write only device nodes of their own then. */
const ROOT_USER = process.getuid?.() === 0;

/**
 * A character device inside `dir`: as root a node of its own (mknod, same device numbers), so a
 * sagegate that replaced devices would replace only that one; otherwise a symbolic link to the
 * machine's (which an ordinary user cannot replace).
 */
function charDevice(dir: string, name: "null" | "full"): string {
  const path = join(dir, `dev-${name}`);
  if (!ROOT_USER) {
    symlinkSync(`/dev/${name}`, path);
    return path;
  }
  const r = spawnSync("mknod", ["-m", "666", path, "c", "1", name === "null" ? "3" : "7"]);
  expect(r.status, String(r.stderr)).toBe(0);
  return path;
}

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  expect(r.status, String(r.stderr)).toBe(0);
}

describe.skipIf(process.platform !== "linux")("-o to something that is not a regular file is written in place", () => {
  it("a FIFO: the report arrives through it and the node is still a FIFO", async () => {
    const dir = tempDir();
    const fifo = join(dir, "report.fifo");
    const copy = join(dir, "received.json");
    mkfifo(fifo);
    // The reader is another process: runCli blocks this one until sagegate exits.
    const reader = spawn("sh", ["-c", `exec cat "${fifo}" > "${copy}"`]);
    const read = new Promise<number | null>((resolve) => reader.on("close", resolve));
    const r = runCli([...EVALUATE, "-f", "json", "-o", fifo]);
    // A run that never opened the FIFO would leave the reader waiting for ever.
    const timer = setTimeout(() => reader.kill(), 5_000);
    expect(await read).toBe(0);
    clearTimeout(timer);
    expect(r.code, r.stderr).toBe(GATE_FAILED);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readJson(copy).results.length).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(["received.json", "report.fifo"]);
  });

  it("a symbolic link to a character device: written through, the link and the device stay as they are", () => {
    const dir = tempDir();
    const device = charDevice(dir, "null");
    const link = join(dir, "null.json");
    symlinkSync(device, link);
    const r = runCli([...EVALUATE, "-f", "json", "-o", link]);
    expect(r.code, r.stderr).toBe(GATE_FAILED);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(device);
    expect(statSync(link).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["dev-null", "null.json"]);
  });

  it("a symbolic link to standard output, /proc/self/fd/1 and /dev/fd/1: the report arrives on standard output", () => {
    const dir = tempDir();
    const link = join(dir, "out.json");
    symlinkSync(ROOT_USER ? "/proc/self/fd/1" : "/dev/stdout", link);
    // The names themselves (not /dev/stdout: as root, a regression would replace the machine's /dev/stdout link).
    for (const target of [link, "/proc/self/fd/1", "/dev/fd/1", ...(ROOT_USER ? [] : ["/dev/stdout"])]) {
      const r = runCli([...EVALUATE, "-f", "json", "-o", target]);
      expect(r.code, r.stderr).toBe(GATE_FAILED);
      expect(JSON.parse(r.stdout).results.length, target).toBeGreaterThan(0);
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("standard output appended to by the shell keeps what was there (the descriptor is written, not replaced)", () => {
    const dir = tempDir();
    const log = join(dir, "log.txt");
    writeFileSync(log, "earlier line\n");
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${CLI}" evaluate "${DEMO_SNAPSHOT}" --config "${DEMO_CONFIG}" -f json -o /dev/fd/1 >> "${log}"`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(GATE_FAILED);
    const text = readFileSync(log, "utf8");
    expect(text.startsWith("earlier line\n{")).toBe(true);
    expect(JSON.parse(text.slice("earlier line\n".length)).results.length).toBeGreaterThan(0);
  });

  it("a symbolic link to a regular file replaces the target and keeps the link", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "reports"));
    const target = join(dir, "reports", "latest.json");
    writeFileSync(target, "old report");
    chmodSync(target, 0o640);
    const link = join(dir, "report.json");
    symlinkSync("reports/latest.json", link);
    const r = runCli([...EVALUATE, "-f", "json", "-o", link]);
    expect(r.code, r.stderr).toBe(GATE_FAILED);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("reports/latest.json");
    expect(readJson(target).results.length).toBeGreaterThan(0);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, "reports"))).toEqual(["latest.json"]);
  });

  it("a device that cannot take the report (like /dev/full) is exit 2 with one line, not a crash", () => {
    const full = charDevice(tempDir(), "full");
    const r = runCli([...EVALUATE, "-f", "json", "-o", full]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /^sagegate: .*\/dev-full: cannot write it: no space left on the device\n$/);
    expect(statSync(full).isCharacterDevice()).toBe(true);
  });
});

describe("every output path is checked before any work: all outputs or none", () => {
  it("a directory among several outputs: exit 2 naming it, and none is written", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "somedir"));
    const r = runCli(
      [...EVALUATE, "-f", "json", "-o", join(dir, "ok.json"), "-f", "markdown", "-o", join(dir, "somedir"), "-f", "sarif", "-o", join(dir, "r.sarif")],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, new RegExp(`^sagegate: ${join(dir, "somedir")}: is a directory; --output needs a file name\\n$`));
    expect(readdirSync(dir)).toEqual(["somedir"]);
    expect(readdirSync(join(dir, "somedir"))).toEqual([]);
  });

  it("a parent that is a regular file, a name ending in /, the same file twice: exit 2, nothing written", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "afile"), "x");
    const cases: Array<[string[], RegExp]> = [
      [["-f", "json", "-o", "ok.json", "-f", "markdown", "-o", "afile/r.md"], /^sagegate: afile\/r\.md: cannot be created: .*\/afile is not a directory\n$/],
      [
        ["-f", "json", "-o", "ok.json", "-f", "markdown", "-o", "afile/deeper/r.md"],
        /^sagegate: afile\/deeper\/r\.md: cannot be created: .*\/afile is not a directory\n$/,
      ],
      [["-f", "json", "-o", "ok.json", "-f", "markdown", "-o", "new/"], /^sagegate: new\/: is a directory name; --output needs a file name\n$/],
      [
        ["-f", "json", "-o", "ok.json", "-f", "markdown", "-o", "./ok.json"],
        /^sagegate: --output \.\/ok\.json and --output ok\.json name the same file; give each output its own file\n$/,
      ],
      [["-f", "json", "-o", ""], /^sagegate: --output needs a file name, got ""\n$/],
    ];
    for (const [args, message] of cases) {
      const r = runCli([...EVALUATE, ...args], { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expectOneLine(r.stderr, message);
      expect(readdirSync(dir)).toEqual(["afile"]);
    }
  });

  it.skipIf(process.getuid?.() === 0)("a directory sagegate may not write in: exit 2, nothing written", () => {
    const dir = tempDir();
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const r = runCli([...EVALUATE, "-f", "json", "-o", join(dir, "ok.json"), "-f", "markdown", "-o", join(locked, "r.md")]);
      expect(r.code).toBe(2);
      expectOneLine(r.stderr, /cannot be created: no permission to write in .*locked\n$/);
      expect(readdirSync(dir)).toEqual(["locked"]);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it("merge checks its --output before reading the inputs", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "out"));
    const r = runCli(["merge", DEMO_SNAPSHOT, join(dir, "missing.json"), "--output", join(dir, "out")]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /out: is a directory; --output needs a file name\n$/);
  });
});

describe.skipIf(process.platform !== "linux")("a reader that closes standard output early", () => {
  let big: string;
  let bigDir: string;
  beforeAll(() => {
    // A report far larger than a pipe's buffer (64 KiB), so sagegate is still writing when the reader goes.
    bigDir = mkdtempSync(join(tmpdir(), "sagegate-pipe-"));
    big = join(bigDir, "big.json");
    const gen = spawnSync(process.execPath, [join(ROOT, "bench/generate.mjs"), "--resources", "3000", "--out", big], { encoding: "utf8" });
    expect(gen.status, gen.stderr).toBe(0);
  });
  afterAll(() => rmSync(bigDir, { recursive: true, force: true }));

  function throughHead(args: string[]): { code: number; head: string; stderr: string } {
    const cmd = `set -o pipefail; "${process.execPath}" "${CLI}" ${args.map((a) => `'${a}'`).join(" ")} | head -1`;
    const r = spawnSync("bash", ["-c", cmd], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { code: r.status ?? -1, head: r.stdout, stderr: r.stderr };
  }

  it("`sagegate evaluate … | head -1` ends with the gate's own exit code and only sagegate's own lines on stderr", () => {
    const config = join(ROOT, "bench/sagegate.config.yaml");
    const expected = runCli(["evaluate", big, "--config", config, "-f", "json", "-o", join(tempDir(), "r.json")]);
    expect([0, 1, 3]).toContain(expected.code);
    for (const format of ["json", "table", "markdown"]) {
      const r = throughHead(["evaluate", big, "--config", config, "-f", format]);
      expect(r.code, r.stderr).toBe(expected.code);
      expect(r.head.split("\n")).toHaveLength(2);
      expect(r.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
      // The same lines, less the one naming the file the expected run wrote its report to.
      expect(r.stderr).toBe(expected.stderr.replace(/^sagegate: wrote .*\n/m, ""));
    }
  });

  it("`sagegate rules list | head -1` and `sagegate merge … -o - | head -1` end quietly", () => {
    const list = throughHead(["rules", "list", "--format", "markdown"]);
    expect(list.code).toBe(0);
    expect(list.stderr).toBe("");
    const merged = throughHead(["merge", big, big, "-o", "-"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.head).toBe("{\n");
    expect(merged.stderr).toMatch(/^sagegate: merged 2 snapshots: .*\n$/);
  });
});

it("exit 70 is only for bugs: the README's exit-code table lists it", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  expect(readme).toMatch(/^\| 70 \| .*bug.* \|$/m);
  expect(existsSync(CLI)).toBe(true);
});
