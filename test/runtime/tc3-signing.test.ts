// TC3-HMAC-SHA256: the reference vectors, byte-for-byte interop with tencentcloud-sdk-nodejs (its signer
// and the request its clients really send), and the mock server's verification.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  deriveTc3Keys,
  HmacSha256Key,
  parseTc3Authorization,
  signTc3,
  tc3Date,
  Tc3KeyCache,
  verifyTc3,
  type Tc3Credential,
  type Tc3SignInput,
  type Tc3Signature,
  type Tc3VerifyRequest,
} from "../../templates/runtime/src/protocols/tc3/signing.js";

const require = createRequire(import.meta.url);

interface Vector {
  inputs: {
    secretId?: string;
    secretKey?: string;
    timestamp: number;
    service: string;
    host: string;
    action?: string;
    version?: string;
    region?: string | null;
    contentType: string;
    body: string;
  };
  intermediates?: Record<string, string>;
  authorization: string;
  hashedPayload?: string;
  hashedCanonicalRequest?: string;
  signature?: string;
  sdkWireRequest_noRegion_fixedTraceId?: { headersInWireOrder: Array<[string, string]>; body: string };
  sdkWireRequest_withRegionLanguageToken?: { headersInWireOrder: Array<[string, string]>; body: string };
}

const VECTORS_FILE = path.resolve(import.meta.dirname, "../../../shared/reference/vectors.json");
const vectors = (JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as { tc3: Record<string, unknown> }).tc3;
const tc3Vectors = Object.entries(vectors).filter(([name]) => name !== "algorithm") as Array<[string, Vector]>;
const main = vectors["lcic_DescribeRoomStatistics"] as Vector;

const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const TS = 1551113065;

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

function inputOf(v: Vector): Tc3SignInput {
  const i = v.inputs;
  return {
    // The vectors without keys use the C.1 pair (PROTOCOLS.md C.2: "same key and timestamp").
    secretId: i.secretId ?? SECRET_ID,
    secretKey: i.secretKey ?? SECRET_KEY,
    service: i.service,
    host: i.host,
    action: i.action ?? "GetRoomEvent",
    version: i.version ?? "2022-08-17",
    region: i.region ?? undefined,
    timestamp: i.timestamp,
    payload: i.body,
    contentType: i.contentType,
  };
}

describe("signTc3 against vectors.json", () => {
  it("covers every TC3 vector in the file", () => {
    expect(tc3Vectors.map(([n]) => n)).toEqual([
      "lcic_DescribeRoomStatistics",
      "lcic_GetRoomEvent",
      "lcic_GetRoomEvent_intlHost",
      "trtc_DescribeUserEvent",
      "officialDocExample_cvm_DescribeInstances_masked_doc_key",
      "officialDocExample_cvm_DescribeInstances_EXAMPLE_key",
    ]);
  });

  for (const [name, v] of tc3Vectors) {
    it(`${name}: Authorization and every intermediate value`, () => {
      const s = signTc3(inputOf(v));
      expect(s.authorization).toBe(v.authorization);
      expect(s.headers["Authorization"]).toBe(v.authorization);
      const hashedPayload = v.intermediates?.["hashedPayload"] ?? v.hashedPayload;
      if (hashedPayload !== undefined) expect(s.canonicalRequest.split("\n").at(-1)).toBe(hashedPayload);
      const hashedCanonical = v.intermediates?.["hashedCanonicalRequest"] ?? v.hashedCanonicalRequest;
      if (hashedCanonical !== undefined) {
        expect(sha256(s.canonicalRequest)).toBe(hashedCanonical);
        expect(s.stringToSign.split("\n").at(-1)).toBe(hashedCanonical);
      }
      if (v.signature !== undefined) expect(s.signature).toBe(v.signature);
      const im = v.intermediates;
      if (im) {
        expect(s.canonicalRequest).toBe(im["canonicalRequest"]);
        expect(s.canonicalRequest).toContain(`\n${im["canonicalHeaders"]}\n${im["signedHeaders"]}\n`);
        expect(s.credentialScope).toBe(im["credentialScope"]);
        expect(s.stringToSign).toBe(im["stringToSign"]);
        expect(s.signature).toBe(im["signature"]);
        expect(s.authorization).toBe(im["authorization"]);
        expect(tc3Date(v.inputs.timestamp)).toBe(im["date"]);
        const keys = deriveTc3Keys(inputOf(v).secretKey, im["date"] ?? "", v.inputs.service);
        expect(keys.kDate.toString("hex")).toBe(im["kDateHex"]);
        expect(keys.kService.toString("hex")).toBe(im["kServiceHex"]);
        expect(keys.kSigning.toString("hex")).toBe(im["kSigningHex"]);
      }
    });
  }

  it("reproduces the documentation's anchor signature (masked doc key, charset=utf-8)", () => {
    const s = signTc3({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3*******",
      service: "cvm",
      host: "cvm.tencentcloudapi.com",
      action: "DescribeInstances",
      version: "2017-03-12",
      region: "ap-guangzhou",
      timestamp: TS,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(sha256(s.canonicalRequest)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(s.signature).toBe("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    // The default Content-Type is the documentation's.
    expect(s.headers["Content-Type"]).toBe("application/json; charset=utf-8");
  });

  it("sends the SDK's X-TC-* header values, and they do not change the Authorization", () => {
    const wire = main.sdkWireRequest_withRegionLanguageToken;
    expect(wire).toBeDefined();
    const sent = Object.fromEntries(wire?.headersInWireOrder ?? []);
    const s = signTc3({ ...inputOf(main), region: "ap-guangzhou", token: "EXAMPLE_SESSION_TOKEN", language: "en-US" });
    expect(Object.keys(s.headers)).toEqual([
      "Content-Type",
      "Host",
      "X-TC-Action",
      "X-TC-Version",
      "X-TC-Timestamp",
      "X-TC-Region",
      "X-TC-Token",
      "X-TC-Language",
      "Authorization",
    ]);
    for (const [name, value] of Object.entries(s.headers)) expect(sent[name], name).toBe(value);
    expect(s.authorization).toBe(main.authorization);

    const bare = signTc3(inputOf(main));
    expect(Object.keys(bare.headers)).not.toContain("X-TC-Region");
    expect(Object.keys(bare.headers)).not.toContain("X-TC-Token");
    expect(Object.keys(bare.headers)).not.toContain("X-TC-Language");
  });

  it("takes the service from the input, never from the host, and signs the host without its port", () => {
    const base = inputOf(main);
    const local = signTc3({ ...base, host: "127.0.0.1:8080" });
    expect(local.credentialScope).toBe("2019-02-25/lcic/tc3_request");
    expect(local.headers["Host"]).toBe("127.0.0.1:8080");
    expect(local.canonicalRequest).toContain("\nhost:127.0.0.1\n");
    expect(signTc3({ ...base, host: "lcic.tencentcloudapi.com:443" }).authorization).toBe(main.authorization);
    expect(signTc3({ ...base, host: "[::1]:9000" }).canonicalRequest).toContain("\nhost:[::1]\n");
  });

  it("refuses input that cannot be signed", () => {
    const base = inputOf(main);
    expect(() => signTc3({ ...base, timestamp: 1.5 })).toThrow(RangeError);
    expect(() => signTc3({ ...base, timestamp: -1 })).toThrow(RangeError);
    expect(() => signTc3({ ...base, host: "http://lcic.tencentcloudapi.com/" })).toThrow(TypeError);
    expect(() => signTc3({ ...base, service: "" })).toThrow(TypeError);
    expect(() => signTc3({ ...base, secretId: "a/b" })).toThrow(TypeError);
    expect(() => signTc3({ ...base, region: "ap-guangzhou\r\nX-Evil: 1" })).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Interop with tencentcloud-sdk-nodejs

interface SdkSignApi {
  sign3(args: {
    method?: string;
    url?: string;
    payload: unknown;
    timestamp: number;
    service: string;
    secretId: string;
    secretKey: string;
    multipart: boolean;
    boundary: string;
    headers: Record<string, string>;
  }): string;
}
const SdkSign = (require("tencentcloud-sdk-nodejs/tencentcloud/common/sign.js") as { default: SdkSignApi }).default;

type SdkClient = Record<string, (req: unknown) => Promise<unknown>>;
type SdkClientClass = new (config: unknown) => SdkClient;
const LcicClient = (require("tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js") as { Client: SdkClientClass }).Client;
const TrtcClient = (require("tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_client.js") as { Client: SdkClientClass }).Client;

function sdkAuthorization(i: Tc3SignInput, contentType: string): string {
  return SdkSign.sign3({
    method: "POST",
    url: `https://${i.host}/`,
    // A Buffer is hashed as is; anything else would be re-serialised by json-bigint.
    payload: Buffer.from(i.payload, "utf8"),
    timestamp: i.timestamp,
    service: i.service,
    secretId: i.secretId,
    secretKey: i.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": contentType },
  });
}

const ACTIONS = [
  { service: "lcic", host: "lcic.tencentcloudapi.com", action: "GetRoomEvent", version: "2022-08-17" },
  { service: "lcic", host: "lcic.intl.tencentcloudapi.com", action: "DescribeRoomStatistics", version: "2022-08-17" },
  { service: "trtc", host: "trtc.tencentcloudapi.com", action: "DescribeUserEvent", version: "2019-07-22" },
  { service: "trtc", host: "trtc.intl.tencentcloudapi.com", action: "DescribeUserEvent", version: "2019-07-22" },
] as const;

describe("HmacSha256Key", () => {
  const expected = (key: Uint8Array, message: string) => createHmac("sha256", key).update(message, "utf8").digest("hex");

  it("equals createHmac for any key and message, short keys, long keys (hashed first) and long messages alike", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.string({ unit: "binary", maxLength: 500 }), (key, message) => {
        const hmac = new HmacSha256Key(Buffer.from(key));
        expect(hmac.hex(message)).toBe(expected(key, message));
        // The kept blocks hold the last message: a shorter one after it must not see its tail.
        expect(hmac.hex(message.slice(0, message.length >> 1))).toBe(expected(key, message.slice(0, message.length >> 1)));
      }),
      { numRuns: 300 },
    );
  });

  it("gives RFC 4231 test case 2 and handles messages past the kept block", () => {
    const hmac = new HmacSha256Key(Buffer.from("Jefe"));
    expect(hmac.hex("what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const long = "€".repeat(2000);
    expect(hmac.hex(long)).toBe(expected(Buffer.from("Jefe"), long));
  });
});

describe("Tc3KeyCache", () => {
  it("signs byte-for-byte like signTc3 without it, across keys, services and UTC dates", () => {
    const cache = new Tc3KeyCache();
    const base = inputOf(main);
    const inputs: Tc3SignInput[] = [
      base,
      { ...base, payload: '{"RoomId":2}' },
      { ...base, timestamp: base.timestamp + 86_400 },
      { ...base, service: "trtc" },
      { ...base, secretKey: `${base.secretKey}2` },
      base,
    ];
    for (const input of inputs) {
      expect(signTc3({ ...input, keyCache: cache })).toEqual(signTc3(input));
    }
  });

  it("derives the key once per (secret key, UTC date, service)", () => {
    const cache = new Tc3KeyCache();
    const first = cache.signingKey(SECRET_KEY, "2019-02-25", "lcic");
    expect(first.equals(deriveTc3Keys(SECRET_KEY, "2019-02-25", "lcic").kSigning)).toBe(true);
    expect(cache.signingKey(SECRET_KEY, "2019-02-25", "lcic")).toBe(first);
    expect(cache.signingKey(SECRET_KEY, "2019-02-26", "lcic")).not.toBe(first);
    cache.clear();
    expect(cache.signingKey(SECRET_KEY, "2019-02-25", "lcic").equals(first)).toBe(true);
  });

  it("shows neither the key nor the derived key", () => {
    const cache = new Tc3KeyCache();
    const kSigning = cache.signingKey(SECRET_KEY, "2019-02-25", "lcic");
    for (const text of [inspect(cache, { showHidden: true, depth: 5 }), JSON.stringify(cache), String(cache)]) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(kSigning.toString("hex"));
    }
  });
});

describe("interop with tencentcloud-sdk-nodejs 4.1.313: its sign3()", () => {
  it("gives the same Authorization for every vector", () => {
    for (const [, v] of tc3Vectors) {
      const i = inputOf(v);
      expect(signTc3(i).authorization).toBe(sdkAuthorization(i, v.inputs.contentType));
    }
  });

  it("gives the same Authorization for random keys, times, actions and payloads", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIONS),
        fc.stringMatching(/^[A-Za-z0-9]{1,40}$/),
        fc.string({ minLength: 1, maxLength: 48, unit: "binary" }),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.json(),
        fc.constantFrom("application/json", "application/json; charset=utf-8"),
        (a, secretId, secretKey, timestamp, payload, contentType) => {
          const input: Tc3SignInput = { ...a, secretId, secretKey, timestamp, payload, contentType };
          expect(signTc3(input).authorization).toBe(sdkAuthorization(input, contentType));
        },
      ),
      { numRuns: 300 },
    );
  });
});

interface Captured {
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

describe("interop with tencentcloud-sdk-nodejs 4.1.313: the request its clients send", () => {
  let server: http.Server;
  let port = 0;
  const captured: Captured[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        captured.push({
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"Response":{"RequestId":"r1"}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Calls `method` through the real SDK client, with the clock frozen at `timestamp`, and captures the request. */
  async function sdkCall(opts: {
    Client: SdkClientClass;
    method: string;
    req: unknown;
    endpoint?: string;
    secretId: string;
    secretKey: string;
    token?: string;
    region?: string;
    language?: string;
    contentType?: string;
    timestamp: number;
  }): Promise<Captured> {
    // Keep the real host in the URL (so Host and the SDK's service are real) and route the socket here.
    const agent = new http.Agent({ keepAlive: false });
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(port, "127.0.0.1");
    const headers: Record<string, string> = { "X-TC-TraceId": "00000000-0000-4000-8000-000000000000" };
    if (opts.contentType !== undefined) headers["Content-Type"] = opts.contentType;
    const client = new opts.Client({
      credential: { secretId: opts.secretId, secretKey: opts.secretKey, token: opts.token },
      region: opts.region,
      profile: {
        language: opts.language,
        httpProfile: { protocol: "http://", agent, headers, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) },
      },
    });
    const before = captured.length;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(opts.timestamp * 1000);
    try {
      const call = client[opts.method];
      if (!call) throw new Error(`the SDK client has no method ${opts.method}`);
      await call.call(client, opts.req);
    } finally {
      vi.useRealTimers();
      agent.destroy();
    }
    expect(captured.length).toBe(before + 1);
    const last = captured.at(-1);
    if (!last) throw new Error("nothing captured");
    return last;
  }

  const lowerCased = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  function expectSameAsOurs(c: Captured, input: Omit<Tc3SignInput, "payload">): Tc3Signature {
    const ours = signTc3({ ...input, payload: c.body });
    expect(c.headers["authorization"]).toBe(ours.authorization);
    // Every header we would send has the value the SDK sent.
    for (const [name, value] of Object.entries(lowerCased(ours.headers))) expect(c.headers[name], name).toBe(value);
    // The SDK's request verifies on our mock server.
    const request: Tc3VerifyRequest = { method: "POST", headers: c.headers as Record<string, string>, body: c.body };
    const lookup = (id: string): Tc3Credential | undefined =>
      id === input.secretId ? { secretKey: input.secretKey, token: input.token } : undefined;
    expect(verifyTc3(request, lookup, { nowSeconds: input.timestamp, expectedService: input.service })).toEqual({
      ok: true,
      secretId: input.secretId,
      service: input.service,
      date: tc3Date(input.timestamp),
    });
    return ours;
  }

  it("LCIC DescribeRoomStatistics: the vector's request, byte for byte", async () => {
    const c = await sdkCall({
      Client: LcicClient,
      method: "DescribeRoomStatistics",
      req: { RoomId: 1, Page: 1, Limit: 1 },
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      timestamp: TS,
    });
    expect(c.body).toBe(main.inputs.body);
    const wire = main.sdkWireRequest_noRegion_fixedTraceId?.headersInWireOrder ?? [];
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < c.rawHeaders.length; i += 2) pairs.push([c.rawHeaders[i] ?? "", c.rawHeaders[i + 1] ?? ""]);
    // Connection depends on the agent; the rest is the recorded wire request.
    expect(pairs.filter(([n]) => n !== "Connection")).toEqual(wire.filter(([n]) => n !== "Connection"));
    const ours = expectSameAsOurs(c, { ...inputOf(main), contentType: "application/json" });
    expect(ours.authorization).toBe(main.authorization);
  });

  it("LCIC GetRoomEvent on the intl endpoint, with region, token and language", async () => {
    const req = { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10 };
    const common = {
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      token: "EXAMPLE_SESSION_TOKEN",
      region: "ap-guangzhou",
    };
    const c = await sdkCall({
      Client: LcicClient,
      method: "GetRoomEvent",
      req,
      endpoint: "lcic.intl.tencentcloudapi.com",
      language: "en-US",
      timestamp: TS,
      ...common,
    });
    expect(c.body).toBe(JSON.stringify(req));
    const ours = expectSameAsOurs(c, {
      ...common,
      service: "lcic",
      host: "lcic.intl.tencentcloudapi.com",
      action: "GetRoomEvent",
      version: "2022-08-17",
      language: "en-US",
      timestamp: TS,
      contentType: "application/json",
    });
    expect(ours.authorization).toBe((vectors["lcic_GetRoomEvent_intlHost"] as Vector).authorization);
  });

  it("TRTC DescribeUserEvent with region, and with our default Content-Type supplied to the SDK", async () => {
    const trtc = vectors["trtc_DescribeUserEvent"] as Vector;
    const req = JSON.parse(trtc.inputs.body) as unknown;
    const input = {
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: "trtc",
      host: "trtc.tencentcloudapi.com",
      action: "DescribeUserEvent",
      version: "2019-07-22",
      region: "ap-singapore",
      timestamp: TS,
    };
    const plain = await sdkCall({ Client: TrtcClient, method: "DescribeUserEvent", req, ...input });
    const ours = expectSameAsOurs(plain, { ...input, contentType: "application/json" });
    expect(ours.authorization).toContain("Signature=df15ceed418b7fcbfe79ace9790658eaa172418f934d9f392aa1244f855303f6");

    const charset = await sdkCall({
      Client: TrtcClient,
      method: "DescribeUserEvent",
      req,
      contentType: "application/json; charset=utf-8",
      ...input,
    });
    expect(charset.headers["content-type"]).toBe("application/json; charset=utf-8");
    expectSameAsOurs(charset, input);
  });

  it("random payloads, keys and times through the LCIC and TRTC clients", async () => {
    const clients = [
      {
        Client: LcicClient,
        service: "lcic",
        host: "lcic.tencentcloudapi.com",
        method: "GetRoomEvent",
        version: "2022-08-17",
      },
      {
        Client: LcicClient,
        service: "lcic",
        host: "lcic.tencentcloudapi.com",
        method: "DescribeRoomStatistics",
        version: "2022-08-17",
      },
      {
        Client: TrtcClient,
        service: "trtc",
        host: "trtc.tencentcloudapi.com",
        method: "DescribeUserEvent",
        version: "2019-07-22",
      },
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...clients),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.integer(), fc.string(), fc.boolean()), {
          maxKeys: 6,
        }),
        fc.stringMatching(/^AKID[A-Za-z0-9]{8,32}$/),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        async (k, req, secretId, secretKey, timestamp) => {
          const c = await sdkCall({ Client: k.Client, method: k.method, req, secretId, secretKey, timestamp });
          expectSameAsOurs(c, {
            secretId,
            secretKey,
            service: k.service,
            host: k.host,
            action: k.method,
            version: k.version,
            timestamp,
            contentType: "application/json",
          });
        },
      ),
      { numRuns: 25 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// verifyTc3

const KEYS: Record<string, Tc3Credential> = {
  [SECRET_ID]: { secretKey: SECRET_KEY },
  AKIDtemporary: { secretKey: "temporary-secret-key", token: "session-token-123" },
};
const lookup = (id: string): Tc3Credential | undefined => KEYS[id];

function requestOf(s: Tc3Signature, body: string): Tc3VerifyRequest {
  return {
    method: "POST",
    headers: Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body,
  };
}

const BODY = main.inputs.body;
const signed = signTc3({ ...inputOf(main), payload: BODY });
const tempInput: Tc3SignInput = {
  ...inputOf(main),
  secretId: "AKIDtemporary",
  secretKey: "temporary-secret-key",
  token: "session-token-123",
};
const tempSigned = signTc3(tempInput);
const now = { nowSeconds: TS };

function expectRefused(result: ReturnType<typeof verifyTc3>, code: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  for (const secret of [SECRET_KEY, "temporary-secret-key", "session-token-123", signed.signature, tempSigned.signature]) {
    expect(result.message).not.toContain(secret);
  }
}

/** A documentation-style signer, independent of ours: extra signed headers, values lower-cased. */
function docStyleAuthorization(headers: Record<string, string>, signedNames: string[], body: string): string {
  const canonicalHeaders = signedNames.map((n) => `${n}:${(headers[n] ?? "").trim().toLowerCase()}\n`).join("");
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedNames.join(";")}\n${sha256(body)}`;
  const date = tc3Date(TS);
  const toSign = `TC3-HMAC-SHA256\n${TS}\n${date}/lcic/tc3_request\n${sha256(canonical)}`;
  const h = (key: Buffer | string, msg: string) => createHmac("sha256", key).update(msg).digest();
  const kSigning = h(h(h("TC3" + SECRET_KEY, date), "lcic"), "tc3_request");
  const sig = createHmac("sha256", kSigning).update(toSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${date}/lcic/tc3_request, SignedHeaders=${signedNames.join(";")}, Signature=${sig}`;
}

describe("verifyTc3", () => {
  it("accepts what signTc3 produced", () => {
    expect(verifyTc3(requestOf(signed, BODY), lookup, now)).toEqual({
      ok: true,
      secretId: SECRET_ID,
      service: "lcic",
      date: "2019-02-25",
    });
    expect(verifyTc3(requestOf(tempSigned, BODY), lookup, { ...now, expectedService: "lcic" }).ok).toBe(true);
  });

  it("gives the same answers with a shared key cache, across credentials and tampering", () => {
    const cache = new Tc3KeyCache();
    const cached = { ...now, keyCache: cache };
    const tampered = { ...requestOf(signed, BODY), body: BODY + " " };
    for (let i = 0; i < 3; i++) {
      expect(verifyTc3(requestOf(signed, BODY), lookup, cached)).toEqual(verifyTc3(requestOf(signed, BODY), lookup, now));
      expect(verifyTc3(requestOf(tempSigned, BODY), lookup, cached).ok).toBe(true);
      expect(verifyTc3(tampered, lookup, cached)).toEqual(verifyTc3(tampered, lookup, now));
      expect(verifyTc3(tampered, lookup, cached).ok).toBe(false);
    }
  });

  it("accepts a Host with a port (the port is not signed) and a lower-case method", () => {
    const s = signTc3({ ...inputOf(main), host: "127.0.0.1:8080" });
    const req = requestOf(s, BODY);
    expect(verifyTc3({ ...req, method: "post" }, lookup, now).ok).toBe(true);
    expect(verifyTc3({ ...req, headers: { ...req.headers, host: "127.0.0.1:9090" } }, lookup, now).ok).toBe(true);
    expect(verifyTc3({ ...req, headers: { ...req.headers, host: "127.0.0.2:8080" } }, lookup, now).ok).toBe(false);
  });

  it("uses the signed headers the Authorization lists (documentation style, lower-cased values)", () => {
    const headers = lowerKeys(signed.headers);
    const names = ["content-type", "host", "x-tc-action"];
    const authorization = docStyleAuthorization(headers, names, BODY);
    const req = { method: "POST", headers: { ...headers, authorization }, body: BODY };
    expect(verifyTc3(req, lookup, now).ok).toBe(true);
    // x-tc-action is signed now, so changing it breaks the signature.
    expectRefused(verifyTc3({ ...req, headers: { ...req.headers, "x-tc-action": "DeleteRoom" } }, lookup, now), "AuthFailure.SignatureFailure");
  });

  it("does not notice a changed unsigned X-TC-* header, exactly like the SDK's signature scheme", () => {
    const req = requestOf(signed, BODY);
    const tampered = { ...req, headers: { ...req.headers, "x-tc-action": "DeleteRoom", "x-tc-region": "ap-beijing" } };
    expect(verifyTc3(tampered, lookup, now).ok).toBe(true);
  });

  it("refuses a missing or malformed Authorization, or a non-POST request", () => {
    const req = requestOf(signed, BODY);
    const without = { ...req, headers: { ...req.headers, authorization: undefined } };
    expectRefused(verifyTc3(without, lookup, now), "AuthFailure.InvalidAuthorization");
    for (const bad of [
      "",
      "Bearer abc",
      signed.authorization.replace("TC3-HMAC-SHA256", "HmacSHA256"),
      signed.authorization.replace(", SignedHeaders", ",SignedHeaders"),
      signed.authorization.replace(/Signature=[0-9a-f]+/, "Signature=abc"),
      signed.authorization.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${s.toUpperCase()}`),
      signed.authorization.replace("/tc3_request", "/tc2_request"),
    ]) {
      expectRefused(verifyTc3({ ...req, headers: { ...req.headers, authorization: bad } }, lookup, now), "AuthFailure.InvalidAuthorization");
    }
    expectRefused(verifyTc3({ ...req, method: "GET" }, lookup, now), "AuthFailure.InvalidAuthorization");
  });

  it("refuses a missing or malformed timestamp, and a scope date that is not the timestamp's", () => {
    const req = requestOf(signed, BODY);
    for (const ts of [undefined, "", "abc", "1551113065.5", "-1551113065"]) {
      expectRefused(verifyTc3({ ...req, headers: { ...req.headers, "x-tc-timestamp": ts } }, lookup, now), "AuthFailure.InvalidAuthorization");
    }
    // Same key and body, signed a day later but with yesterday's date in the scope.
    const later = signTc3({ ...inputOf(main), timestamp: TS + 86400 });
    const forged = requestOf(later, BODY);
    forged.headers["authorization"] = later.authorization.replace("2019-02-26", "2019-02-25");
    expectRefused(verifyTc3(forged, lookup, { nowSeconds: TS + 86400 }), "AuthFailure.InvalidAuthorization");
  });

  it("refuses a scope for another service when one is expected, and unsigned content-type or host", () => {
    const req = requestOf(signed, BODY);
    expectRefused(verifyTc3(req, lookup, { ...now, expectedService: "trtc" }), "AuthFailure.InvalidAuthorization");
    const hostOnly = {
      ...req,
      headers: { ...req.headers, authorization: signed.authorization.replace("content-type;host", "host") },
    };
    expectRefused(verifyTc3(hostOnly, lookup, now), "AuthFailure.InvalidAuthorization");
    const unsorted = {
      ...req,
      headers: {
        ...req.headers,
        authorization: signed.authorization.replace("content-type;host", "host;content-type"),
      },
    };
    expectRefused(verifyTc3(unsorted, lookup, now), "AuthFailure.InvalidAuthorization");
    const noContentType = { ...req, headers: { ...req.headers, "content-type": undefined } };
    expectRefused(verifyTc3(noContentType, lookup, now), "AuthFailure.InvalidAuthorization");
    const noHost = { ...req, headers: { ...req.headers, host: undefined } };
    expectRefused(verifyTc3(noHost, lookup, now), "AuthFailure.InvalidAuthorization");
  });

  it("refuses an unknown SecretId", () => {
    const s = signTc3({ ...inputOf(main), secretId: "AKIDunknown" });
    expectRefused(verifyTc3(requestOf(s, BODY), lookup, now), "AuthFailure.SecretIdNotFound");
  });

  it("refuses a timestamp more than five minutes (or maxSkewSeconds) away", () => {
    const req = requestOf(signed, BODY);
    expect(verifyTc3(req, lookup, { nowSeconds: TS + 300 }).ok).toBe(true);
    expect(verifyTc3(req, lookup, { nowSeconds: TS - 300 }).ok).toBe(true);
    expectRefused(verifyTc3(req, lookup, { nowSeconds: TS + 301 }), "AuthFailure.SignatureExpire");
    expectRefused(verifyTc3(req, lookup, { nowSeconds: TS - 301 }), "AuthFailure.SignatureExpire");
    expectRefused(verifyTc3(req, lookup, { nowSeconds: TS + 61, maxSkewSeconds: 60 }), "AuthFailure.SignatureExpire");
  });

  it("refuses a wrong key, a changed body and a changed signature", () => {
    const wrongKey = signTc3({ ...inputOf(main), secretKey: "not-the-key" });
    expectRefused(verifyTc3(requestOf(wrongKey, BODY), lookup, now), "AuthFailure.SignatureFailure");
    expectRefused(verifyTc3(requestOf(signed, BODY.replace("1", "2")), lookup, now), "AuthFailure.SignatureFailure");
    const req = requestOf(signed, BODY);
    const flipped = signed.authorization.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    expectRefused(verifyTc3({ ...req, headers: { ...req.headers, authorization: flipped } }, lookup, now), "AuthFailure.SignatureFailure");
  });

  it("refuses a session token that does not match the credentials", () => {
    const req = requestOf(tempSigned, BODY);
    expectRefused(verifyTc3({ ...req, headers: { ...req.headers, "x-tc-token": undefined } }, lookup, now), "AuthFailure.TokenFailure");
    expectRefused(verifyTc3({ ...req, headers: { ...req.headers, "x-tc-token": "session-token-124" } }, lookup, now), "AuthFailure.TokenFailure");
    const permanentWithToken = requestOf(signTc3({ ...inputOf(main), token: "session-token-123" }), BODY);
    expectRefused(verifyTc3(permanentWithToken, lookup, now), "AuthFailure.TokenFailure");
  });

  it("property: any single-byte change of the body or a checked header value fails verification", () => {
    // Checked: the signed headers (content-type, host), the timestamp, the Authorization, the token.
    // Hostnames and the canonical header values are case-insensitive, so a pure case flip there is not a change.
    const checked = ["content-type", "host", "x-tc-timestamp", "authorization", "x-tc-token"] as const;
    const caseFlip = (a: string, b: string) => a !== b && a.toLowerCase() === b.toLowerCase();
    fc.assert(
      fc.property(
        fc.json({ maxDepth: 3 }),
        fc.constantFrom("body", ...checked),
        fc.nat(),
        fc.integer({ min: 0x20, max: 0x7e }),
        (body, target, at, code) => {
          const s = signTc3({ ...tempInput, payload: body });
          const req = requestOf(s, body);
          const original = target === "body" ? body : (req.headers[target] ?? "");
          const i = at % original.length;
          const replacement = String.fromCharCode(code);
          const old = original[i] ?? "";
          fc.pre(replacement !== old);
          if (target === "content-type" || target === "host") fc.pre(!caseFlip(old, replacement));
          const changed = original.slice(0, i) + replacement + original.slice(i + 1);
          expect(verifyTc3(req, lookup, now).ok).toBe(true);
          const mutated = target === "body" ? { ...req, body: changed } : { ...req, headers: { ...req.headers, [target]: changed } };
          expect(verifyTc3(mutated, lookup, now).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("parses the Authorization header it verifies", () => {
    expect(parseTc3Authorization(main.authorization)).toEqual({
      secretId: SECRET_ID,
      date: "2019-02-25",
      service: "lcic",
      signedHeaders: ["content-type", "host"],
      signature: "f0d965bc41b4bf01318b0c455a040365e4fb4de002867dae290dbb9d2322fbbb",
    });
    expect(parseTc3Authorization(main.authorization + " ")).toBeUndefined();
  });
});

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
