// The mock as a real HTTP server on 127.0.0.1, called by the official packages: the
// tencentcloud-sdk-nodejs clients (TC3) and tls-sig-api-v2 UserSigs (Chat), and by the generated
// clients over node:http.
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatClient } from "../../generated/chat/src/index.js";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { LcicClient } from "../../generated/lcic/src/index.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import { mockDefinition as trtcDefinition } from "../../generated/trtc/src/mock.js";
import { createMock, MOCK_MAX_BODY_BYTES, type Mock, type MockListening } from "../../templates/runtime/src/mock/server.js";
import { CHAT, chatCode, chatPath, TC3, tc3Code, tc3Headers } from "./support/requests.js";

const require = createRequire(import.meta.url);

interface SdkError {
  code?: string;
  requestId?: string;
  message: string;
}
type SdkClient = Record<string, (request: unknown) => Promise<Record<string, unknown>>>;
type SdkClientClass = new (config: unknown) => SdkClient;
const LcicSdk = (require("tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js") as { Client: SdkClientClass }).Client;
const TrtcSdk = (require("tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_client.js") as { Client: SdkClientClass }).Client;
const TLSSigAPIv2 = (require("tls-sig-api-v2") as { Api: new (sdkAppId: number, key: string) => { genUserSig(id: string, expire: number): string } })
  .Api;

let mock: Mock;
let server: MockListening;
const agents: http.Agent[] = [];

beforeAll(async () => {
  mock = createMock([lcicDefinition, chatDefinition, trtcDefinition]);
  server = await mock.listen({ port: 0 });
});
afterAll(async () => {
  for (const a of agents) a.destroy();
  await server.close();
});

/** An SDK client whose URL keeps the real host (so its service name and Host header are real), connected to the mock. */
function sdk(Client: SdkClientClass, secretKey: string, region?: string): SdkClient {
  const agent = new http.Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(server.port, "127.0.0.1");
  agents.push(agent);
  return new Client({ credential: { secretId: TC3.secretId, secretKey }, region, profile: { httpProfile: { protocol: "http://", agent } } });
}

async function sdkFailure(promise: Promise<unknown>): Promise<SdkError> {
  return promise.then(
    () => {
      throw new Error("expected the SDK call to fail");
    },
    (e: SdkError) => e,
  );
}

describe("tencentcloud-sdk-nodejs against the mock server", () => {
  it("listens on 127.0.0.1 and says where", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it("succeeds with the right key (LCIC GetRoomEvent, the spec's example)", async () => {
    const client = sdk(LcicSdk, TC3.secretKey);
    const response = await client["GetRoomEvent"]!({ RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10, Keyword: "" });
    expect(response["Total"]).toBe(1);
    expect((response["Events"] as Array<{ EventType: string }>)[0]!.EventType).toBe("MemberJoin");
    expect(response["RequestId"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(mock.calls.at(-1)).toMatchObject({ service: "lcic", operation: "GetRoomEvent", code: null });
  });

  it("fails with AuthFailure.SignatureFailure with a wrong key", async () => {
    const client = sdk(LcicSdk, "Gu5t9xGARNpq86cd98joQYCN3WRONG");
    const error = await sdkFailure(client["GetRoomEvent"]!({ RoomId: 1, SdkAppId: 13465287, Page: 1, Limit: 10 }));
    expect(error.code).toBe("AuthFailure.SignatureFailure");
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gets the documented business errors (FailedOperation.RoomNotEnd, ResourceNotFound.Room)", async () => {
    const client = sdk(LcicSdk, TC3.secretKey);
    const [live] = mock.resources("lcic.room").keys({ state: "live", count: 1 }) as number[];
    const [unknown] = mock.resources("lcic.room").keys({ known: false, count: 1 }) as number[];
    expect((await sdkFailure(client["DescribeRoomStatistics"]!({ RoomId: live, Page: 1, Limit: 10 }))).code).toBe("FailedOperation.RoomNotEnd");
    expect((await sdkFailure(client["DescribeRoomStatistics"]!({ RoomId: unknown, Page: 1, Limit: 10 }))).code).toBe("ResourceNotFound.Room");
  });

  it("TRTC needs one of its regions (UnsupportedRegion otherwise)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const request = { CommId: "1400188366_218695_1590065777", StartTime: now - 60, EndTime: now, UserId: "u", RoomId: "1400", SdkAppId: 1400188366 };
    const ok = await sdk(TrtcSdk, TC3.secretKey, "ap-singapore")["DescribeUserEvent"]!(request);
    expect(Array.isArray(ok["Data"])).toBe(true);
    expect((await sdkFailure(sdk(TrtcSdk, TC3.secretKey)["DescribeUserEvent"]!(request))).code).toBe("UnsupportedRegion");
    expect((await sdkFailure(sdk(TrtcSdk, TC3.secretKey, "eu-frankfurt")["DescribeUserEvent"]!(request))).code).toBe("UnsupportedRegion");
  });
});

describe("Chat over HTTP", () => {
  const post = (path: string, body: string) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("accepts a tls-sig-api-v2 UserSig and refuses one made with another key (70009)", async () => {
    const good = new TLSSigAPIv2(CHAT.sdkAppId, CHAT.key).genUserSig(CHAT.identifier, 86400);
    const bad = new TLSSigAPIv2(CHAT.sdkAppId, "another-secret-key").genUserSig(CHAT.identifier, 86400);
    const command = "room_engine_http_srv/get_room_info";
    const ok = await post(chatPath({ command, body: {}, usersig: good }, Date.now()), '{"RoomId":"room-test"}');
    expect(ok.status).toBe(200);
    expect(chatCode(await ok.text())).toBe(0);
    const refused = await post(chatPath({ command, body: {}, usersig: bad }, Date.now()), '{"RoomId":"room-test"}');
    expect(refused.status).toBe(200);
    expect(chatCode(await refused.text())).toBe(70009);
  });

  it("serves the generated Chat client over node:http", async () => {
    const chat = new ChatClient({
      endpoint: server.url,
      credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key },
      env: {},
      retry: false,
    });
    const response = await chat.getConferenceRoomInfo({ RoomId: "room-test" });
    expect(response.RoomInfo.RoomId).toBe("room-test");
  });
});

describe("the server's own limits", () => {
  it("answers a body over the limit with RequestSizeLimitExceeded, without reading it all", async () => {
    const headers = tc3Headers(
      { action: "GetRoomEvent", body: "{}", service: "lcic", host: "lcic.tencentcloudapi.com", headers: { host: undefined } },
      Date.now(),
    );
    const response = await fetch(`${server.url}/`, { method: "POST", headers, body: "x".repeat(MOCK_MAX_BODY_BYTES + 1) });
    expect(response.status).toBe(200);
    expect(tc3Code(await response.text())).toBe("RequestSizeLimitExceeded");
  });

  it("serves the generated LCIC client over node:http with keep-alive", async () => {
    const lcic = new LcicClient({ endpoint: server.url, credentials: TC3, env: {}, retry: false });
    const results = await Promise.all(Array.from({ length: 10 }, () => lcic.describeRoomStatistics({ RoomId: 1, Page: 1, Limit: 1 })));
    expect(results.every((r) => r.Total === 1)).toBe(true);
  });
});
