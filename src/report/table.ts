// Terminal table: failures, waived failures and errors grouped by severity, each numbered; after
// each group, how to fix its failures (the rule's title and fix, then the command for each
// resource, ready to paste); then the summary. Nothing is wider than the terminal: cells are
// wrapped (long ids broken inside their cell, never cut) and commands use line continuations.
import { t, type Lang } from "../i18n/index.js";
import type { EvaluationResult } from "../evaluate/engine.js";
import { declarationText, fixFor } from "../rules/remediation.js";
import { SEVERITIES } from "../rules/types.js";
import { bySeverityThenRule, sourceText, type Report } from "./model.js";
import type { Sink } from "./sink.js";
import { findingText, severityWord, summaryLine } from "./text.js";
import { displayWidth, wrapCommand, wrapText } from "./wrap.js";
import { coverageTable } from "./coverage-sections.js";

const SHOWN_PER_SEVERITY = 200;
/** Narrower than this, the columns cannot hold their content; the table is laid out for this width. */
export const MIN_WIDTH = 60;
export const DEFAULT_WIDTH = 80;

export interface TableOptions {
  color?: boolean;
  /** Terminal width; every line of the table fits in it (at least MIN_WIDTH). */
  width?: number;
}

/**
 * How the table is drawn for a target: the terminal's width (process.stdout.columns on a
 * terminal, else COLUMNS, else 80) and colour only on a terminal, never with NO_COLOR,
 * FORCE_COLOR=0 or --no-color (which sets NO_COLOR); FORCE_COLOR=1 forces it on standard output.
 */
export function tableOptionsFor(
  target: string,
  env: NodeJS.ProcessEnv = process.env,
  stdout: Pick<NodeJS.WriteStream, "isTTY" | "columns"> = process.stdout,
): TableOptions {
  const toStdout = target === "-";
  const columns = toStdout && stdout.isTTY && stdout.columns > 0 ? stdout.columns : /^\d+$/.test(env.COLUMNS ?? "") ? Number(env.COLUMNS) : DEFAULT_WIDTH;
  const noColor = (env.NO_COLOR ?? "") !== "" || env.FORCE_COLOR === "0" || env.TERM === "dumb";
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return { width: columns > 0 ? columns : DEFAULT_WIDTH, color: toStdout && !noColor && (forced || stdout.isTTY === true) };
}

interface Row {
  n: number;
  result: EvaluationResult;
}

export function writeTableReport(report: Report, sink: Sink, options: TableOptions = {}): void {
  const paint = options.color ? colors : plain;
  const width = Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH);
  const findings = report.results.filter((r) => r.status !== "pass").sort(bySeverityThenRule);
  const multiAccount = report.snapshot.accounts.length > 1;
  const lang = report.lang;
  let n = 0;
  for (const severity of SEVERITIES) {
    const group = findings.filter((r) => r.rule.def.severity === severity);
    if (group.length === 0) continue;
    const rows: Row[] = group.slice(0, SHOWN_PER_SEVERITY).map((result) => ({ n: ++n, result }));
    const word = severityWord(severity, lang);
    sink.write(`\n${paint.severity(severity, t(lang, "report.table.group", { severity: word.toUpperCase(), n: group.length }))}\n`);
    sink.write(findingsTable(rows, width, multiAccount, paint, options.color === true, lang) + "\n");
    if (group.length > SHOWN_PER_SEVERITY) {
      n += group.length - SHOWN_PER_SEVERITY;
      sink.write(wrapText(t(lang, "report.table.more", { n: group.length - SHOWN_PER_SEVERITY, severity: word }), width).join("\n") + "\n");
    }
    const fixes = fixesBlock(
      report,
      rows.filter((r) => r.result.status === "fail"),
      width,
    );
    if (fixes.length > 0) sink.write(`\n${t(lang, "report.table.fixes", { severity: word })}\n` + fixes.join("\n") + "\n");
  }
  sink.write(fitted(coverageTable(report, { color: options.color ?? false }), width));
  sink.write(`\n${wrapText(summaryLine(report), width).join("\n")}\n`);
}

/** Prose lines wrapped to the width; box-drawn lines (a table that fits) as they are. */
function fitted(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => (/^[┌│├└]/.test(line) || displayWidth(line) <= width ? [line] : wrapText(line, width)))
    .join("\n");
}

/** Column widths (content plus one space of padding each side) that add up to `width` with the borders. */
function layout(rows: readonly Row[], width: number, multiAccount: boolean, head: readonly string[]): { widths: number[]; resource: number; finding: number } {
  const [, ruleHead, statusHead, accountHead] = head.map(displayWidth);
  const numberWidth = String(rows[rows.length - 1]?.n ?? 1).length + 2;
  const ruleWidth = Math.max(ruleHead!, ...rows.map((r) => r.result.rule.def.id.length)) + 2;
  const statusWidth = Math.max(statusHead!, ...rows.map((r) => displayWidth(statusWord(r.result, r.result.rule.lang)))) + 2;
  const accountWidth = multiAccount ? Math.max(12, accountHead!) + 2 : 0;
  const columns = multiAccount ? 6 : 5;
  const free = width - (columns + 1) - numberWidth - ruleWidth - statusWidth - accountWidth;
  // Wide enough for the longest id when that leaves the finding half the room, else 40 %.
  const longest = Math.max(...rows.map((r) => Math.max(r.result.resource.id.length, shortType(r.result.resource.type).length))) + 2;
  const resource = Math.max(14, Math.min(longest, Math.floor(free * 0.5), 48), Math.floor(free * 0.4));
  const finding = free - resource;
  const widths = [numberWidth, ruleWidth, statusWidth, ...(multiAccount ? [accountWidth] : []), resource, finding];
  return { widths, resource, finding };
}

function findingsTable(rows: readonly Row[], width: number, multiAccount: boolean, paint: Paint, color: boolean, lang: Lang): string {
  const words = (["number", "rule", "status", "account", "resource", "finding"] as const).map((k) => t(lang, `report.table.${k}`));
  const { widths, resource, finding } = layout(rows, width, multiAccount, words);
  const [number, rule, status, account, resourceHead, findingHead] = words;
  const head = [number!, rule!, status!, ...(multiAccount ? [account!] : []), resourceHead!, findingHead!].map((h) => [color ? `\x1b[1m${h}\x1b[0m` : h]);
  const body = rows.map(({ n, result: r }) => [
    [String(n)],
    [r.rule.def.id],
    [paint.status(r.status, statusWord(r, lang))],
    ...(multiAccount ? [[r.resource.accountId]] : []),
    [shortType(r.resource.type), r.resource.id, r.resource.region, ...(r.resource.source ? [sourceText(r.resource.source)!] : [])].flatMap((line) =>
      wrapText(line, resource - 2),
    ),
    wrapText(findingText(r), finding - 2),
  ]);
  return drawBox(widths, head, body);
}

/**
 * A box-drawn table. `widths` include one space of padding on each side; cells are lists of
 * lines that already fit (wrapped by the caller), so nothing is ever cut.
 */
function drawBox(widths: readonly number[], head: string[][], rows: string[][][]): string {
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => "─".repeat(w)).join(mid) + right;
  const lines = [rule("┌", "┬", "┐")];
  const row = (cells: string[][]) => {
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) {
      lines.push("│" + cells.map((c, k) => ` ${pad(c[i] ?? "", widths[k]! - 2)} `).join("│") + "│");
    }
  };
  row(head);
  for (const cells of rows) {
    lines.push(rule("├", "┼", "┤"));
    row(cells);
  }
  lines.push(rule("└", "┴", "┘"));
  return lines.join("\n");
}

function pad(text: string, width: number): string {
  // eslint-disable-next-line no-control-regex -- colour codes take no column
  const visible = displayWidth(text.replace(/\x1b\[[0-9;]*m/g, ""));
  return text + " ".repeat(Math.max(0, width - visible));
}

function statusWord(r: EvaluationResult, lang: Lang): string {
  const status = r.status === "fail" && r.baselineState === "new" ? "new" : r.status;
  return t(lang, `report.status.${status}`);
}

/**
 * For each rule with failures in the group: its title and fix text once, then for each failing
 * resource the finding's number and the command(s), filled in for it. A command that is the same
 * for every resource of the rule is printed once.
 */
function fixesBlock(report: Report, rows: readonly Row[], width: number): string[] {
  const out: string[] = [];
  const byRule = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byRule.get(row.result.rule.def.id) ?? [];
    list.push(row);
    byRule.set(row.result.rule.def.id, list);
  }
  for (const [id, list] of byRule) {
    const def = list[0]!.result.rule.def;
    const fixes = list.map((row) => ({ row, fix: fixFor(def, report.config, row.result, false) }));
    out.push("", ...wrapText(`${id} ${def.title}`, width));
    out.push(...wrapText(fixes[0]!.fix.text, width - 2).map((l) => "  " + l));
    // Declared resources have no command (their fix is in the file): each is named with its place.
    const same = fixes.every((f) => f.fix.commands.length > 0 && f.fix.commands.join("\n") === fixes[0]!.fix.commands.join("\n"));
    const label = (f: (typeof fixes)[number]) => {
      const source = f.row.result.resource.source;
      return source ? t(report.lang, "report.table.fixInCode", { n: f.row.n, place: declarationText(source) }) : `#${f.row.n} ${f.row.result.resource.id}`;
    };
    const groups =
      same && fixes.length > 1
        ? [{ label: fixes.map((f) => `#${f.row.n}`).join(", "), commands: fixes[0]!.fix.commands }]
        : fixes.map((f) => ({ label: label(f), commands: f.fix.commands }));
    for (const g of groups) {
      out.push(...wrapText(g.commands.length > 0 ? `${g.label}:` : g.label, width - 2).map((l) => "  " + l));
      for (const command of g.commands) out.push(...wrapCommand(command, width, 4));
    }
  }
  return out;
}

function shortType(type: string): string {
  return type.replace(/^AWS::/, "");
}

interface Paint {
  severity(s: string, t: string): string;
  status(s: string, t: string): string;
}

const plain: Paint = { severity: (_s, t) => t, status: (_s, t) => t };
const SEVERITY_COLORS: Record<string, string> = { critical: "\x1b[1;31m", high: "\x1b[31m", medium: "\x1b[33m", low: "\x1b[36m" };
const STATUS_COLORS: Record<string, string> = { error: "\x1b[35m", unresolved: "\x1b[35m", waived: "\x1b[2m" };
const colors: Paint = {
  severity: (s, t) => `${SEVERITY_COLORS[s] ?? ""}${t}\x1b[0m`,
  status: (s, t) => (STATUS_COLORS[s] ? `${STATUS_COLORS[s]}${t}\x1b[0m` : t),
};
