// The generic client every generated service client wraps: what a client holds from its
// construction (endpoint, region, clock, retry policy, middleware, transport and protocol, with
// the configuration errors a call will throw). Its call path is client-call.ts, the runtime's
// `call` entry, loaded on the first call: a cold import of a client does not parse it (issue 15);
// pagination is pagination.ts. It knows no API: all of that comes from the generated `metadata`
// and `validators`.

import { processEnv } from "../shared/platform.js";
import { ApiError, configurationError } from "./errors.js";
import type { OperationName, ServiceMetadata, ServiceValidators } from "./metadata.js";
import { resolveBackup } from "./failover.js";
import { callMiddleware, NO_MIDDLEWARE, type ClientState } from "./client-state.js";
import type { CallOptions, CommonClientOptions, Logger } from "./options.js";
import type { ProtocolFactory } from "./protocol.js";
import { retryPolicy, systemClock } from "./retry.js";
import type { Transport } from "./transport.js";
import { startCall } from "./call-loader.js";
import { lazyTransport } from "./transport-loader.js";

const consoleLogger: Logger = { warn: (message, details) => console.warn(message, details ?? "") };

/**
 * The client over the protocol `makeProtocol` builds. Generated packages pass their service's own
 * factory, so a bundled app carries one protocol's code; `ServiceClient` (service-client.ts) finds it by the metadata.
 */
export class ProtocolClient<M extends ServiceMetadata = ServiceMetadata, O extends CommonClientOptions = CommonClientOptions> {
  readonly metadata: M;
  readonly #state: ClientState;

  constructor(metadata: M, validators: ServiceValidators, options: O, makeProtocol: ProtocolFactory<O>) {
    this.metadata = metadata;
    const opts: CommonClientOptions = options;
    const clock = opts.clock;
    const usable = clock === undefined || (typeof clock?.now === "function" && typeof clock.sleep === "function");
    const theClock = usable && clock ? clock : systemClock;
    const clockProblem = usable
      ? undefined
      : configurationError("clock must be an object with now() (milliseconds since the epoch) and sleep(ms, signal) methods");
    const now = () => theClock.now();
    const logger = opts.logger ?? consoleLogger;
    const policy = retryPolicy(opts.retry);
    const middleware = opts.middleware === undefined ? NO_MIDDLEWARE : callMiddleware(NO_MIDDLEWARE, opts.middleware);
    const transport = chooseTransport(opts);
    const endpoint = resolveEndpoint(metadata, opts.endpoint);
    let backup = endpoint instanceof ApiError ? undefined : resolveBackup(metadata, opts, endpoint.url, (e) => resolveEndpoint(metadata, e));
    if (backup instanceof ApiError) backup = configurationError(`backupEndpoint: ${backup.detail}`);
    const protocol = makeProtocol(metadata.protocol, options, opts.env ?? processEnv(), now);
    const failed = endpoint instanceof ApiError;
    this.#state = {
      metadata,
      validators,
      options: opts,
      protocol,
      transport,
      clock: theClock,
      logger,
      problem: failed ? endpoint : (clockProblem ?? (backup instanceof ApiError ? backup : undefined)),
      endpoint: failed ? undefined : endpoint,
      backup: backup instanceof ApiError ? undefined : backup,
      buckets: new Map(),
      retryPolicy: policy,
      now,
      middleware,
    };
  }

  /** Call an operation; resolves to its payload (TC3: inside `Response`; Chat: the envelope's `Response`). */
  // async: whatever goes wrong (a call on the wrong receiver too) is a rejection, never a throw.
  async call<T = unknown>(method: OperationName<M>, request: unknown, options?: CallOptions): Promise<T> {
    return startCall<T>(this.#state, method, request, options);
  }
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
  const problem = configurationError(
    "the proxy option applies to the built-in node:http transport; a fetch or transport of your own does its own proxying (undici's fetch with a ProxyAgent dispatcher, for one)",
  );
  return () => Promise.reject(problem);
}

/** An endpoint id, a host name or an http(s) URL to a base URL; an ApiError when it is none. */
export function resolveEndpoint(metadata: ServiceMetadata, endpoint: string | undefined): { url: URL; region: string | undefined } | ApiError {
  const known = endpoint === undefined ? metadata.endpoints.find((e) => e.default) : metadata.endpoints.find((e) => e.id === endpoint);
  if (known) return { url: new URL(`https://${known.host}/`), region: known.region };
  const invalid = configurationError;
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
