// Preload for bench/run.mjs when /usr/bin/time is missing:
//   node --import ./bench/rss-reporter.mjs dist/cli/main.js …
// writes the process's peak resident set size (KiB, as /usr/bin/time -f %M does) to the file
// named by SAGEGATE_BENCH_RSS_FILE when the process exits. A process killed by a signal or by a
// V8 fatal error (out of memory) never runs exit handlers: run.mjs then reports no RSS.
import { writeFileSync } from "node:fs";

const file = process.env.SAGEGATE_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
