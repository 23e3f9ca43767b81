// Client-side rate limiting at the spec's documented rate, per operation, on the window the mock
// enforces too (shared/rate-window.ts): a request holds a slot from when it is let through until a period
// after its answer is back. A request that finds every slot held waits for its turn, in arrival
// order, instead of being refused by the server (RequestLimitExceeded, 60007).

import { ApiError } from "./errors.js";
import { abortedError, type Clock } from "./retry.js";
import { RateWindow, type Rate } from "../shared/rate-window.js";

export type { Rate } from "../shared/rate-window.js";

export interface RateLimitOptions {
  /** Fail with `ClientError.RateLimited` instead of waiting longer than this (default: wait as long as needed). */
  maxWaitMs?: number | undefined;
}

/** Call when the request is over (its answer is back, or it failed); calling again does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  resolve: (release: ReleaseSlot) => void;
  reject: (error: unknown) => void;
  /** When to give up (clock ms), or Infinity; and the maxWaitMs it came from. */
  deadline: number;
  maxWaitMs: number | undefined;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class ClientRateLimiter {
  readonly capacity: number;
  readonly per: Rate["per"];
  readonly #window: RateWindow;
  readonly #clock: Clock;
  readonly #queue: Waiter[] = [];
  /** The pending wake-up: when it fires (clock ms), and how to cancel it. */
  #wake: { at: number; cancel: AbortController } | undefined;

  constructor(rate: Rate, clock: Clock) {
    if (!(rate.requests > 0)) throw new RangeError(`a rate limit needs a positive request count, got ${rate.requests}`);
    this.#window = RateWindow.of(rate);
    this.capacity = this.#window.capacity;
    this.per = rate.per;
    this.#clock = clock;
  }

  /** Slots held now (requests in flight, and those answered less than a period ago). */
  busy(): number {
    return this.#window.busy(this.#clock.now());
  }

  /** The least time a request arriving now would wait, in ms (0 when a slot is free and no one waits). */
  waitTime(): number {
    return this.#window.waitMs(this.#clock.now(), this.#queue.length);
  }

  /**
   * A slot for one request, waiting for it if needed; resolves with the function that releases it.
   * Rejects with `ClientError.Aborted` when `signal` fires during the wait, or
   * `ClientError.RateLimited` when the wait would exceed `maxWaitMs` (at once when that is
   * already certain).
   */
  take(options: { signal?: AbortSignal | undefined; maxWaitMs?: number | undefined } = {}): Promise<ReleaseSlot> {
    const { signal, maxWaitMs } = options;
    if (signal?.aborted) return Promise.reject(abortedError("while waiting"));
    const now = this.#clock.now();
    if (this.#queue.length === 0 && this.#window.tryAcquire(now)) return Promise.resolve(this.#releaser());
    const least = this.#window.waitMs(now, this.#queue.length);
    if (maxWaitMs !== undefined && least > maxWaitMs) return Promise.reject(this.#tooLong(least, maxWaitMs));
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        deadline: maxWaitMs === undefined ? Infinity : now + maxWaitMs,
        maxWaitMs,
        signal,
        onAbort: () => {
          this.#remove(waiter);
          reject(abortedError("while waiting"));
          this.#pump();
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#window.release(this.#clock.now());
      this.#pump();
    };
  }

  /** Serves the waiters whose turn has come, refuses those past their deadline, and sets the next wake-up. */
  #pump(): void {
    const now = this.#clock.now();
    while (this.#queue.length > 0 && this.#window.tryAcquire(now)) {
      const waiter = this.#queue.shift()!;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.#releaser());
    }
    for (const waiter of [...this.#queue]) {
      if (waiter.deadline > now) continue;
      this.#remove(waiter);
      waiter.reject(this.#tooLong(now - waiter.deadline + waiter.maxWaitMs! + Math.max(1, this.#window.waitMs(now)), waiter.maxWaitMs!));
    }
    // Every slot is held: wake when a released one frees, or at the first deadline. A slot still
    // in flight frees only on its release, which pumps again. No waiter, no timer (a pending
    // one would keep the process alive).
    const deadline = this.#queue.length === 0 ? Infinity : Math.min(...this.#queue.map((w) => w.deadline));
    const wakeAt = this.#queue.length === 0 ? Infinity : Math.min(this.#window.nextFreeAt(now) ?? Infinity, deadline);
    if (this.#wake !== undefined && this.#wake.at <= wakeAt && wakeAt !== Infinity) return;
    this.#wake?.cancel.abort();
    this.#wake = undefined;
    if (wakeAt === Infinity) return;
    const wake = { at: wakeAt, cancel: new AbortController() };
    this.#wake = wake;
    this.#clock.sleep(Math.max(0, wakeAt - now), wake.cancel.signal).then(
      () => {
        if (this.#wake === wake) this.#wake = undefined;
        this.#pump();
      },
      () => {},
    );
  }

  #remove(waiter: Waiter): void {
    const i = this.#queue.indexOf(waiter);
    if (i >= 0) this.#queue.splice(i, 1);
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  #tooLong(wait: number, maxWaitMs: number): ApiError {
    return new ApiError({
      code: "ClientError.RateLimited",
      message: `the client-side rate limit (${this.capacity} requests per ${this.per}) needs a wait of at least ${Math.ceil(wait)} ms, more than maxWaitMs ${maxWaitMs}`,
      retryable: false,
    });
  }
}
