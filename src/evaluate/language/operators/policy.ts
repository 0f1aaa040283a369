// policy: an IAM policy's statements (the policy is a JSON string; `Statement` may be one object
// or a list), selected with `where`, checked with `every` or `none`.
import {
  actionsBeyond,
  conditionValues,
  describeStatement,
  hasCondition,
  isAllow,
  PolicyShapeError,
  principalIsEveryone,
  principalServices,
  statementsOf,
  type Statement,
} from "../../domain/iam.js";
import type { CompileContext } from "../context.js";
import { displayList } from "../messages.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import type { Failure, Frame } from "../types.js";
import { parseJsonMemo } from "./json.js";

interface WhereArg {
  effect?: "Allow" | "Deny";
  principalService?: string;
  principalEveryone?: boolean;
}

interface ConditionCheckArg {
  operator: string;
  key: string;
  values: unknown;
  only?: boolean;
}

interface StatementCheckArg {
  hasCondition?: boolean;
  actionsWithin?: string[];
  condition?: ConditionCheckArg;
}

interface PolicyArg {
  path?: string;
  where?: WhereArg;
  every?: StatementCheckArg;
  none?: StatementCheckArg;
}

interface StatementCheck {
  describe: string;
  /** Problems of one statement; empty when it passes. */
  problems(st: Statement, f: Frame): string[];
}

const STATEMENT_CHECK: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    hasCondition: { type: "boolean" },
    actionsWithin: { type: "array", items: { type: "string" } },
    condition: {
      type: "object",
      additionalProperties: false,
      required: ["operator", "key", "values"],
      properties: {
        operator: { type: "string", description: "IAM condition operator, matched case-insensitively (StringEquals)" },
        key: { type: "string", description: "Condition key, matched case-insensitively (aws:SourceAccount)" },
        values: { description: "Expected value(s); placeholders such as {accountId} allowed" },
        only: { type: "boolean", description: "Every value given must be one of the expected values." },
      },
    },
  },
  anyOf: [{ required: ["hasCondition"] }, { required: ["actionsWithin"] }, { required: ["condition"] }],
};

export const policy: ConditionOperator<PolicyArg> = {
  key: "policy",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      path: REF.path,
      where: {
        type: "object",
        additionalProperties: false,
        properties: { effect: { enum: ["Allow", "Deny"] }, principalService: { type: "string" }, principalEveryone: { type: "boolean" } },
      },
      every: STATEMENT_CHECK,
      none: STATEMENT_CHECK,
    },
    oneOf: [{ required: ["every"] }, { required: ["none"] }],
  },
  doc: {
    signature: "policy: {path, where?, every/none}",
    meaning: "IAM policy statements, [below](#iam-policies)",
    example: "{ policy: { path: Policy, where: { effect: Allow, principalEveryone: true }, every: { hasCondition: true } } }",
  },
  // The document missing or unreadable, or each statement that breaks the rule with its problems.
  evidence: () => ["path", "actual", "error", "statement", "problems"],
  compile(arg, ctx) {
    const doc = ctx.path(arg.path ?? "Policy", ["path"]);
    const where = statementFilter(arg.where);
    const mode = arg.every !== undefined ? "every" : "none";
    const check = statementCheck(arg[mode]!, ctx.child([mode]));
    const evaluate = (v: unknown, f: Frame): Failure[] => {
      const text = doc.get(v, f);
      if (text === undefined) return [{ reason: `${doc.text} is missing`, evidence: { path: doc.text, actual: null } }];
      const parsed = parseJsonMemo(text, f);
      if (parsed.error !== undefined) return [{ reason: `${doc.text} is ${parsed.error}`, evidence: { path: doc.text, error: parsed.error } }];
      let statements: Statement[];
      try {
        statements = statementsOf(parsed.value);
      } catch (err) {
        if (err instanceof PolicyShapeError) return [{ reason: `${doc.text}: ${err.message}`, evidence: { path: doc.text, error: err.message } }];
        throw err;
      }
      const failures: Failure[] = [];
      for (const st of statements.filter(where)) {
        const problems = check.problems(st, f);
        const bad = mode === "every" ? problems.length > 0 : problems.length === 0;
        if (!bad) continue;
        const reasons = mode === "every" ? problems : [check.describe];
        failures.push({ reason: `${describeStatement(st)} ${reasons.join("; ")}`, evidence: { statement: st.sid ?? st.index + 1, problems: reasons } });
      }
      return failures;
    };
    return {
      describe: `${mode} selected statement of ${doc.text} ${check.describe}`,
      holds: (v, f) => evaluate(v, f).length === 0,
      explain: evaluate,
    };
  },
};

function statementFilter(arg: WhereArg | undefined): (st: Statement) => boolean {
  if (arg === undefined) return () => true;
  const tests: Array<(st: Statement) => boolean> = [];
  if (arg.effect !== undefined) {
    const allow = arg.effect === "Allow";
    tests.push((st) => isAllow(st) === allow);
  }
  if (arg.principalService !== undefined) {
    const service = arg.principalService.toLowerCase();
    tests.push((st) => principalServices(st).includes(service));
  }
  if (arg.principalEveryone !== undefined) {
    const want = arg.principalEveryone;
    tests.push((st) => principalIsEveryone(st) === want);
  }
  return (st) => tests.every((t) => t(st));
}

function statementCheck(arg: StatementCheckArg, ctx: CompileContext): StatementCheck {
  const checks: StatementCheck[] = [];
  if (arg.hasCondition !== undefined) {
    const want = arg.hasCondition;
    checks.push({
      describe: want ? "has a Condition" : "has no Condition",
      problems: (st) => (hasCondition(st) === want ? [] : [want ? "has no Condition" : "has a Condition"]),
    });
  }
  if (arg.actionsWithin !== undefined) {
    const allowed = arg.actionsWithin;
    checks.push({
      describe: `allows only ${allowed.join(", ")}`,
      problems: (st) => {
        const beyond = actionsBeyond(st, allowed);
        return beyond.length === 0 ? [] : [`allows ${beyond.join(", ")} beyond ${allowed.join(", ")}`];
      },
    });
  }
  if (arg.condition !== undefined) checks.push(conditionCheck(arg.condition, ctx.child(["condition"])));
  return { describe: checks.map((c) => c.describe).join(" and "), problems: (st, f) => checks.flatMap((c) => c.problems(st, f)) };
}

/** `{ operator: StringEquals, key: aws:SourceAccount, values: "{accountId}", only: true }` */
function conditionCheck(arg: ConditionCheckArg, ctx: CompileContext): StatementCheck {
  const operator = arg.operator;
  const key = arg.key;
  const expected = ctx.value(arg.values, ["values"]);
  const only = arg.only === true;
  const text = `${operator} ${key} ${only ? "only " : ""}${expected.text}`;
  return {
    describe: `has condition ${text}`,
    problems: (st, f) => {
      const wanted = ([] as unknown[]).concat(expected.get(f)).map(String);
      const actual = conditionValues(st, operator, key);
      if (actual === undefined || actual.length === 0) return [`has no ${operator} condition on ${key}`];
      const values = actual.map(String);
      const ok = only ? values.every((x) => wanted.includes(x)) : values.some((x) => wanted.includes(x));
      return ok ? [] : [`${operator} ${key} is ${displayList(values)}, expected ${only ? "only " : ""}${displayList(wanted)}`];
    },
  };
}
