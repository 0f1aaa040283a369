// `sagegate merge`: joins snapshots collected separately (one per account or region, e.g. on
// parallel CI jobs) into one. The same account and region in two inputs is accepted only when
// both hold the same content; otherwise the merge is refused, naming both files.
import { SnapshotError } from "../errors.js";
import { resourceType, type ResourceObject } from "../resources/catalog.js";
import { TOOL } from "../version.js";
import { compare, readSnapshotFile } from "./read.js";
import type { AccountSnapshot, LoadedSnapshot, RegionSnapshot, SnapshotFile } from "./types.js";
import { normalizeSnapshot } from "./write.js";

export function mergeSnapshotFiles(files: readonly string[]): SnapshotFile {
  return mergeSnapshots(files.map((file) => ({ file, snapshot: readSnapshotFile(file) })));
}

export function mergeSnapshots(inputs: ReadonlyArray<{ file: string; snapshot: LoadedSnapshot }>): SnapshotFile {
  const regions = new Map<string, { file: string; accountId: string; region: RegionSnapshot; canonical: string }>();
  for (const { file, snapshot } of inputs) {
    for (const inv of snapshot.regions) {
      const resources: Record<string, ResourceObject[]> = {};
      for (const [type, source] of inv.resources) resources[type] = [...source.items()].map((r) => r.data);
      const region: RegionSnapshot = { region: inv.region, resources, errors: inv.errors };
      const canonical = canonicalJson(region);
      const key = `${inv.accountId}/${inv.region}`;
      const earlier = regions.get(key);
      if (earlier) {
        if (earlier.canonical !== canonical) {
          throw new SnapshotError(
            `account ${inv.accountId} region ${inv.region} is in both ${earlier.file} and ${file} with different content; merge one of them only`,
          );
        }
        continue;
      }
      regions.set(key, { file, accountId: inv.accountId, region, canonical });
    }
  }
  const accounts = new Map<string, AccountSnapshot>();
  for (const { accountId, region } of regions.values()) {
    const account = accounts.get(accountId) ?? { accountId, regions: [] };
    account.regions.push(region);
    accounts.set(accountId, account);
  }
  // The merged data is as old as its oldest part.
  const collectedAt = inputs.map((i) => i.snapshot.meta.collectedAt).sort(compare)[0] ?? new Date().toISOString();
  const doc: SnapshotFile = { snapshotVersion: 1, collectedAt, collector: { name: TOOL.name, version: TOOL.version }, accounts: [...accounts.values()] };
  return normalizeSnapshot(doc, (type) => resourceType(type)!.idField);
}

/** JSON with object keys sorted at every level: the same content gives the same text whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key must be compared as data, not set the prototype (and vanish).
    for (const k of Object.keys(v).sort(compare))
      Object.defineProperty(sorted, k, { value: (v as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true });
    return sorted;
  });
}
