// Mock server bench: signed TC3 requests per second through the real mock server on loopback, as
// the built packages run it (full TC3 signature check, routing, request validation, seeded data,
// lossless JSON out), against a
// bare node:http server answering a fixed JSON body of the same size, in the same run, with
// autocannon at 50 concurrent connections. Each server runs in its own child process, so the load
// generator does not share its CPU.
//
// Target (issue): ≥ 0.5× the bare server's throughput, zero errors (non-2xx answers and error
// envelopes both count), p99 latency reported.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadDefinitions } from "../generator/cli/mock-server.js";
import { stringifyJson } from "../templates/runtime/src/json.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS } from "../templates/runtime/src/mock-server.js";
import { signTc3 } from "../templates/runtime/src/tc3-signing.js";
import { collectGarbage, installBuiltPackages, median, table, type Bench, type BenchContext } from "./bench.js";

export const TARGET_RATIO = 0.5;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SEED = 20261123;
const HOST = "lcic.tencentcloudapi.com";

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** The requests: DescribeRoomStatistics of ended rooms and GetRoomEvent of rooms ended within the hour, signed now. */
async function requests(): Promise<{ list: AutocannonRequest[]; sample: () => Promise<string> }> {
  const definitions = await loadDefinitions(path.join(ROOT, "generated"));
  const lcic = definitions.find((d) => d.metadata.protocol.name === "tc3" && Object.values(d.metadata.operations).some((o) => o.pagination && o.mock));
  if (!lcic) throw new Error("no generated TC3 service with a paginated resource operation");
  const probe = createMock(lcic, { seed: SEED, rateLimit: false });
  const { secretId, secretKey } = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
  const protocol = lcic.metadata.protocol as { service: string; version: string };
  const now = Date.now();
  const timestamp = Math.floor(now / 1000);
  const list: AutocannonRequest[] = [];
  for (const [method, op] of Object.entries(lcic.metadata.operations)) {
    const p = op.pagination;
    const rule = op.mock;
    // Lists of one resource's items (a key in the request), not lists of resources.
    // Page-number and offset lists only: the request names its page.
    if (!p || p.style === "cursor" || !rule || rule.key === null) continue;
    const store = probe.resources(rule.resource);
    // Rooms the operation answers with data: in the state its first rule asks (ended when it has
    // none), and within that rule's window when it has one.
    const need = rule.requires[0];
    const state = need?.state ?? "ended";
    const rooms = store.keys({ state, count: 2000 }).filter((key) => {
      if (!need || need.withinSeconds === null) return true;
      const r = store.get(key)!;
      const since = state === "ended" ? r.endedAt! : r.startedAt ?? now;
      return Math.abs(now - since) <= need.withinSeconds * 1000;
    });
    const example = lcic.examples.find((e) => e.method === method);
    for (const room of rooms.slice(0, 32)) {
      const body = stringifyJson({ ...example?.request, [rule.key]: room, [p.style === "offset" ? p.offset : p.page]: p.style === "offset" ? 0 : p.firstPage, [p.size]: 10 });
      const signed = signTc3({ secretId, secretKey, service: protocol.service, host: HOST, action: op.action!, version: protocol.version, timestamp, payload: body, contentType: "application/json" });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
      list.push({ method: "POST", path: "/", headers, body });
    }
  }
  // What the bare server answers: the mock's own answer of median size, so both send alike.
  const sample = async () => {
    const answers: string[] = [];
    for (const r of list) answers.push(await (await probe.fetch(`https://${HOST}/`, { method: "POST", headers: r.headers, body: r.body })).text());
    const refused = answers.find((a) => a.includes('"Error"'));
    if (refused) throw new Error(`a bench request is refused by the mock: ${refused}`);
    return answers.sort((a, b) => a.length - b.length)[answers.length >> 1]!;
  };
  return { list, sample };
}

// ---------------------------------------------------------------------------------------------
// Child processes: `bench/mock.ts --serve mock|bare body packagesDir` listens on 127.0.0.1 and
// reports its port. The mock is the built packages' (`@rtc-apigen/runtime/mock` and each
// service's `/mock`), as a team that imports them runs it.

type BuiltMock = { createMock: typeof createMock };
type BuiltService = { mockDefinition: Parameters<typeof createMock>[0] & object };

async function serve(kind: string, body: string, packagesDir: string): Promise<void> {
  let port: number;
  if (kind === "mock") {
    const scope = path.join(packagesDir, "node_modules", "@rtc-apigen");
    const entry = (name: string) => pathToFileURL(path.join(scope, name, "dist", "esm", "mock.js")).href;
    const runtime = (await import(entry("runtime"))) as BuiltMock;
    const definitions = [];
    for (const name of readdirSync(scope).filter((n) => n !== "runtime").sort()) definitions.push(((await import(entry(name))) as BuiltService).mockDefinition);
    const mock = runtime.createMock(definitions as never, { seed: SEED, rateLimit: false });
    port = (await mock.listen()).port;
  } else {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  }
  process.send!({ port });
  // CPU time on request: what a measurement cost the server, whatever else runs on the machine.
  process.on("message", (m) => {
    if (m === "stop") process.exit(0); // a normal exit, so --cpu-prof writes its profile
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system });
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  /** The child's CPU time so far, in microseconds. */
  cpu(): Promise<number>;
}

function startChild(kind: "mock" | "bare", body: string, packagesDir: string, profileDir: string | undefined): Promise<Server> {
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, kind)] : [];
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind, body, packagesDir], { execArgv: ["--import", "tsx", ...profile], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once("message", (m: { cpuMicros: number }) => resolve(m.cpuMicros));
      child.send("cpu");
    });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ child, port: m.port, cpu }));
    child.once("exit", (code) => reject(new Error(`the ${kind} server exited with ${code}`)));
  });
}

/** Asks a server to exit normally (so a profile gets written); kills it when it does not within 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill(), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.send("stop");
  });
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  errors: number;
  /** Server CPU time per request. */
  cpuMicros: number;
}

async function measure(name: string, server: Server, list: AutocannonRequest[], seconds: number, connections: number): Promise<Measured> {
  let envelopes = 0;
  const checked = list.map((r) => ({ ...r, onResponse: (status: number, body: string) => void (status === 200 && !body.includes('"Error"') ? 0 : envelopes++) }));
  const options = { url: `http://127.0.0.1:${server.port}`, connections, pipelining: 1, requests: checked };
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT and connections
  collectGarbage(); // the load generator starts each measurement with a clean heap
  envelopes = 0;
  const before = await server.cpu();
  const r = await autocannon({ ...options, duration: seconds });
  const cpuPerRequest = (await server.cpu()) - before;
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    errors: r.non2xx + r.errors + r.timeouts + envelopes,
    cpuMicros: cpuPerRequest / Math.max(1, r.requests.total),
  };
}

export const mockBench: Bench = {
  name: "mock",
  description: "signed requests/s through the mock server (TC3 check, validation, data) vs a bare node:http server",
  options: "--duration S      seconds per measurement (default 10)\n--connections N   concurrent connections (default 50)\n--rounds N        alternating bare/mock measurements, medians reported (default 4: each order twice)\n--cpu-prof DIR    write each server's V8 CPU profiles to DIR/bare and DIR/mock (one per thread; the largest is the server's)",
  async run({ args, out, progress }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "50" }, rounds: { type: "string", default: "4" }, "cpu-prof": { type: "string" } },
      strict: false,
    });
    const seconds = Number(values.duration) || 10;
    const connections = Number(values.connections) || 50;
    const rounds = Number(values.rounds) || 4;
    const { list, sample } = await requests();
    const body = await sample();
    const profileDir = typeof values["cpu-prof"] === "string" ? path.resolve(values["cpu-prof"]) : undefined;
    const packagesDir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-mock-bench-"));
    progress.write("  building the generated packages as `npm run build` does…\n");
    await installBuiltPackages(path.join(ROOT, "generated"), packagesDir);
    const servers = { bare: await startChild("bare", body, packagesDir, profileDir), mock: await startChild("mock", body, packagesDir, profileDir) };
    const runs: Record<"bare" | "mock", Measured[]> = { bare: [], mock: [] };
    try {
      // Alternating rounds, so a noisy neighbour on the machine weighs on both alike; the order
      // swaps every round (identical servers measured bare-first differ by 10–15%: the second
      // measurement of a round finds the load generator slower).
      for (let round = 1; round <= rounds; round++) {
        for (const kind of round % 2 ? (["bare", "mock"] as const) : (["mock", "bare"] as const)) {
          progress.write(`  round ${round}/${rounds}: ${kind} server, ${connections} connections, ${seconds} s…\n`);
          runs[kind].push(await measure(kind, servers[kind], list, seconds, connections));
        }
      }
    } finally {
      await Promise.all(Object.values(servers).map((s) => stop(s.child)));
      rmSync(packagesDir, { recursive: true, force: true });
    }
    if (profileDir) progress.write(`  CPU profiles in ${profileDir}\n`);
    const summary = (name: string, rs: Measured[]) => ({
      name,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      total: rs.reduce((a, r) => a + r.total, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      cpuMicros: median(rs.map((r) => r.cpuMicros)),
    });
    const bare = summary("bare node:http (fixed body)", runs.bare);
    const mock = summary("mock (TC3 verify + validate + data)", runs.mock);
    out.write(
      table(
        ["server", "req/s (median)", "p50 ms", "p99 ms", "server CPU µs/req", "requests", "errors"],
        [bare, mock].map((r) => [r.name, r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), r.cpuMicros.toFixed(0), String(r.total), String(r.errors)]),
      ),
    );
    const perRound = runs.mock.map((m, i) => `${(m.rps / runs.bare[i]!.rps).toFixed(2)} (${(m.rps / 1000).toFixed(1)}k/${(runs.bare[i]!.rps / 1000).toFixed(1)}k)`).join(", ");
    const ratio = mock.rps / bare.rps;
    const met = ratio >= TARGET_RATIO && mock.errors === 0;
    out.write(
      `\nmock/bare throughput: ${ratio.toFixed(2)}× (rounds: ${perRound}; target ≥ ${TARGET_RATIO}× with zero errors: ${met ? "met" : "NOT met"}); mock p99 ${mock.p99.toFixed(1)} ms, errors ${mock.errors}\n` +
        `server CPU per request: bare/mock ${(bare.cpuMicros / mock.cpuMicros).toFixed(2)}× (the throughput ratio a server with a core of its own would reach)\n`,
    );
  },
};

const serveAt = process.argv.indexOf("--serve");
if (serveAt >= 0 && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve(process.argv[serveAt + 1] ?? "mock", process.argv[serveAt + 2] ?? "{}", process.argv[serveAt + 3] ?? "").catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
