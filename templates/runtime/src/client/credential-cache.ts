// Credentials that come from an async provider (an STS token, a CVM role, a UserSig service): one
// cache per client, refreshed before expiry, never loaded twice at once. Protocol-independent: a
// protocol hands over a loader and reads `get()` on each attempt; a fresh value costs no await.

import { ApiError, redact } from "./errors.js";

/** How long before `expiresAt` a value is refreshed, by default (5 minutes). */
export const DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/** After a refresh ahead of expiry failed, the old value is used this long before the next try. */
const RETRY_AHEAD_AFTER_MS = 10_000;

/** When a provided value stops being usable: milliseconds since the epoch, or a Date. */
export type ExpiresAt = number | Date;

/** A loaded value, its expiry (undefined: it never expires) and the secrets it holds (to redact from errors). */
export interface Loaded<T> {
  value: T;
  expiresAt: number | undefined;
  secrets: readonly string[];
}

/** A provider's name for errors: its `providerName`, else the function's name, else "credentials provider". */
export function providerName(provider: unknown): string {
  const named = (provider as { providerName?: unknown } | null)?.providerName;
  if (typeof named === "string" && named) return named;
  const name = typeof provider === "function" ? provider.name : "";
  return name || "credentials provider";
}

/** Gives a provider function the name errors use. */
export function nameProvider<F extends (...args: never[]) => unknown>(name: string, provider: F): F & { readonly providerName: string } {
  return Object.assign(provider, { providerName: name });
}

/** An `expiresAt` as milliseconds since the epoch; undefined when absent; throws when unusable. */
export function expiryMs(expiresAt: unknown): number | undefined {
  if (expiresAt === undefined || expiresAt === null) return undefined;
  const ms = expiresAt instanceof Date ? expiresAt.getTime() : expiresAt;
  if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError("expiresAt must be milliseconds since the epoch or a valid Date");
  return ms;
}

/** A `ClientError.Credentials` naming the provider; the message and the cause are redacted. */
export function providerError(name: string, why: string, secrets: readonly string[], cause?: unknown): ApiError {
  return new ApiError({
    code: "ClientError.Credentials",
    message: `the credentials provider ${name} failed: ${redact(why, secrets)}`,
    cause,
    secrets,
  });
}

/**
 * The value of a provider. `get()` returns the cached value while it is fresh; from `marginMs`
 * before its expiry (or half its lifetime, when that is shorter) it starts one refresh in the
 * background and keeps answering with the cached value until it expires; an expired or absent value
 * makes every caller wait for the same single load. A failed load is a `ClientError.Credentials`.
 */
export class RefreshingCredentials<T> {
  readonly name: string;
  readonly #load: () => Promise<Loaded<T>>;
  readonly #now: () => number;
  readonly #marginMs: number;
  #value: T | undefined;
  #refreshAt = 0;
  #expiresAt = 0;
  #inflight: Promise<T> | undefined;
  /** A background refresh failed: wait until then before the next one. */
  #quietUntil = 0;
  /** The secrets of the current and the previous value, for redaction. */
  #secrets: readonly string[] = [];

  constructor(name: string, load: () => Promise<Loaded<T>>, now: () => number, marginMs = DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS) {
    this.name = name;
    this.#load = load;
    this.#now = now;
    this.#marginMs = Number.isFinite(marginMs) && marginMs >= 0 ? marginMs : DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS;
  }

  /** Secrets the provider has handed over lately (redacted from every error). */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** The usable value, or the one load every caller waits for. Rejects with a `ClientError.Credentials`. */
  get(): T | Promise<T> {
    const value = this.#value;
    if (value !== undefined) {
      const now = this.#now();
      if (now < this.#refreshAt) return value;
      if (now < this.#expiresAt) {
        if (this.#inflight === undefined && now >= this.#quietUntil)
          this.#refresh().catch(() => (this.#quietUntil = this.#now() + RETRY_AHEAD_AFTER_MS));
        return value;
      }
    }
    return this.#inflight ?? this.#refresh();
  }

  /** Forgets the value (the server refused it): the next `get()` loads again. */
  invalidate(): void {
    this.#value = undefined;
    this.#quietUntil = 0;
  }

  #refresh(): Promise<T> {
    const started = this.#now();
    const inflight = this.#load().then(
      (loaded) => {
        const now = this.#now();
        const expiresAt = loaded.expiresAt ?? Infinity;
        if (expiresAt <= now)
          throw providerError(this.name, "it returned credentials that have already expired", [...loaded.secrets, ...this.#secrets]);
        this.#secrets = [...new Set([...loaded.secrets, ...this.#secrets.slice(0, 4)])].slice(0, 6);
        this.#value = loaded.value;
        this.#expiresAt = expiresAt;
        // Half the lifetime when that is shorter than the margin, so that a short-lived value is not reloaded on every call.
        this.#refreshAt = expiresAt - Math.min(this.#marginMs, (expiresAt - Math.min(started, now)) / 2);
        this.#quietUntil = 0;
        return loaded.value;
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.code === "ClientError.Credentials") throw error.withContext({ secrets: this.#secrets });
        const why = error instanceof Error ? error.message : typeof error === "string" ? error : "it threw a non-Error value";
        throw providerError(this.name, why, this.#secrets, error);
      },
    );
    this.#inflight = inflight;
    const clear = () => {
      if (this.#inflight === inflight) this.#inflight = undefined;
    };
    inflight.then(clear, clear);
    return inflight;
  }
}
