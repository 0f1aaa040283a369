// `sagegate rules list`, `rules test` and `rules show`.
import { say } from "../i18n/index.js";
import Table from "cli-table3";
import type { Config } from "../config/config.js";
import { withDefaults } from "../config/config.js";
import { ExitCode } from "../errors.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRule } from "../evaluate/rule.js";
import { DEFAULT_FIX_CONFIG, englishQuote, fillSentence } from "../rules/explain.js";
import { docsBase, designUrl, rulePageUrl } from "../rules/links.js";
import { displayPath, requireRules, type RuleSet } from "../rules/load.js";
import { fixFor } from "../rules/remediation.js";
import { selectRules } from "../rules/select.js";
import { conventionProblems, runRuleTests, TEST_CONFIG } from "../rules/testing.js";
import type { LoadedRule } from "../rules/types.js";
import { rulePage } from "../report/model.js";
import { plural } from "../report/text.js";
import { wrapCommand, wrapText } from "../report/wrap.js";

/**
 * `linkBase` prefixes the rule page links of the Markdown table: "" inside the repository (the
 * README's table), the docs URL elsewhere.
 */
export function listRules(set: RuleSet, format: string, linkBase = ""): string {
  const rows = set.rules.map((r) => r.def);
  if (format === "json") {
    return (
      JSON.stringify(
        rows.map((d) => ({
          id: d.id,
          name: d.name,
          severity: d.severity,
          profile: d.profile,
          resourceType: d.resourceType,
          title: d.title,
          design: d.design.section,
        })),
        null,
        2,
      ) + "\n"
    );
  }
  if (format === "markdown") {
    const lines = ["| ID | Severity | Profile | Resource | Title | Design |", "|---|---|---|---|---|---|"];
    for (const d of rows) {
      const types = (Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType]).map((t) => t.replace(/^AWS::/, "")).join(", ");
      lines.push(
        `| [${d.id}](${linkBase}${rulePage(d.id)}) | ${d.severity} | ${d.profile} | ${types} | ${d.title.replace(/\|/g, "\\|")} | §${d.design.section} |`,
      );
    }
    return lines.join("\n") + "\n";
  }
  const table = new Table({ head: ["ID", "Severity", "Profile", "Resource", "Title"], style: { head: [], border: [] } });
  for (const d of rows) {
    const types = (Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType]).map((t) => t.replace(/^AWS::/, "")).join(", ");
    table.push([d.id, d.severity, d.profile, types, d.title]);
  }
  return table.toString() + `\n${plural(rows.length, "rule")}\n`;
}

/**
 * Runs the test cases of the rules (all, or those given by id or glob); returns the exit code:
 * 1 when a case or convention fails. An id that names no rule is a usage error (exit 2).
 */
export function testRules(loaded: RuleSet, ids: readonly string[], write: (s: string) => void): number {
  const set = requireRules(loaded);
  const chosen = ids.length > 0 ? new Set(selectRules(set.rules, { rule: ids }, undefined, { ruleOption: "" }).map((r) => r.def.id)) : undefined;
  const outcomes = runRuleTests(set, chosen);
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) write(`FAIL ${o.ruleId} "${o.caseName}" (${displayPath(o.file)}${o.line ? `:${o.line}` : ""}): ${o.problem}\n`);
  const problems = ids.length > 0 ? [] : conventionProblems(set);
  for (const p of problems) write(`FAIL ${displayPath(p.file)}: ${p.problem}\n`);
  const rules = new Set(outcomes.map((o) => o.ruleId)).size;
  write(
    `${plural(outcomes.length, "case")} in ${plural(rules, "rule")}: ${outcomes.length - failed.length} passed, ${failed.length} failed${problems.length ? `; ${plural(problems.length, "convention problem")}` : ""}\n`,
  );
  return failed.length > 0 || problems.length > 0 ? ExitCode.gateFailed : ExitCode.ok;
}

/**
 * A rule as a reviewer reads it: title, severity, the design's words and their English, why,
 * how to fix (with the command), what it checks in words, and its test cases. With a config, the
 * fix and the condition use its values; otherwise the rule tests' organisation.
 */
export function showRule(set: RuleSet, id: string, config: Config | undefined, width = 80): string {
  const rule = selectRules(set.rules, { rule: [id] }, undefined, { ruleOption: "" })[0]!;
  const d = rule.def;
  const base = docsBase(config?.docsUrl);
  const types = Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType];
  const out: string[] = [];
  const para = (text: string, indent = 2) => out.push(...wrapText(text, width - indent).map((l) => " ".repeat(indent) + l));
  out.push(...wrapText(`${d.id}: ${d.title}`, width));
  out.push("");
  para(`Severity ${d.severity} · profile ${d.profile} · ${types.join(", ")} · name ${d.name}`);
  para(`File ${displayPath(rule.file)} · page ${rulePageUrl(d.id, base)}`);
  const heading = (text: string) => out.push("", ...wrapText(text, width));
  heading(`What the design says (§${d.design.section}, ${designUrl(d.design.section, base)})`);
  para(d.design.quote.trim());
  const english = englishQuote(d);
  if (english) {
    out.push("  In English:");
    para(english, 4);
  }
  heading("Why it matters");
  para(d.rationale.trim());
  const fix = fixFor(d, config ?? DEFAULT_FIX_CONFIG);
  heading("How to fix");
  para(fix.text);
  out.push(...wrapCommand(fix.commands[0]!, width, 4));
  const fill = fillSentence(d).replace(/`/g, "");
  if (fill) para(fill);
  heading("What it checks");
  for (const line of conditionInWords(rule, set, config)) para(line);
  heading(`Test cases (${rule.tests.length}${rule.testFile ? `, ${displayPath(rule.testFile)}` : ""})`);
  for (const t of rule.tests) para(`${t.expect.padEnd(5)} ${t.name}`);
  if (rule.tests.length === 0) para("none");
  return out.join("\n") + "\n";
}

/** The compiled condition described in words, per resource type: which resources it applies to and what must hold. */
function conditionInWords(rule: LoadedRule, set: RuleSet, config: Config | undefined): string[] {
  const placeholders = new Placeholders(config ?? withDefaults({ ...TEST_CONFIG, teams: [...TEST_CONFIG.teams], projects: [...TEST_CONFIG.projects] }));
  const compiled = compileRule(rule, { placeholders, definitions: set.definitions });
  const lines: string[] = [];
  for (const [type, check] of compiled.byType) {
    const prefix = compiled.byType.size > 1 ? `${type}: ` : "";
    lines.push(
      `${prefix}applies to ${check.scope ? `resources where ${say(check.scope.describe, "en")}` : `every ${type}`}${rule.def.subjects ? ` (one subject per configured ${rule.def.subjects.fromConfig})` : ""};`,
    );
    lines.push(`${prefix}passes when ${say(check.check.describe, "en")}.`);
  }
  if (rule.def.message) lines.push(`Failure message: ${placeholders.text(rule.def.message)}`);
  return lines;
}
