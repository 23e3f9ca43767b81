// The lint rule `mock-lifecycle`: each misuse of the lifecycle keys is a located error, and the
// run writes nothing.
import { afterEach, expect, it } from "vitest";
import { generateTree, TC3_OPERATIONS, TC3_SERVICE, type GeneratedTree } from "./support/lifecycle-specs.js";

let tree: GeneratedTree | undefined;
afterEach(() => tree?.cleanup());

type Spec = Record<string, unknown>;
const named = (name: string) => structuredClone(TC3_OPERATIONS.find((o) => o.name === name)!);
const withMock = (name: string, mock: Spec, extra: Spec = {}): Spec => ({ ...named(name), ...extra, mock });

async function diagnostics(operations: Spec[], service: Spec = TC3_SERVICE): Promise<string[]> {
  const names = new Set(operations.map((o) => o.name));
  tree = await generateTree("mock-lifecycle-lint-", [{ service, operations: [...operations, ...TC3_OPERATIONS.filter((o) => !names.has(o.name))] }]);
  expect(tree.wrote).toBe(false);
  return tree.diagnostics;
}

it.each([
  [
    "a create without keyFrom",
    withMock("CreateRoom", { resource: "room", action: "create" }),
    /CreateRoom\.yaml:\d+:\d+ error mock-lifecycle a create needs `keyFrom`/,
  ],
  [
    "a create with key",
    withMock("CreateRoom", { resource: "room", action: "create", key: "Name", keyFrom: "response.RoomId" }),
    /error mock-lifecycle a create names where its new key is with `keyFrom`/,
  ],
  [
    "keyFrom naming a missing field",
    withMock("CreateRoom", { resource: "room", action: "create", keyFrom: "response.RoomID" }),
    /error mock-lifecycle mock keyFrom "RoomID" is not a response field of CreateRoom/,
  ],
  [
    "keyFrom of another type than the key",
    withMock("CreateRoom", { resource: "room", action: "create", keyFrom: "request.Name" }),
    /error mock-lifecycle mock keyFrom "Name" must be an integer field/,
  ],
  [
    "conflict with an allocated key",
    withMock("CreateRoom", { resource: "room", action: "create", keyFrom: "response.RoomId", conflict: "ResourceNotFound.Room" }),
    /error mock-lifecycle `conflict` answers a create whose caller names an existing key/,
  ],
  [
    "an update without key",
    withMock("ModifyRoom", { resource: "room", action: "update", notFound: "ResourceNotFound.Room" }),
    /ModifyRoom\.yaml:\d+:\d+ error mock-lifecycle an update needs `key`/,
  ],
  [
    "keyFrom on a read",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", keyFrom: "response.Name" }),
    /error mock-lifecycle `keyFrom` is for a create/,
  ],
  [
    "a list without pagination",
    { ...withMock("GetRooms", { resource: "room", action: "list" }), pagination: undefined },
    /GetRooms\.yaml:\d+:\d+ error mock-lifecycle a list needs `pagination`/,
  ],
  [
    "attributes naming a missing field",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", attributes: { rename: { RoomName: "Name" } } }),
    /error mock-lifecycle attributes names "RoomName", which is not a field of DescribeRoomResponse/,
  ],
  [
    "attributes.in that is no object",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", attributes: { in: "Name" } }),
    /error mock-lifecycle attributes.in "Name" is not an object field/,
  ],
  [
    "a rename onto an attribute of another type",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", attributes: { rename: { TeacherId: "MaxMicNumber" } } }),
    /error mock-lifecycle attributes.rename: "TeacherId" cannot show attribute "MaxMicNumber"/,
  ],
  ["an unknown action", withMock("DescribeRoom", { resource: "room", key: "RoomId", action: "patch" }), /error schema-value/],
])("%s is a located error", async (_title, spec, expected) => {
  const found = await diagnostics([spec]);
  expect(found.join("\n")).toMatch(expected);
});

it("a shape's order naming a field that is not a time is a located error", async () => {
  const service = structuredClone(TC3_SERVICE) as { types: { RoomItem: Spec } };
  service.types.RoomItem.order = [{ first: "StartTime", then: "Name" }];
  const found = await diagnostics([], service as unknown as Spec);
  expect(found.join("\n")).toMatch(/service\.yaml:\d+:\d+ error mock-lifecycle order then "Name" must be a time/);
});
