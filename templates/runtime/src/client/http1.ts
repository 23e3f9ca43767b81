// HTTP/1.1 over node:net / node:tls with kept-alive connections: the node transport's path for a
// direct request (no proxy, no agent of the caller's). node:http makes a ClientRequest, an
// IncomingMessage, their streams and an agent round trip for every call; this writes each request
// in one write and reads the answer with a small parser, for well under half of node:http's CPU per
// call (see bench/client.ts). What it does is what the node:http path does: no redirect followed,
// nothing decompressed (no Accept-Encoding is sent), Content-Length or chunked or close-delimited
// bodies held to the limit, a body cut short reported as such, idle connections unref'd (they never
// keep a process alive) and dropped when the server's Keep-Alive timeout is near.

import type net from "node:net";
import type tls from "node:tls";
import type { ApiError } from "./errors.js";
import { abortError, failure, isRedirect, networkError, redirectError, responseTooLarge, timeoutError, truncatedError } from "./transport-errors.js";
import { lazyHeadersResponse, type TransportRequest, type TransportResponse } from "./transport-types.js";

/** Where a request goes, parsed once per URL by the transport. */
export interface Http1Target {
  secure: boolean;
  /** Without IPv6 brackets. */
  hostname: string;
  /** The port to connect to (80 or 443 when the URL has none). */
  port: number;
  /** The Host header: the URL's host, with its port only when not the default. */
  host: string;
  /** Path and query. */
  path: string;
}

export interface Http1Options {
  /** Reuse connections; false sends `connection: close` and closes each after its answer. */
  keepAlive: boolean;
  /** Connections per origin; further requests wait for one to be free. */
  maxSockets: number;
  /** Certificate authorities for https servers instead of Node's. */
  ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
}

// Node's own limits and rules: --max-http-header-size (for the head, and again for trailers),
// the client's maxHeadersCount, the header name token, the value characters
// `checkInvalidHeaderChar` accepts, and the request path characters it accepts unescaped.
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_HEADERS = 2000;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const INVALID_PATH = /[^\x21-\xff]/;
const LATIN1_ONLY = /[\x80-\xff]/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d\d\d)(?:[ \t].*)?$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/;
const CHUNKED_LAST = /(?:^|,)[ \t]*chunked[ \t]*$/i;
const CLOSE = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;
const KEEP_ALIVE = /(?:^|,)[ \t]*keep-alive[ \t]*(?:,|$)/i;
const HINT = /(?:^|[ \t,])timeout=(\d+)/i;
// A string, not a Buffer: the module is imported where there is no Buffer (a worker).
const HEAD_END = "\r\n\r\n";

let netModule: typeof net | undefined;
let tlsModule: typeof tls | undefined;
const nodeNet = (): typeof net => (netModule ??= process.getBuiltinModule("node:net"));
const nodeTls = (): typeof tls => (tlsModule ??= process.getBuiltinModule("node:tls"));

const hangUp = (): Error => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const notHttp = (why: string): ApiError =>
  networkError(Object.assign(new Error(`the response is not valid HTTP/1.1: ${why}`), { code: "HPE_INVALID" }));

/** node:http's error for a request it refuses to write (same code, same wording). */
const refused = (code: string, message: string): Error => Object.assign(new TypeError(message), { code });

/** The request line and headers, or the error node:http would throw for them; `close`: the request asks to close. */
function requestHead(
  method: string,
  target: Http1Target,
  headers: Record<string, string>,
  length: number,
  keepAlive: boolean,
): { head: string; close: boolean } | Error {
  if (!TOKEN.test(method)) return refused("ERR_INVALID_HTTP_TOKEN", `Method must be a valid HTTP token ["${method}"]`);
  if (INVALID_PATH.test(target.path)) return refused("ERR_UNESCAPED_CHARACTERS", "Request path contains unescaped characters");
  let head = `${method} ${target.path} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  let close = !keepAlive;
  for (const name in headers) {
    const value = headers[name]!;
    if (!TOKEN.test(name)) return refused("ERR_INVALID_HTTP_TOKEN", `Header name must be a valid HTTP token ["${name}"]`);
    if (INVALID_VALUE.test(value)) return refused("ERR_INVALID_CHAR", `Invalid character in header content ["${name}"]`);
    const lower = name.toLowerCase();
    // The transport frames the body (Content-Length, never chunked) and names the host.
    if (lower === "host" || lower === "content-length" || lower === "transfer-encoding") continue;
    if (lower === "connection") {
      if (!keepAlive) continue;
      if (CLOSE.test(value)) close = true;
    }
    head += `${lower}: ${value}\r\n`;
  }
  return { head: `${head}content-length: ${length}\r\n${keepAlive ? "" : "connection: close\r\n"}\r\n`, close };
}

/** The response's headers as an object: lower-case names, repeated ones joined with `, `. */
function headerObject(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${raw[i + 1]}` : raw[i + 1]!;
  }
  return out;
}

class Pool {
  /** Free connections, the most recently used last (taken first: its socket is the warmest). */
  readonly idle: Connection[] = [];
  /** Exchanges waiting for a connection (at maxSockets); settled ones are skipped. */
  readonly waiting: Exchange[] = [];
  readonly all = new Set<Connection>();
  constructor(readonly target: Http1Target) {}
}

class Connection {
  exchange: Exchange | undefined;
  /** When an idle connection is no longer used (the server's Keep-Alive timeout, less a second). */
  idleUntil = Infinity;
  closed = false;

  constructor(
    readonly socket: net.Socket,
    readonly pool: Pool,
    readonly client: Http1Client,
  ) {
    socket.on("data", (chunk: Buffer) => {
      const exchange = this.exchange;
      // Bytes nobody asked for (an idle connection's 408, a second answer): the connection is unusable.
      if (exchange === undefined) this.destroy();
      else exchange.feed(chunk);
    });
    socket.on("error", (error: Error) => {
      this.exchange?.lost(error);
      this.destroy();
    });
    const ended = () => {
      this.exchange?.lost(undefined);
      this.destroy();
    };
    socket.on("end", ended);
    socket.on("close", ended);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    // Closed under a busy exchange (the transport's close()): it fails as a lost connection.
    this.exchange?.lost(hangUp());
    this.exchange = undefined;
    const { pool } = this;
    pool.all.delete(this);
    const at = pool.idle.indexOf(this);
    if (at >= 0) pool.idle.splice(at, 1);
    this.socket.destroy();
    this.client.connectionClosed(pool);
  }
}

/**
 * The timeouts of every exchange with the same `timeoutMs`, under one timer: their deadlines come
 * in the order they were set, so the earliest unsettled one is the next to fire. A setTimeout per
 * call costs more than the rest of the bookkeeping of a call. The timer is unref'd: a busy
 * connection keeps the process alive, as the request would.
 */
class Deadlines {
  readonly #queue: Exchange[] = [];
  #head = 0;
  #live = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  constructor(readonly ms: number) {}

  add(exchange: Exchange): void {
    exchange.deadline = performance.now() + this.ms;
    exchange.deadlines = this;
    const queue = this.#queue;
    // Settled exchanges behind an unsettled one (a hung call at the head) are dropped now and then.
    if (queue.length - this.#head > 2 * this.#live + 64) this.#compact();
    queue.push(exchange);
    this.#live++;
    if (this.#timer === undefined) this.#arm(this.ms, exchange.deadline);
  }

  settled(): void {
    if (--this.#live === 0) {
      this.#queue.length = 0;
      this.#head = 0;
    }
  }

  #compact(): void {
    const live = this.#queue.slice(this.#head).filter((e) => !e.settled);
    this.#queue.length = 0;
    this.#queue.push(...live);
    this.#head = 0;
  }

  #arm(delay: number, deadline: number): void {
    this.#armedFor = deadline;
    // setTimeout takes at most 2^31 - 1 ms (beyond it, it fires at once).
    this.#timer = setTimeout(() => this.#fire(), Math.min(Math.max(1, Math.ceil(delay)), 2 ** 31 - 1));
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    const queue = this.#queue;
    const now = performance.now();
    while (this.#head < queue.length) {
      const exchange = queue[this.#head]!;
      if (!exchange.settled && exchange.deadline > now) break;
      this.#head++;
      if (!exchange.settled) exchange.fail(timeoutError(this.ms));
    }
    if (this.#head >= queue.length) {
      queue.length = 0;
      this.#head = 0;
      return;
    }
    const next = queue[this.#head]!.deadline;
    if (this.#timer === undefined || next < this.#armedFor) this.#arm(next - now, next);
  }
}

const HEAD = 0;
const LENGTH = 1;
const CHUNKED = 2;
const UNTIL_CLOSE = 3;
const CHUNK_SIZE_LINE = 0;
const CHUNK_DATA = 1;
const CHUNK_DATA_END = 2;
const CHUNK_TRAILER = 3;

/** One request and its answer, on whichever connection it gets. */
class Exchange {
  settled = false;
  #connection: Connection | undefined;
  /** When the exchange times out (performance.now() milliseconds), and the queue that will say so. */
  deadline = Infinity;
  deadlines: Deadlines | undefined;
  onAbort: (() => void) | undefined;
  // The answer as it is read.
  #phase = HEAD;
  #pending: Buffer | undefined;
  #status = 0;
  #raw: string[] = [];
  #keepAlive = true;
  #idleMs = Infinity;
  #declared = NaN;
  #received = 0;
  #chunks: Buffer[] = [];
  #chunkState = CHUNK_SIZE_LINE;
  #chunkLeft = 0;
  #line = "";
  #trailerBytes = 0;

  readonly #client: Http1Client;
  readonly #request: TransportRequest;
  readonly #head: string;
  /** The request asked for the connection to close after this answer. */
  readonly #closes: boolean;
  readonly #limit: number;
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (error: ApiError) => void;

  constructor(
    client: Http1Client,
    request: TransportRequest,
    head: string,
    closes: boolean,
    limit: number,
    resolve: (response: TransportResponse) => void,
    reject: (error: ApiError) => void,
  ) {
    this.#client = client;
    this.#request = request;
    this.#head = head;
    this.#closes = closes;
    this.#limit = limit;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(connection: Connection): void {
    this.#connection = connection;
    connection.exchange = this;
    const { socket } = connection;
    const head = this.#head;
    const { body } = this.#request;
    if (!LATIN1_ONLY.test(head)) {
      socket.write(head + body);
    } else {
      // Header values are bytes (latin1), the body is UTF-8: two writes, one packet.
      socket.cork();
      socket.write(head, "latin1");
      socket.write(body, "utf8");
      socket.uncork();
    }
  }

  fail(error: ApiError): void {
    if (this.settled) return;
    this.#settle();
    const connection = this.#connection;
    if (connection !== undefined) {
      connection.exchange = undefined;
      connection.destroy();
    }
    this.#reject(error);
  }

  #settle(): void {
    this.settled = true;
    this.deadlines?.settled();
    if (this.onAbort) this.#request.signal?.removeEventListener("abort", this.onAbort);
  }

  /** The connection failed or closed while this exchange held it. */
  lost(cause: Error | undefined): void {
    if (this.settled) return;
    if (this.#phase === UNTIL_CLOSE && cause === undefined) return this.#finish(false);
    if (this.#phase === HEAD) return this.fail(networkError(cause ?? hangUp()));
    const received = this.#received;
    const declared = this.#declared;
    this.fail(truncatedError(`${received} of ${Number.isNaN(declared) ? "?" : declared} bytes arrived before the connection closed`, cause));
  }

  feed(chunk: Buffer): void {
    let data: Buffer | undefined = chunk;
    while (data !== undefined && !this.settled) {
      if (this.#phase !== HEAD) return this.#readBody(data);
      data = this.#readHead(data);
    }
  }

  /** Reads a status line and headers; returns the bytes after them, or undefined when there are none to read yet. */
  #readHead(data: Buffer): Buffer | undefined {
    const buffer: Buffer = this.#pending === undefined ? data : Buffer.concat([this.#pending, data]);
    const end = buffer.indexOf(HEAD_END);
    if (end < 0 || end > MAX_HEADER_BYTES) {
      if (end > MAX_HEADER_BYTES || buffer.length > MAX_HEADER_BYTES) this.fail(notHttp(`headers over ${MAX_HEADER_BYTES} bytes`));
      else this.#pending = buffer;
      return undefined;
    }
    this.#pending = undefined;
    const problem = this.#parseHead(buffer.toString("latin1", 0, end));
    if (problem !== undefined) {
      this.fail(notHttp(problem));
      return undefined;
    }
    const rest = buffer.subarray(end + 4);
    const status = this.#status;
    // An interim answer (100 Continue, 103 Early Hints): the real one follows.
    if (status < 200) {
      this.#raw = [];
      return rest;
    }
    if (isRedirect(status)) {
      this.fail(redirectError(status, this.#header("location"), this.#request.url));
      return undefined;
    }
    if (this.#phase === LENGTH) {
      if (this.#declared > this.#limit) {
        this.fail(responseTooLarge(this.#limit, `declares ${this.#declared} bytes`));
        return undefined;
      }
      if (this.#declared === 0) {
        this.#finish(rest.length === 0);
        return undefined;
      }
    }
    return rest.length > 0 ? rest : undefined;
  }

  /** Status and headers; sets how the body is framed. A problem's description, or undefined. */
  #parseHead(text: string): string | undefined {
    const lines = text.split("\r\n");
    const m = STATUS_LINE.exec(lines[0]!);
    if (!m) return "no HTTP/1.x status line";
    const status = Number(m[2]);
    if (status < 100 || status === 101) return `status ${status}`;
    this.#status = status;
    if (lines.length > MAX_HEADERS + 1) return `more than ${MAX_HEADERS} header fields`;
    const raw = this.#raw;
    let length: number | undefined;
    let transferEncoding = "";
    let connection = "";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) return "a header line without a name";
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) return "an invalid header name";
      const lower = name.toLowerCase();
      const value = line.slice(colon + 1).trim();
      // A NUL, or a CR or LF not ending the line (a header hidden in another's value).
      if (INVALID_VALUE.test(value)) return "an invalid character in a header value";
      raw.push(lower, value);
      if (lower === "content-length") {
        if (!/^\d{1,15}$/.test(value)) return "an invalid Content-Length";
        const n = Number(value);
        if (length !== undefined && length !== n) return "two different Content-Lengths";
        length = n;
      } else if (lower === "transfer-encoding") {
        transferEncoding = transferEncoding ? `${transferEncoding}, ${value}` : value;
      } else if (lower === "connection") {
        connection = connection ? `${connection}, ${value}` : value;
      } else if (lower === "keep-alive") {
        const hint = HINT.exec(value);
        if (hint) this.#idleMs = Number(hint[1]) * 1000 - 1000;
      }
    }
    if (status < 200) return undefined;
    this.#keepAlive = m[1] === "1" ? !CLOSE.test(connection) : KEEP_ALIVE.test(connection);
    if (this.#idleMs <= 0) this.#keepAlive = false;
    if (status === 204 || status === 304 || this.#request.method === "HEAD") {
      this.#phase = LENGTH;
      this.#declared = 0;
    } else if (transferEncoding !== "") {
      this.#phase = CHUNKED_LAST.test(transferEncoding) ? CHUNKED : UNTIL_CLOSE;
    } else if (length !== undefined) {
      this.#phase = LENGTH;
      this.#declared = length;
    } else {
      this.#phase = UNTIL_CLOSE;
    }
    // Both framings (RFC 9112 §6.3: chunked wins, and the message may be smuggling another), or
    // Transfer-Encoding in HTTP/1.0: read as framed, then the connection is not trusted again.
    if (this.#phase === UNTIL_CLOSE || this.#closes) this.#keepAlive = false;
    else if (this.#phase === CHUNKED && (length !== undefined || m[1] === "0")) this.#keepAlive = false;
    return undefined;
  }

  #header(name: string): string | undefined {
    const raw = this.#raw;
    for (let i = 0; i < raw.length; i += 2) if (raw[i] === name) return raw[i + 1];
    return undefined;
  }

  #readBody(data: Buffer): void {
    if (this.#phase === LENGTH) {
      const need = this.#declared - this.#received;
      if (data.length < need) {
        this.#chunks.push(data);
        this.#received += data.length;
        return;
      }
      this.#chunks.push(data.length === need ? data : data.subarray(0, need));
      this.#received = this.#declared;
      return this.#finish(data.length === need);
    }
    if (this.#phase === UNTIL_CLOSE) return this.#take(data);
    this.#readChunked(data);
  }

  /** Body bytes, counted against the limit. */
  #take(data: Buffer): void {
    this.#received += data.length;
    if (this.#received > this.#limit) return this.fail(responseTooLarge(this.#limit, `passed ${this.#limit} bytes`));
    this.#chunks.push(data);
  }

  #readChunked(data: Buffer): void {
    let at = 0;
    while (at < data.length && !this.settled) {
      if (this.#chunkState === CHUNK_DATA) {
        const n = Math.min(this.#chunkLeft, data.length - at);
        this.#take(data.subarray(at, at + n));
        at += n;
        this.#chunkLeft -= n;
        if (this.#chunkLeft === 0) this.#chunkState = CHUNK_DATA_END;
        continue;
      }
      // A line: a chunk's size, the CRLF after its data, or a trailer.
      const lf = data.indexOf(10, at);
      this.#line += data.toString("latin1", at, lf < 0 ? data.length : lf);
      if (lf < 0) {
        if (this.#line.length > MAX_HEADER_BYTES) this.fail(notHttp("a chunk line too long"));
        return;
      }
      at = lf + 1;
      const line = this.#line;
      this.#line = "";
      if (!line.endsWith("\r")) return this.fail(notHttp("a chunk line without CRLF"));
      const text = line.slice(0, -1);
      if (this.#chunkState === CHUNK_DATA_END) {
        if (text !== "") return this.fail(notHttp("chunk data longer than its size"));
        this.#chunkState = CHUNK_SIZE_LINE;
      } else if (this.#chunkState === CHUNK_SIZE_LINE) {
        const m = CHUNK_SIZE.exec(text);
        if (!m) return this.fail(notHttp("an invalid chunk size"));
        this.#chunkLeft = parseInt(m[1]!, 16);
        // Past the limit already: no need to wait for its bytes.
        if (this.#received + this.#chunkLeft > this.#limit)
          return this.fail(responseTooLarge(this.#limit, `declares a chunk past ${this.#limit} bytes`));
        this.#chunkState = this.#chunkLeft === 0 ? CHUNK_TRAILER : CHUNK_DATA;
      } else if (text === "") {
        return this.#finish(at === data.length);
      } else if ((this.#trailerBytes += line.length + 1) > MAX_HEADER_BYTES) {
        return this.fail(notHttp(`trailers over ${MAX_HEADER_BYTES} bytes`));
      }
    }
  }

  /** The whole answer has arrived; `reusable`: nothing followed it on the connection. */
  #finish(reusable: boolean): void {
    if (this.settled) return;
    this.#settle();
    const chunks = this.#chunks;
    const status = this.#status;
    const raw = this.#raw;
    const text =
      chunks.length === 1 ? chunks[0]!.toString("utf8") : chunks.length === 0 ? "" : Buffer.concat(chunks, this.#received).toString("utf8");
    const connection = this.#connection;
    if (connection !== undefined) {
      connection.exchange = undefined;
      if (reusable && this.#keepAlive && this.#client.keepAlive) this.#client.release(connection, this.#idleMs);
      else connection.destroy();
    }
    this.#resolve(lazyHeadersResponse(status, text, () => headerObject(raw)));
  }
}

/** The connections of one transport, per origin. */
export class Http1Client {
  readonly keepAlive: boolean;
  readonly #maxSockets: number;
  readonly #pools = new Map<string, Pool>();
  /** Per timeoutMs; a client uses one. */
  readonly #deadlines = new Map<number, Deadlines>();
  #lastDeadlines: Deadlines | undefined;
  readonly #ca: Http1Options["ca"];
  #secureContext: tls.SecureContext | undefined;

  constructor(options: Http1Options) {
    this.keepAlive = options.keepAlive;
    this.#maxSockets = options.maxSockets;
    this.#ca = options.ca;
  }

  send(target: Http1Target, request: TransportRequest, limit: number): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(abortError());
      const length = Buffer.byteLength(request.body, "utf8");
      const head = requestHead(request.method, target, request.headers, length, this.keepAlive);
      if (head instanceof Error) return reject(failure("ClientError.Network", "the request could not be built", head, false));
      const exchange = new Exchange(this, request, head.head, head.close, limit, resolve, reject);
      this.#deadlinesFor(request.timeoutMs).add(exchange);
      if (signal) {
        exchange.onAbort = () => exchange.fail(abortError());
        signal.addEventListener("abort", exchange.onAbort, { once: true });
      }
      const key = `${target.secure ? "https" : "http"}://${target.host}`;
      let pool = this.#pools.get(key);
      if (pool === undefined) this.#pools.set(key, (pool = new Pool(target)));
      this.#assign(pool, exchange);
    });
  }

  #deadlinesFor(ms: number): Deadlines {
    const last = this.#lastDeadlines;
    if (last !== undefined && last.ms === ms) return last;
    let found = this.#deadlines.get(ms);
    if (found === undefined) this.#deadlines.set(ms, (found = new Deadlines(ms)));
    return (this.#lastDeadlines = found);
  }

  /** A free connection for the exchange, a new one, or a place in the queue. */
  #assign(pool: Pool, exchange: Exchange): void {
    const { idle } = pool;
    while (idle.length > 0) {
      const connection = idle.pop()!;
      if (connection.closed) continue;
      if (connection.idleUntil !== Infinity && Date.now() >= connection.idleUntil) {
        connection.destroy();
        continue;
      }
      connection.socket.ref();
      return exchange.start(connection);
    }
    if (pool.all.size < this.#maxSockets) return exchange.start(this.#connect(pool));
    pool.waiting.push(exchange);
  }

  #connect(pool: Pool): Connection {
    const { secure, hostname, port } = pool.target;
    let socket: net.Socket;
    if (secure) {
      const net = nodeNet();
      const tls = nodeTls();
      if (this.#ca !== undefined) this.#secureContext ??= tls.createSecureContext({ ca: this.#ca as tls.SecureContextOptions["ca"] });
      socket = tls.connect({
        host: hostname,
        port,
        servername: net.isIP(hostname) === 0 ? hostname : undefined,
        secureContext: this.#secureContext,
      });
    } else {
      socket = nodeNet().connect({ host: hostname, port });
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    const connection = new Connection(socket, pool, this);
    pool.all.add(connection);
    return connection;
  }

  /** A connection whose answer was read whole: the next waiting exchange gets it, else it waits unref'd. */
  release(connection: Connection, idleMs: number): void {
    const { pool } = connection;
    for (let next = pool.waiting.shift(); next !== undefined; next = pool.waiting.shift()) {
      if (!next.settled) return next.start(connection);
    }
    connection.idleUntil = idleMs === Infinity ? Infinity : Date.now() + idleMs;
    connection.socket.unref();
    pool.idle.push(connection);
  }

  /** A connection closed: a waiting exchange may now open one. */
  connectionClosed(pool: Pool): void {
    while (pool.waiting.length > 0 && pool.all.size < this.#maxSockets) {
      const next = pool.waiting.shift()!;
      if (!next.settled) return next.start(this.#connect(pool));
    }
  }

  /** Closes every connection, busy or idle (their exchanges fail as a lost connection). */
  close(): void {
    for (const pool of this.#pools.values()) for (const connection of [...pool.all]) connection.destroy();
  }
}
