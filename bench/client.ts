// Client bench: the generated LcicClient (as built and installed) against node:http and undici with
// the TC3 signature computed inline, and tencentcloud-sdk-nodejs (its LCIC client), all against one
// loopback server in a child process; each contender timed in a fresh process of its own per round
// (bench/client-contender.ts), sequentially and with 16 calls in flight, the order alternating
// every round; then the cold import time of the generated LCIC package against the SDK's.
//
// Targets (issue 18): ours ≤ 1× the node:http floor sequentially, ≤ 1× undici + inline TC3 at 16
// concurrent calls; verdicts from the range of per-round ratios (stats.ts). Cold import ≤ 0.1× the SDK's.
//
//   npm run bench -- client [--calls 2000] [--rounds 5] [--imports 7] [--op getRoomEvent|describeRoomStatistics|both]
//
// Fairness: the server runs in its own process (the machine has two cores) and answers a fixed body
// that is valid per our validators; every contender keeps its connections alive. Our client's
// rate limiter is off (the spec's 20 requests/second would measure the limit, not the client; the
// SDK has none). Request validation is measured both ways: on (the default) and off.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { mockDefinition } from "../generated/lcic/src/mock.js";
import type { LcicClient } from "../generated/lcic/src/index.js";
import {
  validateDescribeRoomStatisticsRequest,
  validateDescribeRoomStatisticsResponse,
  validateGetRoomEventRequest,
  validateGetRoomEventResponse,
} from "../generated/lcic/src/validators.js";
import { verifyTc3 } from "../generated/runtime/src/protocols/tc3/signing.js";
import { formatMs, installBuiltPackages, median, table, type Bench, type BenchContext } from "./bench.js";
import {
  CONTENDER_LABELS,
  CONTENDER_NAMES,
  makeContender,
  SECRET_ID,
  SECRET_KEY,
  SERVICE,
  timeCalls,
  type ContenderName,
  type MeasureArgs,
} from "./client-contender.js";
import { describeTarget, pairedRatio, roundOrder, type PairedRatio } from "./stats.js";
import { nodeEntry } from "./node-entry.js";

/** Issue 18: ours ≤ 1× the node:http floor sequentially, ≤ 1× undici + inline TC3 at 16 concurrent calls. */
export const TARGET_VS_FLOOR = 1.0;
export const TARGET_VS_UNDICI = 1.0;
export const TARGET_IMPORT = 0.1;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED = path.join(ROOT, "generated");
const require = createRequire(import.meta.url);
const SDK_LCIC_CLIENT = "tencentcloud-sdk-nodejs/tencentcloud/services/lcic/v20220817/lcic_client.js";

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
// The contenders (bench/client-contender.ts): each timed in a process of its own per round.

/** One call per contender, checked: the payload is the server's and the request verifies as `lcic`. */
async function check(names: readonly ContenderName[], op: Op, server: Server, packagesDir: string): Promise<void> {
  for (const name of names) {
    const c = await makeContender(name, server.port, packagesDir);
    await server.arm();
    const payload = await c.call(op);
    c.close();
    const label = CONTENDER_LABELS[name];
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(payload)), op.payload)) {
      throw new Error(`${label}: ${op.action} returned another payload: ${JSON.stringify(payload)}`);
    }
    const last = await server.last();
    const verdict = verifyTc3(last, (id) => (id === SECRET_ID ? { secretKey: SECRET_KEY } : undefined), {
      nowSeconds: Math.floor(Date.now() / 1000),
      expectedService: SERVICE,
    });
    if (!verdict.ok) throw new Error(`${label}: its ${op.action} request does not verify: ${verdict.message}`);
    if (last.headers["x-tc-action"] !== op.action || last.body !== JSON.stringify(op.request)) {
      throw new Error(`${label}: sent ${last.headers["x-tc-action"]} with ${last.body}`);
    }
  }
}

const CONTENDER = fileURLToPath(new URL("./client-contender.ts", import.meta.url));

/** Times one contender in a fresh process (which warms up first); ms per call. */
function timeInProcess(args: MeasureArgs): Promise<{ msPerCall: number; cpuMsPerCall: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", CONTENDER, JSON.stringify(args)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${args.name} failed (exit ${code}):\n${err}`));
      resolve(JSON.parse(out) as { msPerCall: number; cpuMsPerCall: number });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Cold import: the generated package compiled to JavaScript, and the SDK's deep import, each
// imported in fresh `node` processes.

/** The packages as shipped (see installBuiltPackages), installed in `dir`; returns the LCIC package's ES entry file. */
async function compileGenerated(dir: string): Promise<string> {
  const lcic = (await installBuiltPackages(GENERATED, dir)).get("@rtc-apigen/lcic");
  if (!lcic) throw new Error("no @rtc-apigen/lcic package was built");
  return nodeEntry(dir, "@rtc-apigen/lcic");
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
const ms3 = (x: number) => x.toFixed(3);

export const clientBench: Bench = {
  name: "client",
  description:
    "generated LcicClient vs node:http and undici with inline TC3 and tencentcloud-sdk-nodejs, sequential and 16 concurrent, each in a process of its own; cold import vs the SDK's",
  options: [
    "--calls N    calls per contender per round and mode (default 2000)",
    "--rounds N   rounds, each contender once per round and mode in a process of its own (default 5)",
    "--concurrency N  calls in flight in the concurrent mode (default 16)",
    "--imports N  fresh processes per side for the cold import (default 7)",
    "--op NAME    getRoomEvent, describeRoomStatistics or both (default both)",
    "--imports 0 skips the cold import. --profile N: only our client (defaults), N calls, nothing compared;",
    "  for `node --cpu-prof --import tsx bench/client.ts --profile 30000 --imports 0`",
  ].join("\n"),
  async run({ args, out, progress, targets }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: {
        calls: { type: "string", default: "2000" },
        rounds: { type: "string", default: "5" },
        concurrency: { type: "string", default: "16" },
        imports: { type: "string", default: "7" },
        op: { type: "string", default: "both" },
        profile: { type: "string" },
      },
      strict: false,
    });
    const calls = Number(values.calls) || 2000;
    const rounds = Number(values.rounds) || 5;
    const concurrency = Number(values.concurrency) || 16;
    const imports = Number.isSafeInteger(Number(values.imports)) ? Number(values.imports) : 7;
    const profile = values.profile === undefined ? 0 : Number(values.profile) || 30_000;
    const all = operations();
    const selected: Op[] =
      values.op === "both" ? [all.getRoomEvent, all.describeRoomStatistics] : [all[values.op as OpName]].filter((o): o is Op => o !== undefined);
    if (!selected.length) throw new Error(`--op must be getRoomEvent, describeRoomStatistics or both, got ${String(values.op)}`);

    if (!profile) {
      out.write(
        `node ${process.version}, ${os.cpus().length} CPUs; server in a child process; ${calls} calls per contender, sequential and ${concurrency} in flight, × ${rounds} rounds, each contender in a fresh process, order alternating\n`,
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
      const runtime = (await import(pathToFileURL(path.join(dir, "node_modules", "@rtc-apigen", "runtime", "dist", "esm", "index.js")).href)) as {
        ApiError: unknown;
      };
      if (built.ApiError !== runtime.ApiError) throw new Error("the built client does not use the built runtime");
      await measureClients({ out, progress, targets, calls, rounds, concurrency, imports, profile, all, selected, entry, dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Measure {
  out: NodeJS.WritableStream;
  progress: NodeJS.WritableStream;
  targets: string[] | undefined;
  calls: number;
  rounds: number;
  concurrency: number;
  imports: number;
  profile: number;
  all: Record<OpName, Op>;
  selected: Op[];
  /** The built package's ES entry, and the folder it is installed in. */
  entry: string;
  dir: string;
}

async function measureClients({
  out,
  progress,
  targets,
  calls,
  rounds,
  concurrency,
  imports,
  profile,
  all,
  selected,
  entry,
  dir,
}: Measure): Promise<void> {
  const server = await startServer(all);
  try {
    for (const op of profile ? selected : []) {
      await check(["ours"], op, server, dir);
      const c = await makeContender("ours", server.port, dir);
      const t = await timeCalls(c, op, profile, 1);
      c.close();
      out.write(`${op.action}: ${CONTENDER_LABELS.ours}, ${profile} calls: ${ms3(t.msPerCall)} ms/call, client CPU ${ms3(t.cpuMsPerCall)} ms/call\n`);
    }
    for (const op of profile ? [] : selected) {
      await check(CONTENDER_NAMES, op, server, dir);
      for (const mode of [
        { name: "sequential", inFlight: 1, peer: "floor" as const, target: TARGET_VS_FLOOR },
        { name: `${concurrency} concurrent`, inFlight: concurrency, peer: "undici" as const, target: TARGET_VS_UNDICI },
      ]) {
        const wall = new Map<ContenderName, number[]>(CONTENDER_NAMES.map((c) => [c, []]));
        const cpu = new Map<ContenderName, number[]>(CONTENDER_NAMES.map((c) => [c, []]));
        for (let r = 0; r < rounds; r++) {
          for (const name of roundOrder(CONTENDER_NAMES, r)) {
            progress.write(`  client ${op.action}, ${mode.name}: round ${r + 1}/${rounds}, ${name}\n`);
            const t = await timeInProcess({ name, port: server.port, packagesDir: dir, op, calls, concurrency: mode.inFlight });
            wall.get(name)!.push(t.msPerCall);
            cpu.get(name)!.push(t.cpuMsPerCall);
          }
        }
        const vs = (a: ContenderName, b: ContenderName, m = wall) => pairedRatio(m.get(a)!, m.get(b)!);
        const rows = CONTENDER_NAMES.map((c) => {
          const t = wall.get(c)!;
          const range = (r: PairedRatio) => `${ratio(r.median)} ${r.min.toFixed(2)}–${r.max.toFixed(2)}`;
          return [
            CONTENDER_LABELS[c],
            ms3(median(t)),
            `${ms3(Math.min(...t))}–${ms3(Math.max(...t))}`,
            range(vs(c, mode.peer)),
            ratio(vs(c, "sdk").median),
            ms3(median(cpu.get(c)!)),
            ratio(vs(c, mode.peer, cpu).median),
          ];
        });
        out.write(`${op.action}, ${mode.name} (${JSON.stringify(op.request)} → ${JSON.stringify({ Response: op.payload }).length}-byte answer)\n`);
        out.write(table(["contender", "ms/call", "range", `÷ ${mode.peer} (range)`, "÷ SDK", "client CPU ms/call", `CPU ÷ ${mode.peer}`], rows));
        const line = `client ${op.action}, ${mode.name}: ours vs ${CONTENDER_LABELS[mode.peer]}: ${describeTarget(vs("ours", mode.peer), mode.target, "atMost")}`;
        // The optional undici transport (the caller's undici): the same target, measured beside the default.
        const optional = `client ${op.action}, ${mode.name}: ${CONTENDER_LABELS["ours-undici"]} vs ${CONTENDER_LABELS[mode.peer]}: ${describeTarget(vs("ours-undici", mode.peer), mode.target, "atMost")}`;
        out.write(`${line}\n${optional}\n(ours vs the SDK: ${ratio(vs("ours", "sdk").median)}, no target in issue 18)\n\n`);
        targets?.push(line, optional);
      }
    }
  } finally {
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
    out.write(`cold import (fresh node process each, median of ${imports}; the loader is warmed by importing a trivial module file first)\n`);
    out.write(
      table(
        ["module", "ms (median)", "range"],
        sides.map((x) => [x.name, formatMs(median(x.ms)), `${formatMs(Math.min(...x.ms))}–${formatMs(Math.max(...x.ms))}`]),
      ),
    );
    out.write(
      `ours: the SDK's import time × ${describeTarget(pairedRatio(sides[0]!.ms, sides[1]!.ms), TARGET_IMPORT, "atMost")} (medians ${formatMs(o)} / ${formatMs(s)} ms)\n`,
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
