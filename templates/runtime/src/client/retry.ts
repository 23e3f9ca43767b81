// Retries: exponential backoff with full jitter, capped in attempts and in total time. Which
// failures are worth a retry is decided by the caller (the client core knows the spec's codes);
// this module only says how long to wait and whether the budget allows another attempt.

import { ApiError } from "./errors.js";

/** Time, injectable so tests never wait on the wall clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after `ms`; reject with a `ClientError.Aborted` ApiError when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError("while waiting"));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortedError("while waiting"));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export function abortedError(when?: string): ApiError {
  return new ApiError({
    code: "ClientError.Aborted",
    message: `the call was aborted${when ? ` ${when}` : ""}`,
    retryable: false,
  });
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 means no retry). */
  maxAttempts?: number | undefined;
  /** The first backoff ceiling; it doubles per retry (default 100 ms). */
  baseDelayMs?: number | undefined;
  /** The largest backoff ceiling (default 2,000 ms). */
  maxDelayMs?: number | undefined;
  /** No retry starts later than this after the first attempt began (default 15,000 ms). */
  maxElapsedMs?: number | undefined;
  /** Uniform in [0, 1), for the jitter (default `Math.random`). */
  random?: (() => number) | undefined;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
  readonly random: () => number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "random"> = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  maxElapsedMs: 15_000,
};

// Looked up at each draw, so a policy built once (per client) still follows a replaced Math.random.
const defaultRandom = (): number => Math.random();

/** Options (or `false`, no retries) to a complete policy; later options override earlier ones. */
export function retryPolicy(...layers: (RetryOptions | false | undefined)[]): RetryPolicy {
  let policy: RetryPolicy = { ...DEFAULT_RETRY, random: defaultRandom };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer === false) {
      policy = { ...policy, maxAttempts: 1 };
      continue;
    }
    policy = {
      maxAttempts: Math.max(1, Math.floor(layer.maxAttempts ?? policy.maxAttempts)),
      baseDelayMs: Math.max(0, layer.baseDelayMs ?? policy.baseDelayMs),
      maxDelayMs: Math.max(0, layer.maxDelayMs ?? policy.maxDelayMs),
      maxElapsedMs: Math.max(0, layer.maxElapsedMs ?? policy.maxElapsedMs),
      random: layer.random ?? policy.random,
    };
  }
  return policy;
}

/** Full jitter: uniform in [0, min(maxDelay, base · 2^(retry−1))). `retry` counts from 1. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(Math.max(policy.random(), 0), 1);
  return Math.floor(r * ceiling);
}

/** The longest wait a timer can make (setTimeout fires at once beyond it, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The delay before the next attempt, or `undefined` when the budget is spent: `attempts` were
 * made and the first began at `startedAt`. A server's `Retry-After` (`retryAfterMs`) replaces the
 * backoff; when it would pass `maxElapsedMs`, or is longer than a timer can wait (even with an
 * unbounded budget), there is no retry (the caller fails at once).
 */
export function nextRetryDelay(policy: RetryPolicy, attempts: number, startedAt: number, now: number, retryAfterMs?: number): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  const delay = retryAfterMs ?? backoffDelay(policy, attempts);
  if (!(delay <= MAX_TIMER_MS) || now + delay - startedAt > policy.maxElapsedMs) return undefined;
  return delay;
}

/**
 * A `Retry-After` header in milliseconds from `nowMs`: delay-seconds or an HTTP date (a date in
 * the past is 0). Undefined when absent or unreadable, and the backoff applies. Any number of
 * digits reads as a delay (a huge one is beyond every budget, so the call fails at once, as with
 * any delay past the budget), possibly Infinity.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with its weekday; Date.parse alone would also take "1.5" or "2024".
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}
