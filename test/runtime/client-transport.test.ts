// Every transport (node:http, fetch, undici's dispatcher) against a loopback server: what arrives on the wire, and how every failure
// (reset, refused, timeout, abort, truncated body) becomes an ApiError with a ClientError code.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { createFetchTransport, createNodeTransport, type Transport, type TransportRequest } from "../../templates/runtime/src/client/transport.js";
import { createUndiciTransport } from "../../templates/runtime/src/client/undici-transport.js";
import * as undici from "undici";
import { startLoopback, type Loopback } from "./support/loopback.js";

let server: Loopback;
const node = createNodeTransport();
const viaUndici = createUndiciTransport(undici);
// node:http itself: what a proxy, an agent of the caller's or an interceptor (MSW, nock) goes through.
const viaNodeHttp = createNodeTransport({ proxy: false, useNodeHttp: true });
const transports: [string, Transport][] = [
  ["node:http", node],
  ["node:http (useNodeHttp)", viaNodeHttp],
  ["fetch", createFetchTransport(fetch)],
  ["undici", viaUndici],
];

beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  node.close();
  viaNodeHttp.close();
  await viaUndici.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const request = (over: Partial<TransportRequest> = {}): TransportRequest => ({
  url: `${server.origin}/path?x=1`,
  method: "POST",
  headers: { "content-type": "application/json", "x-tc-action": "Act" },
  body: '{"a":"é"}',
  timeoutMs: 5_000,
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe.each(transports)("%s transport", (_name, transport) => {
  it("sends method, path, headers and the UTF-8 body, and returns status, lower-case headers and text", async () => {
    server.enqueue({ kind: "text", status: 201, body: "héllo", headers: { "X-Custom": "v" } });
    const response = await transport(request());
    expect(response.status).toBe(201);
    expect(response.body).toBe("héllo");
    expect(response.headers["x-custom"]).toBe("v");
    const [seen] = server.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/path?x=1");
    expect(seen?.body).toBe('{"a":"é"}');
    expect(seen?.headers["x-tc-action"]).toBe("Act");
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength('{"a":"é"}')));
    expect(seen?.headers["host"]).toBe(`127.0.0.1:${server.port}`);
  });

  it("a reset connection is ClientError.Network, retryable", async () => {
    server.enqueue({ kind: "reset" });
    const error = await failure(transport(request()));
    expect(error.code).toBe("ClientError.Network");
    expect(error.retryable).toBe(true);
  });

  it("a refused connection is ClientError.Network", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const error = await failure(transport(request({ url: `http://127.0.0.1:${port}/` })));
    expect(error.code).toBe("ClientError.Network");
  });

  it("no answer within timeoutMs is ClientError.Timeout", async () => {
    server.enqueue({ kind: "hang" });
    const error = await failure(transport(request({ timeoutMs: 50 })));
    expect(error.code).toBe("ClientError.Timeout");
    expect(error.message).toContain("50 ms");
    expect(error.retryable).toBe(true);
  });

  it("the caller's AbortSignal is ClientError.Aborted, not retryable", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = transport(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    const error = await failure(pending);
    expect(error.code).toBe("ClientError.Aborted");
    expect(error.retryable).toBe(false);
  });

  it("an already-aborted signal sends nothing", async () => {
    const error = await failure(transport(request({ signal: AbortSignal.abort() })));
    expect(error.code).toBe("ClientError.Aborted");
    expect(server.requests).toHaveLength(0);
  });

  it("a body shorter than its Content-Length is ClientError.InvalidResponse, retryable", async () => {
    server.enqueue({ kind: "truncate", body: '{"Response":{"Req', declared: 500 });
    const error = await failure(transport(request()));
    expect(error.code).toBe("ClientError.InvalidResponse");
    expect(error.message).toContain("cut off");
    expect(error.retryable).toBe(true);
  });

  it("a chunked body cut before its last chunk is ClientError.InvalidResponse", async () => {
    server.enqueue({ kind: "truncate-chunked", body: '{"Response":{"Req' });
    const error = await failure(transport(request()));
    expect(error.code).toBe("ClientError.InvalidResponse");
  });

  it("keeps working after failures (the agent drops broken sockets)", async () => {
    server.enqueue({ kind: "reset" }, { kind: "json", body: { ok: 1 } });
    await failure(transport(request()));
    const response = await transport(request());
    expect(JSON.parse(response.body)).toEqual({ ok: 1 });
  });
});

describe.each([
  ["node:http", node],
  ["undici", viaUndici],
] as const)("%s transport", (_name, lazy) => {
  it("builds the response's headers on first read; a spread copy and an assignment behave as on a plain object", async () => {
    server.enqueue({ kind: "text", body: "ok", headers: { "X-Custom": "v" } });
    const response = await lazy(request());
    const copy = { ...response };
    expect(copy.headers["x-custom"]).toBe("v");
    expect(response.headers).toBe(copy.headers);
    expect(JSON.parse(JSON.stringify(response)).headers["x-custom"]).toBe("v");
    response.headers = { replaced: "1" };
    expect(response.headers).toEqual({ replaced: "1" });
  });

  it("a header value it refuses to send is ClientError.Network, not retryable, and nothing is sent", async () => {
    const error = await failure(lazy(request({ headers: { "x-bad": "a\r\nx-injected: 1" } })));
    expect(error.code).toBe("ClientError.Network");
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});

describe("undici transport", () => {
  it("a call stopped while queued behind a busy connection is never sent; the next one is", async () => {
    const one = createUndiciTransport(undici, { connections: 1 });
    try {
      server.enqueue({ kind: "hang" }, { kind: "json", body: { ok: 1 } });
      const controller = new AbortController();
      const busy = failure(one(request({ signal: controller.signal })));
      const queued = await failure(one(request({ timeoutMs: 30 })));
      expect(queued.code).toBe("ClientError.Timeout");
      controller.abort();
      expect((await busy).code).toBe("ClientError.Aborted");
      const response = await one(request());
      expect(JSON.parse(response.body)).toEqual({ ok: 1 });
      expect(server.requests).toHaveLength(2);
    } finally {
      await one.close();
    }
  });

  it("sends through a dispatcher of the caller's own", async () => {
    const pool = new undici.Pool(server.origin, { connections: 2 });
    try {
      server.enqueue({ kind: "json", body: { ok: 2 } });
      const response = await createUndiciTransport(undici, { dispatcher: pool })(request());
      expect(JSON.parse(response.body)).toEqual({ ok: 2 });
    } finally {
      await pool.close();
    }
  });
});

describe("fetch transport with a caller-supplied fetch", () => {
  it("calls fetch(url, init) and reads the Response (an in-process handler works)", async () => {
    const seen: Request[] = [];
    const transport = createFetchTransport(async (url, init) => {
      const r = new Request(url, init);
      seen.push(r);
      return new Response(JSON.stringify({ echo: await r.text() }), { status: 200, headers: { "X-A": "1" } });
    });
    const response = await transport(request({ url: "https://example.invalid/v4/x?usersig=abc" }));
    expect(JSON.parse(response.body)).toEqual({ echo: '{"a":"é"}' });
    expect(response.headers["x-a"]).toBe("1");
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe("https://example.invalid/v4/x?usersig=abc");
    expect(seen[0]?.headers.get("x-tc-action")).toBe("Act");
  });

  it("a fetch that throws is ClientError.Network, never the raw TypeError", async () => {
    const transport = createFetchTransport(() => Promise.reject(new TypeError("fetch failed")));
    const error = await failure(transport(request()));
    expect(error.code).toBe("ClientError.Network");
    expect((error.cause as Error).message).toBe("fetch failed");
    expect(error.cause).not.toBeInstanceOf(TypeError);
  });

  it("a body stream that fails is ClientError.InvalidResponse", async () => {
    const transport = createFetchTransport(async () => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a":'));
          controller.error(new Error("socket hang up"));
        },
      });
      return new Response(stream);
    });
    const error = await failure(transport(request()));
    expect(error.code).toBe("ClientError.InvalidResponse");
  });

  it("a fetch that ignores the signal still times out", async () => {
    const transport = createFetchTransport(() => new Promise<Response>(() => {}));
    // The in-process handler never settles; the transport must still give up. Only the rejection is awaited.
    const pending = transport(request({ timeoutMs: 30 }));
    const raced = await Promise.race([
      pending.then(
        () => "resolved",
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(() => r("still pending"), 2_000)),
    ]);
    expect(raced).toBeInstanceOf(ApiError);
    expect((raced as ApiError).code).toBe("ClientError.Timeout");
  });
});
