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
import { joined, same, text, type Text } from "../../../i18n/index.js";
import type { CompileContext } from "../context.js";
import { displayList } from "../messages.js";
import { REF, type ConditionOperator, type JsonSchema } from "../operator.js";
import { and, unknownInside, unknownOf, type Truth } from "../truth.js";
import type { Failure, Frame } from "../types.js";
import { parseJsonMemo } from "./json.js";

/** The Sid of a statement not known before deploy while the known ones are judged (no real Sid has a NUL). */
const STAND_IN = "\u0000unresolved";

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
  describe: Text;
  /** Problems of one statement; empty when it passes. */
  problems(st: Statement, f: Frame): Text[];
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
    const label = same(doc.text);
    const evaluate = (v: unknown, f: Frame): Failure[] => {
      const source = doc.get(v, f);
      if (source === undefined) return [{ reason: text("engine.isMissing", { label }), evidence: { path: doc.text, actual: null } }];
      const parsed = parseJsonMemo(source, f);
      if (parsed.error !== undefined)
        return [{ reason: text("engine.isError", { label, error: parsed.why ?? same(parsed.error) }), evidence: { path: doc.text, error: parsed.error } }];
      let statements: Statement[];
      try {
        statements = statementsOf(parsed.value);
      } catch (err) {
        if (err instanceof PolicyShapeError)
          return [{ reason: text("engine.labelled", { label: doc.text, reason: err.why }), evidence: { path: doc.text, error: err.message } }];
        throw err;
      }
      const failures: Failure[] = [];
      for (const st of statements.filter(where)) {
        const problems = check.problems(st, f);
        const bad = mode === "every" ? problems.length > 0 : problems.length === 0;
        if (!bad) continue;
        const reasons = mode === "every" ? problems : [check.describe];
        failures.push({
          reason: text("policy.statement", { statement: describeStatement(st), problems: joined(reasons, "engine.sep.list") }),
          evidence: { statement: st.sid ?? st.index + 1, problems: reasons.map((r) => r("en")) },
        });
      }
      return failures;
    };
    // Planned key policies: a statement holding an `$unresolved` value is unknown as a whole, the others are judged.
    const judge = (v: unknown, f: Frame): { definite: Failure[]; unknown: Truth } => {
      const text = doc.get(v, f);
      const whole = unknownOf(text);
      if (whole) return { definite: [], unknown: whole };
      const value = text === undefined ? undefined : parseJsonMemo(text, f).value;
      const statementsRaw = isMapping(value) ? value.Statement : undefined;
      if (!isMapping(value) || statementsRaw === undefined) return { definite: evaluate(v, f), unknown: true };
      const wholeStatements = unknownOf(statementsRaw);
      if (wholeStatements) return { definite: [], unknown: wholeStatements };
      const list: unknown[] = Array.isArray(statementsRaw) ? (statementsRaw as unknown[]) : [statementsRaw];
      const unknown: Truth[] = [];
      // An unknown statement keeps its place (statements are named by position) as a stand-in whose failures are dropped.
      const known = list.map((st): unknown => {
        const u = unknownInside(st);
        if (u) unknown.push(u);
        return u ? { Effect: "Deny", Sid: STAND_IN } : st;
      });
      const definite = evaluate(withDocument(v, doc.text, JSON.stringify({ ...value, Statement: known })), f).filter((x) => x.evidence.statement !== STAND_IN);
      return { definite, unknown: and(unknown) };
    };
    return {
      describe: text(mode === "every" ? "policy.every" : "policy.none", { path: doc.text, check: check.describe }),
      holds: (v, f) => evaluate(v, f).length === 0,
      truth: (v, f) => {
        const j = judge(v, f);
        return j.definite.length > 0 ? false : j.unknown;
      },
      explain: (v, f) => (f.index.uncertain ? judge(v, f).definite : evaluate(v, f)),
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
      describe: text(want ? "policy.hasCondition" : "policy.noCondition"),
      problems: (st) => (hasCondition(st) === want ? [] : [text(want ? "policy.noCondition" : "policy.hasCondition")]),
    });
  }
  if (arg.actionsWithin !== undefined) {
    const allowed = arg.actionsWithin;
    checks.push({
      describe: text("policy.allowsOnly", { actions: allowed.join(", ") }),
      problems: (st) => {
        const beyond = actionsBeyond(st, allowed);
        return beyond.length === 0 ? [] : [text("policy.allowsBeyond", { beyond: beyond.join(", "), actions: allowed.join(", ") })];
      },
    });
  }
  if (arg.condition !== undefined) checks.push(conditionCheck(arg.condition, ctx.child(["condition"])));
  return {
    describe: joined(
      checks.map((c) => c.describe),
      "engine.sep.and",
    ),
    problems: (st, f) => checks.flatMap((c) => c.problems(st, f)),
  };
}

/** `{ operator: StringEquals, key: aws:SourceAccount, values: "{accountId}", only: true }` */
function conditionCheck(arg: ConditionCheckArg, ctx: CompileContext): StatementCheck {
  const operator = arg.operator;
  const key = arg.key;
  const expected = ctx.value(arg.values, ["values"]);
  const only = arg.only === true;
  return {
    describe: text(only ? "policy.hasConditionOnly" : "policy.hasConditionOn", { operator, key, values: expected.text }),
    problems: (st, f) => {
      const wanted = ([] as unknown[]).concat(expected.get(f)).map(String);
      const actual = conditionValues(st, operator, key);
      if (actual === undefined || actual.length === 0) return [text("policy.noConditionOn", { operator, key })];
      const values = actual.map(String);
      const ok = only ? values.every((x) => wanted.includes(x)) : values.some((x) => wanted.includes(x));
      return ok
        ? []
        : [text(only ? "policy.conditionIsOnly" : "policy.conditionIs", { operator, key, values: displayList(values), wanted: displayList(wanted) })];
    },
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy of `value` with the field at a dotted path (a policy's, never a list path) replaced by `text`. */
function withDocument(value: unknown, path: string, text: string): unknown {
  const [head, ...rest] = path.split(".");
  const object = isMapping(value) ? value : {};
  return { ...object, [head!]: rest.length === 0 ? text : withDocument(object[head!], rest.join("."), text) };
}
