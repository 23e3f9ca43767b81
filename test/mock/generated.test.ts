// The mock with the real generated definitions, driven by the generated clients through the
// in-process fetch: examples, the specs' mock rules (LCIC room lifecycle, Chat 100004, TRTC
// regions and time windows), pagination through the client's iterators, and answers that pass the
// generated response validators in strict mode.
import { describe, expect, it } from "vitest";
import { ChatClient } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { LcicClient } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { TrtcClient } from "../../generated/trtc/src/index.js";
import { mockDefinition as trtcDefinition } from "../../generated/trtc/src/mock.js";
import { ApiError } from "../../generated/lcic/src/index.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { CHAT, TC3, tc3Code, tc3Request } from "./support/requests.js";

const definitions = [lcicDefinition, chatDefinition, trtcDefinition];

function setup(seed = 1, population?: number) {
  const mock = createMock(definitions, { seed, rateLimit: false, population });
  const common = { fetch: mock.fetch, retry: false as const, rateLimit: false, env: {}, validateResponses: "strict" as const };
  const lcic = new LcicClient({ ...common, credentials: TC3, endpoint: "https://lcic.tencentcloudapi.com" });
  const chat = new ChatClient({ ...common, credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key } });
  const trtc = new TrtcClient({ ...common, credentials: TC3, region: "ap-singapore" });
  return { mock, lcic, chat, trtc };
}

async function code(promise: Promise<unknown>): Promise<string | number> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  throw new Error("expected the call to fail");
}

describe("LCIC", () => {
  it("serves the spec's example through the generated client", async () => {
    const { lcic } = setup();
    const response = await lcic.getRoomEvent({ RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" });
    expect(response.Total).toBe(1);
    expect(response.Events?.[0]?.EventData?.UserId).toBe("2d3FgsZRRB2EbRu5Cwe8Rd7R6Bc");
    const stats = await lcic.describeRoomStatistics({ RoomId: 1, Page: 1, Limit: 1 });
    expect(stats.MemberRecords[0]?.GroupId).toBe("2CvDgjRNjylAs");
  });

  it("answers FailedOperation.RoomNotEnd for statistics of a room not ended, ResourceNotFound.Room for an unknown one", async () => {
    const { mock, lcic } = setup();
    const rooms = mock.resources("lcic.room");
    const [live] = rooms.keys({ state: "live", count: 1 }) as number[];
    const [unknown] = rooms.keys({ known: false, count: 1 }) as number[];
    expect(await code(lcic.describeRoomStatistics({ RoomId: live!, Page: 1, Limit: 10 }))).toBe("FailedOperation.RoomNotEnd");
    expect(await code(lcic.describeRoomStatistics({ RoomId: unknown!, Page: 1, Limit: 10 }))).toBe("ResourceNotFound.Room");
    expect(await code(lcic.getRoomEvent({ RoomId: unknown!, SdkAppId: 1, Page: 1, Limit: 10 }))).toBe("ResourceNotFound.Room");
  });

  it("answers no events outside the hour after the class ends", async () => {
    const { mock, lcic } = setup();
    mock.resources("lcic.room").put({ key: 77, startedAt: "-5h", endedAt: "-2h" });
    const response = await lcic.getRoomEvent({ RoomId: 77, SdkAppId: 1, Page: 1, Limit: 10 });
    expect(response).toMatchObject({ Total: 0, Events: [] });
  });

  it("filters a room's events by Keyword as the page says: every event of the type, Page and Limit ignored, Total unaffected", async () => {
    const { mock, lcic } = setup(3);
    const rooms = mock.resources("lcic.room");
    const recent = (rooms.keys({ state: "ended", count: 200 }) as number[]).filter((k) => Date.now() - rooms.get(k)!.endedAt! < 3_000_000);
    let checked = 0;
    for (const RoomId of recent.slice(0, 10)) {
      const whole = await lcic.getRoomEvent({ RoomId, SdkAppId: 1, Page: 1, Limit: 200 });
      const type = whole.Events?.[0]?.EventType;
      if (type === undefined) continue;
      const only = await lcic.getRoomEvent({ RoomId, SdkAppId: 1, Page: 3, Limit: 1, Keyword: type });
      expect(only.Total).toBe(whole.Total);
      expect(only.Events).toEqual(whole.Events!.filter((e) => e.EventType === type));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("pages through a seeded room with the client's iterator: Total items, none twice", async () => {
    const { mock, lcic } = setup(9);
    const rooms = mock.resources("lcic.room").keys({ state: "ended", count: 5 }) as number[];
    for (const RoomId of rooms) {
      const first = await lcic.describeRoomStatistics({ RoomId, Page: 1, Limit: 7 });
      const all = [];
      for await (const item of lcic.describeRoomStatisticsItems({ RoomId, Limit: 7 })) all.push(item);
      expect(all).toHaveLength(first.Total);
      expect(new Set(all.map((m) => JSON.stringify(m))).size).toBe(first.Total);
    }
  });

  it("answers a seeded page alike each time (a kept envelope with a fresh RequestId), and put items replace it", async () => {
    const { mock, lcic } = setup(9);
    const [RoomId] = mock.resources("lcic.room").keys({ state: "ended", count: 1 }) as number[];
    const first = await lcic.describeRoomStatistics({ RoomId: RoomId!, Page: 2, Limit: 3 });
    const again = await lcic.describeRoomStatistics({ RoomId: RoomId!, Page: 2, Limit: 3 });
    const emptyPage = await lcic.describeRoomStatistics({ RoomId: RoomId!, Page: 999, Limit: 3 });
    expect(again.RequestId).not.toBe(first.RequestId);
    expect({ ...again, RequestId: "" }).toEqual({ ...first, RequestId: "" });
    expect(emptyPage.MemberRecords).toEqual([]);
    expect(emptyPage.Total).toBe(first.Total);
    // The room put with its own items: the kept seeded page no longer answers for it.
    const record = {
      UserId: "put-user",
      UserName: "P",
      PresentTime: 1,
      Camera: 0,
      Mic: 0,
      Silence: 0,
      AnswerQuestions: 0,
      HandUps: 0,
      FirstJoinTimestamp: 1,
      LastQuitTimestamp: 2,
      Rewords: 0,
      IPAddress: "",
      Location: "",
      Device: 0,
      PerMemberMicCount: 0,
      PerMemberMessageCount: 0,
      Role: 0,
      GroupId: "",
      SubGroupId: [],
      Stage: 0,
      CurrentState: 0,
    };
    mock
      .resources("lcic.room")
      .put({ key: RoomId!, state: "ended", items: { describeRoomStatistics: [record, record, record, { ...record, UserId: "fourth" }] } });
    const put = await lcic.describeRoomStatistics({ RoomId: RoomId!, Page: 2, Limit: 3 });
    expect(put.Total).toBe(4);
    expect(put.MemberRecords?.map((m) => m.UserId)).toEqual(["fourth"]);
  });

  it("injected errors reach the client as ApiErrors with the code", async () => {
    const { mock, lcic } = setup();
    mock.injectError("lcic.getRoomEvent", "InvalidParameter.SdkAppId");
    expect(await code(lcic.getRoomEvent({ RoomId: 1, SdkAppId: 1, Page: 1, Limit: 10 }))).toBe("InvalidParameter.SdkAppId");
  });
});

describe("Chat", () => {
  it("serves the examples and keeps the 64-bit Owner_Account exact", async () => {
    const { chat } = setup();
    const conference = await chat.getConferenceRoomInfo({ RoomId: "room-test" });
    expect(conference.RoomInfo.RoomName).toBe("room-name-test");
    const [example] = chatDefinition.examples.filter((e) => e.method === "getLiveRoomInfo");
    const live = await chat.getLiveRoomInfo(example!.request as { RoomId: string });
    expect(live).toEqual(example!.response);
  });

  it("answers 100004 for an unknown room", async () => {
    const { mock, chat } = setup();
    const [unknown] = mock.resources("chat.live-room").keys({ known: false, count: 1 }) as string[];
    expect(await code(chat.getLiveRoomInfo({ RoomId: unknown! }))).toBe(100004);
  });
});

describe("TRTC", () => {
  it("answers a seeded call in a supported region, and UnsupportedRegion elsewhere", async () => {
    const { mock, trtc } = setup();
    const now = Math.floor(Date.now() / 1000);
    const request = {
      CommId: "1400188366_218695_1590065777",
      StartTime: now - 600,
      EndTime: now,
      UserId: "u1",
      RoomId: "1400",
      SdkAppId: 1400188366,
    };
    const response = await trtc.describeUserEvent(request);
    expect(Array.isArray(response.Data)).toBe(true);
    // The client checks regions itself, so the mock's answer is seen with a hand-signed request.
    const base = { action: "DescribeUserEvent", body: request, service: "trtc", version: "2019-07-22", host: "trtc.tencentcloudapi.com" };
    expect(tc3Code(mock.respond(tc3Request({ ...base, region: "ap-singapore" }, Date.now())))).toBeNull();
    expect(tc3Code(mock.respond(tc3Request({ ...base, region: "na-toronto" }, Date.now())))).toBe("UnsupportedRegion");
    expect(tc3Code(mock.respond(tc3Request(base, Date.now())))).toBe("UnsupportedRegion");
  });

  it("maps the documented time windows (lookback → InvalidParameter.StartTsOversize)", async () => {
    const { mock } = setup();
    const trtc = new TrtcClient({ fetch: mock.fetch, credentials: TC3, env: {}, retry: false, region: "ap-singapore", validateRequests: "off" });
    const now = Math.floor(Date.now() / 1000);
    const old = { CommId: "1400188366_218695_1590065777", StartTime: now - 20 * 86400, EndTime: now, UserId: "u1", RoomId: "1400", SdkAppId: 1 };
    expect(await code(trtc.describeUserEvent(old))).toBe("InvalidParameter.StartTsOversize");
  });
});

describe("every answer of the seeded store passes the generated response validators (strict)", () => {
  it("for many keys of every operation", async () => {
    // Rooms can be created, so only the seeded population exists: make it large enough.
    const { mock, lcic, chat } = setup(3, 40);
    let checked = 0;
    for (const RoomId of mock.resources("lcic.room").keys({ count: 40 }) as number[]) {
      for (const call of [
        () => lcic.getRoomEvent({ RoomId, SdkAppId: 1, Page: 1, Limit: 50 }),
        () => lcic.describeRoomStatistics({ RoomId, Page: 2, Limit: 5 }),
      ]) {
        // strict validateResponses throws ClientError.InvalidResponse on any drift.
        await call().then(
          () => checked++,
          (e: ApiError) => expect(["FailedOperation.RoomNotEnd"]).toContain(e.code),
        );
      }
    }
    // Conference and Live rooms are two resources: each read gets the rooms of its own kind.
    for (const RoomId of mock.resources("chat.conference-room").keys({ count: 40 }) as string[]) {
      await chat.getConferenceRoomInfo({ RoomId });
      checked++;
    }
    for (const RoomId of mock.resources("chat.live-room").keys({ count: 40 }) as string[]) {
      await chat.getLiveRoomInfo({ RoomId });
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });
});
