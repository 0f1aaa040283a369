// exists / empty: whether a field is present, and whether it holds anything.
import { is, leaf } from "../leaf.js";
import { display } from "../messages.js";
import type { ValueOperator } from "../operator.js";

/** Missing, null, "", [] or {}. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v).length === 0;
  return false;
}

export const exists: ValueOperator<boolean> = {
  key: "exists",
  subject: true,
  schema: { type: "boolean" },
  doc: {
    signature: "path + exists: true/false",
    meaning: "the field is present / absent",
    example: "{ path: VpcConfig, exists: true }",
  },
  compile(arg, s) {
    return leaf(
      s,
      `${s.label} ${arg ? "is set" : "is not set"}`,
      (a) => (a !== undefined) === arg,
      (a) => (arg ? `${s.label} is missing` : `${s.label} is set to ${display(a)}`),
    );
  },
};

export const empty: ValueOperator<boolean> = {
  key: "empty",
  subject: true,
  schema: { type: "boolean" },
  doc: {
    signature: "path/config + empty: true/false",
    meaning: 'missing, `""`, `[]` or `{}` / anything else',
    example: "{ config: vpcIds, empty: false }",
  },
  compile(arg, s) {
    return leaf(
      s,
      `${s.label} ${arg ? "is empty" : "is not empty"}`,
      (a) => isEmpty(a) === arg,
      (a) => (arg ? `${is(s, a)}, expected it empty` : `${s.label} is empty`),
    );
  },
};
