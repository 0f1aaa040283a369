// `--request-timeout` bounds each attempt from the request to the last byte of the answer.
// @smithy/node-http-handler's requestTimeout stops counting when the headers arrive: the SDK
// reads the body later, in its deserializer, with no limit, so an answer that stalled after its
// headers held a scan for minutes, and one trickling a byte a second as long as it liked. This
// handler wraps the SDK's: each attempt (the retry middleware calls handle() once per attempt)
// gets its own deadline, an abort signal that also covers reading the whole body, which is
// read here and handed on as bytes. A missed deadline is a TimeoutError, which the SDK retries
// like any timeout.
//
// It is also where a collect's request slots (--max-in-flight) are taken: a slot is held from the
// moment the request goes out to the last byte of its answer, and nothing else — not the SDK's
// serialising, signing and parsing, not a retry's backoff — so the slots measure requests on
// the wire. The deadline starts once the slot is held: waiting for one is not the request's time.
import type { Readable } from "node:stream";

/** A bound on requests on the wire (a Limiter). */
export interface RequestSlots {
  run<T>(task: () => Promise<T>): Promise<T>;
}

interface HttpResponse {
  statusCode: number;
  body?: unknown;
}

/** The part of @smithy/node-http-handler's NodeHttpHandler (an SDK HttpHandler) this wrapper uses. */
export interface HttpHandler {
  handle(request: unknown, options?: { abortSignal?: AbortSignal; requestTimeout?: number }): Promise<{ response: HttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): object;
  destroy?(): void;
  readonly metadata?: unknown;
}

export class DeadlineHandler {
  constructor(
    private readonly inner: HttpHandler,
    private readonly timeoutMs: number,
    private readonly slots?: RequestSlots,
  ) {}

  get metadata(): unknown {
    return this.inner.metadata;
  }

  handle(request: unknown, options: { abortSignal?: AbortSignal; requestTimeout?: number } = {}): Promise<{ response: HttpResponse }> {
    return this.slots ? this.slots.run(() => this.attempt(request, options)) : this.attempt(request, options);
  }

  private async attempt(request: unknown, options: { abortSignal?: AbortSignal; requestTimeout?: number }): Promise<{ response: HttpResponse }> {
    const controller = new AbortController();
    const deadline = Object.assign(new Error(`no complete answer within ${this.timeoutMs} ms (--request-timeout)`), {
      name: "TimeoutError",
      code: "ETIMEDOUT",
    });
    const timer = setTimeout(() => controller.abort(deadline), this.timeoutMs);
    const outer = options.abortSignal;
    const forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener("abort", forward, { once: true });
    try {
      const { response } = await this.inner.handle(request, { ...options, abortSignal: controller.signal });
      if (isReadable(response.body)) response.body = await readAll(response.body, controller.signal);
      return { response };
    } catch (err) {
      if (controller.signal.reason === deadline) throw deadline;
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", forward);
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): object {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy?.();
  }
}

function isReadable(body: unknown): body is Readable {
  return typeof body === "object" && body !== null && typeof (body as Readable).on === "function" && typeof (body as Readable).destroy === "function";
}

/** The whole body, or the signal's reason once it aborts (the stream is destroyed then). */
function readAll(stream: Readable, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (err: unknown, body?: Buffer) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if (err === undefined) resolve(body!);
      else reject(err instanceof Error ? err : new Error("request aborted", { cause: err }));
    };
    const onAbort = () => {
      stream.destroy();
      finish(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    stream.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    stream.once("end", () => finish(undefined, Buffer.concat(chunks)));
    stream.once("error", (err) => finish(err));
    // A connection closed before the end of the body: a reset, retried like one.
    stream.once("close", () => finish(Object.assign(new Error("the connection closed before the answer was complete"), { code: "ECONNRESET" })));
  });
}
