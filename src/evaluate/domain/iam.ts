// IAM policy documents as IAM reads them: Statement, Principal, Action and condition values may
// be a string or an array; condition operators and keys match case-insensitively; action names
// are case-insensitive and may use * and ? wildcards.

export interface Statement {
  index: number;
  sid: string | undefined;
  effect: string;
  principal: unknown;
  actions: string[] | undefined;
  notActions: string[] | undefined;
  condition: Record<string, Record<string, unknown>> | undefined;
}

export class PolicyShapeError extends Error {}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function stringList(value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = asList(value);
  for (const item of items) if (typeof item !== "string") throw new PolicyShapeError(`${what} must be a string or a list of strings`);
  return items as string[];
}

/** The statements of a policy document; throws PolicyShapeError when it is not a policy. */
export function statementsOf(document: unknown): Statement[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new PolicyShapeError("the policy is not a JSON object");
  const raw = (document as Record<string, unknown>).Statement;
  if (raw === undefined) throw new PolicyShapeError("the policy has no Statement");
  return asList(raw).map((s, index) => {
    if (typeof s !== "object" || s === null || Array.isArray(s)) throw new PolicyShapeError(`statement ${index + 1} is not an object`);
    const st = s as Record<string, unknown>;
    const condition = st.Condition;
    if (condition !== undefined && (typeof condition !== "object" || condition === null || Array.isArray(condition))) {
      throw new PolicyShapeError(`statement ${index + 1} has a Condition that is not an object`);
    }
    return {
      index,
      sid: typeof st.Sid === "string" ? st.Sid : undefined,
      effect: typeof st.Effect === "string" ? st.Effect : "",
      principal: st.Principal,
      actions: stringList(st.Action, `statement ${index + 1} Action`),
      notActions: stringList(st.NotAction, `statement ${index + 1} NotAction`),
      condition: condition as Record<string, Record<string, unknown>> | undefined,
    };
  });
}

export function isAllow(st: Statement): boolean {
  return st.effect.toLowerCase() === "allow";
}

/** Service principals of a statement, lower-cased. */
export function principalServices(st: Statement): string[] {
  const p = st.principal;
  if (typeof p !== "object" || p === null) return [];
  const service = (p as Record<string, unknown>).Service;
  return asList(service)
    .filter((s): s is string => typeof s === "string")
    .map((s) => s.toLowerCase());
}

/** Principal "*", {"AWS": "*"} or an AWS list containing "*": anyone. */
export function principalIsEveryone(st: Statement): boolean {
  const p = st.principal;
  if (p === "*") return true;
  if (typeof p !== "object" || p === null) return false;
  return asList((p as Record<string, unknown>).AWS).some((v) => v === "*");
}

/** True when the statement carries at least one condition key. */
export function hasCondition(st: Statement): boolean {
  if (!st.condition) return false;
  return Object.values(st.condition).some((block) => typeof block === "object" && block !== null && Object.keys(block).length > 0);
}

/**
 * Values given to `key` under condition `operator` (both matched case-insensitively), or
 * undefined when the statement has no such condition.
 */
export function conditionValues(st: Statement, operator: string, key: string): unknown[] | undefined {
  if (!st.condition) return undefined;
  const wantOp = operator.toLowerCase();
  const wantKey = key.toLowerCase();
  let found: unknown[] | undefined;
  for (const [op, block] of Object.entries(st.condition)) {
    if (op.toLowerCase() !== wantOp || typeof block !== "object" || block === null) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === wantKey) found = [...(found ?? []), ...asList(v)];
    }
  }
  return found;
}

/** IAM wildcard match: * any run of characters, ? one character; case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  return globMatch(pattern.toLowerCase(), value.toLowerCase());
}

/** Case-sensitive glob: * any run of characters, ? one character. */
export function globMatch(p: string, v: string): boolean {
  // Iterative glob with backtracking to the last star: linear in practice, no regex built from data.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    // A star is a wildcard even when the value has a "*" at the same place.
    if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = vi;
    } else if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/**
 * True when every action `action` can name is also named by one of `allowed`. A plain action
 * must match an allowed pattern; a wildcard action is only within an allowed pattern that is
 * the same text, or a prefix pattern ("kms:GenerateDataKey*") whose prefix it extends.
 */
export function actionWithin(action: string, allowed: readonly string[]): boolean {
  const wild = /[*?]/.test(action);
  return allowed.some((pattern) => {
    if (!wild) return wildcardMatch(pattern, action);
    if (pattern.toLowerCase() === action.toLowerCase()) return true;
    const star = pattern.indexOf("*");
    if (star !== pattern.length - 1 || /[?]/.test(pattern)) return false;
    const prefix = pattern.slice(0, -1).toLowerCase();
    const literal = action.slice(0, action.search(/[*?]/)).toLowerCase();
    return literal.startsWith(prefix);
  });
}

/** Actions of the statement that go beyond `allowed`; NotAction always does. */
export function actionsBeyond(st: Statement, allowed: readonly string[]): string[] {
  if (st.notActions !== undefined) return st.notActions.map((a) => `NotAction ${a}`);
  return (st.actions ?? []).filter((a) => !actionWithin(a, allowed));
}

export function describeStatement(st: Statement): string {
  return st.sid ? `statement "${st.sid}"` : `statement ${st.index + 1}`;
}
