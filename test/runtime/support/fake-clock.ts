// A manual clock: time moves only when a test advances it, and sleeps resolve in time order.
import type { Clock } from "../../../templates/runtime/src/client/retry.js";
import { ApiError } from "../../../templates/runtime/src/client/errors.js";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  /** Every sleep requested, in ms, in request order. */
  readonly sleeps: number[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  get pending(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new ApiError({ code: "ClientError.Aborted", message: "aborted while waiting" }));
      const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(new ApiError({ code: "ClientError.Aborted", message: "aborted while waiting" }));
        },
        { once: true },
      );
    });
  }

  /** Move time forward by `ms`, firing due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.resolve();
    }
    this.#now = target;
    await settle();
  }

  /** Advance to each pending sleep in turn until none is left (bounded). */
  async runAll(limit = 1_000): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await settle();
      const next = this.#timers.reduce<Timer | undefined>((a, t) => (!a || t.at < a.at ? t : a), undefined);
      if (!next) return;
      await this.advance(next.at - this.#now);
    }
    throw new Error("FakeClock.runAll: sleeps keep coming");
  }
}

/** Let pending promise continuations and I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock whose sleeps return at once and move time forward by their length: for one call at a
 * time (retries), where waiting for real would only slow the test down.
 */
export class InstantClock implements Clock {
  #now: number;
  readonly sleeps: number[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Move time without sleeping (a slow attempt, as far as the retry budget can tell). */
  tick(ms: number): void {
    this.#now += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) throw new ApiError({ code: "ClientError.Aborted", message: "aborted while waiting" });
    this.#now += ms;
  }
}
