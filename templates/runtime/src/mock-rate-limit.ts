// Server-side rate limiting at the spec's documented rate, per credential and operation: a token
// bucket holding `requests` tokens, refilled continuously, so a burst of the documented size
// passes and a sustained rate above it is refused. Time is the mock clock.

export interface MockRate {
  requests: number;
  per: "second" | "minute";
}

const PER_MS = { second: 1_000, minute: 60_000 } as const;

export class MockRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #scale: number;

  /** `scale` multiplies every documented rate (1: as documented). */
  constructor(scale = 1) {
    if (!(scale > 0)) throw new RangeError(`rate limit scale must be positive, got ${scale}`);
    this.#scale = scale;
  }

  /** Takes a token for `key`; false when the bucket is empty (the request is over the limit). */
  take(key: string, rate: MockRate, nowMs: number): boolean {
    const capacity = rate.requests * this.#scale;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, at: nowMs };
      this.#buckets.set(key, bucket);
    }
    // A clock that goes back refills nothing.
    const elapsed = Math.max(0, nowMs - bucket.at);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / PER_MS[rate.per]);
    bucket.at = Math.max(bucket.at, nowMs);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.#buckets.clear();
  }
}
