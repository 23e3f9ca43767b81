// End to end through the GENERATED clients (generated/<service>/src), against loopback servers on
// 127.0.0.1: what LcicClient, TrtcClient and ChatClient put on the wire (checked with the runtime's
// own verifiers), pagination across pages, region and validation refusals before sending, lossless
// 64-bit fields, and how each protocol's error envelope becomes an ApiError.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ChatClient, metadata as chatMetadata, type GetLiveRoomInfoErrorCode, type GetLiveRoomInfoResponse } from "../../generated/chat/src/index.js";
import {
  ApiError,
  LcicClient,
  metadata as lcicMetadata,
  type ClientErrorCode,
  type GetRoomEventErrorCode,
  type LcicClientOptions,
} from "../../generated/lcic/src/index.js";
import { validateDescribeRoomStatisticsResponse, validateGetRoomEventResponse } from "../../generated/lcic/src/validators.js";
import { genUserSig, verifyUserSig } from "../../generated/runtime/src/chat-rest.js";
import { verifyTc3, type Tc3Credential, type Tc3VerifyRequest } from "../../generated/runtime/src/tc3.js";
import { metadata as trtcMetadata, TrtcClient, type DescribeUserEventRequest, type TrtcClientOptions } from "../../generated/trtc/src/index.js";
import { startLoopback, type Loopback, type Recorded } from "../runtime/support/loopback.js";
import {
  CHAT_IDENTIFIER,
  CHAT_KEY,
  CHAT_SDKAPPID,
  chatFailBody,
  fixedClock,
  LIVE_ROOM_INFO_TEXT,
  NOW_MS,
  NOW_S,
  rejection,
  roomEventPage,
  roomStatisticsPage,
  SECRET_ID,
  SECRET_KEY,
  tc3Body,
  tc3ErrorBody,
} from "./support/bodies.js";

let server: Loopback;

// A fresh server per test, so a behaviour one test queued but did not use cannot leak into the next.
beforeEach(async () => {
  server = await startLoopback();
  // Anything not scripted gets an error envelope, so a test can never pass on an unplanned request.
  server.fallback({
    kind: "json",
    body: tc3ErrorBody("InternalError.Unscripted", "no behaviour scripted", "unscripted"),
  });
});

afterEach(async () => {
  await server.close();
});

const lookup = (id: string): Tc3Credential | undefined => (id === SECRET_ID ? { secretKey: SECRET_KEY } : undefined);

/** A recorded request as verifyTc3 takes it (Node gives lower-case header names). */
const verifiable = (r: Recorded): Tc3VerifyRequest => ({
  method: r.method,
  headers: r.headers as Record<string, string | undefined>,
  body: r.body,
});

const body = (r: Recorded) => JSON.parse(r.body) as Record<string, unknown>;

function lcic(options: LcicClientOptions = {}) {
  return new LcicClient({
    endpoint: server.origin,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    clock: fixedClock(),
    env: {},
    ...options,
  });
}

function trtc(options: TrtcClientOptions = {}) {
  return new TrtcClient({
    endpoint: server.origin,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    clock: fixedClock(),
    env: {},
    ...options,
  });
}

function chat() {
  return new ChatClient({
    endpoint: server.origin,
    credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
    clock: fixedClock(),
    env: {},
  });
}

const ROOM = { RoomId: 1, SdkAppId: 13465287 } as const;

// ---------------------------------------------------------------------------------------------

describe("LcicClient: TC3 signing on a loopback endpoint", () => {
  it("signs for the spec's service lcic although the endpoint is http://127.0.0.1:<port>", async () => {
    server.enqueue({ kind: "json", body: tc3Body(roomEventPage(1, 1, 10, "req-sign")) });
    const out = await lcic().getRoomEvent({ ...ROOM, Page: 1, Limit: 10 });
    expect(out.RequestId).toBe("req-sign");
    expect(server.requests).toHaveLength(1);
    const seen = server.requests[0]!;

    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/");
    expect(seen.headers["host"]).toBe(`127.0.0.1:${server.port}`);
    expect(seen.headers["x-tc-timestamp"]).toBe(String(NOW_S));
    expect(seen.headers["authorization"]).toMatch(
      new RegExp(`^TC3-HMAC-SHA256 Credential=${SECRET_ID}/2026-01-15/lcic/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`),
    );
    expect(body(seen)).toEqual({ ...ROOM, Page: 1, Limit: 10 });

    const verdict = verifyTc3(verifiable(seen), lookup, { nowSeconds: NOW_S, expectedService: "lcic" });
    expect(verdict).toEqual({ ok: true, secretId: SECRET_ID, service: "lcic", date: "2026-01-15" });
  });

  it("the verification is real: another body, key, service or time is refused", async () => {
    server.enqueue({ kind: "json", body: tc3Body(roomEventPage(0, 1, 10, "req-neg")) });
    await lcic().getRoomEvent({ ...ROOM, Page: 1, Limit: 10 });
    const request = verifiable(server.requests[0]!);
    const opts = { nowSeconds: NOW_S, expectedService: "lcic" };
    const refused = (r: ReturnType<typeof verifyTc3>) => (r.ok ? "accepted" : r.code);

    expect(refused(verifyTc3({ ...request, body: request.body.replace('"Page":1', '"Page":2') }, lookup, opts))).toBe("AuthFailure.SignatureFailure");
    expect(refused(verifyTc3(request, () => ({ secretKey: "another-key" }), opts))).toBe("AuthFailure.SignatureFailure");
    // The credential scope names lcic, not the host's first label.
    expect(refused(verifyTc3(request, lookup, { ...opts, expectedService: "127" }))).toBe("AuthFailure.InvalidAuthorization");
    expect(refused(verifyTc3(request, lookup, { ...opts, nowSeconds: NOW_S + 301 }))).toBe("AuthFailure.SignatureExpire");
  });

  it("the signature's timestamp is the client clock's, so a skewed clock is refused by the server's check", async () => {
    server.enqueue({ kind: "json", body: tc3Body(roomEventPage(0, 1, 10, "req-clock")) });
    await lcic({ clock: { now: () => NOW_MS + 3_600_000, sleep: async () => {} } }).getRoomEvent({
      ...ROOM,
      Page: 1,
      Limit: 10,
    });
    const seen = verifiable(server.requests[0]!);
    expect(seen.headers["x-tc-timestamp"]).toBe(String(NOW_S + 3600));
    expect(verifyTc3(seen, lookup, { nowSeconds: NOW_S, expectedService: "lcic" })).toMatchObject({
      ok: false,
      code: "AuthFailure.SignatureExpire",
    });
  });

  it("sends X-TC-Action and X-TC-Version from the spec for each operation", async () => {
    server.enqueue({ kind: "json", body: tc3Body(roomEventPage(0, 1, 10, "a")) }, { kind: "json", body: tc3Body(roomStatisticsPage(0, 1, 10, "b")) });
    const client = lcic();
    await client.getRoomEvent({ ...ROOM, Page: 1, Limit: 10 });
    await client.describeRoomStatistics({ RoomId: 1, Page: 1, Limit: 10 });
    const [event, stats] = server.requests;

    expect(event?.headers["x-tc-action"]).toBe("GetRoomEvent");
    expect(stats?.headers["x-tc-action"]).toBe("DescribeRoomStatistics");
    expect(lcicMetadata.operations.getRoomEvent.action).toBe("GetRoomEvent");
    expect(lcicMetadata.operations.describeRoomStatistics.action).toBe("DescribeRoomStatistics");
    for (const r of [event, stats]) {
      expect(r?.headers["x-tc-version"]).toBe("2022-08-17");
      expect(r?.headers["x-tc-version"]).toBe(lcicMetadata.protocol.version);
      expect(r?.headers["content-type"]).toBe("application/json");
      // LCIC needs no region; none was configured, so none is sent.
      expect(r?.headers["x-tc-region"]).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("LcicClient: paginated operations", () => {
  /** Answers page `Page` of `total` items with the requested `Limit`, and records what was asked. */
  function servePages(total: number, make: typeof roomEventPage | typeof roomStatisticsPage) {
    server.fallback((r) => {
      const { Page, Limit } = body(r) as { Page: number; Limit: number };
      return { kind: "json", body: tc3Body(make(total, Page, Limit, `page-${Page}`)) };
    });
  }

  it("getRoomEventItems yields every event of every page exactly once, 200 (the spec's maximum) per page", async () => {
    expect(lcicMetadata.operations.getRoomEvent.pagination?.maxSize).toBe(200);
    servePages(450, roomEventPage);
    const seen: number[] = [];
    for await (const event of lcic({ validateResponses: "strict" }).getRoomEventItems(ROOM)) seen.push(event.Timestamp);

    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
    expect(seen).toEqual(Array.from({ length: 450 }, (_, i) => 1_767_000_000 + i));
    expect(server.requests.map((r) => body(r))).toEqual([
      { ...ROOM, Page: 1, Limit: 200 },
      { ...ROOM, Page: 2, Limit: 200 },
      { ...ROOM, Page: 3, Limit: 200 },
    ]);
  });

  it("describeRoomStatisticsItems pages 1,000 (the spec's maximum) at a time and stops at Total", async () => {
    expect(lcicMetadata.operations.describeRoomStatistics.pagination?.maxSize).toBe(1000);
    servePages(2345, roomStatisticsPage);
    const seen: string[] = [];
    for await (const member of lcic({ validateResponses: "strict" }).describeRoomStatisticsItems({ RoomId: 7 })) {
      seen.push(member.UserId);
    }
    expect(seen).toHaveLength(2345);
    expect(new Set(seen).size).toBe(2345);
    expect(seen[0]).toBe("member-0");
    expect(seen.at(-1)).toBe("member-2344");
    expect(server.requests.map((r) => body(r))).toEqual([
      { RoomId: 7, Page: 1, Limit: 1000 },
      { RoomId: 7, Page: 2, Limit: 1000 },
      { RoomId: 7, Page: 3, Limit: 1000 },
    ]);
  });

  it("a Total that is an exact multiple of the page size needs no extra request", async () => {
    servePages(400, roomEventPage);
    let count = 0;
    for await (const _ of lcic().getRoomEventItems(ROOM)) count++;
    expect(count).toBe(400);
    expect(server.requests.map((r) => body(r)["Page"])).toEqual([1, 2]);
  });

  it("the bodies served are valid per the generated validators (so strict mode above means something)", () => {
    expect(validateGetRoomEventResponse(roomEventPage(450, 3, 200, "x")).ok).toBe(true);
    expect(validateDescribeRoomStatisticsResponse(roomStatisticsPage(2345, 3, 1000, "x")).ok).toBe(true);
    const broken = { ...roomEventPage(1, 1, 1, "x"), Total: "1" };
    expect(validateGetRoomEventResponse(broken).ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe("TrtcClient: refusals before sending", () => {
  const valid: DescribeUserEventRequest = {
    CommId: "1400188366_218695_1590065777",
    StartTime: NOW_S - 3600,
    EndTime: NOW_S,
    UserId: "user-1",
    RoomId: "218695",
    SdkAppId: 1400188366,
  };

  it("sends a valid request in an allowed region, signed for trtc with X-TC-Region (the control)", async () => {
    server.enqueue({ kind: "json", body: tc3Body({ Data: [], RequestId: "trtc-ok" }) });
    const out = await trtc({ region: "ap-singapore" }).describeUserEvent(valid);
    expect(out).toEqual({ Data: [], RequestId: "trtc-ok" });
    const seen = server.requests[0]!;
    expect(seen.headers["x-tc-region"]).toBe("ap-singapore");
    expect(seen.headers["x-tc-action"]).toBe("DescribeUserEvent");
    expect(seen.headers["x-tc-version"]).toBe("2019-07-22");
    expect(verifyTc3(verifiable(seen), lookup, { nowSeconds: NOW_S, expectedService: "trtc" }).ok).toBe(true);
  });

  it.each([
    ["na-toronto", "in the service's list but not DescribeUserEvent's"],
    ["eu-frankfurt", "in no list of the spec"],
  ])("refuses region %s (%s): ClientError.Region, no request sent", async (region) => {
    expect(trtcMetadata.operations.describeUserEvent.regions.values).not.toContain(region);
    const error = await rejection(trtc({ region }).describeUserEvent(valid));
    expect(error.code).toBe("ClientError.Region");
    expect(error.message).toContain(`"${region}"`);
    expect(error.message).toContain("ap-beijing, ap-guangzhou, ap-mumbai, ap-singapore");
    expect(error.attempts).toBe(0);
    expect(error.operation).toBe("DescribeUserEvent");

    // The same region given per call is refused too.
    const perCall = await rejection(trtc().describeUserEvent(valid, { region }));
    expect(perCall.code).toBe("ClientError.Region");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a call without a region (the operation requires one)", async () => {
    const error = await rejection(trtc().describeUserEvent(valid));
    expect(error.code).toBe("ClientError.Region");
    expect(error.message).toContain("a region is required");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses an invalid request with ClientError.Validation listing every issue, nothing sent", async () => {
    const invalid = { ...valid, CommId: "nope", StartTime: NOW_S - 20 * 86400 } as Partial<DescribeUserEventRequest>;
    delete invalid.UserId;
    const error = await rejection(trtc({ region: "ap-beijing" }).describeUserEvent(invalid as DescribeUserEventRequest));
    expect(error.code).toBe("ClientError.Validation");
    expect(error.attempts).toBe(0);
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["CommId", "pattern"],
      ["UserId", "required"],
      ["StartTime", "time-window"],
    ]);
    expect(error.message).toContain("UserId: is required");
    expect(server.requests).toHaveLength(0);
  });

  it("with validateRequests off, the same invalid request does reach the server", async () => {
    server.enqueue({ kind: "json", body: tc3ErrorBody("MissingParameter", "UserId is missing", "trtc-400") });
    const invalid = { ...valid, CommId: "nope" };
    const error = await rejection(trtc({ region: "ap-beijing", validateRequests: "off" }).describeUserEvent(invalid));
    expect(error.code).toBe("MissingParameter");
    expect(server.requests).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe("ChatClient: Chat REST on the wire", () => {
  it("getLiveRoomInfo POSTs to v4/<command> with sdkappid, identifier, a valid UserSig, random and contenttype", async () => {
    server.enqueue({ kind: "text", body: LIVE_ROOM_INFO_TEXT, headers: { "content-type": "application/json" } });
    await chat().getLiveRoomInfo({ RoomId: "rid-123" });
    const seen = server.requests[0]!;
    const url = new URL(seen.url, server.origin);

    expect(seen.method).toBe("POST");
    expect(url.pathname).toBe("/v4/live_engine_http_srv/get_room_info");
    expect(`v4/${chatMetadata.operations.getLiveRoomInfo.command}`).toBe("v4/live_engine_http_srv/get_room_info");
    expect(seen.body).toBe('{"RoomId":"rid-123"}');
    expect([...url.searchParams.keys()].sort()).toEqual(["contenttype", "identifier", "random", "sdkappid", "usersig"]);
    expect(url.searchParams.get("sdkappid")).toBe(String(CHAT_SDKAPPID));
    expect(url.searchParams.get("identifier")).toBe(CHAT_IDENTIFIER);
    expect(url.searchParams.get("contenttype")).toBe("json");
    const random = url.searchParams.get("random") ?? "";
    expect(random).toMatch(/^\d+$/);
    expect(Number(random)).toBeLessThanOrEqual(0xffffffff);

    const userSig = url.searchParams.get("usersig") ?? "";
    const options = { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY, nowSeconds: NOW_S };
    const verdict = verifyUserSig(userSig, options);
    expect(verdict.ok).toBe(true);
    // Exactly the tls-sig-api-v2 UserSig for this app, administrator and time, with the default one-day lifetime.
    expect(userSig).toBe(
      genUserSig({
        sdkAppId: CHAT_SDKAPPID,
        key: CHAT_KEY,
        identifier: CHAT_IDENTIFIER,
        expireSeconds: 86400,
        nowSeconds: NOW_S,
      }),
    );
    // Checked for real: another key or identifier is refused.
    expect(verifyUserSig(userSig, { ...options, key: "another-key" })).toMatchObject({ ok: false, code: 70009 });
    expect(verifyUserSig(userSig, { ...options, identifier: "someone" })).toMatchObject({ ok: false, code: 70013 });
  });

  it("getConferenceRoomInfo goes to the Conference engine's command, with a fresh random per request", async () => {
    const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", RequestId: "Id-c", Response: { RoomInfo: {} } };
    server.enqueue({ kind: "json", body: ok }, { kind: "json", body: ok });
    const client = chat();
    await client.getConferenceRoomInfo({ RoomId: "conf-1" });
    await client.getConferenceRoomInfo({ RoomId: "conf-2" });
    const urls = server.requests.map((r) => new URL(r.url, server.origin));
    expect(urls.map((u) => u.pathname)).toEqual(["/v4/room_engine_http_srv/get_room_info", "/v4/room_engine_http_srv/get_room_info"]);
    expect(urls[0]?.searchParams.get("random")).not.toBe(urls[1]?.searchParams.get("random"));
  });

  it("delivers Owner_Account 144115233775727695 exactly, as a string, from a bare JSON number", async () => {
    expect(LIVE_ROOM_INFO_TEXT).toContain('"Owner_Account":144115233775727695,');
    server.enqueue({ kind: "text", body: LIVE_ROOM_INFO_TEXT, headers: { "content-type": "application/json" } });
    const out: GetLiveRoomInfoResponse = await chat().getLiveRoomInfo({ RoomId: "rid-123" });
    expect(out.RoomInfo.Owner_Account).toBe("144115233775727695");
    expect(typeof out.RoomInfo.Owner_Account).toBe("string");
    // The rest of the payload is untouched numbers and strings.
    expect(out.RoomInfo).toMatchObject({
      RoomId: "rid-123",
      MaxSeatCount: 8,
      CreateTime: 1693271354,
      Category: [1, 2, 3],
    });
    // What plain JSON.parse would have delivered.
    const naive = JSON.parse(LIVE_ROOM_INFO_TEXT) as { Response: { RoomInfo: { Owner_Account: number } } };
    expect(String(naive.Response.RoomInfo.Owner_Account)).not.toBe("144115233775727695");
  });
});

// ---------------------------------------------------------------------------------------------

describe("error envelopes become ApiError", () => {
  it("Chat: ActionStatus FAIL with HTTP 200 and ErrorCode 100004 → code 100004, message, request id", async () => {
    server.enqueue({ kind: "json", body: chatFailBody(100004, "room not exist", "Id-fail-100004") });
    const error = await rejection(chat().getLiveRoomInfo({ RoomId: "missing" }));
    expect(error.code).toBe(100004);
    expect(error.detail).toBe("room not exist");
    expect(error.message).toContain("room not exist");
    expect(error.requestId).toBe("Id-fail-100004");
    expect(error.httpStatus).toBe(200);
    expect(error.operation).toBe("GetLiveRoomInfo");
    expect(error.attempts).toBe(1);
    // 100004 is documented as not retryable: one request only.
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    // No secret leaks into the error.
    expect(JSON.stringify(error)).not.toContain(CHAT_KEY);
    expect(error.message).not.toMatch(/usersig=/i);

    if (!ApiError.is<GetLiveRoomInfoErrorCode>(error)) throw new Error("unreachable");
    expectTypeOf(error.code).toEqualTypeOf<GetLiveRoomInfoErrorCode | ClientErrorCode>();
  });

  it("TC3: a documented own code of GetRoomEvent, with message and request id", async () => {
    server.enqueue({
      kind: "json",
      body: tc3ErrorBody("ResourceNotFound.Room", "The room does not exist.", "req-404"),
    });
    const error = await rejection(lcic().getRoomEvent({ ...ROOM, Page: 1, Limit: 10 }));
    expect(error).toMatchObject({
      code: "ResourceNotFound.Room",
      requestId: "req-404",
      httpStatus: 200,
      operation: "GetRoomEvent",
      attempts: 1,
      retryable: false,
    });
    expect(error.detail).toBe("The room does not exist.");
    expect(error.message).toBe("GetRoomEvent: ResourceNotFound.Room: The room does not exist. (RequestId req-404, HTTP 200)");
    expect(JSON.stringify(error)).not.toContain(SECRET_KEY);
  });

  it("TC3: a code the spec marks retryable is retried; with retries off it surfaces as retryable", async () => {
    const code = "FailedOperation.RoomNotEnd";
    expect(lcicMetadata.operations.describeRoomStatistics.errors[code]?.retryable).toBe(true);
    server.enqueue(
      { kind: "json", body: tc3ErrorBody(code, "The class has not ended.", "req-1") },
      { kind: "json", body: tc3Body(roomStatisticsPage(0, 1, 10, "req-2")) },
    );
    const sleeps: number[] = [];
    const out = await lcic({ clock: fixedClock(sleeps) }).describeRoomStatistics({ RoomId: 1, Page: 1, Limit: 10 });
    expect(out.RequestId).toBe("req-2");
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);

    server.requests.length = 0;
    server.enqueue({ kind: "json", body: tc3ErrorBody(code, "The class has not ended.", "req-3") });
    const error = await rejection(lcic({ retry: false }).describeRoomStatistics({ RoomId: 1, Page: 1, Limit: 10 }));
    expect(error).toMatchObject({ code, retryable: true, attempts: 1, requestId: "req-3" });
    expect(server.requests).toHaveLength(1);
  });

  it("TC3: a common code (AuthFailure.SignatureFailure) is not retried", async () => {
    server.enqueue({
      kind: "json",
      body: tc3ErrorBody("AuthFailure.SignatureFailure", "The provided credentials could not be validated.", "req-auth"),
    });
    const error = await rejection(lcic().getRoomEvent({ ...ROOM, Page: 1, Limit: 10 }));
    expect(error).toMatchObject({ code: "AuthFailure.SignatureFailure", retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("ApiError.is<GetRoomEventErrorCode> narrows a caught value to the operation's codes", async () => {
    server.enqueue({ kind: "json", body: tc3ErrorBody("InvalidParameter.SdkAppId", "bad SdkAppId", "req-sdk") });
    let caught: unknown;
    try {
      await lcic().getRoomEvent({ ...ROOM, Page: 1, Limit: 10 });
    } catch (error) {
      caught = error;
    }
    expect(ApiError.is<GetRoomEventErrorCode>(caught)).toBe(true);
    if (!ApiError.is<GetRoomEventErrorCode>(caught)) throw new Error("unreachable");
    expectTypeOf(caught).toEqualTypeOf<ApiError<GetRoomEventErrorCode>>();
    expectTypeOf(caught.code).toEqualTypeOf<GetRoomEventErrorCode | ClientErrorCode>();
    const code: GetRoomEventErrorCode | ClientErrorCode = caught.code;
    // @ts-expect-error DescribeRoomStatistics' FailedOperation.RoomNotEnd is not a GetRoomEvent code
    const other: typeof caught.code = "FailedOperation.RoomNotEnd";
    expect(other).toBe("FailedOperation.RoomNotEnd");
    expect(code).toBe("InvalidParameter.SdkAppId");
    expect(caught.requestId).toBe("req-sdk");

    expect(ApiError.is(new Error("plain"))).toBe(false);
    expect(ApiError.is({ code: "InvalidParameter.SdkAppId", message: "look-alike" })).toBe(false);
  });
});
