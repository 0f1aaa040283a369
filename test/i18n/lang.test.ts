// --lang zh-CN through the CLI, as a user runs it: the English reports are byte-identical to what
// sagegate wrote before the Chinese existed, and the Chinese JSON and SARIF differ from the
// English only in human-facing text (ids, statuses, evidence, paths and fingerprints equal).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/report/wrap.js";
import { ROOT, runCli, tempDir } from "../helpers.js";

const DIGESTS = join(ROOT, "test/fixtures/i18n/english-before-i17.sha256.json");
const FORMATS = [
  ["table", "table.txt"],
  ["json", "json"],
  ["sarif", "sarif"],
  ["markdown", "md"],
  ["junit", "junit.xml"],
] as const;

/** Every report of a fixture, written by one run; paths relative to the repository root as in the digests. */
function reports(fixture: "demo" | "incomplete", extra: string[] = [], env: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir();
  const args = ["evaluate", `fixtures/${fixture}/snapshot.json`, "--config", `fixtures/${fixture}/sagegate.config.yaml`, "--fail-on", "none", ...extra];
  for (const [format, ext] of FORMATS) args.push("--format", format, "--output", join(dir, `${fixture}.${ext}`));
  const r = runCli(args, { env: { COLUMNS: "120", ...env } });
  expect([0, 3]).toContain(r.code);
  return Object.fromEntries(FORMATS.map(([, ext]) => [`${fixture}.${ext}`, readFileSync(join(dir, `${fixture}.${ext}`), "utf8")]));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("English output", () => {
  it("is byte-identical to the reports of before issue 17, with and without --lang en", () => {
    const file = JSON.parse(readFileSync(DIGESTS, "utf8")) as { "//": string; digests: Record<string, string> };
    const now = { ...reports("demo"), ...reports("incomplete") };
    const digests = Object.fromEntries(Object.entries(now).map(([name, text]) => [name, sha256(text)]));
    if (process.env.UPDATE_ENGLISH_DIGESTS === "1") writeFileSync(DIGESTS, JSON.stringify({ ...file, digests }, null, 2) + "\n");
    else expect(digests).toEqual(file.digests);
    expect(reports("demo", ["--lang", "en"])).toEqual(reports("demo"));
  });
});

/** The value with the fields a reader reads removed: what must not change with the language. */
function machineFacing(value: unknown, humanKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => machineFacing(v, humanKeys));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !humanKeys.has(k))
      .map(([k, v]) => [k, machineFacing(v, humanKeys)]),
  );
}

/** Paths of the string leaves that differ between two values of the same shape. */
function differingLeaves(a: unknown, b: unknown, at = ""): string[] {
  if (typeof a === "string" || typeof b === "string") return a === b ? [] : [at];
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return [];
  return Object.keys(a).flatMap((k) => differingLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
}

describe("--lang zh-CN", () => {
  const en = reports("demo");
  const zh = reports("demo", ["--lang", "zh-CN"]);

  it("writes the JSON report in Chinese, differing from the English only in human-facing text", () => {
    const [e, z] = [JSON.parse(en["demo.json"]!) as unknown, JSON.parse(zh["demo.json"]!) as unknown];
    // title, violationTitle, message and the fix's text are read by people; everything else (ids, statuses, evidence, commands) is not.
    const human = new Set(["title", "violationTitle", "message", "text"]);
    expect(machineFacing(z, human)).toEqual(machineFacing(e, human));
    const changed = differingLeaves(e, z);
    expect(changed.length).toBeGreaterThan(50);
    for (const path of changed) expect(path).toMatch(/\/(title|violationTitle|message|text)$/);
    const failure = (z as { results: Array<{ ruleId: string; status: string; message: string; evidence: unknown[] }> }).results.find(
      (r) => r.ruleId === "SG005" && r.status === "fail",
    )!;
    expect(failure.message).toBe("处理安全组的入站规则超出设计表（§2.2.2）：入站 TCP 22（来源 0.0.0.0/0）");
    // Evidence is the same in every language, its reasons in English.
    expect(failure.evidence).toContainEqual(expect.objectContaining({ reason: "ingress TCP 22 from 0.0.0.0/0", direction: "ingress", permission: "TCP 22" }));
  });

  it("writes SARIF in Chinese with the same rule ids, levels, locations and fingerprints", () => {
    const [e, z] = [JSON.parse(en["demo.sarif"]!) as SarifLog, JSON.parse(zh["demo.sarif"]!) as SarifLog];
    const human = new Set(["text", "markdown"]);
    expect(machineFacing(z, human)).toEqual(machineFacing(e, human));
    for (const path of differingLeaves(e, z)) expect(path).toMatch(/\/(text|markdown)$/);
    const fingerprints = (log: SarifLog) => log.runs[0]!.results.map((r) => r.partialFingerprints);
    expect(fingerprints(z)).toEqual(fingerprints(e));
    const sg009 = z.runs[0]!.results.find((r) => r.ruleId === "SG009")!;
    expect(sg009.message.text).toContain("入站 TCP 22 向互联网开放（0.0.0.0/0）（§2.1）");
    const rule = z.runs[0]!.tool.driver.rules.find((r) => r.id === "SG009")!;
    expect(rule.shortDescription.text).toBe("工作负载安全组允许来自互联网的入站流量。");
    expect(rule.help.markdown).toContain("### 为什么重要");
  });

  it("writes the table, Markdown and JUnit in Chinese", () => {
    expect(zh["demo.table.txt"]).toContain("严重（2）");
    expect(zh["demo.table.txt"]).toMatch(/│ # +│ 规则 +│ 状态 +│ 资源 +│ 发现 +│/);
    expect(zh["demo.table.txt"]).toContain("修复方法（严重）");
    expect(zh["demo.table.txt"]).toMatch(/sagegate：\d+ 条规则；检查了 \d+ 个资源；/);
    expect(zh["demo.md"]).toMatch(/^## sagegate：\d+ 项检查不通过/);
    expect(zh["demo.md"]).toContain("| 严重级别 | 不通过 | 已豁免 | 无法评估 | 通过 |");
    expect(zh["demo.md"]).toContain("### 修复方法");
    expect(zh["demo.junit.xml"]).toContain("修复方法：");
    // Machine-facing values of the XML are the same: test case ids and names (ARNs), types (severities), counts.
    const attrs = (xml: string) => [...xml.matchAll(/ (?:(?:classname|id|type|tests|failures|errors|skipped)="[^"]*"|name="arn:[^"]*")/g)].map((m) => m[0]);
    expect(attrs(zh["demo.junit.xml"]!)).toEqual(attrs(en["demo.junit.xml"]!));
    expect(attrs(en["demo.junit.xml"]!).length).toBeGreaterThan(100);
  });

  it("fits the terminal: every table line is at most the width, CJK counted as two columns", () => {
    // (At 60 columns the coverage table is wider than the terminal in English too: cli-table3 does not wrap it.)
    for (const width of [80, 100, 160]) {
      const r = runCli(["evaluate", "fixtures/demo/snapshot.json", "--config", "fixtures/demo/sagegate.config.yaml", "--fail-on", "none", "--lang", "zh-CN"], {
        env: { COLUMNS: String(width) },
      });
      const lines = r.stdout.split("\n");
      expect(lines.some((l) => /[\u4e00-\u9fff]/.test(l))).toBe(true);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      // Box rows line up: every row of a table is as wide as its top border.
      const boxed = lines.filter((l) => /^[┌│├└]/.test(l));
      expect(new Set(boxed.map(displayWidth)).size).toBeLessThanOrEqual(2);
    }
  });

  it("is also chosen by `language: zh-CN` in the configuration, and --lang wins over it", () => {
    const dir = tempDir();
    const config = join(dir, "sagegate.config.yaml");
    writeFileSync(config, readFileSync(join(ROOT, "fixtures/demo/sagegate.config.yaml"), "utf8") + "\nlanguage: zh-CN\n");
    const run = (extra: string[]) =>
      runCli(["evaluate", "fixtures/demo/snapshot.json", "--config", config, "--fail-on", "none", "--format", "json", "--output", "-", ...extra]).stdout;
    expect(run([])).toBe(zh["demo.json"]);
    expect(run(["--lang", "en"])).toBe(en["demo.json"]);
  });

  it("refuses a language it does not have, with exit 2", () => {
    const r = runCli(["evaluate", "fixtures/demo/snapshot.json", "--config", "fixtures/demo/sagegate.config.yaml", "--lang", "fr"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lang.*fr.*en, zh-CN/);
    const dir = tempDir();
    const config = join(dir, "c.yaml");
    writeFileSync(config, readFileSync(join(ROOT, "fixtures/demo/sagegate.config.yaml"), "utf8") + "\nlanguage: zh\n");
    const bad = runCli(["evaluate", "fixtures/demo/snapshot.json", "--config", config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("language");
  });
});

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; shortDescription: { text: string }; help: { markdown: string } }> } };
    results: Array<{ ruleId: string; message: { text: string }; partialFingerprints: unknown }>;
  }>;
}
