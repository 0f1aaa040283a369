// The streaming path at scale, without a timed assertion: a generated multi-account snapshot
// (bench/generate.mjs, with its known answer) is evaluated in a child process with a bounded
// heap, through each reader path — kept in memory, read back from disk block by block, and
// split across worker threads — and the counts must equal the generator's answer and the
// reports must be identical. The benchmark (npm run bench) does the same at 1M resources, a
// file beyond V8's string limit.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, readJson, ROOT, tempDir } from "../helpers.js";

describe("a generated organisation snapshot", () => {
  it("evaluates to the generator's known answer through every reader path", () => {
    const dir = tempDir();
    const snapshot = join(dir, "org.json");
    const gen = spawnSync(process.execPath, ["bench/generate.mjs", "--resources", "30000", "--accounts", "3", "--regions", "2", "--out", snapshot], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(gen.status, gen.stderr).toBe(0);
    const answer = readJson(`${snapshot}.answer.json`);
    const run = (tag: string, env: Record<string, string>) => {
      const out = join(dir, `${tag}.json`);
      const r = spawnSync(
        process.execPath,
        [
          "--max-old-space-size=1536",
          CLI,
          "evaluate",
          snapshot,
          "--config",
          "bench/sagegate.config.yaml",
          "--fail-on",
          "none",
          "--allow-incomplete",
          "-o",
          out,
        ],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } },
      );
      expect(r.status, r.stderr).toBe(0);
      return out;
    };
    const inMemory = run("memory", { SAGEGATE_WORKERS: "0" });
    const fromDisk = run("disk", { SAGEGATE_WORKERS: "0", SAGEGATE_KEEP_IN_MEMORY_BYTES: "0" });
    const parallel = run("parallel", { SAGEGATE_WORKERS: "1", SAGEGATE_PARALLEL_MIN: "0", SAGEGATE_KEEP_IN_MEMORY_BYTES: "0" });

    const report = readJson(inMemory);
    for (const [ruleId, expected] of Object.entries<{ pass: number; fail: number; error: number }>(answer.rules)) {
      const got = { pass: 0, fail: 0, error: 0 };
      for (const r of report.results) if (r.ruleId === ruleId) got[r.status as "pass" | "fail" | "error"]++;
      expect(got, ruleId).toEqual(expected);
    }
    const text = readFileSync(inMemory, "utf8");
    expect(readFileSync(fromDisk, "utf8")).toBe(text);
    expect(readFileSync(parallel, "utf8")).toBe(text);
  });
});
