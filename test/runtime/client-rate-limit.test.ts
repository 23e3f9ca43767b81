// The token bucket on a manual clock, and a burst through the client core past the spec's rate:
// the excess waits its turn (in order) instead of being refused. No wall-clock thresholds.
import { describe, expect, it } from "vitest";
import { ServiceClient, type Tc3ClientOptions } from "../../templates/runtime/src/client-core.js";
import { ApiError } from "../../templates/runtime/src/errors.js";
import { TokenBucket } from "../../templates/runtime/src/rate-limit.js";
import type { Transport } from "../../templates/runtime/src/transport.js";
import { FakeClock, settle } from "./support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, tc3Metadata, tc3Ok, tc3Validators } from "./support/fixture.js";

describe("TokenBucket", () => {
  it("lets a full burst through, then one token per 1/rate", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ requests: 4, per: "second" }, clock);
    for (let i = 0; i < 4; i++) expect(await bucket.take()).toBe(0);
    expect(bucket.waitTime()).toBe(250);
    const done: number[] = [];
    void bucket.take().then(() => done.push(1));
    void bucket.take().then(() => done.push(2));
    await settle();
    expect(clock.sleeps).toEqual([250, 500]);
    await clock.advance(249);
    expect(done).toEqual([]);
    await clock.advance(1);
    expect(done).toEqual([1]);
    await clock.advance(250);
    expect(done).toEqual([1, 2]);
  });

  it("refills continuously up to capacity, not beyond", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ requests: 60, per: "minute" }, clock);
    for (let i = 0; i < 60; i++) await bucket.take();
    await clock.advance(10_000);
    for (let i = 0; i < 10; i++) {
      expect(bucket.waitTime()).toBe(0);
      await bucket.take();
    }
    expect(bucket.waitTime()).toBe(1_000);
    await clock.advance(3_600_000);
    for (let i = 0; i < 60; i++) await bucket.take();
    expect(bucket.waitTime()).toBe(1_000);
  });

  it("maxWaitMs refuses with ClientError.RateLimited instead of waiting", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ requests: 1, per: "second" }, clock);
    await bucket.take();
    await expect(bucket.take({ maxWaitMs: 500 })).rejects.toMatchObject({ code: "ClientError.RateLimited" });
    // The refusal reserved nothing.
    expect(bucket.waitTime()).toBe(1_000);
  });

  it("an aborted wait gives its reservation back", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ requests: 1, per: "second" }, clock);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ClientError.Aborted" });
    expect(bucket.waitTime()).toBe(1_000);
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
  it("a burst of 25 at 20/s: 20 go at once, the other 5 wait 50 ms each, in call order", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock });
    const calls = Array.from({ length: 25 }, (_, i) => client.call("listThings", { Owner: `c${i}` }));
    await settle();
    expect(sent).toHaveLength(20);
    expect(clock.sleeps).toEqual([50, 100, 150, 200, 250]);
    await clock.advance(50);
    expect(sent).toHaveLength(21);
    await clock.advance(200);
    await Promise.all(calls);
    expect(sent).toEqual(Array.from({ length: 25 }, (_, i) => `c${i}`));
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

  it("buckets are per operation", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock, region: "ap-beijing" });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    await client.call("describeRegional", { Owner: "other" });
    expect(sent).toHaveLength(21);
    expect(clock.sleeps).toEqual([]);
  });

  it("maxWaitMs: the call that would wait too long fails with ClientError.RateLimited, nothing sent", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock, rateLimit: { maxWaitMs: 120 } });
    const pending = Promise.allSettled(
      Array.from({ length: 23 }, (_, i) => client.call("listThings", { Owner: `c${i}` })),
    );
    await settle();
    await clock.advance(200);
    const results = await pending;
    // The 21st waits 50 ms and the 22nd 100 ms; the 23rd would wait 150 ms.
    expect(results.map((r) => r.status).lastIndexOf("fulfilled")).toBe(21);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason as ApiError;
    expect(reason).toBeInstanceOf(ApiError);
    expect(reason).toMatchObject({ code: "ClientError.RateLimited", attempts: 0, operation: "ListThings" });
    expect(sent).toHaveLength(22);
  });

  it("aborting a call that waits for the rate limit: ClientError.Aborted, nothing sent", async () => {
    const clock = new FakeClock();
    const { client, sent } = burstClient({ clock });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.call("listThings", { Owner: `c${i}` })));
    const controller = new AbortController();
    const waiting = client.call("listThings", { Owner: "late" }, { signal: controller.signal });
    await settle();
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ClientError.Aborted", attempts: 0 });
    expect(sent).toHaveLength(20);
  });
});
