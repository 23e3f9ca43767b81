// The node:http transport through a real HTTP proxy (the `proxy` package) on 127.0.0.1: HTTPS_PROXY
// with a CONNECT tunnel to a local https server (TLS checked end to end against a test CA),
// HTTP_PROXY with absolute-form requests, NO_PROXY, proxy authentication, the `proxy` client option
// over the environment, and the typed errors a proxy's refusal becomes (no credential in them).
// Proxy support is an opt-in (`proxy: httpProxy()`); without it a proxy variable fails the requests
// it would carry.
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { createProxy } from "proxy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError as GeneratedApiError, ChatClient } from "../../generated/chat/src/index.js";
// The generated client's own runtime copy, so that its errors are the generated ApiError.
import { httpProxy as generatedHttpProxy } from "../../generated/runtime/src/proxy.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { httpProxy } from "../../templates/runtime/src/client/proxy.js";
import { createNodeTransport, type NodeTransport, type TransportRequest } from "../../templates/runtime/src/client/transport.js";
import { CHAT_IDENTIFIER, CHAT_KEY, CHAT_SDKAPPID, fixedClock, LIVE_ROOM_INFO_TEXT } from "../client/support/bodies.js";
import { startLoopback, type Loopback } from "./support/loopback.js";
import { TEST_TLS_CERT, TEST_TLS_KEY } from "./support/tls-fixture.js";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

interface TestProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** TCP connections the proxy accepted. */
  connections: () => number;
  /** Requests it received: CONNECTs and absolute-form requests. */
  seen: Seen[];
  close(): Promise<void>;
}

const USER = "proxy-user";
const PASSWORD = "pr0xy-p@ss";
const WRONG = "not-the-password";
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64");
const withAuth = (proxy: TestProxy, password: string) => `http://${USER}:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}`;

async function startProxy(auth = false): Promise<TestProxy> {
  const server = createProxy(http.createServer());
  if (auth) server.authenticate = (req) => req.headers["proxy-authorization"] === `Basic ${basic(USER, PASSWORD)}`;
  const sockets = new Set<Socket>();
  const seen: Seen[] = [];
  let connections = 0;
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const record = (req: http.IncomingMessage) => seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
  server.on("request", record);
  server.on("connect", record);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface HttpsTarget {
  port: number;
  seen: (Seen & { servername: string | false | null })[];
  close(): Promise<void>;
}

async function startHttpsTarget(): Promise<HttpsTarget> {
  const seen: HttpsTarget["seen"] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        servername: (req.socket as TLSSocket).servername,
      });
      const body = JSON.stringify({ ok: true, n: seen.length });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const request = (url: string): TransportRequest => ({
  url,
  method: "POST",
  headers: { "content-type": "application/json", "x-tc-action": "Act" },
  body: '{"a":1}',
  timeoutMs: 5_000,
});

/** The ApiError a promise rejects with (the generated client's own class for `ChatClient` calls). */
async function failure(promise: Promise<unknown>, type: typeof ApiError | typeof GeneratedApiError = ApiError): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as ApiError;
}

/** Everything an error could show: message, JSON and the cause chain. */
function everything(error: ApiError): string {
  let text = `${String(error)}\n${JSON.stringify(error)}\n${error.stack ?? ""}`;
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) text += `\n${cause.message}\n${cause.stack ?? ""}`;
  return text;
}

let proxy: TestProxy;
let target: HttpsTarget;
let plain: Loopback;
const transports: NodeTransport[] = [];
/** A node transport with proxy support (the environment's proxy unless `options.proxy` says otherwise). */
const transport = (options: Parameters<typeof createNodeTransport>[0]) => {
  const made = createNodeTransport({ proxy: httpProxy(), ...options });
  transports.push(made);
  return made;
};

beforeEach(async () => {
  proxy = await startProxy();
  target = await startHttpsTarget();
  plain = await startLoopback();
});
afterEach(async () => {
  for (const made of transports.splice(0)) made.close();
  await Promise.all([proxy.close(), target.close(), plain.close()]);
});

describe("HTTPS_PROXY: https URLs through a CONNECT tunnel", () => {
  it("tunnels to the server, which sees the request over TLS with its own name as SNI", async () => {
    const send = transport({ env: { HTTPS_PROXY: proxy.url }, ca: TEST_TLS_CERT });
    const response = await send(request(`https://localhost:${target.port}/v4/x?y=1`));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, n: 1 });
    expect(proxy.seen.map((s) => `${s.method} ${s.url}`)).toEqual([`CONNECT localhost:${target.port}`]);
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]).toMatchObject({ method: "POST", url: "/v4/x?y=1", servername: "localhost" });
    expect(target.seen[0]!.headers["x-tc-action"]).toBe("Act");
    expect(target.seen[0]!.headers["host"]).toBe(`localhost:${target.port}`);
  });

  it("keeps the tunnel alive: a second request reuses it (one CONNECT, one connection)", async () => {
    const send = transport({ env: { https_proxy: proxy.url }, ca: TEST_TLS_CERT });
    await send(request(`https://localhost:${target.port}/a`));
    const second = await send(request(`https://localhost:${target.port}/b`));
    expect(JSON.parse(second.body)).toEqual({ ok: true, n: 2 });
    expect(proxy.seen.filter((s) => s.method === "CONNECT")).toHaveLength(1);
    expect(proxy.connections()).toBe(1);
  });

  it("still checks the server's certificate inside the tunnel: without the test CA the call fails", async () => {
    const send = transport({ env: { HTTPS_PROXY: proxy.url } });
    const error = await failure(send(request(`https://localhost:${target.port}/`)));
    expect(error.code).toBe("ClientError.Network");
    expect(error.message).toMatch(/certificate/i);
    expect(proxy.seen.map((s) => s.method)).toEqual(["CONNECT"]);
    expect(target.seen).toHaveLength(0);
  });
});

describe("HTTP_PROXY: http URLs as absolute-form requests", () => {
  it("sends the whole URL to the proxy, which forwards it to the server", async () => {
    const send = transport({ env: { HTTP_PROXY: proxy.url } });
    plain.enqueue({ kind: "json", body: { via: "proxy" } });
    const response = await send(request(`${plain.origin}/path?q=1`));
    expect(JSON.parse(response.body)).toEqual({ via: "proxy" });
    expect(proxy.seen.map((s) => `${s.method} ${s.url}`)).toEqual([`POST ${plain.origin}/path?q=1`]);
    expect(plain.requests).toHaveLength(1);
    expect(plain.requests[0]).toMatchObject({ method: "POST", url: "/path?q=1", body: '{"a":1}' });
    expect(plain.requests[0]!.headers["host"]).toBe(`127.0.0.1:${plain.port}`);
  });

  it("HTTPS_PROXY alone leaves http URLs direct, HTTP_PROXY alone leaves https URLs direct", async () => {
    const onlyHttps = transport({ env: { HTTPS_PROXY: proxy.url } });
    await onlyHttps(request(`${plain.origin}/`));
    const onlyHttp = transport({ env: { HTTP_PROXY: proxy.url }, ca: TEST_TLS_CERT });
    await onlyHttp(request(`https://localhost:${target.port}/`));
    expect(proxy.connections()).toBe(0);
    // ...and each still goes through the proxy for its own scheme.
    await onlyHttps(request(`https://localhost:${target.port}/`)).catch(() => undefined);
    await onlyHttp(request(`${plain.origin}/`));
    expect(proxy.seen.map((s) => s.method).sort()).toEqual(["CONNECT", "POST"]);
  });
});

describe("NO_PROXY", () => {
  it("sends matching hosts direct (the proxy sees no connection for them) and the rest through the proxy", async () => {
    const other = await startLoopback("localhost");
    try {
      const send = transport({
        env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: `example.com, .localhost:${other.port}` },
      });
      await send(request(`${other.origin}/direct`));
      expect(proxy.connections()).toBe(0);
      expect(other.requests.map((r) => r.url)).toEqual(["/direct"]);
      // Another port of the same host is not listed: through the proxy.
      await send(request(`http://localhost:${plain.port}/proxied`));
      expect(proxy.seen.map((s) => s.url)).toEqual([`http://localhost:${plain.port}/proxied`]);
    } finally {
      await other.close();
    }
  });

  it("an IP range and `*`", async () => {
    const range = transport({ env: { HTTP_PROXY: proxy.url, no_proxy: "10.0.0.0/8,127.0.0.0/8" } });
    await range(request(`${plain.origin}/`));
    const star = transport({ env: { HTTP_PROXY: proxy.url, NO_PROXY: "*" } });
    await star(request(`${plain.origin}/`));
    expect(proxy.connections()).toBe(0);
    expect(plain.requests).toHaveLength(2);
    const unlisted = transport({ env: { HTTP_PROXY: proxy.url, NO_PROXY: "10.0.0.0/8" } });
    await unlisted(request(`${plain.origin}/`));
    expect(proxy.connections()).toBe(1);
  });
});

describe("proxy authentication", () => {
  let guarded: TestProxy;
  beforeEach(async () => {
    guarded = await startProxy(true);
  });
  afterEach(async () => {
    await guarded.close();
  });

  it("sends Proxy-Authorization: Basic from the proxy URL's userinfo, to the proxy only", async () => {
    const send = transport({ env: { HTTPS_PROXY: withAuth(guarded, PASSWORD), HTTP_PROXY: withAuth(guarded, PASSWORD) }, ca: TEST_TLS_CERT });
    expect((await send(request(`https://localhost:${target.port}/s`))).status).toBe(200);
    plain.enqueue({ kind: "json", body: {} });
    expect((await send(request(`${plain.origin}/p`))).status).toBe(200);
    expect(guarded.seen.map((s) => s.headers["proxy-authorization"])).toEqual([`Basic ${basic(USER, PASSWORD)}`, `Basic ${basic(USER, PASSWORD)}`]);
    expect(target.seen[0]!.headers["proxy-authorization"]).toBeUndefined();
  });

  it("a wrong password is ClientError.Proxy with HTTP 407, not retryable, and no credential in it (https and http)", async () => {
    const bad = withAuth(guarded, WRONG);
    const send = transport({ env: { HTTPS_PROXY: bad, HTTP_PROXY: bad }, ca: TEST_TLS_CERT });
    for (const url of [`https://localhost:${target.port}/`, `${plain.origin}/`]) {
      const error = await failure(send(request(url)));
      expect(error.code).toBe("ClientError.Proxy");
      expect(error.httpStatus).toBe(407);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`127.0.0.1:${guarded.port}`);
      const shown = everything(error);
      for (const secret of [WRONG, encodeURIComponent(WRONG), basic(USER, WRONG), USER]) expect(shown).not.toContain(secret);
    }
    expect(target.seen).toHaveLength(0);
    expect(plain.requests).toHaveLength(0);
  });

  it("no credentials at all: the 407 says to put them in the proxy URL", async () => {
    const send = transport({ env: { HTTPS_PROXY: guarded.url }, ca: TEST_TLS_CERT });
    const error = await failure(send(request(`https://localhost:${target.port}/`)));
    expect(error.code).toBe("ClientError.Proxy");
    expect(error.message).toMatch(/requires credentials/);
  });
});

describe("errors and settings", () => {
  it("a proxy that refuses connections is ClientError.Proxy (retryable), without the password", async () => {
    const port = await closedPort();
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    const send = transport({ env: { HTTPS_PROXY: url, HTTP_PROXY: url }, ca: TEST_TLS_CERT });
    for (const target_ of [`https://localhost:${target.port}/`, `${plain.origin}/`]) {
      const error = await failure(send(request(target_)));
      expect(error.code).toBe("ClientError.Proxy");
      expect(error.retryable).toBe(true);
      expect(error.message).toContain("ECONNREFUSED");
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(everything(error)).not.toContain(PASSWORD);
    }
  });

  it("an unusable proxy variable fails the calls it would carry with ClientError.Configuration naming the variable, not its value", async () => {
    const send = transport({ env: { HTTP_PROXY: `socks5://${USER}:${PASSWORD}@127.0.0.1:1080` } });
    const error = await failure(send(request(`${plain.origin}/`)));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toContain("HTTP_PROXY");
    expect(everything(error)).not.toContain(PASSWORD);
    expect(plain.requests).toHaveLength(0);
  });
});

describe("without proxy support (no proxy option)", () => {
  it("a proxy variable fails the requests it would carry with ClientError.Configuration naming it, not its value; nothing is sent", async () => {
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`;
    const send = transport({ proxy: undefined, env: { HTTPS_PROXY: url }, ca: TEST_TLS_CERT });
    const error = await failure(send(request(`https://localhost:${target.port}/`)));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("HTTPS_PROXY");
    expect(error.message).toContain("httpProxy()");
    expect(error.message).toContain("proxy: false");
    expect(everything(error)).not.toContain(PASSWORD);
    expect(target.seen).toHaveLength(0);
    expect(proxy.connections()).toBe(0);
    // HTTPS_PROXY does not apply to http URLs: those go direct.
    plain.enqueue({ kind: "json", body: { direct: true } });
    expect(JSON.parse((await send(request(`${plain.origin}/`))).body)).toEqual({ direct: true });
  });

  it("a host NO_PROXY lists goes direct without proxy support, as it would with it (a local mock beside a corporate proxy)", async () => {
    for (const noProxy of [{ NO_PROXY: "127.0.0.1" }, { no_proxy: "localhost, 127.0.0.0/8" }, { NO_PROXY: "*" }]) {
      const send = transport({ proxy: undefined, env: { HTTP_PROXY: proxy.url, ...noProxy } });
      plain.enqueue({ kind: "json", body: { direct: true } });
      expect(JSON.parse((await send(request(`${plain.origin}/`))).body)).toEqual({ direct: true });
    }
    // A host it does not list still fails: the proxy the environment asks for is not passed by.
    const send = transport({ proxy: undefined, env: { HTTP_PROXY: proxy.url, NO_PROXY: "example.com" } });
    expect((await failure(send(request(`${plain.origin}/`)))).code).toBe("ClientError.Configuration");
    expect(proxy.connections()).toBe(0);
  });

  it("proxy: false sends direct whatever the environment says; no variable: direct", async () => {
    for (const options of [
      { proxy: false as const, env: { HTTP_PROXY: proxy.url } },
      { proxy: undefined, env: {} },
    ]) {
      plain.enqueue({ kind: "json", body: { direct: true } });
      expect(JSON.parse((await transport(options)(request(`${plain.origin}/`))).body)).toEqual({ direct: true });
    }
    expect(proxy.connections()).toBe(0);
  });

  it("a proxy URL given as a string (not httpProxy(url)) is ClientError.Configuration", async () => {
    const send = transport({ proxy: proxy.url as never, env: {} });
    const error = await failure(send(request(`${plain.origin}/`)));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toContain("httpProxy(url)");
    expect(plain.requests).toHaveLength(0);
  });

  it("through a generated client: the call fails with the same error, after no attempt", async () => {
    const error = await failure(
      new ChatClient({
        endpoint: plain.origin,
        credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
        clock: fixedClock(),
        env: { HTTP_PROXY: proxy.url },
      }).getLiveRoomInfo({ RoomId: "rid-123" }),
      GeneratedApiError,
    );
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toContain("HTTP_PROXY");
    expect(plain.requests).toHaveLength(0);
    expect(proxy.connections()).toBe(0);
  });
});

describe("through the generated ChatClient", () => {
  const chat = (options: Partial<ConstructorParameters<typeof ChatClient>[0]> & object) =>
    new ChatClient({
      endpoint: plain.origin,
      proxy: generatedHttpProxy(),
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
      clock: fixedClock(),
      retry: false,
      ...options,
    });

  it("reads HTTP_PROXY from the client's env, and the proxy option overrides it (a URL, or false)", async () => {
    plain.fallback({ kind: "text", body: LIVE_ROOM_INFO_TEXT });
    await chat({ env: { HTTP_PROXY: proxy.url } }).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]!.url).toMatch(new RegExp(`^${plain.origin}/v4/live_engine_http_srv/get_room_info\\?sdkappid=`));

    await chat({ env: { HTTP_PROXY: proxy.url }, proxy: false }).getLiveRoomInfo({ RoomId: "rid-123" });
    expect(proxy.seen).toHaveLength(1);

    const other = await startProxy();
    try {
      await chat({ env: { HTTP_PROXY: proxy.url }, proxy: generatedHttpProxy(other.url) }).getLiveRoomInfo({ RoomId: "rid-123" });
      expect(other.seen).toHaveLength(1);
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await other.close();
    }
    expect(plain.requests).toHaveLength(3);
  });

  it("a wrong proxy password fails the call with ClientError.Proxy after one attempt", async () => {
    const guarded = await startProxy(true);
    try {
      const error = await failure(
        chat({ env: {}, proxy: generatedHttpProxy(withAuth(guarded, WRONG)), retry: undefined }).getLiveRoomInfo({ RoomId: "rid-123" }),
        GeneratedApiError,
      );
      expect(error.code).toBe("ClientError.Proxy");
      expect(error.httpStatus).toBe(407);
      expect(error.attempts).toBe(1);
      expect(everything(error)).not.toContain(WRONG);
      expect(plain.requests).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });

  it("a proxy URL with a fetch is refused (the fetch does its own proxying)", async () => {
    const error = await failure(
      chat({ env: {}, proxy: generatedHttpProxy(proxy.url), fetch: (url, init) => fetch(url, init) }).getLiveRoomInfo({ RoomId: "rid-123" }),
      GeneratedApiError,
    );
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toMatch(/proxy/);
    expect(plain.requests).toHaveLength(0);
  });
});
