// Client-side rate limiting at the spec's documented rate: a token bucket per operation, so a
// burst waits for its turn instead of being refused by the server (RequestLimitExceeded, 60007).

import { ApiError } from "./errors.js";
import type { Clock } from "./retry.js";

export interface RateLimitOptions {
  /** Fail with `ClientError.RateLimited` instead of waiting longer than this (default: wait as long as needed). */
  maxWaitMs?: number | undefined;
}

export interface Rate {
  requests: number;
  per: "second" | "minute";
}

const PER_MS = { second: 1_000, minute: 60_000 } as const;

/**
 * A token bucket holding at most `requests` tokens, refilled continuously at `requests` per
 * period. A caller that finds it empty reserves the next token (the count goes below zero), so
 * waiters are served in arrival order and never starve.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly per: Rate["per"];
  readonly #perMs: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;

  constructor(rate: Rate, clock: Clock) {
    if (!(rate.requests > 0)) throw new RangeError(`a rate limit needs a positive request count, got ${rate.requests}`);
    this.capacity = rate.requests;
    this.per = rate.per;
    this.#perMs = rate.requests / PER_MS[rate.per];
    this.#clock = clock;
    this.#tokens = rate.requests;
    this.#updatedAt = clock.now();
  }

  /** How long the next `take` would wait, in ms (0 when a token is ready). */
  waitTime(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /**
   * Take one token, waiting for it if needed. Rejects with `ClientError.Aborted` when `signal`
   * fires during the wait (the reserved token is given back), or `ClientError.RateLimited` when
   * the wait would exceed `maxWaitMs`.
   */
  async take(options: { signal?: AbortSignal | undefined; maxWaitMs?: number | undefined } = {}): Promise<number> {
    const wait = this.waitTime();
    if (options.maxWaitMs !== undefined && wait > options.maxWaitMs) {
      throw new ApiError({
        code: "ClientError.RateLimited",
        message: `the client-side rate limit (${this.capacity} requests per ${this.per}) needs a ${wait} ms wait, more than maxWaitMs ${options.maxWaitMs}`,
        retryable: false,
      });
    }
    this.#tokens -= 1;
    if (wait === 0) return 0;
    try {
      await this.#clock.sleep(wait, options.signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
    return wait;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.capacity, this.#tokens + elapsed * this.#perMs);
  }
}
