// Hooks through the GENERATED LcicClient against the generated mock server on 127.0.0.1 (which
// recomputes every TC3 signature): per-call `headers` reach the server unsigned and the signature
// still verifies, protocol headers cannot be overridden; `middleware` runs around each attempt
// after signing, first registered outermost, once per attempt (retries visible), can
// short-circuit without a request being made, and its failures surface as typed ApiErrors.
import type { IncomingHttpHeaders } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, LcicClient, type GetRoomEventRequest, type LcicClientOptions } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { middlewareChain, type Middleware, type MiddlewareContext, type MiddlewareResponse } from "../../generated/runtime/src/index.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type Mock, type MockListening } from "../../generated/runtime/src/mock.js";
import { rejection } from "./support/bodies.js";

const CREDENTIALS = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
// The spec's example request, which the mock answers with the example's response.
const REQUEST: GetRoomEventRequest = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" };

let mock: Mock;
let server: MockListening;
/** The headers of every request the mock server received. */
let received: IncomingHttpHeaders[];

beforeEach(async () => {
  mock = createMock([lcicDefinition], { seed: 3, rateLimit: false });
  server = await mock.listen();
  received = [];
  server.server.on("request", (req: { headers: IncomingHttpHeaders }) => received.push(req.headers));
});
afterEach(async () => {
  await server.close();
});

function lcic(options: LcicClientOptions = {}) {
  return new LcicClient({
    endpoint: server.url,
    credentials: CREDENTIALS,
    env: {},
    rateLimit: false,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
}

describe("per-call headers", () => {
  it("reach the server beside the signed ones, and the mock still verifies the signature", async () => {
    const out = await lcic().getRoomEvent(REQUEST, { headers: { "X-Trace-Id": "trace-123", traceparent: "00-abc-def-01" } });
    expect(out.RequestId).toBeTruthy();
    expect(received).toHaveLength(1);
    expect(received[0]!["x-trace-id"]).toBe("trace-123");
    expect(received[0]!["traceparent"]).toBe("00-abc-def-01");
    // Not signed: TC3 signs content-type and host only, as the official SDK does.
    expect(received[0]!["authorization"]).toContain("SignedHeaders=content-type;host,");
    expect(mock.calls.at(-1)!.code).toBeNull();
  });

  it.each(["Authorization", "X-TC-Action", "x-tc-region", "X-TC-Token", "Host", "Content-Type", "Content-Length"])(
    "refuse %s: a protocol header is never overridden, and nothing is sent",
    async (name) => {
      const error = await rejection(lcic().getRoomEvent(REQUEST, { headers: { [name]: "attacker-value" } }));
      expect(error.code).toBe("ClientError.Configuration");
      expect(error.message).toContain(name.toLowerCase());
      expect(error.message).not.toContain("attacker-value");
      expect(received).toHaveLength(0);
    },
  );

  it("refuse a header name or value that HTTP cannot carry", async () => {
    const cases: Record<string, string>[] = [{ "bad name": "x" }, { "x-ok": "line\r\nInjected: 1" }];
    for (const headers of cases) {
      const error = await rejection(lcic().getRoomEvent(REQUEST, { headers }));
      expect(error.code).toBe("ClientError.Configuration");
    }
    expect(received).toHaveLength(0);
  });
});

describe("middleware", () => {
  it("runs in order, first registered outermost, client's before the call's", async () => {
    const log: string[] = [];
    const named =
      (name: string): Middleware =>
      async (_context, next) => {
        log.push(`${name} in`);
        const response = await next();
        log.push(`${name} out`);
        return response;
      };
    await lcic({ middleware: middlewareChain(named("a"), named("b")) }).getRoomEvent(REQUEST, { middleware: middlewareChain(named("c")) });
    expect(log).toEqual(["a in", "b in", "c in", "c out", "b out", "a out"]);
  });

  it("sees the operation and the signed request, read-only, and the interpreted response", async () => {
    const seen: { context: MiddlewareContext; response: MiddlewareResponse }[] = [];
    const spy: Middleware = async (context, next) => {
      const response = await next();
      seen.push({ context, response });
      return response;
    };
    await lcic({ middleware: middlewareChain(spy), region: "ap-guangzhou" }).getRoomEvent(REQUEST, { headers: { "x-trace-id": "t1" } });
    const [{ context, response }] = seen as [(typeof seen)[number]];
    expect(context).toMatchObject({ service: "lcic", operation: "GetRoomEvent", action: "GetRoomEvent", region: "ap-guangzhou", attempt: 1 });
    expect(context.host).toBe(new URL(server.url).host);
    expect(context.request.method).toBe("POST");
    expect(context.request.url).toBe(`${server.url}/`);
    expect(JSON.parse(context.request.body)).toEqual(REQUEST);
    // After signing: exactly the headers sent, Authorization and per-call headers included.
    expect(context.request.headers["authorization"]).toBe(received[0]!["authorization"]);
    expect(context.request.headers["x-trace-id"]).toBe("t1");
    expect(Object.isFrozen(context.request) && Object.isFrozen(context.request.headers)).toBe(true);
    expect(response.status).toBe(200);
    expect(response.requestId).toBe(mock.calls.at(-1)!.requestId);
    expect(response.error).toBeUndefined();
    expect((response.payload as { Total: number }).Total).toBeGreaterThanOrEqual(0);
  });

  it("adds unsigned headers through next({ headers }), refusing protocol headers", async () => {
    const tracing: Middleware = (_context, next) => next({ headers: { traceparent: "00-trace-span-01" } });
    await lcic({ middleware: middlewareChain(tracing) }).getRoomEvent(REQUEST);
    expect(received[0]!["traceparent"]).toBe("00-trace-span-01");
    expect(mock.calls.at(-1)!.code).toBeNull();

    const forging: Middleware = (_context, next) => next({ headers: { "X-TC-Region": "ap-beijing" } });
    const error = await rejection(lcic({ middleware: middlewareChain(forging) }).getRoomEvent(REQUEST));
    expect(error.code).toBe("ClientError.Configuration");
    expect(received).toHaveLength(1);
  });

  it("short-circuits: an answer returned without calling next() makes no request", async () => {
    const client = lcic();
    let stored: MiddlewareResponse | undefined;
    const cache: Middleware = async (_context, next) => stored ?? (stored = await next());
    const first = await client.getRoomEvent(REQUEST, { middleware: middlewareChain(cache) });
    const second = await client.getRoomEvent(REQUEST, { middleware: middlewareChain(cache) });
    expect(received).toHaveLength(1);
    expect(second).toEqual(first);
    // Interpreted again, not shared: the caller may change what it got.
    expect(second).not.toBe(first);

    // A hand-made answer is interpreted like one from the server, service errors included.
    const fake: Middleware = () =>
      Promise.resolve({
        status: 200,
        headers: {},
        body: JSON.stringify({ Response: { RequestId: "cached-1", Error: { Code: "ResourceNotFound.Room", Message: "no room" } } }),
      });
    const error = await rejection(client.getRoomEvent(REQUEST, { middleware: middlewareChain(fake) }));
    expect(error.code).toBe("ResourceNotFound.Room");
    expect(error.requestId).toBe("cached-1");
    expect(received).toHaveLength(1);
  });

  it("runs once per attempt: retries are visible, with their attempt numbers and each answer", async () => {
    mock.injectError("lcic.getRoomEvent", "InternalError", { times: 2 });
    const attempts: [number, string | number | undefined][] = [];
    const watch: Middleware = async (context, next) => {
      const response = await next();
      attempts.push([context.attempt, response.error?.code]);
      return response;
    };
    await lcic({ middleware: middlewareChain(watch) }).getRoomEvent(REQUEST);
    expect(attempts).toEqual([
      [1, "InternalError"],
      [2, "InternalError"],
      [3, undefined],
    ]);
    expect(received).toHaveLength(3);
  });

  it("a middleware that throws fails the call with ClientError.Middleware, not retried, without secrets", async () => {
    const leaky: Middleware = (context) => {
      throw new Error(`cannot trace ${context.request.headers["authorization"]} with ${CREDENTIALS.secretKey}`);
    };
    const error = await rejection(lcic({ middleware: middlewareChain(leaky) }).getRoomEvent(REQUEST));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("ClientError.Middleware");
    expect(error.operation).toBe("GetRoomEvent");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("leaky");
    const everything = JSON.stringify(error) + String(error) + String((error.cause as Error | undefined)?.message);
    expect(everything).not.toContain(CREDENTIALS.secretKey);
    expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(received).toHaveLength(0);
  });

  it("a middleware that mutates the signed request is refused (it would break the signature)", async () => {
    const mutating: Middleware = (context, next) => {
      (context.request.headers as Record<string, string>)["x-tc-region"] = "ap-beijing";
      return next();
    };
    const error = await rejection(lcic({ middleware: middlewareChain(mutating) }).getRoomEvent(REQUEST));
    expect(error.code).toBe("ClientError.Middleware");
    expect(received).toHaveLength(0);
  });

  it("an ApiError thrown by a middleware is the call's error (a circuit breaker); one returned by next() passes through", async () => {
    const open: Middleware = () => {
      throw new ApiError({ code: "ClientError.Network", message: "circuit open", retryable: false });
    };
    const error = await rejection(lcic({ middleware: middlewareChain(open) }).getRoomEvent(REQUEST));
    expect(error.code).toBe("ClientError.Network");
    expect(error.message).toContain("circuit open");

    const closed = await startAndClose();
    const rethrow: Middleware = async (_context, next) => {
      try {
        return await next();
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        throw e;
      }
    };
    const network = await rejection(lcic({ endpoint: closed, middleware: middlewareChain(rethrow), retry: false }).getRoomEvent(REQUEST));
    expect(network.code).toBe("ClientError.Network");
  });

  it("a middleware that answers nothing usable, or calls next() twice, fails with ClientError.Middleware", async () => {
    const empty = (() => Promise.resolve(undefined)) as unknown as Middleware;
    const twice: Middleware = async (_context, next) => {
      await next();
      return next();
    };
    for (const middleware of [empty, twice]) {
      const error = await rejection(lcic({ middleware: middlewareChain(middleware) }).getRoomEvent(REQUEST));
      expect(error.code).toBe("ClientError.Middleware");
    }
    const notAFunction = await rejection(lcic({ middleware: middlewareChain("nope" as unknown as Middleware) }).getRoomEvent(REQUEST));
    expect(notAFunction.code).toBe("ClientError.Configuration");
  });

  it("a plain array (not middlewareChain(...)) is ClientError.Configuration naming the import, and nothing is sent", async () => {
    let ran = 0;
    const plain = [() => (ran++, { status: 200, headers: {}, body: "{}" })] as unknown as LcicClientOptions["middleware"];
    for (const error of [
      await rejection(lcic({ middleware: plain }).getRoomEvent(REQUEST)),
      await rejection(lcic().getRoomEvent(REQUEST, { middleware: plain })),
    ]) {
      expect(error.code).toBe("ClientError.Configuration");
      expect(error.message).toContain('middlewareChain(fn, …) (import { middlewareChain } from "@rtc-apigen/runtime")');
    }
    expect(ran).toBe(0);
    expect(received).toHaveLength(0);
  });
});

/** An origin nothing listens on. */
async function startAndClose(): Promise<string> {
  const other = await createMock([lcicDefinition]).listen();
  await other.close();
  return other.url;
}
