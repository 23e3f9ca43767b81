// The Live room engine (live_engine_http_srv) end to end: the generated Chat client against the
// mock built from specs/chat. The specs' lifecycle rules chain create, read, update and delete of
// a room, and the commands that return nothing resolve to {}; the mock answers, and the client
// accepts, the envelope those commands are documented with.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../generated/chat/src/index.js";
import { chatOnMock } from "./support/chat-setup.js";

const setup = () => chatOnMock(3);

async function code(promise: Promise<unknown>): Promise<string | number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return (error as ApiError).code;
}

const ROOM = "live-lifecycle-1";

describe("Live rooms", () => {
  it("are created, read, renamed, handed over and destroyed", async () => {
    const { chat } = setup();
    await chat.createLiveRoom({ RoomInfo: { RoomId: ROOM, RoomType: "Live", RoomName: "first", Owner_Account: "host1" } });
    expect(await code(chat.createLiveRoom({ RoomInfo: { RoomId: ROOM, RoomType: "Live" } }))).toBe(100003);

    const read = await chat.getLiveRoomInfo({ RoomId: ROOM });
    expect(read.RoomInfo).toMatchObject({ RoomId: ROOM, RoomName: "first" });

    await chat.updateLiveRoomInfo({ RoomInfo: { RoomId: ROOM, RoomName: "second", Category: [4] } });
    expect(await chat.changeLiveRoomOwner({ RoomId: ROOM, NewOwner_Account: "host2" })).toEqual({});
    expect((await chat.getLiveRoomInfo({ RoomId: ROOM })).RoomInfo).toMatchObject({ RoomName: "second", Category: [4] });

    expect(await chat.destroyLiveRoom({ RoomId: ROOM })).toEqual({});
    expect(await code(chat.getLiveRoomInfo({ RoomId: ROOM }))).toBe(100004);
    expect(await code(chat.banLiveMember({ RoomId: ROOM, MemberList_Account: ["u1"], Duration: 60 }))).toBe(100004);
  });

  it("refuse a ban of more than 20 members before it is sent", async () => {
    const { chat } = setup();
    const many = Array.from({ length: 21 }, (_, i) => `u${i}`);
    expect(await code(chat.banLiveMember({ RoomId: ROOM, MemberList_Account: many, Duration: 60 }))).toBe("ClientError.Validation");
  });
});
