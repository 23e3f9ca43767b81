// The ways into a mock: web-standard Request/Response (in-process fetch, MSW) and a server on
// loopback (the mock's own HTTP/1.1 server over node:net, http1-server.ts, or node:http on request).
// Each turns what arrives into a MockHttpRequest, reading at most the body limit (a larger body is
// not buffered), and writes the mock's answer back.
import http from "node:http";
import type { AddressInfo, Server, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { bodyByteLength, type MockHttpRequest, type MockHttpResponse } from "./envelope.js";
import { createHttp1Server, rawAnswer, type MockResponder } from "./http1-server.js";

export type { MockResponder } from "./http1-server.js";

/** No prototype: a header called "constructor" or "__proto__" is just a header. */
const headerRecord = (): Record<string, string> => Object.create(null) as Record<string, string>;

/** Lower-case header names; the Host header from the URL when the Request has none (fetch drops it). */
function headersOf(headers: Headers, url: URL): Record<string, string> {
  const out = headerRecord();
  headers.forEach((value, name) => {
    out[name] = value;
  });
  out["host"] ??= url.host;
  return out;
}

/** A web Request as the mock sees it; the body is read up to `maxBytes`. */
export async function fromWebRequest(request: Request, maxBytes: number): Promise<MockHttpRequest> {
  const url = new URL(request.url);
  const headers = headersOf(request.headers, url);
  const declared = Number(headers["content-length"]);
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { method: request.method, url: url.pathname + url.search, headers, body: undefined };
  }
  const bytes = await readCapped(request.body, maxBytes);
  return { method: request.method, url: url.pathname + url.search, headers, body: bytes?.toString("utf8"), bytes };
}

async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer | undefined> {
  if (!stream) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function toWebResponse(response: MockHttpResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}

type FetchInput = string | URL | Request;

/**
 * A function with fetch's signature that answers in-process. Plain calls (`fetch(url, {method,
 * headers: {...}, body: "..."})`, as the generated clients make them) skip building a Request.
 */
export function inProcessFetch(respond: MockResponder, maxBytes: number): (input: FetchInput, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    if (init?.signal?.aborted) throw init.signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
    const plainHeaders =
      init?.headers === undefined || (typeof init.headers === "object" && !(init.headers instanceof Headers) && !Array.isArray(init.headers));
    if (typeof input !== "object" || input instanceof URL) {
      if (plainHeaders && (init?.body === undefined || init.body === null || typeof init.body === "string")) {
        const url = new URL(String(input));
        const headers = headerRecord();
        for (const [name, value] of Object.entries((init?.headers ?? {}) as Record<string, string>)) headers[name.toLowerCase()] = String(value);
        headers["host"] ??= url.host;
        const text = typeof init?.body === "string" ? init.body : "";
        const body = Buffer.byteLength(text) > maxBytes ? undefined : text;
        return toWebResponse(respond({ method: (init?.method ?? "GET").toUpperCase(), url: url.pathname + url.search, headers, body }));
      }
    }
    const request = new Request(input, init);
    return toWebResponse(respond(await fromWebRequest(request, maxBytes)));
  };
}

export interface MockListenOptions {
  /** Default 0: any free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /**
   * The mock's own HTTP/1.1 server over node:net (default: the same answers for less than half the
   * CPU per request), or node:http, whose `server` emits node's `request` events with `(req, res)`.
   */
  engine?: "net" | "node:http" | undefined;
}

export interface MockListening {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  /**
   * The listening server: a net.Server (an http.Server with `engine: "node:http"`). The default
   * engine emits `request` with each MockHttpRequest (method, url, lower-case headers, body) before answering it.
   */
  server: Server;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * The request's headers as node has already parsed them (it reads them for every request): names
 * lower-cased, repeats joined with ", ", except that node keeps only the first of a repeated
 * Host, Authorization, Content-Type or Content-Length, as a gateway in front of the service would.
 * Set-Cookie, the one list, is joined too.
 */
function headersOfIncoming(req: http.IncomingMessage): Record<string, string | undefined> {
  const headers = req.headers as Record<string, string | string[] | undefined>;
  const cookies = headers["set-cookie"];
  if (Array.isArray(cookies)) headers["set-cookie"] = cookies.join(", ");
  return headers as Record<string, string | undefined>;
}

/** Answers at once and discards the rest of the body (closing now could reset the client before it reads the answer). */
function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, received: MockHttpRequest, respond: MockResponder): void {
  write(res, respond({ ...received, body: undefined }));
  req.resume();
}

function write(res: http.ServerResponse, answer: MockHttpResponse): void {
  const length = bodyByteLength(answer);
  const type = answer.headers["content-type"];
  // Every envelope carries only its content type: an object literal of one shape, which node's
  // header writing handles several times faster than a spread copy.
  const only = type !== undefined && Object.keys(answer.headers).length === 1;
  res.writeHead(answer.status, only ? { "content-type": type, "content-length": length } : { ...answer.headers, "content-length": length });
  res.end(answer.body);
}

/** Writes a whole answer on a raw socket and closes it (for what node:http does not hand to the request handler). */
function writeRaw(socket: Duplex, answer: MockHttpResponse): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawAnswer(answer));
}

/** A server answering every request with `respond` (on the engine the options name), listening. */
export async function listenMock(
  respond: MockResponder,
  malformed: (firstLine: string) => MockHttpResponse,
  maxBytes: number,
  options: MockListenOptions = {},
): Promise<MockListening> {
  const { server, close } =
    options.engine === "node:http" ? nodeHttpServer(respond, malformed, maxBytes) : createHttp1Server(respond, malformed, maxBytes);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${shown}:${port}`, host, port, server, close };
}

/**
 * A node:http server answering every request with `respond`. What node's parser refuses (unknown
 * methods, malformed heads) gets `malformed`'s envelope rather than a bare 400, so a client never
 * sees an answer outside the protocol.
 */
function nodeHttpServer(
  respond: MockResponder,
  malformed: (firstLine: string) => MockHttpResponse,
  maxBytes: number,
): { server: http.Server; close(): Promise<void> } {
  const sockets = new Set<Socket>();
  // No named closures per request: the request path is the server's hot path.
  const server = http.createServer((req, res) => {
    const received: MockHttpRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: headersOfIncoming(req), body: "" };
    if (Number(received.headers["content-length"]) > maxBytes) return tooLarge(req, res, received, respond);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size > maxBytes) tooLarge(req, res, received, respond);
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > maxBytes) return;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      received.bytes = bytes;
      received.body = bytes.toString("utf8");
      write(res, respond(received));
    });
    req.on("error", () => res.destroy());
  });
  server.on("clientError", (error: Error & { rawPacket?: Buffer }, socket: Duplex) => {
    const firstLine = error.rawPacket?.toString("latin1").split("\r\n", 1)[0] ?? "";
    writeRaw(socket, malformed(firstLine));
  });
  // CONNECT and Upgrade requests bypass the request handler: answer them (with no body) too.
  const bypass = (req: http.IncomingMessage, socket: Duplex) => {
    writeRaw(socket, respond({ method: req.method ?? "GET", url: req.url ?? "/", headers: headersOfIncoming(req), body: "" }));
  };
  server.on("connect", bypass);
  server.on("upgrade", bypass);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
