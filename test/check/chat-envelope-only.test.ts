// A Chat REST command that returns nothing answers an OK envelope without `Response` (e.g. Live
// destroy_room: {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"…"}). Such an
// example is valid when the operation's response has no required field, and the operation's
// metadata says the payload may be absent; an operation that needs `Response` still flags it.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";

const SERVICE = `service: demochat
title: Demo Chat
description: A Chat REST service with two commands.
package: { name: "@demo/chat" }
protocol: { name: chat-rest, version: v4 }
endpoints:
  - { id: china, host: console.tim.qq.com, default: true, description: China }
regions: { required: false }
validationErrors: { missing: 100002, type: 100002, value: 100002, unknown: 100002 }
sources:
  - { id: page, title: A page }
`;

const ENVELOPE_ONLY = '{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"RequestId": "Id-1"}';

function operation(name: string, command: string, responseFields: string, contradicts = ""): string {
  return `name: ${name}
command: ${command}
summary: s
description: d
source: page
request:
  fields:
    RoomId: { type: string, required: true, description: Room ID }
response:
  fields: ${responseFields}
errors:
  - { code: 100002, description: Invalid parameter, retryable: false }
examples:
  - title: Envelope only
    source: page
    request: '{"RoomId": "r"}'
    response: '${ENVELOPE_ONLY}'
${contradicts}`;
}

let dir: string;
let result: Awaited<ReturnType<typeof build>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "chat-envelope-only-"));
  await mkdir(path.join(dir, "protocols"), { recursive: true });
  await mkdir(path.join(dir, "demochat"), { recursive: true });
  await copyFile(path.join(SPECS, "protocols", "chat-rest.yaml"), path.join(dir, "protocols", "chat-rest.yaml"));
  await writeFile(path.join(dir, "demochat", "service.yaml"), SERVICE);
  await writeFile(path.join(dir, "demochat", "DestroyRoom.yaml"), operation("DestroyRoom", "live_engine_http_srv/destroy_room", "{}"));
  await writeFile(
    path.join(dir, "demochat", "GetRoom.yaml"),
    operation(
      "GetRoom",
      "live_engine_http_srv/get_room_info",
      "{ RoomName: { type: string, required: true, description: Name } }",
      "    contradicts: { reason: no RoomName, paths: [response.RoomName] }\n",
    ),
  );
  result = await build(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a Chat example without `Response`", () => {
  it("is valid for an operation whose response has no required field", () => {
    expect(result.diagnostics.map((d) => `${d.file} ${d.rule} ${d.message}`)).toEqual([]);
  });

  it("still fails, exactly at the missing field, for an operation whose response needs one", () => {
    // GetRoom's example is marked `contradicts` at response.RoomName: no diagnostic means it
    // fails there and nowhere else (example-invalid reports any other outcome).
    const getRoom = result.ir!.services[0]!.operations.find((o) => o.name === "GetRoom")!;
    expect(getRoom.examples[0]!.responsePayload).toEqual({});
  });

  it("marks the payload optional in the metadata only where nothing in the response is required", () => {
    const metadata = result.files!.find((f) => f.path === "demochat/src/metadata.ts")!.content;
    // Each operation's metadata is a constant of its own (`<method>Operation`), so bundlers can drop unused ones.
    // Written as `/* @__PURE__ */ JSON.parse('…')`, parsed on first use (cheaper to load than an object literal): read it back.
    const block = (method: string): Record<string, unknown> => {
      const match = new RegExp(`export const ${method}Operation\\b[^\\n]*?/\\* @__PURE__ \\*/ JSON\\.parse\\(('(?:[^'\\\\]|\\\\.)*')\\)`).exec(
        metadata,
      );
      expect(match, method).not.toBeNull();
      return JSON.parse(new Function(`return ${match![1]!};`)() as string) as Record<string, unknown>;
    };
    expect(block("destroyRoom").payloadOptional).toBe(true);
    expect(block("getRoom")).not.toHaveProperty("payloadOptional");
  });
});
