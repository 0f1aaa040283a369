// An HTTP 200 is not yet an AWS answer. The SDK deserializes an empty body, `{}` or a proxy's
// HTML page into an output whose members are all missing, which would read as "none exists"
// (no security groups, no model packages, an endpoint config without variants) and flip
// failures into passes. Each call's declaration says what AWS always returns (`itemsKey`,
// `outputKey`, `returns` in collect-spec.ts); an answer without it is a MalformedResponse,
// recorded in the snapshot's errors like any failed call, so the rules that need it report
// error.
import type { PagedCall, Returns } from "../resources/collect-spec.js";
import type { ResourceObject } from "../resources/catalog.js";
import { plain, type Output } from "./sdk.js";

/** The error code recorded for an answer that is not an AWS answer. */
export const MALFORMED_RESPONSE = "MalformedResponse";

/** Thrown by the checks below; errorInfo() records its name as the code. */
export class MalformedResponse extends Error {
  override readonly name = MALFORMED_RESPONSE;
}

const NOT_AWS = "not an AWS answer (an empty body, {} or a page that did not come from AWS)";

function status(output: Output): string {
  const code = output.$metadata?.httpStatusCode;
  return `HTTP ${typeof code === "number" ? code : "200"}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function missing(value: Record<string, unknown>, members: readonly string[]): string[] {
  return members.filter((m) => value[m] === undefined || value[m] === null);
}

function names(list: readonly string[]): string {
  return list.map((m) => `"${m}"`).join(", ");
}

/**
 * The items of one page of a paginated call, as plain objects. Throws MalformedResponse when
 * the page has no `itemsKey` list or an item lacks `idField` or a member of `returns`.
 */
export function pageItems(output: Output, call: PagedCall, page: number, idField?: string): ResourceObject[] {
  const list = output[call.itemsKey];
  if (!Array.isArray(list)) throw new MalformedResponse(`${status(output)} without the "${call.itemsKey}" list (page ${page}): ${NOT_AWS}`);
  const required = idField !== undefined ? [idField, ...(call.returns ?? [])] : (call.returns ?? []);
  const items: ResourceObject[] = [];
  for (const raw of list) {
    if (!isObject(raw)) throw new MalformedResponse(`${status(output)}: an item of "${call.itemsKey}" is not an object (page ${page}): ${NOT_AWS}`);
    const lacks = missing(raw, required);
    if (lacks.length > 0) throw new MalformedResponse(`${status(output)}: an item of "${call.itemsKey}" lacks ${names(lacks)} (page ${page}): ${NOT_AWS}`);
    items.push(plain(raw));
  }
  return items;
}

/**
 * The object a describe or detail call answered: the `outputKey` member (which must be there)
 * or the whole output, with every member of `returns`. Throws MalformedResponse otherwise.
 */
export function answered(output: Output, call: Returns & { outputKey?: string }): unknown {
  if (call.outputKey !== undefined) {
    const value = output[call.outputKey];
    if (value === undefined || value === null) throw new MalformedResponse(`${status(output)} without "${call.outputKey}": ${NOT_AWS}`);
    if (call.returns === undefined) return value;
    if (!isObject(value)) throw new MalformedResponse(`${status(output)}: "${call.outputKey}" is not an object: ${NOT_AWS}`);
    const lacks = missing(value, call.returns);
    if (lacks.length > 0) throw new MalformedResponse(`${status(output)}: "${call.outputKey}" lacks ${names(lacks)}: ${NOT_AWS}`);
    return value;
  }
  const lacks = missing(output, call.returns ?? []);
  if (lacks.length > 0) throw new MalformedResponse(`${status(output)} without ${names(lacks)}: ${NOT_AWS}`);
  return output;
}
