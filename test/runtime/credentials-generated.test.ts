// End to end through the GENERATED packages: LcicClient with `credentials: fromCvmRole(...)` and
// ChatClient with a `userSig` provider, against the generated mock server listening on 127.0.0.1
// (which checks every TC3 signature, session token and UserSig) and a local CVM metadata service.
// The mock accepts the role's first two credentials only, so a call signed with anything else,
// or with an expired UserSig, fails.
import { afterEach, describe, expect, it } from "vitest";
import { ChatClient } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { ApiError, LcicClient, type GetRoomEventRequest } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { genUserSig } from "../../generated/runtime/src/chat-rest.js";
import type { Transport } from "../../generated/runtime/src/index.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type MockListening } from "../../generated/runtime/src/mock.js";
import { fromCvmRole } from "../../generated/runtime/src/tc3.js";
import { defaultTransport } from "../../generated/runtime/src/transport.js";
import { credentialNumber, startCvmMetadata, type CredentialServer } from "./support/credential-servers.js";
import { InstantClock, settle } from "./support/fake-clock.js";

const START = Date.UTC(2026, 0, 15, 12);
const MINUTE = 60_000;

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

async function listening(clock: InstantClock, tc3 = MOCK_DEFAULT_CREDENTIALS.tc3): Promise<MockListening> {
  const mock = createMock([lcicDefinition, chatDefinition], { seed: 3, rateLimit: false, now: () => clock.now(), credentials: { tc3 } });
  const server = await mock.listen();
  closing.push(server);
  return server;
}

describe("generated LcicClient with fromCvmRole", () => {
  it("signs with the role's credentials and its token, and moves to new ones before they expire", async () => {
    const clock = new InstantClock(START);
    const metadata: CredentialServer = await startCvmMetadata({ now: () => clock.now(), ttlSeconds: 30 * 60, prefix: "role", roleName: "LcicRole" });
    closing.push(metadata);
    const mock = await listening(clock, [credentialNumber("role", 1), credentialNumber("role", 2)]);
    // The node transport, noting which SecretId signed each request.
    const signedBy: string[] = [];
    const transport: Transport = (request) => {
      signedBy.push(/Credential=([^/]+)\//.exec(request.headers["authorization"] ?? "")?.[1] ?? "");
      return defaultTransport()(request);
    };
    const lcic = new LcicClient({
      endpoint: mock.url,
      transport,
      credentials: fromCvmRole({ endpoint: `${metadata.origin}/latest/meta-data/` }),
      clock,
      retry: false,
      rateLimit: false,
      env: {},
    });
    const request: GetRoomEventRequest = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" };
    const calls = await Promise.all(Array.from({ length: 16 }, () => lcic.getRoomEvent(request)));
    expect(calls.every((r) => r.Total === 1)).toBe(true);
    expect(metadata.issued).toHaveLength(1);
    const [first, second] = [credentialNumber("role", 1).secretId, credentialNumber("role", 2).secretId];
    expect(new Set(signedBy)).toEqual(new Set([first]));

    // 26 minutes in, within the 5-minute margin: this call still goes with the first while the second is fetched.
    clock.tick(26 * MINUTE);
    await lcic.getRoomEvent(request);
    await settle();
    expect(metadata.issued).toHaveLength(2);
    // 31 minutes in: the first has expired (the mock would still take it); the client signs with the second.
    clock.tick(5 * MINUTE);
    await lcic.getRoomEvent(request);
    expect(metadata.issued).toHaveLength(2);
    expect(signedBy.slice(16)).toEqual([first, second]);

    // The metadata service fails once the second expires: the call fails before sending, naming the provider.
    metadata.fail = "http500";
    clock.tick(30 * MINUTE);
    const error = await lcic.getRoomEvent(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("ClientError.Credentials");
    expect((error as ApiError).message).toContain("fromCvmRole");
    expect(JSON.stringify(error) + String(error)).not.toContain(credentialNumber("role", 2).secretKey);
  });
});

describe("generated ChatClient with a userSig provider", () => {
  it("calls the mock with the provided UserSig, and asks again after the mock answers 70001", async () => {
    const clock = new InstantClock(START);
    const mock = await listening(clock);
    const chatKey = MOCK_DEFAULT_CREDENTIALS.chat[0]!;
    const given: number[] = [];
    // The first UserSig was made a day ago with a one-hour lifetime (say, a stale one from a cache): the mock refuses it.
    const provider = async () => {
      const madeAt = given.length === 0 ? clock.now() - 24 * 60 * MINUTE : clock.now();
      given.push(madeAt);
      const userSig = genUserSig({
        sdkAppId: chatKey.sdkAppId,
        key: chatKey.key,
        identifier: chatKey.identifier,
        expireSeconds: 3600,
        nowSeconds: Math.floor(madeAt / 1000),
      });
      return { userSig, expiresAt: clock.now() + 60 * MINUTE };
    };
    const chat = new ChatClient({
      endpoint: mock.url,
      credentials: { sdkAppId: chatKey.sdkAppId, identifier: chatKey.identifier, userSig: provider },
      clock,
      retry: false,
      rateLimit: false,
      env: {},
    });
    const stale = await chat.getConferenceRoomInfo({ RoomId: "room-test" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((stale as ApiError).code).toBe(70001);
    const room = await chat.getConferenceRoomInfo({ RoomId: "room-test" });
    expect(room).toBeTypeOf("object");
    expect(given).toHaveLength(2);
    await Promise.all(Array.from({ length: 16 }, () => chat.getConferenceRoomInfo({ RoomId: "room-test" })));
    expect(given).toHaveLength(2);
  });
});
