// Proves an optimisation changed no report byte (issue 18): runs two builds of sagegate on the same
// snapshots and compares every format's output byte for byte.
//
//   node bench/same-reports.mjs --base bench/out/base/dist [--sizes 10000,100000] [--parallel]
//
// --base is the previous build (a copy of dist/ where ../package.json resolves, as for
// SAGEGATE_DIST); the other build is dist/. Inputs: the demo and incomplete fixtures, and the
// generated snapshots of both shapes at --sizes (generated when missing). Formats: JSON, SARIF,
// Markdown, JUnit and the table, written in one run. --parallel also runs each new-build evaluation
// with workers forced on (SAGEGATE_PARALLEL_MIN=0) and compares those too. Exits 1 on any difference.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CONFIG_FILE } from "./org.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
process.chdir(ROOT);
const { values: args } = parseArgs({
  options: { base: { type: "string" }, sizes: { type: "string", default: "10000" }, parallel: { type: "boolean", default: false } },
});
if (!args.base) {
  console.error("give --base DIR: the previous build's dist/");
  process.exit(2);
}
const builds = [
  ["base", resolve(args.base), {}],
  ["new", resolve("dist"), {}],
];
if (args.parallel) builds.push(["new, workers forced", resolve("dist"), { SAGEGATE_PARALLEL_MIN: "0" }]);

const inputs = [
  ["fixtures/demo/snapshot.json", "fixtures/demo/sagegate.config.yaml"],
  ["fixtures/incomplete/snapshot.json", "fixtures/incomplete/sagegate.config.yaml"],
];
for (const size of args.sizes.split(",").map(Number)) {
  for (const shape of ["default", "failure-heavy"]) {
    const file = shape === "default" ? `bench/out/snapshot-${size}.json` : `bench/out/snapshot-${shape}-${size}.json`;
    if (!existsSync(file)) {
      const r = spawnSync(process.execPath, ["bench/generate.mjs", "--resources", String(size), "--shape", shape, "--out", file], { stdio: "inherit" });
      if (r.status !== 0) process.exit(2);
    }
    inputs.push([file, CONFIG_FILE]);
  }
}

const FORMATS = [
  ["json", "report.json"],
  ["sarif", "report.sarif"],
  ["markdown", "report.md"],
  ["junit", "report.junit.xml"],
  ["table", "report.txt"],
];
const out = "bench/out/same-reports";
let differences = 0;
for (const [snapshot, config] of inputs) {
  const hashes = [];
  for (const [name, dist, env] of builds) {
    const dir = join(out, name.replace(/\W+/g, "-"));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const argv = [join(dist, "cli/main.js"), "evaluate", snapshot, "--config", config, "--fail-on", "none", "--allow-empty-scope"];
    for (const [format, fileName] of FORMATS) argv.push("--format", format, "--output", join(dir, fileName));
    const r = spawnSync(process.execPath, argv, { encoding: "utf8", env: { ...process.env, ...env, NO_COLOR: "1" }, maxBuffer: 64 * 2 ** 20 });
    if (![0, 1, 3].includes(r.status ?? -1)) {
      console.error(`${name} on ${snapshot}: exit ${r.status}\n${r.stderr}`);
      process.exit(2);
    }
    hashes.push(
      FORMATS.map(([, fileName]) =>
        createHash("sha256")
          .update(readFileSync(join(dir, fileName)))
          .digest("hex"),
      ),
    );
  }
  for (let b = 1; b < builds.length; b++) {
    const differing = FORMATS.filter((_, f) => hashes[b][f] !== hashes[0][f]).map(([format]) => format);
    if (differing.length > 0) differences++;
    console.log(
      `${snapshot}: ${builds[b][0]} vs base: ${differing.length === 0 ? `identical (${FORMATS.map(([f]) => f).join(", ")})` : `DIFFERENT: ${differing.join(", ")}`}`,
    );
  }
}
process.exitCode = differences === 0 ? 0 : 1;
