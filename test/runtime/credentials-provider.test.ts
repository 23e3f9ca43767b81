// A client with a credentials provider (TC3) or a UserSig provider (Chat), against a scripted
// server on 127.0.0.1: the provider is called before the credentials expire (margin, or half their
// lifetime), never twice at once for one client (16 concurrent calls: one provider call), its
// value is cached in between, and a failing provider is ClientError.Credentials naming it, with
// none of its secrets in the error. Fixed credentials keep the synchronous path (no await).
import { inspect } from "node:util";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS } from "../../templates/runtime/src/client/credential-cache.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import { chatProtocol } from "../../templates/runtime/src/protocols/chat-rest/client.js";
import { genUserSig } from "../../templates/runtime/src/protocols/chat-rest/signing.js";
import { tc3Protocol } from "../../templates/runtime/src/protocols/tc3/client.js";
import { tc3Provider, type Tc3ProvidedCredentials } from "../../templates/runtime/src/protocols/tc3/credentials.js";
import { verifyTc3, type Tc3VerifyRequest } from "../../templates/runtime/src/protocols/tc3/signing.js";
import { InstantClock, settle } from "./support/fake-clock.js";
import {
  CHAT_IDENTIFIER,
  CHAT_KEY,
  CHAT_SDKAPPID,
  chatFail,
  chatMetadata,
  chatOk,
  chatValidators,
  tc3Error,
  tc3Metadata,
  tc3Ok,
  tc3Validators,
} from "./support/fixture.js";
import { startLoopback, type Loopback, type Recorded } from "./support/loopback.js";

const START = 1_700_000_000_000;
const MINUTE = 60_000;

let server: Loopback;
beforeEach(async () => {
  await server?.close();
  server = await startLoopback();
  server.fallback({ kind: "json", body: tc3Ok({}) });
});
afterAll(async () => {
  await server.close();
});

/** A provider handing out numbered credentials, each valid for `lifetimeMs` from when it is asked. */
function numbered(clock: InstantClock, lifetimeMs: number) {
  const given: (Tc3ProvidedCredentials & { expiresAt: number })[] = [];
  let gate: Promise<void> | undefined;
  const provider = async function numberedCredentials(): Promise<Tc3ProvidedCredentials> {
    const n = given.length + 1;
    const credentials = {
      secretId: `AKIDprovided${n}`,
      secretKey: `provided-KEY-${n}-secret`,
      token: `provided-TOKEN-${n}`,
      expiresAt: clock.now() + lifetimeMs,
    };
    given.push(credentials);
    if (gate) await gate;
    return credentials;
  };
  return {
    provider,
    given,
    hold(): () => void {
      let open = () => {};
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

const tc3Client = (clock: InstantClock, credentials: unknown, options: object = {}) =>
  new ServiceClient(tc3Metadata, tc3Validators, {
    endpoint: server.origin,
    region: "ap-beijing",
    // A function as apps pass one: through tc3Provider().
    credentials: (typeof credentials === "function"
      ? tc3Provider(credentials as () => Promise<Tc3ProvidedCredentials>)
      : credentials) as Tc3ProvidedCredentials,
    clock,
    retry: false,
    env: {},
    ...options,
  });

/** The SecretId that signed a recorded request, after checking the signature and token against what the provider gave. */
function signer(r: Recorded, given: readonly (Tc3ProvidedCredentials & { expiresAt: number })[]): string {
  const lookup = (id: string) => given.find((g) => g.secretId === id);
  const verified = verifyTc3(
    { method: r.method, headers: r.headers as Record<string, string | undefined>, body: r.body } as Tc3VerifyRequest,
    lookup,
    {
      nowSeconds: Number(r.headers["x-tc-timestamp"]),
    },
  );
  if (!verified.ok) throw new Error(`not signed by a provided credential: ${verified.message}`);
  const used = lookup(verified.secretId)!;
  expect(r.headers["x-tc-token"]).toBe(used.token);
  // Never sent with credentials past their expiry.
  expect(Number(r.headers["x-tc-timestamp"]) * 1000).toBeLessThan(used.expiresAt);
  return verified.secretId;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the call to fail");
}

/** Every rendering of an error a log could hold. */
function rendered(error: unknown): string {
  const out = [String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
  for (let cause = (error as { cause?: unknown }).cause, d = 0; cause !== undefined && d < 10; d++) {
    out.push(inspect(cause, { depth: Infinity, showHidden: true }), String(cause));
    cause = (cause as { cause?: unknown }).cause;
  }
  return out.join("\n");
}

describe("TC3 credentials provider", () => {
  it("is called once, then its credentials are reused until the refresh point (5 minutes before expiry)", async () => {
    const clock = new InstantClock(START);
    const p = numbered(clock, 30 * MINUTE);
    const client = tc3Client(clock, p.provider);
    await client.call("describeRegional", {});
    clock.tick(24 * MINUTE);
    await client.call("describeRegional", {});
    expect(p.given).toHaveLength(1);
    expect(server.requests.map((r) => signer(r, p.given))).toEqual(["AKIDprovided1", "AKIDprovided1"]);

    // 26 minutes in: within the margin. This call still goes with the valid credentials while one refresh runs.
    clock.tick(2 * MINUTE);
    await client.call("describeRegional", {});
    await settle();
    expect(p.given).toHaveLength(2);
    await client.call("describeRegional", {});
    expect(p.given).toHaveLength(2);
    expect(server.requests.slice(2).map((r) => signer(r, p.given))).toEqual(["AKIDprovided1", "AKIDprovided2"]);
    expect(DEFAULT_CREDENTIAL_REFRESH_MARGIN_MS).toBe(5 * MINUTE);

    // Long idle: the credentials expired, so the next call waits for new ones.
    clock.tick(3 * 60 * MINUTE);
    await client.call("describeRegional", {});
    expect(p.given).toHaveLength(3);
    expect(signer(server.requests.at(-1)!, p.given)).toBe("AKIDprovided3");
  });

  it("credentialRefreshMarginMs moves the refresh point; a short lifetime refreshes at half of it", async () => {
    const clock = new InstantClock(START);
    const p = numbered(clock, 30 * MINUTE);
    const client = tc3Client(clock, p.provider, { credentialRefreshMarginMs: MINUTE });
    await client.call("describeRegional", {});
    clock.tick(28 * MINUTE);
    await client.call("describeRegional", {});
    await settle();
    expect(p.given).toHaveLength(1);
    clock.tick(MINUTE + 1);
    await client.call("describeRegional", {});
    await settle();
    expect(p.given).toHaveLength(2);

    const shortClock = new InstantClock(START);
    const short = numbered(shortClock, 2 * MINUTE);
    const shortClient = tc3Client(shortClock, short.provider);
    await shortClient.call("describeRegional", {});
    shortClock.tick(MINUTE - 1);
    await shortClient.call("describeRegional", {});
    await settle();
    expect(short.given).toHaveLength(1);
    shortClock.tick(1);
    await shortClient.call("describeRegional", {});
    await settle();
    expect(short.given).toHaveLength(2);
  });

  it("16 concurrent calls make one provider call; after expiry, 16 more make one more", async () => {
    const clock = new InstantClock(START);
    const p = numbered(clock, 30 * MINUTE);
    const client = tc3Client(clock, p.provider);
    let open = p.hold();
    const calls = Array.from({ length: 16 }, () => client.call("describeRegional", {}));
    await settle();
    expect(p.given).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
    open();
    await Promise.all(calls);
    expect(p.given).toHaveLength(1);
    expect(new Set(server.requests.map((r) => signer(r, p.given)))).toEqual(new Set(["AKIDprovided1"]));

    clock.tick(31 * MINUTE);
    open = p.hold();
    const more = Array.from({ length: 16 }, () => client.call("describeRegional", {}));
    await settle();
    open();
    await Promise.all(more);
    expect(p.given).toHaveLength(2);
    expect(new Set(server.requests.slice(16).map((r) => signer(r, p.given)))).toEqual(new Set(["AKIDprovided2"]));
  });

  it("a failing provider is ClientError.Credentials naming it, with no secret it gave before, and nothing is sent", async () => {
    const clock = new InstantClock(START);
    let fail = false;
    const provider = async function vaultCredentials(): Promise<Tc3ProvidedCredentials> {
      if (fail)
        throw new Error("vault refused the lease of provided-KEY-1-secret (token provided-TOKEN-1)", {
          cause: new Error("inner provided-KEY-1-secret"),
        });
      return { secretId: "AKIDprovided1", secretKey: "provided-KEY-1-secret", token: "provided-TOKEN-1", expiresAt: clock.now() + 10 * MINUTE };
    };
    const client = tc3Client(clock, provider);
    await client.call("describeRegional", {});
    fail = true;
    clock.tick(11 * MINUTE);
    const error = await failure(client.call("describeRegional", {}));
    expect(error.code).toBe("ClientError.Credentials");
    expect(error.message).toContain("vaultCredentials");
    expect(error.attempts).toBe(0);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    const text = rendered(error);
    expect(text).toContain("vault refused the lease");
    expect(text).not.toContain("provided-KEY-1-secret");
    expect(text).not.toContain("provided-TOKEN-1");

    // A refresh ahead of expiry that fails keeps the still-valid credentials.
    fail = false;
    await client.call("describeRegional", {});
    fail = true;
    clock.tick(6 * MINUTE);
    await client.call("describeRegional", {});
    await settle();
    expect(server.requests).toHaveLength(3);
  });

  it("a bare function (not tc3Provider(fn)) is ClientError.Configuration naming the import, and is never called", async () => {
    let called = 0;
    const bare = async () => {
      called++;
      return { secretId: "AKIDbare", secretKey: "bare-KEY-secret" };
    };
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      region: "ap-beijing",
      credentials: bare as unknown as Tc3ProvidedCredentials,
      retry: false,
      env: {},
    });
    const error = await failure(client.call("describeRegional", {}));
    expect(error.code).toBe("ClientError.Configuration");
    expect(error.message).toContain('tc3Provider(fn) (import { tc3Provider } from "@rtc-apigen/runtime/tc3")');
    expect(called).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("a provider giving no usable credentials, or expired ones, is ClientError.Credentials without their values", async () => {
    const clock = new InstantClock(START);
    const cases: [string, unknown][] = [
      ["noKey", { secretId: "AKIDonly", secretKey: "" }],
      ["notObject", "provided-KEY-string-secret"],
      ["badExpiry", { secretId: "AKIDx", secretKey: "provided-KEY-x-secret", expiresAt: "soon" }],
      ["expired", { secretId: "AKIDx", secretKey: "provided-KEY-x-secret", expiresAt: START - 1 }],
    ];
    for (const [name, value] of cases) {
      const provider = Object.defineProperty(async () => value, "name", { value: name });
      const error = await failure(tc3Client(clock, provider).call("describeRegional", {}));
      expect(error.code).toBe("ClientError.Credentials");
      expect(error.message).toContain(name);
      expect(rendered(error)).not.toMatch(/provided-KEY-\w+-secret/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("AuthFailure.TokenFailure makes the next call ask the provider again", async () => {
    const clock = new InstantClock(START);
    const p = numbered(clock, 60 * MINUTE);
    const client = tc3Client(clock, p.provider);
    server.enqueue({ kind: "json", body: tc3Error("AuthFailure.TokenFailure", "token expired") });
    expect((await failure(client.call("describeRegional", {}))).code).toBe("AuthFailure.TokenFailure");
    await client.call("describeRegional", {});
    expect(p.given).toHaveLength(2);
    expect(signer(server.requests[1]!, p.given)).toBe("AKIDprovided2");
  });

  it("fixed credentials, and a provider's fresh ones, are signed synchronously (no await on the call path)", async () => {
    const clock = new InstantClock(START);
    const input = {
      operation: tc3Metadata.operations.describeRegional,
      endpoint: new URL(server.origin),
      body: "{}",
      region: "ap-beijing",
      nowMs: START,
    };
    const fixed = tc3Protocol({ service: "demo", version: "2020-01-01", credentials: { secretId: "AKIDfixed", secretKey: "fixed-key" } });
    expect(fixed.prepare(input)).not.toBeInstanceOf(Promise);
    const p = numbered(clock, 30 * MINUTE);
    const provided = tc3Protocol({ service: "demo", version: "2020-01-01", credentials: tc3Provider(p.provider), now: () => clock.now() });
    const first = provided.prepare(input);
    expect(first).toBeInstanceOf(Promise);
    await first;
    expect(provided.prepare(input)).not.toBeInstanceOf(Promise);
    expect(provided.secrets).toContain("provided-KEY-1-secret");
  });
});

describe("Chat userSig provider", () => {
  const sig = (nowMs: number, expireSeconds = 3600) =>
    genUserSig({ sdkAppId: CHAT_SDKAPPID, key: CHAT_KEY, identifier: CHAT_IDENTIFIER, expireSeconds, nowSeconds: Math.floor(nowMs / 1000) });
  const chatClient = (clock: InstantClock, userSig: unknown) =>
    new ServiceClient(chatMetadata, chatValidators, {
      endpoint: server.origin,
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, userSig: userSig as string },
      clock,
      retry: false,
      env: {},
    });
  const usersigOf = (r: Recorded) => new URL(r.url, server.origin).searchParams.get("usersig");

  it("uses the provided UserSig, refreshes it before expiresAt, single-flight under 16 concurrent calls", async () => {
    server.fallback({ kind: "json", body: chatOk({ RoomInfo: {} }) });
    const clock = new InstantClock(START);
    const given: string[] = [];
    let open = () => {};
    let gate: Promise<void> | undefined = new Promise<void>((resolve) => (open = resolve));
    const provider = async () => {
      const userSig = sig(clock.now());
      given.push(userSig);
      if (gate) await gate;
      return { userSig, expiresAt: new Date(clock.now() + 60 * MINUTE) };
    };
    const client = chatClient(clock, provider);
    const calls = Array.from({ length: 16 }, () => client.call("getRoom", { RoomId: "r1" }));
    await settle();
    open();
    gate = undefined;
    await Promise.all(calls);
    expect(given).toHaveLength(1);
    expect(new Set(server.requests.map(usersigOf))).toEqual(new Set([given[0]]));

    clock.tick(56 * MINUTE);
    await client.call("getRoom", { RoomId: "r1" });
    await settle();
    await client.call("getRoom", { RoomId: "r1" });
    expect(given).toHaveLength(2);
    expect(server.requests.slice(16).map(usersigOf)).toEqual([given[0], given[1]]);
  });

  it("a plain string is kept until the server answers 70001, then the provider is asked again", async () => {
    const clock = new InstantClock(START);
    const given: string[] = [];
    const provider = async () => {
      given.push(sig(clock.now() + given.length * 1000));
      return given.at(-1)!;
    };
    const client = chatClient(clock, provider);
    server.enqueue(
      { kind: "json", body: chatOk({ RoomInfo: {} }) },
      { kind: "json", body: chatFail(70001, "UserSig expired") },
      { kind: "json", body: chatOk({ RoomInfo: {} }) },
    );
    await client.call("getRoom", { RoomId: "r1" });
    clock.tick(24 * 60 * MINUTE);
    expect((await failure(client.call("getRoom", { RoomId: "r1" }))).code).toBe(70001);
    expect(given).toHaveLength(1);
    await client.call("getRoom", { RoomId: "r1" });
    expect(given).toHaveLength(2);
    expect(server.requests.map(usersigOf)).toEqual([given[0], given[0], given[1]]);
  });

  it("a failing UserSig provider is ClientError.Credentials naming it, without a UserSig it gave", async () => {
    server.fallback({ kind: "json", body: chatOk({ RoomInfo: {} }) });
    const clock = new InstantClock(START);
    const first = sig(START);
    let calls = 0;
    const client = chatClient(clock, async function signingService() {
      if (calls++ > 0) throw new Error(`signing service down; last was ${first}`);
      return { userSig: first, expiresAt: START + 10 * MINUTE };
    });
    await client.call("getRoom", { RoomId: "r1" });
    clock.tick(11 * MINUTE);
    const error = await failure(client.call("getRoom", { RoomId: "r1" }));
    expect(error.code).toBe("ClientError.Credentials");
    expect(error.message).toContain("signingService");
    expect(rendered(error)).not.toContain(first);
    expect(server.requests).toHaveLength(1);
  });

  it("the fixed UserSig path stays synchronous", () => {
    const protocol = chatProtocol({
      version: "v4",
      credentials: { sdkAppId: CHAT_SDKAPPID, identifier: CHAT_IDENTIFIER, userSig: sig(START) },
      now: () => START,
      random: () => 1,
    });
    expect(
      protocol.prepare({ operation: chatMetadata.operations.getRoom, endpoint: new URL(server.origin), body: "{}", region: undefined, nowMs: START }),
    ).not.toBeInstanceOf(Promise);
  });
});
