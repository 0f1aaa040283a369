// Where a rendered report goes: a file written atomically, a device or FIFO written in place,
// or standard output (io/files.ts decides which). Writers push text in pieces so large reports
// never exist as one string.
import { openOutputFile, type OutputFile } from "../io/files.js";

export interface Sink {
  write(text: string): void;
  /** Optional: renderers of large outputs await it now and then so background writes progress. */
  breathe?(): Promise<void>;
  /** Everything rendered is written and flushed; a file is not visible yet. */
  finish(): Promise<void>;
  /** Makes the output visible (renames the temp file). Synchronous: a run's outputs appear together. */
  commit(): void;
  abort(): void;
}

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
  constructor(private readonly file: OutputFile) {}
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
  async finish(): Promise<void> {
    this.flush();
    await this.file.settled();
    this.file.finish();
  }
  commit(): void {
    this.file.commit();
  }
  abort(): void {
    this.used = 0;
    this.file.abort();
  }
}

/** "-" is standard output; a file is replaced atomically on commit; a device or FIFO is written in place. */
export function openSink(target: string): Sink {
  return new FileSink(openOutputFile(target));
}

/** A sink that keeps the text, for tests and for the GitHub step summary. */
export class StringSink implements Sink {
  private parts: string[] = [];
  write(text: string): void {
    this.parts.push(text);
  }
  async finish(): Promise<void> {}
  commit(): void {}
  abort(): void {
    this.parts = [];
  }
  text(): string {
    return this.parts.join("");
  }
}
