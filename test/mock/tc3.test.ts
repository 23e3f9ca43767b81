// The TC3 gateway of the mock: authentication as the API gateway does it, every protocol error in
// the `{"Response": {"Error"}}` envelope, validation mapped to the service's codes, size and rate limits.
import { describe, expect, it } from "vitest";
import { createMock, MOCK_MAX_BODY_BYTES } from "../../templates/runtime/src/mock/server.js";
import { eduDefinition, imDefinition } from "./support/definitions.js";
import { isEnvelope, json, manualClock, NOW, TC3, tc3Code, tc3Request, type Tc3Call } from "./support/requests.js";

const EVENTS = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10 };

function setup(options: Parameters<typeof createMock>[1] = {}) {
  const clock = manualClock();
  const mock = createMock([eduDefinition, imDefinition], { now: clock.now, ...options });
  const send = (call: Tc3Call) => mock.respond(tc3Request(call, clock.now()));
  return { mock, clock, send };
}

describe("TC3 authentication", () => {
  it("accepts a request signed with an accepted key and answers the payload with a RequestId", () => {
    const { send } = setup();
    const res = send({ action: "GetRoomEvent", body: EVENTS });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    const body = json(res);
    expect(body["Response"]["Error"]).toBeUndefined();
    expect(body["Response"]["RequestId"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body["Response"]["Total"]).toBe(1);
  });

  const cases: Array<[string, Partial<Tc3Call>, string]> = [
    ["a wrong secret key", { secretKey: "not-the-key" }, "AuthFailure.SignatureFailure"],
    ["a body changed after signing", { headers: {} }, "AuthFailure.SignatureFailure"],
    ["an unknown SecretId", { secretId: "AKIDunknown" }, "AuthFailure.SecretIdNotFound"],
    ["a timestamp 301 s in the past", { timestamp: NOW / 1000 - 301 }, "AuthFailure.SignatureExpire"],
    ["a timestamp 301 s in the future", { timestamp: NOW / 1000 + 301 }, "AuthFailure.SignatureExpire"],
    ["no Authorization", { headers: { authorization: undefined } }, "AuthFailure.InvalidAuthorization"],
    ["a malformed Authorization", { headers: { authorization: "TC3-HMAC-SHA256 Credential=x" } }, "AuthFailure.InvalidAuthorization"],
    ["no X-TC-Timestamp", { headers: { "x-tc-timestamp": undefined } }, "AuthFailure.InvalidAuthorization"],
    ["a token the credentials do not have", { token: "stray-token" }, "AuthFailure.TokenFailure"],
    ["a signature for another host", { headers: { host: "other.tencentcloudapi.com" } }, "AuthFailure.SignatureFailure"],
  ];
  for (const [what, call, code] of cases) {
    it(`refuses ${what} with ${code}`, () => {
      const { mock, clock } = setup();
      const request = tc3Request({ action: "GetRoomEvent", body: EVENTS, ...call }, clock.now());
      if (what.startsWith("a body changed")) request.body = JSON.stringify({ ...EVENTS, Page: 2 });
      const res = mock.respond(request);
      expect(tc3Code(res)).toBe(code);
      expect(isEnvelope(res.body)).toBe(true);
    });
  }

  it("accepts 300 s of skew either way (the documented five minutes)", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, timestamp: NOW / 1000 - 300 }))).toBeNull();
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, timestamp: NOW / 1000 + 300 }))).toBeNull();
  });

  it("checks the session token of temporary credentials", () => {
    const { send } = setup({ credentials: { tc3: [{ secretId: "AKIDtemp", secretKey: "temp-key", token: "the-token" }] } });
    const base = { action: "GetRoomEvent", body: EVENTS, secretId: "AKIDtemp", secretKey: "temp-key" };
    expect(tc3Code(send({ ...base, token: "the-token" }))).toBeNull();
    expect(tc3Code(send(base))).toBe("AuthFailure.TokenFailure");
    expect(tc3Code(send({ ...base, token: "other" }))).toBe("AuthFailure.TokenFailure");
    // The default pair is no longer accepted once credentials are given.
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS }))).toBe("AuthFailure.SecretIdNotFound");
  });

  it("treats a signed header named like an Object property as a missing header, not a crash", () => {
    const { mock, clock } = setup();
    const request = tc3Request({ action: "GetRoomEvent", body: EVENTS }, clock.now());
    const authorization = request.headers["authorization"]!.replace("SignedHeaders=content-type;host", "SignedHeaders=constructor;content-type;host");
    const res = mock.respond({ ...request, headers: { ...request.headers, authorization } });
    expect(tc3Code(res)).toBe("AuthFailure.InvalidAuthorization");
  });

  it("verifies the host without its port, as the SDK signs it", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, host: "127.0.0.1:8080" }))).toBeNull();
  });

  it("never repeats the secret key in a message", () => {
    const { send } = setup();
    const res = send({ action: "GetRoomEvent", body: EVENTS, secretKey: "wrong" });
    expect(res.body).not.toContain(TC3.secretKey);
    expect(res.body).not.toContain("wrong");
  });
});

describe("TC3 routing and protocol errors", () => {
  it("routes by the credential scope's service: an unknown product is NoSuchProduct", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, service: "cvm" }))).toBe("NoSuchProduct");
  });

  it("answers InvalidAction for an unknown action, MissingParameter without one", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "DescribeNothing", body: {} }))).toBe("InvalidAction");
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, headers: { "x-tc-action": undefined } }))).toBe("MissingParameter");
  });

  it("answers NoSuchVersion for another version, MissingParameter without one", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, version: "2020-01-01" }))).toBe("NoSuchVersion");
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, headers: { "x-tc-version": undefined } }))).toBe("MissingParameter");
  });

  it("answers UnsupportedRegion for a region outside the list, and for none where one is required", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "DescribeRegional", body: {}, region: "ap-beijing" }))).toBeNull();
    expect(tc3Code(send({ action: "DescribeRegional", body: {}, region: "eu-frankfurt" }))).toBe("UnsupportedRegion");
    expect(tc3Code(send({ action: "DescribeRegional", body: {} }))).toBe("UnsupportedRegion");
    // An operation with no list takes any region.
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, region: "anywhere-1" }))).toBeNull();
  });

  it("answers InvalidParameter for a body that is not JSON or not an object", () => {
    const { send } = setup();
    expect(tc3Code(send({ action: "GetRoomEvent", body: "{not json" }))).toBe("InvalidParameter");
    expect(tc3Code(send({ action: "GetRoomEvent", body: "" }))).toBe("InvalidParameter");
    expect(tc3Code(send({ action: "GetRoomEvent", body: "[1,2]" }))).toBe("InvalidParameter");
  });

  it("maps validation issues with the operation's validationErrors", () => {
    const { send } = setup();
    const code = (body: unknown) => tc3Code(send({ action: "GetRoomEvent", body }));
    expect(code({ ...EVENTS, RoomId: undefined })).toBe("MissingParameter");
    expect(code({ ...EVENTS, Limit: 500 })).toBe("InvalidParameterValue");
    expect(code({ ...EVENTS, Limit: "10" })).toBe("InvalidParameter");
    expect(code({ ...EVENTS, Extra: 1 })).toBe("UnknownParameter");
    expect(code({ ...EVENTS, SdkAppId: 0 })).toBe("InvalidParameter.SdkAppId");
    const body = json(send({ action: "GetRoomEvent", body: { ...EVENTS, Limit: 500 } }));
    expect(body["Response"]["Error"]["Message"]).toBe("Limit: must be ≤ 200, got 500");
  });

  it("answers UnsupportedProtocol to anything but POST, and InvalidAction off the root path", () => {
    const { mock, clock } = setup();
    const request = tc3Request({ action: "GetRoomEvent", body: EVENTS }, clock.now());
    expect(tc3Code(mock.respond({ ...request, method: "PUT" }))).toBe("UnsupportedProtocol");
    expect(tc3Code(mock.respond({ ...request, url: "/other" }))).toBe("InvalidAction");
  });

  it(`answers RequestSizeLimitExceeded above ${MOCK_MAX_BODY_BYTES} bytes`, async () => {
    const { mock, clock } = setup();
    const request = tc3Request({ action: "GetRoomEvent", body: EVENTS }, clock.now());
    expect(tc3Code(mock.respond({ ...request, body: undefined }))).toBe("RequestSizeLimitExceeded");
    const big = `{"Pad":"${"x".repeat(MOCK_MAX_BODY_BYTES)}"}`;
    const res = await mock.fetch("https://edu.tencentcloudapi.com/", {
      method: "POST",
      headers: request.headers as Record<string, string>,
      body: big,
    });
    expect(tc3Code(await res.text())).toBe("RequestSizeLimitExceeded");
    const viaRequest = await mock.handle(
      new Request("https://edu.tencentcloudapi.com/", { method: "POST", headers: request.headers as Record<string, string>, body: big }),
    );
    expect(tc3Code(await viaRequest.text())).toBe("RequestSizeLimitExceeded");
  });

  it("answers RequestLimitExceeded beyond the spec's rate, per credential and action", () => {
    const { send, clock } = setup({ credentials: { tc3: [TC3, { secretId: "AKIDsecond", secretKey: "second-key" }] } });
    const codes = Array.from({ length: 21 }, () => tc3Code(send({ action: "GetRoomEvent", body: EVENTS })));
    expect(codes.slice(0, 20).every((c) => c === null)).toBe(true);
    expect(codes[20]).toBe("RequestLimitExceeded");
    // Another credential and another action have their own budgets.
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS, secretId: "AKIDsecond", secretKey: "second-key" }))).toBeNull();
    expect(tc3Code(send({ action: "DescribeRoomStatistics", body: { RoomId: 1, Page: 1, Limit: 1 } }))).toBeNull();
    // At most 20 in any second (a sliding window, see rate-window.ts): nothing frees until a
    // second after the first 20 arrived, then all 20 at once. A refused request is not counted.
    clock.advance(999);
    expect(tc3Code(send({ action: "GetRoomEvent", body: EVENTS }))).toBe("RequestLimitExceeded");
    clock.advance(1);
    const next = Array.from({ length: 21 }, () => tc3Code(send({ action: "GetRoomEvent", body: EVENTS })));
    expect(next.filter((c) => c === null)).toHaveLength(20);
    expect(next[20]).toBe("RequestLimitExceeded");
  });

  it("can switch rate limiting off or scale it", () => {
    const off = setup({ rateLimit: false });
    expect(Array.from({ length: 100 }, () => tc3Code(off.send({ action: "GetRoomEvent", body: EVENTS }))).every((c) => c === null)).toBe(true);
    const scaled = setup({ rateLimit: { scale: 2 } });
    const codes = Array.from({ length: 41 }, () => tc3Code(scaled.send({ action: "GetRoomEvent", body: EVENTS })));
    expect(codes.filter((c) => c === null)).toHaveLength(40);
  });

  it("writes 64-bit fields held as strings as bare JSON integers, and reads them losslessly", () => {
    const { send } = setup();
    const res = send({ action: "DescribeOwner", body: '{"OwnerId":144115233775727695}' });
    expect(res.body).toContain('"OwnerId":144115233775727695');
    expect(res.body).toContain('"Owners":[{"Id":9223372036854775807}]');
    const other = send({ action: "DescribeOwner", body: '{"OwnerId":9007199254740993}' });
    expect(other.body).toMatch(/"OwnerId":\d{16,}/);
    expect(json(other)["Response"]["OwnerId"]).toBeTypeOf("bigint");
  });
});
