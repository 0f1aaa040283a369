// The table as people read it in a terminal or a CI log: never wider than the terminal, ids
// wrapped inside their cell (never cut), an account column for several accounts, the table as
// the default output, colour rules, singular and plural, and the report files named at the end.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsArgumentsOf, commandAt, DEMO_CONFIG, DEMO_SNAPSHOT, longestLine, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const demo = (extra: string[], env: Record<string, string> = {}) =>
  runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--fail-on", "none", ...extra], { env });
const INCOMPLETE = [
  "evaluate",
  join(ROOT, "fixtures/incomplete/snapshot.json"),
  "--config",
  join(ROOT, "fixtures/incomplete/sagegate.config.yaml"),
  "--fail-on",
  "none",
  "--allow-incomplete",
];

/** Each row's cells, column by column, with the cell's lines joined (a wrapped id comes back whole). */
function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  let current: string[][] | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("├") || line.startsWith("┌") || line.startsWith("└")) {
      if (current) rows.push(current.map((parts) => parts.join("")));
      current = line.startsWith("└") ? undefined : [];
      continue;
    }
    if (!line.startsWith("│") || !current) continue;
    line
      .slice(1, -1)
      .split("│")
      .forEach((cell, i) => (current![i] ??= []).push(cell.trim()));
  }
  return rows;
}

describe("the table fits the terminal", () => {
  for (const columns of [80, 100, 120, 200]) {
    it(`at ${columns} columns no line is longer, and every failing resource's id is whole in its cell`, () => {
      const r = demo([], { COLUMNS: String(columns) });
      expect(r.code, r.stderr).toBe(0);
      expect(longestLine(r.stdout)).toBeLessThanOrEqual(columns);
      if (columns === 200) expect(longestLine(r.stdout)).toBeGreaterThan(150); // it uses the room it has
    });
  }

  it("wraps long ids inside their cell instead of cutting them", () => {
    const r = demo([], { COLUMNS: "80" });
    const report = JSON.parse(demo(["-f", "json"]).stdout);
    const rows = tableRows(r.stdout).filter((row) => /^\d+$/.test(row[0] ?? ""));
    const failing = report.results.filter((x: any) => x.status !== "pass");
    expect(rows).toHaveLength(failing.length);
    const cells = rows.map((row) => row[3]!.replace(/\s/g, ""));
    for (const f of failing)
      expect(
        cells.some((c) => c.includes(f.resource.id.replace(/\s/g, ""))),
        f.resource.id,
      ).toBe(true);
    expect(cells.some((c) => c.endsWith("…"))).toBe(false); // nothing cut with an ellipsis
    expect(cells.some((c) => c.includes("3333cccc-9e40-4d3f-b15c-708f9eadbc23"))).toBe(true);
  });

  it("on the demo at 80 columns, every failing row leads to a command the reader can paste", () => {
    const r = demo([], { COLUMNS: "80" });
    const rows = tableRows(r.stdout).filter((row) => /^\d+$/.test(row[0] ?? "") && (row[2] === "fail" || row[2] === "new"));
    expect(rows.length).toBe(36);
    const lines = r.stdout.split("\n");
    for (const row of rows) {
      // The row's number labels a group of commands in the "How to fix" block that follows its table.
      const label = lines.findIndex((l) => new RegExp(`^  (#\\d+, )*#${row[0]}\\b.*:$`).test(l));
      expect(label, `finding #${row[0]} (${row[1]})`).toBeGreaterThan(0);
      expect(lines[label + 1]).toMatch(/^ {4}aws [a-z0-9-]+ [a-z0-9-]+/);
      expect(() => awsArgumentsOf(commandAt(r.stdout, "aws ", label + 1).replace(/<[a-z0-9-]+>/g, "X"))).not.toThrow();
    }
  });

  it("COLUMNS below the minimum still gives a usable table laid out for 60 columns", () => {
    const r = demo([], { COLUMNS: "40" });
    expect(r.code).toBe(0);
    const coverage = r.stdout.indexOf("\nCoverage:");
    expect(coverage).toBeGreaterThan(0);
    expect(longestLine(r.stdout.slice(0, coverage))).toBeLessThanOrEqual(60);
    // The coverage table (one row per rule) needs about 71 columns.
    expect(longestLine(r.stdout)).toBeLessThanOrEqual(80);
  });

  it("shows an account column only when the run holds more than one account", () => {
    const multi = runCli(INCOMPLETE, { env: { COLUMNS: "100" } });
    expect(multi.code, multi.stderr).toBe(0);
    expect(multi.stdout).toMatch(/│ Account +│/);
    expect(longestLine(multi.stdout)).toBeLessThanOrEqual(100);
    const rows = tableRows(multi.stdout).filter((row) => /^\d+$/.test(row[0] ?? ""));
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(["111122223333", "444455556666"]));
    expect(demo([], { COLUMNS: "100" }).stdout).not.toMatch(/│ Account +│/);
  });
});

describe("the default output is the table", () => {
  it("without --format, on a pipe as on a terminal", () => {
    const r = demo([]);
    expect(r.stdout).toMatch(/^\nCRITICAL \(2\)\n┌/);
    expect(r.stdout).toMatch(/How to fix \(critical\)/);
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it("-o - alone is the table too; --format json is explicit", () => {
    expect(demo(["-o", "-"]).stdout).toMatch(/^\nCRITICAL/);
    expect(JSON.parse(demo(["--format", "json"]).stdout).reportVersion).toBe(1);
  });

  it("the extension picks the format: .sarif.json is SARIF, .junit.xml JUnit, .json JSON; .xml needs --format", () => {
    const dir = tempDir();
    const sarif = join(dir, "r.sarif.json");
    const junit = join(dir, "r.junit.xml");
    const json = join(dir, "r.json");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--fail-on", "none", "--repo-root", ROOT, "-o", sarif, "-o", junit, "-o", json]);
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(sarif).version).toBe("2.1.0");
    expect(readFileSync(junit, "utf8")).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(readJson(json).reportVersion).toBe(1);
    const xml = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-o", join(dir, "r.xml")]);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toMatch(/cannot tell the format of --output .*r\.xml .*--format junit/);
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "--fail-on", "none", "-f", "junit", "-o", join(dir, "plain.xml")]).code).toBe(0);
    expect(existsSync(join(dir, "plain.xml"))).toBe(true);
  });
});

describe("colour and words", () => {
  const ESC = "\x1b[";
  it("FORCE_COLOR=1 colours the table on standard output; NO_COLOR, FORCE_COLOR=0 and --no-color turn it off", () => {
    expect(demo([], { NO_COLOR: "", FORCE_COLOR: "1" }).stdout).toContain(ESC);
    expect(demo([], { NO_COLOR: "1", FORCE_COLOR: "1" }).stdout).not.toContain(ESC);
    expect(demo([], { NO_COLOR: "", FORCE_COLOR: "0" }).stdout).not.toContain(ESC);
    expect(demo(["--no-color"], { NO_COLOR: "", FORCE_COLOR: "1" }).stdout).not.toContain(ESC);
    // Never into a file.
    const file = join(tempDir(), "t.txt");
    expect(demo(["-o", file], { NO_COLOR: "", FORCE_COLOR: "1" }).code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toContain(ESC);
  });

  it("counts are singular for one and plural otherwise", () => {
    const one = demo(["--rule", "SG009"], { COLUMNS: "200" });
    expect(one.stdout).toMatch(/sagegate: 1 rule; 5 resources checked; 5 checks: 4 passed, 1 failed \(1 critical\)/);
    const all = demo([], { COLUMNS: "200" });
    expect(all.stdout).toMatch(/sagegate: 32 rules; \d+ resources checked; 104 checks:/);
    const dir = tempDir();
    const waivers = join(dir, "w.yaml");
    writeFileSync(waivers, "waivers:\n  - rule: SG003\n    resource: sg-nothing\n    reason: matches nothing at all\n    owner: me\n    expires: 2099-01-01\n");
    const unused = demo(["--waivers", waivers], { COLUMNS: "200" });
    expect(unused.stdout).toMatch(/; 1 unused waiver\n/);
    expect(unused.stderr).toMatch(/matches no finding \(unused\)/);
  });

  it("the summary's resource count says what it counts: checked by evaluate, in the snapshot for validate", () => {
    expect(demo([], { COLUMNS: "200" }).stdout).toMatch(/; 39 resources checked;/);
    expect(runCli(["validate", DEMO_SNAPSHOT]).stdout).toMatch(/\(1 account, 2 regions, \d+ resources in the snapshot, 0 collection errors\)/);
  });

  it("npm start's command ends by naming the report files it wrote", () => {
    const dir = tempDir();
    const pkg = readJson(join(ROOT, "package.json"));
    const args = (pkg.scripts.start as string)
      .replace(/^node dist\/cli\/main\.js /, "")
      .replace(/reports\//g, `${dir}/`)
      .split(" ");
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\nCRITICAL/);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(`sagegate: wrote ${dir}/demo.json (json), ${dir}/demo.md (markdown)`);
  });
});
