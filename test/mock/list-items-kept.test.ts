// A resource list (Chat Live get_room_list) keeps each room's drawn item and its written text
// between requests; what it answers must still follow the store: an update shows, a delete goes,
// a create appears, and reset() brings back the seeded rooms as they were.
import { describe, expect, it } from "vitest";
import { genUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { chatOnMock } from "./support/chat-setup.js";
import { CHAT } from "./support/requests.js";

const setup = () => chatOnMock(11);

describe("Chat Live get_room_list with kept items", () => {
  it("answers the same rooms, byte for byte apart from the RequestId, while nothing changes", async () => {
    const { mock } = setup();
    const ask = async () =>
      (
        await (
          await mock.fetch(`https://console.tim.qq.com/v4/live_engine_http_srv/get_room_list?${query()}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: '{"Next":"","Count":20}',
          })
        ).text()
      ).replace(/"RequestId":"[^"]*"/, "");
    const first = await ask();
    expect(first).toContain('"ActionStatus":"OK"');
    expect(await ask()).toBe(first);
  });

  it("shows an update, drops a deleted room and lists a created one", async () => {
    const { mock, chat } = setup();
    const list = async () => {
      const rooms = [];
      for await (const page of chat.getLiveRoomListPages({ Count: 20 })) rooms.push(...page.RoomList);
      return rooms;
    };
    const before = await list();
    expect(before.length).toBeGreaterThan(2);
    const [renamed, deleted] = before;
    await chat.updateLiveRoomInfo({ RoomInfo: { RoomId: renamed!.RoomId, RoomName: "renamed room" } });
    await chat.destroyLiveRoom({ RoomId: deleted!.RoomId });
    await chat.createLiveRoom({ RoomInfo: { RoomId: "kept-items-new", RoomType: "Live", RoomName: "new room" } });
    const after = await list();
    expect(after.find((r) => r.RoomId === renamed!.RoomId)?.RoomName).toBe("renamed room");
    expect(after.find((r) => r.RoomId === deleted!.RoomId)).toBeUndefined();
    expect(after.find((r) => r.RoomId === "kept-items-new")?.RoomName).toBe("new room");
    // The other rooms are listed as before.
    expect(after.filter((r) => r.RoomId !== renamed!.RoomId && r.RoomId !== "kept-items-new")).toEqual(before.slice(2));
    mock.reset();
    expect(await list()).toEqual(before);
  });
});

function query(): string {
  return new URLSearchParams({
    sdkappid: String(CHAT.sdkAppId),
    identifier: CHAT.identifier,
    usersig: USERSIG,
    random: "1",
    contenttype: "json",
  }).toString();
}

const USERSIG = genUserSig({ sdkAppId: CHAT.sdkAppId, key: CHAT.key, identifier: CHAT.identifier, expireSeconds: 86400 });
