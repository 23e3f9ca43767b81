// An optional transport over undici, which the caller installs and passes in: the runtime itself
// never imports it (generated packages keep no runtime dependencies). It talks to undici's
// dispatcher directly (the handler API under `request`), so no body stream or promise per call is
// made; on Node 20 that costs less CPU per call than node:http (see the client bench).
// Behaves as the node:http transport: no redirect followed, nothing decompressed (no
// Accept-Encoding is sent), the body held to `maxResponseBytes`, the whole exchange within
// `timeoutMs`, and every failure an ApiError with a `ClientError.*` code.

import { ApiError } from "./errors.js";
import { DEFAULT_MAX_RESPONSE_BYTES, redirectError, responseTooLarge } from "./transport-errors.js";
import { lazyHeadersResponse, type Transport, type TransportRequest, type TransportResponse } from "./transport-types.js";

/** The options of one dispatch: what undici's `Dispatcher.dispatch` reads. */
export interface UndiciDispatchOptions {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** undici's (legacy, still native in undici 7) dispatch handler. */
export interface UndiciDispatchHandler {
  onConnect(abort: (error?: Error) => void): void;
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText?: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: unknown): void;
  onError(error: Error): void;
}

/** The part of an undici `Dispatcher` (an `Agent`, a `Pool`, a `ProxyAgent`) the transport uses. */
export interface UndiciDispatcherLike {
  dispatch(options: UndiciDispatchOptions, handler: UndiciDispatchHandler): boolean;
  close(): Promise<void>;
}

/** The part of the undici module the transport uses: `import * as undici from "undici"`. */
export interface UndiciModuleLike {
  Agent: new (options?: { connections?: number; connect?: { ca?: string | Buffer | (string | Buffer)[] } }) => UndiciDispatcherLike;
}

export interface UndiciTransportOptions {
  /** Connections per origin of the transport's own Agent (default 64). */
  connections?: number | undefined;
  /** Send through this dispatcher instead (a ProxyAgent, a Pool with your TLS settings); not closed by `close()`. */
  dispatcher?: UndiciDispatcherLike | undefined;
  /** Certificate authorities trusted for https servers instead of Node's. */
  ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
}

export interface UndiciTransport extends Transport {
  /** Close the transport's own Agent (its idle sockets). */
  close(): Promise<void>;
}

const failure = (
  code: "ClientError.Network" | "ClientError.Timeout" | "ClientError.Aborted" | "ClientError.InvalidResponse",
  message: string,
  cause?: unknown,
  retryable = code !== "ClientError.Aborted",
) => new ApiError({ code, message, cause, retryable });

/** undici's errors that mean the request was refused before it was sent (bad header, bad path). */
const BUILD_ERRORS = new Set(["UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED"]);

function errorOf(error: Error, answered: boolean, received: number): ApiError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && BUILD_ERRORS.has(code)) return failure("ClientError.Network", "the request could not be built", error, false);
  // Headers came: whatever broke, broke the body (a reset, a short Content-Length, a cut chunk).
  if (answered)
    return failure(
      "ClientError.InvalidResponse",
      `the response body was cut off: ${received} bytes arrived before the connection closed`,
      error,
      true,
    );
  const text = error.message || "unknown error";
  return failure("ClientError.Network", `the request failed: ${typeof code === "string" && !text.includes(code) ? `${code} ` : ""}${text}`, error);
}

/** A header of undici's raw list (Buffers, name then value), case-insensitively; undefined when absent. */
function rawHeader(raw: readonly Buffer[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lower.length && name.toString("latin1").toLowerCase() === lower) return raw[i + 1]!.toString("latin1");
  }
  return undefined;
}

function headersOf(raw: readonly Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase();
    const value = raw[i + 1]!.toString("latin1");
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * A transport over the undici you pass: `createUndiciTransport(await import("undici"))`. The client
 * option `transport` takes it; proxying is the dispatcher's (pass a ProxyAgent as `dispatcher`).
 */
export function createUndiciTransport(undici: UndiciModuleLike, options: UndiciTransportOptions = {}): UndiciTransport {
  const own = options.dispatcher
    ? undefined
    : new undici.Agent({
        connections: options.connections ?? 64,
        ...(options.ca === undefined ? {} : { connect: { ca: options.ca as string | Buffer | (string | Buffer)[] } }),
      });
  const dispatcher = options.dispatcher ?? own!;
  // The last URL's split: a client sends every request of an endpoint to the same URL.
  let lastUrl: string | undefined;
  let last: { origin: string; path: string; auth: string | undefined } | undefined;

  const transport = (request: TransportRequest): Promise<TransportResponse> =>
    new Promise<TransportResponse>((resolve, reject) => {
      const { signal, timeoutMs } = request;
      if (signal?.aborted) return reject(failure("ClientError.Aborted", "the call was aborted", undefined, false));
      if (request.url !== lastUrl || !last) {
        let url: URL;
        try {
          url = new URL(request.url);
          if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`unsupported protocol ${url.protocol}`);
        } catch (error) {
          return reject(failure("ClientError.Network", "the request URL is not valid", error, false));
        }
        const auth =
          url.username || url.password
            ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`
            : undefined;
        last = { origin: url.origin, path: `${url.pathname}${url.search}`, auth };
        lastUrl = request.url;
      }
      const target = last;
      const headers: Record<string, string> = {};
      for (const name of Object.keys(request.headers)) {
        const lower = name.toLowerCase();
        if (lower !== "host" && lower !== "content-length") headers[lower] = request.headers[name]!;
      }
      // As node:http's `auth`: only when the caller set no Authorization of its own.
      if (target.auth !== undefined && headers.authorization === undefined) headers.authorization = target.auth;
      const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

      let settled = false;
      let answered = false;
      let abortDispatch: ((error?: Error) => void) | undefined;
      let status = 0;
      let rawHeaders: Buffer[] = [];
      const chunks: Buffer[] = [];
      let received = 0;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (error: ApiError) => {
        if (settled) return;
        settle();
        reject(error);
        abortDispatch?.(error);
      };
      const onAbort = () => fail(failure("ClientError.Aborted", "the call was aborted", undefined, false));
      const timer = setTimeout(() => fail(failure("ClientError.Timeout", `no complete response within ${timeoutMs} ms`)), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });

      dispatcher.dispatch(
        { origin: target.origin, path: target.path, method: request.method, headers, body: request.body },
        {
          onConnect(abort) {
            abortDispatch = abort;
            // Stopped before undici had the request (an abort during a synchronous dispatch).
            if (settled) abort();
          },
          onHeaders(statusCode, raw) {
            if (settled) return false;
            answered = true;
            status = statusCode;
            rawHeaders = raw;
            if (statusCode >= 300 && statusCode <= 399) {
              fail(redirectError(statusCode, rawHeader(raw, "location"), request.url));
              return false;
            }
            const declared = Number(rawHeader(raw, "content-length") ?? NaN);
            if (declared > limit) {
              fail(responseTooLarge(limit, `declares ${declared} bytes`));
              return false;
            }
            return true;
          },
          onData(chunk) {
            if (settled) return false;
            received += chunk.length;
            if (received > limit) {
              fail(responseTooLarge(limit, `passed ${limit} bytes`));
              return false;
            }
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            if (settled) return;
            settle();
            const body = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, received).toString("utf8");
            const raw = rawHeaders;
            resolve(lazyHeadersResponse(status, body, () => headersOf(raw)));
          },
          onError(error) {
            fail(error instanceof ApiError ? error : errorOf(error, answered, received));
          },
        },
      );
    });

  return Object.assign(transport, { close: async () => void (await own?.close()) });
}
