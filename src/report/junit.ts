// JUnit XML for CI test reporters (Jenkins, GitLab, Azure DevOps, GitHub test-report actions):
// one <testsuite> per rule, one <testcase> per (rule, resource) with classname the rule id and
// name the resource's ARN. A failure is <failure message type=severity> with the message, the
// evidence and the fix; a check that could not be evaluated is <error>; a waived one <skipped>.
// Validated in the tests against the JUnit schema Jenkins' xUnit plugin uses for Surefire reports
// (test/junit/junit-10.xsd). No clock and no host: the same inputs give the same bytes.
import type { EvaluationResult } from "../evaluate/engine.js";
import { rulePageUrl } from "../rules/links.js";
import { fixFor } from "../rules/remediation.js";
import { bySeverityThenRule, type Report } from "./model.js";
import type { Renderer } from "./renderer.js";
import type { Sink } from "./sink.js";
import { findingText } from "./text.js";

export const writeJunitReport: Renderer = async (report, sink) => {
  await writeJunit(report, sink);
};

export async function writeJunit(report: Report, sink: Sink): Promise<void> {
  const byRule = new Map<string, EvaluationResult[]>(report.rules.map((r) => [r.def.id, []]));
  for (const r of report.results) byRule.get(r.rule.def.id)?.push(r);
  const s = report.summary.byStatus;
  const total = s.pass + s.fail + s.error + s.waived;
  sink.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  sink.write(`<testsuites name="sagegate" tests="${total}" failures="${s.fail}" errors="${s.error}" time="0">\n`);
  let written = 0;
  for (const rule of report.rules) {
    const d = rule.def;
    const results = byRule.get(d.id)!.sort(bySeverityThenRule);
    const count = (status: string) => results.filter((r) => r.status === status).length;
    sink.write(
      `  <testsuite name="${attr(`${d.id} ${d.title}`)}" id="${attr(d.id)}" package="sagegate" tests="${results.length}" failures="${count("fail")}" errors="${count("error")}" skipped="${count("waived")}" time="0">\n`,
    );
    sink.write("    <properties>\n");
    for (const [name, value] of [
      ["severity", d.severity],
      ["profile", d.profile],
      ["design", `§${d.design.section}`],
      ["helpUri", rulePageUrl(d.id, report.docsBase)],
    ]) {
      sink.write(`      <property name="${name}" value="${attr(value!)}"/>\n`);
    }
    sink.write("    </properties>\n");
    for (const r of results) {
      sink.write(testcase(r, report));
      if (++written % 16384 === 0) await sink.breathe?.();
    }
    sink.write("  </testsuite>\n");
  }
  sink.write("</testsuites>\n");
}

function testcase(r: EvaluationResult, report: Report): string {
  const open = `    <testcase classname="${attr(r.rule.def.id)}" name="${attr(r.resource.arn)}" time="0"`;
  switch (r.status) {
    case "pass":
      return `${open}/>\n`;
    case "fail":
      return `${open}>\n      <failure message="${attr(findingText(r))}" type="${r.rule.def.severity}">${text(failureBody(r, report))}</failure>\n    </testcase>\n`;
    case "error":
      return `${open}>\n      <error message="${attr(r.message)}" type="not-evaluated">${text(`${r.resource.type} ${r.resource.id} in ${r.resource.accountId} ${r.resource.region}: ${r.message}`)}</error>\n    </testcase>\n`;
    case "waived":
      return `${open}>\n      <skipped message="${attr(findingText(r))}"/>\n    </testcase>\n`;
  }
}

function failureBody(r: EvaluationResult, report: Report): string {
  const fix = fixFor(r.rule.def, report.config, r);
  const lines = [
    `${r.resource.type} ${r.resource.id} (${r.resource.arn}) in ${r.resource.accountId} ${r.resource.region}`,
    `${r.rule.def.id} (${r.rule.def.severity}): ${r.rule.def.title}`,
    r.message,
    "",
    "Evidence:",
    ...r.evidence.map((e) => `  ${JSON.stringify(e)}`),
    "",
    `How to fix: ${fix.text}`,
    ...fix.commands.map((c) => `  ${c}`),
    "",
    `Rule page: ${rulePageUrl(r.rule.def.id, report.docsBase)}`,
  ];
  return lines.join("\n");
}

// XML 1.0 allows tab, newline and carriage return among the controls, and no lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(value: string): string {
  return value.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value; newlines and tabs are kept as character references (they would be normalised to spaces). */
function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
