import { isUtf8 } from "node:buffer";
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  write as writeAsync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { OutputError, UsageError, type Place, type SagegateError } from "../errors.js";

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
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "read-only file system";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "file name too long";
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

// ---- Output paths -------------------------------------------------------------------------------

/**
 * How an output is written. Regular files and new paths are replaced atomically (temp file in
 * the same directory, then rename), through symbolic links: the link stays, its target is
 * replaced. Character devices (/dev/null, a terminal) and FIFOs are written in place: renaming
 * over them would replace the device node with a regular file. "-" and the names of standard
 * output and error (/dev/stdout, /dev/fd/1, /proc/self/fd/2, …) write to that descriptor, as
 * the shell does, so `-o /dev/stdout >> log` appends.
 */
export type OutputPlan = { mode: "replace"; path: string } | { mode: "in-place"; path: string; fd?: number };

/**
 * Names of standard output and standard error. Other /dev/fd/N and /proc/self/fd/N are opened
 * by name like any path (Linux reopens what the descriptor refers to): N could be one of Node's
 * own descriptors, which sagegate must never write to.
 */
const STANDARD_STREAM = /^\/(?:dev\/(?:std(out|err)|fd\/([12]))|proc\/self\/fd\/([12]))$/;

/**
 * Where and how `path` would be written; a typed error (exit 2) naming it when it cannot be:
 * a directory, a socket or block device, a path under a regular file, no permission. Nothing
 * is created: sagegate checks every output this way before any work, so a run that cannot
 * write one of its outputs writes none.
 */
export function planOutput(path: string, option = "--output"): OutputPlan {
  if (path === "-") return { mode: "in-place", path, fd: 1 };
  if (path.length === 0) throw new UsageError(`${option} needs a file name, got ""`);
  const stream = STANDARD_STREAM.exec(path) ?? STANDARD_STREAM.exec(linkTarget(path));
  if (stream) {
    const fd = stream[1] === "out" ? 1 : stream[1] === "err" ? 2 : Number(stream[2] ?? stream[3]);
    try {
      fstatSync(fd);
    } catch {
      throw new OutputError(`file descriptor ${fd} is not open`, path);
    }
    return { mode: "in-place", path, fd };
  }
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    if (!isNodeError(err)) throw err;
    if (err.code === "ENOENT") return planNewFile(path, option);
    if (err.code === "ENOTDIR") throw new OutputError(`cannot be created: ${nonDirectoryAncestor(path)} is not a directory`, path);
    throw new OutputError(describeFsError(err), path);
  }
  if (stat.isDirectory()) throw new OutputError(`is a directory; ${option} needs a file name`, path);
  if (stat.isFile()) {
    const target = realpathSync(path);
    requireWritableDirectory(dirname(target), path, "replaced");
    return { mode: "replace", path: target };
  }
  if (stat.isFIFO() || stat.isCharacterDevice()) {
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      throw new OutputError(isNodeError(err) ? describeFsError(err) : String(err), path);
    }
    return { mode: "in-place", path };
  }
  throw new OutputError(
    `is a ${stat.isSocket() ? "socket" : stat.isBlockDevice() ? "block device" : "special file"}; ${option} writes files, FIFOs and character devices`,
    path,
  );
}

/** A path that does not exist yet (or a symbolic link to one): its nearest existing ancestor must be a writable directory. */
function planNewFile(path: string, option: string): OutputPlan {
  if (/[/\\]$/.test(path)) throw new OutputError(`is a directory name; ${option} needs a file name`, path);
  // A symbolic link that points at nothing: write where it points, as the shell's `>` does.
  const target = linkTarget(path);
  let dir = dirname(resolve(target));
  for (;;) {
    let stat;
    try {
      stat = statSync(dir);
    } catch (err) {
      if (isNodeError(err) && (err.code === "ENOENT" || err.code === "ENOTDIR") && dirname(dir) !== dir) {
        dir = dirname(dir);
        continue;
      }
      throw new OutputError(`cannot be created: ${dir}: ${isNodeError(err) ? describeFsError(err) : String(err)}`, path);
    }
    if (!stat.isDirectory()) throw new OutputError(`cannot be created: ${dir} is not a directory`, path);
    break;
  }
  requireWritableDirectory(dir, path, "created");
  return { mode: "replace", path: target };
}

/** Where a chain of symbolic links ends (not following /proc's descriptor links, which are no paths); the path itself when it is none. */
function linkTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
      const next = resolve(dirname(p), readlinkSync(p));
      if (STANDARD_STREAM.test(next)) return next;
      p = next;
    } catch {
      return p;
    }
  }
  return p;
}

function nonDirectoryAncestor(path: string): string {
  let dir = dirname(resolve(path));
  while (dirname(dir) !== dir) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      /* missing or not reachable: look further up */
    }
    dir = dirname(dir);
  }
  return dirname(path);
}

function requireWritableDirectory(dir: string, path: string, verb: "created" | "replaced"): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = isNodeError(err) ? err.code : undefined;
    if (code === "EROFS") throw new OutputError(`cannot be ${verb}: ${dir} is on a read-only file system`, path);
    throw new OutputError(`cannot be ${verb}: no permission to write in ${dir}`, path);
  }
}

export interface OutputCheck {
  /** A path as the user gave it, or "-" for standard output. */
  path: string;
  /** The option that named it, for messages: --output, --snapshot-out. */
  option: string;
}

/**
 * Checks every output of a run before any work: each can be written (planOutput), and no two
 * name the same file (also through links or different spellings). Throws the first problem.
 */
export function checkOutputs(outputs: readonly OutputCheck[]): void {
  const seen = new Map<string, OutputCheck>();
  for (const out of outputs) {
    const plan = planOutput(out.path, out.option);
    if (plan.mode !== "replace") continue;
    const key = resolve(plan.path);
    const earlier = seen.get(key);
    if (earlier) throw new UsageError(`${out.option} ${out.path} and ${earlier.option} ${earlier.path} name the same file; give each output its own file`);
    seen.set(key, out);
  }
}

/** A file being written: replaced atomically on commit, or written in place. */
export interface OutputFile {
  readonly path: string;
  write(chunk: string | Uint8Array): void;
  /** Starts writing `chunk` (possibly on the thread pool); `done` runs once the buffer may be reused. */
  writeInBackground(chunk: Uint8Array, done: () => void): void;
  readonly pendingWrites: number;
  /** Resolves when every background write has finished. */
  settled(): Promise<void>;
  /** Everything written and flushed to disk; not visible yet (replace) or already there (in place). */
  finish(): void;
  /** Makes the file visible: the rename. Synchronous, so a run's outputs appear together. */
  commit(): void;
  abort(): void;
}

/** Opens an output as planOutput says: atomic replacement, or in place. */
export function openOutputFile(path: string, option = "--output"): OutputFile {
  const plan = planOutput(path, option);
  return plan.mode === "replace" ? new AtomicFile(plan.path, path) : InPlaceFile.open(plan, path);
}

/** An I/O failure while writing an output, as a typed error naming the file the user gave. */
function outputFailure(err: unknown, file: string, doing: string): unknown {
  if (!isNodeError(err)) return err;
  return new OutputError(`cannot ${doing}: ${describeFsError(err)}`, file);
}

/**
 * Writes a file atomically: the content goes to a temp file in the same directory, is flushed,
 * and replaces the target with one rename. A reader never sees a half-written report, and an
 * interrupted run leaves the previous file (or none) behind.
 */
export class AtomicFile implements OutputFile {
  private readonly fd: number;
  readonly tempPath: string;
  private open = true;
  private done = false;

  /** `path` is replaced as it is (a symbolic link itself would be replaced: openOutputFile resolves links first). */
  constructor(
    readonly path: string,
    private readonly shownAs: string = path,
  ) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    let mode = 0o644;
    try {
      mode = statSync(path).mode & 0o777; // a replaced file keeps its permissions
    } catch {
      /* a new file */
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
      pendingTempFiles.add(this.tempPath);
      this.fd = openSync(this.tempPath, "w", mode);
    } catch (err) {
      pendingTempFiles.delete(this.tempPath);
      throw outputFailure(err, shownAs, "create it");
    }
  }

  /** Bytes written (or being written) so far: where the next chunk goes. */
  private position = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private idle: (() => void) | undefined;

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset, this.position + offset);
    } catch (err) {
      throw outputFailure(err, this.shownAs, "write it");
    }
    this.position += bytes.length;
  }

  /**
   * Starts writing `chunk` on the thread pool, so rendering goes on meanwhile; `done` runs when
   * the bytes are written (the caller may then reuse the buffer). settled() waits for all.
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

  async settled(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.idle = undefined;
    if (this.failure) throw outputFailure(this.failure, this.shownAs, "write it");
  }

  finish(): void {
    if (!this.open) return;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch (err) {
      throw outputFailure(err, this.shownAs, "write it");
    }
    this.open = false;
  }

  commit(): void {
    if (this.done) return;
    this.finish();
    try {
      renameSync(this.tempPath, this.path);
    } catch (err) {
      throw outputFailure(err, this.shownAs, "replace it");
    }
    pendingTempFiles.delete(this.tempPath);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    if (this.open) closeSync(this.fd);
    this.open = false;
    rmSync(this.tempPath, { force: true });
    pendingTempFiles.delete(this.tempPath);
    this.done = true;
  }
}

/**
 * Writes a device, a FIFO or an open descriptor in place, synchronously. A reader that went
 * away (EPIPE: `sagegate … | head -1`) is not an error: the rest of the output is dropped and
 * the run ends with the gate's own exit code. A full non-blocking pipe is waited on.
 */
export class InPlaceFile implements OutputFile {
  readonly pendingWrites = 0;
  private readerGone = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Whether sagegate opened the descriptor (and closes it); never for stdout or an inherited descriptor. */
    private readonly owned: boolean,
  ) {}

  static open(plan: Extract<OutputPlan, { mode: "in-place" }>, shownAs: string = plan.path): InPlaceFile {
    if (plan.fd !== undefined) return new InPlaceFile(shownAs, plan.fd, false);
    try {
      return new InPlaceFile(shownAs, openSync(plan.path, "w"), true);
    } catch (err) {
      throw outputFailure(err, shownAs, "open it");
    }
  }

  /** Whether the reader closed its end (EPIPE); later writes are dropped. */
  get closedByReader(): boolean {
    return this.readerGone;
  }

  write(chunk: string | Uint8Array): void {
    if (this.readerGone) return;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        const code = isNodeError(err) ? err.code : undefined;
        if (code === "EPIPE") {
          this.readerGone = true;
          return;
        }
        // A non-blocking pipe that is full: wait a moment and retry rather than lose output.
        if (code !== "EAGAIN") throw outputFailure(err, this.path, "write it");
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }

  writeInBackground(chunk: Uint8Array, done: () => void): void {
    this.write(chunk);
    done();
  }

  async settled(): Promise<void> {}

  finish(): void {}

  commit(): void {
    this.close();
  }

  abort(): void {
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) closeSync(this.fd);
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const file = openOutputFile(path);
  try {
    file.write(content);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}
