// Client bench: the generated LcicClient against tencentcloud-sdk-nodejs (its LCIC client) and a
// bare node:http request with the TC3 signature computed inline (the floor), all against one
// loopback server in a child process, in interleaved rounds; then the cold import time of the
// generated LCIC package (compiled to JavaScript) against the SDK's deep import of its LCIC client.
//
// Targets (issue): per call, ours ≤ 0.6× the SDK's and ≤ 1.2× the floor's; cold import ≤ 0.1× the SDK's.
// Nothing fails on a missed target: the bench prints the numbers, the ratios and met / NOT met.
//
//   npx tsx bench/client.ts [--calls 2000] [--rounds 5] [--imports 7] [--op getRoomEvent|describeRoomStatistics|both]
//   npm run bench -- client [options]        (once registered in bench/run.ts)
//
// Fairness: the server runs in its own process (the machine has two cores), answers a fixed body
// that is valid per our validators, and every contender keeps one connection alive. Our client's
// rate limiter is off for the per-call runs (the spec's 20 requests/second would make 2,000
// sequential calls take 100 s, measuring the limit, not the client; the SDK has none). Request
// validation is measured both ways: on (the default) and off.
import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { mockDefinition } from "../generated/lcic/src/mock.js";
import {
  type LcicClient,
  validateDescribeRoomStatisticsRequest,
  validateDescribeRoomStatisticsResponse,
  validateGetRoomEventRequest,
  validateGetRoomEventResponse,
} from "../generated/lcic/src/index.js";
import { verifyTc3 } from "../generated/runtime/src/protocols/tc3/signing.js";
import { collectGarbage, formatMs, installBuiltPackages, median, table, type Bench, type BenchContext } from "./bench.js";

export const TARGET_VS_SDK = 0.6;
export const TARGET_VS_FLOOR = 1.2;
export const TARGET_IMPORT = 0.1;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED = path.join(ROOT, "generated");
const require = createRequire(import.meta.url);
const SDK_LCIC_CLIENT = "tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js";

const SECRET_ID = "AKIDbenchSecretId000000000000000001";
const SECRET_KEY = "bench-secret-key-0123456789abcdef";
const SDK_HOST = "lcic.tencentcloudapi.com";
const SERVICE = "lcic";
const VERSION = "2022-08-17";

// ---------------------------------------------------------------------------------------------
// The operations: a request and a fixed answer (the spec's examples), both checked by our validators.

type OpName = "getRoomEvent" | "describeRoomStatistics";

interface Op {
  method: OpName;
  action: string;
  request: Record<string, unknown>;
  /** The payload inside `Response`, RequestId included. */
  payload: Record<string, unknown>;
}

function operations(): Record<OpName, Op> {
  const example = (method: OpName) => {
    const found = mockDefinition.examples.find((e) => e.method === method);
    if (!found) throw new Error(`no example for ${method}`);
    return found as { request: Record<string, unknown>; response: Record<string, unknown> };
  };
  const ev = example("getRoomEvent");
  const st = example("describeRoomStatistics");
  // `Keyword: ""` is valid, but it is left out: the body is then the page-number request as documented.
  const { Keyword: _keyword, ...eventRequest } = ev.request;
  const ops: Record<OpName, Op> = {
    getRoomEvent: { method: "getRoomEvent", action: "GetRoomEvent", request: eventRequest, payload: ev.response },
    describeRoomStatistics: {
      method: "describeRoomStatistics",
      action: "DescribeRoomStatistics",
      request: st.request,
      payload: st.response,
    },
  };
  const checks = [
    validateGetRoomEventRequest(ops.getRoomEvent.request, { now: () => Date.now() }).ok,
    validateGetRoomEventResponse(ops.getRoomEvent.payload).ok,
    validateDescribeRoomStatisticsRequest(ops.describeRoomStatistics.request, { now: () => Date.now() }).ok,
    validateDescribeRoomStatisticsResponse(ops.describeRoomStatistics.payload).ok,
  ];
  if (checks.includes(false)) throw new Error(`an example is not valid per our validators: ${checks.join(", ")}`);
  return ops;
}

// ---------------------------------------------------------------------------------------------
// The loopback server, in a child process: a fixed answer per X-TC-Action. For the signature check
// before timing, `GET /__arm` makes it keep the next request and `GET /__last` returns it.

const SERVER_SOURCE = `
const http = require("node:http");
const bodies = JSON.parse(process.env.BENCH_BODIES);
let last = null;
let armed = false;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method === "GET") {
      if (req.url === "/__arm") armed = true;
      const text = req.url === "/__last" ? JSON.stringify(last) : "{}";
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      return res.end(text);
    }
    if (armed) {
      armed = false;
      last = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    }
    const body = bodies[req.headers["x-tc-action"]] || '{"Response":{"Error":{"Code":"InvalidAction","Message":"unknown action"},"RequestId":"bench"}}';
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 120000;
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

interface Server {
  port: number;
  origin: string;
  /** Keep the next request. */
  arm(): Promise<void>;
  /** The request kept after `arm`. */
  last(): Promise<{ method: string; headers: Record<string, string>; body: string }>;
  close(): void;
}

async function startServer(ops: Record<OpName, Op>): Promise<Server> {
  const bodies: Record<string, string> = {};
  for (const op of Object.values(ops)) bodies[op.action] = JSON.stringify({ Response: op.payload });
  const child = spawn(process.execPath, ["-e", SERVER_SOURCE], {
    env: { ...process.env, BENCH_BODIES: JSON.stringify(bodies) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (c: Buffer) => {
      text += c.toString();
      if (text.includes("\n")) resolve(Number(text.trim()));
    });
    child.on("exit", (code) => reject(new Error(`the loopback server exited (${code})`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    arm: async () => {
      await (await fetch(`${origin}/__arm`)).text();
    },
    last: async () => {
      const res = await fetch(`${origin}/__last`);
      return (await res.json()) as { method: string; headers: Record<string, string>; body: string };
    },
    close: () => child.stdin.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// The contenders. Each is one call: send the operation's request, resolve to the payload.

type Call = (op: Op) => Promise<unknown>;
interface Contender {
  name: string;
  call: Call;
  close(): void;
}

function ours(server: Server, validateRequests: "throw" | "off", Client: typeof LcicClient): Contender {
  const client = new Client({
    endpoint: server.origin,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    rateLimit: false,
    validateRequests,
    env: {},
  });
  const methods: Record<OpName, (r: never) => Promise<unknown>> = {
    getRoomEvent: (r) => client.getRoomEvent(r),
    describeRoomStatistics: (r) => client.describeRoomStatistics(r),
  };
  return {
    name: validateRequests === "throw" ? "ours (defaults, validation on)" : "ours (validation off)",
    call: (op) => methods[op.method](op.request as never),
    close: () => {},
  };
}

type SdkClient = Record<string, (req: unknown) => Promise<unknown>>;
type SdkClientClass = new (config: unknown) => SdkClient;

function sdk(server: Server): Contender {
  const Client = (require(SDK_LCIC_CLIENT) as { Client: SdkClientClass }).Client;
  // The SDK takes its service name from the endpoint's first label, so the endpoint stays the real
  // host and the agent routes the socket to the loopback server (kept alive, like ours).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  (agent as unknown as { createConnection: () => net.Socket }).createConnection = () =>
    net.connect(server.port, "127.0.0.1");
  const client = new Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: "",
    profile: { httpProfile: { protocol: "http://", endpoint: SDK_HOST, agent } },
  });
  return {
    name: "tencentcloud-sdk-nodejs",
    call: (op) => {
      const fn = client[op.action];
      if (!fn) throw new Error(`the SDK has no ${op.action}`);
      return fn.call(client, op.request);
    },
    close: () => agent.destroy(),
  };
}

/** The floor: node:http with a keep-alive agent and TC3 signing written out with node:crypto. */
function floor(server: Server): Contender {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const host = `127.0.0.1:${server.port}`;
  const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
  const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();
  const call: Call = (op) => {
    const body = JSON.stringify(op.request);
    const timestamp = Math.floor(Date.now() / 1000);
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const scope = `${date}/${SERVICE}/tc3_request`;
    const canonical = `POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${sha256(body)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
    const kSigning = hmac(hmac(hmac(`TC3${SECRET_KEY}`, date), SERVICE), "tc3_request");
    const signature = createHmac("sha256", kSigning).update(toSign).digest("hex");
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: "/",
          agent,
          headers: {
            "content-type": "application/json",
            host,
            "x-tc-action": op.action,
            "x-tc-version": VERSION,
            "x-tc-timestamp": String(timestamp),
            authorization: `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Response?: { Error?: unknown } };
              if (!parsed.Response || parsed.Response.Error) reject(new Error("the server answered an error"));
              else resolve(parsed.Response);
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
  return { name: "floor (node:http + inline TC3)", call, close: () => agent.destroy() };
}

/** One call per contender, checked: the payload is the server's and the request verifies as `lcic`. */
async function check(contenders: Contender[], op: Op, server: Server): Promise<void> {
  for (const c of contenders) {
    await server.arm();
    const payload = await c.call(op);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(payload)), op.payload)) {
      throw new Error(`${c.name}: ${op.action} returned another payload: ${JSON.stringify(payload)}`);
    }
    const last = await server.last();
    const verdict = verifyTc3(last, (id) => (id === SECRET_ID ? { secretKey: SECRET_KEY } : undefined), {
      nowSeconds: Math.floor(Date.now() / 1000),
      expectedService: SERVICE,
    });
    if (!verdict.ok) throw new Error(`${c.name}: its ${op.action} request does not verify: ${verdict.message}`);
    if (last.headers["x-tc-action"] !== op.action || last.body !== JSON.stringify(op.request)) {
      throw new Error(`${c.name}: sent ${last.headers["x-tc-action"]} with ${last.body}`);
    }
  }
}

/** Wall and CPU (this process only: the server's is not counted) milliseconds per call over `n` sequential calls. */
async function perCall(c: Contender, op: Op, n: number): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await c.call(op);
  const wall = Number(process.hrtime.bigint() - start) / 1e6 / n;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 / n };
}

// ---------------------------------------------------------------------------------------------
// Cold import: the generated package compiled to JavaScript, and the SDK's deep import, each
// imported in fresh `node` processes.

/** The packages as shipped (see installBuiltPackages), installed in `dir`; returns the LCIC package's ES entry file. */
async function compileGenerated(dir: string): Promise<string> {
  const lcic = (await installBuiltPackages(GENERATED, dir)).get("@rtc-apigen/lcic");
  if (!lcic) throw new Error("no @rtc-apigen/lcic package was built");
  return path.join(lcic, "dist", "esm", "index.js");
}

// The loader is initialised by importing a trivial module file first (a data: URL would leave the
// file-system resolution to be set up by whichever import comes next, about 7 ms here), so both
// sides time their own modules only.
const IMPORT_CHILD = `
await import(process.env.BENCH_WARM_URL);
const url = process.env.BENCH_IMPORT_URL;
const t0 = performance.now();
const mod = await import(url);
const ms = performance.now() - t0;
const exported = mod.LcicClient ?? mod.Client ?? mod.default?.Client;
process.stdout.write(JSON.stringify({ ms, ok: typeof exported === "function" }));
`;

function importOnce(url: string, warmUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", IMPORT_CHILD], {
      env: { ...process.env, BENCH_IMPORT_URL: url, BENCH_WARM_URL: warmUrl, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        const r = JSON.parse(out) as { ms: number; ok: boolean };
        if (code !== 0 || !r.ok) throw new Error(`exit ${code}, client class ${r.ok ? "found" : "missing"}`);
        resolve(r.ms);
      } catch (error) {
        reject(new Error(`importing ${url} failed: ${(error as Error).message}\n${err}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------

const ratio = (x: number) => `${x.toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const ms3 = (x: number) => x.toFixed(3);

export const clientBench: Bench = {
  name: "client",
  description: "generated LcicClient vs tencentcloud-sdk-nodejs vs bare node:http per call; cold import vs the SDK's",
  options: [
    "--calls N    sequential calls per contender per round (default 2000)",
    "--rounds N   interleaved measured rounds (default 5)",
    "--imports N  fresh processes per side for the cold import (default 7)",
    "--op NAME    getRoomEvent, describeRoomStatistics or both (default both)",
    "--imports 0 skips the cold import. --profile N: only our client (defaults), N calls, nothing compared;",
    "  for `node --cpu-prof --import tsx bench/client.ts --profile 30000 --imports 0`",
  ].join("\n"),
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: {
        calls: { type: "string", default: "2000" },
        rounds: { type: "string", default: "5" },
        imports: { type: "string", default: "7" },
        op: { type: "string", default: "both" },
        profile: { type: "string" },
      },
      strict: false,
    });
    const calls = Number(values.calls) || 2000;
    const rounds = Number(values.rounds) || 5;
    const imports = Number.isSafeInteger(Number(values.imports)) ? Number(values.imports) : 7;
    const profile = values.profile === undefined ? 0 : Number(values.profile) || 30_000;
    const all = operations();
    const selected: Op[] =
      values.op === "both"
        ? [all.getRoomEvent, all.describeRoomStatistics]
        : [all[values.op as OpName]].filter((o): o is Op => o !== undefined);
    if (!selected.length)
      throw new Error(`--op must be getRoomEvent, describeRoomStatistics or both, got ${String(values.op)}`);

    if (!profile) {
      out.write(
        `node ${process.version}, ${os.cpus().length} CPUs; server in a child process; ${calls} sequential calls × ${rounds} rounds, interleaved\n`,
      );
      out.write(
        "ours: rate limiter off (rateLimit: false) in every run; request validation on (default) and off; response validation off (default)\n\n",
      );
    }

    // Our client as it ships: `npm run build`'s output, installed in a temp folder (the sources
    // under tsx would add tsx's name-keeping wrappers to every call).
    const dir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-client-bench-"));
    try {
      progress.write("  building generated/lcic and generated/runtime as `npm run build` does…\n");
      const entry = await compileGenerated(dir);
      const built = (await import(pathToFileURL(entry).href)) as { LcicClient: typeof LcicClient; ApiError: unknown };
      const runtime = (await import(pathToFileURL(path.join(dir, "node_modules", "@rtc-apigen", "runtime", "dist", "esm", "index.js")).href)) as { ApiError: unknown };
      if (built.ApiError !== runtime.ApiError) throw new Error("the built client does not use the built runtime");
      await measureClients({ out, progress, calls, rounds, imports, profile, all, selected, entry, dir, Client: built.LcicClient });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Measure {
  out: NodeJS.WritableStream;
  progress: NodeJS.WritableStream;
  calls: number;
  rounds: number;
  imports: number;
  profile: number;
  all: Record<OpName, Op>;
  selected: Op[];
  /** The built package's ES entry, and the folder it is installed in. */
  entry: string;
  dir: string;
  Client: typeof LcicClient;
}

async function measureClients({ out, progress, calls, rounds, imports, profile, all, selected, entry, dir, Client }: Measure): Promise<void> {
  const server = await startServer(all);
  const contenders = [ours(server, "throw", Client), ours(server, "off", Client), sdk(server), floor(server)];
  const [defaults, noValidation, official, bare] = contenders as [Contender, Contender, Contender, Contender];
  try {
    for (const op of profile ? selected : []) {
      await check([defaults], op, server);
      const t = await perCall(defaults, op, profile);
      out.write(
        `${op.action}: ${defaults.name}, ${profile} calls: ${ms3(t.wall)} ms/call, client CPU ${ms3(t.cpu)} ms/call\n`,
      );
    }
    for (const op of profile ? [] : selected) {
      await check(contenders, op, server);
      progress.write(`  ${op.action}: warm-up…\n`);
      for (const c of contenders) await perCall(c, op, Math.min(calls, 1000));
      const wall = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
      const cpu = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
      for (let r = 0; r < rounds; r++) {
        progress.write(`  ${op.action}: round ${r + 1}/${rounds}\n`);
        // Rotate the order every round so no contender always runs first or right after another.
        for (let i = 0; i < contenders.length; i++) {
          const c = contenders[(i + r) % contenders.length]!;
          collectGarbage();
          const t = await perCall(c, op, calls);
          wall.get(c)!.push(t.wall);
          cpu.get(c)!.push(t.cpu);
        }
      }
      const med = (c: Contender) => median(wall.get(c)!);
      const medCpu = (c: Contender) => median(cpu.get(c)!);
      const rows = contenders.map((c) => {
        const t = wall.get(c)!;
        return [
          c.name,
          ms3(med(c)),
          `${ms3(Math.min(...t))}–${ms3(Math.max(...t))}`,
          ratio(med(c) / med(official)),
          ratio(med(c) / med(bare)),
          ms3(medCpu(c)),
          ratio(medCpu(c) / medCpu(official)),
          ratio(medCpu(c) / medCpu(bare)),
        ];
      });
      out.write(
        `${op.action} (${JSON.stringify(op.request)} → ${JSON.stringify({ Response: op.payload }).length}-byte answer)\n`,
      );
      out.write(
        table(["contender", "ms/call", "range", "÷ SDK", "÷ floor", "client CPU ms/call", "÷ SDK", "÷ floor"], rows),
      );
      // Other load only ever adds time, so the best rounds are a second, less noisy reading.
      const best = (c: Contender) => Math.min(...wall.get(c)!);
      for (const c of [defaults, noValidation]) {
        const vsSdk = med(c) / med(official);
        const vsFloor = med(c) / med(bare);
        out.write(
          `${c.name}: ${ratio(vsSdk)} the SDK (target ≤ ${TARGET_VS_SDK}×: ${verdict(vsSdk <= TARGET_VS_SDK)}), ${ratio(vsFloor)} the floor (target ≤ ${TARGET_VS_FLOOR}×: ${verdict(vsFloor <= TARGET_VS_FLOOR)}); best rounds: ${ratio(best(c) / best(official))} the SDK, ${ratio(best(c) / best(bare))} the floor\n`,
        );
      }
      const floorVsSdk = med(bare) / med(official);
      if (floorVsSdk * TARGET_VS_FLOOR > TARGET_VS_SDK) {
        out.write(
          `note: the floor itself is ${ratio(floorVsSdk)} the SDK, so no client within ${TARGET_VS_FLOOR}× of the floor can be sure of ≤ ${TARGET_VS_SDK}× the SDK here; only ≤ ${ratio(TARGET_VS_SDK / floorVsSdk)} the floor would be\n`,
        );
      }
      out.write("\n");
    }
  } finally {
    for (const c of contenders) c.close();
    server.close();
  }

  // Cold import.
  if (imports <= 0) return;
  {
    const oursUrl = pathToFileURL(entry).href;
    const sdkUrl = pathToFileURL(require.resolve(SDK_LCIC_CLIENT)).href;
    const warm = path.join(dir, "warm.mjs");
    writeFileSync(warm, "export default 1;\n");
    const warmUrl = pathToFileURL(warm).href;
    const sides = [
      { name: "ours: @rtc-apigen/lcic (compiled, with @rtc-apigen/runtime)", url: oursUrl, ms: [] as number[] },
      { name: `SDK: ${SDK_LCIC_CLIENT}`, url: sdkUrl, ms: [] as number[] },
    ];
    await importOnce(oursUrl, warmUrl); // warm the file cache for both
    await importOnce(sdkUrl, warmUrl);
    for (let i = 0; i < imports; i++) {
      progress.write(`  cold import ${i + 1}/${imports}\n`);
      for (const s of i % 2 ? [...sides].reverse() : sides) s.ms.push(await importOnce(s.url, warmUrl));
    }
    const [o, s] = sides.map((x) => median(x.ms)) as [number, number];
    out.write(
      `cold import (fresh node process each, median of ${imports}; the loader is warmed by importing a trivial module file first)\n`,
    );
    out.write(
      table(
        ["module", "ms (median)", "range"],
        sides.map((x) => [
          x.name,
          formatMs(median(x.ms)),
          `${formatMs(Math.min(...x.ms))}–${formatMs(Math.max(...x.ms))}`,
        ]),
      ),
    );
    out.write(
      `ours: ${ratio(o / s)} the SDK's import time (target ≤ ${TARGET_IMPORT}×: ${verdict(o / s <= TARGET_IMPORT)})\n`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  clientBench.run({ args: process.argv.slice(2), out: process.stdout, progress: process.stderr }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
