// The one definition of a rate limit, shared by the client's limiter (rate-limit.ts) and the mock's
// (mock-rate-limit.ts). The pages say only "a maximum of N requests per second" (Chat: "N times
// per second"); this reads it as a sliding window, the strictest reading: at most N requests in
// any period. A sender within it is within a fixed-window counter and a token bucket of N per
// period as well, so a client that keeps to it is never refused under any of those readings.
//
// A request holds one of N slots from when it is admitted until one period after it is released.
// The mock admits and releases at arrival. The client releases when the answer is back, which is
// after the request arrived, so however the network delays requests, every window of one period
// at the server holds no more requests than the client let through (no margin needed).

export interface Rate {
  requests: number;
  per: "second" | "minute";
}

export const RATE_PERIOD_MS = { second: 1_000, minute: 60_000 } as const;

export class RateWindow {
  readonly capacity: number;
  readonly periodMs: number;
  #inFlight = 0;
  /** Release times, oldest first: a ring of at most `capacity` entries, non-decreasing. */
  readonly #released: Float64Array;
  #head = 0;
  #size = 0;

  constructor(capacity: number, periodMs: number) {
    if (!(capacity >= 1) || !Number.isSafeInteger(capacity))
      throw new RangeError(`a rate limit needs a whole, positive request count, got ${capacity}`);
    if (!(periodMs > 0)) throw new RangeError(`a rate limit needs a positive period, got ${periodMs}`);
    this.capacity = capacity;
    this.periodMs = periodMs;
    this.#released = new Float64Array(capacity);
  }

  static of(rate: Rate, scale = 1): RateWindow {
    return new RateWindow(Math.max(1, Math.floor(rate.requests * scale)), RATE_PERIOD_MS[rate.per]);
  }

  /** Slots held at `now`: requests in flight, and those released less than a period ago. */
  busy(nowMs: number): number {
    this.#expire(nowMs);
    return this.#inFlight + this.#size;
  }

  /**
   * Ms from `now` until the `k`-th next slot (0: the next) frees, as far as it is known: exact
   * for slots already released, and one period (a least) for a slot still in flight.
   */
  waitMs(nowMs: number, k = 0): number {
    this.#expire(nowMs);
    const free = this.capacity - this.#inFlight - this.#size;
    if (k < free) return 0;
    const i = k - free;
    if (i < this.#size) return Math.max(0, this.#released[(this.#head + i) % this.capacity]! + this.periodMs - nowMs);
    return this.periodMs;
  }

  /** When the oldest released slot frees (clock ms); undefined when every held slot is still in flight. */
  nextFreeAt(nowMs: number): number | undefined {
    this.#expire(nowMs);
    return this.#size > 0 ? this.#released[this.#head]! + this.periodMs : undefined;
  }

  /** Whether a slot is free at `now`; takes it (in flight until `release`) when it is. */
  tryAcquire(nowMs: number): boolean {
    if (this.busy(nowMs) >= this.capacity) return false;
    this.#inFlight++;
    return true;
  }

  /** An acquired request is over at `now` (its answer came back, or it failed): its slot frees one period later. */
  release(nowMs: number): void {
    if (this.#inFlight === 0) throw new RangeError("RateWindow.release without an acquired slot");
    this.#inFlight--;
    // A clock that goes back must not break the order: the slot is then held a little longer.
    const last = this.#size > 0 ? this.#released[(this.#head + this.#size - 1) % this.capacity]! : -Infinity;
    this.#released[(this.#head + this.#size) % this.capacity] = Math.max(nowMs, last);
    this.#size++;
  }

  /** Acquire and release at once, as a server counts a request when it arrives. */
  tryTake(nowMs: number): boolean {
    if (!this.tryAcquire(nowMs)) return false;
    this.release(nowMs);
    return true;
  }

  /** Slots released a whole period ago or more are free again. */
  #expire(nowMs: number): void {
    const freeBefore = nowMs - this.periodMs;
    while (this.#size > 0 && this.#released[this.#head]! <= freeBefore) {
      this.#head = (this.#head + 1) % this.capacity;
      this.#size--;
    }
  }
}
