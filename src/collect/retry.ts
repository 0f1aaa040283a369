// Retries, so that `--max-attempts` means what it says. The SDK's standard and adaptive
// strategies also keep a retry quota per client: 500 tokens, a 5xx or timeout retry costs 14,
// a throttling retry 5, a success gives back what its retries took (or 1). The quota protects
// a long-running service from retry storms; for a scan it meant that once a few dozen calls of
// a service had needed retries, later calls gave up after their first failure while
// `--max-attempts` promised more (60% throttling over 358 calls: 95 gave up after one attempt).
// A scan makes a bounded number of calls, each with at most `--max-attempts` attempts, so the
// quota is sized to the run: unlimited. Everything else is the SDK's adaptive mode: its
// client-side rate limiter (which slows a client down under throttling), the same backoff
// (full jitter, 50 ms base, 1 s for throttling, doubling, capped at 20 s) and Retry-After hints.
import { DefaultRateLimiter, MAXIMUM_RETRY_DELAY, Retry } from "@smithy/core/retry";

/** What the SDK's retry middleware hands the strategy after a failed attempt (@smithy/types RetryErrorInfo). */
export interface RetryErrorInfo {
  errorType: "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR";
  retryAfterHint?: Date;
  error?: unknown;
}

class RetryToken {
  readonly $retryLog: { acquisitionDelay: number };
  constructor(
    private readonly count: number,
    delayWaited: number,
  ) {
    this.$retryLog = { acquisitionDelay: delayWaited };
  }
  getRetryCount(): number {
    return this.count;
  }
  /** The strategy has already waited; the middleware waits nothing more. */
  getRetryDelay(): number {
    return 0;
  }
}

/** A RetryStrategyV2 (the SDK's interface) with the adaptive mode's behaviour and no client-wide quota. */
export class RunRetryStrategy {
  readonly mode = "adaptive";
  private readonly rateLimiter: DefaultRateLimiter;

  /** `delayScale` multiplies every delay and the rate limiter's slowest rate's period (tests use 0.01). */
  constructor(
    private readonly maxAttempts: number,
    private readonly delayScale = 1,
  ) {
    this.rateLimiter = delayScale === 1 ? new DefaultRateLimiter() : new DefaultRateLimiter({ minFillRate: 0.5 / delayScale });
  }

  maxAttemptsProvider(): Promise<number> {
    return Promise.resolve(this.maxAttempts);
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    await this.rateLimiter.getSendToken();
    return new RetryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    this.rateLimiter.updateClientSendingRate(info);
    const attempts = token.getRetryCount() + 1;
    const retryable = info.errorType === "THROTTLING" || info.errorType === "TRANSIENT";
    if (!retryable || attempts >= this.maxAttempts) throw new Error("No retry token available");
    const delay = this.delayFor(token.getRetryCount(), info);
    await new Promise((resolve) => setTimeout(resolve, delay));
    await this.rateLimiter.getSendToken();
    return new RetryToken(attempts, delay);
  }

  recordSuccess(_token: RetryToken): void {
    this.rateLimiter.updateClientSendingRate({});
  }

  /** Full jitter over base × 2^retries, capped; at least a server's Retry-After (up to 5 s beyond). */
  private delayFor(retries: number, info: RetryErrorInfo): number {
    const base = (info.errorType === "THROTTLING" ? Retry.throttlingDelay() : Retry.delay()) * this.delayScale;
    let delay = Math.floor(Math.random() * Math.min(base * 2 ** retries, MAXIMUM_RETRY_DELAY * this.delayScale));
    if (info.retryAfterHint instanceof Date) delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - Date.now(), delay + 5_000));
    return delay;
  }
}
