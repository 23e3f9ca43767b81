// The core client and the per-operation functions (`getRoomEvent(new LcicCore(), request)`): an app
// that imports one operation and is bundled carries that operation's metadata and validators only,
// and one protocol's code; and a function call behaves as the full client's method does (it is
// what the method calls).
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { createMock } from "../../generated/runtime/src/mock.js";
import { runtimeAliases } from "./support/runtime-aliases.js";
import { MOCK_DEFAULT_CREDENTIALS } from "../../generated/runtime/src/mock/server.js";
import { mockDefinition } from "../../generated/lcic/src/mock.js";
import * as lcic from "../../generated/lcic/src/index.js";
import { coreClassName } from "../../generator/emit/client-members.js";
import { GENERATED, realIr } from "../helpers.js";

const ir = await realIr();

/** An app calling one operation through the core client, bundled and minified as an app would be. */
async function bundle(serviceId: string, imports: string, call: string): Promise<string> {
  const entry = `import { ${imports} } from ${JSON.stringify(path.join(GENERATED, serviceId, "src", "index.ts"))};\n${call}\n`;
  const result = await build({
    stdin: { contents: entry, resolveDir: GENERATED, loader: "ts" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
    alias: runtimeAliases(),
  });
  return result.outputFiles[0]!.text;
}

describe.each(ir.services.map((s) => [s.id, s] as const))("%s: an app bundling one operation's function", (_id, service) => {
  const core = coreClassName(service);
  // Two operations, so the check does not hang on which one comes first.
  const chosen = [service.operations[0]!, service.operations[service.operations.length - 1]!];

  it.each(chosen.map((op) => [op.method, op] as const))("%s carries only that operation", async (_m, op) => {
    const code = await bundle(service.id, `${core}, ${op.method}`, `${op.method}(new ${core}(), {}).catch(() => {});`);
    expect(code).toContain(JSON.stringify(op.name));
    const others = service.operations.filter((o) => o !== op && code.includes(JSON.stringify(o.name))).map((o) => o.name);
    expect(others).toEqual([]);
    // One protocol's code: the other's envelope or signing never comes along.
    if (service.protocol.name === "tc3") expect(code).not.toContain("ActionStatus");
    else expect(code).not.toContain("TC3-HMAC-SHA256");
  });

  it("the full client still carries every operation", async () => {
    const code = await bundle(service.id, service.clientName, `new ${service.clientName}();`);
    expect(service.operations.filter((o) => !code.includes(JSON.stringify(o.name))).map((o) => o.name)).toEqual([]);
  });
});

describe("LcicCore and the operation functions against the mock", () => {
  const mock = createMock(mockDefinition, { seed: 3, rateLimit: false });
  const options: lcic.LcicClientOptions = {
    fetch: (url, init) => mock.fetch(url, init as RequestInit),
    endpoint: "https://lcic.tencentcloudapi.com",
    credentials: MOCK_DEFAULT_CREDENTIALS.tc3[0]!,
    retry: false,
    rateLimit: false,
    env: {},
  };
  // A room the mock holds as ended: the statistics exist only then.
  const room = mock.service("lcic").resources("room").keys({ state: "ended", count: 1 })[0] as number;

  it("answer as the full client's methods do, pages and items included", async () => {
    const core = new lcic.LcicCore(options);
    const client = new lcic.LcicClient(options);
    const request = { RoomId: room, Page: 1, Limit: 5 };
    // The same answer but for the request id, fresh per call.
    const answer = async (p: Promise<{ RequestId?: string }>) => ({ ...(await p), RequestId: "" });
    expect(await answer(lcic.describeRoomStatistics(core, request))).toEqual(await answer(client.describeRoomStatistics(request)));
    const items: unknown[] = [];
    for await (const item of lcic.describeRoomStatisticsItems(core, { RoomId: room })) items.push(item);
    const viaClient: unknown[] = [];
    for await (const item of client.describeRoomStatisticsItems({ RoomId: room })) viaClient.push(item);
    expect(items).toEqual(viaClient);
    expect(items.length).toBeGreaterThan(0);
    // The full client is a core client: the functions take it too.
    expect(await answer(lcic.describeRoomStatistics(client, request))).toEqual(await answer(client.describeRoomStatistics(request)));
  });

  it("validate the request before sending, as the client does", async () => {
    const error = await lcic.getRoomEvent(new lcic.LcicCore(options), { RoomId: room, SdkAppId: true } as never).catch((e: unknown) => e);
    expect(lcic.ApiError.is(error) && error.code).toBe("ClientError.Validation");
  });

  it("refuse a first argument that is not a core client with a typed error", async () => {
    const error = await lcic.getRoomEvent({} as lcic.LcicCore, { RoomId: room, SdkAppId: 1, Page: 1, Limit: 1 }).catch((e: unknown) => e);
    expect(lcic.ApiError.is(error) && [error.code, error.operation]).toEqual(["ClientError.Configuration", "GetRoomEvent"]);
  });
});
