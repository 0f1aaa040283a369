// How conditions word what they find: values shown short and deterministically, evidence of
// nested failures kept under their outer labels.
import { say, text, type Text } from "../../i18n/index.js";
import { asText } from "../../io/text.js";
import type { CollectionError } from "../../snapshot/types.js";
import type { Failure } from "./types.js";

/** "GetKeyPolicy failed for 2222bbbb-…: AccessDeniedException (User … is not authorized …)". */
export function describeError(e: CollectionError): Text {
  const detail = e.message ? text("engine.errorDetail", { message: e.message }) : "";
  const params = { operation: e.operation, code: e.code, detail };
  return e.resourceId !== undefined ? text("engine.callFailedFor", { ...params, id: e.resourceId }) : text("engine.callFailed", params);
}

/** Short, deterministic rendering of a value for messages. */
export function display(v: unknown): string {
  if (v === undefined) return "missing";
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? asText(v));
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export function displayList(list: readonly unknown[]): Text {
  const shown = list.slice(0, 10).map(display).join(", ");
  return list.length > 10 ? text("engine.listMore", { shown, n: list.length }) : () => shown;
}

/** AWS::EC2::SecurityGroup → SecurityGroup. */
export function shortType(type: string): string {
  return type.split("::").pop()!;
}

/**
 * Evidence of a nested failure under an outer label: `key` names the outermost item and
 * `<key>s` the whole chain, so an inner quantifier or ref never hides the outer one.
 */
export function nest(evidence: Record<string, unknown>, key: string, value: string): Record<string, unknown> {
  const chainKey = `${key}s`;
  const inner = Array.isArray(evidence[chainKey]) ? (evidence[chainKey] as unknown[]) : evidence[key] !== undefined ? [evidence[key]] : [];
  const out: Record<string, unknown> = { ...evidence, [key]: value };
  if (inner.length > 0) out[chainKey] = [value, ...inner];
  return out;
}

/** One failure's evidence as it is; several under `details`, each with its reason (in English, as all evidence). */
export function mergeEvidence(failures: Failure[]): Record<string, unknown> {
  if (failures.length === 1) return failures[0]!.evidence;
  return { details: failures.map((f) => ({ reason: say(f.reason, "en"), ...f.evidence })) };
}
