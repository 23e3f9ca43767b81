// Backoff arithmetic, and the core's retry loop against a loopback server: what is retried
// (network, 5xx, codes the spec marks retryable), what is not, and the attempt and time budgets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { codeRetryable } from "../../templates/runtime/src/client/client-call.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { Tc3ClientOptions } from "../../templates/runtime/src/protocols/tc3/client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { backoffDelay, nextRetryDelay, parseRetryAfter, retryPolicy } from "../../templates/runtime/src/client/retry.js";
import { createNodeTransport } from "../../templates/runtime/src/client/transport.js";
import { InstantClock } from "./support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, tc3Error, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";
import { startLoopback, type Loopback } from "./support/loopback.js";

describe("backoff", () => {
  it("full jitter: uniform below min(maxDelay, base * 2^(retry-1))", () => {
    const top = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(top, n))).toEqual([99, 199, 399, 799, 999, 999]);
    const bottom = retryPolicy({ random: () => 0 });
    expect(backoffDelay(bottom, 3)).toBe(0);
    const half = retryPolicy({ baseDelayMs: 100, random: () => 0.5 });
    expect(backoffDelay(half, 2)).toBe(100);
  });

  it("stops at maxAttempts and when the delay would pass maxElapsedMs", () => {
    const policy = retryPolicy({
      maxAttempts: 3,
      baseDelayMs: 1_000,
      maxDelayMs: 1_000,
      maxElapsedMs: 2_500,
      random: () => 0.999,
    });
    expect(nextRetryDelay(policy, 1, 0, 0)).toBe(999);
    expect(nextRetryDelay(policy, 3, 0, 0)).toBeUndefined();
    expect(nextRetryDelay(policy, 2, 0, 1_400)).toBe(999);
    expect(nextRetryDelay(policy, 2, 0, 1_600)).toBeUndefined();
  });

  it("Retry-After delta-seconds of any length is a delay; one no timer can wait is no retry, whatever the budget", () => {
    for (const digits of [1, 8, 10, 11, 20, 400]) expect(parseRetryAfter("9".repeat(digits), 0)).toBe(Number("9".repeat(digits)) * 1000);
    const unbounded = retryPolicy({ maxElapsedMs: Infinity });
    expect(nextRetryDelay(unbounded, 1, 0, 0, 2 ** 31 - 1)).toBe(2 ** 31 - 1);
    for (const huge of [2 ** 31, 1e22, Infinity]) expect(nextRetryDelay(unbounded, 1, 0, 0, huge)).toBeUndefined();
  });

  it("layers options; false means a single attempt", () => {
    expect(retryPolicy({ maxAttempts: 5 }, { baseDelayMs: 7 })).toMatchObject({ maxAttempts: 5, baseDelayMs: 7 });
    expect(retryPolicy({ maxAttempts: 5 }, false).maxAttempts).toBe(1);
    expect(retryPolicy(false, { maxAttempts: 4 }).maxAttempts).toBe(4);
    expect(retryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });

  it("codeRetryable: operation codes, then common codes, then the nearest documented parent", () => {
    const op = tc3Metadata.operations.listThings;
    expect(codeRetryable(tc3Metadata, op, "FailedOperation.NotReady")).toBe(true);
    expect(codeRetryable(tc3Metadata, op, "FailedOperation.Other")).toBe(false);
    expect(codeRetryable(tc3Metadata, op, "InternalError.Db")).toBe(true);
    expect(codeRetryable(tc3Metadata, op, "RequestLimitExceeded")).toBe(true);
    expect(codeRetryable(tc3Metadata, op, "Unheard.Of")).toBeUndefined();
  });
});

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
  server.fallback({ kind: "json", body: tc3Ok({ Total: 0 }, "final") });
});

function client(clock: InstantClock, options: Tc3ClientOptions = {}) {
  return new ServiceClient(tc3Metadata, tc3Validators, {
    endpoint: server.origin,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    clock,
    env: {},
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const call = (c: ServiceClient<typeof tc3Metadata>, options = {}) => c.call("listThings", { Owner: "me" }, options);

describe("retries", () => {
  it("5xx, then success: the payload of the last attempt, backoff slept on the clock", async () => {
    const clock = new InstantClock();
    server.enqueue({ kind: "text", status: 503, body: "busy" }, { kind: "text", status: 500, body: "" });
    const payload = await call(client(clock, { retry: { maxAttempts: 3, baseDelayMs: 100, random: () => 0.5 } }));
    expect(payload).toMatchObject({ RequestId: "final" });
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("a reset connection, then success", async () => {
    server.enqueue({ kind: "reset" });
    const payload = await call(client(new InstantClock(), { retry: { random: () => 0 } }));
    expect(payload).toMatchObject({ RequestId: "final" });
    expect(server.requests).toHaveLength(2);
  });

  it("a truncated body, then success", async () => {
    server.enqueue({ kind: "truncate", body: '{"Resp', declared: 200 });
    await expect(call(client(new InstantClock(), { retry: { random: () => 0 } }))).resolves.toMatchObject({
      RequestId: "final",
    });
  });

  it("a timeout, then success", async () => {
    server.enqueue({ kind: "hang" });
    await expect(call(client(new InstantClock(), { timeoutMs: 50, retry: { random: () => 0 } }))).resolves.toMatchObject({
      RequestId: "final",
    });
    expect(server.requests).toHaveLength(2);
  });

  it("retries codes the metadata marks retryable (operation and common), not the others", async () => {
    server.enqueue({ kind: "json", body: tc3Error("FailedOperation.NotReady") }, { kind: "json", body: tc3Error("RequestLimitExceeded") });
    await expect(call(client(new InstantClock(), { retry: { maxAttempts: 3, random: () => 0 } }))).resolves.toBeDefined();
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.enqueue({ kind: "json", body: tc3Error("ResourceNotFound.Thing") });
    const error = await rejection(call(client(new InstantClock(), { retry: { maxAttempts: 3, random: () => 0 } })));
    expect(error).toMatchObject({ code: "ResourceNotFound.Thing", attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("never retries ClientError.InvalidResponse from a 200 or a 4xx", async () => {
    server.enqueue({ kind: "text", body: "not json" });
    await rejection(call(client(new InstantClock(), { retry: { maxAttempts: 3 } })));
    server.enqueue({ kind: "text", status: 400, body: "bad" });
    await rejection(call(client(new InstantClock(), { retry: { maxAttempts: 3 } })));
    expect(server.requests).toHaveLength(2);
  });

  it("the attempt cap: the last error, with attempts = maxAttempts and still retryable", async () => {
    server.fallback({ kind: "json", body: tc3Error("InternalError", "down") });
    const clock = new InstantClock();
    const error = await rejection(call(client(clock, { retry: { maxAttempts: 4, random: () => 0 } })));
    expect(error).toMatchObject({ code: "InternalError", attempts: 4, retryable: true });
    expect(error.message).toContain("4 attempts");
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it("the time cap: no retry would start after maxElapsedMs", async () => {
    server.fallback({ kind: "json", body: tc3Error("InternalError", "down") });
    const clock = new InstantClock();
    const policy = {
      maxAttempts: 100,
      baseDelayMs: 1_000,
      maxDelayMs: 1_000,
      maxElapsedMs: 3_500,
      random: () => 0.999,
    };
    const error = await rejection(call(client(clock, { retry: policy })));
    // Delays of 999 ms: after 3 of them (2,997 ms) a 4th would end at 3,996 > 3,500.
    expect(clock.sleeps).toEqual([999, 999, 999]);
    expect(error.attempts).toBe(4);
  });

  it("a slow attempt counts against the time budget", async () => {
    server.fallback({ kind: "json", body: tc3Error("InternalError", "down") });
    const clock = new InstantClock();
    const slow = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      clock,
      env: {},
      retry: { maxAttempts: 10, maxElapsedMs: 10_000, random: () => 0 },
      transport: async (r) => {
        clock.tick(6_000);
        return transport(r);
      },
    });
    const error = await rejection(call(slow));
    expect(error.attempts).toBe(2);
  });

  // 8 digits was already beyond the budget; 11 and more were unreadable and retried after the backoff.
  for (const retryAfter of ["99999999", "99999999999", "9".repeat(400)])
    it(`a Retry-After of ${retryAfter.length} digits is beyond the budget: the server's error at once, no wait`, async () => {
      server.fallback({ kind: "json", status: 429, body: tc3Error("RequestLimitExceeded", "slow down"), headers: { "retry-after": retryAfter } });
      for (const maxElapsedMs of [15_000, Infinity]) {
        server.requests.length = 0;
        const clock = new InstantClock();
        const error = await rejection(call(client(clock, { retry: { maxElapsedMs, random: () => 0 } })));
        expect(error).toMatchObject({ code: "RequestLimitExceeded", httpStatus: 429, attempts: 1 });
        expect(clock.sleeps).toEqual([]);
        expect(server.requests).toHaveLength(1);
      }
    });

  it("retry: false (client) and a per-call override", async () => {
    server.enqueue({ kind: "text", status: 503, body: "" });
    const once = client(new InstantClock(), { retry: false });
    await rejection(call(once));
    expect(server.requests).toHaveLength(1);
    server.enqueue({ kind: "text", status: 503, body: "" });
    await expect(call(once, { retry: { maxAttempts: 2, random: () => 0 } })).resolves.toBeDefined();
    expect(server.requests).toHaveLength(3);
  });
});

describe("abort", () => {
  it("aborting during a request is ClientError.Aborted and not retried", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = call(client(new InstantClock(), { retry: { maxAttempts: 5 } }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: "ClientError.Aborted", attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("aborting during the backoff stops with ClientError.Aborted", async () => {
    const controller = new AbortController();
    const clock = new InstantClock();
    const aborting = {
      now: () => clock.now(),
      sleep: (ms: number, signal?: AbortSignal) => {
        controller.abort();
        return clock.sleep(ms, signal);
      },
    };
    server.enqueue({ kind: "text", status: 503, body: "" });
    const error = await rejection(call(client(clock, { clock: aborting, retry: { maxAttempts: 5 } }), { signal: controller.signal }));
    expect(error).toMatchObject({ code: "ClientError.Aborted", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const error = await rejection(call(client(new InstantClock()), { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: "ClientError.Aborted", attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });
});
