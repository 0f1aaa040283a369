// Applies a condition to a value derived from the subject: the subject's text parsed as JSON
// (json) or as a container image reference (imageRef). Missing or unparsable fails with the reason.
import { text, type MessageKey, type Text } from "../../i18n/index.js";
import type { CompileContext } from "./context.js";
import type { EvidenceScope } from "./operator.js";
import { unknownOf } from "./truth.js";
import type { Condition, Frame, Subject } from "./types.js";

/** The parsed value, or why it could not be parsed: `error` in English (evidence), `why` in the reader's language. */
export type Parsed = { value?: unknown; error?: string; why?: Text };

/** A parse error worded by the catalogue: the evidence's English and the reason's Text. */
export function parseError(key: MessageKey, params: Record<string, string | number> = {}): Parsed {
  const why = text(key, params);
  return { error: why("en"), why };
}

/** The evidence of a transform's failures: the subject missing or unparsable, else the inner condition's. */
export function transformEvidence(arg: unknown, nested: EvidenceScope): string[] {
  return ["path", "actual", "error", ...nested.of(arg)];
}

export function transform(arg: unknown, s: Subject, ctx: CompileContext, what: Text, convert: (v: unknown, f: Frame) => Parsed): Condition {
  const inner = ctx.within().compile(arg);
  const run = (v: unknown, f: Frame): { missing: true } | { error: string; why: Text } | { value: unknown } => {
    const actual = s.get(v, f);
    if (actual === undefined) return { missing: true };
    const parsed = convert(actual, f);
    return parsed.error !== undefined ? { error: parsed.error, why: parsed.why ?? (() => parsed.error!) } : { value: parsed.value };
  };
  return {
    describe: text("engine.transform", { label: s.name, what, inner: inner.describe }),
    holds: (v, f) => {
      const r = run(v, f);
      return "value" in r && inner.holds(r.value, f);
    },
    // A subject not known before deploy is unknown; a known one parsed to what may hold unknowns.
    truth: (v, f) => {
      const unknown = unknownOf(s.get(v, f));
      if (unknown) return unknown;
      const r = run(v, f);
      return "value" in r && inner.truth(r.value, f);
    },
    explain: (v, f) => {
      const r = run(v, f);
      if ("missing" in r) return [{ reason: text("engine.isMissing", { label: s.name }), evidence: { path: s.label, actual: null } }];
      if ("error" in r) return [{ reason: text("engine.isError", { label: s.name, error: r.why }), evidence: { path: s.label, error: r.error } }];
      return inner.explain(r.value, f);
    },
  };
}
