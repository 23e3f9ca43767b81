// Hooks around each attempt: per-call `headers`, and `middleware`, functions around the sending of
// each attempt, after it is signed. They see a frozen view of the signed request (changing it
// would break the signature), may add unsigned headers through `next({ headers })`, and may answer
// without calling `next()` (a cache); whatever they answer is interpreted like a server's answer.
// The client core takes this path only when a call has middleware, so a plain call costs nothing more.
// Running them is middleware-runner.ts, which `middlewareChain()` brings: a bundle without middleware leaves it out.

import { ApiError, configurationError } from "./errors.js";
import type { TransportResponse } from "./transport.js";

/** The signed request of one attempt, as sent (read-only: it is frozen). */
export interface MiddlewareRequest {
  /** The whole URL; Chat's carries the UserSig in its query: log `context.host` instead. */
  readonly url: string;
  readonly method: string;
  /** Lower-case names, Authorization included (a signature: do not log it). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a middleware knows about the attempt it wraps. */
export interface MiddlewareContext {
  /** The service's id (`lcic`, `trtc`, `chat`). */
  readonly service: string;
  /** The operation's name (`GetRoomEvent`). */
  readonly operation: string;
  /** The operation's key on the wire: the TC3 action, or the Chat `servicename/command`. */
  readonly action: string;
  readonly region: string | undefined;
  /** 1 for the first attempt; each retry runs the middleware again with the next number. */
  readonly attempt: number;
  /** The host (and port) this attempt goes to: the endpoint's, or its backup's after a failover. */
  readonly host: string;
  readonly request: MiddlewareRequest;
  readonly signal: AbortSignal | undefined;
}

/** An answer as the client reads it: the HTTP response, and what it means. */
export interface MiddlewareResponse extends TransportResponse {
  readonly requestId: string | undefined;
  /** The operation's payload, when the answer is a success. */
  readonly payload: unknown;
  /** What the answer means when it is not a success: the service's error code, an HTTP status, an unreadable body. */
  readonly error: ApiError | undefined;
}

export interface NextOptions {
  /** Headers to add to the request (not signed; the protocol's own headers cannot be replaced). */
  headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Sends the request (through the middleware after this one) and resolves to the interpreted answer,
 * a service error included (`error`); rejects with an ApiError when no answer came (network, timeout,
 * abort, a redirect, a body too large). Call it at most once.
 */
export type MiddlewareNext = (options?: NextOptions) => Promise<MiddlewareResponse>;

/**
 * Runs around one attempt. Return what `next()` gave, or an answer of your own (`{ status, headers,
 * body }`, interpreted as if the server had sent it) without calling `next()`. Throw an ApiError to
 * fail the attempt with it; anything else thrown becomes `ClientError.Middleware`.
 */
export type Middleware = (context: MiddlewareContext, next: MiddlewareNext) => Promise<TransportResponse> | TransportResponse;

/** Headers a caller may not set: the transport's own and the protocols' (TC3 reads every `x-tc-*`). */
const RESERVED = new Set([
  "authorization",
  "host",
  "content-type",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-authorization",
  "proxy-connection",
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Extra headers with lower-case names, or why one cannot be sent (`ClientError.Configuration`, never
 * quoting a value). `protocol`: the signed request's headers, which none may replace.
 */
export function checkExtraHeaders(
  given: Readonly<Record<string, string>>,
  where: string,
  protocol?: Readonly<Record<string, string>>,
): Record<string, string> | ApiError {
  if (given === null || typeof given !== "object") return configurationError(`${where}: must be an object of header names and string values`);
  const out: Record<string, string> = {};
  for (const name of Object.keys(given)) {
    if (!TOKEN.test(name)) return configurationError(`${where}: ${JSON.stringify(name.slice(0, 64))} is not a header name`);
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith("x-tc-") || (protocol !== undefined && Object.hasOwn(protocol, lower)))
      return configurationError(`${where}: ${lower} is a header of the protocol or the transport (signed or set by the client); it cannot be set`);
    const value = given[name];
    if (typeof value !== "string" || !VALUE.test(value))
      return configurationError(`${where}: the value of ${lower} must be a string without line breaks or control characters`);
    out[lower] = value;
  }
  return out;
}

/** The signed headers with the call's own; throws when one would replace a header the protocol set. */
export function withCallHeaders(signed: Record<string, string>, extra: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...signed };
  for (const name of Object.keys(extra)) {
    if (Object.hasOwn(signed, name)) throw configurationError(`headers: ${name} is set by the protocol; it cannot be set`);
    merged[name] = extra[name]!;
  }
  return merged;
}

/** Where a list made by `middlewareChain()` (middleware-runner.ts) keeps the function that runs it. */
export const MIDDLEWARE_RUNNER = Symbol.for("@rtc-apigen/runtime:middleware-runner");

/** Runs one attempt through the middleware; resolves to the outermost one's answer, interpreted. */
export type MiddlewareRunner = (hooks: AttemptHooks) => Promise<MiddlewareResponse>;

/**
 * Middleware as a client takes them: made by `middlewareChain(...)`, which brings the code that runs
 * them (so an app without middleware does not bundle it).
 */
export type MiddlewareChain = readonly Middleware[] & { readonly [MIDDLEWARE_RUNNER]: MiddlewareRunner };

export interface AttemptHooks {
  /** First registered outermost. */
  readonly chain: readonly Middleware[];
  /** The attempt as middleware see it, without its request. */
  readonly fields: Omit<MiddlewareContext, "request">;
  /** The signed request (frozen as a middleware sees it). */
  readonly request: MiddlewareRequest;
  /** Sends the request with these headers and interprets the answer. */
  send(headers: Readonly<Record<string, string>>): Promise<MiddlewareResponse>;
  /** Interprets an answer a middleware made; throws an ApiError when it cannot be used (a redirect, too large). */
  interpret(response: TransportResponse): MiddlewareResponse;
  /** This attempt's secrets, cut out of a middleware's error. */
  readonly secrets: readonly string[];
}
