// TEMP (helper P): in-process and HTTP harness for the mock; deleted before report.
import { fork } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { stringifyJson } from "../templates/runtime/src/shared/json.js";
import { createMock, MOCK_DEFAULT_CREDENTIALS } from "../templates/runtime/src/mock/server.js";
import { signTc3 } from "../templates/runtime/src/protocols/tc3/signing.js";
import { chatRequests } from "./mock-chat.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SEED = 20261123;
const HOST = "lcic.tencentcloudapi.com";

async function setup() {
  const pk = process.env.PK ?? "/tmp/p-work/pk";
  const scope = path.join(pk, "node_modules", "@rtc-apigen");
  const entry = (name: string) => pathToFileURL(path.join(scope, name, "dist", "esm", "mock.js")).href;
  const definitions: any[] = [];
  for (const name of readdirSync(scope).filter((n) => n !== "runtime").sort()) definitions.push((await import(entry(name))).mockDefinition);
  const make = process.env.MOCKSRC === "built" ? ((await import(entry("runtime"))).createMock as typeof createMock) : createMock;
  const T0 = Date.now();
  const mock = make(definitions, { seed: SEED, rateLimit: false });
  console.error("made", Date.now() - T0);
  const lcic = definitions.find((d) => d.metadata.id === "lcic")!;
  const { secretId, secretKey } = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
  const protocol = lcic.metadata.protocol as unknown as { service: string; version: string };
  const now = Date.now();
  const { existsSync, readFileSync, writeFileSync } = await import("node:fs");
  const CACHE = "/tmp/p-work/unsigned.json";
  let unsigned: Array<{ action: string; body: string }> = [];
  if (existsSync(CACHE)) unsigned = JSON.parse(readFileSync(CACHE, "utf8"));
  else {
  for (const [method, op] of Object.entries(lcic.metadata.operations)) {
    const p = op.pagination; const rule = op.mock;
    if (!p || p.style === "cursor" || !rule || rule.key === null) continue;
    const store = mock.resources(`lcic.${rule.resource}`);
    const need = rule.requires[0]; const state = need?.state ?? "ended";
    const rooms = store.keys({ state, count: 2000 }).filter((key) => {
      if (!need || need.withinSeconds === null) return true;
      const r = store.get(key)!; const since = state === "ended" ? r.endedAt! : (r.startedAt ?? now);
      return Math.abs(now - since) <= need.withinSeconds * 1000;
    });
    const example = lcic.examples.find((e) => e.method === method);
    for (const room of rooms.slice(0, 32)) {
      const body = stringifyJson({ ...example?.request, [rule.key]: room, [p.style === "offset" ? p.offset : p.page]: p.style === "offset" ? 0 : p.firstPage, [p.size]: 10 });
      unsigned.push({ action: op.action!, body });
    }
  }
  writeFileSync(CACHE, JSON.stringify(unsigned));
  }
  console.error("rooms", Date.now() - T0);
  const signAll = () => { const timestamp = Math.floor(Date.now() / 1000); return unsigned.map(({ action, body }) => {
    const signed = signTc3({ secretId, secretKey, service: protocol.service, host: HOST, action, version: protocol.version, timestamp, payload: body, contentType: "application/json" });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
    return { method: "POST", path: "/", headers, body };
  }); };
  const tc3 = signAll();
  console.error("signed", Date.now() - T0);
  const chat = chatRequests(path.join(ROOT, "generated", "chat", "openapi.json"));
  return { mock, tc3, chat, signAll };
}

const mode = process.argv[2];
if (mode === "inproc") {
  const { mock, tc3, chat } = await setup();
  for (const [name, list] of [["tc3", tc3], ["chat", chat]] as const) {
    const reqs = list.map((r) => ({ method: r.method, url: r.path, headers: { host: "127.0.0.1", "content-length": String(Buffer.byteLength(r.body)), ...r.headers } as Record<string, string>, body: r.body, bytes: Buffer.from(r.body) }));
    const sizes = reqs.map((r) => Buffer.byteLength(mock.respond(r).body)).sort((a, b) => a - b);
    const bad = reqs.map((r) => mock.respond(r).body).filter((b) => b.includes('"Error"') || b.includes('"FAIL"'));
    if (bad.length) console.log(name, "refused", bad.length, bad[0]!.slice(0, 300));
    const N = Number(process.argv[3] ?? 100000);
    for (let rep = 0; rep < 3; rep++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) mock.respond(reqs[i % reqs.length]!);
      const c = process.cpuUsage(c0);
      console.log(name, "respond µs/req", ((c.user + c.system) / N).toFixed(2), "sizes median", sizes[sizes.length >> 1], "mean", (sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(0), "max", sizes.at(-1));
    }
  }
} else if (mode === "serve") {
  const kind = process.argv[3];
  let port: number;
  if (kind === "mock") {
    const { mock } = await setup();
    port = (await mock.listen()).port;
  } else if (kind === "fixed" || kind === "mockfixed") {
    const { listenMock } = await import("../templates/runtime/src/mock/http.js");
    const body = "x".repeat(Number(process.argv[4]));
    const { mock } = kind === "mockfixed" ? await setup() : { mock: undefined };
    const answer = { status: 200, headers: { "content-type": "application/json" }, body };
    port = (await listenMock((r) => { if (mock) mock.respond(r); return answer; }, () => answer, 1 << 20)).port;
  } else {
    const body = "x".repeat(Number(process.argv[4]));
    const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }); res.end(body); }); });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  }
  process.send!({ port });
  process.on("message", (m) => { if (m === "stop") process.exit(0); const c = process.cpuUsage(); process.send!({ user: c.user, system: c.system }); });
} else {
  // driver: node harness.ts drive [seconds] [rounds] [cpu-prof dir]
  const autocannon = createRequire(import.meta.url)("autocannon") as (o: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>;
  const { mock, tc3, chat, signAll } = await setup();
  const seconds = Number(process.argv[3] ?? 5); const rounds = Number(process.argv[4] ?? 2); const prof = process.argv[5];
  const sizeOf = (list: typeof tc3) => { const s = list.map((r) => Buffer.byteLength(mock.respond({ method: "POST", url: r.path, headers: { host: "x", ...r.headers }, body: r.body }).body)).sort((a, b) => a - b); return s[s.length >> 1]!; };
  const start = (kind: string, extra: string[] = []) => new Promise<{ port: number; child: ReturnType<typeof fork> }>((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ["serve", kind, ...extra], { execArgv: ["--import", "tsx", ...(prof ? ["--cpu-prof", "--cpu-prof-dir", path.join(prof, kind)] : [])], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (m: { port: number }) => resolve({ port: m.port, child }));
  });
  const cpu = (child: ReturnType<typeof fork>) => new Promise<{ user: number; system: number }>((r) => { child.once("message", r as never); child.send("cpu"); });
  const m = await start("mock");
  const kinds = (process.env.KINDS ?? "mock").split(",");
  const servers = { mock: m, bareTc3: await start("bare", [String(sizeOf(tc3))]), bareChat: await start("bare", [String(sizeOf(chat))]) } as Record<string, typeof m>;
  for (const k of kinds.slice(1)) { servers[k + "Tc3"] = await start(k, [String(sizeOf(tc3))]); servers[k + "Chat"] = await start(k, [String(sizeOf(chat))]); }
  for (let round = 0; round < rounds; round++) {
    for (const [suite, list, bare] of [["tc3", tc3, servers.bareTc3], ["chat", chat, servers.bareChat]] as Array<[string, typeof tc3, typeof m]>) {
      const res: Record<string, number> = {};
      const cs: Array<[string, typeof m]> = [["mock", servers.mock!], ["bare", bare!], ...kinds.slice(1).map((k) => [k, servers[k + (suite === "tc3" ? "Tc3" : "Chat")]!] as [string, typeof m])];
      if (round % 2) cs.reverse();
      for (const [name, s] of cs) {
        const opts = { url: `http://127.0.0.1:${s.port}`, connections: 16, pipelining: 1, requests: suite === "tc3" ? signAll() : list };
        await autocannon({ ...opts, duration: 1 });
        const c0 = await cpu(s.child);
        const r = await autocannon({ ...opts, duration: seconds });
        const c1 = await cpu(s.child);
        res[name] = r.requests.average;
        console.log(`${suite} ${name}: ${r.requests.average.toFixed(0)} req/s, user ${((c1.user - c0.user) / r.requests.total).toFixed(1)} sys ${((c1.system - c0.system) / r.requests.total).toFixed(1)} µs/req, errors ${r.non2xx + r.errors}`);
      }
      console.log(`${suite} ratio ${(res.mock! / res.bare!).toFixed(2)}`);
    }
  }
  for (const s of Object.values(servers)) s.child.send("stop");
}
