// Rate limiting: the one window definition both sides use (rate-window.ts), the client's limiter
// on a manual clock, a client beside the mock's limiter over a simulated network with random
// delays (deterministic), and 1,000 real calls over loopback against the mock server. No
// wall-clock thresholds.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ServiceMetadata } from "../../templates/runtime/src/client/metadata.js";
import { ServiceClient } from "../../templates/runtime/src/client/service-client.js";
import type { Tc3ClientOptions } from "../../templates/runtime/src/protocols/tc3/client.js";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { MockRateLimiter } from "../../templates/runtime/src/mock/rate-limit.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS, type MockListening } from "../../templates/runtime/src/mock/server.js";
import { ClientRateLimiter } from "../../templates/runtime/src/client/rate-limit.js";
import { RATE_PERIOD_MS, RateWindow } from "../../templates/runtime/src/shared/rate-window.js";
import type { Transport } from "../../templates/runtime/src/client/transport.js";
import { mockDefinition as lcicMock } from "../../generated/lcic/src/mock.js";
import { validators as lcicValidators } from "../../generated/lcic/src/validators.js";
import { FakeClock, settle } from "./support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";

const RATE = tc3Metadata.operations.listThings.rateLimit;
const PERIOD = RATE_PERIOD_MS[RATE.per];

describe("RateWindow: at most N requests in any period", () => {
  it("admits N at once, then the next only a whole period after the first was released", () => {
    const w = new RateWindow(3, 1_000);
    expect([w.tryTake(0), w.tryTake(0), w.tryTake(10), w.tryTake(10)]).toEqual([true, true, true, false]);
    expect(w.tryTake(999)).toBe(false);
    expect(w.nextFreeAt(999)).toBe(1_000);
    expect(w.tryTake(1_000)).toBe(true);
    expect(w.tryTake(1_000)).toBe(true);
    // The third slot was released at 10.
    expect(w.tryTake(1_009)).toBe(false);
    expect(w.tryTake(1_010)).toBe(true);
  });

  it("holds a slot while its request is in flight, and a period after its release", () => {
    const w = new RateWindow(1, 1_000);
    expect(w.tryAcquire(0)).toBe(true);
    expect(w.tryAcquire(5_000)).toBe(false);
    expect(w.nextFreeAt(5_000)).toBeUndefined();
    expect(w.waitMs(5_000)).toBe(1_000);
    w.release(5_000);
    expect(w.waitMs(5_500)).toBe(500);
    expect(w.tryAcquire(5_999)).toBe(false);
    expect(w.tryAcquire(6_000)).toBe(true);
  });

  it("never lets N + 1 arrivals into one period, for any arrival times", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const w = RateWindow.of({ requests: 5, per: "second" });
    const admitted: number[] = [];
    for (let t = 0; t < 20_000; t += Math.floor(random() * 120)) if (w.tryTake(t)) admitted.push(t);
    for (let i = 5; i < admitted.length; i++) expect(admitted[i]! - admitted[i - 5]!).toBeGreaterThanOrEqual(1_000);
    expect(admitted.length).toBeGreaterThan(90);
  });

  it("a clock that goes back frees nothing early", () => {
    const w = new RateWindow(1, 1_000);
    expect(w.tryTake(10_000)).toBe(true);
    expect(w.tryTake(9_000)).toBe(false);
    expect(w.tryTake(10_999)).toBe(false);
    expect(w.tryTake(11_000)).toBe(true);
  });
});

describe("ClientRateLimiter", () => {
  it("a full burst goes at once; the next waits for a period after a release, in arrival order", async () => {
    const clock = new FakeClock();
    const limiter = new ClientRateLimiter({ requests: 2, per: "second" }, clock);
    const [a, b] = [await limiter.take(), await limiter.take()];
    const done: number[] = [];
    void limiter.take().then((release) => (done.push(1), release));
    void limiter.take().then((release) => (done.push(2), release));
    await settle();
    // Both slots are in flight: no timer can know when they free.
    expect(clock.pending).toBe(0);
    await clock.advance(300);
    a();
    await clock.advance(999);
    expect(done).toEqual([]);
    await clock.advance(1);
    expect(done).toEqual([1]);
    b();
    b(); // a second call does nothing
    await clock.advance(1_000);
    expect(done).toEqual([1, 2]);
    expect(limiter.busy()).toBe(2);
    // No one waits: no timer is left to keep a process alive.
    expect(clock.pending).toBe(0);
  });

  it("maxWaitMs refuses at once what is certain to wait longer, and gives up at the deadline otherwise", async () => {
    const clock = new FakeClock();
    const limiter = new ClientRateLimiter({ requests: 1, per: "second" }, clock);
    (await limiter.take())();
    await expect(limiter.take({ maxWaitMs: 500 })).rejects.toMatchObject({ code: "ClientError.RateLimited" });
    await clock.advance(600);
    // The slot frees 400 ms from now.
    const release = await Promise.race([limiter.take({ maxWaitMs: 500 }), clock.advance(400).then(() => "late" as const)]);
    expect(typeof release).toBe("function");
    // In flight now, and for longer than the wait allowed: refused when the time is up.
    const pending = limiter.take({ maxWaitMs: 1_500 }).catch((e: unknown) => e);
    await clock.advance(1_499);
    expect(limiter.busy()).toBe(1);
    await clock.advance(1);
    expect(await pending).toMatchObject({ code: "ClientError.RateLimited" });
  });

  it("an aborted wait leaves the queue; the others keep their turn", async () => {
    const clock = new FakeClock();
    const limiter = new ClientRateLimiter({ requests: 1, per: "second" }, clock);
    (await limiter.take())();
    const controller = new AbortController();
    const aborted = limiter.take({ signal: controller.signal });
    const next = limiter.take();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: "ClientError.Aborted" });
    await clock.advance(1_000);
    expect(typeof (await next)).toBe("function");
    expect(clock.pending).toBe(0);
  });
});

function burstClient(options: Tc3ClientOptions & { clock: FakeClock }) {
  const sent: string[] = [];
  const transport: Transport = async (r) => {
    sent.push((JSON.parse(r.body) as { Owner: string }).Owner);
    return { status: 200, headers: {}, body: JSON.stringify(tc3Ok({ Total: 0 })) };
  };
  const client = new ServiceClient(tc3Metadata, tc3Validators, {
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    env: {},
    ...options,
  });
  return { client, sent };
}

describe("rate limiting in the client", () => {
  // A client loads its call path on its first call (a dynamic import, issue 15): loaded here, so that
  // the bursts below start at once, as they would on a client that has called before.
  beforeAll(async () => {
    await burstClient({ clock: new FakeClock(), rateLimit: false }).client.call("listThings", { Owner: "warm" });
  });

  it(`a burst of ${RATE.requests + 5} at the spec's rate: ${RATE.requests} go at once, the rest a period after the first answers, in call order`, async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock });
    const calls = Array.from({ length: RATE.requests + 5 }, (_, i) => client.call("listThings", { Owner: `c${i}` }));
    await settle();
    expect(sent).toHaveLength(RATE.requests);
    await clock.advance(PERIOD - 1);
    expect(sent).toHaveLength(RATE.requests);
    await clock.advance(1);
    await Promise.all(calls);
    expect(sent).toEqual(Array.from({ length: RATE.requests + 5 }, (_, i) => `c${i}`));
  });

  it("operations without a rate limit, and rateLimit: false, never wait", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock, rateLimit: false });
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    expect(sent).toHaveLength(30);
    expect(clock.sleeps).toEqual([]);
    const other = burstClient({ clock, region: "ap-beijing" });
    await Promise.all(Array.from({ length: 30 }, () => other.client.call("describeRegional", { Owner: "x" })));
    expect(clock.sleeps).toEqual([]);
  });

  it("limits are per operation", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock, region: "ap-beijing" });
    await Promise.all(Array.from({ length: RATE.requests }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    await client.call("describeRegional", { Owner: "other" });
    expect(sent).toHaveLength(RATE.requests + 1);
    expect(clock.sleeps).toEqual([]);
  });

  it("maxWaitMs shorter than a period: the call that would wait fails with ClientError.RateLimited, nothing sent", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock, rateLimit: { maxWaitMs: PERIOD / 2 } });
    const results = await Promise.allSettled(Array.from({ length: RATE.requests + 1 }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(RATE.requests);
    const reason = (results.at(-1) as PromiseRejectedResult).reason as ApiError;
    expect(reason).toBeInstanceOf(ApiError);
    expect(reason).toMatchObject({ code: "ClientError.RateLimited", attempts: 0, operation: "ListThings" });
    expect(sent).toHaveLength(RATE.requests);
  });

  it("aborting a call that waits for the rate limit: ClientError.Aborted, nothing sent", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock });
    await Promise.all(Array.from({ length: RATE.requests }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    const controller = new AbortController();
    const waiting = client.call("listThings", { Owner: "late" }, { signal: controller.signal });
    await settle();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ClientError.Aborted", attempts: 0 });
    expect(sent).toHaveLength(RATE.requests);
  });
});

/**
 * A client at its default settings beside the mock's limiter, over a simulated network: each
 * request reaches the limiter after a random delay and its answer comes back after another, on
 * the manual clock. Deterministic (seeded); counts what the mock's limiter refused.
 */
async function simulate(options: { calls: number; concurrency: number; seed: number; maxDelayMs: number }) {
  const clock = new FakeClock();
  const server = new MockRateLimiter();
  let seed = options.seed;
  const delay = () => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * options.maxDelayMs);
  let refused = 0;
  const transport: Transport = async () => {
    await clock.sleep(delay());
    const ok = server.take("key", RATE, clock.now());
    if (!ok) refused++;
    await clock.sleep(delay());
    return {
      status: 200,
      headers: {},
      body: JSON.stringify(ok ? tc3Ok({ Total: 0 }) : { Response: { Error: { Code: "RequestLimitExceeded", Message: "rate" }, RequestId: "r" } }),
    };
  };
  const client = new ServiceClient(tc3Metadata, tc3Validators, {
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport,
    env: {},
    clock,
  });
  let next = 0;
  const worker = async () => {
    while (next < options.calls) {
      next++;
      await client.call("listThings", { Owner: "o" });
    }
  };
  let finished = false;
  const all = Promise.all(Array.from({ length: options.concurrency }, worker)).finally(() => (finished = true));
  while (!finished) await clock.runAll(1_000_000);
  await all;
  return { refused, elapsedMs: clock.now() - 1_700_000_000_000 };
}

describe("the client never trips the mock's limiter at the same spec rate", () => {
  for (const [name, concurrency] of [
    ["one call at a time", 1],
    ["50 calls at a time", 50],
  ] as const) {
    it(`1,000 calls, ${name}, with 0–40 ms network delays each way`, async () => {
      const { refused, elapsedMs } = await simulate({ calls: 1_000, concurrency, seed: 11, maxDelayMs: 40 });
      expect(refused).toBe(0);
      // And the limit is not wasted: 1,000 calls need at least (1,000 / N − 1) periods, and get no more than twice that.
      const periods = elapsedMs / PERIOD;
      expect(periods).toBeGreaterThanOrEqual(1_000 / RATE.requests - 1);
      expect(periods).toBeLessThan((2 * 1_000) / RATE.requests);
    });
  }
});

describe("1,000 real calls over loopback", () => {
  let listening: MockListening | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  it("a client at its default settings is never refused by the mock server at the same (high) spec rate", async () => {
    // The generated LCIC service with a higher rate, on both sides alike, so 1,000 calls take about two periods.
    const requests = 500;
    const metadata = structuredClone(lcicMock.metadata);
    (metadata.operations.getRoomEvent as { rateLimit: object | null }).rateLimit = { requests, per: "second" };
    const mock = createMock({ ...lcicMock, metadata });
    listening = await mock.listen({ port: 0 });
    const { secretId, secretKey } = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
    const options: Tc3ClientOptions = { credentials: { secretId, secretKey }, endpoint: listening.url, env: {} };
    const client = new ServiceClient(metadata as unknown as ServiceMetadata & { protocol: { name: "tc3" } }, lcicValidators, options);
    const example = lcicMock.examples.find((e) => e.method === "getRoomEvent")!;
    for (let i = 0; i < 1_000; i++) await client.call("getRoomEvent", example.request).catch((e: unknown) => e);
    const refusals = mock.calls.filter((c) => c.code === "RequestLimitExceeded");
    expect(refusals).toEqual([]);
    // No retries hid a refusal: the mock answered exactly 1,000 requests.
    expect(mock.calls.filter((c) => c.operation === "GetRoomEvent")).toHaveLength(1_000);
  }, 30_000);
});
