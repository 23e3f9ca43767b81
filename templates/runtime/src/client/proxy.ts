// Proxies for the node:http transport, an opt-in: `proxy: httpProxy()` (the `@rtc-apigen/runtime/proxy`
// entry) hands this module to the transport, so an app that never proxies bundles none of it. Which
// proxy a request goes through comes from `httpProxy(url)`, else from the environment as curl reads
// it (HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs, NO_PROXY for the exceptions). An https
// URL goes through a CONNECT tunnel, with TLS end to end between the client and the server (SNI and
// certificate checks as without a proxy); an http URL is sent to the proxy as an absolute-form
// request. Proxy credentials come from the proxy URL's userinfo and go only to the proxy
// (Proxy-Authorization: Basic); no error message names them. Settings are read once, when a
// transport is made: a request pays a cached lookup, or nothing when no proxy is set.

import type http from "node:http";
import type https from "node:https";
import type { Duplex } from "node:stream";
import { ApiError, configurationError } from "./errors.js";
import { bypassesProxy, parseNoProxy, proxyVariables, type NoProxyList, type ProxyEnv } from "./proxy-env.js";

export type { ProxyEnv } from "./proxy-env.js";
import { TUNNEL_TIMEOUT } from "./transport-types.js";

/**
 * What `httpProxy` takes: a URL (`http://user:password@host:port`, `https://...`, or `host:port`):
 * every request through it; `{ url, noProxy }`: every request except those `noProxy` (NO_PROXY's
 * syntax) lists; undefined: the environment decides (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
 */
export type ProxySetting = string | { url: string; noProxy?: string | undefined } | undefined;

/**
 * The `proxy` client option: `httpProxy(...)` from `@rtc-apigen/runtime/proxy`, or `false` (never a
 * proxy, the environment not read). Undefined: no proxy support is loaded, so a proxy variable set in
 * the environment fails the requests it would carry (ClientError.Configuration) rather than being
 * ignored.
 */
export type ProxyOption = HttpProxy | false | undefined;

/** Proxy support for the built-in Node transport, made by {@link httpProxy}: the transport calls these. */
export interface HttpProxy {
  /** The settings under `env`; undefined: everything direct. */
  readonly settings: (env: ProxyEnv | undefined) => ProxySettings | undefined;
  readonly router: typeof proxyRouter;
  readonly agents: (options: https.AgentOptions) => ProxyAgents;
  readonly forward: typeof forwardThroughProxy;
  readonly refused: typeof proxyRefused;
  readonly failure: typeof forwardFailure;
}

/**
 * Proxy support for the `proxy` client option: `httpProxy()` reads HTTPS_PROXY, HTTP_PROXY and
 * NO_PROXY from the client's `env` (default `process.env`); `httpProxy(url)` or
 * `httpProxy({ url, noProxy })` sends through that proxy whatever the environment says.
 */
export function httpProxy(setting?: ProxySetting): HttpProxy {
  return {
    settings: (env) => resolveProxySettings(setting, env),
    router: proxyRouter,
    agents: (options) => new ProxyAgents(options),
    forward: forwardThroughProxy,
    refused: proxyRefused,
    failure: forwardFailure,
  };
}

/** A proxy to connect to. `label` (host:port) is what messages show; the rest is never printed. */
export interface ProxyServer {
  readonly secure: boolean;
  /** Without brackets for IPv6. */
  readonly hostname: string;
  readonly port: number;
  readonly label: string;
  /** `Basic ...` when the proxy URL had a user or a password. */
  readonly authorization: string | undefined;
  /** The password and the header, to redact from errors. */
  readonly secrets: readonly string[];
}

/** Where one request goes: through a proxy, direct (undefined), or nowhere (a proxy setting that cannot be used). */
export type ProxyRoute = ProxyServer | ApiError | undefined;

export interface ProxySettings {
  readonly https: ProxyRoute;
  readonly http: ProxyRoute;
  readonly noProxy: NoProxyList;
  /** Equal for equal settings, so clients that agree share one transport (holds credentials: never print it). */
  readonly key: string;
}

let httpModule: typeof http | undefined;
let httpsModule: typeof https | undefined;
const nodeHttp = (): typeof http => (httpModule ??= process.getBuiltinModule("node:http"));
const nodeHttps = (): typeof https => (httpsModule ??= process.getBuiltinModule("node:https"));

/**
 * The proxy settings of a transport, or undefined when it sends everything direct (the fast path):
 * from the option, else from the environment's variables (see proxyVariables).
 */
export function resolveProxySettings(option: ProxySetting | false, env: ProxyEnv | undefined): ProxySettings | undefined {
  if (option === false) return undefined;
  if (option !== undefined) {
    const url = typeof option === "string" ? option : option.url;
    const noProxy = typeof option === "string" ? "" : (option.noProxy ?? "");
    const server = parseProxyUrl(url, "the proxy option");
    return { https: server, http: server, noProxy: parseNoProxy(noProxy), key: `option\n${url}\n${noProxy}` };
  }
  if (!env) return undefined;
  const { https: secure, http: plain, noProxy } = proxyVariables(env);
  if (!secure && !plain) return undefined;
  return {
    https: secure && parseProxyUrl(secure.value, secure.name),
    http: plain && parseProxyUrl(plain.value, plain.name),
    noProxy: parseNoProxy(noProxy),
    key: `env\n${secure?.value ?? ""}\n${plain?.value ?? ""}\n${noProxy}`,
  };
}

/** A proxy URL (a bare `host:port` is taken as http://); `source` names the setting in errors, never the value. */
export function parseProxyUrl(text: string, source: string): ProxyServer | ApiError {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    return configurationError(`${source} is not a valid proxy URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return configurationError(`${source}: ${url.protocol}// proxies are not supported (http:// and https:// are)`);
  if (!url.hostname) return configurationError(`${source} has no host`);
  const secure = url.protocol === "https:";
  const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
  const user = decodeUserinfo(url.username);
  const password = decodeUserinfo(url.password);
  const credentials = user || password ? Buffer.from(`${user}:${password}`, "utf8").toString("base64") : undefined;
  const authorization = credentials === undefined ? undefined : `Basic ${credentials}`;
  return {
    secure,
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port,
    label: `${url.hostname}:${port}`,
    authorization,
    secrets: [password, url.password, credentials ?? ""].filter((s) => s.length >= 3),
  };
}

function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The route of each request under `settings`, remembered per scheme, host and port (a client sends
 * to one host, or two with failover).
 */
export function proxyRouter(settings: ProxySettings): (secure: boolean, hostname: string, port: number | undefined) => ProxyRoute {
  const seen = new Map<string, ProxyRoute>();
  return (secure, hostname, port) => {
    const key = `${secure ? "s" : "p"}${port ?? ""}/${hostname}`;
    if (seen.has(key)) return seen.get(key);
    const proxy = secure ? settings.https : settings.http;
    const route = proxy && !bypassesProxy(settings.noProxy, hostname, port ?? (secure ? 443 : 80)) ? proxy : undefined;
    if (seen.size >= 64) seen.clear();
    seen.set(key, route);
    return route;
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

/** The proxy answered the CONNECT (or an http request) with `status`: 407 is about its credentials. */
export function proxyRefused(server: ProxyServer, status: number): ApiError {
  const message =
    status === 407
      ? server.authorization
        ? `the proxy ${server.label} did not accept the credentials in the proxy URL (HTTP 407)`
        : `the proxy ${server.label} requires credentials (HTTP 407): give them in the proxy URL (http://user:password@host:port)`
      : `the proxy ${server.label} did not open a tunnel to the server (HTTP ${status})`;
  return new ApiError({
    code: "ClientError.Proxy",
    message,
    httpStatus: status,
    // A gateway failure (502, 503, 504) may pass; a refusal (403, 407) will not.
    retryable: status >= 500,
    secrets: server.secrets,
  });
}

/** No connection to the proxy (refused, reset, DNS), or it closed before answering. */
export function proxyUnreachable(server: ProxyServer, cause: unknown): ApiError {
  const code = (cause as { code?: unknown } | null)?.code;
  const text = cause instanceof Error ? cause.message : "unknown error";
  return new ApiError({
    code: "ClientError.Proxy",
    message: `could not reach the proxy ${server.label}: ${typeof code === "string" && !text.includes(code) ? `${code} ` : ""}${text}`,
    cause,
    retryable: true,
    secrets: server.secrets,
  });
}

/** Errors from connecting to the proxy itself, as opposed to a failure after the request was sent through it. */
const CONNECT_FAILURES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "ETIMEDOUT"]);

/** A socket error of a request sent to a proxy: the proxy's when it is a connection failure, else undefined (a plain network error). */
export function forwardFailure(server: ProxyServer, error: unknown, answered: boolean): ApiError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return !answered && typeof code === "string" && CONNECT_FAILURES.has(code) ? proxyUnreachable(server, error) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Sending through a proxy

/** What the transport knows of a request's URL. */
export interface ProxiedTarget {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
}

const authority = (hostname: string, port: number | undefined) =>
  `${hostname.includes(":") ? `[${hostname}]` : hostname}${port === undefined ? "" : `:${port}`}`;

/**
 * Turns the options of a request for an http URL into those of an absolute-form request to the
 * proxy: the proxy's address, the whole URL as the path, the server's Host, Proxy-Authorization.
 */
export function forwardThroughProxy(
  options: https.RequestOptions,
  headers: Record<string, string>,
  server: ProxyServer,
  target: ProxiedTarget,
): void {
  const host = authority(target.hostname, target.port);
  options.protocol = server.secure ? "https:" : "http:";
  options.hostname = server.hostname;
  options.port = server.port;
  options.path = `${target.protocol}//${host}${target.path}`;
  headers["host"] = host;
  if (server.authorization) headers["proxy-authorization"] = server.authorization;
}

/** Keep-alive agents towards proxies: per proxy, one that tunnels https and one that forwards http. */
export class ProxyAgents {
  readonly #tunnels = new Map<ProxyServer, https.Agent>();
  readonly #forwards = new Map<ProxyServer, http.Agent>();
  readonly #options: https.AgentOptions;

  /** `options`: the transport's agent options (keep-alive, sockets, `ca` for the servers). */
  constructor(options: https.AgentOptions) {
    this.#options = options;
  }

  /** The agent for https URLs through `server`: its sockets are TLS sessions with the server, inside a CONNECT tunnel. */
  tunnel(server: ProxyServer): https.Agent {
    let agent = this.#tunnels.get(server);
    if (!agent) {
      agent = createTunnelAgent(server, this.#options);
      this.#tunnels.set(server, agent);
    }
    return agent;
  }

  /** The agent for http URLs through `server`: plain (or TLS, for an https proxy) connections to the proxy. */
  forward(server: ProxyServer): http.Agent {
    let agent = this.#forwards.get(server);
    if (!agent) {
      const { keepAlive, maxSockets, ca } = this.#options;
      const options: https.AgentOptions = { keepAlive, maxSockets };
      if (ca !== undefined) options.ca = ca;
      agent = server.secure ? new (nodeHttps().Agent)(options) : new (nodeHttp().Agent)(options);
      this.#forwards.set(server, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.#tunnels.values()) agent.destroy();
    for (const agent of this.#forwards.values()) agent.destroy();
    this.#tunnels.clear();
    this.#forwards.clear();
  }
}

type SocketCallback = (error: Error | null, stream: Duplex) => void;

/**
 * An https.Agent whose connections are opened through `server` with CONNECT; the TLS handshake
 * then runs over the tunnel with the agent's usual options (servername, ca, session reuse), so the
 * server's certificate is checked against its own name as without a proxy.
 */
function createTunnelAgent(server: ProxyServer, options: https.AgentOptions): https.Agent {
  class TunnelAgent extends nodeHttps().Agent {
    override createConnection(request: https.RequestOptions, callback?: SocketCallback): Duplex | null | undefined {
      const done: SocketCallback = callback ?? (() => {});
      openTunnel(server, request, (error, socket) => {
        if (error || !socket) return done(error ?? proxyUnreachable(server, undefined), undefined as unknown as Duplex);
        let secured: Duplex | null | undefined;
        try {
          secured = super.createConnection({ ...request, socket } as unknown as https.RequestOptions);
        } catch (failure) {
          socket.destroy();
          return done(failure as Error, undefined as unknown as Duplex);
        }
        if (secured) done(null, secured);
      });
      // Undefined: Node waits for the callback.
      return undefined;
    }
  }
  return new TunnelAgent(options);
}

/** Sends CONNECT host:port to the proxy; calls back with the raw tunnel socket or a ClientError.Proxy. */
function openTunnel(server: ProxyServer, request: https.RequestOptions, done: (error: ApiError | null, socket?: Duplex) => void): void {
  const target = authority(request.host ?? request.hostname ?? "localhost", Number(request.port ?? 443));
  const headers: Record<string, string> = { host: target };
  if (server.authorization) headers["proxy-authorization"] = server.authorization;
  const options: https.RequestOptions = {
    hostname: server.hostname,
    port: server.port,
    method: "CONNECT",
    path: target,
    headers,
    // A tunnel owns its socket: never pooled.
    agent: false,
  };
  if (server.secure && request.ca !== undefined) options.ca = request.ca;
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = (error: ApiError | null, socket?: Duplex) => {
    if (settled) return void socket?.destroy();
    settled = true;
    clearTimeout(timer);
    done(error, socket);
  };
  const connect = (server.secure ? nodeHttps() : nodeHttp()).request(options);
  const timeoutMs = (request as Record<string, unknown>)[TUNNEL_TIMEOUT];
  if (typeof timeoutMs === "number" && timeoutMs > 0) {
    timer = setTimeout(() => {
      connect.destroy();
      finish(
        new ApiError({
          code: "ClientError.Timeout",
          message: `the proxy ${server.label} opened no tunnel within ${timeoutMs} ms`,
          retryable: true,
        }),
      );
    }, timeoutMs);
  }
  connect.once("connect", (response: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      socket.destroy();
      return finish(proxyRefused(server, status));
    }
    if (head.length > 0) socket.unshift(head);
    finish(null, socket);
  });
  connect.once("error", (error) => finish(proxyUnreachable(server, error)));
  connect.end();
}
