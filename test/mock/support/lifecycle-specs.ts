// Temporary spec trees for the lifecycle tests: a TC3 service transcribed (a few fields each) from
// the LCIC 2022-08-17 metadata (CreateRoom, DescribeRoom, ModifyRoom, DeleteRoom, GetRooms: action
// names the official SDK's LCIC client has), and a Chat REST service of room-engine commands.
// Written to a temp folder and generated there; nothing goes under specs/.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { formatDiagnostic } from "../../../generator/shared/diagnostic.js";
import { generate } from "../../../generator/pipeline.js";
import { SPECS } from "../../helpers.js";

type Spec = Record<string, unknown>;
const SOURCE = "ref";

const uint = (description: string, extra: Spec = {}): Spec => ({ type: "uint64", js: "number", description, ...extra });
const str = (description: string, extra: Spec = {}): Spec => ({ type: "string", description, ...extra });
const time = (description: string, extra: Spec = {}): Spec => uint(description, { format: "unix-time", unit: "seconds", ...extra });
const REQUEST_ID = { RequestId: str("The request ID.", { required: true }) };
const ROOM_NOT_FOUND = [{ code: "ResourceNotFound.Room", description: "The room does not exist.", retryable: false }];

/** The room fields shared by CreateRoom's request and DescribeRoom's response (a subset of the metadata's). */
function roomFields(required: boolean): Record<string, Spec> {
  const r = required ? { required: true } : {};
  return {
    Name: str("Room name.", { ...r, maxLength: 64 }),
    StartTime: time("Reserved room start time.", r),
    EndTime: time("Reserved room end time.", r),
    SdkAppId: uint("LCIC SdkAppId.", r),
    Resolution: uint("Resolution: 1 SD, 2 HD, 3 FHD.", { ...r, enum: [1, 2, 3] }),
    MaxMicNumber: uint("Maximum number of mic-on users.", { ...r, minimum: 0, maximum: 16 }),
    SubType: str("The room subtype.", { ...r, enum: ["videodoc", "video", "coteaching"] }),
    TeacherId: str("The user ID of the teacher."),
  };
}

const op = (name: string, mock: Spec, request: Record<string, Spec>, response: Record<string, Spec>, extra: Spec = {}): Spec => ({
  name,
  action: name,
  summary: `${name} (lifecycle test).`,
  description: `${name}, transcribed from the LCIC metadata for the lifecycle tests.`,
  source: SOURCE,
  mock,
  request: { fields: request },
  response: { fields: { ...response, ...REQUEST_ID } },
  errors: mock.action === "create" || mock.action === "list" ? [] : ROOM_NOT_FOUND,
  examples: [],
  ...extra,
});

export const TC3_SERVICE: Spec = {
  service: "lcic",
  title: "LCIC lifecycle test service",
  description: "Rooms created, read, modified, listed and deleted.",
  package: { name: "@rtc-apigen/lcic-lifecycle" },
  protocol: { name: "tc3", service: "lcic", version: "2022-08-17" },
  endpoints: [{ id: "default", host: "lcic.tencentcloudapi.com", default: true, description: "The endpoint.", source: SOURCE }],
  regions: { required: false, source: SOURCE },
  resources: { room: { description: "A class (room), keyed by its RoomId.", key: "integer" } },
  types: {
    RoomItem: {
      description: "A room in a list.",
      source: SOURCE,
      fields: {
        Name: str("Room name.", { required: true }),
        RoomId: uint("Room ID.", { required: true }),
        Status: uint("0 not started, 1 started, 2 ended, 3 expired.", { required: true, enum: [0, 1, 2, 3] }),
        StartTime: time("Reserved start time.", { required: true }),
        EndTime: time("Reserved end time.", { required: true }),
        RealStartTime: time("Actual start time."),
        RealEndTime: time("Actual end time."),
      },
    },
  },
  sources: [{ id: SOURCE, title: "LCIC 2022-08-17 metadata", file: "../shared/reference/tencentcloud-api/lcic-2022-08-17.intl.api.json" }],
};

export const TC3_OPERATIONS: Spec[] = [
  op("CreateRoom", { resource: "room", action: "create", keyFrom: "response.RoomId" }, roomFields(true), {
    RoomId: uint("Room ID.", { required: true }),
  }),
  op(
    "DescribeRoom",
    { resource: "room", key: "RoomId", notFound: "ResourceNotFound.Room" },
    { RoomId: uint("Room ID.", { required: true }) },
    {
      ...roomFields(true),
      TeacherId: str("Teacher ID."),
      Status: uint("0 not started, 1 started, 2 ended, 3 expired.", { required: true, enum: [0, 1, 2, 3] }),
    },
  ),
  op(
    "ModifyRoom",
    { resource: "room", action: "update", key: "RoomId", notFound: "ResourceNotFound.Room" },
    { RoomId: uint("Room ID.", { required: true }), ...roomFields(false), SdkAppId: uint("LCIC SdkAppId.", { required: true }) },
    {},
  ),
  op(
    "DeleteRoom",
    { resource: "room", action: "delete", key: "RoomId", notFound: "ResourceNotFound.Room" },
    { RoomId: uint("Room ID.", { required: true }) },
    {},
  ),
  op(
    "GetRooms",
    { resource: "room", action: "list", filters: [{ field: "Status", matches: "Status" }] },
    {
      SdkAppId: uint("LCIC SdkAppId.", { required: true }),
      Status: { type: "uint64[]", js: "number", description: "Only rooms in these states.", enum: [0, 1, 2, 3] },
      Page: uint("Page, from 1.", { minimum: 1, default: 1 }),
      Limit: uint("Rooms per page.", { minimum: 1, maximum: 100, default: 10 }),
    },
    { Total: uint("Every room.", { required: true }), Rooms: { type: "RoomItem[]", required: true, description: "The rooms of this page." } },
    { pagination: { style: "page-number", page: "Page", firstPage: 1, size: "Limit", items: "Rooms", total: "Total" } },
  ),
];

const chatOp = (
  name: string,
  command: string,
  mock: Spec,
  request: Record<string, Spec>,
  response: Record<string, Spec>,
  errors: Spec[],
  extra: Spec = {},
): Spec => ({
  name,
  command: `room_engine_http_srv/${command}`,
  summary: `${command} (lifecycle test).`,
  description: `${command} of the room engine, for the lifecycle tests.`,
  source: SOURCE,
  mock,
  request: { fields: request },
  response: { fields: response },
  errors: [{ code: 100002, description: "Invalid parameter.", retryable: false }, ...errors],
  examples: [],
  ...extra,
});
const NO_ROOM = { code: 100004, description: "The room does not exist.", retryable: false };

export const CHAT_SERVICE: Spec = {
  service: "im",
  title: "Chat room engine lifecycle test service",
  description: "Rooms created, read, updated, listed and destroyed.",
  client: "ImClient",
  package: { name: "@rtc-apigen/im" },
  protocol: { name: "chat-rest", version: "v4" },
  endpoints: [{ id: "china", host: "console.tim.qq.com", default: true, description: "The endpoint.", source: SOURCE }],
  regions: { required: false, source: SOURCE },
  validationErrors: { missing: 100002, type: 100002, value: 100002, unknown: 100002 },
  resources: { room: { description: "A room, keyed by its RoomId.", key: "string" } },
  types: {
    RoomInfo: {
      description: "A room's settings.",
      source: SOURCE,
      fields: {
        RoomId: str("Room ID.", { required: true, maxLength: 48 }),
        RoomName: str("Room name.", { maxLength: 100 }),
        MaxMemberCount: { type: "integer", description: "Member limit.", minimum: 1, maximum: 10000 },
        ScheduleStartTime: { type: "integer", format: "unix-time", unit: "seconds", description: "Scheduled start." },
        ScheduleEndTime: { type: "integer", format: "unix-time", unit: "seconds", description: "Scheduled end." },
      },
    },
  },
  sources: [{ id: SOURCE, title: "Chat room engine pages" }],
};

export const CHAT_OPERATIONS: Spec[] = [
  chatOp(
    "CreateRoom",
    "create_room",
    { resource: "room", action: "create", keyFrom: "request.RoomInfo.RoomId", conflict: 100003 },
    { RoomInfo: { type: "RoomInfo", required: true, description: "The room." } },
    {},
    [{ code: 100003, description: "The room ID already exists.", retryable: false }],
  ),
  chatOp(
    "GetRoomInfo",
    "get_room_info",
    { resource: "room", key: "RoomId", notFound: 100004 },
    { RoomId: str("Room ID.", { required: true }) },
    { RoomInfo: { type: "RoomInfo", required: true, description: "The room." } },
    [NO_ROOM],
  ),
  chatOp(
    "UpdateRoomInfo",
    "update_room_info",
    { resource: "room", action: "update", key: "RoomInfo.RoomId", notFound: 100004 },
    { RoomInfo: { type: "RoomInfo", required: true, description: "The changes." } },
    {},
    [NO_ROOM],
  ),
  chatOp(
    "DestroyRoom",
    "destroy_room",
    { resource: "room", action: "delete", key: "RoomId", notFound: 100004 },
    { RoomId: str("Room ID.", { required: true }) },
    {},
    [NO_ROOM],
  ),
  chatOp(
    "GetRoomList",
    "get_room_list",
    { resource: "room", action: "list" },
    {
      Offset: { type: "integer", description: "Rooms to skip.", minimum: 0 },
      Limit: { type: "integer", description: "Rooms per page.", minimum: 1, maximum: 50 },
    },
    {
      Total: { type: "integer", required: true, description: "Every room." },
      RoomList: { type: "RoomInfo[]", required: true, description: "The rooms of this page." },
    },
    [],
    { pagination: { style: "offset", offset: "Offset", size: "Limit", items: "RoomList", total: "Total" } },
  ),
];

export interface GeneratedTree {
  dir: string;
  outDir: string;
  diagnostics: string[];
  wrote: boolean;
  cleanup(): void;
}

/** Writes the services (service.yaml and operations, by service id) into a temp specs tree and generates it. */
export async function generateTree(prefix: string, services: ReadonlyArray<{ service: Spec; operations: Spec[] }>): Promise<GeneratedTree> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const specsDir = path.join(dir, "specs");
  const outDir = path.join(dir, "generated");
  mkdirSync(path.join(specsDir, "protocols"), { recursive: true });
  for (const p of ["tc3.yaml", "chat-rest.yaml"]) copyFileSync(path.join(SPECS, "protocols", p), path.join(specsDir, "protocols", p));
  for (const { service, operations } of services) {
    const id = service.service as string;
    mkdirSync(path.join(specsDir, id));
    writeFileSync(path.join(specsDir, id, "service.yaml"), stringify(service));
    for (const o of operations) writeFileSync(path.join(specsDir, id, `${o.name as string}.yaml`), stringify(o));
  }
  const result = await generate({ specsDir, outDir, displayBase: dir });
  return {
    dir,
    outDir,
    diagnostics: result.diagnostics.map(formatDiagnostic),
    wrote: result.wrote,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
