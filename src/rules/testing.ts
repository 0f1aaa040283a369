// Runs the test cases that live next to each rule (ESLint RuleTester / cfn-guard style): each
// case is a resource plus its neighbours, and the status (and optionally message and evidence)
// the rule must give it. Used by `sagegate rules test` and by the table-driven vitest suite.
import { withDefaults, type Config } from "../config/config.js";
import { RuleError } from "../errors.js";
import { evaluateRegion, type EvaluationResult } from "../evaluate/engine.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRule, type CompiledRule } from "../evaluate/rule.js";
import { resourceType } from "../resources/catalog.js";
import { snapshotFromObject } from "../snapshot/read.js";
import type { RegionInventory } from "../snapshot/types.js";
import type { RuleSet } from "./load.js";
import type { LoadedRule, RuleTestCase } from "./types.js";

/** The organisation every test case runs in unless the case says otherwise. */
export const TEST_CONFIG = {
  tagPrefix: "acme-ml",
  company: "acme",
  teams: ["rc", "algo"],
  projects: ["rc-fraud-detection", "algo-recommendation"],
} as const;
export const TEST_ACCOUNT = "111122223333";
export const TEST_REGION = "eu-west-1";

export interface CaseOutcome {
  ruleId: string;
  caseName: string;
  file: string;
  line?: number;
  ok: boolean;
  /** What went wrong, when not ok. */
  problem?: string;
  result?: EvaluationResult;
}

export function runRuleTests(set: RuleSet, only?: ReadonlySet<string>): CaseOutcome[] {
  const outcomes: CaseOutcome[] = [];
  for (const rule of set.rules) {
    if (only && !only.has(rule.def.id)) continue;
    rule.tests.forEach((testCase, i) => outcomes.push(runCase(set, rule, testCase, i)));
  }
  return outcomes;
}

export function runCase(set: RuleSet, rule: LoadedRule, testCase: RuleTestCase, index: number): CaseOutcome {
  const file = rule.testFile ?? rule.file;
  const base = { ruleId: rule.def.id, caseName: testCase.name, file, line: rule.testLocate?.([index]).line };
  const config = caseConfig(rule, testCase);
  const compiled = compileRule(rule, {
    placeholders: new Placeholders(config),
    definitions: set.definitions,
    ...(set.definitionsFile ? { definitionsFile: set.definitionsFile } : {}),
    ...(set.definitionsLocate ? { definitionsLocate: set.definitionsLocate } : {}),
  });
  const { inventory, subjectId } = caseInventory(rule, testCase, index, file);
  const results = evaluateRegion(inventory, [compiled], config).filter((r) => r.rule.def.id === rule.def.id);
  const wantedId = testCase.resourceId ?? subjectId;
  const result = results.find((r) => r.resource.id === wantedId);
  const problem = judge(testCase, result, wantedId, results);
  return problem ? { ...base, ok: false, problem, ...(result ? { result } : {}) } : { ...base, ok: true, ...(result ? { result } : {}) };
}

function caseConfig(rule: LoadedRule, testCase: RuleTestCase): Config {
  const merged = deepMerge(deepMerge({ ...TEST_CONFIG }, rule.testConfig ?? {}), testCase.config ?? {});
  return withDefaults(merged as unknown as Config);
}

function caseInventory(rule: LoadedRule, testCase: RuleTestCase, index: number, file: string): { inventory: RegionInventory; subjectId: string | undefined } {
  const types = Array.isArray(rule.def.resourceType) ? rule.def.resourceType : [rule.def.resourceType];
  const type = (testCase as { resourceType?: string }).resourceType ?? types[0]!;
  const resources: Record<string, unknown[]> = {};
  for (const [t, list] of Object.entries(testCase.related ?? {})) resources[t] = [...list];
  let subjectId: string | undefined;
  if (testCase.resource) {
    (resources[type] ??= []).push(testCase.resource);
    const id = testCase.resource[resourceType(type)!.idField];
    subjectId = typeof id === "string" ? id : undefined;
  }
  const errors = (testCase.errors ?? []).map((e) => ({
    resourceType: e.resourceType ?? type,
    operation: e.operation,
    ...(e.resourceId !== undefined ? { resourceId: e.resourceId } : {}),
    code: e.code ?? "AccessDeniedException",
    message: e.message ?? "User is not authorized to perform this operation",
  }));
  const doc = {
    snapshotVersion: 1,
    collectedAt: "2026-01-01T00:00:00.000Z",
    collector: { name: "sagegate-rule-test", version: "0" },
    accounts: [{ accountId: testCase.accountId ?? TEST_ACCOUNT, regions: [{ region: testCase.region ?? TEST_REGION, resources, errors }] }],
  };
  try {
    // Test cases are partial resources: required fields may be left out, misspelt ones may not.
    const inventory = snapshotFromObject(doc, file, { partial: true, planned: testCase.planned === true }).regions[0]!;
    // A planned case is decided as sagegate plan decides its regions: three-valued.
    if (testCase.planned) inventory.uncertain = true;
    return { inventory, subjectId };
  } catch (err) {
    if (err instanceof RuleError) throw err;
    const message = err instanceof Error && "format" in err ? (err as RuleError).message : String(err);
    const pointer = (err as { place?: { pointer?: string } }).place?.pointer ?? "";
    throw new RuleError(
      `case "${testCase.name}": ${message}${pointer ? ` (at ${pointer.replace(/^\/accounts\/0\/regions\/0\//, "")})` : ""}`,
      file,
      rule.testLocate?.([index]),
    );
  }
}

function judge(testCase: RuleTestCase, result: EvaluationResult | undefined, id: string | undefined, all: EvaluationResult[]): string | undefined {
  if (testCase.expect === "skip") return result ? `expected no result (out of scope), got ${result.status}: ${result.message}` : undefined;
  if (!result) {
    const others = all.map((r) => `${r.resource.id}=${r.status}`).join(", ");
    return `expected ${testCase.expect}, got no result for ${id ?? "(no resource)"}${others ? ` (results: ${others})` : ""}`;
  }
  if (result.status !== testCase.expect) return `expected ${testCase.expect}, got ${result.status}${result.message ? `: ${result.message}` : ""}`;
  if (testCase.message !== undefined && !result.message.includes(testCase.message)) {
    return `message ${JSON.stringify(result.message)} does not contain ${JSON.stringify(testCase.message)}`;
  }
  for (const wanted of testCase.evidence ?? []) {
    if (!result.evidence.some((e) => matchesSubset(wanted, e))) {
      return `no evidence item matches ${JSON.stringify(wanted)}; evidence: ${JSON.stringify(result.evidence)}`;
    }
  }
  return undefined;
}

/** Every key of `expected` is in `actual` with a matching value; list items match some item. */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => matchesSubset(e, a)));
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null) return false;
    return Object.entries(expected).every(
      ([k, v]) => Object.prototype.hasOwnProperty.call(actual, k) && matchesSubset(v, (actual as Record<string, unknown>)[k]),
    );
  }
  return expected === actual;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = Object.hasOwn(out, k) ? out[k] : undefined;
    // defineProperty: "__proto__" from a test file stays a key (the schema refuses it anyway).
    Object.defineProperty(out, k, { value: isPlain(b) && isPlain(v) ? deepMerge(b, v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Convention problems: every rule needs passing and failing cases (ESLint's build does this). */
export function conventionProblems(set: RuleSet): Array<{ file: string; problem: string }> {
  const problems: Array<{ file: string; problem: string }> = [];
  for (const rule of set.rules) {
    const expects = new Set(rule.tests.map((t) => t.expect));
    if (!expects.has("pass")) problems.push({ file: rule.file, problem: `rule ${rule.def.id} has no passing test case` });
    if (!expects.has("fail")) problems.push({ file: rule.file, problem: `rule ${rule.def.id} has no failing test case` });
    const names = new Set<string>();
    for (const t of rule.tests) {
      if (names.has(t.name)) problems.push({ file: rule.testFile ?? rule.file, problem: `rule ${rule.def.id} has two cases named "${t.name}"` });
      names.add(t.name);
    }
  }
  return problems;
}

export type { CompiledRule };
