// Measures the two transports against one loopback server, to choose the default by numbers:
//   npx tsx test/runtime/support/measure-transports.ts [calls=3000] [rounds=3]
// Sequential calls and 16 concurrent, rounds interleaved (node, fetch, node, fetch, ...) so that
// warm-up and machine noise fall on both. Prints ms per call and the ratio fetch / node.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createFetchTransport, createNodeTransport, type Transport } from "../../../templates/runtime/src/client/transport.js";

const calls = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 3);
const answer = JSON.stringify({
  Response: { Total: 2, Events: [{ Timestamp: 1700000000, EventType: "RoomStart" }], RequestId: "0".repeat(36) },
});
const body = JSON.stringify({ RoomId: 123456, SdkAppId: 1400000000, Page: 1, Limit: 200 });

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const node = createNodeTransport();
const transports: [string, Transport][] = [
  ["node", node],
  ["fetch", createFetchTransport(fetch)],
];
const send = (t: Transport) => t({ url, method: "POST", headers: { "content-type": "application/json" }, body, timeoutMs: 10_000 });

async function sequential(t: Transport, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await send(t);
  return (performance.now() - start) / n;
}

async function concurrent(t: Transport, n: number, width: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < n) await send(t);
    }),
  );
  return (performance.now() - start) / n;
}

for (const [, t] of transports) await sequential(t, 500); // warm-up
const results = new Map<string, { seq: number[]; par: number[] }>(transports.map(([n]) => [n, { seq: [], par: [] }]));
for (let r = 0; r < rounds; r++) {
  for (const [name, t] of transports) results.get(name)!.seq.push(await sequential(t, calls));
  for (const [name, t] of transports) results.get(name)!.par.push(await concurrent(t, calls, 16));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`node ${process.version}, ${calls} calls x ${rounds} rounds, median ms per call`);
for (const [name, { seq, par }] of results) {
  console.log(`${name.padEnd(10)} sequential ${median(seq).toFixed(4)}  16-concurrent ${median(par).toFixed(4)}`);
}
const n = results.get("node")!;
const f = results.get("fetch")!;
console.log(`fetch / node  sequential ${(median(f.seq) / median(n.seq)).toFixed(2)}x  16-concurrent ${(median(f.par) / median(n.par)).toFixed(2)}x`);
node.close();
server.close();
