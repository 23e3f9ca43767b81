// The one error type every client failure surfaces as, and the redaction that keeps secrets out
// of it. Server errors carry the service's code; the client's own failures use `ClientError.*`
// codes (the same namespace the official Go SDK uses for its client-side errors).

import type { Issue } from "../validation/validation.js";

/** Codes for failures that happen in the client, never sent by a server. */
export type ClientErrorCode =
  /** Connection refused or reset, DNS failure, socket closed before a response. */
  | "ClientError.Network"
  /** No complete response within `timeoutMs`. */
  | "ClientError.Timeout"
  /** The caller's `AbortSignal` fired (while sending, waiting for a retry or for the rate limit). */
  | "ClientError.Aborted"
  /** Not JSON, empty, truncated, or JSON without the protocol's envelope; or (strict mode) a payload that fails its schema. */
  | "ClientError.InvalidResponse"
  /** A non-success HTTP status without a protocol error in the body. */
  | "ClientError.HttpStatus"
  /** The server answered with a redirect (3xx): never followed, so nothing reaches another host. */
  | "ClientError.Redirect"
  /** The response body (counted after decompression) passed `maxResponseBytes`. */
  | "ClientError.ResponseTooLarge"
  /** The request failed its validator; see `issues`. */
  | "ClientError.Validation"
  /** A region the operation does not allow, or none where one is required. */
  | "ClientError.Region"
  /** No usable credentials in the options or the environment. */
  | "ClientError.Credentials"
  /** The client-side rate limit would make this call wait longer than `rateLimit.maxWaitMs`. */
  | "ClientError.RateLimited"
  /** A bad option: unknown endpoint id or operation, an endpoint URL that is not http(s). */
  | "ClientError.Configuration"
  /** The proxy could not be reached, or refused the request (`httpStatus` 407: its credentials). */
  | "ClientError.Proxy"
  /** A `middleware` function threw something other than an ApiError, or answered no response. */
  | "ClientError.Middleware";

export const CLIENT_ERROR_CODES: readonly ClientErrorCode[] = [
  "ClientError.Network",
  "ClientError.Timeout",
  "ClientError.Aborted",
  "ClientError.InvalidResponse",
  "ClientError.HttpStatus",
  "ClientError.Redirect",
  "ClientError.ResponseTooLarge",
  "ClientError.Validation",
  "ClientError.Region",
  "ClientError.Credentials",
  "ClientError.RateLimited",
  "ClientError.Configuration",
  "ClientError.Proxy",
  "ClientError.Middleware",
];

export interface ApiErrorInit<Code extends string | number = string | number> {
  code: Code | ClientErrorCode;
  /** The server's message or the client's explanation (redacted before it is stored). */
  message: string;
  /** The operation's name, e.g. `GetRoomEvent`; empty when the failure is not tied to one yet. */
  operation?: string | undefined;
  requestId?: string | undefined;
  httpStatus?: number | undefined;
  attempts?: number | undefined;
  retryable?: boolean | undefined;
  issues?: readonly Issue[] | undefined;
  cause?: unknown;
  /** Secret strings to cut out of the message and the cause chain; never stored. */
  secrets?: readonly string[] | undefined;
}

/**
 * A failed call. `code` is one of the operation's documented codes, a protocol common code, or
 * a `ClientError.*` code. Holds no secret: the message and the `cause` chain are redacted
 * copies, never the original objects (which may carry a URL with `usersig=` or a signed header).
 */
export class ApiError<Code extends string | number = string | number> extends Error {
  override readonly name = "ApiError";
  readonly code: Code | ClientErrorCode;
  /** The operation's name (`GetRoomEvent`), or empty. */
  readonly operation: string;
  /** The server's request id, when a response arrived with one. */
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  /** How many requests were sent (0 when it failed before sending). */
  readonly attempts: number;
  /** Whether the same request can succeed later (network failures, 5xx, codes the spec marks retryable). */
  readonly retryable: boolean;
  /** Validation issues (`ClientError.Validation`, or `ClientError.InvalidResponse` in strict response mode). */
  readonly issues: readonly Issue[];

  constructor(init: ApiErrorInit<Code>) {
    const secrets = init.secrets ?? [];
    const detail = redact(init.message, secrets);
    const where = init.operation ? `${init.operation}: ` : "";
    const tail = [
      init.requestId ? `RequestId ${init.requestId}` : "",
      init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : "",
      init.attempts && init.attempts > 1 ? `${init.attempts} attempts` : "",
    ]
      .filter(Boolean)
      .join(", ");
    // The whole message is redacted: a server-chosen RequestId is in it too.
    super(
      redact(`${where}${init.code}: ${detail}${tail ? ` (${tail})` : ""}`, secrets),
      init.cause === undefined ? undefined : { cause: sanitizeCause(init.cause, secrets) },
    );
    this.code = init.code;
    this.operation = init.operation ?? "";
    this.requestId = init.requestId === undefined ? undefined : redact(init.requestId, secrets);
    this.httpStatus = init.httpStatus;
    this.attempts = init.attempts ?? 0;
    this.retryable = init.retryable ?? false;
    this.issues = init.issues ?? [];
    this.#detail = detail;
  }

  readonly #detail: string;

  /** The message without the operation/code prefix and the request-id tail. */
  get detail(): string {
    return this.#detail;
  }

  /** A copy with the call's context filled in; secrets are redacted again with the caller's list. */
  withContext(context: { operation?: string; attempts?: number; retryable?: boolean; secrets?: readonly string[] }): ApiError<Code> {
    return new ApiError<Code>({
      code: this.code,
      message: this.detail,
      operation: context.operation ?? this.operation,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      attempts: context.attempts ?? this.attempts,
      retryable: context.retryable ?? this.retryable,
      issues: this.issues,
      cause: this.cause,
      secrets: context.secrets,
    });
  }

  /** What a log line should hold (JSON.stringify uses it). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      operation: this.operation,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      attempts: this.attempts,
      retryable: this.retryable,
      issues: this.issues,
    };
  }

  /** Narrow an unknown catch value; pass the operation's code union as the type argument. */
  static is<C extends string | number = string | number>(value: unknown): value is ApiError<C> {
    return value instanceof ApiError;
  }
}

/** A `ClientError.Configuration` error: an option or call the client cannot use. One shared constructor keeps bundles small. */
export const configurationError = (message: string): ApiError<ClientErrorCode> => new ApiError({ code: "ClientError.Configuration", message });

/** A `ClientError.*` code? */
export function isClientErrorCode(code: unknown): code is ClientErrorCode {
  return typeof code === "string" && (CLIENT_ERROR_CODES as readonly string[]).includes(code);
}

const REDACTED = "[redacted]";

// Shapes that carry secrets even when the secret itself is not known here (a transport sees a
// URL but not which part is the UserSig): query parameters and TC3 signatures.
const PATTERNS: readonly [RegExp, string][] = [
  [/([?&](?:usersig|sig|signature|secretkey|secret_key|token|key)=)[^&#\s"'<>]*/gi, `$1${REDACTED}`],
  [/(Signature=)[0-9a-fA-F]+/g, `$1${REDACTED}`],
  [/(X-TC-Token["']?\s*[:=]\s*["']?)[^"',\s}]+/gi, `$1${REDACTED}`],
];

/** Cut every known secret (raw and URL-encoded) and every secret-shaped token out of a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_CAUSE_DEPTH = 4;

/**
 * A redacted copy of a cause chain: plain Errors holding only the name, message, a string
 * `code` (like `ECONNRESET`), the stack and the next cause, all redacted. Other properties of
 * the original (requests, sockets, options with headers) are dropped.
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth >= MAX_CAUSE_DEPTH || cause === undefined || cause === null) return undefined;
  if (!(cause instanceof Error)) {
    const text = typeof cause === "string" ? cause : typeof cause === "number" || typeof cause === "boolean" ? String(cause) : "a non-Error value";
    return new Error(redact(text, secrets));
  }
  const inner = sanitizeCause((cause as { cause?: unknown }).cause, secrets, depth + 1);
  const copy = new Error(redact(cause.message, secrets), inner === undefined ? undefined : { cause: inner });
  copy.name = redact(cause.name, secrets);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number")
    Object.defineProperty(copy, "code", {
      value: typeof code === "string" ? redact(code, secrets) : code,
      enumerable: true,
    });
  if (cause.stack) copy.stack = redact(cause.stack, secrets);
  return copy;
}
