// json: the value is a JSON document as a string (a key policy, a lifecycle policy); the
// condition is applied to the parsed document.
import { text } from "../../../i18n/index.js";
import { nestsDeeperThan } from "../../../io/depth.js";
import { REF, type ValueOperator } from "../operator.js";
import type { Frame } from "../types.js";
import { parseError, transform, transformEvidence, type Parsed } from "../transform.js";

/** Deepest nesting of a JSON document inside a resource (key policy, lifecycle policy). */
const MAX_EMBEDDED_JSON_DEPTH = 64;

/** JSON strings (policies, lifecycle policies) are parsed once per resource and shared by its rules. */
export function parseJsonMemo(source: unknown, f: Frame): Parsed {
  if (typeof source !== "string") return typeof source === "object" && source !== null ? { value: source } : parseError("engine.parse.notJsonString");
  const memo = f.index.parsed;
  let parsed = memo.get(source);
  if (!parsed) {
    try {
      const value: unknown = JSON.parse(source);
      // A policy nested deeper than any real one would overflow the stack later (evidence in reports).
      parsed = nestsDeeperThan(value, MAX_EMBEDDED_JSON_DEPTH) ? parseError("engine.parse.tooDeep", { depth: MAX_EMBEDDED_JSON_DEPTH }) : { value };
    } catch (err) {
      parsed = parseError("engine.parse.invalidJson", { detail: (err as Error).message });
    }
    memo.set(source, parsed);
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
    return transform(arg, s, ctx, text("engine.transform.json"), parseJsonMemo);
  },
};
