// The ApiErrors every built-in transport fails with: one wording and one retry rule for each
// failure, whichever transport met it.

import { ApiError } from "./errors.js";

export function failure(
  code: "ClientError.Network" | "ClientError.Timeout" | "ClientError.Aborted" | "ClientError.InvalidResponse",
  message: string,
  cause?: unknown,
  retryable = code !== "ClientError.Aborted",
): ApiError {
  return new ApiError({ code, message, cause, retryable });
}

/** The default of `maxResponseBytes`: 10 MB, TC3's documented request limit. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** A body larger than the limit: not retryable, the same request gets the same answer. */
export function responseTooLarge(limit: number, detail: string): ApiError {
  return new ApiError({
    code: "ClientError.ResponseTooLarge",
    message: `the response body ${detail}, more than maxResponseBytes (${limit})`,
    retryable: false,
  });
}

/**
 * A redirect, never followed. Names the status and, when the Location parses, only its origin
 * (a path or query could hold anything the server chose).
 */
export function redirectError(status: number, location: string | null | undefined, base: string): ApiError {
  let target = "";
  if (location) {
    try {
      target = ` to ${new URL(location, base).origin}`;
    } catch {
      target = "";
    }
  }
  return new ApiError({
    code: "ClientError.Redirect",
    // The status is in the message's tail (HTTP 307); 0: an opaque or already followed redirect.
    message: `the server answered with a redirect${target}; redirects are never followed`,
    httpStatus: status === 0 ? undefined : status,
    retryable: false,
  });
}

export const isRedirect = (status: number): boolean => status >= 300 && status <= 399;

export const timeoutError = (ms: number): ApiError => failure("ClientError.Timeout", `no complete response within ${ms} ms`);
export const abortError = (): ApiError => failure("ClientError.Aborted", "the call was aborted", undefined, false);
export const truncatedError = (detail: string, cause?: unknown): ApiError =>
  failure("ClientError.InvalidResponse", `the response body was cut off: ${detail}`, cause, true);

export function networkError(cause: unknown): ApiError {
  const code = (cause as { code?: unknown } | null)?.code;
  const text = cause instanceof Error ? cause.message : "unknown error";
  return failure("ClientError.Network", `the request failed: ${typeof code === "string" && !text.includes(code) ? `${code} ` : ""}${text}`, cause);
}
