// exists / empty: whether a field is present, and whether it holds anything.
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import { display } from "../messages.js";
import type { ValueOperator } from "../operator.js";
import type { Subject } from "../types.js";

/** Missing, null, "", [] or {}. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v).length === 0;
  return false;
}

/** How each test is said: its description when true and false, and why `<key>: true` / `<key>: false` failed. */
const WORDING = {
  exists: {
    test: (a: unknown) => a !== undefined,
    yes: "is set",
    no: "is not set",
    failedTrue: (s: Subject) => `${s.label} is missing`,
    failedFalse: (s: Subject, a: unknown) => `${s.label} is set to ${display(a)}`,
  },
  empty: {
    test: isEmpty,
    yes: "is empty",
    no: "is not empty",
    failedTrue: (s: Subject, a: unknown) => `${is(s, a)}, expected it empty`,
    failedFalse: (s: Subject) => `${s.label} is empty`,
  },
};

function presence(key: keyof typeof WORDING, signature: string, meaning: string, example: string): ValueOperator<boolean> {
  const w = WORDING[key];
  return {
    key,
    subject: true,
    schema: { type: "boolean" },
    doc: { signature, meaning, example },
    evidence: () => LEAF_EVIDENCE,
    compile(arg, s) {
      return leaf(
        s,
        `${s.label} ${arg ? w.yes : w.no}`,
        (a) => w.test(a) === arg,
        (a) => (arg ? w.failedTrue(s, a) : w.failedFalse(s, a)),
      );
    },
  };
}

export const exists = presence("exists", "path + exists: true/false", "the field is present / absent", "{ path: VpcConfig, exists: true }");
export const empty = presence("empty", "path/config + empty: true/false", 'missing, `""`, `[]` or `{}` / anything else', "{ config: vpcIds, empty: false }");
