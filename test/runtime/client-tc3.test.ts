// The client core on the TC3 protocol against a loopback server: the signed request on the wire,
// endpoints and regions, credentials from options and the environment, the envelope, every kind
// of bad body, validation modes and lossless big integers.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { Tc3ClientOptions } from "../../templates/runtime/src/protocols/tc3/client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { signTc3, verifyTc3 } from "../../templates/runtime/src/protocols/tc3/signing.js";
import { createNodeTransport } from "../../templates/runtime/src/client/transport.js";
import { InstantClock } from "./support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, SESSION_TOKEN, tc3Error, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

let server: Loopback;
const transport = createNodeTransport();

beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  transport.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.fallback({ kind: "json", body: tc3Ok({ Total: 0, Things: [] }) });
});

function client(options: Tc3ClientOptions = {}) {
  return new ServiceClient(tc3Metadata, tc3Validators, {
    endpoint: server.origin,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    clock: new InstantClock(),
    retry: { maxAttempts: 1 },
    env: {},
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("TC3 request on the wire", () => {
  it("POSTs the JSON body to the endpoint root, signed for the metadata's service (not the host)", async () => {
    const clock = new InstantClock(1_551_113_065_000);
    const payload = await client({ clock, region: undefined, language: "en-US" }).call("listThings", {
      Owner: "me",
      Limit: 2,
    });
    expect(payload).toEqual({ Total: 0, Things: [], RequestId: "req-ok" });

    const [seen] = server.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/");
    expect(seen?.body).toBe('{"Owner":"me","Limit":2}');
    expect(seen?.headers["x-tc-action"]).toBe("ListThings");
    expect(seen?.headers["x-tc-version"]).toBe("2020-01-01");
    expect(seen?.headers["x-tc-timestamp"]).toBe("1551113065");
    expect(seen?.headers["x-tc-language"]).toBe("en-US");
    expect(seen?.headers["x-tc-region"]).toBeUndefined();
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.headers["host"]).toBe(`127.0.0.1:${server.port}`);
    expect(seen?.headers["authorization"]).toMatch(
      new RegExp(`^TC3-HMAC-SHA256 Credential=${SECRET_ID}/2019-02-25/demo/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`),
    );
    // The mock-side verifier accepts exactly what was sent.
    const verdict = verifyTc3(
      { method: seen!.method, headers: seen!.headers as Record<string, string>, body: seen!.body },
      (id) => (id === SECRET_ID ? { secretKey: SECRET_KEY } : undefined),
      { nowSeconds: 1_551_113_065, expectedService: "demo" },
    );
    expect(verdict).toMatchObject({ ok: true, service: "demo" });
  });

  it("sends X-TC-Token and X-TC-Region when set", async () => {
    await client({
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, token: SESSION_TOKEN },
      region: "ap-singapore",
    }).call("describeRegional", {});
    expect(server.requests[0]?.headers["x-tc-token"]).toBe(SESSION_TOKEN);
    expect(server.requests[0]?.headers["x-tc-region"]).toBe("ap-singapore");
  });

  it("hands the transport signTc3's headers, lower-cased, in its order", async () => {
    const nowMs = 1_551_113_065_000;
    const extras = [{ token: SESSION_TOKEN, region: "ap-beijing", language: "zh-CN" as const }, {}];
    for (const { token, region, language } of extras as { token?: string; region?: string; language?: "zh-CN" }[]) {
      const seen: Record<string, string>[] = [];
      await new ServiceClient(tc3Metadata, tc3Validators, {
        endpoint: "http://127.0.0.1:8080",
        credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, token },
        language,
        region,
        clock: new InstantClock(nowMs),
        transport: async (r) => {
          seen.push(r.headers);
          return { status: 200, headers: {}, body: JSON.stringify(tc3Ok({ Total: 0 })) };
        },
        env: {},
      }).call("listThings", { Owner: "me" });
      const signed = signTc3({
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        token,
        service: "demo",
        host: "127.0.0.1:8080",
        action: "ListThings",
        version: "2020-01-01",
        region,
        language,
        timestamp: nowMs / 1000,
        payload: '{"Owner":"me"}',
        contentType: "application/json",
      });
      const expected = Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]);
      expect(Object.entries(seen[0] ?? {})).toEqual(expected);
    }
  });

  it("signs each retry with a fresh timestamp", async () => {
    const clock = new InstantClock(1_700_000_000_000);
    server.enqueue({ kind: "json", status: 503, body: {} });
    await client({ clock, retry: { maxAttempts: 2, baseDelayMs: 5_000, maxDelayMs: 5_000, random: () => 0.5 } }).call("listThings", { Owner: "me" });
    const stamps = server.requests.map((r) => Number(r.headers["x-tc-timestamp"]));
    expect(stamps).toEqual([1_700_000_000, 1_700_000_002]);
  });
});

describe("endpoints", () => {
  it("resolves endpoint ids to https hosts and keeps the service from metadata", async () => {
    const seen: string[] = [];
    const spy = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: "intl",
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      transport: async (r) => {
        seen.push(r.url, r.headers["authorization"] ?? "");
        return { status: 200, headers: {}, body: JSON.stringify(tc3Ok({ Total: 0 })) };
      },
      env: {},
    });
    await spy.call("listThings", { Owner: "me" });
    expect(seen[0]).toBe("https://demo.intl.tencentcloudapi.com/");
    expect(seen[1]).toContain("/demo/tc3_request");
  });

  it("uses the default endpoint when none is given", async () => {
    const urls: string[] = [];
    await new ServiceClient(tc3Metadata, tc3Validators, {
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      transport: async (r) => {
        urls.push(r.url);
        return { status: 200, headers: {}, body: JSON.stringify(tc3Ok({ Total: 0 })) };
      },
      env: {},
    }).call("listThings", { Owner: "me" });
    expect(urls).toEqual(["https://demo.tencentcloudapi.com/"]);
  });

  it("accepts a URL with a port (loopback) and refuses unknown ids and other schemes before sending", async () => {
    await client({ endpoint: `http://127.0.0.1:${server.port}` }).call("listThings", { Owner: "me" });
    expect(server.requests).toHaveLength(1);
    for (const endpoint of ["nowhere", "ftp://127.0.0.1:21/"]) {
      const error = await rejection(client({ endpoint }).call("listThings", { Owner: "me" }));
      expect(error.code).toBe("ClientError.Configuration");
      expect(error.attempts).toBe(0);
    }
    expect(server.requests).toHaveLength(1);
  });
});

describe("regions", () => {
  it("refuses a region outside the operation's list before sending", async () => {
    const error = await rejection(client({ region: "eu-frankfurt" }).call("describeRegional", {}));
    expect(error.code).toBe("ClientError.Region");
    expect(error.message).toContain("ap-beijing, ap-singapore");
    expect(error.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a missing region where one is required; a per-call region overrides", async () => {
    const error = await rejection(client().call("describeRegional", {}));
    expect(error.code).toBe("ClientError.Region");
    await client({ region: "eu-frankfurt" }).call("describeRegional", {}, { region: "ap-beijing" });
    expect(server.requests.map((r) => r.headers["x-tc-region"])).toEqual(["ap-beijing"]);
  });
});

describe("credentials", () => {
  it("falls back to TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN", async () => {
    await client({
      credentials: undefined,
      env: {
        TENCENTCLOUD_SECRET_ID: "AKIDfromEnv",
        TENCENTCLOUD_SECRET_KEY: "env-key",
        TENCENTCLOUD_SESSION_TOKEN: "env-token",
      },
    }).call("listThings", { Owner: "me" });
    expect(server.requests[0]?.headers["authorization"]).toContain("Credential=AKIDfromEnv/");
    expect(server.requests[0]?.headers["x-tc-token"]).toBe("env-token");
  });

  it("reads process.env by default", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "AKIDprocessEnv");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", "process-key");
    try {
      const c = new ServiceClient(tc3Metadata, tc3Validators, { endpoint: server.origin, transport });
      await c.call("listThings", { Owner: "me" });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(server.requests[0]?.headers["authorization"]).toContain("Credential=AKIDprocessEnv/");
  });

  it("without credentials fails with ClientError.Credentials before sending", async () => {
    const error = await rejection(
      client({ credentials: undefined, env: { TENCENTCLOUD_SECRET_ID: "only-id" } }).call("listThings", {
        Owner: "me",
      }),
    );
    expect(error.code).toBe("ClientError.Credentials");
    expect(error.message).toContain("TENCENTCLOUD_SECRET_KEY");
    expect(error.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("unusable credentials (separator in the SecretId) fail with ClientError.Credentials", async () => {
    const error = await rejection(client({ credentials: { secretId: "bad/id", secretKey: SECRET_KEY } }).call("listThings", { Owner: "me" }));
    expect(error.code).toBe("ClientError.Credentials");
    expect(server.requests).toHaveLength(0);
  });
});

describe("TC3 responses", () => {
  it("an error envelope becomes ApiError with the code, message, request id and HTTP status", async () => {
    server.enqueue({ kind: "json", body: tc3Error("ResourceNotFound.Thing", "no such thing", "rid-42") });
    const error = await rejection(client().call("listThings", { Owner: "me" }));
    expect(error).toMatchObject({
      name: "ApiError",
      code: "ResourceNotFound.Thing",
      requestId: "rid-42",
      httpStatus: 200,
      operation: "ListThings",
      attempts: 1,
      retryable: false,
    });
    expect(error.detail).toBe("no such thing");
    expect(error.message).toContain("ListThings: ResourceNotFound.Thing: no such thing");
    expect(error.message).toContain("rid-42");
  });

  it.each([
    ["non-JSON", { kind: "text", body: "<html>gateway</html>" }, "not JSON"],
    ["empty", { kind: "text", body: "" }, "empty body"],
    ["{}", { kind: "json", body: {} }, '"Response"'],
    ["truncated JSON", { kind: "text", body: '{"Response":{"Total":1,' }, "not JSON"],
    ["an array", { kind: "json", body: [1] }, '"Response"'],
    ["Error without Code", { kind: "json", body: { Response: { Error: { Message: "x" }, RequestId: "r" } } }, "Code"],
  ] as const)("a 200 with %s is ClientError.InvalidResponse", async (_label, behaviour, text) => {
    server.enqueue(behaviour);
    const error = await rejection(client().call("listThings", { Owner: "me" }));
    expect(error.code).toBe("ClientError.InvalidResponse");
    expect(error.message).toContain(text);
    expect(error.retryable).toBe(false);
    expect(error).not.toBeInstanceOf(TypeError);
  });

  it("a 5xx without an envelope is ClientError.HttpStatus, retryable; a 404 is not retryable", async () => {
    server.enqueue({ kind: "text", status: 502, body: "bad gateway" });
    const e502 = await rejection(client().call("listThings", { Owner: "me" }));
    expect(e502).toMatchObject({ code: "ClientError.HttpStatus", httpStatus: 502, retryable: true });
    server.enqueue({ kind: "json", status: 404, body: {} });
    const e404 = await rejection(client().call("listThings", { Owner: "me" }));
    expect(e404).toMatchObject({ code: "ClientError.HttpStatus", httpStatus: 404, retryable: false });
  });

  it("a 5xx with an error envelope keeps the server's code", async () => {
    server.enqueue({ kind: "json", status: 500, body: tc3Error("InternalError", "oops") });
    const error = await rejection(client().call("listThings", { Owner: "me" }));
    expect(error).toMatchObject({ code: "InternalError", httpStatus: 500, retryable: true });
  });

  it("big integers arrive exactly: planned fields as bigint, unplanned unsafe ones as bigint too", async () => {
    server.enqueue({
      kind: "text",
      body: '{"Response":{"Total":2,"Things":[{"BigId":7},{"BigId":144115233775727695}],"Other":144115233775727695,"RequestId":"r"}}',
    });
    const payload = (await client().call("listThings", { Owner: "me" })) as Record<string, unknown>;
    expect(payload["Things"]).toEqual([{ BigId: 7n }, { BigId: 144115233775727695n }]);
    expect(payload["Other"]).toBe(144115233775727695n);
  });

  it("sends bigint request fields as bare integers", async () => {
    await client({ validateRequests: "off" }).call("listThings", { Owner: "me", Big: 144115233775727695n });
    expect(server.requests[0]?.body).toBe('{"Owner":"me","Big":144115233775727695}');
  });
});

describe("request validation", () => {
  it('"throw" (default) refuses before sending, with every issue', async () => {
    const error = await rejection(client().call("listThings", { Limit: 9 }));
    expect(error.code).toBe("ClientError.Validation");
    expect(error.issues.map((i) => i.path)).toEqual(["Owner", "Limit"]);
    expect(error.message).toContain("Limit: must be ≤ 3, got 9");
    expect(server.requests).toHaveLength(0);
  });

  it('"warn" logs and sends; "off" sends silently', async () => {
    const warn = vi.fn();
    await client({ validateRequests: "warn", logger: { warn } }).call("listThings", { Limit: 9 });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toContain("Limit");
    const quiet = vi.fn();
    await client({ validateRequests: "off", logger: { warn: quiet } }).call("listThings", { Limit: 9 });
    expect(quiet).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(2);
  });

  it("a request that cannot be JSON is ClientError.Validation", async () => {
    const cyclic: Record<string, unknown> = { Owner: "me" };
    cyclic["self"] = cyclic;
    const error = await rejection(client({ validateRequests: "off" }).call("listThings", cyclic));
    expect(error.code).toBe("ClientError.Validation");
  });
});

describe("response validation", () => {
  it('"off" (default) returns whatever came', async () => {
    server.enqueue({ kind: "json", body: tc3Ok({ Total: "many", Extra: 1 }) });
    await expect(client().call("listThings", { Owner: "me" })).resolves.toMatchObject({ Total: "many" });
  });

  it('"warn" logs drift and returns the payload', async () => {
    const warn = vi.fn();
    server.enqueue({ kind: "json", body: tc3Ok({ Total: "many" }, "rid-w") });
    await expect(client({ validateResponses: "warn", logger: { warn } }).call("listThings", { Owner: "me" })).resolves.toMatchObject({
      Total: "many",
    });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ requestId: "rid-w" });
  });

  it('"strict" also refuses unknown fields, as ClientError.InvalidResponse with issues', async () => {
    server.enqueue({ kind: "json", body: tc3Ok({ Total: 1, Surprise: true }, "rid-s") });
    const error = await rejection(client({ validateResponses: "strict" }).call("listThings", { Owner: "me" }));
    expect(error).toMatchObject({ code: "ClientError.InvalidResponse", requestId: "rid-s", attempts: 1 });
    expect(error.issues.map((i) => i.path)).toEqual(["Surprise"]);
  });
});

describe("onAttempt and logger", () => {
  it("reports each attempt with status, duration, request id and error code", async () => {
    const events: unknown[] = [];
    const debug = vi.fn();
    server.enqueue({ kind: "json", body: tc3Error("InternalError", "x", "r1") }, { kind: "json", body: tc3Ok({ Total: 0 }, "r2") });
    await client({
      retry: { maxAttempts: 2, random: () => 0 },
      onAttempt: (e) => events.push(e),
      logger: { warn: vi.fn(), debug },
    }).call("listThings", { Owner: "me" });
    expect(events).toEqual([
      {
        operation: "ListThings",
        attempt: 1,
        status: 200,
        durationMs: expect.any(Number),
        requestId: "r1",
        errorCode: "InternalError",
        retryInMs: 0,
        host: new URL(server.origin).host,
      },
      { operation: "ListThings", attempt: 2, status: 200, durationMs: expect.any(Number), requestId: "r2", host: new URL(server.origin).host },
    ]);
    expect(debug).toHaveBeenCalledTimes(2);
  });
});

describe("misuse", () => {
  it("an unknown operation is ClientError.Configuration", async () => {
    const error = await rejection((client() as ServiceClient).call("nope", {}));
    expect(error.code).toBe("ClientError.Configuration");
  });
});
