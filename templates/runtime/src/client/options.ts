// The options every client takes whatever its protocol; a protocol module extends them with its
// own (credentials, language...).

import type { RetryOptions, Clock } from "./retry.js";
import type { RateLimitOptions } from "./rate-limit.js";
import type { FetchLike, Transport } from "./transport.js";
import type { ProxyOption } from "./proxy.js";
import type { MiddlewareChain } from "./middleware.js";
import type { ResponseValidator } from "./metadata.js";

export type ValidateRequestsMode = "throw" | "warn" | "off";
export type ValidateResponsesMode = "off" | "warn" | "strict";

/** One line per attempt, for logs and metrics. Never holds a secret, a URL or a header. */
export interface AttemptEvent {
  /** The operation's name, e.g. `GetRoomEvent`. */
  operation: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The HTTP status, when a response arrived. */
  status: number | undefined;
  durationMs: number;
  requestId: string | undefined;
  /** The server's or the client's code when the attempt failed. */
  errorCode?: string | number | undefined;
  /** The wait before the next attempt, when one follows. */
  retryInMs?: number | undefined;
  /** The host (and port) the attempt went to: the endpoint's, or its backup's after a failover. */
  host?: string | undefined;
}

export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  debug?(message: string, details?: Record<string, unknown>): void;
}

export interface CommonClientOptions {
  /**
   * An endpoint id from the service's metadata (`default`, `intl`, `singapore`, ...), a host
   * name, or a URL (`http://127.0.0.1:8080` for a mock or a proxy). The TC3 service name
   * always comes from the metadata, never from this host.
   */
  endpoint?: string | undefined;
  /** The region (TC3 X-TC-Region), checked against the operation's list before sending. */
  region?: string | undefined;
  /** Per attempt, the whole exchange (default 60,000 ms). */
  timeoutMs?: number | undefined;
  /**
   * The largest response body read, in bytes after decompression (default 10 MB); past it the call
   * fails at once with `ClientError.ResponseTooLarge` and reading stops.
   */
  maxResponseBytes?: number | undefined;
  /** Backoff and budget, or `false` for a single attempt. A 429 or 503 `Retry-After` within the budget is honoured. */
  retry?: RetryOptions | false | undefined;
  /** Token bucket per operation at the spec's rate (default on). */
  rateLimit?: boolean | RateLimitOptions | undefined;
  /** Validate requests before sending (default "throw"). */
  validateRequests?: ValidateRequestsMode | undefined;
  /**
   * Validate payloads against the spec: "warn" logs, "strict" also refuses unknown fields and throws
   * (default "off"). The class client has every operation's response validator; a core client has
   * those of `responseValidators`, and a call without one fails with ClientError.Configuration.
   */
  validateResponses?: ValidateResponsesMode | undefined;
  /**
   * Response validators by operation method, for `validateResponses` on a core client:
   * `{ getRoomEvent: validateGetRoomEventResponse }`. Only these are bundled.
   */
  responseValidators?: { readonly [method: string]: ResponseValidator | undefined } | undefined;
  /** Send through this fetch (e.g. a mock server's in-process fetch) instead of node:http. */
  fetch?: FetchLike | undefined;
  /** Send through this transport; wins over `fetch`. */
  transport?: Transport | undefined;
  /** Time for signing, backoff and rate limiting (default the system clock). */
  clock?: Clock | undefined;
  /** Called after every attempt. */
  onAttempt?: ((event: AttemptEvent) => void) | undefined;
  /** Validation warnings (`warn` modes) and, with `debug`, one line per attempt (default: console.warn). */
  logger?: Logger | undefined;
  /**
   * With a credentials (or Chat `userSig`) provider: how long before the provided `expiresAt` the
   * provider is called again (default 5 minutes; half the lifetime when that is shorter).
   */
  credentialRefreshMarginMs?: number | undefined;
  /**
   * Where credentials are read from when none are passed, and (for the built-in transport) the
   * proxy variables HTTPS_PROXY, HTTP_PROXY and NO_PROXY (default `process.env`).
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Proxy support for the built-in node:http transport, an opt-in import: `httpProxy()` from
   * `@rtc-apigen/runtime/proxy` (HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`), `httpProxy(url)`,
   * or `false` for none. Default: none, and a call a proxy variable of `env` would carry fails with
   * ClientError.Configuration. A `fetch` or `transport` does its own proxying (a proxy here is refused).
   */
  proxy?: ProxyOption;
  /**
   * Failover to the endpoint's backup host (the spec's `backup`, e.g. each Chat data centre's):
   * after a network error, a timeout or a 5xx, the retry goes to the other host (default true).
   */
  failover?: boolean | undefined;
  /** The backup host when the endpoint has none in the spec: an endpoint id, a host name or a URL. */
  backupEndpoint?: string | undefined;
  /**
   * Functions around each attempt, after signing (tracing, metrics, caching), as `middlewareChain(fn, …)`
   * from `@rtc-apigen/runtime`: the first is the outermost; a call's own `middleware` run inside
   * these. See middleware.ts and the README's Hooks.
   */
  middleware?: MiddlewareChain | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number | undefined;
  region?: string | undefined;
  retry?: RetryOptions | false | undefined;
  /**
   * Extra request headers (a trace id): sent with every attempt, not signed (TC3 signs content-type
   * and host only, as the official SDK). Authorization, Host, Content-Type, Content-Length, the other
   * hop-by-hop headers and every `X-TC-*` are the client's: naming one is `ClientError.Configuration`.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Middleware for this call, run inside the client's (see `CommonClientOptions.middleware`). */
  middleware?: MiddlewareChain | undefined;
}
