// SARIF reporting descriptors: one per rule of the run, plus `sagegate/not-evaluated` for the
// calls that failed. GitHub shows `shortDescription` as an alert's title, so it is the rule's
// violation phrasing; a rule's `security-severity` is what makes GitHub list its alerts as
// security alerts (and it wins over a result's level), so only security rules carry one.
import { basename, dirname } from "node:path";
import type * as Sarif from "sarif";
import type { CompiledRule } from "../evaluate/rule.js";
import { explanationMarkdown, helpText } from "../rules/explain.js";
import { docsBase, rulePageUrl } from "../rules/links.js";
import type { Severity } from "../rules/types.js";
import { TOOL } from "../version.js";
import type { Report } from "./model.js";

/** GitHub reads `security-severity` as a score: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, < 4.0 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
export const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** `problem.severity`, GitHub's severity of alerts that are not security alerts (CodeQL writes it the same way). */
export const PROBLEM_SEVERITY: Record<Severity, "error" | "warning" | "recommendation"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "recommendation",
};

/** The rule under which each failed AWS call of an incomplete scan is reported. */
export const NOT_EVALUATED_RULE_ID = "sagegate/not-evaluated";

/** GitHub's limit on fullDescription and shortDescription. */
const MAX_DESCRIPTION_CHARS = 1_024;
/** GitHub keeps 10 tags per rule. */
const MAX_TAGS = 10;

/** The page of a rule: `<docsUrl>docs/rules/<ID>.md`, by default the repository at this version's tag. */
export function ruleHelpUri(id: string, report?: Pick<Report, "docsBase">): string {
  return rulePageUrl(id, report?.docsBase ?? docsBase(undefined));
}

function homepage(): string {
  return TOOL.informationUri.replace(/\/+$/, "");
}

/**
 * `report` gives the run's configuration (the fix's values) and docsUrl (the links); help and
 * rule pages share one explanation (src/rules/explain.ts).
 */
export function ruleDescriptor(rule: CompiledRule, report?: Pick<Report, "config" | "docsBase">): Sarif.ReportingDescriptor {
  const d = rule.def;
  const helpUri = ruleHelpUri(d.id, report);
  const explain = { base: report?.docsBase ?? docsBase(undefined), ...(report?.config ? { config: report.config } : {}) };
  const types = Array.isArray(d.resourceType) ? d.resourceType : [d.resourceType];
  const text = [
    `${d.id} (${d.severity}${d.kind === "convention" ? ", convention" : ""}): ${d.title}.`,
    "",
    ...helpText(d, explain),
    "",
    `Resource type: ${types.join(", ")}. Rule page: ${helpUri}`,
  ].join("\n");
  const markdown = [
    `**${d.id}** · severity **${d.severity}**${d.kind === "convention" ? " · convention" : ""} · ${types.map((t) => `\`${t}\``).join(", ")}${d.profile === "high-security" ? " · high-security profile" : ""}`,
    "",
    ...explanationMarkdown(d, "###", explain),
    "",
    `The alert's path is the resource's: \`aws/<account>/<region>/<service>/<resource-type>/<id>\` (or the file that declares it); the finding names it by its ARN and links its object in the inventory snapshot. [Rule page](${helpUri})`,
  ].join("\n");
  const properties: Sarif.PropertyBag = {
    tags: ruleTags(rule, types),
    precision: d.precision ?? "high",
    "problem.severity": PROBLEM_SEVERITY[d.severity],
  };
  if (d.kind === "security") properties["security-severity"] = SECURITY_SEVERITY[d.severity];
  properties.kind = d.kind;
  properties.design = { section: d.design.section };
  properties.profile = d.profile;
  return {
    id: d.id,
    name: d.name,
    shortDescription: { text: clip(`${d.violationTitle}.`) },
    fullDescription: { text: clip(`${d.title} (design §${d.design.section}). ${d.rationale.trim()}`) },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties,
  };
}

/**
 * `security` (GitHub's security filter) or `maintainability` first, then aws, the rule's area,
 * its resource types, its own tags.
 */
function ruleTags(rule: CompiledRule, types: readonly string[]): string[] {
  const area = basename(dirname(rule.file));
  const tags = [
    rule.def.kind === "security" ? "security" : "maintainability",
    "aws",
    ...(area && area !== "." && area !== "rules" ? [area] : []),
    ...types,
    ...(rule.def.profile === "high-security" ? ["high-security"] : []),
    ...(rule.def.tags ?? []),
  ];
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

/** `sagegate/not-evaluated`: not a security rule, so its results never show as security alerts. */
export function notEvaluatedDescriptor(): Sarif.ReportingDescriptor {
  const helpUri = `${homepage()}/blob/v${TOOL.version}/README.md#incomplete-scans`;
  const what =
    "An AWS call the scan needed failed (access denied, throttled, a service error), so the checks that need its data were not evaluated: " +
    "they neither pass nor fail. One result per failed call, in the account and region where it failed. " +
    "Alerts of checks that failed in the previous run stay open with a note of their own; they are not closed as fixed.";
  const fix =
    "Read the error code in the message. AccessDenied or UnauthorizedOperation: grant the read-only role the action " +
    "(iam/sagegate-readonly-policy.json lists every one). Throttling or a service error: run the scan again. The alert closes on the first complete scan.";
  return {
    id: NOT_EVALUATED_RULE_ID,
    name: "not-evaluated",
    shortDescription: { text: "An AWS call failed: checks that need its data were not evaluated." },
    fullDescription: { text: what },
    help: {
      text: `${what}\n\nHow to fix: ${fix}\n\nMore: ${helpUri}`,
      markdown: `${what}\n\n### How to fix\n\n${fix}\n\n[Incomplete scans](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: "warning" },
    properties: { tags: ["aws", "not-evaluated"], precision: "very-high", "problem.severity": "warning" },
  };
}

export function clip(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  if (t.length <= MAX_DESCRIPTION_CHARS) return t;
  const cut = t.lastIndexOf(" ", MAX_DESCRIPTION_CHARS - 1);
  return t.slice(0, cut > 0 ? cut : MAX_DESCRIPTION_CHARS - 1) + "…";
}
