// A hostile server against the client core, through every transport (node:http, the default,
// `fetch: globalThis.fetch`, and the optional undici transport): redirects to another host, bodies past maxResponseBytes (plain, with
// a lying Content-Length, gzip-encoded), Retry-After on 429 and 503, and numbers the lossless parse
// would hand a field in another JavaScript type than the one it declares.
import * as undici from "undici";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { ChatClientOptions } from "../../templates/runtime/src/protocols/chat-rest/client.js";
import type { Tc3ClientOptions } from "../../templates/runtime/src/protocols/tc3/client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { parseRetryAfter } from "../../templates/runtime/src/client/retry.js";
import { createNodeTransport, DEFAULT_MAX_RESPONSE_BYTES, type FetchLike } from "../../templates/runtime/src/client/transport.js";
import { createUndiciTransport } from "../../templates/runtime/src/client/undici-transport.js";
import { UserSigCache } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { nowMs, nowSource } from "../../templates/runtime/src/validation-core.js";
import { InstantClock } from "./support/fake-clock.js";
import {
  CHAT_IDENTIFIER,
  CHAT_KEY,
  CHAT_SDKAPPID,
  chatMetadata,
  chatValidators,
  SECRET_ID,
  SECRET_KEY,
  SESSION_TOKEN,
  tc3Error,
  tc3Metadata,
  tc3Ok,
  tc3Validators,
} from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

let server: Loopback;

beforeEach(async () => {
  server = await startLoopback();
  server.fallback({ kind: "json", body: tc3Error("InternalError.Unscripted", "no behaviour scripted") });
});
afterEach(async () => {
  await server.close();
});

const viaUndici = createUndiciTransport(undici);
// node:http itself (what a proxy, an agent of the caller's or an interceptor like MSW goes through).
const viaNodeHttp = createNodeTransport({ proxy: false, useNodeHttp: true });
afterAll(() => {
  viaNodeHttp.close();
  return viaUndici.close();
});

const transports: [string, Pick<Tc3ClientOptions, "fetch" | "transport">][] = [
  ["node:http (default transport)", {}],
  ["fetch: globalThis.fetch", { fetch: globalThis.fetch as unknown as FetchLike }],
  ["undici (createUndiciTransport)", { transport: viaUndici }],
  ["node:http (useNodeHttp)", { transport: viaNodeHttp }],
];

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved)
    throw new Error(`expected a rejection, got ${String(JSON.stringify(outcome.value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)))}`);
  expect(outcome.error).toBeInstanceOf(ApiError);
  return outcome.error as ApiError;
}

describe.each(transports)("%s", (_name, transportOptions) => {
  const tc3 = (options: Tc3ClientOptions = {}) =>
    new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, token: SESSION_TOKEN },
      clock: new InstantClock(),
      rateLimit: false,
      env: {},
      ...transportOptions,
      ...options,
    });
  const chat = (options: ChatClientOptions = {}) =>
    new ServiceClient(chatMetadata, chatValidators, {
      endpoint: server.origin,
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
      clock: new InstantClock(),
      rateLimit: false,
      env: {},
      ...transportOptions,
      ...options,
    });

  describe("redirects are never followed", () => {
    let other: Loopback;
    beforeEach(async () => {
      // A second host, reached under another name than the endpoint's.
      other = await startLoopback("localhost");
      other.fallback({ kind: "json", body: tc3Ok({ Total: 1 }, "from-the-other-host") });
    });
    afterEach(async () => {
      await other.close();
    });

    for (const status of [307, 302, 301, 308, 303]) {
      it(`a ${status} to another host is ClientError.Redirect naming the status; nothing reaches that host`, async () => {
        server.enqueue({ kind: "text", status, body: "moved", headers: { location: `${other.origin}/steal?token=abc` } });
        const error = await rejection(tc3().call("listThings", { Owner: "me" }));
        expect(error).toMatchObject({ code: "ClientError.Redirect", httpStatus: status, retryable: false, attempts: 1 });
        expect(error.message).toContain(`HTTP ${status}`);
        expect(error.message).toContain(`redirect to ${new URL(other.origin).origin}`);
        expect(error.message).not.toContain("token=abc");
        expect(server.requests).toHaveLength(1);
        expect(other.requests).toHaveLength(0);
      });
    }

    it("a 307 to a Chat endpoint's other host: the UserSig in the query goes nowhere", async () => {
      server.enqueue({ kind: "text", status: 307, body: "", headers: { location: `${other.origin}/` } });
      const error = await rejection(chat().call("getRoom", { RoomId: "r1" }));
      expect(error.code).toBe("ClientError.Redirect");
      expect(other.requests).toHaveLength(0);
    });
  });

  describe("maxResponseBytes", () => {
    // A valid answer padded with JSON whitespace to `bytes`: only its size is wrong.
    const padded = (bytes: number) => {
      const text = JSON.stringify(tc3Ok({ Total: 1 }));
      return text + " ".repeat(Math.max(0, bytes - text.length));
    };

    it("defaults to 10 MB", () => {
      expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(10 * 1024 * 1024);
    });

    it("a body past the client's limit is ClientError.ResponseTooLarge, not retried", async () => {
      server.fallback({ kind: "text", body: padded(4_000) });
      const error = await rejection(tc3({ maxResponseBytes: 3_000 }).call("listThings", { Owner: "me" }));
      expect(error).toMatchObject({ code: "ClientError.ResponseTooLarge", retryable: false, attempts: 1 });
      expect(error.message).toContain("3000");
      // The same body within the limit is a success: the size alone decided.
      server.fallback({ kind: "text", body: padded(2_900) });
      await expect(tc3({ maxResponseBytes: 3_000 }).call("listThings", { Owner: "me" })).resolves.toMatchObject({ Total: 1 });
    });

    it("a call's maxResponseBytes overrides the client's, both ways", async () => {
      server.fallback({ kind: "text", body: padded(4_000) });
      const error = await rejection(tc3().call("listThings", { Owner: "me" }, { maxResponseBytes: 3_000 }));
      expect(error.code).toBe("ClientError.ResponseTooLarge");
      await expect(tc3({ maxResponseBytes: 3_000 }).call("listThings", { Owner: "me" }, { maxResponseBytes: 5_000 })).resolves.toMatchObject({
        Total: 1,
      });
    });

    it("a chunked body without Content-Length is cut off at the limit", async () => {
      server.enqueue({ kind: "stream", head: JSON.stringify(tc3Ok({ Total: 1 })), bytes: 2 * 1024 * 1024 });
      const error = await rejection(tc3({ maxResponseBytes: 1024 * 1024 }).call("listThings", { Owner: "me" }));
      expect(error.code).toBe("ClientError.ResponseTooLarge");
    });

    it("a Content-Length past the limit fails at once, whatever arrives", async () => {
      // Declares 50 MB, sends a few bytes, then closes: the declaration alone is refused.
      server.enqueue({ kind: "truncate", body: '{"Response":', declared: 50 * 1024 * 1024 });
      const error = await rejection(tc3({ retry: false }).call("listThings", { Owner: "me" }));
      expect(error.code).toBe("ClientError.ResponseTooLarge");
      expect(error.message).toContain(String(50 * 1024 * 1024));
    });

    it("a gzip-encoded body is counted after decompression (a small gzip bomb)", async () => {
      // About 20 KB on the wire, 20 MB of JSON once inflated: valid, but past the default limit.
      server.enqueue({
        kind: "stream",
        gzip: true,
        head: JSON.stringify(tc3Ok({ Total: 1 })),
        bytes: 20 * 1024 * 1024,
      });
      const error = await rejection(tc3({ retry: false }).call("listThings", { Owner: "me" }));
      // fetch inflates and hits the limit; node:http and undici's dispatcher ask for no encoding and inflate nothing, so
      // the gzip bytes are no JSON. Either way a typed error, never a success or an empty body.
      expect(error.code).toBe(transportOptions.fetch ? "ClientError.ResponseTooLarge" : "ClientError.InvalidResponse");
    });
  });

  describe("Retry-After on 429 and 503", () => {
    // The backoff alone would wait 0 ms (random 0): every wait seen is the server's.
    const retry = { random: () => 0 };

    it("429 with Retry-After: 2 (seconds) waits 2,000 ms, then retries", async () => {
      const clock = new InstantClock();
      server.enqueue({ kind: "json", status: 429, body: tc3Error("RequestLimitExceeded"), headers: { "retry-after": "2" } });
      server.enqueue({ kind: "json", body: tc3Ok({ Total: 3 }) });
      await expect(tc3({ clock, retry }).call("listThings", { Owner: "me" })).resolves.toMatchObject({ Total: 3 });
      expect(clock.sleeps).toEqual([2_000]);
      expect(server.requests).toHaveLength(2);
    });

    it("503 with Retry-After as an HTTP date waits until that date", async () => {
      const clock = new InstantClock();
      const at = new Date(clock.now() + 3_000).toUTCString();
      server.enqueue({ kind: "text", status: 503, body: "busy", headers: { "retry-after": at } });
      server.enqueue({ kind: "json", body: tc3Ok({ Total: 3 }) });
      await expect(tc3({ clock, retry }).call("listThings", { Owner: "me" })).resolves.toMatchObject({ Total: 3 });
      expect(clock.sleeps).toEqual([3_000]);
    });

    it("a Retry-After past the retry budget fails at once with the server's error, without sleeping", async () => {
      const clock = new InstantClock();
      server.fallback({ kind: "json", status: 429, body: tc3Error("RequestLimitExceeded", "slow down"), headers: { "retry-after": "60" } });
      const error = await rejection(tc3({ clock, retry: { ...retry, maxElapsedMs: 15_000 } }).call("listThings", { Owner: "me" }));
      expect(error).toMatchObject({ code: "RequestLimitExceeded", httpStatus: 429, attempts: 1 });
      expect(clock.sleeps).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });

    it("an unreadable Retry-After falls back to the backoff", async () => {
      const clock = new InstantClock();
      server.enqueue({ kind: "text", status: 503, body: "busy", headers: { "retry-after": "soon" } });
      server.enqueue({ kind: "json", body: tc3Ok({ Total: 3 }) });
      await tc3({ clock, retry }).call("listThings", { Owner: "me" });
      expect(clock.sleeps).toEqual([0]);
    });
  });

  describe("numbers reach a field only in its declared JavaScript type, whatever the validation mode", () => {
    const body = (total: string, things = "[]") => `{"Response":{"Total":${total},"Things":${things},"RequestId":"r-typed"}}`;

    for (const mode of ["off", "warn"] as const) {
      it(`validateResponses "${mode}": a 30-digit integer in a number field is ClientError.InvalidResponse naming it`, async () => {
        server.enqueue({ kind: "text", body: body("123456789012345678901234567890") });
        const error = await rejection(tc3({ validateResponses: mode, logger: { warn: () => {} } }).call("listThings", { Owner: "me" }));
        expect(error).toMatchObject({ code: "ClientError.InvalidResponse", requestId: "r-typed" });
        expect(error.message).toContain("Total: the integer 123456789012345678901234567890");
      });
    }

    it("1e400 (Infinity to JSON.parse) is ClientError.InvalidResponse naming the path", async () => {
      server.enqueue({ kind: "text", body: body("1e400") });
      const top = await rejection(tc3().call("listThings", { Owner: "me" }));
      expect(top.code).toBe("ClientError.InvalidResponse");
      expect(top.message).toContain("Total: a number beyond the range");
      server.enqueue({ kind: "text", body: body("1", '[{"BigId":1,"Count":-2E+999}]') });
      const nested = await rejection(tc3().call("listThings", { Owner: "me" }));
      expect(nested.message).toContain("Things[0].Count: a number beyond the range");
    });

    it("a js:bigint field gets a bigint, a js:string field a string, an undeclared field keeps its bigint", async () => {
      server.enqueue({
        kind: "text",
        body: body("2", '[{"BigId":7},{"BigId":123456789012345678901234567890}]').replace('"RequestId"', '"Extra":98765432109876543210,"RequestId"'),
      });
      const payload = (await tc3().call("listThings", { Owner: "me" })) as Record<string, unknown>;
      expect(payload["Things"]).toEqual([{ BigId: 7n }, { BigId: 123456789012345678901234567890n }]);
      expect(payload["Extra"]).toBe(98765432109876543210n);
      server.enqueue({
        kind: "text",
        body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"c","Response":{"RoomInfo":{"Owner_Account":123456789012345678901234567890}}}',
      });
      const room = (await chat().call("getRoom", { RoomId: "r1" })) as { RoomInfo: { Owner_Account: unknown } };
      expect(room.RoomInfo.Owner_Account).toBe("123456789012345678901234567890");
    });
  });
});

describe("a fetch that does not honour redirect: manual", () => {
  const client = (fetch: FetchLike) =>
    new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      clock: new InstantClock(),
      env: {},
      fetch,
    });

  it("asks for redirect: manual", async () => {
    const seen: string[] = [];
    server.enqueue({ kind: "json", body: tc3Ok({ Total: 1 }) });
    await client((url, init) => {
      seen.push(init.redirect);
      return globalThis.fetch(url, init);
    }).call("listThings", { Owner: "me" });
    expect(seen).toEqual(["manual"]);
  });

  it("one that follows anyway: the other host's answer is ClientError.Redirect, never a success", async () => {
    const other = await startLoopback("localhost");
    try {
      other.fallback({ kind: "json", body: tc3Ok({ Total: 1 }, "from-the-other-host") });
      server.enqueue({ kind: "text", status: 307, body: "", headers: { location: `${other.origin}/` } });
      const following: FetchLike = (url, init) => globalThis.fetch(url, { ...init, redirect: "follow" as "manual" });
      const error = await rejection(client(following).call("listThings", { Owner: "me" }));
      expect(error).toMatchObject({ code: "ClientError.Redirect", retryable: false, httpStatus: undefined });
      expect(error.message).toContain(`redirect to ${new URL(other.origin).origin}`);
    } finally {
      await other.close();
    }
  });

  it("a browser's opaque redirect (status 0) is ClientError.Redirect", async () => {
    const opaque: FetchLike = async () => ({
      status: 0,
      type: "opaqueredirect",
      headers: { forEach: () => {} },
      text: async () => "",
    });
    const error = await rejection(client(opaque).call("listThings", { Owner: "me" }));
    expect(error.code).toBe("ClientError.Redirect");
  });

  it("a fetch-like without a body stream still has its text held to maxResponseBytes", async () => {
    const plain: FetchLike = async () => ({
      status: 200,
      headers: { forEach: () => {} },
      text: async () => JSON.stringify(tc3Ok({ Total: 1 })) + " ".repeat(5_000),
    });
    const error = await rejection(
      new ServiceClient(tc3Metadata, tc3Validators, {
        endpoint: server.origin,
        credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
        env: {},
        fetch: plain,
        maxResponseBytes: 1_000,
      }).call("listThings", { Owner: "me" }),
    );
    expect(error.code).toBe("ClientError.ResponseTooLarge");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);
  it("reads delay-seconds and the three HTTP date forms; a past date is 0; junk is undefined", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Thu, 15 Jan 2026 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Thursday, 15-Jan-26 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Thu, 15 Jan 2026 11:00:00 GMT", now)).toBe(0);
    for (const junk of [undefined, "", "soon", "-1", "1.5", "Thu, nonsense"]) expect(parseRetryAfter(junk, now)).toBeUndefined();
  });
});

describe("public `now` options take a function, a number or a Date", () => {
  it("nowSource and nowMs: a function is called, a number or Date is a fixed time, junk is a TypeError naming the option", () => {
    expect(nowSource(() => 5)()).toBe(5);
    expect(nowSource(1_700_000_000_000)()).toBe(1_700_000_000_000);
    expect(nowSource(new Date(7))()).toBe(7);
    expect(nowMs(42)).toBe(42);
    expect(nowMs(() => 43)).toBe(43);
    expect(Math.abs(nowMs(undefined) - Date.now())).toBeLessThan(60_000);
    expect(() => nowSource("now", "mock.now")).toThrow(/mock\.now must be a function .* got "now"/);
    expect(() => nowSource(NaN)).toThrow(/options\.now must be a finite time/);
    expect(() => nowSource(() => "x")()).toThrow(/options\.now must return milliseconds/);
  });

  it("UserSigCache accepts now as a number", () => {
    const at = Date.UTC(2026, 0, 15);
    const cache = new UserSigCache({ sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY, now: at });
    expect(typeof cache.get()).toBe("string");
  });

  it("a client clock without now() and sleep() is ClientError.Configuration at the call, not a raw TypeError", async () => {
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      clock: { now: 1_700_000_000_000 } as never,
      env: {},
    });
    const error = await rejection(client.call("listThings", { Owner: "me" }));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toContain("clock");
    expect(server.requests).toHaveLength(0);
  });
});
