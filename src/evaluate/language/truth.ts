// Three-valued outcomes for planned resources (Kleene logic, as cfn-guard's unresolved): a
// condition over values that are not known before deploy is true, false, or Unknown with the
// causes it depends on. A definite false wins over unknown in `all`, a definite true in `any`;
// anything else that depends on an Unresolved value is Unknown. Only regions that hold planned
// resources are evaluated this way; live snapshots keep the boolean fast path.
import { isUnresolved, type UnresolvedCause } from "../../resources/unresolved.js";

export class Unknown {
  constructor(readonly causes: readonly UnresolvedCause[]) {}
}

export type Truth = boolean | Unknown;

export function isUnknown(t: Truth): t is Unknown {
  return t instanceof Unknown;
}

/** Unknown for an Unresolved value (undefined for a known one). */
export function unknownOf(v: unknown): Unknown | undefined {
  return isUnresolved(v) ? new Unknown([v.$unresolved]) : undefined;
}

/** Every cause once, in first-seen order (deterministic). */
export function mergeUnknown(list: readonly Unknown[]): Unknown {
  const seen = new Set<string>();
  const causes: UnresolvedCause[] = [];
  for (const u of list)
    for (const c of u.causes) {
      const key = `${c.kind}\u0000${c.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      causes.push(c);
    }
  return new Unknown(causes);
}

export function and(values: Iterable<Truth>): Truth {
  const unknown: Unknown[] = [];
  for (const v of values) {
    if (v === false) return false;
    if (v !== true) unknown.push(v);
  }
  return unknown.length === 0 ? true : mergeUnknown(unknown);
}

export function or(values: Iterable<Truth>): Truth {
  const unknown: Unknown[] = [];
  for (const v of values) {
    if (v === true) return true;
    if (v !== false) unknown.push(v);
  }
  return unknown.length === 0 ? false : mergeUnknown(unknown);
}

export function not(v: Truth): Truth {
  return typeof v === "boolean" ? !v : v;
}

/** The first Unresolved value inside `v` (bounded depth), as Unknown. */
export function unknownInside(v: unknown, depth = 0): Unknown | undefined {
  if (isUnresolved(v)) return new Unknown([v.$unresolved]);
  if (depth > 64 || typeof v !== "object" || v === null) return undefined;
  const found: Unknown[] = [];
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const u = unknownInside(x, depth + 1);
    if (u) found.push(u);
  }
  return found.length > 0 ? mergeUnknown(found) : undefined;
}
