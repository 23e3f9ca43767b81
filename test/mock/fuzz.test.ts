// Nothing a client sends crashes the mock or gets an answer outside the protocol's envelope:
// random methods, paths, queries, headers and bodies, and random mutations of valid requests,
// through the core, the web Request path and the real server.
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { mockDefinition as trtcDefinition } from "../../generated/trtc/src/mock.js";
import { createMock, type MockHttpRequest, type MockListening } from "../../templates/runtime/src/mock/server.js";
import { eduDefinition } from "./support/definitions.js";
import { chatRequest, isEnvelope, NOW, tc3Request } from "./support/requests.js";

const HEADER_NAMES = [
  "authorization",
  "x-tc-action",
  "x-tc-version",
  "x-tc-region",
  "x-tc-timestamp",
  "x-tc-token",
  "content-type",
  "host",
  "set-cookie",
];
const ACTIONS = ["GetRoomEvent", "DescribeRoomStatistics", "DescribeUserEvent", "DescribeRegional", "DescribeOwner", "Nope"];
const COMMANDS = ["room_engine_http_srv/get_room_info", "live_engine_http_srv/get_room_info", "x/y"];

const now = NOW / 1000;
const VALID_BODIES = [
  { RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" },
  { RoomId: 3, Page: 2, Limit: 5 },
  { RoomId: "room-test" },
  { RoomId: "live-room" },
  { CommId: "1400188366_218695_1590065777", StartTime: now - 60, EndTime: now, UserId: "u", RoomId: "1400", SdkAppId: 1 },
];

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", " ", "null", "{}", "[]", "1e309", "\u0000", "%zz", "💥"));
const jsonBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom("RoomId", "SdkAppId", "Page", "Limit", "Keyword", "StartTime", "EndTime", "CommId", "UserId", "__proto__", "OwnerId"),
      fc.oneof(fc.integer(), fc.bigInt(), fc.string(), fc.constant(null), fc.double()),
    )
    .map((o) => JSON.stringify(o, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))),
  text,
);

const randomRequest: fc.Arbitrary<MockHttpRequest> = fc.record({
  method: fc.oneof(fc.constantFrom("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "post"), fc.string()),
  url: fc.oneof(
    fc.constantFrom(
      "/",
      "/v4/",
      "/v4//",
      "//",
      "/?",
      "/v4/room_engine_http_srv/get_room_info",
      "/v4/room_engine_http_srv/get_room_info?sdkappid=1400000000&identifier=admin&usersig=x",
    ),
    fc.tuple(fc.constantFrom("/", "/v4/", "/v1/"), text, fc.option(text)).map(([a, b, q]) => a + b + (q === null ? "" : `?${q}`)),
  ),
  headers: fc.dictionary(
    fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string()),
    fc.oneof(
      text,
      fc.constantFrom(
        "TC3-HMAC-SHA256 Credential=a/2026-01-15/lcic/tc3_request, SignedHeaders=content-type;host, Signature=" + "0".repeat(64),
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2026-01-15/lcic/tc3_request, SignedHeaders=constructor;content-type;host;tostring, Signature=" +
          "0".repeat(64),
        String(NOW / 1000),
        "application/json",
      ),
    ),
    {
      noNullPrototype: true,
    },
  ),
  body: fc.option(jsonBody, { nil: undefined }),
});

/** A valid signed request (TC3 or Chat) with one random change. */
const mutatedRequest: fc.Arbitrary<MockHttpRequest> = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom(...ACTIONS),
    fc.constantFrom(...COMMANDS),
    fc.oneof(
      jsonBody,
      fc.constantFrom(...VALID_BODIES).map((b) => JSON.stringify(b)),
    ),
    fc.constantFrom("method", "url", "header", "drop-header", "body", "none"),
    text,
    fc.constantFrom(...HEADER_NAMES),
    fc.nat(),
  )
  .map(([tc3, action, command, body, change, value, header, at]) => {
    const service = action === "DescribeUserEvent" ? "trtc" : action.startsWith("Describe") && action !== "DescribeRoomStatistics" ? "edu" : "lcic";
    const request = tc3
      ? tc3Request(
          {
            action,
            body,
            service,
            version: service === "trtc" ? "2019-07-22" : "2022-08-17",
            region: at % 2 ? "ap-singapore" : (undefined as never),
          },
          NOW,
        )
      : chatRequest({ command, body }, NOW);
    const headers = { ...request.headers };
    switch (change) {
      case "method":
        return { ...request, method: value };
      case "url":
        return { ...request, url: request.url.slice(0, at % (request.url.length + 1)) + value };
      case "header":
        return { ...request, headers: { ...headers, [header]: value } };
      case "drop-header":
        delete headers[header];
        return { ...request, headers };
      case "body":
        return { ...request, body: value };
      default:
        return request;
    }
  });

// The fixture Chat service would clash with the generated one (same commands), so only the TC3 fixture joins.
const mock = createMock([lcicDefinition, chatDefinition, trtcDefinition, eduDefinition], { now: () => NOW, seed: 3, rateLimit: false });

describe("fuzzing the core", () => {
  it("random requests get an envelope, never a throw", () => {
    fc.assert(
      fc.property(randomRequest, (request) => {
        const response = mock.respond(request);
        expect(response.status).toBe(200);
        expect(isEnvelope(response.body)).toBe(true);
        // An internal failure would be a bug in the mock, even though it is still an envelope.
        expect(response.body).not.toContain("The mock failed");
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it("mutated valid requests get an envelope, never a throw", () => {
    fc.assert(
      fc.property(mutatedRequest, (request) => {
        const response = mock.respond(request);
        expect(response.status).toBe(200);
        expect(isEnvelope(response.body)).toBe(true);
        expect(response.body).not.toContain("The mock failed");
      }),
      { numRuns: 3000, seed: 2 },
    );
    // Deep enough: successes and business answers, not only gateway refusals.
    const codes = new Set(mock.calls.map((c) => c.code));
    for (const code of [null, "AuthFailure.SignatureFailure", "InvalidAction", "UnsupportedRegion", "MissingParameter", 100002, 60009, 70003])
      expect(codes).toContain(code);
  });

  it("random web Requests (the MSW and fetch path) get an envelope", async () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    const value = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("POST", "PUT", "DELETE", "PATCH"),
        fc.constantFrom("https://lcic.tencentcloudapi.com", "https://console.tim.qq.com"),
        fc.string(),
        fc.dictionary(token, value),
        jsonBody,
        async (method, origin, path, headers, body) => {
          let request: Request;
          try {
            request = new Request(`${origin}/${encodeURI(path)}`, { method, headers, body });
          } catch {
            return; // Not a Request fetch can make.
          }
          const response = await mock.handle(request);
          expect(response.status).toBe(200);
          expect(isEnvelope(await response.text())).toBe(true);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe("fuzzing the server", () => {
  let server: MockListening;
  beforeAll(async () => {
    server = await mock.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Writes the request as raw bytes (whatever node:http's client would refuse) and reads the answer until the server closes. */
  function send(request: MockHttpRequest): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const body = Buffer.from(request.body ?? "", "utf8");
      const lines = [`${request.method} ${request.url} HTTP/1.1`, "host: 127.0.0.1"];
      for (const [k, v] of Object.entries(request.headers)) {
        if (v === undefined || k === "host" || k === "content-length" || k === "transfer-encoding" || k === "connection") continue;
        lines.push(`${k.replace(/[\r\n]/g, "")}: ${v.replace(/[\r\n]/g, "")}`);
      }
      lines.push(`content-length: ${body.length}`, "connection: close");
      const socket = net.connect(server.port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", reject);
      socket.on("close", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const split = raw.indexOf("\r\n\r\n");
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
        resolve({ status, body: split < 0 ? "" : raw.slice(split + 4) });
      });
      socket.end(Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body]));
    });
  }

  it("random and mutated requests over HTTP get an envelope", async () => {
    // HEAD answers have no body by definition; a request line cannot hold spaces or line breaks.
    const httpish = fc
      .oneof(randomRequest, mutatedRequest)
      .filter((r) => r.method.toUpperCase() !== "HEAD" && !/[\s]/.test(r.method) && r.method !== "" && !/[\s]/.test(r.url));
    await fc.assert(
      fc.asyncProperty(httpish, async (request) => {
        const response = await send(request);
        expect(response.status).toBe(200);
        expect(isEnvelope(response.body)).toBe(true);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("what node's HTTP parser refuses still gets the protocol's envelope", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, "127.0.0.1");
        let out = "";
        socket.setEncoding("utf8");
        socket.on("data", (c: string) => (out += c));
        socket.on("error", reject);
        socket.on("close", () => resolve(out));
        socket.end(text);
      });
    for (const [request, code] of [
      ["BREW / HTTP/1.1\r\nhost: x\r\n\r\n", '"Code":"UnsupportedProtocol"'],
      ["hello\r\n\r\n", '"Code":"UnsupportedProtocol"'],
      ["BREW /v4/room_engine_http_srv/get_room_info HTTP/1.1\r\n\r\n", '"ErrorCode":60002'],
    ] as const) {
      const answer = await raw(request);
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const body = answer.slice(answer.indexOf("\r\n\r\n") + 4);
      expect(isEnvelope(body)).toBe(true);
      expect(body).toContain(code);
    }
  });
});
