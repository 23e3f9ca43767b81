// A scripted HTTP server on 127.0.0.1 for client tests: each request takes the next behaviour
// from a queue (or the fallback), and every request is recorded with its URL, headers and body.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import zlib from "node:zlib";

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
  | { kind: "truncate-chunked"; body: string }
  /**
   * Chunked, no Content-Length: `head`, then `fill` repeated until `bytes` in all (before any
   * compression), then `tail`; with `gzip`, the whole stream gzip-encoded (Content-Encoding: gzip).
   * Stops early when the client goes away; honours backpressure, so it never buffers much.
   */
  | { kind: "stream"; status?: number; head?: string; fill?: string; tail?: string; bytes: number; gzip?: boolean };

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

/** `host`: where to listen (default 127.0.0.1; "localhost" for a second, differently named host). */
export async function startLoopback(host = "127.0.0.1"): Promise<Loopback> {
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
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `http://${host}:${port}`,
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
    case "stream":
      stream(b, res);
      return;
  }
}

function stream(b: Extract<Behaviour, { kind: "stream" }>, res: http.ServerResponse): void {
  res.writeHead(b.status ?? 200, {
    "content-type": "application/json",
    ...(b.gzip ? { "content-encoding": "gzip" } : {}),
  });
  const sink: NodeJS.WritableStream = b.gzip ? zlib.createGzip({ level: 1 }) : res;
  if (b.gzip) (sink as zlib.Gzip).pipe(res);
  const fill = Buffer.from((b.fill ?? " ").repeat((64 * 1024) / (b.fill ?? " ").length));
  let left = b.bytes;
  let gone = false;
  res.on("close", () => {
    gone = true;
    if (b.gzip) (sink as zlib.Gzip).destroy();
  });
  if (b.head) {
    sink.write(b.head);
    left -= Buffer.byteLength(b.head);
  }
  const pump = () => {
    while (!gone && left > 0) {
      const piece = left >= fill.length ? fill : fill.subarray(0, left);
      left -= piece.length;
      if (!sink.write(piece)) return void sink.once("drain", pump);
    }
    if (!gone) sink.end(b.tail ?? "");
  };
  pump();
}
