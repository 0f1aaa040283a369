import type { Profile } from "../config/config.js";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe; used for sorting and for --fail-on. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** security: a control of the design; convention: naming, quotas, housekeeping (no security severity in SARIF). */
export const RULE_KINDS = ["security", "convention"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** One rule file (schemas/rule.schema.json), as loaded: optional fields of the file that have a default are filled in. */
export interface RuleDefinition {
  id: string;
  name: string;
  /** The compliant phrasing: names the rule and a check that passes. */
  title: string;
  /** The violation phrasing: names a failure (SARIF shortDescription, GitHub's alert title). The file's title when it has none. */
  violationTitle: string;
  severity: Severity;
  /** `security` when the file does not say. */
  kind: RuleKind;
  resourceType: string | string[];
  profile: Profile;
  /** `quote` is the design's own words (Chinese); `english` renders them in English. */
  design: { section: string; quote: string; english?: string };
  rationale: string;
  /** `fill` says what fills each `<name>` placeholder of a finding's fix (see src/rules/remediation.ts). */
  remediation: { text: string; cli: string; fill?: Record<string, string> };
  tags?: string[];
  precision?: "very-high" | "high" | "medium" | "low";
  /** Rules about things that should exist (MR005): one subject per configured value instead of per resource. */
  subjects?: { fromConfig: "projects" | "teams" | "vpcIds"; inRegionsWith: string };
  scope?: unknown;
  check: unknown;
  message?: string;
  /** The Chinese of the text fields (src/rules/localize.ts). */
  "zh-CN"?: RuleTranslation;
}

/** A rule test case (`<ID>.test.yaml` or a `tests:` block). */
export interface RuleTestCase {
  name: string;
  resource?: Record<string, unknown>;
  /** The result to look at, when it is not the resource's own id (e.g. MR005's project name). */
  resourceId?: string;
  related?: Record<string, Array<Record<string, unknown>>>;
  errors?: Array<{ resourceType?: string; operation: string; resourceId?: string; code?: string; message?: string }>;
  config?: Record<string, unknown>;
  accountId?: string;
  region?: string;
  /** A planned resource (sagegate plan): its values may be `$unresolved`, and the region is decided three-valued. */
  planned?: boolean;
  expect: "pass" | "fail" | "error" | "unresolved" | "skip";
  message?: string;
  evidence?: unknown[];
}

export interface RuleTestFile {
  config?: Record<string, unknown>;
  cases: RuleTestCase[];
}

/** A rule as loaded from disk, with what is needed to point at its source. */
export interface LoadedRule {
  def: RuleDefinition;
  file: string;
  /** Line/column of a path inside the rule file. */
  locate: (path: ReadonlyArray<string | number>) => { line?: number; column?: number };
  tests: RuleTestCase[];
  testConfig?: Record<string, unknown>;
  testFile?: string;
  testLocate?: (path: ReadonlyArray<string | number>) => { line?: number; column?: number };
}

/** The `zh-CN:` block of a rule file (src/rules/localize.ts reads and checks it). */
export interface RuleTranslation {
  title?: string;
  violationTitle?: string;
  rationale?: string;
  remediation?: { text?: string };
  message?: string;
  /** Chinese of each condition message of the rule's scope and check, by its English template. */
  conditionMessages?: Record<string, string>;
}
