// The Chat REST gateway remembers authentic UserSigs (keyed by their exact text) so that it need not
// decode and HMAC each one on every request. A remembered UserSig must answer exactly what a fresh
// verification would: expiry against the mock's clock, the request's identifier and SDKAppID, the key.
import { describe, expect, it } from "vitest";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { genUserSig, UserSigVerifier, USERSIG_VERIFIED_CAPACITY } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { imDefinition } from "./support/definitions.js";
import { CHAT, chatCode, chatRequest, manualClock, NOW, type ChatCall } from "./support/requests.js";

const COMMAND = "room_engine_http_srv/get_room_info";
const NOW_S = NOW / 1000;

const sig = (identifier: string, nowSeconds = NOW_S, expireSeconds = 86400, sdkAppId = CHAT.sdkAppId, key = CHAT.key) =>
  genUserSig({ sdkAppId, key, identifier, expireSeconds, nowSeconds });

describe("Chat REST: verified UserSigs are remembered, never trusted blindly", () => {
  it("refuses a remembered UserSig once it has expired on the mock's clock (70001)", () => {
    const clock = manualClock();
    const mock = createMock(imDefinition, { now: clock.now });
    const usersig = sig(CHAT.identifier, NOW_S, 60);
    const send = (call: Partial<ChatCall> = {}) =>
      chatCode(mock.respond(chatRequest({ command: COMMAND, body: { RoomId: "room-test" }, usersig, ...call }, clock.now())));
    expect(send()).toBe(0);
    expect(send()).toBe(0);
    clock.advance(60_000);
    expect(send()).toBe(0); // `now > time + expire` is the rule: the last second still counts
    clock.advance(1_000);
    expect(send()).toBe(70001);
    expect(send()).toBe(70001);
    // The mock's clock going back makes it valid again, as a fresh verification would.
    clock.set(NOW);
    expect(send()).toBe(0);
  });

  it("refuses a remembered UserSig sent with another identifier (70013) or SDKAppID (70014)", () => {
    const clock = manualClock();
    const other = { sdkAppId: 1400000001, identifier: "admin2", key: CHAT.key };
    const mock = createMock(imDefinition, { now: clock.now, credentials: { chat: [CHAT, other] } });
    const usersig = sig(CHAT.identifier);
    const send = (call: Partial<ChatCall>) =>
      chatCode(mock.respond(chatRequest({ command: COMMAND, body: { RoomId: "room-test" }, usersig, ...call }, clock.now())));
    expect(send({})).toBe(0);
    expect(send({ identifier: "user1" })).toBe(70013);
    expect(send({ identifier: "user1", query: { sdkappid: String(other.sdkAppId) } })).toBe(70014);
    expect(send({ query: { sdkappid: String(other.sdkAppId) } })).toBe(70014);
    // And the right pair is still accepted afterwards.
    expect(send({})).toBe(0);
  });

  it("verifies a remembered UserSig again under another key (70009)", () => {
    const verifier = new UserSigVerifier();
    const usersig = sig(CHAT.identifier);
    const options = { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key, nowSeconds: NOW_S };
    expect(verifier.verify(usersig, options)).toEqual({ ok: true, expiresAt: NOW_S + 86400 });
    expect(verifier.has(usersig)).toBe(true);
    expect(verifier.verify(usersig, { ...options, key: "another-key" })).toMatchObject({ ok: false, code: 70009 });
    expect(verifier.verify(usersig, options)).toEqual({ ok: true, expiresAt: NOW_S + 86400 });
  });

  it("keeps no refused UserSig", () => {
    const verifier = new UserSigVerifier();
    const options = { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key, nowSeconds: NOW_S };
    expect(verifier.verify(sig(CHAT.identifier, NOW_S - 90_000), options)).toMatchObject({ ok: false, code: 70001 });
    expect(verifier.verify(sig(CHAT.identifier, NOW_S, 86400, CHAT.sdkAppId, "another-key"), options)).toMatchObject({ ok: false, code: 70009 });
    expect(verifier.verify("not-a-usersig", options)).toMatchObject({ ok: false, code: 70003 });
    expect(verifier.size).toBe(0);
  });

  it("stays bounded under 100,000 distinct UserSigs, and keeps one in use", () => {
    const verifier = new UserSigVerifier();
    const options = { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key, nowSeconds: NOW_S };
    const hot = sig(CHAT.identifier);
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      // Distinct UserSigs for the same administrator: each issued a second earlier.
      expect(verifier.verify(sig(CHAT.identifier, NOW_S - i - 1, 1_000_000), options).ok).toBe(true);
      if (i % 64 === 0) expect(verifier.verify(hot, options).ok).toBe(true);
      largest = Math.max(largest, verifier.size);
    }
    expect(largest).toBe(USERSIG_VERIFIED_CAPACITY);
    expect(verifier.has(hot)).toBe(true);
  });

  it("reads the URL's parameters as URLSearchParams does: the first of a name, escapes decoded", () => {
    const clock = manualClock();
    const mock = createMock(imDefinition, { now: clock.now });
    const usersig = sig(CHAT.identifier);
    const at = (query: string) =>
      chatCode(mock.respond({ ...chatRequest({ command: COMMAND, body: { RoomId: "room-test" } }, clock.now()), url: `/v4/${COMMAND}?${query}` }));
    expect(at(`sdkappid=${CHAT.sdkAppId}&identifier=${CHAT.identifier}&usersig=${usersig}&identifier=user1`)).toBe(0);
    expect(at(`identifier=user1&sdkappid=${CHAT.sdkAppId}&identifier=${CHAT.identifier}&usersig=${usersig}`)).toBe(70013);
    expect(at(`sdkappid=${CHAT.sdkAppId}&identifier=%61dmin&usersig=${usersig}`)).toBe(0);
    expect(at(`sdkappid=${CHAT.sdkAppId}&ident%69fier=${CHAT.identifier}&usersig=${usersig}`)).toBe(0);
    expect(at(`sdkappid=${CHAT.sdkAppId}&identifier&usersig=${usersig}`)).toBe(60010);
    expect(at(`sdkappid=${CHAT.sdkAppId}&&identifier=${CHAT.identifier}&usersig=${usersig}&`)).toBe(0);
  });
});
