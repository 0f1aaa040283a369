// Renders docs/images/sarif-alert-list.png: a mock of GitHub's code scanning alert list for the
// demo's SARIF (titles, paths and severities as code scanning takes them from the log). Not a
// screenshot of GitHub; not run by the tests. Needs Chromium (Debian: apt-get install chromium).
//
//   npm run build && node docs/images/alert-list.mjs [chromium binary]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const chromium = process.argv[2] ?? "chromium";
const work = mkdtempSync(join(tmpdir(), "sagegate-alert-list-"));
const sarifFile = join(work, "demo.sarif");
execFileSync(process.execPath, [
  join(root, "dist/cli/main.js"),
  "evaluate",
  join(root, "fixtures/demo/snapshot.json"),
  "--config",
  join(root, "fixtures/demo/sagegate.config.yaml"),
  "--fail-on",
  "none",
  "-f",
  "sarif",
  "-o",
  sarifFile,
]);
const run = JSON.parse(readFileSync(sarifFile, "utf8")).runs[0];
const rules = run.tool.driver.rules;
const filter = "aws/111122223333/eu-west-1/";

// How code scanning labels an alert: the security severity of a security rule, else problem.severity.
function label(rule) {
  const score = rule.properties["security-severity"];
  if (score !== undefined) {
    const s = Number(score);
    return s > 9 ? ["Critical", "crit"] : s >= 7 ? ["High", "high"] : s >= 4 ? ["Medium", "med"] : ["Low", "low"];
  }
  const p = rule.properties["problem.severity"];
  return p === "error" ? ["Error", "high"] : p === "warning" ? ["Warning", "med"] : ["Note", "note"];
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const selected = run.results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri.startsWith(filter));
const isConvention = (r) => rules[r.ruleIndex].properties["security-severity"] === undefined;
// The first security alerts, then a few convention alerts (as the list shows them further down).
const sample = [...selected.filter((r) => !isConvention(r)).slice(0, 8), ...selected.filter(isConvention).slice(0, 3)];
const rows = sample.map((r, i) => {
  const rule = rules[r.ruleIndex];
  const [text, cls] = label(rule);
  const path = r.locations[0].physicalLocation.artifactLocation.uri;
  return `<div class="row"><div class="icon">&#x26A0;</div><div class="main"><div class="title">${escape(rule.shortDescription.text.replace(/\.$/, ""))}</div>
      <div class="meta">#${101 + i} opened 2 days ago &middot; Detected by sagegate in <span class="path">${escape(path)}:1</span></div></div>
      <div class="tags">${rule.properties.tags[0] === "security" ? "" : '<span class="tag">maintainability</span>'}<span class="sev ${cls}">${text}</span></div></div>`;
});
const shown = rows;
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; width: 1100px; }
.top { padding: 16px 24px 8px; } h1 { font-size: 22px; font-weight: 400; margin: 0 0 12px; }
.search { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px; font-family: "DejaVu Sans Mono", monospace; font-size: 13px; color: #1f2328; background: #f6f8fa; }
.note { color: #59636e; font-size: 12px; margin-top: 6px; }
.box { margin: 8px 24px 24px; border: 1px solid #d0d7de; border-radius: 6px; overflow: hidden; }
.head { background: #f6f8fa; padding: 10px 16px; border-bottom: 1px solid #d0d7de; font-weight: 600; }
.head span { font-weight: 400; color: #59636e; margin-left: 16px; }
.row { display: flex; align-items: flex-start; padding: 8px 16px; border-bottom: 1px solid #d8dee4; }
.row:last-child { border-bottom: 0; } .more { color: #59636e; font-size: 12px; }
.icon { color: #59636e; width: 22px; padding-top: 1px; } .main { flex: 1; }
.title { font-weight: 600; } .meta { color: #59636e; font-size: 12px; }
.path { font-family: "DejaVu Sans Mono", monospace; color: #0969da; }
.tags { display: flex; gap: 6px; align-items: center; padding-top: 2px; }
.sev, .tag { border: 1px solid; border-radius: 2em; padding: 0 8px; font-size: 12px; font-weight: 500; white-space: nowrap; }
.tag { color: #59636e; border-color: #d0d7de; }
.crit { color: #d1242f; border-color: #d1242f; } .high { color: #bc4c00; border-color: #bc4c00; }
.med { color: #9a6700; border-color: #bf8700; } .low, .note { color: #59636e; border-color: #d0d7de; }
</style></head><body>
<div class="top"><h1>Code scanning</h1>
<div class="search">is:open branch:main tool:sagegate path:${filter}</div>
<div class="note">Rendered mock of the alert list for the demo's SARIF (not a screenshot). Titles, paths and severities are the log's.</div></div>
<div class="box"><div class="head">${selected.length} Open<span>0 Closed</span></div>${shown.join("\n")}<div class="row more">… ${selected.length - shown.length} more</div></div>
</body></html>`;
const htmlFile = join(work, "alert-list.html");
writeFileSync(htmlFile, html);
const out = join(root, "docs/images/sarif-alert-list.png");
const height = 250 + 57 * shown.length;
const r = spawnSync(
  chromium,
  ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--window-size=1100,${height}`, `--screenshot=${out}`, `file://${htmlFile}`],
  { encoding: "utf8" },
);
rmSync(work, { recursive: true, force: true });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
process.stdout.write(`${out}: ${shown.length} of ${selected.length} alerts under ${filter}\n`);
