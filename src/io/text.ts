// Values read from snapshots and rules shown as text in ids, labels and messages.

/**
 * A value as `String()` renders JSON data (a list joined by commas, a mapping as
 * "[object Object]"), without calling any method the data could name (a key "toString").
 */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (item === null || item === undefined ? "" : asText(item))).join(",");
  return Object.prototype.toString.call(value);
}
