// Regions evaluated by worker threads give exactly the sequential results (the thresholds are
// lowered through the environment so small fixtures take the parallel path).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const INCOMPLETE = join(ROOT, "fixtures/incomplete/snapshot.json");
const INCOMPLETE_CONFIG = join(ROOT, "fixtures/incomplete/sagegate.config.yaml");
const PARALLEL = { SAGEGATE_PARALLEL_MIN: "0", SAGEGATE_WORKERS: "2" };
const SEQUENTIAL = { SAGEGATE_WORKERS: "0" };

describe("evaluation in worker threads", () => {
  it("gives byte-identical JSON, SARIF and Markdown to a sequential run", () => {
    const dir = tempDir();
    const run = (env: Record<string, string>, tag: string) =>
      runCli(
        [
          "evaluate",
          INCOMPLETE,
          "-c",
          INCOMPLETE_CONFIG,
          "--fail-on",
          "none",
          "--allow-incomplete",
          "-o",
          join(dir, `${tag}.json`),
          "-o",
          join(dir, `${tag}.sarif`),
          "-o",
          join(dir, `${tag}.md`),
        ],
        { env, cwd: ROOT },
      );
    expect(run(SEQUENTIAL, "seq").code).toBe(0);
    expect(run(PARALLEL, "par").code).toBe(0);
    for (const ext of ["json", "sarif", "md"]) {
      expect(readFileSync(join(dir, `par.${ext}`), "utf8"), ext).toBe(readFileSync(join(dir, `seq.${ext}`), "utf8"));
    }
    expect(readJson(join(dir, "par.json")).snapshot.regions.length).toBeGreaterThan(1);
  });

  it("a bad resource in a worker's region stops the run with the same one-line error", () => {
    const dir = tempDir();
    const doc = readJson(INCOMPLETE);
    // The largest region stays on the main thread; the smallest goes to a worker.
    const regions = doc.accounts.flatMap((a: any) => a.regions);
    const size = (r: any) => Object.values<unknown[]>(r.resources).reduce((n, l) => n + l.length, 0);
    const last = regions.filter((r: any) => size(r) > 0).sort((a: any, b: any) => size(a) - size(b))[0];
    const type = Object.keys(last.resources).find((t) => last.resources[t].length > 0)!;
    const idField = Object.keys(last.resources[type][0])[0];
    last.resources[type][0] = { ...last.resources[type][0], [idField === undefined ? "x" : idField]: 42 };
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const seq = runCli(["evaluate", file, "-c", DEMO_CONFIG, "-o", join(dir, "s.json")], { env: SEQUENTIAL });
    const par = runCli(["evaluate", file, "-c", DEMO_CONFIG, "-o", join(dir, "p.json")], { env: PARALLEL });
    expect(seq.code).toBe(2);
    expect(par.code).toBe(2);
    expect(par.stderr).toBe(seq.stderr);
    expect(par.stderr).not.toMatch(/\n\s+at /);
  });
});
