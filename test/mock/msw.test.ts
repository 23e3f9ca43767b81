// The mock behind MSW 2 (msw/node): requests to the services' real hosts are answered by the mock,
// whether they go through fetch or node:http (the generated clients' default transport).
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatClient } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { ApiError, LcicClient } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { createMock, mswHandlers } from "../../templates/runtime/src/mock/server.js";
import { CHAT, chatCode, chatPath, TC3, tc3Code, tc3Headers } from "./support/requests.js";

const mock = createMock([lcicDefinition, chatDefinition]);
const server = setupServer(...mswHandlers(mock, http));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("mswHandlers", () => {
  it("answers the generated LCIC client (node:http over https) at the real host", async () => {
    const lcic = new LcicClient({ credentials: TC3, env: {}, retry: false });
    const response = await lcic.getRoomEvent({ RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" });
    expect(response.Events?.[0]?.EventType).toBe("MemberJoin");
    const intl = new LcicClient({ endpoint: "intl", credentials: { ...TC3, secretKey: "wrong" }, env: {}, retry: false });
    const error = await intl.getRoomEvent({ RoomId: 1, SdkAppId: 1, Page: 1, Limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("AuthFailure.SignatureFailure");
  });

  it("answers fetch at a Chat host, backup hosts included", async () => {
    const chat = new ChatClient({
      endpoint: "singapore",
      credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key },
      env: {},
      retry: false,
    });
    // A seeded room names itself (rooms can be created, so only the seeded ones exist at first).
    const seeded = mock
      .resources("chat.live-room")
      .list()
      .find((r) => r.origin === "seed")!.key;
    expect((await chat.getLiveRoomInfo({ RoomId: seeded })).RoomInfo.RoomId).toBe(seeded);
    const path = chatPath({ command: "live_engine_http_srv/get_room_info", body: {} }, Date.now());
    const response = await fetch(`https://adminapi.my-imcloud.com${path}`, { method: "POST", body: JSON.stringify({ RoomId: seeded }) });
    expect(chatCode(await response.text())).toBe(0);
  });

  it("takes other origins when asked (e.g. a local URL the client is pointed at)", async () => {
    const local = setupServer(...mswHandlers(mock, http, { origins: ["http://mock.local:9999"] }));
    server.close();
    local.listen({ onUnhandledRequest: "error" });
    try {
      const headers = tc3Headers(
        { action: "GetRoomEvent", body: "{}", service: "lcic", host: "mock.local:9999", headers: { host: undefined } },
        Date.now(),
      );
      const response = await fetch("http://mock.local:9999/", { method: "POST", headers, body: "{}" });
      expect(tc3Code(await response.text())).toBe("MissingParameter");
    } finally {
      local.close();
      server.listen({ onUnhandledRequest: "error" });
    }
  });
});
