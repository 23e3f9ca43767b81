// The real specs that page by cursor or answer beside the Chat envelope, through the generated
// clients against the mock: LCIC GetRoomMessage (the messages before Seq), Chat Live
// get_room_list over the rooms created, get_banned_member_list's NextOffset, and the gift getters.
// Which operations page by cursor is read from the metadata, not listed here.
import { describe, expect, it } from "vitest";
import { ChatClient, metadata as chatMetadata } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { LcicClient, metadata as lcicMetadata } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { CHAT, TC3 } from "./support/requests.js";

function setup() {
  const mock = createMock([lcicDefinition, chatDefinition], { seed: 4, rateLimit: false });
  const bodies: string[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const response = await mock.fetch(url, init);
    bodies.push(await response.clone().text());
    return response;
  };
  const common = { fetch, retry: false as const, rateLimit: false, env: {}, validateResponses: "strict" as const };
  const lcic = new LcicClient({ ...common, credentials: TC3, endpoint: "https://lcic.tencentcloudapi.com" });
  const chat = new ChatClient({ ...common, credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key } });
  return { mock, lcic, chat, bodies };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

it("the specs that page by cursor include the ones the pages describe that way", () => {
  const cursors = [...Object.entries(lcicMetadata.operations), ...Object.entries(chatMetadata.operations)]
    .filter(([, op]) => op.pagination?.style === "cursor")
    .map(([method]) => method)
    .sort();
  expect(cursors).toEqual(expect.arrayContaining(["getConferenceRoomMemberList", "getLiveMemberList", "getLiveRoomList", "getRoomMessage"]));
});

describe("LCIC GetRoomMessage: the messages before Seq", () => {
  it("pages backwards, each page's smallest Seq the next cursor, and covers what one unpaged call answers", async () => {
    const { mock, lcic } = setup();
    const room = Number(mock.resources("lcic.room").keys({ count: 1 })[0]);
    const request = { SdkAppId: 3520371, RoomId: room };
    const whole = await lcic.getRoomMessage(request);
    expect(whole.Messages.length).toBeGreaterThan(3);
    const pages = await all(lcic.getRoomMessagePages({ ...request, Limit: 3 }));
    const seqs = pages.map((p) => p.Messages.map((m) => m.Seq as number));
    // Each page holds messages before (below) the previous page's.
    for (let i = 1; i < seqs.length; i++) expect(Math.max(...seqs[i]!)).toBeLessThan(Math.min(...seqs[i - 1]!));
    expect(seqs.flat().sort((a, b) => a - b)).toEqual(whole.Messages.map((m) => m.Seq as number).sort((a, b) => a - b));
  });
});

describe("Chat Live get_room_list", () => {
  it("lists the Live rooms that exist, created ones included, following Next until it is empty", async () => {
    const { mock, chat } = setup();
    const before = mock.resources("chat.live-room").list().length;
    const made = ["cursor-room-a", "cursor-room-b", "cursor-room-c"];
    for (const RoomId of made) await chat.createLiveRoom({ RoomInfo: { RoomId, RoomType: "Live", RoomName: `name of ${RoomId}` } });
    const pages = await all(chat.getLiveRoomListPages({ Count: 4 }));
    const rooms = pages.flatMap((p) => p.RoomList);
    expect(rooms).toHaveLength(before + made.length);
    expect(new Set(rooms.map((r) => r.RoomId)).size).toBe(rooms.length);
    for (const RoomId of made) expect(rooms.find((r) => r.RoomId === RoomId)?.RoomName).toBe(`name of ${RoomId}`);
    expect(pages.slice(0, -1).every((p) => p.RoomList.length === 4 && p.Next !== "")).toBe(true);
    expect(pages.at(-1)!.Next).toBe("");
  });
});

describe("Chat get_banned_member_list: Offset takes NextOffset, 0 ends the list", () => {
  it("answers NextOffset as the next page's offset and 0 on the last page", async () => {
    const { mock, chat } = setup();
    const room = String(mock.resources("chat.live-room").keys({ count: 1 })[0]);
    const pages = await all(chat.getLiveBannedMemberListPages({ RoomId: room, Limit: 2 }));
    const whole = await chat.getLiveBannedMemberList({ RoomId: room, Limit: 100 });
    expect(pages.flatMap((p) => p.BannedAccountList)).toEqual(whole.BannedAccountList);
    let offset = 0;
    for (const page of pages.slice(0, -1)) expect(page.NextOffset).toBe((offset += page.BannedAccountList.length));
    expect(pages.at(-1)!.NextOffset).toBe(0);
  });
});

describe("Chat gift getters: the data beside ActionStatus", () => {
  it("get_gift answers the gift add_gift stored, at the top level of the body", async () => {
    const { chat, bodies } = setup();
    await chat.addLiveGift({ GiftId: "tulip", Coins: 5, DefaultName: "Tulip", Level: 2 });
    const got = await chat.getLiveGift({ GiftId: "tulip" });
    expect(got.GiftInfo).toMatchObject({ GiftId: "tulip", Coins: 5, DefaultName: "Tulip", Level: 2 });
    const wire = JSON.parse(bodies.at(-1)!) as Record<string, unknown>;
    expect(wire).toMatchObject({ ActionStatus: "OK", GiftInfo: { GiftId: "tulip" } });
    expect(wire).not.toHaveProperty("Response");
  });

  it("every operation answering beside the envelope returns its example through the client", async () => {
    const { chat } = setup();
    const beside = Object.entries(chatMetadata.operations).filter(([, op]) => "payloadAt" in op && op.payloadAt === "envelope");
    expect(beside.length).toBeGreaterThanOrEqual(5);
    const call = chat as unknown as Record<string, (request: unknown) => Promise<unknown>>;
    for (const [method] of beside) {
      const example = chatDefinition.examples.find((e) => e.method === method);
      if (!example) continue;
      expect(await call[method]!(example.request), method).toEqual(example.response);
    }
  });
});
