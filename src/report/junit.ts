// JUnit XML for CI test reporters (Jenkins, GitLab, Azure DevOps, GitHub test-report actions):
// one <testsuite> per rule, one <testcase> per (rule, resource) with classname the rule id and
// name the resource's ARN. A failure is <failure message type=severity> with the message, the
// evidence and the fix; a check that could not be evaluated is <error>; a waived one <skipped>.
// Validated in the tests against the JUnit schema Jenkins' xUnit plugin uses for Surefire reports
// (test/junit/junit-10.xsd). No clock and no host: the same inputs give the same bytes.
import { t, type Lang } from "../i18n/index.js";
import type { EvaluationResult } from "../evaluate/engine.js";
import { rulePageUrl } from "../rules/links.js";
import { fixFor } from "../rules/remediation.js";
import { bySeverityThenRule, type Report } from "./model.js";
import type { Renderer } from "./renderer.js";
import type { Sink } from "./sink.js";
import { causeText, findingText } from "./text.js";

export const writeJunitReport: Renderer = async (report, sink) => {
  await writeJunit(report, sink);
};

export async function writeJunit(report: Report, sink: Sink): Promise<void> {
  const byRule = new Map<string, EvaluationResult[]>(report.rules.map((r) => [r.def.id, []]));
  for (const r of report.results) byRule.get(r.rule.def.id)?.push(r);
  const s = report.summary.byStatus;
  // An unresolved check (sagegate plan) could not be evaluated either: it counts among the errors.
  const unresolved = s.unresolved ?? 0;
  const total = s.pass + s.fail + s.error + s.waived + unresolved;
  sink.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  sink.write(`<testsuites name="sagegate" tests="${total}" failures="${s.fail}" errors="${s.error + unresolved}" time="0">\n`);
  let written = 0;
  for (const rule of report.rules) {
    const d = rule.def;
    const results = byRule.get(d.id)!.sort(bySeverityThenRule);
    const count = (status: string) => results.filter((r) => r.status === status).length;
    sink.write(
      `  <testsuite name="${attr(`${d.id} ${d.title}`)}" id="${attr(d.id)}" package="sagegate" tests="${results.length}" failures="${count("fail")}" errors="${count("error") + count("unresolved")}" skipped="${count("waived")}" time="0">\n`,
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
      return `${open}>\n      <error message="${attr(r.message)}" type="not-evaluated">${text(t(report.lang, "report.junit.errorIn", { type: r.resource.type, id: r.resource.id, account: r.resource.accountId, region: r.resource.region, message: r.message }))}</error>\n    </testcase>\n`;
    case "waived":
      return `${open}>\n      <skipped message="${attr(findingText(r))}"/>\n    </testcase>\n`;
    case "unresolved":
      return `${open}>\n      <error message="${attr(findingText(r))}" type="unresolved">${text(unresolvedBody(r))}</error>\n    </testcase>\n`;
  }
}

/** What an unresolved check needs, and where the resource is declared. */
function unresolvedBody(r: EvaluationResult): string {
  return [
    `${r.resource.type} ${r.resource.id}${declaredAt(r)} in ${r.resource.accountId} ${r.resource.region}: ${r.message}`,
    ...(r.unresolved ?? []).map((c) => `  needs ${causeText(c)}`),
  ].join("\n");
}

/** " declared at file:line" for a resource declared in code. */
function declaredAt(r: EvaluationResult, lang: Lang = "en"): string {
  const source = r.resource.source;
  return source ? t(lang, "report.junit.declaredAt", { file: source.file, line: source.line }) : "";
}

function failureBody(r: EvaluationResult, report: Report): string {
  const fix = fixFor(r.rule.def, report.config, r);
  const lang = report.lang;
  const res = r.resource;
  const severity = lang === "en" ? r.rule.def.severity : t(lang, `report.severity.${r.rule.def.severity}`);
  const lines = [
    t(lang, "report.junit.in", { type: res.type, id: res.id, arn: res.arn, declared: declaredAt(r, lang), account: res.accountId, region: res.region }),
    `${r.rule.def.id} (${severity}): ${r.rule.def.title}`,
    r.message,
    "",
    t(lang, "report.junit.evidence"),
    ...r.evidence.map((e) => `  ${JSON.stringify(e)}`),
    "",
    t(lang, "report.junit.fix", { text: fix.text }),
    ...fix.commands.map((c) => `  ${c}`),
    "",
    t(lang, "report.junit.page", { url: rulePageUrl(r.rule.def.id, report.docsBase) }),
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
