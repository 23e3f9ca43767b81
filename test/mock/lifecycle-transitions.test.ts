// What the mock format says beyond create/read/update/delete/list, end to end on temp specs:
// updates that move a resource's lifecycle state (`sets`), a status field tied to that state
// (`attributes.state`), keys given as a list (`key: RoomIds[]`), creates of several
// (`keyFrom: response.RoomIds[]`), and examples whose response is the protocol's error answer.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@rtc-apigen/runtime";
import type { createMock as CreateMock, Mock, MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { buildIr } from "../../generator/ir/build-ir.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { snippetRequest } from "../../generator/emit/usage-snippet.js";
import { CHAT, TC3 } from "./support/requests.js";
import { CHAT_OPERATIONS, CHAT_SERVICE, generateTree, TC3_OPERATIONS, TC3_SERVICE, type GeneratedTree } from "./support/lifecycle-specs.js";

type Spec = Record<string, unknown>;
type Call = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;
type ClientClass = new (options: Record<string, unknown>) => Record<string, Call>;

const uint = (description: string, extra: Spec = {}): Spec => ({ type: "uint64", js: "number", description, ...extra });
const REQUEST_ID = { RequestId: { type: "string", required: true, description: "The request ID." } };
const NOT_FOUND = { code: "ResourceNotFound.Room", description: "The room does not exist.", retryable: false };
const NOT_ENDED = { code: "FailedOperation.RoomNotEnd", description: "The class has not ended.", retryable: false };
const STATUS = { field: "Status", values: { "not-started": 0, live: 1, ended: 2 } };

const tc3Op = (name: string, mock: Spec, request: Record<string, Spec>, response: Record<string, Spec>, extra: Spec = {}): Spec => ({
  name,
  action: name,
  summary: `${name} (transitions test).`,
  description: `${name}, for the transition tests.`,
  source: "ref",
  mock,
  request: { fields: request },
  response: { fields: { ...response, ...REQUEST_ID } },
  errors: [NOT_FOUND, NOT_ENDED],
  examples: [],
  ...extra,
});

/** The lifecycle test service's rooms, with their status tied to the state, and the operations that move it. */
function tc3Operations(): Spec[] {
  const ops = structuredClone(TC3_OPERATIONS).map((o) => {
    if (o.name === "DescribeRoom" || o.name === "GetRooms") (o.mock as Spec).attributes = { state: STATUS };
    return o;
  });
  const roomId = { RoomId: uint("Room ID.", { required: true, example: 3123456789 }) };
  const errorExample = (roomId: number) => ({
    title: "An unknown room",
    source: "ref",
    request: JSON.stringify({ RoomId: roomId }),
    response: JSON.stringify({ Response: { Error: { Code: "ResourceNotFound.Room", Message: "The room does not exist." }, RequestId: "r-1" } }),
  });
  const roomInfo = { type: "BatchRoomInfo[]", required: true, description: "The rooms." };
  return [
    ...ops,
    tc3Op(
      "StartRoom",
      { resource: "room", action: "update", key: "RoomId", notFound: "ResourceNotFound.Room", sets: { state: "live" } },
      roomId,
      {},
      { examples: [errorExample(11111)] },
    ),
    tc3Op("EndRoom", { resource: "room", action: "update", key: "RoomId", notFound: "ResourceNotFound.Room", sets: { state: "ended" } }, roomId, {}),
    tc3Op(
      "GetRoomStats",
      { resource: "room", key: "RoomId", notFound: "ResourceNotFound.Room", requires: [{ state: "ended", error: "FailedOperation.RoomNotEnd" }] },
      roomId,
      { Total: uint("Members.", { required: true }) },
    ),
    tc3Op(
      "DeleteRooms",
      { resource: "room", action: "delete", key: "RoomIds[]", notFound: "ResourceNotFound.Room" },
      { RoomIds: { type: "uint64[]", js: "number", required: true, description: "Rooms." } },
      {},
    ),
    tc3Op(
      "BatchCreateRoom",
      { resource: "room", action: "create", keyFrom: "response.RoomIds[]", attributes: { in: "RoomInfos" } },
      { SdkAppId: uint("LCIC SdkAppId.", { required: true }), RoomInfos: roomInfo },
      { RoomIds: { type: "uint64[]", js: "number", required: true, description: "The new rooms, in order." } },
      {
        types: {
          BatchRoomInfo: {
            description: "One room to create.",
            fields: {
              Name: { type: "string", required: true, description: "Room name.", maxLength: 64 },
              MaxMicNumber: uint("Mics.", { minimum: 0, maximum: 16 }),
            },
          },
        },
      },
    ),
  ];
}

/** The Chat room engine test service, with an example of an unknown room answered as the protocol's error. */
function chatOperations(): Spec[] {
  return structuredClone(CHAT_OPERATIONS).map((o) => {
    if (o.name !== "GetRoomInfo") return o;
    return {
      ...o,
      examples: [
        {
          title: "An unknown room",
          source: "ref",
          request: JSON.stringify({ RoomId: "gone-room" }),
          response: JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 100004, ErrorInfo: "room not exist", RequestId: "Id-1" }),
        },
        {
          title: "A room the examples show",
          source: "ref",
          request: JSON.stringify({ RoomId: "shown-room" }),
          response: JSON.stringify({
            ActionStatus: "OK",
            ErrorCode: 0,
            ErrorInfo: "",
            Response: { RoomInfo: { RoomId: "shown-room", RoomName: "shown" } },
          }),
        },
      ],
    };
  });
}

let tree: GeneratedTree;
let lcic: Record<string, Call>;
let im: Record<string, Call>;
let mock: Mock;

beforeAll(async () => {
  tree = await generateTree("mock-transitions-", [
    { service: TC3_SERVICE, operations: tc3Operations() },
    { service: CHAT_SERVICE, operations: chatOperations() },
  ]);
  if (!tree.wrote) return;
  const load = async <T>(id: string, file: string) => (await import(path.join(tree.outDir, id, "src", file))) as T;
  const createMock = ((await import(path.join(tree.outDir, "runtime", "src", "mock.ts"))) as { createMock: typeof CreateMock }).createMock;
  const defs = [
    (await load<{ mockDefinition: MockServiceDefinition }>("lcic", "mock.ts")).mockDefinition,
    (await load<{ mockDefinition: MockServiceDefinition }>("im", "mock.ts")).mockDefinition,
  ];
  mock = createMock(defs, { seed: 3, rateLimit: false });
  const common = { retry: false, rateLimit: false, env: {}, validateResponses: "strict", fetch: mock.fetch };
  lcic = new (await load<{ LcicClient: ClientClass }>("lcic", "index.ts")).LcicClient({
    ...common,
    credentials: TC3,
    endpoint: "https://lcic.tencentcloudapi.com",
  });
  im = new (await load<{ ImClient: ClientClass }>("im", "index.ts")).ImClient({ ...common, credentials: CHAT });
});
afterAll(() => tree?.cleanup());

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the call to fail");
}

const NEW_ROOM = {
  Name: "Algebra 1",
  StartTime: 1767225600,
  EndTime: 1767229200,
  SdkAppId: 3520371,
  Resolution: 2,
  MaxMicNumber: 6,
  SubType: "videodoc",
};

it("generates the specs without a diagnostic", () => {
  expect(tree.diagnostics).toEqual([]);
  expect(tree.wrote).toBe(true);
});

describe("state transitions", () => {
  it("a created room waits, not started, until StartRoom makes it live and EndRoom ends it; Status and the requires rules follow", async () => {
    mock.reset();
    const { RoomId } = await lcic.createRoom!(NEW_ROOM);
    const rooms = mock.resources("lcic.room");
    expect(rooms.state(RoomId as number)).toBe("not-started");
    expect((await lcic.describeRoom!({ RoomId })).Status).toBe(0);
    expect((await failure(lcic.getRoomStats!({ RoomId }))).code).toBe("FailedOperation.RoomNotEnd");

    await lcic.startRoom!({ RoomId });
    expect(rooms.state(RoomId as number)).toBe("live");
    expect((await lcic.describeRoom!({ RoomId })).Status).toBe(1);
    expect((await failure(lcic.getRoomStats!({ RoomId }))).code).toBe("FailedOperation.RoomNotEnd");

    await lcic.endRoom!({ RoomId });
    expect(rooms.state(RoomId as number)).toBe("ended");
    const read = await lcic.describeRoom!({ RoomId });
    expect(read).toMatchObject({ Status: 2, Name: "Algebra 1" });
    expect(await lcic.getRoomStats!({ RoomId })).toHaveProperty("Total");

    // The list shows each room's state, and its Status filter sees the change.
    const ended = await lcic.getRooms!({ SdkAppId: 1, Status: [2], Page: 1, Limit: 100 });
    expect((ended.Rooms as Array<Record<string, unknown>>).find((r) => r.RoomId === RoomId)).toMatchObject({ Status: 2 });
    for (const room of ended.Rooms as Array<Record<string, unknown>>) expect(rooms.state(room.RoomId as number)).toBe("ended");
    const notStarted = await lcic.getRooms!({ SdkAppId: 1, Status: [0], Page: 1, Limit: 100 });
    expect((notStarted.Rooms as Array<Record<string, unknown>>).some((r) => r.RoomId === RoomId)).toBe(false);
  });

  it("every seeded room shows the Status of its state", async () => {
    mock.reset();
    const rooms = mock.resources("lcic.room");
    const values = { "not-started": 0, live: 1, ended: 2 } as const;
    for (const key of rooms.keys({ count: 10 }) as number[])
      expect((await lcic.describeRoom!({ RoomId: key })).Status).toBe(values[rooms.state(key)!]);
  });

  it("reset() forgets a transition", async () => {
    mock.reset();
    const [seeded] = mock.resources("lcic.room").keys({ count: 1, state: "ended" }) as number[];
    await lcic.startRoom!({ RoomId: seeded });
    expect(mock.resources("lcic.room").state(seeded!)).toBe("live");
    mock.reset();
    expect(mock.resources("lcic.room").state(seeded!)).toBe("ended");
  });
});

describe("error examples", () => {
  it("TC3: the example's request gets the example's error, other requests the usual answer", async () => {
    mock.reset();
    const error = await failure(lcic.startRoom!({ RoomId: 11111 }));
    expect(error.code).toBe("ResourceNotFound.Room");
    expect(error.message).toContain("The room does not exist.");
    // A room a test puts under that key is there, and starts.
    mock.resources("lcic.room").put({ key: 11111, state: "not-started" });
    await lcic.startRoom!({ RoomId: 11111 });
    expect(mock.resources("lcic.room").state(11111)).toBe("live");
  });

  it("Chat REST: ActionStatus FAIL with its ErrorCode and ErrorInfo", async () => {
    mock.reset();
    const error = await failure(im.getRoomInfo!({ RoomId: "gone-room" }));
    expect(error.code).toBe(100004);
    expect(error.message).toContain("room not exist");
    mock.resources("im.room").put({ key: "gone-room" });
    expect(await im.getRoomInfo!({ RoomId: "gone-room" })).toHaveProperty("RoomInfo");
  });

  it("the usage snippet skips an error example; the key field's example names a room the mock knows", async () => {
    const ir = buildIr(await loadSpecs(path.join(tree.dir, "specs"), tree.dir));
    const service = ir.services.find((s) => s.id === "lcic")!;
    const op = service.operations.find((o) => o.name === "StartRoom")!;
    expect(op.examples[0]!.error).toEqual({ code: "ResourceNotFound.Room", message: "The room does not exist." });
    expect(op.examples[0]!.responsePayload).toBeUndefined();
    expect(snippetRequest(service, op)).toEqual({ RoomId: 3123456789 });
    // The page shows the example as an error, and its usage snippet calls the room the mock knows.
    const page = readFileSync(path.join(tree.outDir, "lcic", "docs", "StartRoom.md"), "utf8");
    expect(page).toContain("Response: an error, `ResourceNotFound.Room` (The room does not exist.)");
    expect(page).toContain("client.startRoom({ RoomId: 3123456789 })");
    mock.reset();
    expect(await lcic.startRoom!({ RoomId: 3123456789 })).toHaveProperty("RequestId");
  });
});

it("a create may take a key that only the spec's examples hold; a second create of it conflicts", async () => {
  mock.reset();
  expect((await im.getRoomInfo!({ RoomId: "shown-room" })).RoomInfo).toMatchObject({ RoomName: "shown" });
  await im.createRoom!({ RoomInfo: { RoomId: "shown-room", RoomName: "mine" } });
  expect((await im.getRoomInfo!({ RoomId: "shown-room" })).RoomInfo).toMatchObject({ RoomName: "mine" });
  expect((await failure(im.createRoom!({ RoomInfo: { RoomId: "shown-room" } }))).code).toBe(100003);
});

describe("operations keyed by a list", () => {
  it("a delete of a key list deletes each room; one unknown key answers notFound and deletes none", async () => {
    mock.reset();
    const rooms = mock.resources("lcic.room");
    const [a, b, c] = rooms.keys({ count: 3 }) as number[];
    const [unknown] = rooms.keys({ known: false, count: 1 }) as number[];
    const error = await failure(lcic.deleteRooms!({ RoomIds: [c, unknown] }));
    expect(error.code).toBe("ResourceNotFound.Room");
    expect(error.message).toContain(String(unknown));
    expect(rooms.get(c!)).toBeDefined();
    await lcic.deleteRooms!({ RoomIds: [a, b] });
    expect(rooms.get(a!)).toBeUndefined();
    expect(rooms.get(b!)).toBeUndefined();
    expect((await failure(lcic.describeRoom!({ RoomId: a }))).code).toBe("ResourceNotFound.Room");
  });

  it("a create of several makes one room per element, answering the keys in order", async () => {
    mock.reset();
    const before = mock.resources("lcic.room").list().length;
    const { RoomIds } = await lcic.batchCreateRoom!({ SdkAppId: 7, RoomInfos: [{ Name: "first", MaxMicNumber: 2 }, { Name: "second" }] });
    expect(RoomIds).toHaveLength(2);
    const [first, second] = RoomIds as number[];
    expect(first).not.toBe(second);
    expect(await lcic.describeRoom!({ RoomId: first })).toMatchObject({ Name: "first", MaxMicNumber: 2, SdkAppId: 7, Status: 0 });
    expect(await lcic.describeRoom!({ RoomId: second })).toMatchObject({ Name: "second", SdkAppId: 7 });
    expect(mock.resources("lcic.room").list()).toHaveLength(before + 2);
  });
});
