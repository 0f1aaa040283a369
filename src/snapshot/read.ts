import { SnapshotError, type Place } from "../errors.js";
import { readBytes } from "../io/files.js";
import { assertSchema, problemOf, subValidator, toPointer } from "../io/schema.js";
import { resourceType, type ResourceObject } from "../resources/catalog.js";
import { JsonScanError, LineMap, scanJson, Span, type JsonPath } from "./scan.js";
import type {
  CollectionError,
  LoadedSnapshot,
  RegionInventory,
  SnapshotFile,
  SnapshotMeta,
  StoredResource,
} from "./types.js";

/** Node's Buffer limit is the practical ceiling; V8's string limit no longer matters since we never build one string. */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024 * 1024 - 1;

const makeError = (message: string, file: string, place?: Place) => new SnapshotError(message, file, place);

/** Resource objects are located and parsed one by one instead of as part of one huge document. */
function isResourcePath(path: JsonPath): boolean {
  return path.length === 7 && path[0] === "accounts" && path[2] === "regions" && path[4] === "resources" && typeof path[6] === "number";
}

/**
 * Reads a snapshot file. The file is scanned once for its structure; each resource object is
 * then parsed on its own, validated against its type's schema and indexed by id. Problems end
 * in a SnapshotError naming the line and JSON pointer.
 */
export function readSnapshotFile(file: string): LoadedSnapshot {
  const buf = readBytes(file, makeError, MAX_SNAPSHOT_BYTES);
  const lineMap = new LineMap(buf);
  // Where each region's name sits ("a/r" → byte offset), for results that have no object of
  // their own (a type that could not be listed, a project without its group).
  const regionNameAt = new Map<string, number>();
  let tree: unknown;
  try {
    tree = scanJson(buf, {
      spanAt: isResourcePath,
      located: (path, start) => {
        if (isRegionNamePath(path)) regionNameAt.set(`${path[1]}/${path[3]}`, start);
      },
    });
  } catch (err) {
    if (err instanceof JsonScanError) {
      const pos = lineMap.position(err.offset);
      throw makeError(`not valid JSON: ${err.message}`, file, { line: pos.line, column: pos.column });
    }
    throw err;
  }
  const parse = (span: Span, pointer: string): ResourceObject => {
    try {
      return JSON.parse(buf.toString("utf8", span.start, span.end)) as ResourceObject;
    } catch (err) {
      throw makeError(`not valid JSON: ${(err as Error).message}`, file, { ...lineMap.position(span.start), pointer });
    }
  };
  const loaded = buildSnapshot(tree, file, (value, pointer) => {
    if (!(value instanceof Span)) throw new Error("resource values are always spans when scanned");
    return { data: parse(value, pointer), start: value.start, end: value.end, place: lineMap.position(value.start) };
  });
  loaded.lines = (start, end) => ({ startLine: lineMap.line(start), endLine: lineMap.line(Math.max(start, end - 1)) });
  const regionLine = new Map<string, number>();
  (tree as SnapshotFile).accounts.forEach((account, a) =>
    account.regions.forEach((region, r) => {
      const at = regionNameAt.get(`${a}/${r}`);
      if (at !== undefined) regionLine.set(regionKey(account.accountId, region.region), lineMap.line(at));
    }),
  );
  loaded.regionLines = (accountId, region) => {
    const line = regionLine.get(regionKey(accountId, region));
    return line === undefined ? undefined : { startLine: line, endLine: line };
  };
  return loaded;
}

function isRegionNamePath(path: JsonPath): boolean {
  return path.length === 5 && path[4] === "region" && path[2] === "regions" && path[0] === "accounts";
}

function regionKey(accountId: string, region: string): string {
  return `${accountId}\u0000${region}`;
}

/** Builds a snapshot from an in-memory document (tests, rule test cases, `merge`). */
export function snapshotFromObject(doc: unknown, file = "<snapshot>"): LoadedSnapshot {
  return buildSnapshot(doc, file, (value) => ({ data: value as ResourceObject }));
}

interface Materialized {
  data: ResourceObject;
  start?: number;
  end?: number;
  place?: Place;
}

function buildSnapshot(
  tree: unknown,
  file: string,
  materialize: (value: unknown, pointer: string) => Materialized,
): LoadedSnapshot {
  assertSchema("snapshot", withoutResourceItems(tree), file, makeError);
  const doc = tree as SnapshotFile;
  const seenRegions = new Set<string>();
  const regions: RegionInventory[] = [];
  doc.accounts.forEach((account, a) => {
    account.regions.forEach((region, r) => {
      const key = `${account.accountId}/${region.region}`;
      if (seenRegions.has(key)) {
        throw makeError(`account ${account.accountId} region ${region.region} appears twice`, file, { pointer: toPointer(["accounts", a, "regions", r]) });
      }
      seenRegions.add(key);
      const resources = new Map<string, StoredResource[]>();
      for (const type of Object.keys(region.resources).sort()) {
        const items = region.resources[type] as unknown[];
        resources.set(type, loadResources(type, items, ["accounts", a, "regions", r, "resources", type], file, materialize));
      }
      regions.push({ accountId: account.accountId, region: region.region, resources, errors: sortErrors(region.errors) });
    });
  });
  regions.sort((x, y) => compare(x.accountId, y.accountId) || compare(x.region, y.region));
  const meta: SnapshotMeta = { snapshotVersion: doc.snapshotVersion, collectedAt: doc.collectedAt, collector: doc.collector };
  return { meta, regions, file };
}

function loadResources(
  type: string,
  items: unknown[],
  basePath: Array<string | number>,
  file: string,
  materialize: (value: unknown, pointer: string) => Materialized,
): StoredResource[] {
  const def = resourceType(type)!; // the envelope schema only admits known types
  const validate = subValidator("snapshot", `/definitions/${schemaDefinitionName(type)}`);
  const out: StoredResource[] = [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const pointer = toPointer([...basePath, i]);
    const m = materialize(item, pointer);
    const problem = problemOf(validate, m.data);
    if (problem) {
      const path = problem.key !== undefined ? [...problem.path, problem.key] : problem.path;
      throw makeError(problem.message, file, { ...m.place, pointer: toPointer([...basePath, i, ...path]) });
    }
    const id = m.data[def.idField] as string;
    if (ids.has(id)) throw makeError(`duplicate ${type} id "${id}"`, file, { ...m.place, pointer });
    ids.add(id);
    const stored: StoredResource = { id, data: m.data };
    if (m.start !== undefined) {
      stored.start = m.start;
      stored.end = m.end!;
    }
    out.push(stored);
  });
  return out.sort((x, y) => compare(x.id, y.id));
}

/** The envelope is validated with resource arrays emptied: resource objects are validated one by one. */
function withoutResourceItems(tree: unknown): unknown {
  const doc = tree as { accounts?: unknown };
  if (!isObject(doc) || !Array.isArray(doc.accounts)) return tree;
  return {
    ...doc,
    accounts: doc.accounts.map((account: unknown) => {
      if (!isObject(account) || !Array.isArray(account.regions)) return account;
      return {
        ...account,
        regions: account.regions.map((region: unknown) => {
          if (!isObject(region) || !isObject(region.resources)) return region;
          const resources: Record<string, unknown> = {};
          for (const [type, list] of Object.entries(region.resources)) resources[type] = Array.isArray(list) ? [] : list;
          return { ...region, resources };
        }),
      };
    }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Span);
}

const DEFINITION_NAMES: Record<string, string> = {
  "AWS::EC2::VPC": "vpc",
  "AWS::EC2::Subnet": "subnet",
  "AWS::EC2::SecurityGroup": "securityGroup",
  "AWS::ECR::Repository": "ecrRepository",
  "AWS::SageMaker::ModelPackageGroup": "modelPackageGroup",
  "AWS::SageMaker::TrainingJob": "trainingJob",
  "AWS::SageMaker::ProcessingJob": "processingJob",
  "AWS::SageMaker::Model": "model",
  "AWS::SageMaker::Endpoint": "endpoint",
  "AWS::KMS::Key": "kmsKey",
  "AWS::Logs::LogGroup": "logGroup",
};

function schemaDefinitionName(type: string): string {
  const name = DEFINITION_NAMES[type];
  if (!name) throw new Error(`no schema definition for ${type}`);
  return name;
}

function sortErrors(errors: CollectionError[]): CollectionError[] {
  return [...errors].sort(
    (x, y) =>
      compare(x.resourceType, y.resourceType) ||
      compare(x.resourceId ?? "", y.resourceId ?? "") ||
      compare(x.operation, y.operation) ||
      compare(x.code, y.code) ||
      compare(x.message, y.message),
  );
}

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
