import { isUtf8 } from "node:buffer";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, write as writeAsync, writeSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { Place, SagegateError } from "../errors.js";

/** Size limits for files a user writes by hand; snapshots have their own, much larger limit. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

type ErrorFactory = (message: string, file: string, place?: Place) => SagegateError;

/**
 * Reads a UTF-8 text file, refusing files above `maxBytes` before reading them and files that
 * are not UTF-8 (rather than reading replacement characters). A leading BOM is dropped.
 */
export function readTextFile(file: string, makeError: ErrorFactory, maxBytes = MAX_DOCUMENT_BYTES): string {
  return decodeUtf8(readBytes(file, makeError, maxBytes), file, makeError);
}

/** The bytes as text; a typed error naming the line of the first byte that is not UTF-8. */
export function decodeUtf8(buf: Buffer, file: string, makeError: ErrorFactory): string {
  assertUtf8(buf, file, makeError);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  try {
    return buf.toString("utf8", start);
  } catch {
    // Beyond V8's string limit (~512M characters).
    throw makeError(`file is ${buf.length} bytes, too large to read as one text`, file);
  }
}

/** Refuses bytes that are not valid UTF-8, naming the line and column of the first bad byte. */
export function assertUtf8(buf: Buffer, file: string, makeError: ErrorFactory): void {
  if (isUtf8(buf)) return;
  const at = firstInvalidUtf8(buf);
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < at; i = buf.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  throw makeError(`not UTF-8 text: byte 0x${buf[at]!.toString(16).padStart(2, "0")} at offset ${at} is not valid UTF-8`, file, {
    line,
    column: at - lineStart + 1,
  });
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence (only called when there is one). */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
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

/**
 * Lets pending signal handlers run. Signals reach JavaScript only through the event loop, so a
 * long synchronous stage (reading a snapshot, evaluating a region) defers them; sagegate passes
 * a checkpoint between regions and right before anything is made visible (renamed into place),
 * where the SIGINT/SIGTERM handler removes the temp files and exits 130/143.
 */
export function checkpoint(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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
