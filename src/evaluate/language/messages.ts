// How conditions word what they find: values shown short and deterministically, evidence of
// nested failures kept under their outer labels.
import { asText } from "../../io/text.js";
import type { CollectionError } from "../../snapshot/types.js";
import type { Failure } from "./types.js";

/** "GetKeyPolicy failed for 2222bbbb-…: AccessDeniedException (User … is not authorized …)". */
export function describeError(e: CollectionError): string {
  return `${e.operation} failed${e.resourceId !== undefined ? ` for ${e.resourceId}` : ""}: ${e.code}${e.message ? ` (${e.message})` : ""}`;
}

/** Short, deterministic rendering of a value for messages. */
export function display(v: unknown): string {
  if (v === undefined) return "missing";
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? asText(v));
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export function displayList(list: readonly unknown[]): string {
  const shown = list.slice(0, 10).map(display).join(", ");
  return list.length > 10 ? `${shown}, … (${list.length} in all)` : shown;
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

/** One failure's evidence as it is; several under `details`, each with its reason. */
export function mergeEvidence(failures: Failure[]): Record<string, unknown> {
  if (failures.length === 1) return failures[0]!.evidence;
  return { details: failures.map((f) => ({ reason: f.reason, ...f.evidence })) };
}
