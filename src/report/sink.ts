// Where a rendered report goes: a file written atomically, or standard output. Writers push
// text in pieces so large reports never exist as one string.
import { writeSync } from "node:fs";
import { AtomicFile } from "../io/files.js";

export interface Sink {
  write(text: string): void;
  /** Optional: renderers of large outputs await it now and then so background writes progress. */
  breathe?(): Promise<void>;
  /** Makes the output visible (renames the temp file / flushes stdout). */
  commit(): Promise<void>;
  abort(): void;
}

const FLUSH_AT = 1 << 20;
const BUFFER_BYTES = 4 << 20;

/**
 * Encodes text straight into buffers (no joined strings) and hands full buffers to the thread
 * pool, so the disk write of a half-gigabyte report overlaps with rendering it. At most
 * MAX_IN_FLIGHT buffers are queued; beyond that a buffer is written synchronously, which keeps
 * memory bounded whatever the renderer does.
 */
const MAX_IN_FLIGHT = 4;

class FileSink implements Sink {
  private spare: Buffer[] = [];
  private buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  constructor(private readonly file: AtomicFile) {}
  write(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        this.file.write(text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }
  private flush(): void {
    if (this.used === 0) return;
    const full = this.buffer;
    const bytes = full.subarray(0, this.used);
    this.used = 0;
    if (this.file.pendingWrites >= MAX_IN_FLIGHT) {
      this.file.write(bytes);
      return;
    }
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.file.writeInBackground(bytes, () => this.spare.push(full));
  }
  /** Lets finished background writes be noticed (renderers call it now and then). */
  async breathe(): Promise<void> {
    if (this.file.pendingWrites > 0) await new Promise((resolve) => setImmediate(resolve));
  }
  async commit(): Promise<void> {
    this.flush();
    await this.file.settled();
    this.file.commit();
  }
  abort(): void {
    this.used = 0;
    this.file.abort();
  }
}

class StdoutSink implements Sink {
  private pending: string[] = [];
  private size = 0;
  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flushSync();
  }
  private flushSync(): void {
    const data = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.size = 0;
    let offset = 0;
    while (offset < data.length) {
      try {
        offset += writeSync(1, data, offset);
      } catch (err) {
        // A non-blocking pipe that is full: wait a moment and retry rather than lose output.
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
  commit(): Promise<void> {
    // As an async function would: a failed flush rejects rather than throws.
    return new Promise((resolve) => {
      this.flushSync();
      resolve();
    });
  }
  abort(): void {
    this.pending = [];
  }
}

/** "-" is standard output; anything else a file, replaced atomically on commit. */
export function openSink(target: string): Sink {
  return target === "-" ? new StdoutSink() : new FileSink(new AtomicFile(target));
}

/** A sink that keeps the text, for tests and for the GitHub step summary. */
export class StringSink implements Sink {
  private parts: string[] = [];
  write(text: string): void {
    this.parts.push(text);
  }
  async commit(): Promise<void> {}
  abort(): void {
    this.parts = [];
  }
  text(): string {
    return this.parts.join("");
  }
}
