// The one order sagegate sorts things in: code units (the same on every machine and locale,
// unlike localeCompare), and collection errors by type, resource, call, code and message.
import type { CollectionError } from "./types.js";

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareErrors(x: CollectionError, y: CollectionError): number {
  return (
    compare(x.resourceType, y.resourceType) ||
    compare(x.resourceId ?? "", y.resourceId ?? "") ||
    compare(x.operation, y.operation) ||
    compare(x.code, y.code) ||
    compare(x.message, y.message)
  );
}

export function sortErrors(errors: readonly CollectionError[]): CollectionError[] {
  return [...errors].sort(compareErrors);
}
