// The runtime's paths for a runtime without Node built-ins (a Cloudflare worker), taken here in Node:
// with navigator.userAgent "Cloudflare-Workers" the runtime loads no node:* module, so signing goes
// through Web Crypto and CompressionStream and the default transport through fetch. The results
// must be the reference vectors' (runtimes.test.ts runs the same in real workerd; this is the fast check).
import { readFileSync } from "node:fs";
import http from "node:http";
import { inflateSync } from "node:zlib";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const VECTORS_FILE = path.resolve(import.meta.dirname, "../../../shared/reference/vectors.json");

const vectors = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as {
  tc3: {
    lcic_DescribeRoomStatistics: {
      inputs: Record<string, string | number | null>;
      authorization: string;
      intermediates: { canonicalRequest: string };
    };
  };
  usersig: { fixedTime: { sdkappid: number; key: string; identifier: string; expire: number; time: number; jsonDoc: string; usersig: string } };
};

const RUNTIME = "../../generated/runtime/src";

beforeEach(() => {
  vi.resetModules();
  vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** The runtime's modules as a worker loads them: a fresh module graph under the stubbed navigator. */
async function workerRuntime() {
  const tc3 = await import(`${RUNTIME}/tc3.js`);
  const chat = await import(`${RUNTIME}/chat-rest.js`);
  const transport = await import(`${RUNTIME}/client/transport.js`);
  return { tc3, chat, transport };
}

describe("without Node built-ins (a worker)", () => {
  it("signs TC3 with Web Crypto: the reference Authorization, and no synchronous signing", async () => {
    const { tc3 } = await workerRuntime();
    const vector = vectors.tc3.lcic_DescribeRoomStatistics;
    const i = vector.inputs;
    expect(tc3.tc3SignsSynchronously()).toBe(false);
    const input = {
      secretId: i["secretId"],
      secretKey: i["secretKey"],
      service: i["service"],
      host: i["host"],
      action: i["action"],
      version: i["version"],
      timestamp: i["timestamp"],
      payload: i["body"],
      contentType: i["contentType"],
    };
    const signed = await tc3.signTc3Async(input);
    expect(signed.authorization).toBe(vector.authorization);
    expect(signed.canonicalRequest).toBe(vector.intermediates.canonicalRequest);
    // Through a key cache, twice (derived once, then reused): the same.
    const keyCache = new tc3.Tc3KeyCache();
    expect((await tc3.signTc3Async({ ...input, keyCache })).authorization).toBe(vector.authorization);
    expect((await tc3.signTc3Async({ ...input, keyCache })).authorization).toBe(vector.authorization);
    expect(() => tc3.signTc3(input)).toThrow(/signTc3Async/);
    await expect(tc3.signTc3Async({ ...input, secretKey: "" })).rejects.toThrow(TypeError);
  });

  it("generates a UserSig with Web Crypto and CompressionStream: the reference document", async () => {
    const { chat } = await workerRuntime();
    const v = vectors.usersig.fixedTime;
    expect(chat.userSigSignsSynchronously()).toBe(false);
    const userSig: string = await chat.genUserSigAsync({
      sdkAppId: v.sdkappid,
      key: v.key,
      identifier: v.identifier,
      expireSeconds: v.expire,
      nowSeconds: v.time,
    });
    const bytes = Buffer.from(userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64");
    expect(inflateSync(bytes).toString("utf8")).toBe(v.jsonDoc);
    const cache = new chat.UserSigCache({ sdkAppId: v.sdkappid, key: v.key, identifier: v.identifier, expireSeconds: v.expire, now: v.time * 1000 });
    expect(await cache.getAsync()).toBe(userSig);
  });

  it("sends through fetch by default, and refuses a proxy it cannot honour", async () => {
    const { transport } = await workerRuntime();
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const send = transport.defaultTransport({ env: {} });
      // The node:http transport is a NodeTransport with close(); the fetch one is a plain function.
      expect("close" in send).toBe(false);
      const response = await send({
        url: `http://127.0.0.1:${port}/x`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        timeoutMs: 5000,
      });
      expect(response).toMatchObject({ status: 200, body: '{"ok":true}' });
      expect(seen).toEqual(["POST /x"]);
      const proxied = transport.defaultTransport({ proxy: "http://127.0.0.1:9" });
      await expect(proxied({ url: `http://127.0.0.1:${port}/`, method: "POST", headers: {}, body: "", timeoutMs: 5000 })).rejects.toMatchObject({
        code: "ClientError.Configuration",
      });
    } finally {
      server.close();
    }
  });
});
