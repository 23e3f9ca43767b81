// Issue 16 item 5: the built packages run, sign and parse in Node, Bun, Deno and a Cloudflare
// worker (workerd through miniflare, without nodejs_compat: no `process`, no node:* modules; and
// with it: a `process`, partial node:* ports). The
// same consumer script (consumer.mjs) signs a TC3 and a Chat request at the reference vectors' time
// and checks them, then calls the mock on 127.0.0.1 and reads an answer and a service error.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED } from "../helpers.js";
import {
  prepareConsumerApp,
  RUNTIMES,
  runConsumerIn,
  startConsumerMock,
  unavailable,
  VECTORS_FILE,
  type ConsumerApp,
  type ConsumerResult,
} from "./harness.js";

const vectors = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as {
  tc3: { lcic_DescribeRoomStatistics: { authorization: string } };
  usersig: { fixedTime: { usersig: string } };
};

let app: ConsumerApp;
let mock: Awaited<ReturnType<typeof startConsumerMock>>;
const results = new Map<string, ConsumerResult>();

beforeAll(async () => {
  [app, mock] = await Promise.all([prepareConsumerApp(GENERATED), startConsumerMock()]);
}, 240_000);

afterAll(async () => {
  await mock?.close();
  app?.close();
});

describe.each(RUNTIMES)("the consumer in %s", (runtime) => {
  it("signs both protocols as the reference vectors and calls the mock", async (ctx) => {
    const why = await unavailable(runtime);
    if (why !== undefined) {
      // Said out loud, in the test's name and on stderr: never a silent pass.
      console.warn(`SKIPPED ${runtime}: ${why}`);
      ctx.skip(why);
    }
    const result = await runConsumerIn(runtime, app, { mockUrl: mock.url, ids: mock.ids, calls: 2 });
    results.set(runtime, result);
    expect(result.runtime).toBe(runtime.replace("-nodejs-compat", ""));
    expect(result.tc3.authorization).toBe(vectors.tc3.lcic_DescribeRoomStatistics.authorization);
    expect(result.tc3.matches).toBe(true);
    expect(result.chat.decodedMatches).toBe(true);
    // node:zlib (Node's, Bun's, Deno's) gives tls-sig-api-v2's bytes exactly; a worker's CompressionStream may encode the same document differently.
    if (!runtime.startsWith("workerd")) expect(result.chat.userSig).toBe(vectors.usersig.fixedTime.usersig);
    expect(typeof result.mock.total).toBe("number");
    expect(result.mock.missing).toMatch(/^[A-Z][A-Za-z]+\.[A-Za-z.]+$/);
    expect(typeof result.mock.owner).toBe("string");
    expect(result.callMs).toHaveLength(2);
    // Every runtime reads the same seeded mock: the same answers as Node.
    const node = results.get("node");
    if (node && runtime !== "node") expect(result.mock).toEqual(node.mock);
  }, 120_000);
});
