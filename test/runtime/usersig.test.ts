// UserSig (tls-sig-api-v2): the fixed-clock vector, byte-for-byte agreement with the official Node library,
// verification of the Node, Python and Go serialisations by recomputing the HMAC, and the cache.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { genUserSig, UserSigCache, verifyUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";

const require = createRequire(import.meta.url);

interface TlsSigApi {
  genUserSig(userid: string, expire: number): string;
  genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string;
}
const { Api } = require("tls-sig-api-v2") as { Api: new (sdkappid: number, key: string) => TlsSigApi };

const VECTORS_FILE = path.resolve(import.meta.dirname, "../../../shared/reference/vectors.json");
const usersigVectors = (JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as { usersig: Record<string, Record<string, unknown>> }).usersig;
const fixed = usersigVectors["fixedTime"] as {
  sdkappid: number;
  key: string;
  identifier: string;
  expire: number;
  time: number;
  hmacContent: string;
  hmacSha256Base64: string;
  jsonDoc: string;
  zlibDeflatedHex: string;
  base64Standard: string;
  usersig: string;
};
const live = usersigVectors["live"] as { usersig: string; decoded: string; generatedAtUnix: number };
const privateMapKey = usersigVectors["privateMapKey_fixedTime"] as { sig: string; decoded: string; time: number };

const SDKAPPID = fixed.sdkappid;
const KEY = fixed.key;
const T = fixed.time;
const ok = { sdkAppId: SDKAPPID, key: KEY, identifier: "admin", nowSeconds: T };

const escape = (b64: string) => b64.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
const decode = (sig: string) => inflateSync(Buffer.from(sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64")).toString("utf8");
const hmacB64 = (key: string, content: string) => createHmac("sha256", key).update(content).digest("base64");

afterEach(() => {
  vi.restoreAllMocks();
});

/** The official library's output with Date.now frozen at `seconds`. */
function official<T>(seconds: number, run: () => T): T {
  const spy = vi.spyOn(Date, "now").mockReturnValue(seconds * 1000 + 999);
  try {
    return run();
  } finally {
    spy.mockRestore();
  }
}

describe("genUserSig", () => {
  it("gives the fixed-clock vector byte for byte, with every intermediate value", () => {
    const sig = genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: "admin", expireSeconds: 86400, nowSeconds: T });
    expect(sig).toBe(fixed.usersig);
    const deflated = Buffer.from(sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64");
    expect(deflated.toString("base64")).toBe(fixed.base64Standard);
    expect(deflated.toString("hex")).toBe(fixed.zlibDeflatedHex);
    expect(decode(sig)).toBe(fixed.jsonDoc);
    expect(hmacB64(KEY, fixed.hmacContent)).toBe(fixed.hmacSha256Base64);
    expect(JSON.parse(decode(sig))["TLS.sig"]).toBe(fixed.hmacSha256Base64);
  });

  it("gives the PrivateMapKey vector when given its userbuf", () => {
    const doc = JSON.parse(privateMapKey.decoded) as Record<string, string>;
    const userBuf = Buffer.from(doc["TLS.userbuf"] ?? "", "base64");
    expect(userBuf.length).toBeGreaterThan(0);
    const sig = genUserSig({
      sdkAppId: SDKAPPID,
      key: KEY,
      identifier: "admin",
      expireSeconds: 86400,
      nowSeconds: privateMapKey.time,
      userBuf,
    });
    expect(sig).toBe(privateMapKey.sig);
  });

  it("is byte-identical to tls-sig-api-v2 for random identifiers, lifetimes and times", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
        fc.integer({ min: 1, max: 86400 * 365 * 5 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1_400_000_000, max: 1_600_000_000 }),
        (identifier, expire, now, sdkAppId) => {
          const theirs = official(now, () => new Api(sdkAppId, KEY).genUserSig(identifier, expire));
          const ours = genUserSig({ sdkAppId, key: KEY, identifier, expireSeconds: expire, nowSeconds: now });
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is byte-identical to tls-sig-api-v2's PrivateMapKey when given the same userbuf", () => {
    const theirs = official(T, () => new Api(SDKAPPID, KEY).genPrivateMapKey("user_1", 300, 12345, 42));
    const userBuf = Buffer.from((JSON.parse(decode(theirs)) as Record<string, string>)["TLS.userbuf"] ?? "", "base64");
    expect(genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: "user_1", expireSeconds: 300, nowSeconds: T, userBuf })).toBe(theirs);
  });

  it("defaults the time to the current clock", () => {
    vi.spyOn(Date, "now").mockReturnValue(T * 1000 + 500);
    expect(genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: "admin", expireSeconds: 86400 })).toBe(fixed.usersig);
  });

  it("refuses input it cannot sign", () => {
    const base = { sdkAppId: SDKAPPID, key: KEY, identifier: "admin", expireSeconds: 86400, nowSeconds: T };
    expect(() => genUserSig({ ...base, sdkAppId: 0 })).toThrow(RangeError);
    expect(() => genUserSig({ ...base, expireSeconds: 0 })).toThrow(RangeError);
    expect(() => genUserSig({ ...base, nowSeconds: 1.5 })).toThrow(RangeError);
    expect(() => genUserSig({ ...base, key: "" })).toThrow(TypeError);
    expect(() => genUserSig({ ...base, identifier: "" })).toThrow(TypeError);
    expect(() => genUserSig({ ...base, identifier: "admin\nTLS.sdkappid:1" })).toThrow(TypeError);
  });
});

/** Builds a UserSig by hand in another library's serialisation, with a correct or given HMAC. */
function handMade(opts: {
  style: "python" | "go";
  identifier?: string;
  sdkAppId?: number;
  time?: number;
  expire?: number;
  key?: string;
  userBuf?: string;
  sig?: string;
}): string {
  const identifier = opts.identifier ?? "admin";
  const sdkAppId = opts.sdkAppId ?? SDKAPPID;
  const time = opts.time ?? T;
  const expire = opts.expire ?? 86400;
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (opts.userBuf !== undefined) content += `TLS.userbuf:${opts.userBuf}\n`;
  const sig = opts.sig ?? hmacB64(opts.key ?? KEY, content);
  if (opts.style === "python") {
    // json.dumps(m) with its default ", " / ": " separators, non-ASCII escaped, expire before time; zlib.compress.
    const ascii = JSON.stringify(identifier).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const userBuf = opts.userBuf === undefined ? "" : `, "TLS.userbuf": "${opts.userBuf}"`;
    const json = `{"TLS.ver": "2.0", "TLS.identifier": ${ascii}, "TLS.sdkappid": ${sdkAppId}, "TLS.expire": ${expire}, "TLS.time": ${time}${userBuf}, "TLS.sig": "${sig}"}`;
    return escape(deflateSync(Buffer.from(json)).toString("base64"));
  }
  // Go: json.Marshal of a map (sorted keys, no spaces), encoder newline, stored (uncompressed) zlib blocks.
  const doc: Record<string, unknown> = {
    "TLS.expire": expire,
    "TLS.identifier": identifier,
    "TLS.sdkappid": sdkAppId,
    "TLS.sig": sig,
    "TLS.time": time,
    ...(opts.userBuf === undefined ? {} : { "TLS.userbuf": opts.userBuf }),
    "TLS.ver": "2.0",
  };
  return escape(deflateSync(Buffer.from(JSON.stringify(doc) + "\n"), { level: 0 }).toString("base64"));
}

describe("verifyUserSig", () => {
  it("accepts the vectors and reports when they expire", () => {
    expect(verifyUserSig(fixed.usersig, ok)).toEqual({ ok: true, expiresAt: T + 86400 });
    const liveTime = (JSON.parse(live.decoded) as Record<string, number>)["TLS.time"] ?? 0;
    expect(verifyUserSig(live.usersig, { ...ok, nowSeconds: liveTime })).toEqual({
      ok: true,
      expiresAt: liveTime + 86400,
    });
    expect(verifyUserSig(privateMapKey.sig, ok)).toEqual({ ok: true, expiresAt: T + 86400 });
  });

  it("accepts UserSigs from tls-sig-api-v2, including a PrivateMapKey", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), fc.integer({ min: 1, max: 86400 * 365 }), (identifier, expire) => {
        const theirs = official(T, () => new Api(SDKAPPID, KEY).genUserSig(identifier, expire));
        expect(verifyUserSig(theirs, { ...ok, identifier, nowSeconds: T + expire })).toEqual({
          ok: true,
          expiresAt: T + expire,
        });
        expect(verifyUserSig(theirs, { ...ok, identifier, key: KEY.replace("5", "6") }).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
    const pmk = official(T, () => new Api(SDKAPPID, KEY).genPrivateMapKey("admin", 300, 10000, 255));
    expect(verifyUserSig(pmk, ok)).toEqual({ ok: true, expiresAt: T + 300 });
  });

  it("recomputes the HMAC from the parsed fields: a re-signed document passes, an edited one fails", () => {
    const doc = JSON.parse(decode(fixed.usersig)) as Record<string, unknown>;
    const reencode = (d: Record<string, unknown>) => escape(deflateSync(Buffer.from(JSON.stringify(d))).toString("base64"));
    // A longer lifetime without a new HMAC is refused as a wrong signature, not accepted as valid.
    expect(verifyUserSig(reencode({ ...doc, "TLS.expire": 86400 * 365 }), ok)).toMatchObject({
      ok: false,
      code: 70009,
    });
    const resigned = {
      ...doc,
      "TLS.expire": 100,
      "TLS.sig": hmacB64(KEY, `TLS.identifier:admin\nTLS.sdkappid:${SDKAPPID}\nTLS.time:${T}\nTLS.expire:100\n`),
    };
    expect(verifyUserSig(reencode(resigned), ok)).toEqual({ ok: true, expiresAt: T + 100 });
    // Dropping the userbuf of a PrivateMapKey changes the signed text.
    const pmk = JSON.parse(decode(privateMapKey.sig)) as Record<string, unknown>;
    delete pmk["TLS.userbuf"];
    expect(verifyUserSig(reencode(pmk), ok)).toMatchObject({ ok: false, code: 70009 });
  });

  it("accepts the Python serialisation (spaces, expire before time, escaped non-ASCII)", () => {
    const sig = handMade({ style: "python" });
    expect(decode(sig)).toContain('"TLS.expire": 86400, "TLS.time": 1551113065');
    expect(sig).not.toBe(fixed.usersig);
    expect(verifyUserSig(sig, ok)).toEqual({ ok: true, expiresAt: T + 86400 });
    const chinese = handMade({ style: "python", identifier: "用户" });
    expect(decode(chinese)).toContain("\\u7528\\u6237");
    expect(verifyUserSig(chinese, { ...ok, identifier: "用户" })).toEqual({ ok: true, expiresAt: T + 86400 });
    expect(verifyUserSig(handMade({ style: "python", userBuf: "AAECAw==" }), ok).ok).toBe(true);
  });

  it("accepts the Go serialisation (sorted keys, trailing newline, stored zlib blocks)", () => {
    expect(verifyUserSig(handMade({ style: "go" }), ok)).toEqual({ ok: true, expiresAt: T + 86400 });
    expect(verifyUserSig(handMade({ style: "go", userBuf: "AAECAw==" }), ok)).toEqual({
      ok: true,
      expiresAt: T + 86400,
    });
  });

  it("70001: expired once now passes time + expire", () => {
    expect(verifyUserSig(fixed.usersig, { ...ok, nowSeconds: T + 86400 }).ok).toBe(true);
    expect(verifyUserSig(fixed.usersig, { ...ok, nowSeconds: T + 86401 })).toMatchObject({ ok: false, code: 70001 });
    expect(verifyUserSig(handMade({ style: "python", expire: 10 }), { ...ok, nowSeconds: T + 11 })).toMatchObject({
      ok: false,
      code: 70001,
    });
  });

  it("70003: not a UserSig", () => {
    const notJson = escape(deflateSync(Buffer.from("not json")).toString("base64"));
    const array = escape(deflateSync(Buffer.from("[1,2]")).toString("base64"));
    const noSig = escape(
      deflateSync(Buffer.from('{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.time":1,"TLS.expire":1}')).toString("base64"),
    );
    const stringTime = escape(
      deflateSync(
        Buffer.from('{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.time":"1","TLS.expire":1,"TLS.sig":"x"}'),
      ).toString("base64"),
    );
    const oldVersion = escape(deflateSync(Buffer.from(decode(fixed.usersig).replace('"2.0"', '"1.0"'))).toString("base64"));
    const bomb = escape(deflateSync(Buffer.alloc(1_000_000, 0x20)).toString("base64"));
    for (const bad of [
      "",
      "not a usersig!",
      "eJw1",
      escape(Buffer.from("plain text").toString("base64")),
      notJson,
      array,
      noSig,
      stringTime,
      oldVersion,
      bomb,
    ]) {
      const result = verifyUserSig(bad, ok);
      expect(result, bad.slice(0, 20)).toMatchObject({ ok: false, code: 70003 });
    }
  });

  it("70009: signed with another key", () => {
    const result = verifyUserSig(fixed.usersig, { ...ok, key: "another-key" });
    expect(result).toMatchObject({ ok: false, code: 70009 });
    if (!result.ok) expect(result.message).not.toContain(KEY);
    expect(verifyUserSig(handMade({ style: "python", key: "another-key" }), ok)).toMatchObject({
      ok: false,
      code: 70009,
    });
    expect(verifyUserSig(handMade({ style: "go", sig: "not base64 at all" }), ok)).toMatchObject({
      ok: false,
      code: 70009,
    });
  });

  it("70013: issued for another identifier; 70014: for another SdkAppId", () => {
    expect(verifyUserSig(fixed.usersig, { ...ok, identifier: "admin2" })).toMatchObject({ ok: false, code: 70013 });
    expect(verifyUserSig(fixed.usersig, { ...ok, identifier: "Admin" })).toMatchObject({ ok: false, code: 70013 });
    expect(verifyUserSig(fixed.usersig, { ...ok, sdkAppId: SDKAPPID + 1 })).toMatchObject({ ok: false, code: 70014 });
  });
});

describe("UserSigCache", () => {
  it("reuses the UserSig until refreshBeforeSeconds before expiry, then regenerates", () => {
    let ms = T * 1000;
    const cache = new UserSigCache({
      sdkAppId: SDKAPPID,
      key: KEY,
      identifier: "admin",
      expireSeconds: 1000,
      refreshBeforeSeconds: 100,
      now: () => ms,
    });
    const first = cache.get();
    expect(first).toBe(genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: "admin", expireSeconds: 1000, nowSeconds: T }));
    ms += 899_999;
    expect(cache.get()).toBe(first);
    ms += 1;
    const second = cache.get();
    expect(second).not.toBe(first);
    expect(verifyUserSig(second, { ...ok, nowSeconds: T + 900 })).toEqual({ ok: true, expiresAt: T + 900 + 1000 });
    expect(cache.get()).toBe(second);
    cache.invalidate();
    ms += 1000;
    const third = cache.get();
    expect(third).not.toBe(second);
    expect(verifyUserSig(third, { ...ok, nowSeconds: T + 901 })).toEqual({ ok: true, expiresAt: T + 901 + 1000 });
  });

  it("defaults to a one-day UserSig refreshed an hour early, and refuses a refresh margin beyond the lifetime", () => {
    const cache = new UserSigCache({ sdkAppId: SDKAPPID, key: KEY, identifier: "admin", now: () => T * 1000 });
    expect(cache.expireSeconds).toBe(86400);
    expect(cache.refreshBeforeSeconds).toBe(3600);
    expect(cache.get()).toBe(fixed.usersig);
    expect(new UserSigCache({ sdkAppId: SDKAPPID, key: KEY, identifier: "admin", expireSeconds: 600 }).refreshBeforeSeconds).toBe(60);
    expect(
      () =>
        new UserSigCache({
          sdkAppId: SDKAPPID,
          key: KEY,
          identifier: "admin",
          expireSeconds: 60,
          refreshBeforeSeconds: 60,
        }),
    ).toThrow(RangeError);
  });
});
