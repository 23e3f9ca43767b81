// The lifecycles the real specs declare, through the generated clients and the mock: LCIC rooms
// started and ended (StartRoom, EndRoom) with their Status and the reads that need an ended room,
// error examples, operations keyed by a list, creates of several; Chat Conference and Live rooms
// kept apart.
import { describe, expect, it } from "vitest";
import { ApiError as ChatApiError, ChatClient } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { ApiError, LcicClient } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { realIr } from "../helpers.js";
import { CHAT, TC3 } from "./support/requests.js";

const ir = await realIr();
const lcicIr = ir.services.find((s) => s.id === "lcic")!;

function setup() {
  const mock = createMock([lcicDefinition, chatDefinition], { seed: 11, rateLimit: false });
  const common = { fetch: mock.fetch, retry: false, rateLimit: false, env: {}, validateResponses: "strict" } as const;
  const lcic = new LcicClient({ ...common, credentials: { secretId: TC3.secretId, secretKey: TC3.secretKey } });
  const chat = new ChatClient({ ...common, credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key } });
  return { mock, lcic, chat };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string | number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error instanceof ApiError || error instanceof ChatApiError).toBe(true);
  return error as ApiError;
}

/** A CreateRoom request from the spec's own example. */
function newRoom(): Parameters<LcicClient["createRoom"]>[0] {
  const op = lcicIr.operations.find((o) => o.name === "CreateRoom")!;
  const ex = op.examples.find((e) => !e.contradicts && !e.error && e.requestText)!;
  return JSON.parse(ex.requestText!) as Parameters<LcicClient["createRoom"]>[0];
}

describe("LCIC rooms", () => {
  it("StartRoom and EndRoom move a created room through its states; Status, GetRooms and the reads that need an ended room follow", async () => {
    const { mock, lcic } = setup();
    const request = newRoom();
    const { RoomId } = await lcic.createRoom(request);
    expect((await lcic.describeRoom({ RoomId })).Status).toBe(0);
    expect((await failure(lcic.describeRoomStatistics({ RoomId, Page: 1, Limit: 10 }))).code).toBe("FailedOperation.RoomNotEnd");

    await lcic.startRoom({ RoomId });
    expect((await lcic.describeRoom({ RoomId })).Status).toBe(1);
    await lcic.endRoom({ RoomId });
    expect(mock.resources("lcic.room").state(RoomId)).toBe("ended");
    expect((await lcic.describeRoom({ RoomId })).Status).toBe(2);
    await lcic.describeRoomStatistics({ RoomId, Page: 1, Limit: 10 });
    // GetRoomEvent answers events within the hour after the end (an empty list otherwise).
    expect((await lcic.getRoomEvent({ RoomId, SdkAppId: request.SdkAppId, Page: 1, Limit: 10 })).Total).toBeGreaterThanOrEqual(0);

    const ended = [];
    for await (const r of lcic.getRoomsItems({ SdkAppId: request.SdkAppId, Status: [2] })) ended.push(r);
    expect(ended.find((r) => r.RoomId === RoomId)?.Status).toBe(2);
    expect(ended.every((r) => r.Status === 2)).toBe(true);
  });

  it("answers StartRoom's and EndRoom's error examples to their own requests", async () => {
    const { lcic } = setup();
    for (const name of ["StartRoom", "EndRoom"] as const) {
      const op = lcicIr.operations.find((o) => o.name === name)!;
      const errors = op.examples.filter((e) => e.error);
      expect(errors.length, name).toBeGreaterThan(0);
      for (const ex of errors) {
        const call = name === "StartRoom" ? lcic.startRoom.bind(lcic) : lcic.endRoom.bind(lcic);
        expect((await failure(call(JSON.parse(ex.requestText!) as { RoomId: number }))).code).toBe(ex.error!.code);
      }
    }
  });

  it("creates several rooms with BatchCreateRoom, and checks every room of a key list", async () => {
    const { lcic } = setup();
    const { SdkAppId, ...room } = newRoom();
    const { RoomIds } = await lcic.batchCreateRoom({
      SdkAppId,
      RoomInfos: [
        { ...room, Name: "one" },
        { ...room, Name: "two" },
      ] as never,
    });
    expect(RoomIds).toHaveLength(2);
    expect((await lcic.describeRoom({ RoomId: RoomIds[0]! })).Name).toBe("one");
    expect((await lcic.describeRoom({ RoomId: RoomIds[1]! })).Name).toBe("two");
    await lcic.batchDeleteRecord({ SdkAppId, RoomIds });
    const missing = await failure(lcic.batchDeleteRecord({ SdkAppId, RoomIds: [RoomIds[0]!, 999_999_999] }));
    expect(missing.code).toBe("ResourceNotFound.Room");
  });
});

describe("Chat rooms", () => {
  it("keeps Conference and Live rooms apart: a Live read does not see a Conference room", async () => {
    const { chat } = setup();
    await chat.createConferenceRoom({ RoomInfo: { RoomId: "kinds-1", RoomName: "meeting", RoomType: "Conference" } } as never);
    expect((await chat.getConferenceRoomInfo({ RoomId: "kinds-1" })).RoomInfo).toMatchObject({ RoomId: "kinds-1", RoomName: "meeting" });
    expect((await failure(chat.getLiveRoomInfo({ RoomId: "kinds-1" }))).code).toBe(100004);

    await chat.createLiveRoom({ RoomInfo: { RoomId: "kinds-1", RoomName: "show", RoomType: "Live" } } as never);
    expect((await chat.getLiveRoomInfo({ RoomId: "kinds-1" })).RoomInfo).toMatchObject({ RoomName: "show", RoomType: "Live" });
    expect((await chat.getConferenceRoomInfo({ RoomId: "kinds-1" })).RoomInfo.RoomName).toBe("meeting");
  });
});
