// What the engine knows about one account and region while evaluating it: the resources other
// rules look up (by id, in O(1); only the fields those rules read are kept), reverse indexes
// built on first use, reference sets, and the collection errors that decide whether a missing
// resource is a finding or a blind spot.
import { childType, partitionOf, resourceType, type ResourceObject } from "../resources/catalog.js";
import type { CollectionError, RegionInventory, StoredResource } from "../snapshot/types.js";
import { isUnresolved, type UnresolvedCause } from "../resources/unresolved.js";
import type { ReferenceSpec, RegionView } from "./language/types.js";

/** Which fields of a looked-up type are kept: a list, or "all" of them. */
export type Projection = { fields: ReadonlySet<string> | "all"; children?: { field: string; fields: ReadonlySet<string> | "all" } };

export class RegionIndex implements RegionView {
  readonly accountId: string;
  readonly region: string;
  readonly vars: { accountId: string; region: string; partition: string };
  private readonly byId = new Map<string, Map<string, ResourceObject>>();
  private readonly reverse = new Map<string, Map<unknown, ResourceObject[]>>();
  private readonly referenceSets = new Map<string, Set<string>>();
  private readonly referencesByType = new Map<string, Array<{ spec: ReferenceSpec; fields: Set<string> }>>();
  private readonly regionErrors = new Map<string, CollectionError[]>();
  private readonly resourceErrors = new Map<string, Map<string, CollectionError[]>>();
  /** Parsed JSON strings of the resource being evaluated, shared by all its rules. */
  readonly parsed = new Map<string, { value?: unknown; error?: string }>();
  /** Whether any collection error was recorded in this region (most regions: none). */
  readonly hasErrors: boolean;
  /** The region holds planned resources, whose values may be Unresolved: conditions are decided three-valued. */
  readonly uncertain: boolean;
  private readonly referenceUnknown = new Map<string, UnresolvedCause[]>();
  private readonly memo = new Map<object, unknown>();

  constructor(
    readonly inventory: RegionInventory,
    private readonly projections: ReadonlyMap<string, Projection> = new Map(),
    references: Iterable<ReferenceSpec> = [],
  ) {
    this.accountId = inventory.accountId;
    this.region = inventory.region;
    this.vars = { accountId: inventory.accountId, region: inventory.region, partition: partitionOf(inventory.region) };
    for (const e of inventory.errors) {
      if (e.resourceId === undefined) push(this.regionErrors, e.resourceType, e);
      else {
        let perType = this.resourceErrors.get(e.resourceType);
        if (!perType) this.resourceErrors.set(e.resourceType, (perType = new Map<string, CollectionError[]>()));
        push(perType, e.resourceId, e);
      }
    }
    this.hasErrors = inventory.errors.length > 0;
    this.uncertain = inventory.uncertain === true;
    for (const spec of references) {
      this.referenceSets.set(spec.key, new Set());
      for (const type of spec.types) push(this.referencesByType, type, { spec, fields: new Set(spec.fields) });
    }
  }

  /** Whether resources of `type` are kept for lookups or feed reference sets. */
  isLookupType(type: string): boolean {
    return this.projections.has(type) || this.referencesByType.has(type);
  }

  /** Records a resource others may look up: its projection by id, and its references. */
  add(type: string, stored: StoredResource): void {
    const projection = this.projections.get(type);
    if (projection) {
      let index = this.byId.get(type);
      if (!index) this.byId.set(type, (index = new Map<string, ResourceObject>()));
      index.set(stored.id, project(stored.data, projection));
    }
    for (const { spec, fields } of this.referencesByType.get(type) ?? []) {
      // The walk visits every nested value; the object's text tells whether any field is there at all.
      if (stored.raw !== undefined && !stored.raw.includes("\\u") && !spec.fields.some((f) => stored.raw!.includes(`"${f}"`))) continue;
      const unknown = this.uncertain ? (this.referenceUnknown.get(spec.key) ?? []) : undefined;
      collectFieldValues(stored.data, fields, this.referenceSets.get(spec.key)!, 0, unknown);
      if (unknown && unknown.length > 0) this.referenceUnknown.set(spec.key, unknown);
    }
  }

  /** A value computed once per region for `key` (e.g. a rule's region-wide blind spot). */
  memoized<T>(key: object, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  count(type: string): number {
    return this.inventory.resources.get(type)?.count ?? 0;
  }

  /** A resource (or child resource, e.g. a model package) by natural id. */
  lookup(type: string, id: string): ResourceObject | undefined {
    return this.idIndex(type).get(id);
  }

  private idIndex(type: string): Map<string, ResourceObject> {
    let index = this.byId.get(type);
    if (index) return index;
    index = new Map();
    const child = childType(type);
    if (child) {
      for (const parent of this.byId.get(child.parent.type)?.values() ?? []) {
        const children = parent[child.child.field];
        if (!Array.isArray(children)) continue;
        for (const c of children) {
          const id = (c as ResourceObject)?.[child.child.idField];
          if (typeof id === "string") index.set(id, c as ResourceObject);
        }
      }
    }
    this.byId.set(type, index);
    return index;
  }

  /** Resources of `type` whose `field` equals `value` (e.g. security groups by VpcId). */
  related(type: string, field: string, value: unknown): readonly ResourceObject[] {
    const key = `${type}\u0000${field}`;
    let index = this.reverse.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.byId.get(type)?.values() ?? []) push(index, r[field], r);
      this.reverse.set(key, index);
    }
    return index.get(value) ?? [];
  }

  /** Every string value of a field named in the spec, at any depth, in resources of its types. */
  referenceSet(spec: ReferenceSpec): ReadonlySet<string> {
    return this.referenceSets.get(spec.key) ?? new Set();
  }

  /** Causes of referencing fields that are Unresolved (planned resources): they may name anything. */
  referenceUnknowns(spec: ReferenceSpec): readonly UnresolvedCause[] {
    return this.referenceUnknown.get(spec.key) ?? [];
  }

  /** Resources of `type` whose `field` is Unresolved: they may or may not be related to anything. */
  relatedUnknown(type: string, field: string): readonly ResourceObject[] {
    if (!this.uncertain) return [];
    return [...(this.byId.get(type)?.values() ?? [])].filter((r) => isUnresolved(r[field]));
  }

  /** Errors of calls that failed for the whole region (list calls) for a type. */
  regionLevelErrors(type: string): readonly CollectionError[] {
    return this.regionErrors.get(type) ?? [];
  }

  /** Errors recorded against one resource. */
  errorsFor(type: string, id: string): readonly CollectionError[] {
    return this.resourceErrors.get(type)?.get(id) ?? [];
  }

  /** The first failed call recorded for `type` in this region: for the region, else for one of its resources. */
  firstError(type: string): CollectionError | undefined {
    return this.regionErrors.get(type)?.[0] ?? this.resourceErrors.get(type)?.values().next().value?.[0];
  }

  /**
   * The failed call that may explain why a referenced `type` `id` is missing, or undefined when
   * the collection of that type was complete (then the reference really is dangling).
   */
  missingBecause(type: string, id: string): CollectionError | undefined {
    const owner = childType(type)?.parent.type ?? type;
    const errors = [...this.regionLevelErrors(owner), ...this.errorsFor(owner, id)];
    if (childType(type)) for (const list of this.resourceErrors.get(owner)?.values() ?? []) errors.push(...list);
    return errors[0];
  }

  arnOf(type: string, resource: ResourceObject): string {
    const def = resourceType(type);
    return def ? def.arn(resource, this.accountId, this.region) : "";
  }
}

/** Keeps only the fields lookups read, so memory follows what cross-resource rules need. */
function project(data: ResourceObject, projection: Projection): ResourceObject {
  if (projection.fields === "all") return data;
  const out: ResourceObject = {};
  for (const f of projection.fields) {
    if (!Object.prototype.hasOwnProperty.call(data, f)) continue;
    // defineProperty: a field named "__proto__" must stay data, never become the prototype.
    // Only for that name: defining every field so was a tenth of the time lookups take.
    if (f === "__proto__") Object.defineProperty(out, f, { value: data[f], enumerable: true, writable: true, configurable: true });
    else out[f] = data[f];
  }
  const children = projection.children;
  if (children) {
    const list = data[children.field];
    if (Array.isArray(list))
      out[children.field] = children.fields === "all" ? list : list.map((c) => project(c as ResourceObject, { fields: children.fields }));
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function collectFieldValues(value: unknown, fields: Set<string>, out: Set<string>, depth: number, unknown?: UnresolvedCause[]): void {
  if (depth > 64 || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collectFieldValues(v, fields, out, depth + 1, unknown);
    return;
  }
  if (isUnresolved(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (fields.has(k) && typeof v === "string" && v.length > 0) out.add(v);
    else if (fields.has(k) && unknown && isUnresolved(v)) unknown.push(v.$unresolved);
    else collectFieldValues(v, fields, out, depth + 1, unknown);
  }
}
