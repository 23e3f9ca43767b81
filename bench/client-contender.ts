// The client bench's contenders, each made on its own so a measuring process loads only its own
// (ours as built and installed, the official SDK, node:http or undici with TC3 signing written
// inline), and the measuring process itself:
//
//   node --expose-gc --import tsx bench/client-contender.ts '<json: MeasureArgs>'
//
// prints `{"msPerCall": …, "cpuMsPerCall": …}`: `calls` calls of `op`, `concurrency` in flight,
// after a warm-up of its own.
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { pathToFileURL } from "node:url";
import { nodeEntry } from "./node-entry.js";

export const SECRET_ID = "AKIDbenchSecretId000000000000000001";
export const SECRET_KEY = "bench-secret-key-0123456789abcdef";
export const SDK_HOST = "lcic.tencentcloudapi.com";
export const SERVICE = "lcic";
export const VERSION = "2022-08-17";
const SDK_LCIC_CLIENT = "tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js";

export const CONTENDER_NAMES = ["ours", "ours-no-validation", "ours-undici", "sdk", "floor", "undici"] as const;
export type ContenderName = (typeof CONTENDER_NAMES)[number];
export const CONTENDER_LABELS: Record<ContenderName, string> = {
  ours: "ours (defaults, validation on)",
  "ours-no-validation": "ours (validation off)",
  "ours-undici": "ours (createUndiciTransport, validation on)",
  sdk: "tencentcloud-sdk-nodejs",
  floor: "floor (node:http + inline TC3)",
  undici: "undici Pool + inline TC3",
};

/** One operation as the contenders send it. */
export interface CallOp {
  method: string;
  action: string;
  request: Record<string, unknown>;
}

export interface Contender {
  call(op: CallOp): Promise<unknown>;
  close(): void;
}

const require = createRequire(import.meta.url);

/** TC3-HMAC-SHA256 headers written out with node:crypto, as a hand-rolled client would. */
function tc3Headers(action: string, body: string, host: string): Record<string, string> {
  const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
  const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${SERVICE}/tc3_request`;
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${sha256(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const kSigning = hmac(hmac(hmac(`TC3${SECRET_KEY}`, date), SERVICE), "tc3_request");
  const signature = createHmac("sha256", kSigning).update(toSign).digest("hex");
  return {
    "content-type": "application/json",
    host,
    "x-tc-action": action,
    "x-tc-version": VERSION,
    "x-tc-timestamp": String(timestamp),
    authorization: `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}

function payloadOf(text: string): unknown {
  const parsed = JSON.parse(text) as { Response?: { Error?: unknown } };
  if (!parsed.Response || parsed.Response.Error) throw new Error("the server answered an error");
  return parsed.Response;
}

export async function makeContender(name: ContenderName, port: number, packagesDir: string): Promise<Contender> {
  const origin = `http://127.0.0.1:${port}`;
  if (name === "ours" || name === "ours-no-validation" || name === "ours-undici") {
    const entry = nodeEntry(packagesDir, "@rtc-apigen/lcic");
    const { LcicClient } = (await import(pathToFileURL(entry).href)) as {
      LcicClient: new (o: object) => Record<string, (r: unknown) => Promise<unknown>>;
    };
    // The optional transport over the caller's own undici (the runtime imports none).
    let transport: { close(): Promise<void> } | undefined;
    if (name === "ours-undici") {
      const runtime = nodeEntry(packagesDir, "@rtc-apigen/runtime");
      const { createUndiciTransport } = (await import(pathToFileURL(runtime).href)) as {
        createUndiciTransport: (u: unknown) => { close(): Promise<void> };
      };
      transport = createUndiciTransport(await import("undici"));
    }
    // Rate limiter off: the spec's 20 requests/second would measure the limit, not the client (the SDK has none).
    const client = new LcicClient({
      endpoint: origin,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      rateLimit: false,
      validateRequests: name === "ours-no-validation" ? "off" : "throw",
      env: {},
      transport,
    });
    return { call: (op) => client[op.method]!(op.request), close: () => void transport?.close() };
  }
  if (name === "sdk") {
    const Client = (require(SDK_LCIC_CLIENT) as { Client: new (config: unknown) => Record<string, (req: unknown) => Promise<unknown>> }).Client;
    // The SDK takes its service name from the endpoint's first label, so the endpoint stays the real
    // host and the agent routes the socket to the loopback server (kept alive, like ours).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(port, "127.0.0.1");
    const client = new Client({
      credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      region: "",
      profile: { httpProfile: { protocol: "http://", endpoint: SDK_HOST, agent } },
    });
    return { call: (op) => client[op.action]!.call(client, op.request), close: () => agent.destroy() };
  }
  const host = `127.0.0.1:${port}`;
  if (name === "undici") {
    const { Pool } = (await import("undici")) as typeof import("undici");
    const pool = new Pool(origin, { connections: 64 });
    return {
      call: async (op) => {
        const body = JSON.stringify(op.request);
        const res = await pool.request({ method: "POST", path: "/", headers: tc3Headers(op.action, body, host), body });
        return payloadOf(await res.body.text());
      },
      close: () => void pool.close(),
    };
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = (op: CallOp) => {
    const body = JSON.stringify(op.request);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          agent,
          headers: { ...tc3Headers(op.action, body, host), "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            try {
              resolve(payloadOf(Buffer.concat(chunks).toString("utf8")));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
  return { call, close: () => agent.destroy() };
}

/** Wall and CPU milliseconds per call over `calls` calls, `concurrency` in flight. */
export async function timeCalls(c: Contender, op: CallOp, calls: number, concurrency: number): Promise<{ msPerCall: number; cpuMsPerCall: number }> {
  let next = 0;
  const worker = async () => {
    while (next++ < calls) await c.call(op);
  };
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { msPerCall: wall / calls, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls };
}

export interface MeasureArgs {
  name: ContenderName;
  port: number;
  packagesDir: string;
  op: CallOp;
  calls: number;
  concurrency: number;
}

if (process.argv[1]?.endsWith("client-contender.ts")) {
  const args = JSON.parse(process.argv[2]!) as MeasureArgs;
  const c = await makeContender(args.name, args.port, args.packagesDir);
  await timeCalls(c, args.op, Math.min(args.calls, 1000), args.concurrency); // warm-up: JIT and sockets
  (globalThis as { gc?: () => void }).gc?.();
  const t = await timeCalls(c, args.op, args.calls, args.concurrency);
  c.close();
  process.stdout.write(JSON.stringify(t));
  process.exit(0);
}
