// `sagegate rules list` and `sagegate rules test`.
import Table from "cli-table3";
import { loadRuleSet, displayPath, requireRules, type RuleSet } from "../rules/load.js";
import { conventionProblems, runRuleTests } from "../rules/testing.js";
import { ExitCode } from "../errors.js";
import { rulePage } from "../report/model.js";

export function listRules(set: RuleSet, format: string): string {
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
      lines.push(`| [${d.id}](${rulePage(d.id)}) | ${d.severity} | ${d.profile} | ${types} | ${d.title.replace(/\|/g, "\\|")} | §${d.design.section} |`);
    }
    return lines.join("\n") + "\n";
  }
  const table = new Table({ head: ["ID", "Severity", "Profile", "Resource", "Title"], style: { head: [], border: [] } });
  for (const d of rows) {
    const types = (Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType]).map((t) => t.replace(/^AWS::/, "")).join(", ");
    table.push([d.id, d.severity, d.profile, types, d.title]);
  }
  return table.toString() + `\n${rows.length} rules\n`;
}

/** Runs every rule's test cases; returns the exit code (1 when any case or convention fails). */
export function testRules(rulesDir: string | undefined, ids: readonly string[], write: (s: string) => void): number {
  const set = requireRules(loadRuleSet(rulesDir));
  const known = new Set(set.rules.map((r) => r.def.id));
  for (const id of ids) if (!known.has(id)) write(`unknown rule id ${id}\n`);
  const outcomes = runRuleTests(set, ids.length > 0 ? new Set(ids) : undefined);
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) write(`FAIL ${o.ruleId} "${o.caseName}" (${displayPath(o.file)}${o.line ? `:${o.line}` : ""}): ${o.problem}\n`);
  const problems = ids.length > 0 ? [] : conventionProblems(set);
  for (const p of problems) write(`FAIL ${displayPath(p.file)}: ${p.problem}\n`);
  const rules = new Set(outcomes.map((o) => o.ruleId)).size;
  write(
    `${outcomes.length} cases in ${rules} rules: ${outcomes.length - failed.length} passed, ${failed.length} failed${problems.length ? `; ${problems.length} convention problems` : ""}\n`,
  );
  return failed.length > 0 || problems.length > 0 || ids.some((id) => !known.has(id)) ? ExitCode.gateFailed : ExitCode.ok;
}
