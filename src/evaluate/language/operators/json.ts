// json: the value is a JSON document as a string (a key policy, a lifecycle policy); the
// condition is applied to the parsed document.
import { nestsDeeperThan } from "../../../io/depth.js";
import { REF, type ValueOperator } from "../operator.js";
import type { Frame } from "../types.js";
import { transform, transformEvidence, type Parsed } from "../transform.js";

/** Deepest nesting of a JSON document inside a resource (key policy, lifecycle policy). */
const MAX_EMBEDDED_JSON_DEPTH = 64;

/** JSON strings (policies, lifecycle policies) are parsed once per resource and shared by its rules. */
export function parseJsonMemo(text: unknown, f: Frame): Parsed {
  if (typeof text !== "string") return typeof text === "object" && text !== null ? { value: text } : { error: "not a JSON string" };
  const memo = f.index.parsed;
  let parsed = memo.get(text);
  if (!parsed) {
    try {
      const value: unknown = JSON.parse(text);
      // A policy nested deeper than any real one would overflow the stack later (evidence in reports).
      parsed = nestsDeeperThan(value, MAX_EMBEDDED_JSON_DEPTH) ? { error: `nested deeper than ${MAX_EMBEDDED_JSON_DEPTH} levels` } : { value };
    } catch (err) {
      parsed = { error: `not valid JSON (${(err as Error).message})` };
    }
    memo.set(text, parsed);
  }
  return parsed;
}

export const json: ValueOperator = {
  key: "json",
  subject: true,
  schema: REF.condition,
  doc: {
    signature: "path + json: c",
    meaning: "the value is a JSON document as a string (a policy): parse it and apply `c` to it; missing or not JSON fails with that reason",
    example: '{ path: lifecyclePolicyText, json: { some: { path: "rules[].selection.countNumber" } } }',
  },
  evidence: transformEvidence,
  compile(arg, s, ctx) {
    return transform(arg, s, ctx, "JSON", parseJsonMemo);
  },
};
