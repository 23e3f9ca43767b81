// The runtime finds protocols by name, on both sides, and takes protocols kept outside it: a toy
// bearer-token JSON protocol defined here (a client protocol and a mock gateway) is called and
// mocked with no change to the runtime, beside a built-in one, and an unknown name gets a
// located error instead of another protocol's behaviour.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import type { ServiceMetadata } from "../../templates/runtime/src/client/metadata.js";
import type { CommonClientOptions } from "../../templates/runtime/src/client/options.js";
import type { ClientProtocol, ProtocolOutcome } from "../../templates/runtime/src/client/protocol.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { MockServiceDefinition } from "../../templates/runtime/src/mock/definition.js";
import { failure, type MockOutcome } from "../../templates/runtime/src/mock/envelope.js";
import type { MockGateway } from "../../templates/runtime/src/mock/gateway.js";
import type { MockOperation } from "../../templates/runtime/src/mock/operation.js";
import { createMock } from "../../templates/runtime/src/mock/server.js";
import { BUILTIN_CLIENT_PROTOCOLS } from "../../templates/runtime/src/protocols/clients.js";
import { BUILTIN_GATEWAYS } from "../../templates/runtime/src/protocols/gateways.js";
import { eduDefinition, imDefinition } from "../mock/support/definitions.js";

const TOY = "bearer-json";
const TOKEN = "toy-token-0123";

interface ToyOptions extends CommonClientOptions {
  credentials?: { token: string } | undefined;
}

/** POST `<endpoint>/bearer/<Name>` with `Authorization: Bearer <token>`; answers `{ok, data | error, id}`. */
const toyClient: ClientProtocol<typeof TOY, ToyOptions> = {
  name: TOY,
  factory: (_protocol, options) => {
    const token = options.credentials?.token ?? "";
    return {
      secrets: [token],
      payloadKey: "data",
      prepare: ({ operation, endpoint }) => ({
        url: `${endpoint.href.replace(/\/+$/, "")}/bearer/${operation.name}`,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        secrets: [],
      }),
      interpret: (body): ProtocolOutcome => {
        const b = body as { ok?: boolean; data?: unknown; error?: { code: string; message: string }; id?: string };
        if (b.ok === true) return { kind: "ok", payload: b.data, requestId: b.id };
        if (b.error) return { kind: "error", code: b.error.code, message: b.error.message, requestId: b.id };
        return { kind: "client", code: "ClientError.InvalidResponse", message: "not a toy envelope", requestId: b.id };
      },
    };
  },
};

const toyGateway: MockGateway<string, "bearer"> = {
  name: TOY,
  credentials: { key: "bearer", defaults: [TOKEN], fromEnv: () => undefined },
  codes: { internal: "Internal", malformed: "BadHttp", body: "BadBody" },
  wireCode: (code) => String(code),
  envelope: (outcome: MockOutcome, id: string) =>
    outcome.ok ? { ok: true, data: outcome.payload, id } : { ok: false, error: { code: outcome.code, message: outcome.message }, id },
  requestId: ([a8], n) => `toy-${a8}-${n}`,
  open({ credentials }) {
    const byName = new Map<string, { service: string; operation: MockOperation }>();
    return {
      add({ id, operations }) {
        for (const operation of operations.values()) byName.set(operation.name, { service: id, operation });
      },
      owns: (url) => url.startsWith("/bearer/"),
      route(request) {
        const found = byName.get(request.url.replace(/^\/bearer\//, "").replace(/\?.*$/, ""));
        if (!found) return { outcome: failure("NotFound", `nothing is served at ${request.url}`) };
        if (!credentials.some((t) => request.headers["authorization"] === `Bearer ${t}`))
          return { outcome: failure("Unauthorized", "bad token"), ...found };
        if (request.body === undefined) return { outcome: failure("TooLarge", "the body is too large"), ...found };
        return { outcome: found.operation.handle(request.body, undefined, request.bytes), ...found };
      },
    };
  },
};

const toyMetadata = {
  id: "toy",
  title: "Toy service",
  protocol: { name: TOY, version: "1" },
  endpoints: [{ id: "default", host: "toy.example.com", default: true }],
  regions: { required: false, values: [] },
  commonErrors: { Unauthorized: { retryable: false }, Internal: { retryable: true } },
  resources: {},
  operations: {
    echo: {
      name: "Echo",
      regions: { required: false, values: [] },
      rateLimit: null,
      pagination: null,
      timeWindows: [],
      errors: { "Echo.Refused": { retryable: false } },
      validationErrors: { codes: { body: "BadBody" }, fields: {} },
      requestRepresentation: null,
      responseRepresentation: null,
      mock: null,
    },
  },
} as const;

const toyDefinition: MockServiceDefinition = {
  metadata: toyMetadata,
  validators: { echo: { request: (value) => ({ ok: true, value }), response: (value) => ({ ok: true, value }) } },
  samplers: { echo: { response: (rng) => ({ Value: rng.int(1, 9) }) } },
  examples: [{ method: "echo", title: "one", request: { Say: "hi" }, response: { Value: 42 } }],
};

const validators = { echo: toyDefinition.validators["echo"] };
const toyClientOf = (fetch: typeof globalThis.fetch, token = TOKEN) =>
  new ServiceClient(toyMetadata as ServiceMetadata, validators, { fetch, credentials: { token }, retry: false, env: {} } as never, [
    ...BUILTIN_CLIENT_PROTOCOLS,
    toyClient,
  ]);

describe("a protocol from outside the runtime", () => {
  it("is called and mocked through the lookups (a definition brings its gateway)", async () => {
    const mock = createMock([{ ...toyDefinition, gateway: toyGateway as MockGateway }], { seed: 3 });
    expect(await toyClientOf(mock.fetch).call("echo", { Say: "hi" })).toEqual({ Value: 42 });
    expect(mock.calls.at(-1)).toMatchObject({
      service: "toy",
      operation: "Echo",
      code: null,
      requestId: expect.stringMatching(/^toy-[0-9a-f]{8}-1$/),
    });
  });

  it("answers its own errors in its own envelope, typed on the client", async () => {
    const mock = createMock(toyDefinition, { gateways: [toyGateway as MockGateway] });
    const error = await toyClientOf(mock.fetch, "wrong")
      .call("echo", {})
      .catch((e: unknown) => e);
    expect(error instanceof ApiError && [error.code, error.requestId?.startsWith("toy-")]).toEqual(["Unauthorized", true]);
    mock.injectError("echo", "Echo.Refused");
    const injected = await toyClientOf(mock.fetch)
      .call("echo", {})
      .catch((e: unknown) => e);
    expect(injected instanceof ApiError && injected.code).toBe("Echo.Refused");
  });

  it("is served beside built-in protocols, each request going to the gateway that owns its path", async () => {
    const mock = createMock([eduDefinition, imDefinition, toyDefinition], { gateways: [toyGateway as MockGateway] });
    expect(await toyClientOf(mock.fetch).call("echo", { Say: "hi" })).toEqual({ Value: 42 });
    const tc3 = await mock.fetch("https://lcic.tencentcloudapi.com/", { method: "POST", body: "{}" });
    expect(Object.keys((await tc3.json()) as object)).toEqual(["Response"]);
    const chat = await mock.fetch("https://console.tim.qq.com/v4/nowhere/x", { method: "POST", body: "{}" });
    expect(((await chat.json()) as { ErrorCode: number }).ErrorCode).toBe(60009);
  });

  it("is refused by name when nobody registered it", async () => {
    expect(() => createMock(toyDefinition)).toThrow(
      new RegExp(`protocol ${TOY}, which no gateway serves \\(${BUILTIN_GATEWAYS.map((g) => g.name).join(", ")}\\)`),
    );
    const client = new ServiceClient(toyMetadata as ServiceMetadata, validators, {} as never);
    const error = await client.call("echo", {}).catch((e: unknown) => e);
    expect(error instanceof ApiError && [error.code, error.message.includes(TOY)]).toEqual(["ClientError.Configuration", true]);
  });
});
