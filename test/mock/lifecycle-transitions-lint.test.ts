// The lint of the newer mock keys and of error examples: each misuse is a located error, and the
// run writes nothing.
import { afterEach, expect, it } from "vitest";
import { generateTree, TC3_OPERATIONS, TC3_SERVICE, type GeneratedTree } from "./support/lifecycle-specs.js";

let tree: GeneratedTree | undefined;
afterEach(() => tree?.cleanup());

type Spec = Record<string, unknown>;
const named = (name: string) => structuredClone(TC3_OPERATIONS.find((o) => o.name === name)!);
const withMock = (name: string, mock: Spec, extra: Spec = {}): Spec => ({ ...named(name), ...extra, mock });
const tc3Error = (error: Spec) => JSON.stringify({ Response: { Error: error, RequestId: "r-1" } });
const withExample = (name: string, response: string): Spec => ({
  ...named(name),
  examples: [{ title: "An error", source: "ref", request: JSON.stringify({ RoomId: 5 }), response }],
});

async function diagnostics(operations: Spec[]): Promise<string[]> {
  const names = new Set(operations.map((o) => o.name));
  tree = await generateTree("mock-transitions-lint-", [
    { service: TC3_SERVICE, operations: [...operations, ...TC3_OPERATIONS.filter((o) => !names.has(o.name))] },
  ]);
  expect(tree.wrote).toBe(false);
  return tree.diagnostics;
}

it.each([
  [
    "`sets` on a read",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", sets: { state: "live" } }),
    /DescribeRoom\.yaml:\d+:\d+ error mock-lifecycle `sets` changes a resource an update names/,
  ],
  [
    "an unknown state in `sets`",
    withMock("ModifyRoom", { resource: "room", action: "update", key: "RoomId", sets: { state: "paused" } }),
    /error schema-value/,
  ],
  [
    "attributes.state with a value its field cannot hold",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", attributes: { state: { field: "Status", values: { live: 7 } } } }),
    /error mock-lifecycle attributes.state: 7 \(live\) is not a value of Status/,
  ],
  [
    "attributes.state naming a missing field",
    withMock("DescribeRoom", { resource: "room", key: "RoomId", attributes: { state: { field: "State", values: { live: 1 } } } }),
    /error mock-lifecycle attributes.state field "State" is not a field of DescribeRoomResponse/,
  ],
  [
    "a key list on a field that is no list",
    withMock("DescribeRoom", { resource: "room", key: "RoomId[]" }),
    /error unknown-reference mock key "RoomId\[\]" is not a request field/,
  ],
  [
    "a list as a single key",
    withMock("GetRooms", { resource: "room", key: "Status", action: "read" }, { pagination: undefined }),
    /error mock-lifecycle mock key "Status" must be a single scalar field/,
  ],
  [
    "a create of several without attributes.in",
    {
      ...withMock("CreateRoom", { resource: "room", action: "create", keyFrom: "response.RoomIds[]" }),
      response: {
        fields: {
          RoomIds: { type: "uint64[]", js: "number", required: true, description: "Rooms." },
          RequestId: { type: "string", required: true, description: "Id." },
        },
      },
    },
    /CreateRoom\.yaml:\d+:\d+ error mock-lifecycle a create of several \(`keyFrom` through a list\) needs `attributes.in`/,
  ],
  [
    "an error example with a code the operation does not document",
    withExample("DescribeRoom", tc3Error({ Code: "ResourceNotFound.User", Message: "No user." })),
    /DescribeRoom\.yaml:\d+:\d+ error example-invalid example "An error": response.Error.Code: "ResourceNotFound.User" is not an error DescribeRoom documents/,
  ],
  [
    "an error example without its message",
    withExample("DescribeRoom", tc3Error({ Code: "ResourceNotFound.Room" })),
    /error example-invalid example "An error": response.Error.Message: must be a string/,
  ],
])("%s is a located error", async (_title, spec, expected) => {
  const found = await diagnostics([spec]);
  expect(found.join("\n")).toMatch(expected);
});

it("an error example with a documented code is clean, and one marked `contradicts` where it passes is an error", async () => {
  const clean = withExample("DescribeRoom", tc3Error({ Code: "ResourceNotFound.Room", Message: "No room." }));
  tree = await generateTree("mock-transitions-lint-", [
    { service: TC3_SERVICE, operations: [clean, ...TC3_OPERATIONS.filter((o) => o.name !== "DescribeRoom")] },
  ]);
  expect(tree.diagnostics).toEqual([]);
  tree.cleanup();
  const marked = structuredClone(clean) as { examples: Spec[] };
  marked.examples[0]!.contradicts = { reason: "an error answer", paths: ["response.Error"] };
  expect((await diagnostics([marked as unknown as Spec])).join("\n")).toMatch(
    /example-invalid example "An error" is marked to fail at response.Error, but it passes there/,
  );
});
