// Writes a snapshot file: the same bytes as JSON.stringify(doc, null, 2) + "\n", produced one
// resource at a time (never one string for the whole file) and atomically (temp file + rename).
import { AtomicFile, checkpoint, InPlaceFile, planOutput, type OutputFile } from "../io/files.js";
import type { ResourceObject } from "../resources/catalog.js";
import type { SnapshotFile } from "./types.js";
import { compare, sortErrors } from "./order.js";

/** Sorts resources by id and errors by type, id, operation: two collects of the same account write the same bytes. */
export function normalizeSnapshot(doc: SnapshotFile, idFieldOf: (type: string) => string): SnapshotFile {
  const accounts = [...doc.accounts]
    .sort((a, b) => compare(a.accountId, b.accountId))
    .map((account) => ({
      accountId: account.accountId,
      regions: [...account.regions]
        .sort((a, b) => compare(a.region, b.region))
        .map((region) => {
          const resources: Record<string, ResourceObject[]> = {};
          for (const type of Object.keys(region.resources).sort(compare)) {
            const idField = idFieldOf(type);
            resources[type] = [...region.resources[type]!].sort((x, y) => compare(String(x[idField]), String(y[idField])));
          }
          return { region: region.region, resources, errors: sortErrors(region.errors) };
        }),
    }));
  return { snapshotVersion: doc.snapshotVersion, collectedAt: doc.collectedAt, collector: doc.collector, accounts };
}

/** `value` as JSON.stringify(value, null, 2) would print it nested `depth` levels deep. */
function pretty(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, "\n" + "  ".repeat(depth));
}

/** Streams the document to `write` in the exact layout of JSON.stringify(doc, null, 2) + "\n". */
export function serializeSnapshot(doc: SnapshotFile, write: (chunk: string) => void): void {
  const pad = (n: number) => "  ".repeat(n);
  write(`{\n${pad(1)}"snapshotVersion": ${JSON.stringify(doc.snapshotVersion)},\n`);
  write(`${pad(1)}"collectedAt": ${JSON.stringify(doc.collectedAt)},\n`);
  write(`${pad(1)}"collector": ${pretty(doc.collector, 1)},\n`);
  if (doc.accounts.length === 0) {
    write(`${pad(1)}"accounts": []\n}\n`);
    return;
  }
  write(`${pad(1)}"accounts": [\n`);
  doc.accounts.forEach((account, a) => {
    write(`${pad(2)}{\n${pad(3)}"accountId": ${JSON.stringify(account.accountId)},\n`);
    if (account.regions.length === 0) write(`${pad(3)}"regions": []\n`);
    else {
      write(`${pad(3)}"regions": [\n`);
      account.regions.forEach((region, r) => {
        write(`${pad(4)}{\n${pad(5)}"region": ${JSON.stringify(region.region)},\n`);
        const types = Object.keys(region.resources);
        if (types.length === 0) write(`${pad(5)}"resources": {},\n`);
        else {
          write(`${pad(5)}"resources": {\n`);
          types.forEach((type, t) => {
            const list = region.resources[type]!;
            const comma = t < types.length - 1 ? "," : "";
            if (list.length === 0) {
              write(`${pad(6)}${JSON.stringify(type)}: []${comma}\n`);
              return;
            }
            write(`${pad(6)}${JSON.stringify(type)}: [\n`);
            list.forEach((resource, i) => write(`${pad(7)}${pretty(resource, 7)}${i < list.length - 1 ? "," : ""}\n`));
            write(`${pad(6)}]${comma}\n`);
          });
          write(`${pad(5)}},\n`);
        }
        write(`${pad(5)}"errors": ${pretty(region.errors, 5)}\n`);
        write(`${pad(4)}}${r < account.regions.length - 1 ? "," : ""}\n`);
      });
      write(`${pad(3)}]\n`);
    }
    write(`${pad(2)}}${a < doc.accounts.length - 1 ? "," : ""}\n`);
  });
  write(`${pad(1)}]\n}\n`);
}

/**
 * A snapshot written but not yet visible: `readPath` holds its bytes (the temp file, for reading
 * back), commit() renames it into place. A device or FIFO (written in place) gets its bytes on
 * commit and has no readPath.
 */
export interface StagedSnapshot {
  readPath: string | undefined;
  commit(): void;
  abort(): void;
}

/** Writes the snapshot to a temp file beside `path` (or, for a device, FIFO or "-", prepares to write it in place). */
export async function stageSnapshotFile(path: string, doc: SnapshotFile, option = "--output"): Promise<StagedSnapshot> {
  const plan = planOutput(path, option);
  if (plan.mode === "in-place") {
    let done = false;
    return {
      readPath: undefined,
      commit: () => {
        if (done) return;
        done = true;
        const file = InPlaceFile.open(plan, path);
        try {
          writeTo(file, doc);
        } finally {
          file.commit();
        }
      },
      abort: () => (done = true),
    };
  }
  const file = new AtomicFile(plan.path, path);
  try {
    writeTo(file, doc);
    await checkpoint(); // a signal during serialization: the temp file is removed, nothing renamed
    file.finish();
  } catch (err) {
    file.abort();
    throw err;
  }
  return { readPath: file.tempPath, commit: () => file.commit(), abort: () => file.abort() };
}

function writeTo(file: OutputFile, doc: SnapshotFile): void {
  let buffer = "";
  serializeSnapshot(doc, (chunk) => {
    buffer += chunk;
    if (buffer.length > 1 << 20) {
      file.write(buffer);
      buffer = "";
    }
  });
  file.write(buffer);
}

/** Writes the snapshot atomically to `path` (a regular file or a new path), in place to a device or FIFO, or to standard output for "-". */
export async function writeSnapshotFile(path: string, doc: SnapshotFile, option = "--output"): Promise<void> {
  const staged = await stageSnapshotFile(path, doc, option);
  try {
    staged.commit();
  } catch (err) {
    staged.abort();
    throw err;
  }
}
