// Field paths in rules: `VpcConfig.SecurityGroupIds[]`, `ModelPackages[].ModelApprovalStatus`,
// `$id`. Compiled once into closures; `[]` flattens an array and is only meaningful where a
// condition takes many values (every/some/none/count/ref).
import type { Frame } from "./language/types.js";

export interface CompiledPath {
  text: string;
  /** True when the path may yield several values. */
  multi: boolean;
  /** The first field name, for paths that read the resource itself. */
  rootField: string | undefined;
  get: (value: unknown, frame: Frame) => unknown;
  getAll: (value: unknown, frame: Frame) => unknown[];
}

const SEGMENT = /^[A-Za-z0-9_@:-]+(\[\])?$/;

const SPECIALS: Record<string, (frame: Frame) => unknown> = {
  $id: (f) => f.id,
  $arn: (f) => f.index.arnOf(f.type, f.resource),
  $type: (f) => f.type,
  $accountId: (f) => f.index.accountId,
  $region: (f) => f.index.region,
};

export class PathSyntaxError extends Error {}

export function compilePath(text: string): CompiledPath {
  // Own keys only: "constructor" or "toString" must not find Object.prototype's functions.
  const special = Object.hasOwn(SPECIALS, text) ? SPECIALS[text] : undefined;
  if (special) {
    return { text, multi: false, rootField: text, get: (_v, f) => special(f), getAll: (_v, f) => [special(f)] };
  }
  const segments = text.split(".");
  for (const s of segments) {
    if (!SEGMENT.test(s))
      throw new PathSyntaxError(`"${text}" is not a field path (fields joined by ".", "[]" after a list field, or $id/$arn/$type/$accountId/$region)`);
  }
  const names = segments.map((s) => (s.endsWith("[]") ? s.slice(0, -2) : s));
  const flatten = segments.map((s) => s.endsWith("[]"));
  const multi = flatten.some(Boolean);
  const get = (value: unknown): unknown => {
    let cur = value;
    for (const name of names) cur = field(cur, name);
    return cur;
  };
  const getAll = (value: unknown): unknown[] => {
    let current: unknown[] = [value];
    for (let i = 0; i < names.length; i++) {
      const next: unknown[] = [];
      for (const v of current) {
        const child = field(v, names[i]!);
        if (child === undefined) continue;
        if (flatten[i]) {
          if (Array.isArray(child)) for (const c of child) if (c !== undefined) next.push(c);
        } else next.push(child);
      }
      current = next;
    }
    return current;
  };
  return {
    text,
    multi,
    rootField: names[0],
    get: multi ? (v) => getAll(v) : get,
    getAll: multi
      ? getAll
      : (v) => {
          const one = get(v);
          return one === undefined ? [] : [one];
        },
  };
}

/** Own properties only: a path must never reach `constructor` or `__proto__` of Object. */
function field(value: unknown, name: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}
