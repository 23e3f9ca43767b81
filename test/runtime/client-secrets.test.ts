// No secret key, session token, signature, Chat key or UserSig may appear in a thrown error (its
// message, enumerable fields, JSON, util.inspect output or cause chain) or in a log line, whatever
// the failure path: server errors that echo them, transports whose errors carry the signed URL or
// headers, timeouts, validation, bad responses.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttemptEvent } from "../../templates/runtime/src/client/options.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import { ApiError, redact, sanitizeCause } from "../../templates/runtime/src/client/errors.js";
import { createFetchTransport, createNodeTransport, type Transport } from "../../templates/runtime/src/client/transport.js";
import { genUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { InstantClock } from "./support/fake-clock.js";
import {
  CHAT_IDENTIFIER,
  CHAT_KEY,
  CHAT_SDKAPPID,
  SECRET_ID,
  SECRET_KEY,
  SESSION_TOKEN,
  chatMetadata,
  chatValidators,
  tc3Metadata,
  tc3Validators,
} from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

let server: Loopback;
const node = createNodeTransport();
beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  node.close();
  await server.close();
});

const NOW = 1_700_000_000_000;
const USERSIG = genUserSig({
  sdkAppId: CHAT_SDKAPPID,
  key: CHAT_KEY,
  identifier: CHAT_IDENTIFIER,
  expireSeconds: 86400,
  nowSeconds: NOW / 1000,
});

/** Every rendering of an error a log could contain. */
function renderings(error: unknown): string[] {
  const out = [String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
  if (error instanceof Error) out.push(error.message, error.stack ?? "");
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 10; depth++) {
    out.push(inspect(cause, { depth: Infinity, showHidden: true }), JSON.stringify(cause) ?? "", String(cause));
    cause = (cause as { cause?: unknown }).cause;
  }
  if (error && typeof error === "object") for (const value of Object.values(error)) out.push(inspect(value, { depth: Infinity }));
  return out;
}

/** Signatures seen on the wire (64 hex digits after Signature=). */
const signatures: string[] = [];
const secrets = () => [SECRET_KEY, SESSION_TOKEN, CHAT_KEY, USERSIG, encodeURIComponent(USERSIG), ...signatures];

function expectClean(texts: string[]): void {
  for (const text of texts) for (const secret of secrets()) expect(text, `leaked ${secret.slice(0, 8)}…`).not.toContain(secret);
}

/** A transport that fails with an error holding everything it was given: URL, headers, body. */
const leakyTransport: Transport = async (r) => {
  const sig = /Signature=([0-9a-f]{64})/.exec(r.headers["authorization"] ?? "")?.[1];
  if (sig) signatures.push(sig);
  const inner = Object.assign(new Error(`socket closed while talking to ${r.url} with ${JSON.stringify(r.headers)}`), {
    code: "ECONNRESET",
    request: r,
  });
  throw Object.assign(new TypeError(`fetch failed for ${r.url}`, { cause: inner }), { headers: r.headers });
};

const tc3 = (options: object) =>
  new ServiceClient(tc3Metadata, tc3Validators, {
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, token: SESSION_TOKEN },
    clock: new InstantClock(NOW),
    retry: { maxAttempts: 2, random: () => 0 },
    env: {},
    ...options,
  });

const chat = (options: object) =>
  new ServiceClient(chatMetadata, chatValidators, {
    credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, key: CHAT_KEY },
    clock: new InstantClock(NOW),
    retry: { maxAttempts: 2, random: () => 0 },
    env: {},
    ...options,
  });

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("no secret in errors", () => {
  it("the test can see a leak (sanity check of the detector)", () => {
    const raw = new Error(`GET /v4/x?usersig=${USERSIG}`);
    expect(() => expectClean(renderings(raw))).toThrow();
  });

  it("TC3: a transport error carrying the signed headers and URL", async () => {
    const events: AttemptEvent[] = [];
    const lines: string[] = [];
    const error = await caught(
      tc3({
        transport: leakyTransport,
        onAttempt: (e: AttemptEvent) => events.push(e),
        logger: {
          warn: (m: string, d?: object) => lines.push(m, inspect(d)),
          debug: (m: string, d?: object) => lines.push(m, inspect(d)),
        },
      }).call("listThings", { Owner: "me" }),
    );
    expect(error.code).toBe("ClientError.Network");
    expect(error.attempts).toBe(2);
    expect(signatures.length).toBeGreaterThan(0);
    // The cause is kept (redacted): its message and code survive, its request does not.
    const cause = error.cause as Error & { code?: string; cause?: Error };
    expect(cause.message).toContain("fetch failed");
    expect((cause.cause as { code?: string }).code).toBe("ECONNRESET");
    expect((cause.cause as { request?: unknown }).request).toBeUndefined();
    expectClean(renderings(error));
    expectClean([JSON.stringify(events), ...lines]);
  });

  it("Chat: a transport error carrying the URL with usersig=", async () => {
    const error = await caught(chat({ transport: leakyTransport }).call("getRoom", { RoomId: "r" }));
    expect(error.code).toBe("ClientError.Network");
    expect(inspect(error, { depth: Infinity })).toContain("usersig=[redacted]");
    expectClean(renderings(error));
  });

  it("Chat through a fetch whose error names the URL", async () => {
    const fetchThatLeaks = async (url: string) => {
      throw new TypeError(`request to ${url} failed, reason: connect ECONNREFUSED`);
    };
    const error = await caught(chat({ transport: createFetchTransport(fetchThatLeaks), retry: false }).call("getRoom", { RoomId: "r" }));
    expectClean(renderings(error));
  });

  it("a server that echoes the secrets in its error message", async () => {
    server.fallback((r) => ({
      kind: "json",
      body: {
        Response: {
          Error: {
            Code: "AuthFailure.SignatureFailure",
            Message: `bad: ${r.headers["authorization"]} ${r.headers["x-tc-token"]} ${SECRET_KEY}`,
          },
          RequestId: `r ${r.headers["authorization"]}`,
        },
      },
    }));
    const error = await caught(tc3({ endpoint: server.origin, transport: node }).call("listThings", { Owner: "me" }));
    expect(error.code).toBe("AuthFailure.SignatureFailure");
    const sig = /Signature=([0-9a-f]{64})/.exec(String(server.requests.at(-1)?.headers["authorization"]))?.[1];
    expect(sig).toBeDefined();
    signatures.push(sig!);
    expectClean(renderings(error));
  });

  it("a Chat server that echoes the query string", async () => {
    server.fallback((r) => ({
      kind: "json",
      body: { ActionStatus: "FAIL", ErrorCode: 70009, ErrorInfo: `bad sig in ${r.url}`, RequestId: "x" },
    }));
    const error = await caught(chat({ endpoint: server.origin, transport: node }).call("getRoom", { RoomId: "r" }));
    expect(error.code).toBe(70009);
    expectClean(renderings(error));
  });

  it("timeouts, bad bodies, validation and region failures", async () => {
    server.fallback({ kind: "hang" });
    const timeout = await caught(chat({ endpoint: server.origin, transport: node, timeoutMs: 30, retry: false }).call("getRoom", { RoomId: "r" }));
    expect(timeout.code).toBe("ClientError.Timeout");
    server.fallback({ kind: "text", body: `<html>${USERSIG}</html>` });
    const invalid = await caught(chat({ endpoint: server.origin, transport: node }).call("getRoom", { RoomId: "r" }));
    expect(invalid.code).toBe("ClientError.InvalidResponse");
    const validation = await caught(tc3({ transport: leakyTransport }).call("listThings", { Limit: 99 }));
    const region = await caught(tc3({ transport: leakyTransport, region: "xx" }).call("describeRegional", {}));
    for (const error of [timeout, invalid, validation, region]) expectClean(renderings(error));
  });
});

describe("redaction helpers", () => {
  it("redact: known secrets (raw and URL-encoded) and secret-shaped query parameters and signatures", () => {
    expect(redact("key k3y and k%2Fy", ["k3y", "k/y"])).toBe("key [redacted] and [redacted]");
    expect(redact("https://h/v4/a?sdkappid=1&usersig=eJw*x-y_&random=5", [])).toBe("https://h/v4/a?sdkappid=1&usersig=[redacted]&random=5");
    expect(redact(`Signature=${"ab".repeat(32)}`, [])).toBe("Signature=[redacted]");
  });

  it("sanitizeCause: a fresh Error chain with only name, message, code and stack", () => {
    const original = Object.assign(new Error("boom s3cret", { cause: { weird: true } }), {
      code: "EPIPE",
      secret: "s3cret",
    });
    const copy = sanitizeCause(original, ["s3cret"]) as Error & { code?: string; secret?: string };
    expect(copy).not.toBe(original);
    expect(copy.message).toBe("boom [redacted]");
    expect(copy.code).toBe("EPIPE");
    expect(copy.secret).toBeUndefined();
    expect((copy.cause as Error).message).toBe("a non-Error value");
  });
});
