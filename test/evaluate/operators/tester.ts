// The operator tester (ESLint's RuleTester for the rule language): each case is a condition, a
// resource and its neighbours, run through the same path as a rule file: the rule schema (Ajv, at
// load), compileRule, and one region's evaluation as `sagegate rules test` does it.
//
//   testOperator("startsWith", {
//     holds: [{ check: { path: GroupName, startsWith: "{tagPrefix}-" }, resource: { GroupName: "acme-ml-x" } }],
//     fails: [{ check: …, resource: …, message: "does not start with", evidence: [{ actual: "x" }] }],
//     error: [{ check: …, resource: …, errors: [{ operation: "DescribeVpcs" }], message: /could not be read/ }],
//     refused: [{ check: { path: GroupName, startsWith: 3 }, message: /startsWith: must be string/ }],
//   });
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { RuleError, type Place } from "../../../src/errors.js";
import { compileRule } from "../../../src/evaluate/rule.js";
import { Placeholders } from "../../../src/evaluate/placeholders.js";
import { evidenceKeys } from "../../../src/evaluate/templates.js";
import { assertSchema } from "../../../src/io/schema.js";
import { resourceType } from "../../../src/resources/catalog.js";
import type { RuleSet } from "../../../src/rules/load.js";
import { runCase, TEST_CONFIG, type CaseOutcome } from "../../../src/rules/testing.js";
import type { LoadedRule, RuleDefinition, RuleTestCase } from "../../../src/rules/types.js";
import { withDefaults, type Config } from "../../../src/config/config.js";

/** Resource type of a case unless it says otherwise. */
const DEFAULT_TYPE = "AWS::SageMaker::TrainingJob";

interface Rule {
  /** The rule's check: the condition under test. */
  check: unknown;
  scope?: unknown;
  /** Resource type of the rule (default AWS::SageMaker::TrainingJob). */
  type?: string;
  /** rules/definitions.yaml for `use`. */
  definitions?: Record<string, unknown>;
  /** Configuration over the test organisation's (tagPrefix acme-ml, teams rc and algo, …). */
  config?: Record<string, unknown>;
  /** The rule's message template. */
  template?: string;
}

export interface Case extends Rule {
  name?: string;
  /** The resource under test; its id field is filled in when missing. */
  resource: Record<string, unknown>;
  related?: Record<string, Array<Record<string, unknown>>>;
  errors?: RuleTestCase["errors"];
}

export interface Failing extends Case {
  /** Text the result's message contains, or a pattern it matches. */
  message?: string | RegExp;
  /** Each item must match some evidence item (as a subset). */
  evidence?: unknown[];
}

export interface Refused extends Rule {
  name?: string;
  /** What the load error says (file, place and message). */
  message: RegExp;
}

export interface OperatorCases {
  holds?: Case[];
  fails?: Failing[];
  /** Cases whose data was not collected completely: the result is `error`. */
  error?: Failing[];
  /** Conditions refused when the rule is loaded (schema or compiler). */
  refused?: Refused[];
}

const FILE = "rules/test/XX001.yaml";

function definition(rule: Rule): RuleDefinition {
  const def: RuleDefinition = {
    id: "XX001",
    name: "operator-under-test",
    title: "The operator under test holds",
    violationTitle: "The operator under test fails",
    severity: "high",
    kind: "security",
    resourceType: rule.type ?? DEFAULT_TYPE,
    profile: "baseline",
    design: { section: "1", quote: "q" },
    rationale: "A rationale long enough for the schema.",
    remediation: { text: "Change the resource.", cli: "aws sagemaker describe-training-job" },
    check: rule.check,
  };
  if (rule.scope !== undefined) def.scope = rule.scope;
  if (rule.template !== undefined) def.message = rule.template;
  return def;
}

/** Loads a rule as `loadRuleFile` does (the schema), then compiles it (the compiler's checks). */
export function load(rule: Rule): { loaded: LoadedRule; set: RuleSet } {
  const def = definition(rule);
  const makeError = (message: string, file: string, place?: Place) => new RuleError(message, file, place);
  assertSchema("rule", def, FILE, makeError);
  const definitions = new Map(Object.entries(rule.definitions ?? {}));
  for (const [name, condition] of definitions) assertSchema("definitions", { definitions: { [name]: condition } }, "rules/test/definitions.yaml", makeError);
  const loaded: LoadedRule = { def, file: FILE, locate: () => ({}), tests: [] };
  const config = withDefaults({ ...TEST_CONFIG, ...rule.config } as unknown as Config);
  compileRule(loaded, { placeholders: new Placeholders(config), definitions });
  return { loaded, set: { dir: "rules/test", rules: [loaded], definitions } };
}

function run(c: Case, expect: RuleTestCase["expect"]): CaseOutcome {
  const { loaded, set } = load(c);
  const type = c.type ?? DEFAULT_TYPE;
  const idField = resourceType(type)!.idField;
  const testCase: RuleTestCase = { name: c.name ?? "case", resource: { [idField]: "resource-1", ...c.resource }, expect };
  if (c.related) testCase.related = c.related;
  if (c.errors) testCase.errors = c.errors;
  if (c.config) testCase.config = c.config;
  return runCase(set, loaded, testCase, 0);
}

function title(kind: string, c: { name?: string; check: unknown }): string {
  return `${kind}: ${c.name ?? stringify(c.check, { collectionStyle: "flow", lineWidth: 0 }).trim()}`;
}

function expectResult(outcome: CaseOutcome, c: Failing): void {
  expect(outcome.problem).toBeUndefined();
  const message = outcome.result!.message;
  if (typeof c.message === "string") expect(message).toContain(c.message);
  else if (c.message) expect(message).toMatch(c.message);
  for (const wanted of c.evidence ?? []) expect(outcome.result!.evidence).toContainEqual(expect.objectContaining(wanted as object));
}

/** One describe block per operator module, one test per case. */
export function testOperator(name: string, cases: OperatorCases): void {
  describe(`operator ${name}`, () => {
    for (const c of cases.holds ?? []) {
      it(title("holds", c), () => {
        const outcome = run(c, "pass");
        expect(outcome.problem).toBeUndefined();
        expect(outcome.result?.status).toBe("pass");
      });
    }
    for (const c of cases.fails ?? []) {
      it(title("fails", c), () => {
        const outcome = run(c, "fail");
        expect(outcome.result?.status).toBe("fail");
        expectResult(outcome, c);
        // What a rule's message may name ({key}, checked at load) covers what the failure carries.
        const declared = evidenceKeys(c.check, new Map(Object.entries(c.definitions ?? {})));
        for (const item of outcome.result!.evidence)
          for (const key of Object.keys(item)) if (key !== "reason") expect([...declared], `evidence key "${key}"`).toContain(key);
      });
    }
    for (const c of cases.error ?? []) {
      it(title("error", c), () => {
        const outcome = run(c, "error");
        expect(outcome.result?.status).toBe("error");
        expectResult(outcome, c);
      });
    }
    for (const c of cases.refused ?? []) {
      it(title("refused", c), () => {
        let error: unknown;
        try {
          load(c);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(RuleError);
        expect((error as RuleError).format()).toMatch(c.message);
      });
    }
  });
}
