// Memory stays bounded against an endless body and a gzip bomb, through every transport (node:http, fetch, undici): the
// client stops reading at maxResponseBytes (10 MB by default, counted after decompression), so its
// RSS grows by less than 50 MB where it used to grow by the whole body. The client runs in a child
// process of its own (support/memory-probe.ts), so its RSS is its own.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tc3Ok } from "./support/fixture.js";
import { startLoopback, type Behaviour, type Loopback } from "./support/loopback.js";

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "memory-probe.ts");
const LIMIT_MB = 50;
// What the server sends at most (it stops earlier when the client goes away): far past the limit,
// and bounded, so a client that reads everything still finishes.
const ENDLESS = 256 * 1024 * 1024;

let server: Loopback;
beforeEach(async () => {
  server = await startLoopback();
});
afterEach(async () => {
  await server.close();
});

function probe(transport: "node" | "fetch" | "undici"): Promise<{ code: string; growthMb: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", PROBE, server.origin, transport],
      { timeout: 120_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the probe failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as { code: string; growthMb: number });
      },
    );
  });
}

const head = JSON.stringify(tc3Ok({ Total: 1 }));
const cases: [string, Behaviour, { node: string; fetch: string; undici: string }][] = [
  [
    "an endless body (chunked, no Content-Length)",
    { kind: "stream", head, bytes: ENDLESS },
    { node: "ClientError.ResponseTooLarge", fetch: "ClientError.ResponseTooLarge", undici: "ClientError.ResponseTooLarge" },
  ],
  [
    // node:http and undici's dispatcher ask for no encoding and inflate nothing: the gzip bytes are simply not JSON.
    "a gzip bomb (256 MB of JSON whitespace, about 1 MB compressed)",
    { kind: "stream", head, bytes: ENDLESS, gzip: true },
    { node: "ClientError.InvalidResponse", fetch: "ClientError.ResponseTooLarge", undici: "ClientError.InvalidResponse" },
  ],
];

describe.each(["node", "fetch", "undici"] as const)("%s transport", (transport) => {
  it.each(cases)(`%s: a typed error, RSS grows by less than ${LIMIT_MB} MB`, async (_what, behaviour, codes) => {
    // The warm-up: a small answer, then a valid one of 9 MB (under the 10 MB default).
    server.enqueue({ kind: "json", body: tc3Ok({ Total: 0 }) }, { kind: "stream", head, bytes: 9 * 1024 * 1024 }, behaviour);
    const { code, growthMb } = await probe(transport);
    expect(code).toBe(codes[transport]);
    expect(growthMb).toBeLessThan(LIMIT_MB);
  });
});
