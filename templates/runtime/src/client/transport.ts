// Sending one HTTP request and reading the whole body as text. Two implementations: the node
// transport (the default where node:net exists) and any fetch-compatible function (the in-process
// mock server, msw, a proxying fetch; Node 20's global fetch costs several times more per call).
// The node transport sends a direct request over its own kept-alive HTTP/1.1 connections
// (http1.ts); through a proxy or an agent of the caller's, with `useNodeHttp`, or while a test
// interceptor patches node:http (MSW, nock: http-interceptors.ts), over node:http(s), whose answer
// the fetch transport's code reads (node:http as a fetch-like: one copy of the timeout, abort,
// redirect and body-limit handling).
// Every failure becomes an ApiError with a `ClientError.*` code, never a raw socket or fetch error.
// Neither follows a redirect (a 3xx is `ClientError.Redirect`: nothing reaches a second host), and
// both stop reading a body past `maxResponseBytes`, counted after any decompression.
// node:net, node:tls, node:http and node:https are loaded on first use, not on import.
// The node transport sends through a proxy with `proxy: httpProxy()` (proxy.ts, the
// `@rtc-apigen/runtime/proxy` entry); without it, a proxy variable in the environment fails the
// requests it would carry rather than being ignored. The fetch transport leaves proxying to the
// fetch it is given (Node 20's global fetch has none).

import type http from "node:http";
import type https from "node:https";
import { hasNodeBuiltins, utf8Length } from "../shared/platform.js";
import { ApiError, configurationError } from "./errors.js";
import { Http1Client, type Http1Target } from "./http1.js";
import { nodeHttpIntercepted } from "./http-interceptors.js";
import type { HttpProxy, ProxyAgents, ProxyEnv, ProxyOption, ProxyRoute } from "./proxy.js";
import { bypassesProxy, parseNoProxy, proxyVariables, type ProxyVariable } from "./proxy-env.js";
import {
  abortError,
  DEFAULT_MAX_RESPONSE_BYTES,
  failure,
  isRedirect,
  networkError,
  redirectError,
  responseTooLarge,
  timeoutError,
  truncatedError,
} from "./transport-errors.js";

export { DEFAULT_MAX_RESPONSE_BYTES, redirectError, responseTooLarge };

export type { Transport, TransportRequest, TransportResponse } from "./transport-types.js";
import { TUNNEL_TIMEOUT, type Transport, type TransportRequest, type TransportResponse } from "./transport-types.js";

/** What the client passes to `fetch`: always a string URL and this init. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** Redirects are never followed; a fetch that follows one anyway still gets `ClientError.Redirect`. */
  redirect: "manual";
}

/** What the client reads from a `fetch` response. */
export interface FetchResponseLike {
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void; get?(name: string): string | null };
  text(): Promise<string>;
  /** Read chunk by chunk when present, so a body past `maxResponseBytes` is never held whole. */
  body?: { getReader(): ReadableStreamDefaultReader<Uint8Array> } | null | undefined;
  /** `opaqueredirect` for a redirect answered under `redirect: "manual"` (browsers). */
  type?: string | undefined;
  /** True when the fetch followed a redirect (one that ignores `redirect: "manual"`). */
  redirected?: boolean | undefined;
  /** The final URL (after a followed redirect). */
  url?: string | undefined;
}

/**
 * The part of `fetch` the client uses: global `fetch`, undici's, or a mock server's in-process
 * fetch. Called as `fetch(url, init)` rather than with a `Request`: building a Request costs
 * about a third more per call on Node 20.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

export interface NodeTransportOptions {
  /** Reuse connections (default true). */
  keepAlive?: boolean | undefined;
  /** Concurrent sockets per host (default 64). */
  maxSockets?: number | undefined;
  /** Agents to use instead of the transport's own (a proxy agent, custom TLS). */
  httpAgent?: http.Agent | undefined;
  httpsAgent?: https.Agent | undefined;
  /**
   * `httpProxy(...)` from `@rtc-apigen/runtime/proxy` (the environment's proxy, or a URL), or `false`:
   * no proxy. Default: none, and a request a proxy variable of `env` would carry fails with
   * ClientError.Configuration (see proxy.ts). A scheme whose agent is given is never proxied.
   */
  proxy?: ProxyOption;
  /** Where the proxy variables are read, once, when the transport is made (default `process.env`). */
  env?: ProxyEnv | undefined;
  /** Certificate authorities trusted for https servers instead of Node's (a private CA, a test server). */
  ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /**
   * Send every request through node:http(s), never over the transport's own connections: for a
   * tool that patches node:http and is not detected (see http-interceptors.ts). Slower.
   */
  useNodeHttp?: boolean | undefined;
}

export interface NodeTransport extends Transport {
  /** Close idle kept-alive sockets (their sockets are unref'd, so this is optional at exit). */
  close(): void;
}

const limitOf = (request: TransportRequest) => request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

let httpModule: typeof http | undefined;
let httpsModule: typeof https | undefined;
const nodeHttp = (): typeof http => (httpModule ??= process.getBuiltinModule("node:http"));
const nodeHttps = (): typeof https => (httpsModule ??= process.getBuiltinModule("node:https"));

/** What `http.request` needs from a URL: the fields Node's own `urlToHttpOptions` gives it. */
interface Target {
  secure: boolean;
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
  username: string;
  password: string;
  /** The proxy this URL goes through (undefined: direct); set by the transport. */
  via?: ProxyRoute;
  /** Sent over the transport's own connections (http1.ts): no proxy, agent or user info. */
  direct?: Http1Target | undefined;
}

function parseTarget(text: string): Target {
  const url = new URL(text);
  const { hostname, port, username, password } = url;
  const target: Target = {
    secure: url.protocol === "https:",
    protocol: url.protocol,
    hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
    port: port === "" ? undefined : Number(port),
    path: `${url.pathname}${url.search}`,
    username,
    password,
  };
  const { secure } = target;
  if (!username && !password && (secure || url.protocol === "http:"))
    target.direct = { secure, hostname: target.hostname, port: target.port ?? (secure ? 443 : 80), host: url.host, path: target.path };
  return target;
}

function responseHeaders(incoming: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

/** A transport over node:http / node:https with keep-alive agents. */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const keepAlive = options.keepAlive ?? true;
  const maxSockets = options.maxSockets ?? 64;
  const useNodeHttp = options.useNodeHttp === true;
  // Created on first use of each scheme.
  let httpAgent = options.httpAgent;
  let httpsAgent = options.httpsAgent;
  const agentOptions: https.AgentOptions = { keepAlive, maxSockets };
  if (options.ca !== undefined) agentOptions.ca = options.ca as https.AgentOptions["ca"];
  // Read once: with no proxy set there is no router, and a request does no proxy work at all.
  const env = options.env ?? globalThis.process?.env;
  const support = proxySupport(options.proxy);
  const proxySettings = support?.settings(env);
  let route: ((secure: boolean, hostname: string, port: number | undefined) => ProxyRoute) | undefined;
  let proxyAgents: ProxyAgents | undefined;
  if (proxySettings) {
    route = support!.router(proxySettings);
    proxyAgents = support!.agents(agentOptions);
  } else if (!support && options.proxy !== false) {
    route = unsupportedProxy(options.proxy, env);
  }
  // The last URL's parse: a client sends every request of an endpoint to the same URL.
  let lastUrl: string | undefined;
  let lastTarget: Target | undefined;

  // Direct requests: the transport's own HTTP/1.1 connections, made on first use.
  let http1: Http1Client | undefined;

  const transport = (request: TransportRequest): Promise<TransportResponse> => {
    let target: Target;
    if (request.url === lastUrl && lastTarget) {
      target = lastTarget;
    } else {
      if (request.signal?.aborted) return Promise.reject(abortError());
      try {
        target = parseTarget(request.url);
      } catch (error) {
        return Promise.reject(failure("ClientError.Network", "the request URL is not valid", error, false));
      }
      // A scheme with the caller's own agent is theirs to proxy, and goes through node:http.
      if (target.secure ? options.httpsAgent : options.httpAgent) target.direct = undefined;
      else if (route) target.via = route(target.secure, target.hostname, target.port);
      if (target.via) target.direct = undefined;
      lastUrl = request.url;
      lastTarget = target;
    }
    // An interceptor patching node:http (MSW, nock) must see the request: node:http then.
    if (target.direct && !useNodeHttp && !nodeHttpIntercepted(nodeHttp(), nodeHttps()))
      return (http1 ??= new Http1Client({ keepAlive, maxSockets, ca: options.ca })).send(target.direct, request, limitOf(request));
    return overNodeHttp(target, request);
  };

  /**
   * A request through a proxy or the caller's agent: node:http(s) as a fetch-like, under the fetch
   * transport's own timeout, abort, redirect and body-limit handling (one copy of that code).
   */
  const overNodeHttp = (target: Target, request: TransportRequest): Promise<TransportResponse> =>
    createFetchTransport((_, init) => nodeHttpFetch(target, request.timeoutMs, init))(request);

  const nodeHttpFetch = (target: Target, timeoutMs: number, init: FetchInit): Promise<FetchResponseLike> =>
    new Promise((resolve, reject) => {
      const { secure, via } = target;
      let answered = false;
      let outgoing: http.ClientRequest | undefined;
      const fail = (error: ApiError) => {
        reject(error);
        outgoing?.destroy();
      };
      if (via instanceof ApiError) return fail(via);
      const body = Buffer.from(init.body, "utf8");
      // The fetch transport's headers: lower-case, without host.
      const headers: Record<string, string> = { ...init.headers, "content-length": String(body.length) };
      delete headers["transfer-encoding"];
      try {
        const agent = via
          ? secure
            ? proxyAgents!.tunnel(via)
            : proxyAgents!.forward(via)
          : secure
            ? (httpsAgent ??= new (nodeHttps().Agent)(agentOptions))
            : (httpAgent ??= new (nodeHttp().Agent)(agentOptions));
        // The signal destroys the request (and its answer) when the fetch transport stops the call.
        const requestOptions: https.RequestOptions = {
          protocol: target.protocol,
          hostname: target.hostname,
          path: target.path,
          method: init.method,
          headers,
          agent,
          signal: init.signal,
        };
        if (target.port !== undefined) requestOptions.port = target.port;
        const { username, password } = target;
        if (username || password) requestOptions.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
        let viaHttps = secure;
        if (via && secure) (requestOptions as unknown as Record<string, unknown>)[TUNNEL_TIMEOUT] = timeoutMs;
        else if (via) {
          support!.forward(requestOptions, headers, via, target);
          viaHttps = via.secure;
        }
        outgoing = (viaHttps ? nodeHttps() : nodeHttp()).request(requestOptions, (incoming) => {
          answered = true;
          const status = incoming.statusCode ?? 0;
          if (status === 407 && via && !secure) return fail(support!.refused(via, status));
          // Read by the fetch transport; an answer cut off errors the stream ("aborted"), and so the read.
          incoming.on("error", () => {});
          const chunks = incoming[Symbol.asyncIterator]();
          const header = (name: string) => incoming.headers[name]?.toString() ?? null;
          resolve({
            status,
            headers: {
              forEach: (callback) => {
                for (const [name, value] of Object.entries(responseHeaders(incoming))) callback(value, name);
              },
              // node:http never decompresses (no Accept-Encoding is sent): the declared length is the bytes to read, whatever the encoding.
              get: (name) => (name === "content-encoding" ? null : header(name)),
            },
            text: () => Promise.reject(new Error("read through body")),
            body: {
              getReader: () => ({ read: () => chunks.next(), cancel: () => chunks.return!() }) as unknown as ReadableStreamDefaultReader<Uint8Array>,
            },
          });
        });
      } catch (error) {
        // Invalid header characters and the like throw synchronously.
        return fail(failure("ClientError.Network", "the request could not be built", error, false));
      }
      // A proxy's own failures (tunnel refused, proxy unreachable) arrive as ClientError.Proxy.
      outgoing.on("error", (error) =>
        fail(error instanceof ApiError ? error : (via && !secure && support!.failure(via, error, answered)) || networkError(error)),
      );
      outgoing.end(body);
    });

  return Object.assign(transport, {
    close: () => {
      http1?.close();
      httpAgent?.destroy();
      httpsAgent?.destroy();
      proxyAgents?.destroy();
    },
  });
}

/** A transport over a fetch-compatible function; the timeout and the caller's signal abort it. */
export function createFetchTransport(fetchImpl: FetchLike): Transport {
  return async (request) => {
    const { signal, timeoutMs } = request;
    if (signal?.aborted) throw abortError();
    const controller = new AbortController();
    // Why the call was stopped (timeout, abort): `stopped` rejects with it, so a fetch that ignores
    // its signal cannot hang the caller, and whatever the work then fails with, the call fails so.
    let reason: ApiError | undefined;
    let stop: (error: ApiError) => void = () => {};
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    stopped.catch(() => {});
    const halt = (error: ApiError) => {
      if (reason) return;
      stop((reason = error));
      controller.abort();
    };
    const onAbort = () => halt(abortError());
    const timer = setTimeout(() => halt(timeoutError(timeoutMs)), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    const settled = <T>(work: Promise<T>, wrap: (error: unknown) => ApiError): Promise<T> =>
      Promise.race([work, stopped]).catch((error: unknown) => {
        throw reason ?? (error instanceof ApiError ? error : wrap(error));
      });
    try {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (name.toLowerCase() !== "host") headers[name.toLowerCase()] = value;
      }
      const response = await settled(
        Promise.resolve().then(() =>
          fetchImpl(request.url, {
            method: request.method,
            headers,
            body: request.body,
            signal: controller.signal,
            redirect: "manual",
          }),
        ),
        networkError,
      );
      const { status } = response;
      if (response.type === "opaqueredirect" || response.redirected === true || isRedirect(status)) {
        discard(response, controller);
        // A followed redirect answers 200 from its target: name the target, not that status.
        const followed = !isRedirect(status);
        const target = followed ? response.url : response.headers.get?.("location");
        throw redirectError(followed ? 0 : status, target, request.url);
      }
      const body = await settled(readBody(response, limitOf(request), controller), (error) => truncatedError("the body stream failed", error));
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        out[name.toLowerCase()] = value;
      });
      return { status, headers: out, body };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  };
}

/** Drop a response's body without reading it, and stop its request. */
function discard(response: FetchResponseLike, controller: AbortController): void {
  try {
    response.body
      ?.getReader()
      .cancel()
      .catch(() => {});
  } catch {
    // Already locked or consumed: nothing to release.
  }
  controller.abort();
}

/**
 * The body as text, read chunk by chunk (fetch has already decompressed each) and given up as soon
 * as it passes `limit`: a gzip bomb or an endless body costs at most `limit` bytes of memory.
 */
async function readBody(response: FetchResponseLike, limit: number, controller: AbortController): Promise<string> {
  const declared = Number(response.headers.get?.("content-length") ?? NaN);
  const encoded = (response.headers.get?.("content-encoding") ?? "identity").toLowerCase() !== "identity";
  if (!encoded && declared > limit) {
    discard(response, controller);
    throw responseTooLarge(limit, `declares ${declared} bytes`);
  }
  if (!response.body || typeof response.body.getReader !== "function") {
    // A fetch-like without streams: the limit still holds for what it returns.
    const text = await response.text();
    if (text.length > limit || utf8Length(text) > limit) throw responseTooLarge(limit, `passed ${limit} bytes`);
    return text;
  }
  const reader = response.body.getReader();
  // Decoded chunk by chunk (as Response.text(): UTF-8, a leading BOM dropped, bad sequences
  // replaced), so no chunk is kept alive: ASCII text costs a byte a character, as the bytes did.
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      reader.cancel().catch(() => {});
      controller.abort();
      throw responseTooLarge(limit, `passed ${limit} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

let shared: NodeTransport | undefined;
/** Default transports of clients with proxy settings, one per distinct setting. */
const proxied = new Map<string, NodeTransport>();

/**
 * The process-wide default transport (node:http with keep-alive), created on first use; clients
 * whose proxy setting or environment names a proxy share one per distinct setting.
 */
export function defaultTransport(settings: { proxy?: ProxyOption; env?: ProxyEnv | undefined } = {}): Transport {
  if (!hasNodeBuiltins()) return runtimeFetchTransport(settings.proxy);
  const env = settings.env ?? globalThis.process?.env;
  const { proxy } = settings;
  const support = proxySupport(proxy);
  // Without support, clients that fail alike (the same variables set) share one transport.
  const key = support ? support.settings(env)?.key : proxy === false ? undefined : unsupportedProxyKey(proxy, env);
  if (key === undefined) return (shared ??= createNodeTransport({ proxy: false }));
  let transport = proxied.get(key);
  if (!transport) {
    transport = createNodeTransport({ proxy, env });
    proxied.set(key, transport);
  }
  return transport;
}

/** The `proxy` option when it is proxy support (httpProxy()), else undefined. */
const proxySupport = (option: ProxyOption): HttpProxy | undefined =>
  typeof option === "object" && option !== null && typeof option.settings === "function" ? option : undefined;

/** Without proxy support, the variables that ask for a proxy (undefined: none does). */
function unsupportedVariables(env: ProxyEnv | undefined): ReturnType<typeof proxyVariables> | undefined {
  const variables = env && proxyVariables(env);
  return variables?.https || variables?.http ? variables : undefined;
}

/** Without proxy support: what its transport is shared by (undefined: everything goes direct). */
function unsupportedProxyKey(option: ProxyOption, env: ProxyEnv | undefined): string | undefined {
  if (option !== undefined) return "option";
  const variables = unsupportedVariables(env);
  // NO_PROXY is part of the key: it decides which hosts go direct.
  return variables && `env\n${variables.https?.name ?? ""}\n${variables.http?.name ?? ""}\n${variables.noProxy}`;
}

const needsProxySupport = (what: string) =>
  configurationError(`${what}: a proxy needs proxy: httpProxy() or httpProxy(url) from "@rtc-apigen/runtime/proxy" (proxy: false connects directly)`);

/**
 * The routes of a transport without proxy support: undefined (everything direct) unless a proxy
 * variable is set, whose requests then fail (sent direct, they would pass by the proxy the
 * environment asks for), except to the hosts NO_PROXY lists, which go direct as they would with
 * support; a `proxy` value that is not httpProxy(...) fails every request.
 */
function unsupportedProxy(
  option: ProxyOption,
  env: ProxyEnv | undefined,
): ((secure: boolean, hostname: string, port: number | undefined) => ProxyRoute) | undefined {
  if (option !== undefined) {
    const error = needsProxySupport("the proxy option is not httpProxy(url)");
    return () => error;
  }
  const variables = unsupportedVariables(env);
  if (!variables) return undefined;
  const fail = (variable: ProxyVariable | undefined) => variable && needsProxySupport(`${variable.name} is set`);
  const https = fail(variables.https);
  const http = fail(variables.http);
  const direct = parseNoProxy(variables.noProxy);
  return (secure, hostname, port) => (bypassesProxy(direct, hostname, port ?? (secure ? 443 : 80)) ? undefined : secure ? https : http);
}

let sharedFetch: Transport | undefined;

/**
 * The default where there is no node:http (a Cloudflare worker): the runtime's own fetch. Its
 * proxying is the platform's, so a `proxy` URL cannot be honoured: every call fails with it.
 */
function runtimeFetchTransport(proxy: ProxyOption): Transport {
  if (proxy !== undefined && proxy !== false) {
    const problem = configurationError("the proxy option needs node:http, which this runtime does not have; its fetch does its own proxying");
    return () => Promise.reject(problem);
  }
  // Called through globalThis: a worker's fetch refuses to run detached from it.
  return (sharedFetch ??= createFetchTransport((url, init) => globalThis.fetch(url, init) as Promise<FetchResponseLike>));
}
