// The generic client every generated service client wraps: endpoint and region resolution,
// request validation, rate limiting, signing (through the protocol), sending, retries, envelope
// and error handling, lossless JSON and response validation; pagination is pagination.ts. It knows
// no API: all of that comes from the generated `metadata` and `validators`.

import { parseResponseJson, stringifyJson, type StrayNumber } from "../shared/json.js";
import { processEnv, utf8Length } from "../shared/platform.js";
import type { Issue } from "../validation/validation.js";
import { ApiError, type ClientErrorCode } from "./errors.js";
import type { OperationMetadata, OperationName, ResponseValidator, ServiceMetadata, ServiceValidators } from "./metadata.js";
import { failsOver, resolveBackup } from "./failover.js";
import {
  checkExtraHeaders,
  MIDDLEWARE_RUNNER,
  withCallHeaders,
  type Middleware,
  type MiddlewareChain,
  type MiddlewareResponse,
  type MiddlewareRunner,
} from "./middleware.js";
import type { AttemptEvent, CallOptions, CommonClientOptions, Logger, ValidateResponsesMode } from "./options.js";
import type { Protocol, ProtocolFactory, ProtocolOutcome } from "./protocol.js";
import { ClientRateLimiter, type ReleaseSlot } from "./rate-limit.js";
import { abortedError, nextRetryDelay, parseRetryAfter, retryPolicy, systemClock, type Clock, type RetryPolicy } from "./retry.js";
import type { Transport, TransportResponse } from "./transport.js";
import { lazyTransport } from "./transport-loader.js";
import { DEFAULT_MAX_RESPONSE_BYTES, redirectError, responseTooLarge } from "./transport-errors.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const NO_MIDDLEWARE: readonly Middleware[] = Object.freeze([]);

/** The client's middleware, then the call's; a value that is not an array is kept as one entry, refused when the call runs. */
const callMiddleware = (client: readonly Middleware[], call: readonly Middleware[]): readonly Middleware[] =>
  Array.isArray(call) ? (call.length === 0 ? client : [...client, ...call]) : [...client, call as unknown as Middleware];
const runnerOf = (middleware: unknown): MiddlewareRunner | undefined => (middleware as Partial<MiddlewareChain> | undefined)?.[MIDDLEWARE_RUNNER];
const MIDDLEWARE_NEEDS_CHAIN = 'middleware: pass middlewareChain(fn, …) (import { middlewareChain } from "@rtc-apigen/runtime"), not an array';
const consoleLogger: Logger = { warn: (message, details) => console.warn(message, details ?? "") };

/**
 * The client over the protocol `makeProtocol` builds. Generated packages pass their service's own
 * factory, so a bundled app carries one protocol's code; `ServiceClient` (service-client.ts) finds it by the metadata.
 */
export class ProtocolClient<M extends ServiceMetadata = ServiceMetadata, O extends CommonClientOptions = CommonClientOptions> {
  readonly metadata: M;
  readonly #validators: ServiceValidators;
  readonly #options: CommonClientOptions;
  readonly #protocol: Protocol;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #endpoint: { url: URL; region: string | undefined } | ApiError;
  /** Where a retry goes after a failure another host could fix (failover.ts); undefined: none. */
  readonly #backup: URL | ApiError | undefined;
  readonly #buckets = new Map<string, ClientRateLimiter>();
  /** The client's retry policy; a call's `retry` option is merged over the client's options. */
  readonly #retryPolicy: RetryPolicy;
  readonly #now: () => number;
  /** A `clock` option without `now()` and `sleep()`: every call fails with it. */
  readonly #clockProblem: ApiError | undefined;
  /** The client's middleware, first outermost (a copy: later changes to the option's array do not count). */
  readonly #middleware: readonly Middleware[];

  constructor(metadata: M, validators: ServiceValidators, options: O, makeProtocol: ProtocolFactory<O>) {
    this.metadata = metadata;
    this.#validators = validators;
    const opts: CommonClientOptions = options;
    this.#options = opts;
    const clock = opts.clock;
    const usable = clock === undefined || (typeof clock?.now === "function" && typeof clock.sleep === "function");
    this.#clock = usable && clock ? clock : systemClock;
    this.#clockProblem = usable
      ? undefined
      : new ApiError({
          code: "ClientError.Configuration",
          message: "clock must be an object with now() (milliseconds since the epoch) and sleep(ms, signal) methods",
        });
    this.#now = () => this.#clock.now();
    this.#logger = opts.logger ?? consoleLogger;
    this.#retryPolicy = retryPolicy(opts.retry);
    this.#middleware = opts.middleware === undefined ? NO_MIDDLEWARE : callMiddleware(NO_MIDDLEWARE, opts.middleware);
    this.#transport = chooseTransport(opts);
    this.#endpoint = resolveEndpoint(metadata, opts.endpoint);
    this.#backup =
      this.#endpoint instanceof ApiError ? undefined : resolveBackup(metadata, opts, this.#endpoint.url, (e) => resolveEndpoint(metadata, e));
    if (this.#backup instanceof ApiError)
      this.#backup = new ApiError({ code: "ClientError.Configuration", message: `backupEndpoint: ${this.#backup.detail}` });
    this.#protocol = makeProtocol(metadata.protocol, options, opts.env ?? processEnv(), this.#now);
  }

  /** Call an operation; resolves to its payload (TC3: inside `Response`; Chat: the envelope's `Response`). */
  async call<T = unknown>(method: OperationName<M>, request: unknown, options: CallOptions = {}): Promise<T> {
    const operation = this.metadata.operations[method];
    if (!operation) {
      throw new ApiError({
        code: "ClientError.Configuration",
        message: `${this.metadata.id} has no operation "${method}"`,
      });
    }
    const name = operation.name;
    const secrets = this.#protocol.secrets;
    const fail = (code: ClientErrorCode, message: string, extra: { issues?: readonly Issue[]; cause?: unknown } = {}) =>
      new ApiError({ code, message, operation: name, attempts: 0, secrets, ...extra });

    const endpoint = this.#endpoint;
    if (endpoint instanceof ApiError) throw endpoint.withContext({ operation: name, secrets });
    if (this.#clockProblem) throw this.#clockProblem.withContext({ operation: name, secrets });
    const backup = this.#backup;
    if (backup instanceof ApiError) throw backup.withContext({ operation: name, secrets });
    const region = options.region ?? this.#options.region ?? endpoint.region;
    const regionProblem = checkRegion(operation, region);
    if (regionProblem) throw fail("ClientError.Region", regionProblem);

    const mode = this.#options.validateRequests ?? "throw";
    const validators = this.#validators[method];
    if (mode !== "off" && validators) {
      const result = validators.request(request, { now: this.#now, region });
      if (!result.ok) {
        const message = `the request is invalid: ${result.issues.map((i) => i.message).join("; ")}`;
        if (mode === "throw") throw fail("ClientError.Validation", message, { issues: result.issues });
        this.#logger.warn(`${name}: ${message}`, { operation: name, issues: result.issues });
      }
    }
    // Checked before sending: a response that cannot be validated as asked is a configuration error.
    const responseMode = this.#options.validateResponses ?? "off";
    const validateResponse = responseMode === "off" ? undefined : (this.#options.responseValidators?.[method] ?? validators?.response);
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
    const chain = options.middleware === undefined ? this.#middleware : callMiddleware(this.#middleware, options.middleware);
    // The code that runs middleware comes with them (middlewareChain()): a plain array has none.
    const runner = chain.length === 0 ? undefined : (runnerOf(options.middleware) ?? runnerOf(this.#options.middleware));
    if (chain.length !== 0 && !runner) throw fail("ClientError.Configuration", MIDDLEWARE_NEEDS_CHAIN);
    const policy = options.retry === undefined ? this.#retryPolicy : retryPolicy(this.#options.retry, options.retry);
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxResponseBytes = options.maxResponseBytes ?? this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const startedAt = this.#clock.now();
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
        const waiting = this.#takeToken(method, operation, signal);
        if (waiting) {
          release = await waiting;
          began = performance.now();
        }
        let prepared = this.#protocol.prepare({
          operation,
          endpoint: base,
          body,
          region,
          nowMs: this.#clock.now(),
        });
        // Only while a credentials provider is called: static credentials add no await.
        if (prepared instanceof Promise) prepared = await prepared;
        preparedSecrets = prepared.secrets;
        const headers = callHeaders === undefined ? prepared.headers : withCallHeaders(prepared.headers, callHeaders);
        if (chain.length === 0) {
          sent++;
          const response = await this.#transport({
            url: prepared.url,
            method: "POST",
            headers,
            body,
            timeoutMs,
            signal,
            maxResponseBytes,
          });
          status = response.status;
          const outcome = this.#interpret(response, method, operation, maxResponseBytes, prepared.url);
          requestId = outcome.requestId;
          if (outcome.kind === "ok") {
            result = { ok: true, payload: outcome.payload };
          } else {
            result = { ok: false, error: this.#outcomeError(outcome, operation, response.status) };
            if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(response.headers["retry-after"], this.#clock.now());
          }
        } else {
          // Middleware wrap the sending of the signed request (middleware.ts).
          const url = prepared.url;
          const answerOf = (response: TransportResponse) => this.#answer(response, method, operation, maxResponseBytes, url);
          const action = operation.action ?? operation.command ?? name;
          const answer = await runner!({
            chain,
            fields: { service: this.metadata.id, operation: name, action, region, attempt, host: base.host, signal },
            request: { url, method: "POST", headers, body },
            send: (sending) => {
              sent++;
              return this.#transport({ url, method: "POST", headers: { ...sending }, body, timeoutMs, signal, maxResponseBytes }).then(answerOf);
            },
            interpret: answerOf,
            secrets: attemptSecrets(),
          });
          status = answer.status;
          requestId = answer.requestId;
          if (answer.error === undefined) {
            result = { ok: true, payload: answer.payload };
          } else {
            result = { ok: false, error: answer.error };
            if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(answer.headers["retry-after"], this.#clock.now());
          }
        }
      } catch (error) {
        result = { ok: false, error: toApiError(error, signal) };
      }
      release?.();

      if (result.ok) {
        if (this.#observed()) this.#report(attemptEvent(name, attempt, status, began, requestId, base));
        if (!validateResponse) return result.payload as T;
        return this.#checkResponse(validateResponse, responseMode, operation, result.payload, requestId, sent, attemptSecrets) as T;
      }

      const { error } = result;
      const aborted = error.code === "ClientError.Aborted" || signal?.aborted === true;
      const delay = error.retryable && !aborted ? nextRetryDelay(policy, attempt, startedAt, this.#clock.now(), retryAfterMs) : undefined;
      if (this.#observed()) {
        const event = attemptEvent(name, attempt, status, began, requestId, base);
        event.errorCode = error.code;
        if (delay !== undefined) event.retryInMs = delay;
        this.#report(event);
      }
      const finish = (failure: ApiError) => failure.withContext({ operation: name, attempts: sent, secrets: attemptSecrets() });
      if (delay === undefined) throw finish(error);
      if (backup && failsOver(error)) base = base === endpoint.url ? backup : endpoint.url;
      try {
        await this.#clock.sleep(delay, signal);
      } catch (sleepError) {
        throw finish(toApiError(sleepError, signal));
      }
    }
  }

  /** The wait for a rate-limit slot (resolving with its release), or undefined when the operation is not rate limited. */
  #takeToken(method: string, operation: OperationMetadata, signal: AbortSignal | undefined): Promise<ReleaseSlot> | undefined {
    const setting = this.#options.rateLimit ?? true;
    if (setting === false || !operation.rateLimit) return undefined;
    let bucket = this.#buckets.get(method);
    if (!bucket) {
      bucket = new ClientRateLimiter(operation.rateLimit, this.#clock);
      this.#buckets.set(method, bucket);
    }
    return bucket.take({ signal, maxWaitMs: setting === true ? undefined : setting.maxWaitMs });
  }

  #interpret(response: TransportResponse, method: string, operation: OperationMetadata, maxResponseBytes: number, url: string): ProtocolOutcome {
    const { status } = response;
    // Transports refuse these themselves; a custom transport may not.
    if (status >= 300 && status <= 399) throw redirectError(status, response.headers["location"], url);
    const text = response.body;
    if (text.length * 3 > maxResponseBytes && utf8Length(text) > maxResponseBytes)
      throw responseTooLarge(maxResponseBytes, `passed ${maxResponseBytes} bytes`);
    const plan = operation.responseRepresentation;
    // The payload's 64-bit plan applies under the payload key, or to the body itself when the payload sits beside the envelope's fields.
    const beside = operation.payloadAt === "envelope";
    const payloadKey = this.#protocol.payloadKey;
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
    const outcome = this.#protocol.interpret(parsed.value, response, {
      payloadOptional: operation.payloadOptional === true,
      ...(beside ? { payloadAt: "envelope" as const } : {}),
    });
    if (outcome.kind !== "ok" || !parsed.strays) return outcome;
    const problem = this.#strayProblem(method, outcome.payload, parsed.strays, beside ? "" : `${payloadKey}.`);
    return problem ? { kind: "client", code: "ClientError.InvalidResponse", message: problem, requestId: outcome.requestId } : outcome;
  }

  /**
   * Why the payload cannot be handed over, when a number the parse made is not of its field's
   * declared JavaScript type, whatever the validation mode: any non-finite number (`1e400`), and a
   * bigint where the response validator reports an issue (a field typed `number`, a string...).
   * Undeclared fields and `any` fields keep their bigints.
   */
  #strayProblem(method: string, payload: unknown, strays: readonly StrayNumber[], prefix: string): string | undefined {
    const inPayload = strays.filter((s) => s.path.startsWith(prefix)).map((s) => ({ path: s.path.slice(prefix.length), value: s.value }));
    const say = (path: string, why: string) => `the response does not fit its declared types: ${path}: ${why}`;
    const infinite = inPayload.find((s) => typeof s.value === "number");
    if (infinite) return say(infinite.path, "a number beyond the range of a JavaScript number");
    const validators = this.#validators[method];
    const typed = validators?.typedFields;
    const validate = typed === undefined ? (this.#options.responseValidators?.[method] ?? validators?.response) : undefined;
    let wrong: StrayNumber | undefined;
    if (typed !== undefined) {
      const fields = JSON.parse(typed) as TypedFields;
      wrong = inPayload.find((s) => isTypedField(fields, s.path));
    } else if (validate) {
      const checked = validate(payload, { strict: false });
      const flagged = new Set(checked.ok ? [] : checked.issues.map((i) => i.path));
      wrong = inPayload.find((s) => flagged.has(s.path));
    }
    if (!wrong) return undefined;
    const digits = String(wrong.value);
    const shown = digits.length > 40 ? `${digits.slice(0, 40)}…` : digits;
    return say(wrong.path, `the integer ${shown} does not fit in a JavaScript number, and the field is not declared as a bigint`);
  }

  /** An answer as middleware see it: the response and what it means. */
  #answer(response: TransportResponse, method: string, operation: OperationMetadata, maxResponseBytes: number, url: string): MiddlewareResponse {
    const outcome = this.#interpret(response, method, operation, maxResponseBytes, url);
    const { status, headers, body } = response;
    if (outcome.kind === "ok") return { status, headers, body, requestId: outcome.requestId, payload: outcome.payload, error: undefined };
    return { status, headers, body, requestId: outcome.requestId, payload: undefined, error: this.#outcomeError(outcome, operation, status) };
  }

  #outcomeError(outcome: Exclude<ProtocolOutcome, { kind: "ok" }>, operation: OperationMetadata, status: number): ApiError {
    const serverFault = status >= 500 || status === 429;
    const retryable = outcome.kind === "error" ? (codeRetryable(this.metadata, operation, outcome.code) ?? serverFault) : serverFault;
    return new ApiError({
      code: outcome.code,
      message: outcome.message || "(no message)",
      requestId: outcome.requestId,
      httpStatus: status,
      retryable,
      secrets: this.#protocol.secrets,
    });
  }

  #checkResponse(
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
    this.#logger.warn(`${operation.name}: ${message}`, { operation: operation.name, requestId, issues: result.issues });
    return payload;
  }

  /** Whether anyone listens to attempt events (`onAttempt`, or a logger with `debug`). */
  #observed(): boolean {
    return this.#options.onAttempt !== undefined || this.#logger.debug !== undefined;
  }

  #report(event: AttemptEvent): void {
    this.#options.onAttempt?.(event);
    this.#logger.debug?.(`${event.operation} attempt ${event.attempt}`, { ...event });
  }
}

// ---------------------------------------------------------------------------------------------

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

/**
 * The client's transport: its own `transport` or `fetch`, else the built-in one for its proxy
 * setting. A proxy beside a transport or fetch of the caller's cannot be honoured: every call fails.
 */
function chooseTransport(opts: CommonClientOptions): Transport {
  const { fetch } = opts;
  const own = opts.transport ?? (fetch ? lazyTransport((t) => t.createFetchTransport(fetch)) : undefined);
  if (!own) return lazyTransport((t) => t.defaultTransport({ proxy: opts.proxy, env: opts.env }));
  if (opts.proxy === undefined || opts.proxy === false) return own;
  const problem = new ApiError({
    code: "ClientError.Configuration",
    message:
      "the proxy option applies to the built-in node:http transport; a fetch or transport of your own does its own proxying (undici's fetch with a ProxyAgent dispatcher, for one)",
  });
  return () => Promise.reject(problem);
}

/** An endpoint id, a host name or an http(s) URL to a base URL; an ApiError when it is none. */
export function resolveEndpoint(metadata: ServiceMetadata, endpoint: string | undefined): { url: URL; region: string | undefined } | ApiError {
  const known = endpoint === undefined ? metadata.endpoints.find((e) => e.default) : metadata.endpoints.find((e) => e.id === endpoint);
  if (known) return { url: new URL(`https://${known.host}/`), region: known.region };
  const invalid = (why: string) => new ApiError({ code: "ClientError.Configuration", message: why });
  if (endpoint === undefined) return invalid(`${metadata.id} has no default endpoint`);
  if (endpoint.includes("://")) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return invalid(`endpoint is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return invalid(`endpoint must be an http or https URL, got ${url.protocol}`);
    if (url.search || url.hash || url.username || url.password) return invalid("endpoint must not have a query, fragment or user info");
    return { url, region: undefined };
  }
  if (/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?$/.test(endpoint)) return { url: new URL(`https://${endpoint}/`), region: undefined };
  const ids = metadata.endpoints.map((e) => e.id).join(", ");
  return invalid(`unknown endpoint "${endpoint}": use one of ${ids}, a host name or an http(s) URL`);
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
