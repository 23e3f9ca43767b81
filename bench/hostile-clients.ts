// The client core against a hostile server on loopback, through both transports (node:http and
// fetch): an endless body, a gzip bomb, a redirect to a second loopback host, Retry-After abuse and
// 30-digit numbers. Each case runs in a child process of its own (test/runtime/support/memory-probe.ts:
// two warm-up calls, the second a valid 9 MB answer, then the hostile one), which reports the error
// code and the peak RSS growth over the warmed-up baseline. Retry-After abuse is also run
// in-process with retries on and an instant clock, to show how long the client would have waited.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ServiceClient } from "../templates/runtime/src/client/service-client.js";
import type { FetchLike } from "../templates/runtime/src/client/transport.js";
import { InstantClock } from "../test/runtime/support/fake-clock.js";
import { SECRET_ID, SECRET_KEY, tc3Error, tc3Metadata, tc3Ok, tc3Validators } from "../test/runtime/support/fixture.js";
import { startLoopback, type Behaviour, type Loopback } from "../test/runtime/support/loopback.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PROBE = path.join(ROOT, "test", "runtime", "support", "memory-probe.ts");
/** What the endless body and the gzip bomb send at most (they stop when the client goes away). */
const ENDLESS = 1024 * 1024 * 1024;
export const TRANSPORTS = ["node", "fetch"] as const;
type Transport = (typeof TRANSPORTS)[number];

export interface ProbeOutcome {
  case: string;
  transport: Transport;
  code: string;
  growthMb: number;
  /** Requests that reached the second host (the redirect case). */
  reachedOtherHost?: number;
}

export interface RetryAfterOutcome {
  retryAfter: string;
  transport: Transport;
  code: string;
  attempts: number;
  /** What the client asked its clock to sleep, in all. */
  sleptMs: number;
}

function probe(origin: string, transport: Transport): Promise<{ code: string; growthMb: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", PROBE, origin, transport],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the memory probe failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as { code: string; growthMb: number });
      },
    );
  });
}

const RETRY_AFTER = ["99999999", "Fri, 31 Dec 9999 23:59:59 GMT", "999999999999999999999999999999", "-5", "1e3", "0"];

async function retryAfterAbuse(server: Loopback, transport: Transport): Promise<RetryAfterOutcome[]> {
  const out: RetryAfterOutcome[] = [];
  for (const retryAfter of RETRY_AFTER) {
    server.fallback({ kind: "json", status: 429, body: tc3Error("RequestLimitExceeded", "slow down"), headers: { "retry-after": retryAfter } });
    const clock = new InstantClock();
    const client = new ServiceClient(tc3Metadata, tc3Validators, {
      endpoint: server.origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      clock,
      rateLimit: false,
      env: {},
      ...(transport === "fetch" ? { fetch: globalThis.fetch as unknown as FetchLike } : {}),
    });
    const error = (await client.call("listThings", { Owner: "me" }).then(
      () => ({ code: "ok (a success?)", attempts: 1 }),
      (e: unknown) => e as { code: string; attempts: number },
    )) as { code: string; attempts: number };
    out.push({ retryAfter, transport, code: error.code, attempts: error.attempts, sleptMs: clock.sleeps.reduce((a, b) => a + b, 0) });
  }
  return out;
}

export async function runHostileClients(progress: NodeJS.WritableStream): Promise<{ probes: ProbeOutcome[]; retryAfter: RetryAfterOutcome[] }> {
  const server = await startLoopback();
  const other = await startLoopback("localhost");
  other.fallback({ kind: "json", body: tc3Ok({ Total: 1 }, "from-the-other-host") });
  const head = JSON.stringify(tc3Ok({ Total: 1 }));
  const cases: Array<[string, Behaviour]> = [
    ["endless body (chunked, 1 GB offered)", { kind: "stream", head, bytes: ENDLESS }],
    ["gzip bomb (1 GB of JSON whitespace gzipped)", { kind: "stream", head, bytes: ENDLESS, gzip: true }],
    [
      "307 redirect to a second loopback host",
      { kind: "text", status: 307, body: "moved", headers: { location: `${other.origin}/steal?token=abc` } },
    ],
    [
      "429 with Retry-After: 99999999 (no retry: the probe's client has retry off)",
      { kind: "json", status: 429, body: tc3Error("RequestLimitExceeded", "slow down"), headers: { "retry-after": "99999999" } },
    ],
    [
      "30-digit integer in a number field",
      { kind: "text", body: '{"Response":{"Total":123456789012345678901234567890,"Things":[],"RequestId":"r-digits"}}' },
    ],
  ];
  const probes: ProbeOutcome[] = [];
  try {
    for (const [name, behaviour] of cases) {
      for (const transport of TRANSPORTS) {
        progress.write(`  clients: ${name}, ${transport}…\n`);
        const reachedBefore = other.requests.length;
        // The probe's warm-up: a small answer, then a valid one of 9 MB (under the 10 MB default).
        server.enqueue({ kind: "json", body: tc3Ok({ Total: 0 }) }, { kind: "stream", head, bytes: 9 * 1024 * 1024 }, behaviour);
        const { code, growthMb } = await probe(server.origin, transport);
        probes.push({
          case: name,
          transport,
          code,
          growthMb,
          ...(behaviour.kind === "text" && behaviour.status === 307 ? { reachedOtherHost: other.requests.length - reachedBefore } : {}),
        });
      }
    }
    progress.write("  clients: Retry-After abuse with retries on…\n");
    const retryAfter: RetryAfterOutcome[] = [];
    for (const transport of TRANSPORTS) retryAfter.push(...(await retryAfterAbuse(server, transport)));
    return { probes, retryAfter };
  } finally {
    await Promise.all([server.close(), other.close()]);
  }
}
