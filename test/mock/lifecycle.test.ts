// Resource lifecycles end to end: temp specs whose `mock:` create, read, update, delete and list a
// room (a TC3 service from the LCIC metadata, a Chat REST room engine), generated, then driven by
// the generated clients against the mock, in process and over HTTP, and by the official SDK.
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@rtc-apigen/runtime";
import type { createMock as CreateMock, Mock, MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { CHAT, TC3 } from "./support/requests.js";
import { CHAT_OPERATIONS, CHAT_SERVICE, generateTree, TC3_OPERATIONS, TC3_SERVICE, type GeneratedTree } from "./support/lifecycle-specs.js";

type Call = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;
/** Methods answer a payload; `*Items` methods an async iterable (typed loosely: the names come from the temp specs). */
type Client = Record<string, Call>;
type ClientClass = new (options: Record<string, unknown>) => Client;

let tree: GeneratedTree;
let LcicClient: ClientClass;
let ImClient: ClientClass;
let lcicDefinition: MockServiceDefinition;
let imDefinition: MockServiceDefinition;
/** The mock of the runtime generated with the tree (the same code as generated/runtime once that is regenerated). */
let createMock: typeof CreateMock;

beforeAll(async () => {
  tree = await generateTree("mock-lifecycle-", [
    { service: TC3_SERVICE, operations: TC3_OPERATIONS },
    { service: CHAT_SERVICE, operations: CHAT_OPERATIONS },
  ]);
  if (!tree.wrote) return;
  const load = async <T>(id: string, file: string) => (await import(path.join(tree.outDir, id, "src", file))) as T;
  LcicClient = (await load<{ LcicClient: ClientClass }>("lcic", "index.ts")).LcicClient;
  ImClient = (await load<{ ImClient: ClientClass }>("im", "index.ts")).ImClient;
  lcicDefinition = (await load<{ mockDefinition: MockServiceDefinition }>("lcic", "mock.ts")).mockDefinition;
  imDefinition = (await load<{ mockDefinition: MockServiceDefinition }>("im", "mock.ts")).mockDefinition;
  createMock = ((await import(path.join(tree.outDir, "runtime", "src", "mock.ts"))) as { createMock: typeof CreateMock }).createMock;
});
afterAll(() => tree?.cleanup());

it("generates the lifecycle specs without a diagnostic", () => {
  expect(tree.diagnostics).toEqual([]);
  expect(tree.wrote).toBe(true);
});

const common = { retry: false, rateLimit: false, env: {}, validateResponses: "strict" };

async function code(promise: Promise<unknown>): Promise<string | number> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  throw new Error("expected the call to fail");
}

async function all(iterable: unknown): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const x of iterable as AsyncIterable<Record<string, unknown>>) out.push(x);
  return out;
}

const NEW_ROOM = {
  Name: "Algebra 1",
  StartTime: 1767225600,
  EndTime: 1767229200,
  SdkAppId: 3520371,
  Resolution: 2,
  MaxMicNumber: 6,
  SubType: "videodoc",
  TeacherId: "teacher-1",
};

/** The client kinds: the mock's in-process fetch, and a real server on 127.0.0.1. */
const TRANSPORTS = ["fetch", "http"] as const;

describe.each(TRANSPORTS)("TC3 room lifecycle through the generated client (%s)", (transport) => {
  let mock: Mock;
  let lcic: Client;
  let close = async () => {};
  beforeAll(async () => {
    mock = createMock(lcicDefinition, { seed: 5, rateLimit: false });
    let endpoint = "https://lcic.tencentcloudapi.com";
    if (transport === "http") {
      const server = await mock.listen({ port: 0 });
      endpoint = server.url;
      close = () => server.close();
    }
    lcic = new LcicClient({ ...common, credentials: TC3, endpoint, ...(transport === "fetch" ? { fetch: mock.fetch } : {}) });
  });
  afterAll(() => close());

  it("create → read → update → read → list → delete → read answers what was done", async () => {
    const rooms = mock.resources("lcic.room");
    const before = rooms.list().length;
    expect(before).toBe(10); // the seeded population (default)

    const { RoomId } = await lcic.createRoom!(NEW_ROOM);
    expect(typeof RoomId).toBe("number");
    expect(rooms.get(RoomId as number)).toMatchObject({ origin: "created", attributes: { Name: "Algebra 1", SubType: "videodoc" } });

    const read = await lcic.describeRoom!({ RoomId });
    expect(read).toMatchObject({
      Name: "Algebra 1",
      StartTime: 1767225600,
      EndTime: 1767229200,
      SdkAppId: 3520371,
      Resolution: 2,
      MaxMicNumber: 6,
      SubType: "videodoc",
      TeacherId: "teacher-1",
    });

    await lcic.modifyRoom!({ RoomId, SdkAppId: 3520371, Name: "Algebra 2", MaxMicNumber: 8 });
    const reread = await lcic.describeRoom!({ RoomId });
    expect(reread).toMatchObject({ Name: "Algebra 2", MaxMicNumber: 8, SubType: "videodoc", StartTime: 1767225600 });

    const items = await all(lcic.getRoomsItems!({ SdkAppId: 3520371, Limit: 3 }));
    expect(items).toHaveLength(before + 1);
    expect(new Set(items.map((r) => r.RoomId)).size).toBe(before + 1);
    expect(items.find((r) => r.RoomId === RoomId)).toMatchObject({ Name: "Algebra 2", StartTime: 1767225600, EndTime: 1767229200 });
    const first = await lcic.getRooms!({ SdkAppId: 3520371, Page: 1, Limit: 3 });
    expect(first.Total).toBe(before + 1);
    expect(first.Rooms).toHaveLength(3);

    await lcic.deleteRoom!({ RoomId });
    expect(await code(lcic.describeRoom!({ RoomId }))).toBe("ResourceNotFound.Room");
    expect(await code(lcic.modifyRoom!({ RoomId, SdkAppId: 1, Name: "x" }))).toBe("ResourceNotFound.Room");
    expect(await code(lcic.deleteRoom!({ RoomId }))).toBe("ResourceNotFound.Room");
    expect((await lcic.getRooms!({ SdkAppId: 1, Page: 1, Limit: 100 })).Total).toBe(before);
    expect(rooms.get(RoomId as number)).toBeUndefined();
  });

  it("keeps seeded rooms readable, a deleted seeded room deleted, and forgets it all on reset()", async () => {
    const rooms = mock.resources("lcic.room");
    const [seeded] = rooms.keys({ count: 1 }) as number[];
    const [unknown] = rooms.keys({ known: false, count: 1 }) as number[];
    expect(await code(lcic.describeRoom!({ RoomId: unknown }))).toBe("ResourceNotFound.Room");
    const { RequestId: _id, ...read } = await lcic.describeRoom!({ RoomId: seeded });
    expect(await lcic.describeRoom!({ RoomId: seeded })).toMatchObject(read);
    await lcic.deleteRoom!({ RoomId: seeded });
    expect(await code(lcic.describeRoom!({ RoomId: seeded }))).toBe("ResourceNotFound.Room");
    const listed = await all(lcic.getRoomsItems!({ SdkAppId: 1 }));
    expect(listed.map((r) => r.RoomId)).not.toContain(seeded);
    const { RoomId } = await lcic.createRoom!(NEW_ROOM);
    mock.reset();
    expect(rooms.get(RoomId as number)).toBeUndefined();
    expect(await code(lcic.describeRoom!({ RoomId }))).toBe("ResourceNotFound.Room");
    expect(await lcic.describeRoom!({ RoomId: seeded })).toMatchObject(read);
    expect(rooms.list()).toHaveLength(10);
  });

  it("shows the attributes a test puts, in reads and lists", async () => {
    mock.resources("lcic.room").put({ key: 4242, state: "live", attributes: { Name: "Put by a test", MaxMicNumber: 3 } });
    expect(await lcic.describeRoom!({ RoomId: 4242 })).toMatchObject({ Name: "Put by a test", MaxMicNumber: 3 });
    const listed = await all(lcic.getRoomsItems!({ SdkAppId: 1 }));
    expect(listed.find((r) => r.RoomId === 4242)).toMatchObject({ Name: "Put by a test" });
    mock.reset();
  });

  it("narrows a list by a filter holding a list of values, the total counting the matches", async () => {
    const everything = await all(lcic.getRoomsItems!({ SdkAppId: 1 }));
    const wanted = [0, 2];
    const matching = everything.filter((r) => wanted.includes(r.Status as number));
    expect(matching.length).toBeGreaterThan(0);
    expect(matching.length).toBeLessThan(everything.length);
    const narrowed = await all(lcic.getRoomsItems!({ SdkAppId: 1, Status: wanted, Limit: 2 }));
    expect(narrowed.map((r) => r.RoomId)).toEqual(matching.map((r) => r.RoomId));
    expect((await lcic.getRooms!({ SdkAppId: 1, Status: wanted })).Total).toBe(matching.length);
    expect(await all(lcic.getRoomsItems!({ SdkAppId: 1, Status: [] }))).toHaveLength(everything.length);
  });

  it("allocates a new key for each create, and the same keys for the same seed", async () => {
    mock.reset();
    const a = await lcic.createRoom!(NEW_ROOM);
    const b = await lcic.createRoom!(NEW_ROOM);
    expect(a.RoomId).not.toBe(b.RoomId);
    mock.reset();
    expect((await lcic.createRoom!(NEW_ROOM)).RoomId).toBe(a.RoomId);
    mock.reset();
  });
});

describe.each(TRANSPORTS)("Chat REST room lifecycle through the generated client (%s)", (transport) => {
  let mock: Mock;
  let im: Client;
  let close = async () => {};
  beforeAll(async () => {
    mock = createMock(imDefinition, { seed: 9, rateLimit: false });
    let endpoint: string | undefined;
    if (transport === "http") {
      const server = await mock.listen({ port: 0 });
      endpoint = server.url;
      close = () => server.close();
    }
    im = new ImClient({
      ...common,
      credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key },
      ...(endpoint ? { endpoint } : { fetch: mock.fetch }),
    });
  });
  afterAll(() => close());

  it("create (the caller's key) → read → update → read → list → destroy → read", async () => {
    const before = mock.resources("im.room").list().length;
    const room = { RoomId: "math-101", RoomName: "Maths", MaxMemberCount: 50, ScheduleStartTime: 1767225600, ScheduleEndTime: 1767232800 };
    await im.createRoom!({ RoomInfo: room });
    expect(await code(im.createRoom!({ RoomInfo: { RoomId: "math-101" } }))).toBe(100003);
    expect((await im.getRoomInfo!({ RoomId: "math-101" })).RoomInfo).toMatchObject(room);

    await im.updateRoomInfo!({ RoomInfo: { RoomId: "math-101", RoomName: "Maths II" } });
    expect((await im.getRoomInfo!({ RoomId: "math-101" })).RoomInfo).toMatchObject({ ...room, RoomName: "Maths II" });

    const listed = await all(im.getRoomListItems!({ Limit: 4 }));
    expect(listed).toHaveLength(before + 1);
    expect(listed.find((r) => r.RoomId === "math-101")).toMatchObject({ ...room, RoomName: "Maths II" });
    expect((await im.getRoomList!({ Offset: 0, Limit: 1 })).Total).toBe(before + 1);

    await im.destroyRoom!({ RoomId: "math-101" });
    expect(await code(im.getRoomInfo!({ RoomId: "math-101" }))).toBe(100004);
    expect(await code(im.updateRoomInfo!({ RoomInfo: { RoomId: "math-101", RoomName: "x" } }))).toBe(100004);
    expect((await im.getRoomList!({ Offset: 0, Limit: 50 })).Total).toBe(before);
    // Created again after being destroyed: no conflict, the new settings.
    await im.createRoom!({ RoomInfo: { RoomId: "math-101", RoomName: "Again" } });
    expect((await im.getRoomInfo!({ RoomId: "math-101" })).RoomInfo).toMatchObject({ RoomId: "math-101", RoomName: "Again" });
    mock.reset();
    expect(await code(im.getRoomInfo!({ RoomId: "math-101" }))).toBe(100004);
  });

  it("shows a seeded room's key in its answers and lists", async () => {
    const [seeded] = mock.resources("im.room").keys({ count: 1 }) as string[];
    expect((await im.getRoomInfo!({ RoomId: seeded })).RoomInfo).toMatchObject({ RoomId: seeded });
    const listed = await all(im.getRoomListItems!({}));
    expect(listed.map((r) => r.RoomId)).toEqual(
      mock
        .resources("im.room")
        .list()
        .map((r) => r.key),
    );
  });
});

describe("the official SDK (tencentcloud-sdk-nodejs) over HTTP", () => {
  const require = createRequire(import.meta.url);
  type SdkClient = Record<string, (request: unknown) => Promise<Record<string, unknown>>>;
  const LcicSdk = (
    require("tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js") as { Client: new (config: unknown) => SdkClient }
  ).Client;

  it("creates, reads, modifies and deletes a room", async () => {
    const mock = createMock(lcicDefinition, { seed: 2, rateLimit: false });
    const server = await mock.listen({ port: 0 });
    // The real host in the URL (its Host header and credential scope), the connection to the mock.
    const agent = new http.Agent({ keepAlive: true });
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(server.port, "127.0.0.1");
    try {
      const sdk = new LcicSdk({
        credential: { secretId: TC3.secretId, secretKey: TC3.secretKey },
        profile: { httpProfile: { protocol: "http://", agent } },
      });
      const { RoomId } = await sdk["CreateRoom"]!(NEW_ROOM);
      expect(await sdk["DescribeRoom"]!({ RoomId })).toMatchObject({ Name: "Algebra 1", SubType: "videodoc" });
      await sdk["ModifyRoom"]!({ RoomId, SdkAppId: 3520371, Name: "Geometry" });
      expect(await sdk["DescribeRoom"]!({ RoomId })).toMatchObject({ Name: "Geometry", MaxMicNumber: 6 });
      const page = await sdk["GetRooms"]!({ SdkAppId: 3520371, Page: 1, Limit: 100 });
      expect(page["Total"]).toBe(11);
      await sdk["DeleteRoom"]!({ RoomId });
      const error = await sdk["DescribeRoom"]!({ RoomId }).then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      expect(error?.code).toBe("ResourceNotFound.Room");
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});
