// Applies a condition to a value derived from the subject: the subject's text parsed as JSON
// (json) or as a container image reference (imageRef). Missing or unparsable fails with the reason.
import type { CompileContext } from "./context.js";
import type { EvidenceScope } from "./operator.js";
import type { Condition, Frame, Subject } from "./types.js";

export type Parsed = { value?: unknown; error?: string };

/** The evidence of a transform's failures: the subject missing or unparsable, else the inner condition's. */
export function transformEvidence(arg: unknown, nested: EvidenceScope): string[] {
  return ["path", "actual", "error", ...nested.of(arg)];
}

export function transform(arg: unknown, s: Subject, ctx: CompileContext, what: string, convert: (v: unknown, f: Frame) => Parsed): Condition {
  const inner = ctx.within().compile(arg);
  const run = (v: unknown, f: Frame): { missing: true } | { error: string } | { value: unknown } => {
    const actual = s.get(v, f);
    if (actual === undefined) return { missing: true };
    const parsed = convert(actual, f);
    return parsed.error !== undefined ? { error: parsed.error } : { value: parsed.value };
  };
  return {
    describe: `${s.label} as ${what}: ${inner.describe}`,
    holds: (v, f) => {
      const r = run(v, f);
      return "value" in r && inner.holds(r.value, f);
    },
    explain: (v, f) => {
      const r = run(v, f);
      if ("missing" in r) return [{ reason: `${s.label} is missing`, evidence: { path: s.label, actual: null } }];
      if ("error" in r) return [{ reason: `${s.label} is ${r.error}`, evidence: { path: s.label, error: r.error } }];
      return inner.explain(r.value, f);
    },
  };
}
