// The GENERATED clients against a hostile server on 127.0.0.1, through both transports (node:http,
// the default, and `fetch: globalThis.fetch`): a redirect to another host, a body past
// maxResponseBytes, Retry-After, and numbers the lossless parse would hand a field in another
// JavaScript type than the generated types declare. Also the public `now` options given a number.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatClient, metadata as chatMetadata } from "../../generated/chat/src/index.js";
import { validateGetLiveRoomInfoResponse } from "../../generated/chat/src/validators.js";
import { LcicClient, type LcicClientOptions } from "../../generated/lcic/src/index.js";
import type { FetchLike } from "../../generated/runtime/src/index.js";
import { Mock } from "../../generated/runtime/src/mock.js";
import { mockDefinition as trtcMock } from "../../generated/trtc/src/mock.js";
import type { DescribeUserEventRequest } from "../../generated/trtc/src/index.js";
import { validateDescribeUserEventRequest } from "../../generated/trtc/src/validators.js";
import { startLoopback, type Loopback } from "../runtime/support/loopback.js";
import {
  CHAT_IDENTIFIER,
  CHAT_KEY,
  CHAT_SDKAPPID,
  fixedClock,
  LIVE_ROOM_INFO_TEXT,
  NOW_MS,
  NOW_S,
  rejection,
  roomStatisticsPage,
  SECRET_ID,
  SECRET_KEY,
  tc3Body,
  tc3ErrorBody,
} from "./support/bodies.js";

let server: Loopback;
beforeEach(async () => {
  server = await startLoopback();
  server.fallback({ kind: "json", body: tc3ErrorBody("InternalError.Unscripted", "no behaviour scripted", "unscripted") });
});
afterEach(async () => {
  await server.close();
});

const transports: [string, { fetch?: FetchLike }][] = [
  ["node:http (default transport)", {}],
  ["fetch: globalThis.fetch", { fetch: globalThis.fetch as unknown as FetchLike }],
];

describe.each(transports)("%s", (_name, transportOptions) => {
  const lcic = (options: LcicClientOptions = {}) =>
    new LcicClient({
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, token: "session-token-never-leaves" },
      clock: fixedClock(),
      env: {},
      ...transportOptions,
      ...options,
    });
  const chat = () =>
    new ChatClient({
      endpoint: server.origin,
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
      clock: fixedClock(),
      env: {},
      ...transportOptions,
    });

  it("a 307 to another host is ClientError.Redirect; the other host sees nothing (no X-TC-Token, no body)", async () => {
    const other = await startLoopback("localhost");
    try {
      other.fallback({ kind: "json", body: tc3Body(roomStatisticsPage(1, 1, 10, "stolen")) });
      server.enqueue({ kind: "text", status: 307, body: "", headers: { location: `${other.origin}/` } });
      const error = await rejection(lcic().describeRoomStatistics({ RoomId: 7, Page: 1, Limit: 10 }));
      expect(error).toMatchObject({ code: "ClientError.Redirect", httpStatus: 307, attempts: 1 });
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("maxResponseBytes (client or call) refuses a larger body with ClientError.ResponseTooLarge", async () => {
    const text = JSON.stringify(tc3Body(roomStatisticsPage(30, 1, 30, "big")));
    server.fallback({ kind: "text", body: text });
    const request = { RoomId: 7, Page: 1, Limit: 30 };
    const small = text.length - 1;
    expect((await rejection(lcic({ maxResponseBytes: small }).describeRoomStatistics(request))).code).toBe("ClientError.ResponseTooLarge");
    expect((await rejection(lcic().describeRoomStatistics(request, { maxResponseBytes: small }))).code).toBe("ClientError.ResponseTooLarge");
    await expect(lcic({ maxResponseBytes: text.length }).describeRoomStatistics(request)).resolves.toMatchObject({
      RequestId: "big",
    });
  });

  it("Retry-After: 2 on a 429 waits 2,000 ms before the retry", async () => {
    const sleeps: number[] = [];
    server.enqueue(
      { kind: "json", status: 429, body: tc3ErrorBody("RequestLimitExceeded", "slow down", "r1"), headers: { "retry-after": "2" } },
      { kind: "json", body: tc3Body(roomStatisticsPage(1, 1, 10, "after-wait")) },
    );
    const out = await lcic({ clock: fixedClock(sleeps), retry: { random: () => 0 } }).describeRoomStatistics({
      RoomId: 7,
      Page: 1,
      Limit: 10,
    });
    expect(out.RequestId).toBe("after-wait");
    expect(sleeps).toEqual([2_000]);
  });

  describe("a field typed number never receives a bigint or Infinity (validation off, the default)", () => {
    const statistics = JSON.stringify(tc3Body(roomStatisticsPage(2, 1, 10, "typed")));

    it("LCIC: a 30-digit PeakMemberNumber is ClientError.InvalidResponse naming the field", async () => {
      server.enqueue({ kind: "text", body: statistics.replace(/"PeakMemberNumber":\d+/, '"PeakMemberNumber":123456789012345678901234567890') });
      const error = await rejection(lcic().describeRoomStatistics({ RoomId: 7, Page: 1, Limit: 10 }));
      expect(error).toMatchObject({ code: "ClientError.InvalidResponse", requestId: "typed" });
      expect(error.message).toContain("PeakMemberNumber: the integer 123456789012345678901234567890");
    });

    it("LCIC: 1e400 in a nested number field is ClientError.InvalidResponse naming its path", async () => {
      server.enqueue({ kind: "text", body: statistics.replace(/"PresentTime":\d+/, '"PresentTime":1e400') });
      const error = await rejection(lcic().describeRoomStatistics({ RoomId: 7, Page: 1, Limit: 10 }));
      expect(error.code).toBe("ClientError.InvalidResponse");
      expect(error.message).toContain("MemberRecords[0].PresentTime: a number beyond the range");
    });

    it("Chat: Owner_Account (js: string) still arrives as its exact string; a 30-digit ViewCount is refused", async () => {
      expect(chatMetadata.operations.getLiveRoomInfo.responseRepresentation).toEqual({ RoomInfo: { Owner_Account: "string" } });
      const big = LIVE_ROOM_INFO_TEXT.replace('"Owner_Account":144115233775727695', '"Owner_Account":123456789012345678901234567890');
      server.enqueue({ kind: "text", body: big });
      const out = await chat().getLiveRoomInfo({ RoomId: "rid-123" });
      expect(out.RoomInfo.Owner_Account).toBe("123456789012345678901234567890");
      expect(validateGetLiveRoomInfoResponse(out).ok).toBe(true);

      server.enqueue({ kind: "text", body: LIVE_ROOM_INFO_TEXT.replace('"ViewCount":10', '"ViewCount":123456789012345678901234567890') });
      const error = await rejection(chat().getLiveRoomInfo({ RoomId: "rid-123" }));
      expect(error.code).toBe("ClientError.InvalidResponse");
      expect(error.message).toContain("RoomInfo.ViewCount: the integer 123456789012345678901234567890");
    });
  });
});

describe("public `now` options accept a number (a fixed time) as well as a function", () => {
  const valid: DescribeUserEventRequest = {
    CommId: "1400188366_218695_1590065777",
    StartTime: NOW_S - 3600,
    EndTime: NOW_S,
    UserId: "user-1",
    RoomId: "218695",
    SdkAppId: 1400188366,
  };

  it("generated request validators with time windows: now as a number, a Date or a function agree", () => {
    expect(validateDescribeUserEventRequest(valid, { now: NOW_MS }).ok).toBe(true);
    expect(validateDescribeUserEventRequest(valid, { now: new Date(NOW_MS) }).ok).toBe(true);
    expect(validateDescribeUserEventRequest(valid, { now: () => NOW_MS }).ok).toBe(true);
    // Far later, the same request is outside its window, whichever way the time is given.
    const later = NOW_MS + 400 * 86_400_000;
    expect(validateDescribeUserEventRequest(valid, { now: later }).ok).toBe(false);
    expect(validateDescribeUserEventRequest(valid, { now: () => later }).ok).toBe(false);
    expect(() => validateDescribeUserEventRequest(valid, { now: "soon" as never })).toThrow(/options\.now must be/);
  });

  it("the mock: now as a number is its fixed clock", () => {
    const mock = new Mock(trtcMock, { now: NOW_MS });
    expect(mock.now()).toBe(NOW_MS);
    expect(() => new Mock(trtcMock, { now: "soon" as never })).toThrow(/options\.now must be/);
  });
});
