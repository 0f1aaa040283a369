import type { ResourceObject } from "../resources/catalog.js";
import type { SourceLocation } from "../resources/source.js";

/** The snapshot file format (schemas/snapshot.schema.json), version 1. */
export interface SnapshotFile {
  snapshotVersion: 1;
  collectedAt: string;
  collector: { name: string; version: string };
  accounts: AccountSnapshot[];
}

export interface AccountSnapshot {
  accountId: string;
  regions: RegionSnapshot[];
}

export interface RegionSnapshot {
  region: string;
  resources: Record<string, ResourceObject[]>;
  errors: CollectionError[];
}

/** A call that failed during collection; rules that need its data report `error`. */
export interface CollectionError {
  resourceType: string;
  operation: string;
  /** Absent when the list call itself failed (the region's resources of that type are unknown). */
  resourceId?: string;
  code: string;
  message: string;
}

export interface SnapshotMeta {
  snapshotVersion: 1;
  collectedAt: string;
  collector: { name: string; version: string };
}

/** Where a resource object sits in the snapshot file, for reports that point at lines (SARIF). */
export interface SourceSpan {
  startLine: number;
  endLine: number;
}

/** One resource as the engine sees it. */
export interface StoredResource {
  id: string;
  data: ResourceObject;
  /** Byte offsets of the object in the snapshot file, when read from one. */
  start?: number;
  end?: number;
  /** The object's JSON text while it is being processed (lets cheap text checks skip deep walks). */
  raw?: string;
  /** Its ARN when not derived from the object (planned resources: a synthetic ARN naming the declaration). */
  arn?: string;
  /** Where the resource was declared (planned resources). */
  source?: SourceLocation;
  /** Declared in a plan, not read from AWS (its alert identity is its declaration). */
  planned?: true;
}

/**
 * The resources of one type in one region. Objects are parsed (and validated) only when
 * asked for, one at a time, so a snapshot never has to be in memory as a whole.
 */
export interface TypeSource {
  readonly type: string;
  readonly count: number;
  /** Parses, validates and returns the i-th resource in file order. */
  item(index: number): StoredResource;
  /** Resources in file order; may read ahead in blocks. */
  items(): Iterable<StoredResource>;
}

/** All data of one account and region: the unit of evaluation. */
export interface RegionInventory {
  accountId: string;
  region: string;
  /** Resource types present in the snapshot, sorted by name. */
  resources: Map<string, TypeSource>;
  errors: CollectionError[];
  /** Holds planned resources, whose values may be Unresolved (sagegate plan). */
  uncertain?: boolean;
}

export interface LoadedSnapshot {
  meta: SnapshotMeta;
  /** Sorted by account id, then region. */
  regions: RegionInventory[];
  /** Path of the file it was read from, if any. */
  file?: string;
  /** Line numbers of a resource's byte range (available when read from a file with lines on). */
  lines?: (start: number, end: number) => SourceSpan;
  /** The line of a region's `"region": "…"` member, for results that have no object of their own. */
  regionLines?: (accountId: string, region: string) => SourceSpan | undefined;
}
