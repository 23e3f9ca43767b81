// The in-process fetch: fetch's signature (string, URL or Request; any HeadersInit), no sockets,
// and the same answers as the other ways in.
import { describe, expect, it } from "vitest";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { eduDefinition, imDefinition } from "./support/definitions.js";
import { chatCode, chatPath, manualClock, tc3Code, tc3Headers } from "./support/requests.js";

const EVENTS = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10 };

function setup() {
  const clock = manualClock();
  const mock = createMock([eduDefinition, imDefinition], { now: clock.now });
  const headers = tc3Headers({ action: "GetRoomEvent", body: EVENTS }, clock.now());
  return { mock, clock, headers, body: JSON.stringify(EVENTS) };
}

describe("mock.fetch", () => {
  it("takes a string URL with plain headers (what the generated clients pass)", async () => {
    const { mock, headers, body } = setup();
    const response = await mock.fetch("https://edu.tencentcloudapi.com/", { method: "POST", headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(tc3Code(await response.text())).toBeNull();
  });

  it("takes a URL object, a Headers instance, header pairs and a Request", async () => {
    const { mock, headers, body } = setup();
    const url = new URL("https://edu.tencentcloudapi.com/");
    const { host: _host, ...sendable } = headers;
    for (const init of [
      { method: "POST", headers: new Headers(sendable), body },
      { method: "POST", headers: Object.entries(sendable), body },
      { method: "POST", headers: sendable, body: new TextEncoder().encode(body) },
    ]) {
      expect(tc3Code(await (await mock.fetch(url, init)).text())).toBeNull();
    }
    const request = new Request(url, { method: "POST", headers: sendable, body });
    expect(tc3Code(await (await mock.fetch(request)).text())).toBeNull();
  });

  it("takes the host from the URL, so a signature for another host fails", async () => {
    const { mock, headers, body } = setup();
    const { host: _host, ...sendable } = headers;
    const response = await mock.fetch("https://other.example.com/", { method: "POST", headers: sendable, body });
    expect(tc3Code(await response.text())).toBe("AuthFailure.SignatureFailure");
  });

  it("routes Chat paths and TC3 root on the same mock", async () => {
    const { mock, clock } = setup();
    const path = chatPath({ command: "room_engine_http_srv/get_room_info", body: {} }, clock.now());
    const response = await mock.fetch(`https://console.tim.qq.com${path}`, { method: "POST", body: '{"RoomId":"room-test"}' });
    expect(chatCode(await response.text())).toBe(0);
  });

  it("rejects like fetch when the signal is already aborted", async () => {
    const { mock, headers, body } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(mock.fetch("https://edu.tencentcloudapi.com/", { method: "POST", headers, body, signal: controller.signal })).rejects.toThrow();
  });
});
