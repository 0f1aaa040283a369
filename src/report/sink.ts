// Where a rendered report goes: a file written atomically, or standard output. Writers push
// text in pieces so large reports never exist as one string.
import { writeSync } from "node:fs";
import { AtomicFile } from "../io/files.js";

export interface Sink {
  write(text: string): void;
  /** Makes the output visible (renames the temp file / flushes stdout). */
  commit(): Promise<void>;
  abort(): void;
}

const FLUSH_AT = 1 << 20;

class FileSink implements Sink {
  private pending: string[] = [];
  private size = 0;
  constructor(private readonly file: AtomicFile) {}
  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }
  private flush(): void {
    if (this.pending.length === 0) return;
    this.file.write(this.pending.join(""));
    this.pending = [];
    this.size = 0;
  }
  async commit(): Promise<void> {
    this.flush();
    this.file.commit();
  }
  abort(): void {
    this.pending = [];
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
  async commit(): Promise<void> {
    this.flushSync();
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
