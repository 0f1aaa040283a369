import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, write as writeAsync, writeSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { SagegateError } from "../errors.js";

/** Size limits for files a user writes by hand; snapshots have their own, much larger limit. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

type ErrorFactory = (message: string, file: string) => SagegateError;

/** Reads a UTF-8 text file, refusing files above `maxBytes` before reading them. */
export function readTextFile(file: string, makeError: ErrorFactory, maxBytes = MAX_DOCUMENT_BYTES): string {
  return readBytes(file, makeError, maxBytes).toString("utf8");
}

export function readBytes(file: string, makeError: ErrorFactory, maxBytes: number): Buffer {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw makeError("not a regular file", file);
    size = stat.size;
  } catch (err) {
    if (isNodeError(err)) throw makeError(describeFsError(err), file);
    throw err;
  }
  if (size > maxBytes) throw makeError(`file is ${size} bytes, above the limit of ${maxBytes}`, file);
  try {
    return readFileSync(file);
  } catch (err) {
    if (isNodeError(err)) throw makeError(describeFsError(err), file);
    throw err;
  }
}

function isNodeError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string";
}

function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ENOENT":
      return "file not found";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return err.message;
  }
}

/** Temp files we created and not yet renamed: removed if the process is interrupted. */
const pendingTempFiles = new Set<string>();

export function removePendingTempFiles(): void {
  for (const file of pendingTempFiles) rmSync(file, { force: true });
  pendingTempFiles.clear();
}

/**
 * Writes a file atomically: the content goes to a temp file in the same directory, is flushed,
 * and replaces the target with one rename. A reader never sees a half-written report, and an
 * interrupted run leaves the previous file (or none) behind.
 */
export class AtomicFile {
  private readonly fd: number;
  private readonly tempPath: string;
  private done = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    pendingTempFiles.add(this.tempPath);
    this.fd = openSync(this.tempPath, "w", 0o644);
  }

  /** Bytes written (or being written) so far: where the next chunk goes. */
  private position = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private idle: (() => void) | undefined;

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset, this.position + offset);
    this.position += bytes.length;
  }

  /**
   * Starts writing `chunk` on the thread pool, so rendering goes on meanwhile; `done` runs when
   * the bytes are written (the caller may then reuse the buffer). commit() waits for all.
   */
  writeInBackground(chunk: Uint8Array, done: () => void): void {
    const at = this.position;
    this.position += chunk.length;
    this.inFlight++;
    const writeFrom = (offset: number): void => {
      writeAsync(this.fd, chunk, offset, chunk.length - offset, at + offset, (err, n) => {
        if (err) this.failure ??= err;
        else if (offset + n < chunk.length) return writeFrom(offset + n);
        this.inFlight--;
        done();
        if (this.inFlight === 0) this.idle?.();
      });
    };
    writeFrom(0);
  }

  get pendingWrites(): number {
    return this.inFlight;
  }

  /** Resolves when every background write has finished. */
  async settled(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.idle = undefined;
    if (this.failure) throw this.failure;
  }

  commit(): void {
    if (this.done) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tempPath, this.path);
    pendingTempFiles.delete(this.tempPath);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    closeSync(this.fd);
    rmSync(this.tempPath, { force: true });
    pendingTempFiles.delete(this.tempPath);
    this.done = true;
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const file = new AtomicFile(path);
  try {
    file.write(content);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}
