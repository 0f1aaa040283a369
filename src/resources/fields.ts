// The top-level fields of each resource type, as schemas/snapshot.schema.json lists them. Two
// checks use them: a snapshot field that is a near miss of a known one ("groupName" for
// "GroupName") is refused, because it would silently drop out of every rule; and a rule path
// whose first segment is not a field of its type is refused at load, because it can never match.
import { readFileSync } from "node:fs";
import { SCHEMA_DIR } from "../io/schema.js";
import { editDistance } from "../io/suggest.js";
import { childType, resourceType } from "./catalog.js";

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
}

let definitions: Record<string, SchemaNode> | undefined;

function schemaDefinitions(): Record<string, SchemaNode> {
  definitions ??= (JSON.parse(readFileSync(SCHEMA_DIR + "snapshot.schema.json", "utf8")) as { definitions: Record<string, SchemaNode> }).definitions;
  return definitions;
}

const fieldLists = new Map<string, readonly string[] | undefined>();

/** Fields the snapshot schema declares for a type (or a child type such as AWS::SageMaker::ModelPackage); undefined for an unknown type. */
export function fieldsOf(type: string): readonly string[] | undefined {
  if (fieldLists.has(type)) return fieldLists.get(type);
  let node: SchemaNode | undefined;
  const def = resourceType(type);
  if (def) node = schemaDefinitions()[def.schemaDefinition];
  else {
    const child = childType(type);
    if (child) node = schemaDefinitions()[child.parent.schemaDefinition]?.properties?.[child.child.field]?.items;
  }
  const fields = node?.properties ? Object.keys(node.properties) : undefined;
  fieldLists.set(type, fields);
  return fields;
}

/**
 * The known field that `field` differs from only by case or by one edit (a letter added,
 * dropped, changed or two neighbours swapped), or undefined. Exact matches are not near misses.
 */
export function nearMiss(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  for (const k of known) if (k !== field && withinOneEdit(lower, k.toLowerCase())) return k;
  return undefined;
}

/** Optimal string alignment distance ≤ 1, in linear time. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one letter changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  // One letter more in the longer string, at i.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The known field closest to `field` (case-insensitive edit distance), for "the nearest is …". */
export function nearest(field: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(field.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

/**
 * Why a rule cannot read `field` of `type`, or undefined when it can: special paths ($id, …)
 * and types the schema does not describe are never refused.
 */
export function unknownFieldProblem(type: string, field: string | undefined): string | undefined {
  if (field === undefined || field.startsWith("$")) return undefined;
  const known = fieldsOf(type);
  if (known === undefined || known.includes(field)) return undefined;
  const near = nearest(field, known);
  return `"${field}" is not a field of ${type} (schemas/snapshot.schema.json), so this condition can never see a value${near ? `; the nearest field is "${near}"` : ""}`;
}
