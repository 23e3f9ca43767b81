// The client core on the Chat REST protocol against a loopback server: the URL and its query,
// UserSig generation and caching, credentials from the environment, the envelope (HTTP 200 on
// failure), retryable and non-retryable codes, and the exact 64-bit Owner_Account.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { ChatClientOptions } from "../../templates/runtime/src/protocols/chat-rest/client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { createNodeTransport } from "../../templates/runtime/src/client/transport.js";
import { verifyUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { InstantClock } from "./support/fake-clock.js";
import { CHAT_IDENTIFIER, CHAT_KEY, CHAT_SDKAPPID, chatFail, chatMetadata, chatOk, chatValidators } from "./support/fixture.js";
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
  server.fallback({ kind: "json", body: chatOk({ RoomInfo: { RoomId: "r1" } }) });
});

const NOW = 1_700_000_000_000;

function client(options: ChatClientOptions = {}) {
  return new ServiceClient(chatMetadata, chatValidators, {
    endpoint: server.origin,
    credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
    transport,
    clock: new InstantClock(NOW),
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

const query = (i = 0) => new URL(server.requests[i]!.url, server.origin);

describe("Chat request on the wire", () => {
  it("POSTs JSON to /v4/<command> with sdkappid, identifier, a valid UserSig, random and contenttype", async () => {
    const payload = await client().call("getRoom", { RoomId: "r1" });
    expect(payload).toEqual({ RoomInfo: { RoomId: "r1" } });
    const seen = server.requests[0]!;
    const url = query();
    expect(seen.method).toBe("POST");
    expect(url.pathname).toBe("/v4/room_engine_http_srv/get_room_info");
    expect(seen.body).toBe('{"RoomId":"r1"}');
    expect(seen.headers["content-type"]).toBe("application/json");
    expect([...url.searchParams.keys()]).toEqual(["sdkappid", "identifier", "usersig", "random", "contenttype"]);
    expect(url.searchParams.get("sdkappid")).toBe(String(CHAT_SDKAPPID));
    expect(url.searchParams.get("identifier")).toBe(CHAT_IDENTIFIER);
    expect(url.searchParams.get("contenttype")).toBe("json");
    const random = Number(url.searchParams.get("random"));
    expect(Number.isInteger(random) && random >= 0 && random <= 4294967295).toBe(true);
    const verdict = verifyUserSig(url.searchParams.get("usersig")!, {
      sdkAppId: CHAT_SDKAPPID,
      identifier: CHAT_IDENTIFIER,
      key: CHAT_KEY,
      nowSeconds: NOW / 1000,
    });
    expect(verdict.ok).toBe(true);
  });

  it("draws a fresh random per request and reuses the cached UserSig", async () => {
    const values = [7, 4294967295, 123];
    const c = client({ random: () => values.shift() ?? 0 });
    await c.call("getRoom", { RoomId: "a" });
    await c.call("getRoom", { RoomId: "b" });
    await c.call("getRoom", { RoomId: "c" });
    expect(server.requests.map((_, i) => query(i).searchParams.get("random"))).toEqual(["7", "4294967295", "123"]);
    const sigs = new Set(server.requests.map((_, i) => query(i).searchParams.get("usersig")));
    expect(sigs.size).toBe(1);
  });

  it("uses a caller-supplied UserSig as is", async () => {
    await client({
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, userSig: "ready*made-Sig_" },
    }).call("getRoom", { RoomId: "r" });
    expect(query().searchParams.get("usersig")).toBe("ready*made-Sig_");
  });

  it("keeps an endpoint URL's path prefix (a proxy) and resolves ids to https hosts", async () => {
    await client({ endpoint: `${server.origin}/im-proxy/` }).call("getRoom", { RoomId: "r" });
    expect(query().pathname).toBe("/im-proxy/v4/room_engine_http_srv/get_room_info");
    const urls: string[] = [];
    await client({
      endpoint: "singapore",
      transport: async (r) => {
        urls.push(r.url);
        return { status: 200, headers: {}, body: JSON.stringify(chatOk({ RoomInfo: {} })) };
      },
    }).call("getRoom", { RoomId: "r" });
    expect(urls[0]).toMatch(/^https:\/\/adminapisgp\.im\.qcloud\.com\/v4\/room_engine_http_srv\/get_room_info\?sdkappid=/);
  });
});

describe("Chat credentials from the environment", () => {
  it("reads TENCENT_CHAT_SDKAPPID, _IDENTIFIER and _SECRET_KEY", async () => {
    await client({
      credentials: undefined,
      env: {
        TENCENT_CHAT_SDKAPPID: "1400000001",
        TENCENT_CHAT_IDENTIFIER: "envadmin",
        TENCENT_CHAT_SECRET_KEY: "env-chat-key",
      },
    }).call("getRoom", { RoomId: "r" });
    const url = query();
    expect(url.searchParams.get("sdkappid")).toBe("1400000001");
    expect(url.searchParams.get("identifier")).toBe("envadmin");
    const verdict = verifyUserSig(url.searchParams.get("usersig")!, {
      sdkAppId: 1400000001,
      identifier: "envadmin",
      key: "env-chat-key",
      nowSeconds: NOW / 1000,
    });
    expect(verdict.ok).toBe(true);
  });

  it("reads TENCENT_CHAT_USERSIG when there is no key", async () => {
    await client({
      credentials: undefined,
      env: {
        TENCENT_CHAT_SDKAPPID: "1400000001",
        TENCENT_CHAT_IDENTIFIER: "envadmin",
        TENCENT_CHAT_USERSIG: "env*sig",
      },
    }).call("getRoom", { RoomId: "r" });
    expect(query().searchParams.get("usersig")).toBe("env*sig");
  });

  it("incomplete environment: ClientError.Credentials naming the variables, nothing sent", async () => {
    const error = await rejection(client({ credentials: undefined, env: { TENCENT_CHAT_SDKAPPID: "1400000001" } }).call("getRoom", { RoomId: "r" }));
    expect(error.code).toBe("ClientError.Credentials");
    expect(error.message).toContain("TENCENT_CHAT_IDENTIFIER");
    expect(server.requests).toHaveLength(0);
  });
});

describe("Chat envelope", () => {
  it("FAIL with HTTP 200 becomes ApiError with the numeric code, ErrorInfo and RequestId", async () => {
    server.enqueue({ kind: "json", body: chatFail(100004, "room does not exist", "Id-404") });
    const error = await rejection(client().call("getRoom", { RoomId: "r" }));
    expect(error).toMatchObject({
      code: 100004,
      requestId: "Id-404",
      httpStatus: 200,
      retryable: false,
      operation: "GetRoom",
      attempts: 1,
    });
    expect(error.detail).toBe("room does not exist");
  });

  it.each([
    ["{}", { kind: "json", body: {} }],
    ["non-JSON", { kind: "text", body: "Service Unavailable" }],
    ["empty", { kind: "text", body: "" }],
    ["truncated", { kind: "text", body: '{"ActionStatus":"OK","ErrorCode":0,"Response":{"Room' }],
    ["OK without Response", { kind: "json", body: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", RequestId: "x" } }],
    ["FAIL without ErrorCode", { kind: "json", body: { ActionStatus: "FAIL", ErrorInfo: "?" } }],
  ] as const)("%s is ClientError.InvalidResponse", async (_label, behaviour) => {
    server.enqueue(behaviour);
    const error = await rejection(client().call("getRoom", { RoomId: "r" }));
    expect(error.code).toBe("ClientError.InvalidResponse");
  });

  it("a 502 from a gateway is ClientError.HttpStatus, retryable", async () => {
    server.enqueue({ kind: "text", status: 502, body: "<html>502</html>" });
    const error = await rejection(client().call("getRoom", { RoomId: "r" }));
    expect(error).toMatchObject({ code: "ClientError.HttpStatus", httpStatus: 502, retryable: true });
  });

  it("Owner_Account 144115233775727695 arrives exactly, as the planned string", async () => {
    server.enqueue({
      kind: "text",
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"Id-1","Response":{"RoomInfo":{"RoomId":"live","Owner_Account":144115233775727695}}}',
    });
    const payload = (await client().call("getRoom", { RoomId: "live" })) as { RoomInfo: { Owner_Account: unknown } };
    expect(payload.RoomInfo.Owner_Account).toBe("144115233775727695");
    // What plain JSON.parse would have given.
    expect(String((JSON.parse('{"a":144115233775727695}') as { a: number }).a)).toBe("144115233775727680");
  });
});

describe("Chat retries", () => {
  it("retries a retryable common code (60007) and an operation code (100001), then succeeds", async () => {
    server.enqueue({ kind: "json", body: chatFail(60007, "rate") }, { kind: "json", body: chatFail(100001, "internal") });
    const attempts: number[] = [];
    const payload = await client({
      retry: { maxAttempts: 3, random: () => 0 },
      onAttempt: (e) => attempts.push(e.attempt),
    }).call("getRoom", { RoomId: "r" });
    expect(payload).toEqual({ RoomInfo: { RoomId: "r1" } });
    expect(attempts).toEqual([1, 2, 3]);
    // A fresh random on every attempt.
    expect(new Set(server.requests.map((_, i) => query(i).searchParams.get("random"))).size).toBe(3);
  });

  it("does not retry a non-retryable code (70009)", async () => {
    server.enqueue({ kind: "json", body: chatFail(70009, "bad sig") });
    const error = await rejection(client({ retry: { maxAttempts: 5, random: () => 0 } }).call("getRoom", { RoomId: "r" }));
    expect(error).toMatchObject({ code: 70009, attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("70001 (UserSig expired) drops the cached UserSig so the next call signs anew", async () => {
    const clock = new InstantClock(NOW);
    const c = client({ clock });
    await c.call("getRoom", { RoomId: "r" });
    clock.tick(5_000);
    server.enqueue({ kind: "json", body: chatFail(70001, "expired") });
    await rejection(c.call("getRoom", { RoomId: "r" }));
    await c.call("getRoom", { RoomId: "r" });
    const sigs = server.requests.map((_, i) => query(i).searchParams.get("usersig"));
    expect(sigs[0]).toBe(sigs[1]);
    expect(sigs[2]).not.toBe(sigs[1]);
  });
});
