// The Chat REST gateway of the mock: UserSig verification (including UserSigs made by the official
// tls-sig-api-v2), the URL's protocol parameters, and every error in the ActionStatus envelope.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createMock, MOCK_MAX_BODY_BYTES } from "../../templates/runtime/src/mock/server.js";
import { genUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { eduDefinition, imDefinition } from "./support/definitions.js";
import { CHAT, chatCode, chatRequest, isEnvelope, json, manualClock, NOW, type ChatCall } from "./support/requests.js";

const require = createRequire(import.meta.url);
const TLSSigAPIv2 = (require("tls-sig-api-v2") as { Api: new (sdkAppId: number, key: string) => { genUserSig(id: string, expire: number): string } })
  .Api;

const COMMAND = "room_engine_http_srv/get_room_info";

function setup(options: Parameters<typeof createMock>[1] = {}) {
  const clock = manualClock();
  const mock = createMock([eduDefinition, imDefinition], { now: clock.now, ...options });
  const send = (call: Partial<ChatCall>) => mock.respond(chatRequest({ command: COMMAND, body: { RoomId: "room-test" }, ...call }, clock.now()));
  return { mock, clock, send };
}

describe("Chat REST authentication", () => {
  it("answers the example with the OK envelope", () => {
    const { send } = setup();
    const res = send({});
    expect(res.status).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
    expect(body["RequestId"]).toMatch(/^Id-[0-9a-f]{32}-O-Seq-1$/);
    expect(body["Response"]["RoomInfo"]["RoomName"]).toBe("room-name-test");
    // The 64-bit Owner_Account is a bare integer on the wire, with every digit.
    expect(res.body).toContain('"Owner_Account":144115233775727695');
  });

  it("accepts a UserSig made by tls-sig-api-v2 and refuses one made with another key (70009)", () => {
    // tls-sig-api-v2 reads the real clock, so this mock does too.
    const mock = createMock(imDefinition);
    const good = new TLSSigAPIv2(CHAT.sdkAppId, CHAT.key).genUserSig(CHAT.identifier, 86400);
    const bad = new TLSSigAPIv2(CHAT.sdkAppId, "0".repeat(64)).genUserSig(CHAT.identifier, 86400);
    expect(chatCode(mock.respond(chatRequest({ command: COMMAND, body: { RoomId: "room-test" }, usersig: good }, Date.now())))).toBe(0);
    expect(chatCode(mock.respond(chatRequest({ command: COMMAND, body: { RoomId: "room-test" }, usersig: bad }, Date.now())))).toBe(70009);
  });

  const cases: Array<[string, Partial<ChatCall>, number]> = [
    ["a UserSig signed with another key", { key: "another-key" }, 70009],
    ["an expired UserSig", { sigTime: NOW / 1000 - 86401, sigExpire: 86400 }, 70001],
    ["a UserSig that does not decode", { usersig: "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwokpuZl5UInilOzEgoLM" }, 70003],
    ["no UserSig", { query: { usersig: undefined } }, 70003],
    [
      "a UserSig for another identifier",
      { usersig: genUserSig({ sdkAppId: CHAT.sdkAppId, key: CHAT.key, identifier: "someone", expireSeconds: 86400, nowSeconds: NOW / 1000 }) },
      70013,
    ],
    [
      "a UserSig for another SDKAppID",
      { usersig: genUserSig({ sdkAppId: 1400000001, key: CHAT.key, identifier: CHAT.identifier, expireSeconds: 86400, nowSeconds: NOW / 1000 }) },
      70014,
    ],
    ["no identifier", { query: { identifier: undefined } }, 60010],
    ["no sdkappid", { query: { sdkappid: undefined } }, 60012],
    ["an sdkappid that is not a number", { query: { sdkappid: "abc" } }, 60012],
    ["an SDKAppID the mock does not know", { query: { sdkappid: "1400000009" } }, 70020],
  ];
  for (const [what, call, code] of cases) {
    it(`refuses ${what} with ${code}`, () => {
      const { send } = setup();
      const res = send(call);
      expect(chatCode(res)).toBe(code);
      const body = json(res);
      expect(body["ActionStatus"]).toBe("FAIL");
      expect(body["Response"]).toBeUndefined();
      expect(isEnvelope(res.body)).toBe(true);
      expect(res.body).not.toContain(CHAT.key);
    });
  }

  it("answers 60010 when the UserSig is valid but the identifier is not the administrator", () => {
    const { send } = setup();
    const usersig = genUserSig({ sdkAppId: CHAT.sdkAppId, key: CHAT.key, identifier: "user1", expireSeconds: 86400, nowSeconds: NOW / 1000 });
    expect(chatCode(send({ identifier: "user1", usersig }))).toBe(60010);
  });
});

describe("Chat REST routing and protocol errors", () => {
  it("answers 60009 for an unknown command or version", () => {
    const { mock, send } = setup();
    expect(chatCode(send({ command: "room_engine_http_srv/destroy_room" }))).toBe(60009);
    // Only Chat is served: any other path is a wrong resource.
    const chatOnly = createMock(imDefinition, { now: () => NOW });
    expect(chatCode(chatOnly.respond({ method: "POST", url: "/v5/x/y", headers: {}, body: "{}" }))).toBe(60009);
    expect(chatCode(chatOnly.respond({ method: "POST", url: "/", headers: {}, body: "{}" }))).toBe(60009);
    expect(mock.services).toEqual(["edu", "im"]);
  });

  it("answers 60003 for a body that is not JSON, and the command's code for invalid fields", () => {
    const { send } = setup();
    expect(chatCode(send({ body: "{oops" }))).toBe(60003);
    expect(chatCode(send({ body: "null" }))).toBe(60003);
    expect(chatCode(send({ body: {} }))).toBe(100002);
    expect(chatCode(send({ body: { RoomId: 5 } }))).toBe(100002);
    expect(chatCode(send({ body: { RoomId: "r", Other: 1 } }))).toBe(100002);
  });

  it("answers 100004 (notFound) for an unknown room", () => {
    const { mock, send } = setup();
    const [unknown] = mock.resources("im.room").keys({ known: false, count: 1 });
    const res = send({ body: { RoomId: unknown } });
    expect(chatCode(res)).toBe(100004);
    expect(json(res)["ErrorInfo"]).toContain("does not exist");
  });

  it(`answers 60008 for a body over ${MOCK_MAX_BODY_BYTES} bytes and for methods other than POST`, () => {
    const { mock, clock } = setup();
    const request = chatRequest({ command: COMMAND, body: {} }, clock.now());
    expect(chatCode(mock.respond({ ...request, body: undefined }))).toBe(60008);
    expect(chatCode(mock.respond({ ...request, method: "GET", body: "" }))).toBe(60008);
  });

  it("answers 60007 beyond the documented 200 requests per second", () => {
    const { send, clock } = setup();
    const codes = Array.from({ length: 201 }, () => chatCode(send({})));
    expect(codes.filter((c) => c === 0)).toHaveLength(200);
    expect(codes[200]).toBe(60007);
    clock.advance(1000);
    expect(chatCode(send({}))).toBe(0);
  });
});
