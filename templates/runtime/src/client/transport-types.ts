// The transport contract, apart from the Node transport so that its HTTP/1.1 engine (http1.ts) can
// name the request and response types without importing the module that imports it.

export interface TransportRequest {
  url: string;
  method: string;
  /** Lower-case names. `content-length` and `host` are set by the transport; `transfer-encoding` is not sent. */
  headers: Record<string, string>;
  body: string;
  /** The whole exchange (connect, send, response, body) must finish within this. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The most body bytes (after decompression) to read; past it the call fails with `ClientError.ResponseTooLarge`. */
  maxResponseBytes?: number | undefined;
}

export interface TransportResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request. Custom transports should reject with an `ApiError` carrying a
 * `ClientError.*` code; anything else they throw is treated as `ClientError.Network`.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A response whose headers object is built only when read (the client core reads none on success). */
export function lazyHeadersResponse(status: number, body: string, build: () => Record<string, string>): TransportResponse {
  let headers: Record<string, string> | undefined;
  return {
    status,
    get headers() {
      return (headers ??= build());
    },
    set headers(value) {
      headers = value;
    },
    body,
  };
}

/** Request options key for how long a proxy tunnel may take to open (the request's timeout). */
export const TUNNEL_TIMEOUT = "tunnelTimeoutMs";
