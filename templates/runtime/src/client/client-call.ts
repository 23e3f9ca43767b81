// A client's call path (what ProtocolClient.call runs): request validation, rate limiting, signing
// (through the protocol), sending, retries, envelope and error handling, lossless JSON and response
// validation. It is the runtime's `call` entry, loaded on a client's first call (client-core.ts, which keeps its state in client-state.ts),
// so that a cold import of a client does not parse it. It knows no API: all of that comes from the
// generated `metadata` and `validators`.

import { parseResponseJson, stringifyJson, type StrayNumber } from "../shared/json.js";
import { utf8Length } from "../shared/platform.js";
import type { Issue } from "../validation/validation.js";
import { callMiddleware, type ClientState } from "./client-state.js";
import { ApiError, configurationError, type ClientErrorCode } from "./errors.js";
import type { OperationMetadata, ResponseValidator, ServiceMetadata } from "./metadata.js";
import { failsOver } from "./failover.js";
import {
  checkExtraHeaders,
  MIDDLEWARE_RUNNER,
  withCallHeaders,
  type MiddlewareChain,
  type MiddlewareResponse,
  type MiddlewareRunner,
} from "./middleware.js";
import type { AttemptEvent, CallOptions, ValidateResponsesMode } from "./options.js";
import type { ProtocolOutcome } from "./protocol.js";
import { ClientRateLimiter, type ReleaseSlot } from "./rate-limit.js";
import { abortedError, nextRetryDelay, parseRetryAfter, retryPolicy } from "./retry.js";
import type { TransportResponse } from "./transport.js";
import { DEFAULT_MAX_RESPONSE_BYTES, redirectError, responseTooLarge } from "./transport-errors.js";

const DEFAULT_TIMEOUT_MS = 60_000;

const runnerOf = (middleware: unknown): MiddlewareRunner | undefined => (middleware as Partial<MiddlewareChain> | undefined)?.[MIDDLEWARE_RUNNER];
const MIDDLEWARE_NEEDS_CHAIN = 'middleware: pass middlewareChain(fn, …) (import { middlewareChain } from "@rtc-apigen/runtime"), not an array';

/** Call an operation of the client whose state is `s`; resolves to its payload (TC3: inside `Response`; Chat: the envelope's `Response`). */
export async function callOperation<T = unknown>(s: ClientState, method: string, request: unknown, options: CallOptions = {}): Promise<T> {
  const metadata = s.metadata;
  const operation = metadata.operations[method];
  if (!operation) {
    throw configurationError(`${metadata.id} has no operation "${method}"`);
  }
  const name = operation.name;
  const secrets = s.protocol.secrets;
  const fail = (code: ClientErrorCode, message: string, extra: { issues?: readonly Issue[]; cause?: unknown } = {}) =>
    new ApiError({ code, message, operation: name, attempts: 0, secrets, ...extra });

  if (s.problem) throw s.problem.withContext({ operation: name, secrets });
  const { backup, options: opts } = s;
  const endpoint = s.endpoint!;
  const region = options.region ?? opts.region ?? endpoint.region;
  const regionProblem = checkRegion(operation, region);
  if (regionProblem) throw fail("ClientError.Region", regionProblem);

  const mode = opts.validateRequests ?? "throw";
  const validators = s.validators[method];
  if (mode !== "off" && validators) {
    const result = validators.request(request, { now: s.now, region });
    if (!result.ok) {
      const message = `the request is invalid: ${result.issues.map((i) => i.message).join("; ")}`;
      if (mode === "throw") throw fail("ClientError.Validation", message, { issues: result.issues });
      s.logger.warn(`${name}: ${message}`, { operation: name, issues: result.issues });
    }
  }
  // Checked before sending: a response that cannot be validated as asked is a configuration error.
  const responseMode = opts.validateResponses ?? "off";
  const validateResponse = responseMode === "off" ? undefined : (opts.responseValidators?.[method] ?? validators?.response);
  if (validators && responseMode !== "off" && !validateResponse)
    throw fail(
      "ClientError.Configuration",
      `validateResponses needs the response validator: pass responseValidators: { ${method}: <the package's validate…Response> } or use the class client`,
    );

  let body: string;
  try {
    body = stringifyJson(request);
  } catch (error) {
    throw fail("ClientError.Validation", `the request cannot be written as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const { signal } = options;
  // Hooks (middleware.ts): with none, `chain` is the client's list and nothing is allocated.
  const callHeaders = options.headers === undefined ? undefined : checkExtraHeaders(options.headers, "headers");
  if (callHeaders instanceof ApiError) throw callHeaders.withContext({ operation: name, secrets });
  const chain = options.middleware === undefined ? s.middleware : callMiddleware(s.middleware, options.middleware);
  // The code that runs middleware comes with them (middlewareChain()): a plain array has none.
  const runner = chain.length === 0 ? undefined : (runnerOf(options.middleware) ?? runnerOf(opts.middleware));
  if (chain.length !== 0 && !runner) throw fail("ClientError.Configuration", MIDDLEWARE_NEEDS_CHAIN);
  const policy = options.retry === undefined ? s.retryPolicy : retryPolicy(opts.retry, options.retry);
  const timeoutMs = options.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const clock = s.clock;
  const startedAt = clock.now();
  // This attempt's secrets (signature, UserSig), redacted from errors with the long-lived ones.
  let preparedSecrets: readonly string[] = [];
  const attemptSecrets = () => (preparedSecrets.length ? [...secrets, ...preparedSecrets] : secrets);
  // Requests that reached the transport: what `attempts` reports.
  let sent = 0;
  // This attempt's base URL: the endpoint, or its backup after a failure another host could fix.
  let base = endpoint.url;

  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let requestId: string | undefined;
    // The server's Retry-After on a 429 or 503, in ms.
    let retryAfterMs: number | undefined;
    // Measured from after the rate-limit wait: the time the request itself took.
    let began = performance.now();
    let result: { ok: true; payload: unknown } | { ok: false; error: ApiError };
    // The rate-limit slot this attempt holds until its answer is back (see shared/rate-window.ts).
    let release: ReleaseSlot | undefined;
    try {
      if (signal?.aborted) throw abortedError("before sending");
      const waiting = takeToken(s, method, operation, signal);
      if (waiting) {
        release = await waiting;
        began = performance.now();
      }
      let prepared = s.protocol.prepare({
        operation,
        endpoint: base,
        body,
        region,
        nowMs: clock.now(),
      });
      // Only while a credentials provider is called: static credentials add no await.
      if (prepared instanceof Promise) prepared = await prepared;
      preparedSecrets = prepared.secrets;
      const headers = callHeaders === undefined ? prepared.headers : withCallHeaders(prepared.headers, callHeaders);
      if (chain.length === 0) {
        sent++;
        const response = await s.transport({
          url: prepared.url,
          method: "POST",
          headers,
          body,
          timeoutMs,
          signal,
          maxResponseBytes,
        });
        status = response.status;
        const outcome = interpret(s, response, method, operation, maxResponseBytes, prepared.url);
        requestId = outcome.requestId;
        if (outcome.kind === "ok") {
          result = { ok: true, payload: outcome.payload };
        } else {
          result = { ok: false, error: outcomeError(s, outcome, operation, response.status) };
          if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(response.headers["retry-after"], clock.now());
        }
      } else {
        // Middleware wrap the sending of the signed request (middleware.ts).
        const url = prepared.url;
        const answerOf = (response: TransportResponse) => answer(s, response, method, operation, maxResponseBytes, url);
        const action = operation.action ?? operation.command ?? name;
        const answered = await runner!({
          chain,
          fields: { service: metadata.id, operation: name, action, region, attempt, host: base.host, signal },
          request: { url, method: "POST", headers, body },
          send: (sending) => {
            sent++;
            return s.transport({ url, method: "POST", headers: { ...sending }, body, timeoutMs, signal, maxResponseBytes }).then(answerOf);
          },
          interpret: answerOf,
          secrets: attemptSecrets(),
        });
        status = answered.status;
        requestId = answered.requestId;
        if (answered.error === undefined) {
          result = { ok: true, payload: answered.payload };
        } else {
          result = { ok: false, error: answered.error };
          if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(answered.headers["retry-after"], clock.now());
        }
      }
    } catch (error) {
      result = { ok: false, error: toApiError(error, signal) };
    }
    release?.();

    if (result.ok) {
      if (observed(s)) report(s, attemptEvent(name, attempt, status, began, requestId, base));
      if (!validateResponse) return result.payload as T;
      return checkResponse(s, validateResponse, responseMode, operation, result.payload, requestId, sent, attemptSecrets) as T;
    }

    const { error } = result;
    const aborted = error.code === "ClientError.Aborted" || signal?.aborted === true;
    const delay = error.retryable && !aborted ? nextRetryDelay(policy, attempt, startedAt, clock.now(), retryAfterMs) : undefined;
    if (observed(s)) {
      const event = attemptEvent(name, attempt, status, began, requestId, base);
      event.errorCode = error.code;
      if (delay !== undefined) event.retryInMs = delay;
      report(s, event);
    }
    const finish = (failure: ApiError) => failure.withContext({ operation: name, attempts: sent, secrets: attemptSecrets() });
    if (delay === undefined) throw finish(error);
    if (backup && failsOver(error)) base = base === endpoint.url ? backup : endpoint.url;
    try {
      await clock.sleep(delay, signal);
    } catch (sleepError) {
      throw finish(toApiError(sleepError, signal));
    }
  }
}

/** The wait for a rate-limit slot (resolving with its release), or undefined when the operation is not rate limited. */
function takeToken(s: ClientState, method: string, operation: OperationMetadata, signal: AbortSignal | undefined): Promise<ReleaseSlot> | undefined {
  const setting = s.options.rateLimit ?? true;
  if (setting === false || !operation.rateLimit) return undefined;
  let bucket = s.buckets.get(method);
  if (!bucket) {
    bucket = new ClientRateLimiter(operation.rateLimit, s.clock);
    s.buckets.set(method, bucket);
  }
  return bucket.take({ signal, maxWaitMs: setting === true ? undefined : setting.maxWaitMs });
}

function interpret(
  s: ClientState,
  response: TransportResponse,
  method: string,
  operation: OperationMetadata,
  maxResponseBytes: number,
  url: string,
): ProtocolOutcome {
  const { status } = response;
  // Transports refuse these themselves; a custom transport may not.
  if (status >= 300 && status <= 399) throw redirectError(status, response.headers["location"], url);
  const text = response.body;
  if (text.length * 3 > maxResponseBytes && utf8Length(text) > maxResponseBytes)
    throw responseTooLarge(maxResponseBytes, `passed ${maxResponseBytes} bytes`);
  const plan = operation.responseRepresentation;
  // The payload's 64-bit plan applies under the payload key, or to the body itself when the payload sits beside the envelope's fields.
  const beside = operation.payloadAt === "envelope";
  const payloadKey = s.protocol.payloadKey;
  let parsed: ReturnType<typeof parseResponseJson>;
  try {
    parsed = parseResponseJson(text, plan ? (beside ? plan : { [payloadKey]: plan }) : undefined);
  } catch {
    const ok = response.status >= 200 && response.status <= 299;
    const what = response.body.trim() === "" ? "an empty body" : "a body that is not JSON";
    return {
      kind: "client",
      code: ok ? "ClientError.InvalidResponse" : "ClientError.HttpStatus",
      message: ok ? `the server answered with ${what}` : `the server answered HTTP ${response.status} with ${what}`,
      requestId: undefined,
    };
  }
  const outcome = s.protocol.interpret(parsed.value, response, {
    payloadOptional: operation.payloadOptional === true,
    ...(beside ? { payloadAt: "envelope" as const } : {}),
  });
  if (outcome.kind !== "ok" || !parsed.strays) return outcome;
  const problem = strayProblem(s, method, outcome.payload, parsed.strays, beside ? "" : `${payloadKey}.`);
  return problem ? { kind: "client", code: "ClientError.InvalidResponse", message: problem, requestId: outcome.requestId } : outcome;
}

/**
 * Why the payload cannot be handed over, when a number the parse made is not of its field's
 * declared JavaScript type, whatever the validation mode: any non-finite number (`1e400`), and a
 * bigint where the response validator reports an issue (a field typed `number`, a string...).
 * Undeclared fields and `any` fields keep their bigints.
 */
function strayProblem(s: ClientState, method: string, payload: unknown, strays: readonly StrayNumber[], prefix: string): string | undefined {
  const inPayload = strays.filter((x) => x.path.startsWith(prefix)).map((x) => ({ path: x.path.slice(prefix.length), value: x.value }));
  const say = (path: string, why: string) => `the response does not fit its declared types: ${path}: ${why}`;
  const infinite = inPayload.find((x) => typeof x.value === "number");
  if (infinite) return say(infinite.path, "a number beyond the range of a JavaScript number");
  const validators = s.validators[method];
  const typed = validators?.typedFields;
  const validate = typed === undefined ? (s.options.responseValidators?.[method] ?? validators?.response) : undefined;
  let wrong: StrayNumber | undefined;
  if (typed !== undefined) {
    const fields = JSON.parse(typed) as TypedFields;
    wrong = inPayload.find((x) => isTypedField(fields, x.path));
  } else if (validate) {
    const checked = validate(payload, { strict: false });
    const flagged = new Set(checked.ok ? [] : checked.issues.map((i) => i.path));
    wrong = inPayload.find((x) => flagged.has(x.path));
  }
  if (!wrong) return undefined;
  const digits = String(wrong.value);
  const shown = digits.length > 40 ? `${digits.slice(0, 40)}…` : digits;
  return say(wrong.path, `the integer ${shown} does not fit in a JavaScript number, and the field is not declared as a bigint`);
}

/** An answer as middleware see it: the response and what it means. */
function answer(
  s: ClientState,
  response: TransportResponse,
  method: string,
  operation: OperationMetadata,
  maxResponseBytes: number,
  url: string,
): MiddlewareResponse {
  const outcome = interpret(s, response, method, operation, maxResponseBytes, url);
  const { status, headers, body } = response;
  if (outcome.kind === "ok") return { status, headers, body, requestId: outcome.requestId, payload: outcome.payload, error: undefined };
  return { status, headers, body, requestId: outcome.requestId, payload: undefined, error: outcomeError(s, outcome, operation, status) };
}

function outcomeError(s: ClientState, outcome: Exclude<ProtocolOutcome, { kind: "ok" }>, operation: OperationMetadata, status: number): ApiError {
  const serverFault = status >= 500 || status === 429;
  const retryable = outcome.kind === "error" ? (codeRetryable(s.metadata, operation, outcome.code) ?? serverFault) : serverFault;
  return new ApiError({
    code: outcome.code,
    message: outcome.message || "(no message)",
    requestId: outcome.requestId,
    httpStatus: status,
    retryable,
    secrets: s.protocol.secrets,
  });
}

function checkResponse(
  s: ClientState,
  validate: ResponseValidator,
  mode: ValidateResponsesMode,
  operation: OperationMetadata,
  payload: unknown,
  requestId: string | undefined,
  attempts: number,
  secrets: () => readonly string[],
): unknown {
  const result = validate(payload, { strict: mode === "strict" });
  if (result.ok) return payload;
  const message = `the response does not match the spec: ${result.issues.map((i) => i.message).join("; ")}`;
  if (mode === "strict") {
    throw new ApiError({
      code: "ClientError.InvalidResponse",
      message,
      operation: operation.name,
      requestId,
      attempts,
      issues: result.issues,
      secrets: secrets(),
    });
  }
  s.logger.warn(`${operation.name}: ${message}`, { operation: operation.name, requestId, issues: result.issues });
  return payload;
}

/** Whether anyone listens to attempt events (`onAttempt`, or a logger with `debug`). */
const observed = (s: ClientState): boolean => s.options.onAttempt !== undefined || s.logger.debug !== undefined;

function report(s: ClientState, event: AttemptEvent): void {
  s.options.onAttempt?.(event);
  s.logger.debug?.(`${event.operation} attempt ${event.attempt}`, { ...event });
}

function attemptEvent(
  operation: string,
  attempt: number,
  status: number | undefined,
  began: number,
  requestId: string | undefined,
  base: URL,
): AttemptEvent {
  return {
    operation,
    attempt,
    status,
    durationMs: Math.round((performance.now() - began) * 1000) / 1000,
    requestId,
    host: base.host,
  };
}

/** Why the region cannot be used for the operation, or undefined when it can. */
export function checkRegion(operation: OperationMetadata, region: string | undefined): string | undefined {
  const { required, values } = operation.regions;
  if (region === undefined || region === "") {
    return required ? `a region is required: one of ${values.join(", ")}` : undefined;
  }
  if (values.length > 0 && !values.includes(region)) {
    return `region "${region}" is not supported: use one of ${values.join(", ")}`;
  }
  return undefined;
}

/**
 * Whether the spec says a retry can help: the operation's own codes, then the common ones, then
 * (TC3 `Group.Sub` codes) the nearest documented parent. Undefined for an undocumented code.
 */
export function codeRetryable(metadata: ServiceMetadata, operation: OperationMetadata, code: string | number): boolean | undefined {
  let key = String(code);
  for (;;) {
    const found = operation.errors[key] ?? metadata.commonErrors[key];
    if (found) return found.retryable;
    const dot = key.lastIndexOf(".");
    if (typeof code !== "string" || dot <= 0) return undefined;
    key = key.slice(0, dot);
  }
}

/** A response's typed fields (OperationValidators.typedFields): `1` a field, an object a shape's field and its own. */
type TypedFields = { readonly [name: string]: 1 | TypedFields };

/** Whether the payload path (`Events[2].Count`; "" the payload itself) is a field declared with a type, not `any`. */
function isTypedField(fields: TypedFields, path: string): boolean {
  let node: 1 | TypedFields | undefined = fields;
  if (path === "") return true;
  for (const key of path.replace(/\[\d+\]/g, "").split(".")) {
    node = typeof node === "object" && Object.hasOwn(node, key) ? node[key] : undefined;
    if (node === undefined) return false;
  }
  return true;
}

function toApiError(error: unknown, signal: AbortSignal | undefined): ApiError {
  if (error instanceof ApiError) return error;
  if (signal?.aborted) return abortedError();
  return new ApiError({ code: "ClientError.Network", message: "the transport failed", cause: error, retryable: true });
}
