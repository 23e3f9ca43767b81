// Running middleware (middleware.ts) around one attempt: what `middlewareChain(...)` brings, so that
// an app without middleware does not bundle it (about 1.5 KB of a one-operation bundle).

import { ApiError, configurationError } from "./errors.js";
import {
  checkExtraHeaders,
  MIDDLEWARE_RUNNER,
  type Middleware,
  type MiddlewareChain,
  type MiddlewareContext,
  type MiddlewareNext,
  type MiddlewareRequest,
  type MiddlewareResponse,
  type MiddlewareRunner,
} from "./middleware.js";
import type { TransportResponse } from "./transport.js";

/**
 * Middleware for the `middleware` option of a client or a call, first outermost:
 * `middleware: middlewareChain(tracing, metrics)`.
 */
export function middlewareChain(...middleware: readonly Middleware[]): MiddlewareChain {
  return Object.freeze(Object.assign([...middleware], { [MIDDLEWARE_RUNNER]: runMiddleware }));
}

/** The context of one attempt, frozen with its request. */
function middlewareContext(fields: Omit<MiddlewareContext, "request">, request: MiddlewareRequest): MiddlewareContext {
  const view = Object.freeze({ url: request.url, method: request.method, headers: Object.freeze({ ...request.headers }), body: request.body });
  // A literal rather than a spread: measured faster per attempt.
  const { service, operation, action, region, attempt, host, signal } = fields;
  return Object.freeze({ service, operation, action, region, attempt, host, request: view, signal });
}

/** Runs one attempt through the middleware; resolves to the outermost one's answer, interpreted. */
const runMiddleware: MiddlewareRunner = (hooks) => {
  const { chain } = hooks;
  const context = middlewareContext(hooks.fields, hooks.request);
  const signed = context.request.headers;
  // The answers interpreted in this attempt (a few): any other object a middleware returns (a cached one) is interpreted again.
  const own: object[] = [];
  const dispatch = async (index: number, headers: Readonly<Record<string, string>>): Promise<MiddlewareResponse> => {
    if (index === chain.length) {
      const answer = await hooks.send(headers);
      own.push(answer);
      return answer;
    }
    const middleware = chain[index];
    if (typeof middleware !== "function") throw configurationError(`middleware #${index + 1} is not a function (middlewareChain takes functions)`);
    // Named only in an error: reading a function's name costs on every attempt.
    const where = () => `middleware #${index + 1}${middleware.name ? ` (${middleware.name})` : ""}`;
    let called = false;
    const next: MiddlewareNext = (options) => {
      if (called) return Promise.reject(failure(`${where()} called next() twice`, undefined, hooks.secrets));
      called = true;
      if (options?.headers === undefined) return dispatch(index + 1, headers);
      const added = checkExtraHeaders(options.headers, `${where()}: next({ headers })`, signed);
      return added instanceof ApiError ? Promise.reject(added) : dispatch(index + 1, { ...headers, ...added });
    };
    let answer: unknown;
    try {
      answer = await middleware(context, next);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw failure(`${where()} threw: ${error instanceof Error ? error.message : String(error)}`, error, hooks.secrets);
    }
    if (typeof answer === "object" && answer !== null && own.includes(answer)) return answer as MiddlewareResponse;
    const response = asResponse(answer);
    if (!response)
      throw failure(`${where()} answered no response (expected { status, headers, body } or what next() gave)`, undefined, hooks.secrets);
    const interpreted = hooks.interpret(response);
    own.push(interpreted);
    return interpreted;
  };
  return dispatch(0, signed);
};

function asResponse(value: unknown): TransportResponse | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { status, headers, body } = value as Partial<TransportResponse>;
  if (!Number.isInteger(status) || status! < 100 || status! > 599 || typeof body !== "string") return undefined;
  if (headers !== undefined && (headers === null || typeof headers !== "object")) return undefined;
  return { status: status!, headers: headers ?? {}, body };
}

function failure(message: string, cause: unknown, secrets: readonly string[]): ApiError {
  return new ApiError({ code: "ClientError.Middleware", message, cause, secrets, retryable: false });
}
