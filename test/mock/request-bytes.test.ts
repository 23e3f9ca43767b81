// The body as bytes: TC3 signatures are checked over the bytes received, as the service hashes
// them, so a correctly signed body that is not UTF-8 passes authentication and then gets the
// protocol's body error. Signed by the official SDK's signer, which hashes a Buffer as it is.
import http from "node:http";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type Mock, type MockListening } from "../../templates/runtime/src/mock/server.js";
import { chatCode, chatPath, tc3Code } from "./support/requests.js";

const require = createRequire(import.meta.url);
interface SdkSignApi {
  sign3(args: {
    method: string;
    url: string;
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

const TC3 = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
const op = lcicDefinition.metadata.operations.getRoomEvent!;
const protocol = lcicDefinition.metadata.protocol as unknown as { service: string; version: string };
const HOST = lcicDefinition.metadata.endpoints.find((e) => e.default)!.host;
// The code the operation answers for an unusable body (the protocol's default when it names none).
const BODY_CODE = (op.validationErrors.codes as { body?: string }).body ?? "InvalidParameter";
const CHAT_BODY_CODE = (Object.values(chatDefinition.metadata.operations)[0]!.validationErrors.codes as { body?: number }).body ?? 60003;

/** `{"RoomId":1,…,"Keyword":"<bytes>"}`: valid JSON around `inner`. */
const bodyWith = (inner: Buffer) =>
  Buffer.concat([Buffer.from('{"RoomId":1,"SdkAppId":1400000000,"Page":1,"Limit":10,"Keyword":"'), inner, Buffer.from('"}')]);
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3]);

function signedHeaders(body: Buffer, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const contentType = "application/json; charset=utf-8";
  const authorization = SdkSign.sign3({
    method: "POST",
    url: `https://${HOST}/`,
    payload: body,
    timestamp,
    service: protocol.service,
    secretId: TC3.secretId,
    secretKey: TC3.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": contentType },
  });
  return {
    "Content-Type": contentType,
    Host: HOST,
    "X-TC-Action": op.action!,
    "X-TC-Version": protocol.version,
    "X-TC-Timestamp": String(timestamp),
    Authorization: authorization,
  };
}

function post(url: string, headers: Record<string, string>, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: "POST",
        headers: { ...headers, host: headers["Host"] ?? target.host, "content-length": body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let mock: Mock;
let server: MockListening;
beforeAll(async () => {
  mock = createMock([lcicDefinition, chatDefinition], { rateLimit: false });
  server = await mock.listen({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe("TC3 over the body's bytes", () => {
  it("a body signed over its bytes passes authentication (valid UTF-8 with non-ASCII text)", async () => {
    const body = bodyWith(Buffer.from("Camera\u00e9On", "utf8"));
    const code = tc3Code(await post(server.url, signedHeaders(body, Date.now()), body));
    expect(String(code)).not.toMatch(/^AuthFailure/);
  });

  it("a correctly signed body that is not UTF-8 gets the body error, not AuthFailure.SignatureFailure (node:http)", async () => {
    const body = bodyWith(INVALID_UTF8);
    expect(tc3Code(await post(server.url, signedHeaders(body, Date.now()), body))).toBe(BODY_CODE);
  });

  it("the same through the in-process fetch and a web Request (MSW's way in)", async () => {
    const body = bodyWith(INVALID_UTF8);
    const headers = signedHeaders(body, Date.now());
    const viaFetch = await mock.fetch(`https://${HOST}/`, { method: "POST", headers, body: new Uint8Array(body) });
    expect(tc3Code(await viaFetch.text())).toBe(BODY_CODE);
    const viaHandle = await mock.handle(new Request(`https://${HOST}/`, { method: "POST", headers, body: new Uint8Array(body) }));
    expect(tc3Code(await viaHandle.text())).toBe(BODY_CODE);
  });

  it("bytes other than those signed still fail the signature", async () => {
    const body = bodyWith(INVALID_UTF8);
    const headers = signedHeaders(body, Date.now());
    // One byte changed: the decoded text would read the same (both undecodable), the bytes do not.
    const changed = bodyWith(Buffer.from([0xff, 0xfe, 0xc4]));
    expect(tc3Code(await post(server.url, headers, changed))).toBe("AuthFailure.SignatureFailure");
  });
});

describe("Chat REST", () => {
  it("a body that is not UTF-8 gets the body error", async () => {
    const command = Object.values(chatDefinition.metadata.operations)[0]!.command!;
    const url = `${server.url}${chatPath({ command, body: null }, Date.now())}`;
    const body = Buffer.concat([Buffer.from('{"RoomId":"'), INVALID_UTF8, Buffer.from('"}')]);
    expect(chatCode(await post(url, { "Content-Type": "application/json" }, body))).toBe(CHAT_BODY_CODE);
  });
});
