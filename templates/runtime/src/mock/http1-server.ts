// The mock's own HTTP/1.1 server over node:net. node:http makes an IncomingMessage, a
// ServerResponse, their streams and header objects for every request, and costs more CPU than the
// mock's protocol work; this reads each whole request (head, then a Content-Length or chunked
// body), answers it with the synchronous responder and writes the answer in one socket write.
//
// It answers what node:http's server answers (checked side by side in test/mock/http1-server.test.ts):
// node's parser limits and refusals (a head over 16 KB, a method llhttp does not know, a bad
// request line, header or framing, Content-Length with Transfer-Encoding, two Content-Lengths)
// get the protocol's "not HTTP" envelope and a close, as the node:http path's `clientError` gives;
// its header rules (names lower-cased, the first of a repeated Host, Authorization, Content-Type…
// kept, others joined), `Expect: 100-continue`, 417 for another Expect, 400 for HTTP/1.1 without
// Host, CONNECT and Upgrade answered without a body and closed, a body over the limit answered
// at once and the rest read and dropped, keep-alive (5 s idle), HTTP/1.0, pipelining in order,
// and its timeouts (60 s for a head, 300 s for a whole request). Reading stops while the client
// does not read its answers (pipelined requests are not answered into an unbounded buffer).
import type { EventEmitter } from "node:events";
import http from "node:http";
import net from "node:net";
import { bodyByteLength, type MockHttpRequest, type MockHttpResponse } from "./envelope.js";

export type MockResponder = (request: MockHttpRequest) => MockHttpResponse;

/** node:http's defaults, which the node:http path of the mock ran with. */
export const HTTP1_LIMITS = {
  /** --max-http-header-size: the request line, headers and (separately) trailers. */
  maxHeadBytes: 16 * 1024,
  /** Headers beyond this many are dropped (http.Server's maxHeadersCount). */
  maxHeaders: 2000,
  /** A request's head must arrive within this (headersTimeout), its whole body within requestTimeout. */
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  /** An idle kept-alive connection is closed after this (keepAliveTimeout). */
  keepAliveTimeoutMs: 5_000,
};
export type Http1Limits = typeof HTTP1_LIMITS;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// A head of allowed bytes whose every CR and LF is a CRLF: the two checks in one scan.
const VALID_HEAD = /^[\t\x20-\x7e\x80-\xff]*(?:\r\n[\t\x20-\x7e\x80-\xff]*)*$/;
const TARGET = /^[\x21-\x7e]+$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]+)(?:;[\t\x20-\x7e\x80-\xff]*)?$/;
const DIGITS = /^\d+$/;
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;
const METHODS = new Set(http.METHODS);
// Header names as sent → lower-cased, for names that are tokens: most requests repeat a few (bounded, so no client grows it).
const NAMES = new Map<string, string>();
const MAX_NAMES = 256;
const MAX_NAME_LENGTH = 64;
/** A copy of a token that does not hold on to the head it was sliced from. */
const detached = (token: string): string => Buffer.from(token, "latin1").toString("latin1");

// Header names of which node keeps the first value only (IncomingMessage's matchKnownFields).
const FIRST_ONLY = new Set([
  "content-type",
  "content-length",
  "user-agent",
  "referer",
  "host",
  "authorization",
  "proxy-authorization",
  "if-modified-since",
  "if-unmodified-since",
  "from",
  "location",
  "max-forwards",
  "retry-after",
  "etag",
  "last-modified",
  "server",
  "age",
  "expires",
]);

/**
 * Header records: fast-mode objects whose prototype has no prototype, so a header called
 * "constructor" or "__proto__" is an own property like any other, and an absent one reads undefined.
 */
const HeaderRecord = function (this: object) {} as unknown as new () => Record<string, string | undefined>;
HeaderRecord.prototype = Object.create(null) as object;

const STATUS_LINES = new Map<number, string>();
const statusLine = (status: number): string => {
  let line = STATUS_LINES.get(status);
  if (line === undefined) STATUS_LINES.set(status, (line = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "unknown"}\r\n`));
  return line;
};

class BadRequest extends Error {}

// What the connection is reading.
const HEAD = 0;
const BODY = 1; // Content-Length bytes
const CHUNK_LINE = 2; // a chunk-size line
const CHUNK_DATA = 3;
const CHUNK_END = 4; // the CRLF after a chunk's data
const TRAILERS = 5;
const CLOSED = 6;

/** The request being read: what the responder gets, and how to read and answer it. */
interface Pending {
  request: MockHttpRequest;
  keepAlive: boolean;
  head: boolean;
  /** Over the body limit: answered already; the rest of the body is read and dropped. */
  dropping: boolean;
  chunks: Buffer[];
  size: number;
}

export interface Http1Server {
  readonly server: net.Server;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * One server: a net.Server whose connections parse HTTP/1.1 and answer with `respond`; what is
 * not HTTP/1.1 gets `malformed(firstLine)` and a close. A `request` listener on the net.Server is
 * given each MockHttpRequest before it is answered.
 */
export function createHttp1Server(
  respond: MockResponder,
  malformed: (firstLine: string) => MockHttpResponse,
  maxBodyBytes: number,
  limits: Http1Limits = HTTP1_LIMITS,
): Http1Server {
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    shared.connections.add(new Http1Connection(socket, shared));
  });
  const shared = http1Context(respond, malformed, maxBodyBytes, limits, server);
  const { connections } = shared;
  const tick = Math.min(1000, limits.keepAliveTimeoutMs, limits.headersTimeoutMs);
  const timer = setInterval(() => {
    shared.now = Date.now();
    shared.date = new Date(shared.now).toUTCString();
    for (const c of connections) c.sweep(shared.now, tick);
  }, tick);
  timer.unref();
  server.on("close", () => clearInterval(timer));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What a server's connections share. */
export interface Http1Context {
  respond: MockResponder;
  malformed: (firstLine: string) => MockHttpResponse;
  maxBodyBytes: number;
  limits: Http1Limits;
  /** Given `request` events. */
  events: EventEmitter;
  /** A clock and the Date header, updated by the server's timer (which also closes timed-out connections): nothing per request. */
  now: number;
  date: string;
  connections: Set<Http1Connection>;
  /** The header lines of the last answer's headers object. */
  fieldsOf: Record<string, string> | undefined;
  fields: string;
}

export function http1Context(
  respond: MockResponder,
  malformed: (firstLine: string) => MockHttpResponse,
  maxBodyBytes: number,
  limits: Http1Limits,
  events: EventEmitter,
): Http1Context {
  const now = Date.now();
  return {
    respond,
    malformed,
    maxBodyBytes,
    limits,
    events,
    now,
    date: new Date(now).toUTCString(),
    connections: new Set(),
    fieldsOf: undefined,
    fields: "",
  };
}

/** What a connection uses of its socket (a net.Socket; tests give a stand-in). */
export type Http1Socket = Pick<net.Socket, "on" | "write" | "end" | "destroy" | "pause" | "resume" | "writable" | "writableEnded">;

export class Http1Connection {
  #phase = HEAD;
  /** Bytes received and not yet parsed (a partial head or chunk line, or what follows a paused answer). */
  #buffer: Buffer | undefined;
  /** How far the buffer was searched for the end of a head. */
  #scanned = 0;
  #pending: Pending | undefined;
  /** Body bytes (or chunk bytes) still to read. */
  #remaining = 0;
  #trailerBytes = 0;
  /** Answers not yet written. */
  #out = "";
  /** The client's answers are not read: parsing waits for `drain`. */
  #paused = false;
  /** The client sent its last byte. */
  #ended = false;
  /** When the request being read began (the coarse clock), or 0 between requests. */
  #startedAt: number;
  #headDone = false;
  /** Some byte of the request being read has arrived. */
  #begun = false;
  /** The request line of the request being read (for the envelope of a refusal). */
  #firstLine = "";
  /** When the connection went idle after an answer, or the server ended it (the coarse clock). */
  #idleAt = 0;

  constructor(
    readonly socket: Http1Socket,
    readonly shared: Http1Context,
  ) {
    // Like node's parser, a new connection's first request is timed from the connection.
    this.#startedAt = shared.now;
    socket.on("data", (chunk: Buffer) => this.#data(chunk));
    socket.on("end", () => {
      this.#ended = true;
      if (!this.#paused) this.#finish();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.#phase = CLOSED;
      this.#buffer = undefined;
      this.#pending = undefined;
      shared.connections.delete(this);
    });
    socket.on("drain", () => {
      if (!this.#paused || this.#phase === CLOSED) return;
      this.#paused = false;
      const rest = this.#buffer;
      this.#buffer = undefined;
      this.#scanned = 0;
      if (rest) this.#data(rest);
      else this.#flush();
      if (this.#paused || this.#phase === CLOSED) return;
      if (this.#ended) this.#finish();
      else socket.resume();
    });
  }

  /** Called by the server's timer: closes a connection idle past the keep-alive timeout or a request past its time. */
  sweep(now: number, tick: number): void {
    const { limits } = this.shared;
    if (this.#phase === CLOSED) {
      // Ended by the server, and the client keeps its side open: dropped, as node:http's destroySoon would.
      if (now - this.#idleAt >= limits.keepAliveTimeoutMs + tick) this.socket.destroy();
      return;
    }
    if (this.#paused) return;
    if (this.#startedAt === 0) {
      // The coarse clock lags up to a tick: wait a tick more, never less than the timeout.
      if (this.#idleAt !== 0 && now - this.#idleAt >= limits.keepAliveTimeoutMs + tick) this.socket.destroy();
      return;
    }
    const limit = this.#headDone ? limits.requestTimeoutMs : limits.headersTimeoutMs;
    if (now - this.#startedAt >= limit + tick) this.#fail();
  }

  #data(chunk: Buffer): void {
    if (this.#phase === CLOSED) return;
    if (this.#paused) {
      this.#buffer = this.#buffer === undefined ? chunk : Buffer.concat([this.#buffer, chunk]);
      return;
    }
    let buffer = chunk;
    if (this.#buffer !== undefined) {
      buffer = Buffer.concat([this.#buffer, chunk]);
      this.#buffer = undefined;
    }
    let at: number;
    try {
      at = this.#parse(buffer);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      this.#fail();
      return;
    }
    if (this.#phase !== CLOSED && at < buffer.length) this.#buffer = at === 0 ? buffer : buffer.subarray(at);
    this.#flush();
  }

  /** Parses what it can from `buffer`, answering each whole request; returns how far it read. */
  #parse(buffer: Buffer): number {
    const length = buffer.length;
    let at = 0;
    while (at < length && this.#phase !== CLOSED && !this.#paused) {
      switch (this.#phase) {
        case HEAD: {
          if (!this.#begun) {
            // Empty lines before a request line are ignored, as node's parser does.
            while (at + 1 < length && buffer[at] === 13 && buffer[at + 1] === 10) at += 2;
            if (at === length) return at;
            this.#begun = true;
            this.#startedAt = this.shared.now;
            this.#headDone = false;
          }
          const from = Math.max(at, at + this.#scanned - 3);
          const end = buffer.indexOf("\r\n\r\n", from, "latin1");
          const max = this.shared.limits.maxHeadBytes;
          if (end < 0) {
            if (length - at > max) {
              this.#firstLine = buffer.toString("latin1", at, at + max).split("\r\n", 1)[0]!;
              throw new BadRequest();
            }
            this.#scanned = length - at;
            return at;
          }
          this.#scanned = 0;
          const text = buffer.toString("latin1", at, end);
          if (end - at > max) {
            this.#firstLine = text.split("\r\n", 1)[0]!;
            throw new BadRequest();
          }
          this.#head(text);
          at = end + 4;
          break;
        }
        case BODY: {
          const take = Math.min(this.#remaining, length - at);
          this.#take(buffer, at, take);
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#complete();
          break;
        }
        case CHUNK_LINE: {
          const end = buffer.indexOf("\r\n", at, "latin1");
          if (end < 0) {
            if (length - at > this.shared.limits.maxHeadBytes) throw new BadRequest();
            return at;
          }
          const m = CHUNK_SIZE.exec(buffer.toString("latin1", at, end));
          if (m === null || overflows(m[1]!, 16)) throw new BadRequest();
          at = end + 2;
          const size = parseInt(m[1]!, 16);
          if (size === 0) {
            this.#phase = TRAILERS;
            this.#trailerBytes = 0;
          } else {
            this.#remaining = size;
            this.#phase = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA: {
          const take = Math.min(this.#remaining, length - at);
          this.#take(buffer, at, take);
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#phase = CHUNK_END;
          break;
        }
        case CHUNK_END: {
          if (length - at < 2) return at;
          if (buffer[at] !== 13 || buffer[at + 1] !== 10) throw new BadRequest();
          at += 2;
          this.#phase = CHUNK_LINE;
          break;
        }
        case TRAILERS: {
          const end = buffer.indexOf("\r\n", at, "latin1");
          if (end < 0) {
            if (this.#trailerBytes + length - at > this.shared.limits.maxHeadBytes) throw new BadRequest();
            return at;
          }
          this.#trailerBytes += end - at + 2;
          if (this.#trailerBytes > this.shared.limits.maxHeadBytes) throw new BadRequest();
          // Trailers are checked as headers are, and dropped; an empty line ends the message.
          const last = end === at;
          if (!last) headerLine(buffer.toString("latin1", at, end));
          at = end + 2;
          if (last) this.#complete();
          break;
        }
      }
    }
    return at;
  }

  /** A whole head: the request line and headers. */
  #head(text: string): void {
    const size = text.length;
    let eol = text.indexOf("\r\n");
    if (eol < 0) eol = size;
    const firstLine = eol === size ? text : text.slice(0, eol);
    // A refusal names the request line, which picks the protocol's envelope (node:http's rawPacket does).
    this.#firstLine = firstLine;
    // One scan for bytes no head may hold and a CR or LF outside a CRLF.
    if (!VALID_HEAD.test(text)) throw new BadRequest();
    // METHOD SP+ target SP+ HTTP/x.y: node's parser takes several spaces between the parts.
    const sp1 = firstLine.indexOf(" ");
    let from = sp1 + 1;
    while (firstLine.charCodeAt(from) === 32) from++;
    const sp2 = firstLine.indexOf(" ", from);
    if (sp1 <= 0 || sp2 < 0) throw new BadRequest();
    let to = sp2 + 1;
    while (firstLine.charCodeAt(to) === 32) to++;
    const method = firstLine.slice(0, sp1);
    const url = firstLine.slice(from, sp2);
    const version = firstLine.slice(to);
    if (!METHODS.has(method) || !TARGET.test(url)) throw new BadRequest();
    // The versions node's parser takes; all but 1.1 are answered as 1.0 is (no keep-alive unless asked).
    const minor = version === "HTTP/1.1" ? 1 : version === "HTTP/1.0" || version === "HTTP/2.0" || version === "HTTP/0.9" ? 0 : -1;
    if (minor < 0) throw new BadRequest();

    const headers = new HeaderRecord();
    let lengths = 0;
    let count = 0;
    const max = this.shared.limits.maxHeaders;
    for (let start = eol + 2; start < size + 2;) {
      let end = text.indexOf("\r\n", start);
      if (end < 0) end = size;
      const colon = text.indexOf(":", start);
      if (colon <= start || colon > end) throw new BadRequest();
      const raw = text.slice(start, colon);
      let name = NAMES.get(raw);
      if (name === undefined) {
        if (!TOKEN.test(raw)) throw new BadRequest();
        name = raw.toLowerCase();
        if (NAMES.size < MAX_NAMES && raw.length <= MAX_NAME_LENGTH) NAMES.set(detached(raw), detached(name));
      }
      // The value without the blanks around it.
      let a = colon + 1;
      let b = end;
      while (a < b && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
      while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
      start = end + 2;
      if (name === "content-length") lengths++;
      // Beyond maxHeaders a header is checked and dropped, as node's parser does.
      if (++count > max) continue;
      const value = text.slice(a, b);
      const had = headers[name];
      if (had === undefined) headers[name] = value;
      else if (FIRST_ONLY.has(name)) continue;
      else headers[name] = `${had}${name === "cookie" ? "; " : ", "}${value}`;
    }

    const request: MockHttpRequest = { method, url, headers, body: "" };
    const te = headers["transfer-encoding"];
    const cl = headers["content-length"];
    if (lengths > 1 || (te !== undefined && cl !== undefined)) throw new BadRequest();
    if (cl !== undefined && (!DIGITS.test(cl) || overflows(cl, 10))) throw new BadRequest();
    // The last coding of a request must be chunked (node's parser refuses the rest).
    const chunked = te !== undefined && /(?:^|,)[ \t]*chunked[ \t]*$/i.test(te);
    if (te !== undefined && !chunked) throw new BadRequest();

    const connection = headers["connection"];
    let keepAlive = minor === 1;
    if (connection !== undefined) {
      const tokens = connection.toLowerCase();
      if (minor === 1 ? /(?:^|,)[ \t]*close[ \t]*(?:,|$)/.test(tokens) : /(?:^|,)[ \t]*keep-alive[ \t]*(?:,|$)/.test(tokens)) keepAlive = !keepAlive;
      // CONNECT and Upgrade requests leave HTTP: answered (without reading a body) and closed.
      if (headers["upgrade"] !== undefined && /(?:^|,)[ \t]*upgrade[ \t]*(?:,|$)/.test(tokens)) return this.#bypass(request);
    }
    if (method === "CONNECT") return this.#bypass(request);
    this.#headDone = true;
    const pending: Pending = { request, keepAlive, head: method === "HEAD", dropping: false, chunks: [], size: 0 };
    this.#pending = pending;
    if (minor === 1 && headers["host"] === undefined) {
      // node:http's requireHostHeader: a bare 400, and the connection closed.
      this.#out += `${statusLine(400)}Connection: close\r\n${this.#bare()}`;
      return this.#close();
    }
    const expect = minor === 1 ? headers["expect"] : undefined;
    if (expect !== undefined) {
      if (!CONTINUE.test(expect)) {
        // node:http without a checkExpectation listener: 417 and the body read and dropped.
        this.#out += `${statusLine(417)}${this.#connection(keepAlive)}\r\n${this.#bare()}`;
        pending.dropping = true;
      } else this.#out += "HTTP/1.1 100 Continue\r\n\r\n";
    }
    const length = chunked ? -1 : cl === undefined ? 0 : Number(cl);
    if (length > this.shared.maxBodyBytes) this.#tooLarge();
    if (chunked) this.#phase = CHUNK_LINE;
    else if (length > 0) {
      this.#remaining = length;
      this.#phase = BODY;
    } else this.#complete();
  }

  #take(buffer: Buffer, at: number, take: number): void {
    const pending = this.#pending!;
    if (pending.dropping || take === 0) return;
    pending.size += take;
    if (pending.size > this.shared.maxBodyBytes) {
      pending.chunks.length = 0;
      this.#tooLarge();
      return;
    }
    pending.chunks.push(at === 0 && take === buffer.length ? buffer : buffer.subarray(at, at + take));
  }

  /** Answers at once, and reads and drops the rest of the body (closing now could reset the client before it reads the answer). */
  #tooLarge(): void {
    const pending = this.#pending!;
    pending.dropping = true;
    this.#answer(pending, { ...pending.request, body: undefined });
  }

  /** The whole request is read. */
  #complete(): void {
    const pending = this.#pending!;
    this.#pending = undefined;
    this.#phase = HEAD;
    this.#begun = false;
    this.#startedAt = 0;
    this.#firstLine = "";
    this.#idleAt = this.shared.now;
    if (!pending.dropping) {
      const { chunks } = pending;
      const bytes = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? Buffer.alloc(0) : Buffer.concat(chunks);
      const request = pending.request;
      request.bytes = bytes;
      request.body = bytes.toString("utf8");
      this.#answer(pending, request);
    }
    if (!pending.keepAlive) this.#close();
  }

  #answer(pending: Pending, request: MockHttpRequest): void {
    const { events } = this.shared;
    if (events.listenerCount("request") > 0) events.emit("request", request);
    const answer = this.shared.respond(request);
    // Envelopes share one headers object: its lines are written once.
    let fields = this.shared.fields;
    if (answer.headers !== this.shared.fieldsOf) {
      fields = fieldLines(answer.headers);
      this.shared.fieldsOf = answer.headers;
      this.shared.fields = fields;
    }
    this.#write(statusLine(answer.status), fields, answer.body, bodyByteLength(answer), pending.head, pending.keepAlive);
  }

  /** Queues an answer as node:http writes it (its fields, Content-Length, Date, Connection, Keep-Alive). */
  #write(status: string, fields: string, body: string, length: number, head: boolean, keepAlive: boolean): void {
    this.#out += `${status}${fields}content-length: ${length}\r\nDate: ${this.shared.date}\r\n${this.#connection(keepAlive)}\r\n\r\n${head ? "" : body}`;
    if (this.#out.length > 65536) this.#flush();
  }

  #connection(keepAlive: boolean): string {
    return keepAlive
      ? `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.shared.limits.keepAliveTimeoutMs / 1000)}`
      : "Connection: close";
  }

  /** The rest of an empty answer as node:http ends one written with writeHead() and end(): chunked, no chunks. */
  #bare(): string {
    return `Date: ${this.shared.date}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
  }

  #flush(): void {
    if (this.#out === "") return;
    const out = this.#out;
    this.#out = "";
    if (this.#phase === CLOSED && this.socket.writableEnded) return;
    if (!this.socket.write(out) && !this.#paused && this.#phase !== CLOSED) {
      // The client does not read its answers: read no more requests until it does.
      this.#paused = true;
      this.socket.pause();
    }
  }

  /** A CONNECT or Upgrade request: answered with no body, and the connection closed. */
  #bypass(request: MockHttpRequest): void {
    const answer = this.shared.respond(request);
    this.#raw(answer);
  }

  /** What is not HTTP/1.1, or a request past its time: the protocol's envelope, and a close. */
  #fail(): void {
    if (this.#phase === CLOSED) return;
    // A head cut short: its first line as far as it came.
    if (this.#begun && this.#firstLine === "" && this.#buffer !== undefined)
      this.#firstLine = this.#buffer.toString("latin1", 0, Math.min(this.#buffer.length, 8192)).split("\r\n", 1)[0]!;
    this.#raw(this.shared.malformed(this.#firstLine));
  }

  /** An answer written as the node:http path wrote what node's parser refused, then a close. */
  #raw(answer: MockHttpResponse): void {
    this.#out += rawAnswer(answer);
    this.#close();
  }

  /** Writes what is queued and closes once it is sent; reads nothing more. */
  #close(): void {
    if (this.#phase === CLOSED) return;
    this.#phase = CLOSED;
    this.#idleAt = this.shared.now;
    this.#pending = undefined;
    this.#buffer = undefined;
    const out = this.#out;
    this.#out = "";
    if (this.socket.writable) this.socket.end(out);
    else this.socket.destroy();
  }

  /** The client sent its last byte: a request cut short is not HTTP; otherwise close once answered. */
  #finish(): void {
    if (this.#phase === CLOSED) return;
    if (this.#pending !== undefined || this.#buffer !== undefined) return this.#fail();
    this.#close();
  }
}

const U64_MAX = { 10: "18446744073709551615", 16: "ffffffffffffffff" } as const;

/** Whether digits (leading zeros allowed) are beyond 2^64 - 1, which node's parser refuses. */
function overflows(digits: string, radix: 10 | 16): boolean {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  const max = U64_MAX[radix];
  const n = digits.length - i;
  return n > max.length || (n === max.length && digits.slice(i).toLowerCase() > max);
}

/** `name: value` as node's parser reads it: a token, a colon, the value without surrounding blanks. */
function headerLine(line: string): [string, string] {
  const colon = line.indexOf(":");
  if (colon <= 0) throw new BadRequest();
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) throw new BadRequest();
  let start = colon + 1;
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  const value = line.slice(start, end);
  if (INVALID_VALUE.test(value)) throw new BadRequest();
  return [name.toLowerCase(), value];
}

/** Header lines, each ending in CRLF. */
function fieldLines(headers: MockHttpResponse["headers"]): string {
  let fields = "";
  for (const name in headers) fields += `${name}: ${headers[name]}\r\n`;
  return fields;
}

/** A whole answer followed by a close, as node:http's path writes what its parser refused. */
export function rawAnswer(answer: MockHttpResponse): string {
  return `HTTP/1.1 ${answer.status} OK\r\n${fieldLines(answer.headers)}content-length: ${Buffer.byteLength(answer.body)}\r\nconnection: close\r\n\r\n${answer.body}`;
}
