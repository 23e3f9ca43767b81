// A scripted HTTP server on 127.0.0.1 for client tests: each request takes the next behaviour
// from a queue (or the fallback), and every request is recorded with its URL, headers and body.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Behaviour =
  | { kind: "json"; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: "text"; status?: number; body: string; headers?: Record<string, string> }
  /** Destroy the socket before any response byte. */
  | { kind: "reset" }
  /** Never answer (until the server closes). */
  | { kind: "hang" }
  /** Declare `declared` bytes, send `body`, then destroy the socket. */
  | { kind: "truncate"; body: string; declared: number }
  /** Chunked: send `body` without the final chunk, then destroy the socket. */
  | { kind: "truncate-chunked"; body: string };

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: Recorded[];
  /** Behaviours for the next requests, in order. */
  enqueue(...behaviours: Behaviour[]): void;
  /** What a request gets when the queue is empty (default: `{}` JSON). */
  fallback(behaviour: Behaviour | ((request: Recorded) => Behaviour)): void;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  const queue: Behaviour[] = [];
  let fallback: Behaviour | ((request: Recorded) => Behaviour) = { kind: "json", body: {} };
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const next = queue.shift() ?? (typeof fallback === "function" ? fallback(recorded) : fallback);
      respond(next, req, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...b) => queue.push(...b),
    fallback: (b) => {
      fallback = b;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(b: Behaviour, req: http.IncomingMessage, res: http.ServerResponse): void {
  switch (b.kind) {
    case "json":
    case "text": {
      const text = b.kind === "json" ? JSON.stringify(b.body) : b.body;
      res.writeHead(b.status ?? 200, {
        "content-type": b.kind === "json" ? "application/json" : "text/plain",
        "content-length": Buffer.byteLength(text),
        ...b.headers,
      });
      res.end(text);
      return;
    }
    case "reset":
      req.socket.destroy();
      return;
    case "hang":
      return;
    case "truncate":
      res.writeHead(200, { "content-type": "application/json", "content-length": b.declared });
      res.write(b.body, () => setTimeout(() => req.socket.destroy(), 5));
      return;
    case "truncate-chunked":
      res.writeHead(200, { "content-type": "application/json" });
      res.write(b.body, () => setTimeout(() => req.socket.destroy(), 5));
      return;
  }
}
