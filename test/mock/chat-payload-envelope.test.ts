// Chat REST commands that answer their data beside ActionStatus, not inside Response (the Live gift
// getters: `{"ErrorCode": 0, …, "RequestId": "…", "GiftInfo": {…}}`): `payload: envelope` on the
// operation. A temp Chat service with add_gift and get_gift, generated: the page's example
// validates and is served, the generated client returns the fields (64-bit ones exactly), and the
// mock answers them at the top level of the body.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { createMock as CreateMock, MockServiceDefinition } from "@rtc-apigen/runtime/mock";
import { formatDiagnostic } from "../../generator/shared/diagnostic.js";
import { generate } from "../../generator/pipeline.js";
import { SPECS } from "../helpers.js";
import { CHAT } from "./support/requests.js";

type Spec = Record<string, unknown>;
const str = (description: string, extra: Spec = {}): Spec => ({ type: "string", description, ...extra });

const GIFT_FIELDS: Record<string, Spec> = {
  GiftId: str("Gift ID.", { required: true, maxLength: 20 }),
  IconUrl: str("Gift thumbnail."),
  Coins: { type: "integer", required: true, description: "Price in virtual currency." },
  DefaultName: str("Default gift name.", { required: true }),
};

const SERVICE: Spec = {
  service: "gifts",
  title: "Gift test service",
  description: "add_gift and get_gift.",
  client: "GiftsClient",
  package: { name: "@rtc-apigen/gifts" },
  protocol: { name: "chat-rest", version: "v4" },
  endpoints: [{ id: "china", host: "console.tim.qq.com", default: true, description: "The endpoint.", source: "page" }],
  regions: { required: false, source: "page" },
  validationErrors: { missing: 100002, type: 100002, value: 100002, unknown: 100002 },
  resources: { gift: { description: "A gift, keyed by its GiftId.", key: "string" } },
  types: {
    GiftInfo: {
      description: "A gift.",
      source: "page",
      fields: { ...GIFT_FIELDS, OwnerSeq: { type: "uint64", js: "string", description: "A 64-bit value." } },
    },
  },
  sources: [{ id: "page", title: "Gift pages" }],
};

const ERRORS = [{ code: 100002, description: "Invalid parameter.", retryable: false }];

const ADD_GIFT: Spec = {
  name: "AddGift",
  command: "live_engine_http_srv/add_gift",
  summary: "Add a gift.",
  description: "Adds a gift.",
  source: "page",
  mock: { resource: "gift", action: "create", keyFrom: "request.GiftId" },
  request: { fields: GIFT_FIELDS },
  response: { fields: {} },
  errors: ERRORS,
  examples: [],
};

const EXAMPLE_RESPONSE =
  '{"ErrorCode": 0,"ErrorInfo": "","ActionStatus": "OK","RequestId": "Id-a984952a5dde4b488caba4f75e5437b8-O-Seq-287281","GiftInfo": {"GiftId": "GId1","IconUrl": "https://www.xxx.com/xxx1.png","Coins": 10,"DefaultName": "name1"}}';

const GET_GIFT: Spec = {
  name: "GetGift",
  command: "live_engine_http_srv/get_gift",
  payload: "envelope",
  summary: "Get a gift.",
  description: "Gets a gift.",
  source: "page",
  mock: { resource: "gift", key: "GiftId" },
  request: { fields: { GiftId: str("Gift ID.", { required: true }) } },
  response: { fields: { GiftInfo: { type: "GiftInfo", required: true, description: "The gift." } } },
  errors: ERRORS,
  examples: [{ title: "Basic form", source: "page", request: '{"GiftId" : "GId1"}', response: EXAMPLE_RESPONSE }],
};

const dir = mkdtempSync(path.join(os.tmpdir(), "chat-payload-envelope-"));
const specsDir = path.join(dir, "specs");
const outDir = path.join(dir, "generated");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Client = Record<string, (request: Record<string, unknown>) => Promise<Record<string, unknown>>>;
let GiftsClient: new (options: Record<string, unknown>) => Client;
let mockDefinition: MockServiceDefinition;
let createMock: typeof CreateMock;
let diagnostics: string[] = [];

beforeAll(async () => {
  mkdirSync(path.join(specsDir, "protocols"), { recursive: true });
  mkdirSync(path.join(specsDir, "gifts"));
  copyFileSync(path.join(SPECS, "protocols", "chat-rest.yaml"), path.join(specsDir, "protocols", "chat-rest.yaml"));
  writeFileSync(path.join(specsDir, "gifts", "service.yaml"), stringify(SERVICE));
  for (const spec of [ADD_GIFT, GET_GIFT]) writeFileSync(path.join(specsDir, "gifts", `${spec.name as string}.yaml`), stringify(spec));
  const result = await generate({ specsDir, outDir, displayBase: dir });
  diagnostics = result.diagnostics.map(formatDiagnostic);
  if (!result.wrote) return;
  GiftsClient = ((await import(path.join(outDir, "gifts", "src", "index.ts"))) as { GiftsClient: typeof GiftsClient }).GiftsClient;
  mockDefinition = ((await import(path.join(outDir, "gifts", "src", "mock.ts"))) as { mockDefinition: MockServiceDefinition }).mockDefinition;
  createMock = ((await import(path.join(outDir, "runtime", "src", "mock.ts"))) as { createMock: typeof CreateMock }).createMock;
});

it("generates without a diagnostic: the page's example validates with its fields beside ActionStatus", () => {
  expect(diagnostics).toEqual([]);
  expect(mockDefinition.examples.map((e) => e.response)).toEqual([
    { GiftInfo: { GiftId: "GId1", IconUrl: "https://www.xxx.com/xxx1.png", Coins: 10, DefaultName: "name1" } },
  ]);
});

it("the docs and the OpenAPI export say where the fields are", () => {
  expect(readFileSync(path.join(outDir, "gifts", "docs", "GetGift.md"), "utf8")).toContain(
    "These fields sit at the top level of the answer, beside `ActionStatus`",
  );
  const openapi = JSON.parse(readFileSync(path.join(outDir, "gifts", "openapi.json"), "utf8")) as {
    components: { schemas: Record<string, { allOf?: unknown[]; properties?: Record<string, unknown> }> };
  };
  const envelope = openapi.components.schemas["GetGiftResponse.Envelope"]!;
  expect(envelope.allOf).toContainEqual({ $ref: "#/components/schemas/GetGiftResponse" });
  expect(openapi.components.schemas["AddGiftResponse.Envelope"]!.properties).toHaveProperty("Response");
});

function setup() {
  const mock = createMock(mockDefinition, { seed: 9, rateLimit: false });
  const bodies: string[] = [];
  const client = new GiftsClient({
    fetch: async (url: string, init: RequestInit) => {
      const response = await mock.fetch(url, init);
      bodies.push(await response.clone().text());
      return response;
    },
    endpoint: "https://console.tim.qq.com",
    credentials: { sdkAppId: CHAT.sdkAppId, identifier: CHAT.identifier, key: CHAT.key },
    retry: false,
    rateLimit: false,
    env: {},
    validateResponses: "strict",
  });
  return { mock, client, bodies };
}

it("a created gift is read back: the client returns the fields the mock answered beside ActionStatus", async () => {
  const { client, bodies } = setup();
  await client["addGift"]!({ GiftId: "rose", Coins: 99, DefaultName: "Rose", IconUrl: "https://example.com/rose.png" });
  const got = await client["getGift"]!({ GiftId: "rose" });
  expect(got["GiftInfo"]).toMatchObject({ GiftId: "rose", Coins: 99, DefaultName: "Rose", IconUrl: "https://example.com/rose.png" });
  const wire = JSON.parse(bodies.at(-1)!) as Record<string, unknown>;
  expect(wire).toMatchObject({ ActionStatus: "OK", ErrorCode: 0, GiftInfo: { GiftId: "rose", Coins: 99 } });
  expect(wire).not.toHaveProperty("Response");
  // The envelope's own fields stay out of the payload.
  expect(Object.keys(got)).toEqual(["GiftInfo"]);
});

it("the example's request gets the example's answer, verbatim in its fields", async () => {
  const { client } = setup();
  const { GiftInfo } = JSON.parse(EXAMPLE_RESPONSE) as { GiftInfo: unknown };
  expect(await client["getGift"]!({ GiftId: "GId1" })).toEqual({ GiftInfo });
});

it("a 64-bit field beside ActionStatus reaches the caller exactly, as its js: says", async () => {
  const { mock, client, bodies } = setup();
  mock.service("gifts").setNextResponse("getGift", { GiftInfo: { GiftId: "big", Coins: 1, DefaultName: "Big", OwnerSeq: "144115233775727695" } });
  const got = await client["getGift"]!({ GiftId: "big" });
  expect((got["GiftInfo"] as Record<string, unknown>)["OwnerSeq"]).toBe("144115233775727695");
  // On the wire it is a JSON number, at the top level of the body.
  expect(bodies.at(-1)).toContain('"OwnerSeq":144115233775727695');
});

it("an error still comes back as the operation's ApiError", async () => {
  const { mock, client } = setup();
  mock.injectError("gifts.getGift", 100002);
  await expect(client["getGift"]!({ GiftId: "rose" })).rejects.toMatchObject({ code: 100002 });
});
