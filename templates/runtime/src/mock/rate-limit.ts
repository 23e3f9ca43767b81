// Server-side rate limiting at the spec's documented rate, per credential and operation, on the
// window the client keeps to as well (shared/rate-window.ts): at most N requests arriving in any period,
// a request counted when it arrives. Time is the mock clock. A refused request is not counted.
import { RateWindow, type Rate } from "../shared/rate-window.js";

export type MockRate = Rate;

export class MockRateLimiter {
  readonly #windows = new Map<string, RateWindow>();
  readonly #scale: number;

  /** `scale` multiplies every documented rate (1: as documented). */
  constructor(scale = 1) {
    if (!(scale > 0)) throw new RangeError(`rate limit scale must be positive, got ${scale}`);
    this.#scale = scale;
  }

  /** Counts a request for `key` arriving at `nowMs`; false when it is over the limit. */
  take(key: string, rate: MockRate, nowMs: number): boolean {
    let window = this.#windows.get(key);
    if (!window) {
      window = RateWindow.of(rate, this.#scale);
      this.#windows.set(key, window);
    }
    return window.tryTake(nowMs);
  }

  reset(): void {
    this.#windows.clear();
  }
}
