// Mock server bench: signed requests per second through the real mock server on loopback, as the
// built packages run it (full TC3 signature or UserSig check, routing, request validation, seeded
// data, lossless JSON out), against a bare node:http server answering a fixed JSON body of the same
// size, with autocannon (16 connections by default). Two suites: TC3 (LCIC paged reads) and Chat
// REST (every `get*` example, App administrator UserSig in the query), the latter also against
// Prism serving the generated Chat OpenAPI document. Each server runs in a process of its own, so
// the load generator does not share its CPU; rounds alternate the contenders' order.
//
// Targets (issue 18): TC3 mock ≥ 0.7× the bare server, Chat mock ≥ 0.6×, zero errors (non-2xx answers
// and error envelopes both count); the verdict comes from the range of per-round ratios (stats.ts).
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadDefinitions } from "../generator/cli/mock-server.js";
import { stringifyJson } from "../templates/runtime/src/shared/json.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS } from "../templates/runtime/src/mock/server.js";
import { signTc3 } from "../templates/runtime/src/protocols/tc3/signing.js";
import { collectGarbage, installBuiltPackages, median, table, type Bench, type BenchContext } from "./bench.js";
import { chatOk, chatRequests, startPrism } from "./mock-chat.js";
import { describeTarget, pairedRatio, roundOrder } from "./stats.js";

export const TARGET_TC3 = 0.7;
export const TARGET_CHAT = 0.6;

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
async function requests(): Promise<{ sign: () => AutocannonRequest[]; sample: () => Promise<string> }> {
  const definitions = await loadDefinitions(path.join(ROOT, "generated"));
  const lcic = definitions.find(
    (d) => d.metadata.protocol.name === "tc3" && Object.values(d.metadata.operations).some((o) => o.pagination && o.mock),
  );
  if (!lcic) throw new Error("no generated TC3 service with a paginated resource operation");
  const probe = createMock(lcic, { seed: SEED, rateLimit: false });
  const { secretId, secretKey } = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
  const protocol = lcic.metadata.protocol as unknown as { service: string; version: string };
  const now = Date.now();
  const unsigned: Array<{ action: string; body: string }> = [];
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
      const since = state === "ended" ? r.endedAt! : (r.startedAt ?? now);
      return Math.abs(now - since) <= need.withinSeconds * 1000;
    });
    const example = lcic.examples.find((e) => e.method === method);
    for (const room of rooms.slice(0, 32)) {
      const body = stringifyJson({
        ...example?.request,
        [rule.key]: room,
        [p.style === "offset" ? p.offset : p.page]: p.style === "offset" ? 0 : p.firstPage,
        [p.size]: 10,
      });
      unsigned.push({ action: op.action!, body });
    }
  }
  // Signed anew for every measurement: a signature is valid for 300 s, a whole run takes longer.
  const sign = () => {
    const timestamp = Math.floor(Date.now() / 1000);
    return unsigned.map(({ action, body }): AutocannonRequest => {
      const signed = signTc3({
        secretId,
        secretKey,
        service: protocol.service,
        host: HOST,
        action,
        version: protocol.version,
        timestamp,
        payload: body,
        contentType: "application/json",
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
      return { method: "POST", path: "/", headers, body };
    });
  };
  // What the bare server answers: the mock's own answer of median size, so both send alike.
  const sample = async () => {
    const answers: string[] = [];
    for (const r of sign()) answers.push(await (await probe.fetch(`https://${HOST}/`, { method: "POST", headers: r.headers, body: r.body })).text());
    const refused = answers.find((a) => a.includes('"Error"'));
    if (refused) throw new Error(`a bench request is refused by the mock: ${refused}`);
    return answers.sort((a, b) => a.length - b.length)[answers.length >> 1]!;
  };
  return { sign, sample };
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
    for (const name of readdirSync(scope)
      .filter((n) => n !== "runtime")
      .sort())
      definitions.push(((await import(entry(name))) as BuiltService).mockDefinition);
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

function startChild(kind: "mock" | "bare", body: string, packagesDir: string, profileDir: string | undefined, name: string = kind): Promise<Server> {
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, name)] : [];
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind, body, packagesDir], {
    execArgv: ["--import", "tsx", ...profile],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
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
    // Prism has no IPC channel: it is ended by a signal.
    if (child.connected) child.send("stop");
    else child.kill();
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

type Ok = (status: number, body: string) => boolean;
const tc3Ok: Ok = (status, body) => status === 200 && !body.includes('"Error"');

async function measure(
  name: string,
  server: { port: number; cpu?: () => Promise<number> },
  list: AutocannonRequest[],
  ok: Ok,
  seconds: number,
  connections: number,
): Promise<Measured> {
  let envelopes = 0;
  const checked = list.map((r) => ({ ...r, onResponse: (status: number, body: string) => void (ok(status, body) ? 0 : envelopes++) }));
  const options = { url: `http://127.0.0.1:${server.port}`, connections, pipelining: 1, requests: checked };
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT and connections
  collectGarbage(); // the load generator starts each measurement with a clean heap
  envelopes = 0;
  const before = server.cpu ? await server.cpu() : NaN;
  const r = await autocannon({ ...options, duration: seconds });
  const cpuPerRequest = server.cpu ? (await server.cpu()) - before : NaN;
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

/** Sends every request once to `port` and returns the answers; throws when one is refused. */
async function probe(port: number, list: AutocannonRequest[], ok: Ok, what: string): Promise<string[]> {
  const answers: string[] = [];
  for (const r of list) {
    const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const text = await res.text();
    if (!ok(res.status, text))
      throw new Error(`${what}: a bench request to ${r.path.split("?")[0]} is refused (${res.status}): ${text.slice(0, 500)}`);
    answers.push(text);
  }
  return answers;
}

const medianSize = (answers: string[]) => [...answers].sort((a, b) => a.length - b.length)[answers.length >> 1]!;

interface Suite {
  name: string;
  target: number;
  list: () => AutocannonRequest[];
  ok: Ok;
  contenders: Array<{ name: string; label: string; server: { port: number; cpu?: () => Promise<number> } }>;
}

export const mockBench: Bench = {
  name: "mock",
  description: "signed requests/s through the mock server (TC3 and Chat REST: auth, validation, data) vs a bare node:http server, and Prism for Chat",
  options:
    "--duration S      seconds per measurement (default 5)\n--connections N   concurrent connections (default 16)\n--rounds N        rounds, each contender once per round, order alternating (default 4)\n--no-prism        leave Prism out\n--cpu-prof DIR    write each server's V8 CPU profiles to DIR/<server> (one per thread; the largest is the server's)",
  async run({ args, out, progress, targets }: BenchContext) {
    const { values } = parseArgs({
      args,
      options: {
        duration: { type: "string", default: "5" },
        connections: { type: "string", default: "16" },
        rounds: { type: "string", default: "4" },
        "no-prism": { type: "boolean", default: false },
        "cpu-prof": { type: "string" },
      },
      strict: false,
    });
    const seconds = Number(values.duration) || 5;
    const connections = Number(values.connections) || 16;
    const rounds = Number(values.rounds) || 4;
    const { sign, sample } = await requests();
    const tc3Body = await sample();
    const chatOpenapi = path.join(ROOT, "generated", "chat", "openapi.json");
    const chatList = chatRequests(chatOpenapi);
    const profileDir = typeof values["cpu-prof"] === "string" ? path.resolve(values["cpu-prof"]) : undefined;
    const packagesDir = mkdtempSync(path.join(os.tmpdir(), "rtc-apigen-mock-bench-"));
    progress.write("  building the generated packages as `npm run build` does…\n");
    await installBuiltPackages(path.join(ROOT, "generated"), packagesDir);
    const children: ChildProcess[] = [];
    const runs = new Map<string, Measured[]>();
    let suites: Suite[];
    try {
      const mock = await startChild("mock", "{}", packagesDir, profileDir);
      children.push(mock.child);
      const chatBody = medianSize(await probe(mock.port, chatList, chatOk, "mock (Chat)"));
      const bareTc3 = await startChild("bare", tc3Body, packagesDir, profileDir, "bare-tc3");
      const bareChat = await startChild("bare", chatBody, packagesDir, profileDir, "bare-chat");
      children.push(bareTc3.child, bareChat.child);
      const chatContenders: Suite["contenders"] = [
        { name: "bare", label: "bare node:http (fixed body)", server: bareChat },
        { name: "mock", label: "mock (UserSig verify + validate + data)", server: mock },
      ];
      if (!values["no-prism"]) {
        progress.write("  starting Prism on the generated Chat OpenAPI document…\n");
        const prism = await startPrism(chatOpenapi);
        children.push(prism.child);
        chatContenders.push({ name: "prism", label: "Prism (@stoplight/prism-cli mock)", server: { port: prism.port } });
      }
      suites = [
        {
          name: "TC3",
          target: TARGET_TC3,
          list: sign,
          ok: tc3Ok,
          contenders: [
            { name: "bare", label: "bare node:http (fixed body)", server: bareTc3 },
            { name: "mock", label: "mock (TC3 verify + validate + data)", server: mock },
          ],
        },
        { name: "Chat", target: TARGET_CHAT, list: () => chatList, ok: chatOk, contenders: chatContenders },
      ];
      for (let round = 0; round < rounds; round++) {
        for (const suite of suites) {
          for (const c of roundOrder(suite.contenders, round)) {
            progress.write(`  mock round ${round + 1}/${rounds}: ${suite.name}, ${c.name}, ${connections} connections, ${seconds} s…\n`);
            // Prism answers its own way (examples, its own errors): only the mock's and the bare server's answers are checked.
            const ok: Ok = c.name === "prism" ? (status) => status === 200 : suite.ok;
            const key = `${suite.name} ${c.name}`;
            runs.set(key, [...(runs.get(key) ?? []), await measure(c.label, c.server, suite.list(), ok, seconds, connections)]);
          }
        }
      }
    } finally {
      await Promise.all(children.map((c) => stop(c)));
      rmSync(packagesDir, { recursive: true, force: true });
    }
    if (profileDir) progress.write(`  CPU profiles in ${profileDir}\n`);
    const summary = (rs: Measured[]) => ({
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      total: rs.reduce((a, r) => a + r.total, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      cpuMicros: median(rs.map((r) => r.cpuMicros)),
    });
    const lines: string[] = [];
    for (const suite of suites) {
      const rows = suite.contenders.map((c) => {
        const r = summary(runs.get(`${suite.name} ${c.name}`)!);
        return [
          c.label,
          r.rps.toFixed(0),
          r.p50.toFixed(1),
          r.p99.toFixed(1),
          Number.isNaN(r.cpuMicros) ? "-" : r.cpuMicros.toFixed(0),
          String(r.total),
          String(r.errors),
        ];
      });
      out.write(`\n${suite.name} (${suite.list().length} distinct requests, ${connections} connections, ${seconds} s × ${rounds} rounds)\n`);
      out.write(table(["server", "req/s (median)", "p50 ms", "p99 ms", "server CPU µs/req", "requests", "errors"], rows));
      const series = (name: string) => runs.get(`${suite.name} ${name}`)!;
      const mock = series("mock");
      const r = pairedRatio(
        mock.map((m) => m.rps),
        series("bare").map((m) => m.rps),
      );
      const errors = mock.reduce((a, m) => a + m.errors, 0);
      lines.push(
        `mock ${suite.name}: throughput vs bare node:http: ${describeTarget(r, suite.target, "atLeast")}${errors ? ` — but ${errors} errors: missed` : ", zero errors"}`,
      );
      out.write(`${lines[lines.length - 1]}\n`);
      const bareCpu = median(series("bare").map((m) => m.cpuMicros));
      out.write(
        `server CPU per request: bare/mock ${(bareCpu / median(mock.map((m) => m.cpuMicros))).toFixed(2)}× (the throughput ratio a server with a core of its own would reach)\n`,
      );
      if (runs.has(`${suite.name} prism`)) {
        const p = pairedRatio(
          mock.map((m) => m.rps),
          series("prism").map((m) => m.rps),
        );
        out.write(`mock ${suite.name} vs Prism: ${p.median.toFixed(1)}× (rounds ${p.min.toFixed(1)}–${p.max.toFixed(1)}), no target\n`);
      }
    }
    targets?.push(...lines);
  },
};

const serveAt = process.argv.indexOf("--serve");
if (serveAt >= 0 && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve(process.argv[serveAt + 1] ?? "mock", process.argv[serveAt + 2] ?? "{}", process.argv[serveAt + 3] ?? "").catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
