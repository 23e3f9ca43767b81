// A Chat command that returns nothing answers an OK envelope without `Response`. The client
// resolves such a call to `{}` when the operation's metadata says the payload is optional
// (`payloadOptional`, emitted for responses with no required field); for any other operation the
// same envelope stays ClientError.InvalidResponse.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServiceMetadata } from "../../templates/runtime/src/client/metadata.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { createNodeTransport } from "../../templates/runtime/src/client/transport.js";
import { InstantClock } from "./support/fake-clock.js";
import { CHAT_IDENTIFIER, CHAT_KEY, CHAT_SDKAPPID, chatMetadata, chatValidators } from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

const metadata = {
  ...chatMetadata,
  operations: {
    ...chatMetadata.operations,
    destroyRoom: {
      name: "DestroyRoom",
      command: "live_engine_http_srv/destroy_room",
      regions: { required: false, values: [] },
      rateLimit: null,
      pagination: null,
      timeWindows: [],
      errors: { "100004": { retryable: false } },
      payloadOptional: true,
    },
  },
} satisfies ServiceMetadata;

const ENVELOPE_ONLY = { ActionStatus: "OK", ErrorInfo: "", ErrorCode: 0, RequestId: "Id-8c98" };

let server: Loopback;
const transport = createNodeTransport();
beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  transport.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.fallback({ kind: "json", body: ENVELOPE_ONLY });
});

const client = () =>
  new ServiceClient(metadata, chatValidators, {
    endpoint: server.origin,
    credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
    transport,
    clock: new InstantClock(1_700_000_000_000),
    retry: { maxAttempts: 1 },
    env: {},
  });

describe("an OK Chat envelope without Response", () => {
  it("resolves to {} for an operation whose payload is optional", async () => {
    await expect(client().call("destroyRoom", { RoomId: "live-room" })).resolves.toEqual({});
  });

  it("is ClientError.InvalidResponse for an operation that needs its payload", async () => {
    const error = await client()
      .call("getRoom", { RoomId: "r" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("ClientError.InvalidResponse");
  });

  it("is still InvalidResponse when Response is present but not an object", async () => {
    server.enqueue({ kind: "json", body: { ...ENVELOPE_ONLY, Response: [1] } });
    const error = await client()
      .call("destroyRoom", { RoomId: "live-room" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as ApiError).code).toBe("ClientError.InvalidResponse");
  });
});
