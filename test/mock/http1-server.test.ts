// The mock's own HTTP/1.1 server (mock/http1-server.ts, the default engine of `mock.listen`):
// the same answers as the node:http engine for the same bytes (framing, limits, refusals, header
// rules), and what a naive server gets wrong: requests split anywhere, pipelining in order, a
// client that does not read its answers, bodies over the limit on a kept-alive connection, and
// timeouts.
import { EventEmitter } from "node:events";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockDefinition as chatDefinition } from "../../generated/chat/src/mock.js";
import { mockDefinition as lcicDefinition } from "../../generated/lcic/src/mock.js";
import {
  createHttp1Server,
  HTTP1_LIMITS,
  http1Context,
  Http1Connection,
  type Http1Server,
  type Http1Socket,
} from "../../templates/runtime/src/mock/http1-server.js";
import { createMock, type Mock, type MockHttpRequest, type MockListening } from "../../templates/runtime/src/mock/server.js";
import { answersOf, exchange, type RawAnswer } from "./support/raw-http.js";
import { chatPath, isEnvelope, NOW, tc3Headers } from "./support/requests.js";

const LIMIT = 4096;
const lcicHost = lcicDefinition.metadata.endpoints.find((e) => e.default)!.host;
const lcicProtocol = lcicDefinition.metadata.protocol as unknown as { service: string; version: string };
const example = (method: string) => JSON.stringify(lcicDefinition.examples.find((e) => e.method === method)!.request);
const chatCommand = Object.values(chatDefinition.metadata.operations)[0]!.command!;
const chatExample = JSON.stringify(chatDefinition.examples[0]!.request);

const makeMock = () => createMock([lcicDefinition, chatDefinition], { seed: 5, now: () => NOW, rateLimit: false, maxBodyBytes: LIMIT });

type Fields = Array<[string, string]>;
/** A request as bytes: the fields as given (latin1), then the body. */
function raw(method: string, url: string, fields: Fields, body = ""): string {
  return `${method} ${url} HTTP/1.1\r\n${fields.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`;
}
function tc3Fields(body: string, action = "GetRoomEvent"): Fields {
  return Object.entries(tc3Headers({ action, body, service: lcicProtocol.service, version: lcicProtocol.version, host: lcicHost }, NOW));
}
const tc3 = (body = example("getRoomEvent"), extra: Fields = [], action = "GetRoomEvent") =>
  raw("POST", "/", [...tc3Fields(body, action), ...extra, ["content-length", String(Buffer.byteLength(body))]], body);
const tc3Chunked = (body: string, pieces: string[], extra: Fields = []) =>
  raw("POST", "/", [...tc3Fields(body), ...extra, ["transfer-encoding", "chunked"]], pieces.join(""));
const chunksOf = (body: string, size: number, ext = "") => {
  const out: string[] = [];
  for (let i = 0; i < body.length; i += size) out.push(`${Math.min(size, body.length - i).toString(16)}${ext}\r\n${body.slice(i, i + size)}\r\n`);
  return [...out, "0\r\n\r\n"];
};
const chat = (extra: Fields = [], body = chatExample) =>
  raw(
    "POST",
    chatPath({ command: chatCommand, body: null }, NOW),
    [["host", "console.tim.qq.com"], ["content-type", "application/json"], ...extra, ["content-length", String(Buffer.byteLength(body))]],
    body,
  );

const valid = tc3();
const big = JSON.stringify({ Pad: "x".repeat(LIMIT + 10) });

/** [name, bytes, indexes of answers to HEAD requests]. */
const CASES: Array<[string, string, number[]?]> = [
  ["a signed TC3 request", valid],
  ["a Chat request", chat()],
  ["three requests pipelined in one write", valid + chat() + tc3(example("describeRoomStatistics"), [], "DescribeRoomStatistics")],
  ["empty lines before the request line", `\r\n\r\n${valid}`],
  ["HEAD", tc3().replace(/^POST/, "HEAD"), [0]],
  ["GET, OPTIONS, DELETE, PATCH", ["GET", "OPTIONS", "DELETE", "PATCH"].map((m) => valid.replace(/^POST/, m)).join("")],
  ["a method node's parser does not know (BREW)", `BREW / HTTP/1.1\r\nhost: x\r\n\r\n`],
  ["a lower-case method", valid.replace(/^POST/, "post")],
  ["not HTTP", "garbage\r\n\r\n"],
  ["HTTP/2.0 on the request line", valid.replace(" HTTP/1.1\r\n", " HTTP/2.0\r\n")],
  ["HTTP/1.0 without Host (closed after the answer)", valid.replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n").replace(/\r\nhost: [^\r]*/i, "")],
  ["HTTP/1.0 with Connection: keep-alive", tc3(undefined, [["connection", "keep-alive"]]).replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n") + valid],
  ["HTTP/1.1 without Host", `POST / HTTP/1.1\r\ncontent-length: 2\r\n\r\n{}`],
  ["Connection: close", tc3(undefined, [["connection", "close"]])],
  ["HTTP/0.9", valid.replace(" HTTP/1.1\r\n", " HTTP/0.9\r\n")],
  ["HTTP/1.2", valid.replace(" HTTP/1.1\r\n", " HTTP/1.2\r\n")],
  ["HTTP/3.0", valid.replace(" HTTP/1.1\r\n", " HTTP/3.0\r\n")],
  ["http/1.1 in lower case", valid.replace(" HTTP/1.1\r\n", " http/1.1\r\n")],
  ["two spaces after the method", valid.replace("POST / ", "POST  / ")],
  ["two spaces before the version", valid.replace("POST / ", "POST /  ")],
  ["a space after the version", valid.replace("HTTP/1.1\r\n", "HTTP/1.1 \r\n")],
  ["a space before the method", ` ${valid}`],
  ["a tab after the method", valid.replace("POST / ", "POST\t/ ")],
  ["the target *, and an absolute URL", valid.replace("POST / ", "POST * ") + valid.replace("POST / ", "POST http://lcic.tencentcloudapi.com/ ")],
  ["lines ending in LF only", valid.replace(/\r\n/g, "\n")],
  ["a request line ending in LF only", valid.replace("HTTP/1.1\r\n", "HTTP/1.1\n")],
  ["a header line ending in CR only", valid.replace("\r\n\r\n", "\r\nx-a: b\rx-c: d\r\n\r\n")],
  ["a URL with DEL", valid.replace("POST / ", "POST /\u007f ")],
  ["a URL with a fragment and braces", valid.replace("POST / ", 'POST /a#b{c}"|\\^` ')],
  ["a header value with DEL", valid.replace("\r\n\r\n", "\r\nx-a: b\u007fc\r\n\r\n")],
  ["a header value with a control character", valid.replace("\r\n\r\n", "\r\nx-a: b\u0001c\r\n\r\n")],
  ["a header value with a tab inside and blanks around", valid.replace("\r\n\r\n", "\r\nx-a: \t b\tc \t \r\n\r\n")],
  ["a header name of a Latin-1 byte", valid.replace("\r\n\r\n", "\r\nx-caf\u00e9: b\r\n\r\n")],
  ["an empty header value", valid.replace("\r\n\r\n", "\r\nx-empty:\r\n\r\n")],
  [
    "Transfer-Encoding given twice, chunked last",
    `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  ],
  ["Transfer-Encoding: Chunked", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`],
  ["chunk sizes in upper case with leading zeros", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n0002\r\n{}\r\n000\r\n\r\n`],
  ["a chunk size with a space before the extension", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2 ;a\r\n{}\r\n0\r\n\r\n`],
  ["a chunk size with 0x", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n`],
  ["a chunk size of 20 hex digits", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${"f".repeat(20)}\r\n{}\r\n0\r\n\r\n`],
  ["a bad trailer", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nbad trailer\r\n\r\n`],
  ["Content-Length with leading zeros", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0002\r\n\r\n{}`],
  ["Content-Length 2^64 - 1 (a body cut short)", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 18446744073709551615\r\n\r\n{}`],
  ["Content-Length 2^64", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 18446744073709551616\r\n\r\n{}`],
  ["Content-Length of 26 digits, 25 of them leading zeros", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${"0".repeat(25)}2\r\n\r\n{}`],
  ["Content-Length 2 2", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2 2\r\n\r\n{}`],
  [
    "a chunk size of 23 digits, 22 of them leading zeros",
    `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${"0".repeat(22)}2\r\n{}\r\n0\r\n\r\n`,
  ],
  ["a chunk size of 17 f's", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${"f".repeat(17)}\r\n{}\r\n0\r\n\r\n`],
  ["a chunk extension with a quoted string", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2;x="a b"\r\n{}\r\n0\r\n\r\n`],
  ["a chunked body cut short before its last CRLF", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n`],
  ["Transfer-Encoding: identity, chunked", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: identity, chunked\r\n\r\n0\r\n\r\n`],
  ["Transfer-Encoding: xchunked", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: xchunked\r\n\r\n0\r\n\r\n`],
  ["a GET with a chunked body, then a request", `GET / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n${valid}`],
  ["HEAD with a body, then a request", valid.replace(/^POST/, "HEAD") + valid, [0]],
  ["Content-Length of 25 digits", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${"9".repeat(25)}\r\n\r\n{}`],
  ["Content-Length +2", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: +2\r\n\r\n{}`],
  ["Connection: keep-alive, Upgrade without an Upgrade header", tc3(undefined, [["connection", "keep-alive, Upgrade"]])],
  ["Upgrade without Connection: upgrade", tc3(undefined, [["upgrade", "websocket"]])],
  [
    "a Cookie given twice",
    tc3(undefined, [
      ["cookie", "a=1"],
      ["cookie", "b=2"],
    ]),
  ],
  ["two Content-Lengths", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 5\r\n\r\n{}`],
  ["two equal Content-Lengths", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\n{}`],
  ["Content-Length and Transfer-Encoding", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`],
  ["Transfer-Encoding gzip", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip\r\n\r\n{}`],
  ["Transfer-Encoding: chunked, gzip", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked, gzip\r\n\r\n0\r\n\r\n`],
  ["Content-Length abc", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n`],
  ["Content-Length -1", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n`],
  ["Content-Length 1, 1", `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1, 1\r\n\r\n{`],
  ["a chunked body", tc3Chunked(example("getRoomEvent"), chunksOf(example("getRoomEvent"), 7)) + valid],
  [
    "a chunked body with chunk extensions and trailers",
    tc3Chunked(example("getRoomEvent"), [...chunksOf(example("getRoomEvent"), 5, ";a=b").slice(0, -1), "0\r\nx-trailer: 1\r\n\r\n"]) + valid,
  ],
  ["a bad chunk size", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
  ["chunk data without its CRLF", `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n`],
  ["a header line without a colon", valid.replace("\r\n\r\n", "\r\nno colon here\r\n\r\n")],
  ["a space before the colon", valid.replace("\r\n\r\n", "\r\nx-a : b\r\n\r\n")],
  ["a folded header line", valid.replace("\r\n\r\n", "\r\nx-a: b\r\n c\r\n\r\n")],
  ["a NUL in a header value", valid.replace("\r\n\r\n", "\r\nx-a: b\u0000c\r\n\r\n")],
  ["a header value of Latin-1 bytes", valid.replace("\r\n\r\n", "\r\nx-a: caf\u00e9\r\n\r\n")],
  ["a 17 KB header", valid.replace("\r\n\r\n", `\r\nx-long: ${"v".repeat(17_000)}\r\n\r\n`)],
  ["a 70 KB header", valid.replace("\r\n\r\n", `\r\nx-long: ${"v".repeat(70_000)}\r\n\r\n`)],
  ["a second Content-Type after the signed one (the first is kept)", tc3(undefined, [["content-type", "text/plain"]])],
  ["a second Authorization", tc3(undefined, [["authorization", "nope"]])],
  ["repeated X-TC-Action (joined)", tc3(undefined, [["x-tc-action", "GetRoomEvent"]])],
  [
    "headers __proto__ and constructor",
    tc3(undefined, [
      ["__proto__", "x"],
      ["constructor", "y"],
      ["hasOwnProperty", "z"],
    ]),
  ],
  ["Expect: 100-continue", tc3(undefined, [["expect", "100-continue"]])],
  ["Expect: something else (417), then a request", tc3(undefined, [["expect", "teapot"]]) + valid],
  ["CONNECT", `CONNECT lcic.tencentcloudapi.com:443 HTTP/1.1\r\nhost: lcic.tencentcloudapi.com:443\r\n\r\n`],
  [
    "Upgrade: websocket",
    tc3(undefined, [
      ["connection", "Upgrade"],
      ["upgrade", "websocket"],
    ]),
  ],
  ["a Content-Length over the limit, then a request on the same connection", tc3(big) + valid],
  ["a chunked body over the limit, then a request", tc3Chunked(big, chunksOf(big, 1000)) + valid],
  ["a head cut short", valid.slice(0, 40)],
  ["a body cut short", valid.slice(0, -5)],
  ["a URL with a Latin-1 byte", valid.replace("POST / ", "POST /caf\u00e9 ")],
  ["a Chat request with a query of 5,000 characters", chat().replace("contenttype=json", `contenttype=json&x=${"y".repeat(5000)}`)],
  // The head is checked in one scan: a lone CR or LF anywhere, and which request line the refusal names.
  ["a CR before the head's last CRLF", valid.replace("\r\n\r\n", "\r\nx-a: b\r\r\n\r\n")],
  ["an LF starting a header line", valid.replace("\r\n\r\n", "\r\n\nx-a: b\r\n\r\n")],
  ["a CR inside the request line", valid.replace("POST / ", "POST /\r ")],
  ["a Chat request with a header line ending in CR only", chat([["x-a", "b\rx-c: d"]])],
  ["a Chat request with a control character in a header value", chat([["x-a", "b\u0001c"]])],
  ["a Chat request with a lone LF in a header value", chat([["x-a", "b\nc"]])],
  // Header names are remembered lower-cased: the same names in other cases on one connection.
  ["Content-Length in two other cases (two Content-Lengths)", `POST / HTTP/1.1\r\nHOST: x\r\nContent-Length: 2\r\nCONTENT-LENGTH: 2\r\n\r\n{}`],
  ["HOST and Content-Type in upper case", valid.replace(/\r\nhost:/i, "\r\nHOST:").replace(/\r\ncontent-type:/i, "\r\nCONTENT-TYPE:")],
];

let net1: MockListening;
let node: MockListening;
let mockNet: Mock;
let mockNode: Mock;
beforeAll(async () => {
  mockNet = makeMock();
  mockNode = makeMock();
  net1 = await mockNet.listen();
  node = await mockNode.listen({ engine: "node:http" });
});
afterAll(async () => {
  await Promise.all([net1.close(), node.close()]);
});

describe("the same answers as node:http for the same bytes", () => {
  it.each(CASES)("%s", async (_, bytes, heads = []) => {
    mockNet.reset();
    mockNode.reset();
    const [mine, theirs] = await Promise.all([exchange(net1.port, bytes), exchange(node.port, bytes)]);
    const got = answersOf(mine, new Set(heads));
    expect(got).toEqual(answersOf(theirs, new Set(heads)));
    expect(got.length).toBeGreaterThan(0);
  });
});

describe("requests however they arrive", () => {
  /** A stand-in socket: records what is written, says the buffer is full past `highWater` until drained. */
  class FakeSocket extends EventEmitter {
    written = "";
    buffered = 0;
    paused = false;
    writable = true;
    writableEnded = false;
    constructor(readonly highWater = Infinity) {
      super();
    }
    write(data: string): boolean {
      this.written += data;
      this.buffered += data.length;
      return this.buffered < this.highWater;
    }
    end(data?: string): this {
      if (data) this.written += data;
      this.writable = false;
      this.writableEnded = true;
      return this;
    }
    destroy(): this {
      this.writable = false;
      return this;
    }
    pause(): this {
      this.paused = true;
      return this;
    }
    resume(): this {
      this.paused = false;
      return this;
    }
    /** The client reads what was written. */
    drain(): void {
      this.buffered = 0;
      this.emit("drain");
    }
  }

  const mock = makeMock();
  let answered = 0;
  const context = http1Context(
    (r) => (answered++, mock.respond(r)),
    (line) => ({ status: 200, headers: { "content-type": "application/json" }, body: `{"malformed":${JSON.stringify(line)}}` }),
    LIMIT,
    HTTP1_LIMITS,
    new EventEmitter(),
  );
  const connect = (highWater?: number) => {
    mock.reset();
    answered = 0;
    const socket = new FakeSocket(highWater);
    new Http1Connection(socket as unknown as Http1Socket, context);
    return socket;
  };

  // Every kind of framing, pipelined: Content-Length, chunked with extensions and trailers, a body
  // over the limit (answered, then dropped), 100-continue, HEAD, and a Chat request.
  const stream = Buffer.from(
    [
      valid,
      tc3Chunked(example("getRoomEvent"), [...chunksOf(example("getRoomEvent"), 9, ";x=y").slice(0, -1), "0\r\nx-t: 1\r\n\r\n"]),
      tc3(big),
      tc3(undefined, [["expect", "100-continue"]]),
      valid.replace(/^POST/, "HEAD"),
      chat(),
      valid,
    ].join(""),
    "latin1",
  );
  const whole = (() => {
    const socket = connect();
    socket.emit("data", stream);
    return socket.written;
  })();

  it("pipelined requests are answered in order, each once", () => {
    const answers = answersOf(Buffer.from(whole, "latin1"), new Set([5]));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 100, 200, 200, 200, 200]);
    expect(answers.slice(0, 3).map((a) => tc3CodeOf(a))).toEqual([null, null, "RequestSizeLimitExceeded"]);
    expect(answered).toBe(7);
  });

  it("the same answers when the bytes are split anywhere", () => {
    for (let at = 1; at < stream.length; at += 7) {
      const socket = connect();
      socket.emit("data", stream.subarray(0, at));
      socket.emit("data", stream.subarray(at));
      expect(socket.written, `split at ${at}`).toBe(whole);
    }
  });

  it("the same answers when the bytes come one at a time", () => {
    const socket = connect();
    for (let at = 0; at < stream.length; at++) socket.emit("data", stream.subarray(at, at + 1));
    expect(socket.written).toBe(whole);
  });

  it("stops reading while the client does not read its answers, and goes on when it does", () => {
    const count = 200;
    const socket = connect(16 * 1024);
    socket.emit("data", Buffer.from(valid.repeat(count), "latin1"));
    // Not 200 answers into a buffer nobody reads: reading stopped at the first full buffer.
    expect(socket.paused).toBe(true);
    expect(answered).toBeLessThan(count);
    const first = answered;
    socket.emit("data", Buffer.from(valid, "latin1"));
    expect(answered).toBe(first);
    let rounds = 0;
    while (socket.paused && rounds++ < count) socket.drain();
    expect(socket.paused).toBe(false);
    expect(answered).toBe(count + 1);
    const answers = answersOf(Buffer.from(socket.written, "latin1"));
    expect(answers).toHaveLength(count + 1);
    // In order: the seeded request ids come one after another, as from one request at a time.
    mock.reset();
    const expected = Array.from({ length: count + 1 }, () => mock.respond(tc3Request()).body);
    expect(answers.map((a) => a.body)).toEqual(expected);
  });

  it("a client that half-closes while its answers wait still gets them all, then the close", () => {
    const socket = connect(4 * 1024);
    socket.emit("data", Buffer.from(valid.repeat(20), "latin1"));
    socket.emit("end");
    expect(socket.writableEnded).toBe(false);
    for (let rounds = 0; !socket.writableEnded && rounds < 100; rounds++) socket.drain();
    expect(answersOf(Buffer.from(socket.written, "latin1"))).toHaveLength(20);
    expect(socket.writableEnded).toBe(true);
  });

  it("a head that never ends is refused past the head limit, however slowly it comes", () => {
    const socket = connect();
    const head = Buffer.from(`POST / HTTP/1.1\r\nhost: x\r\nx-long: ${"v".repeat(HTTP1_LIMITS.maxHeadBytes)}`, "latin1");
    for (let at = 0; at < head.length && !socket.writableEnded; at += 100) socket.emit("data", head.subarray(at, at + 100));
    expect(socket.writableEnded).toBe(true);
    expect(socket.written).toContain('{"malformed":"POST / HTTP/1.1"}');
    expect(socket.written).toMatch(/connection: close/);
  });
});

/** The TC3 error code of an answer, null for a success. */
function tc3CodeOf(answer: RawAnswer): string | null {
  return (JSON.parse(answer.body) as { Response: { Error?: { Code: string } } }).Response.Error?.Code ?? null;
}

/** The valid request above, as the responder gets it. */
function tc3Request(): MockHttpRequest {
  const body = example("getRoomEvent");
  const headers: Record<string, string> = Object.fromEntries(tc3Fields(body));
  return { method: "POST", url: "/", headers, body };
}

describe("connections over time", () => {
  /** A connection that collects what the server sends and says when it closed. */
  function open(port: number) {
    const socket = connect(port, "127.0.0.1");
    let got = Buffer.alloc(0);
    let closed = false;
    const waiters: Array<() => void> = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    socket.on("data", (c: Buffer) => ((got = Buffer.concat([got, c])), wake()));
    socket.on("error", () => {});
    socket.on("close", () => ((closed = true), wake()));
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (done() ? resolve() : waiters.push(check));
        check();
      });
    return {
      socket,
      got: () => got,
      closed: () => closed,
      /** Waits for `n` whole answers (or the close). */
      answers: async (n: number) => {
        await until(() => closed || answersOf(got).filter((a) => a.status !== 0).length >= n);
        return answersOf(got);
      },
      closing: () => until(() => closed),
    };
  }

  it("keeps a connection open between requests, and answers each on it", async () => {
    const c = open(net1.port);
    c.socket.write(valid);
    expect(await c.answers(1)).toHaveLength(1);
    expect(c.closed()).toBe(false);
    c.socket.write(chat());
    const answers = await c.answers(2);
    expect(answers).toHaveLength(2);
    expect(answers.every((a) => a.headers.includes("connection: keep-alive") && isEnvelope(a.body))).toBe(true);
    c.socket.destroy();
  });

  it("answers a request sent with Connection: close, then closes, whatever follows it in the same write", async () => {
    // node:http answered the envelope for the bytes after it instead, and lost this answer.
    const c = open(net1.port);
    c.socket.write(tc3(undefined, [["connection", "close"]]) + valid);
    await c.closing();
    const answers = answersOf(c.got());
    expect(answers).toHaveLength(1);
    expect(tc3CodeOf(answers[0]!)).toBe(null);
    expect(answers[0]!.headers).toContain("connection: close");
  });

  it("gives each request to `request` listeners of the server, with its headers", async () => {
    const seen: MockHttpRequest[] = [];
    const listener = (r: MockHttpRequest) => seen.push(r);
    net1.server.on("request", listener);
    try {
      await exchange(net1.port, tc3(undefined, [["x-trace-id", "t-1"]]));
    } finally {
      net1.server.off("request", listener);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["x-trace-id"]).toBe("t-1");
    expect(seen[0]!.body).toBe(example("getRoomEvent"));
  });

  describe("with short timeouts", () => {
    let server: Http1Server;
    let port: number;
    beforeAll(async () => {
      const mock = makeMock();
      const limits = { ...HTTP1_LIMITS, headersTimeoutMs: 100, requestTimeoutMs: 300, keepAliveTimeoutMs: 100 };
      server = createHttp1Server(
        (r) => mock.respond(r),
        (line) => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ malformed: line }) }),
        LIMIT,
        limits,
      );
      await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    afterAll(() => server.close());

    it("a head that stops coming gets the envelope of its request line, and a close", async () => {
      const c = open(port);
      c.socket.write(valid.slice(0, 60));
      await c.closing();
      const [answer] = answersOf(c.got());
      expect(JSON.parse(answer!.body)).toEqual({ malformed: valid.slice(0, valid.indexOf("\r\n")) });
      expect(answer!.headers).toContain("connection: close");
    });

    it("a body that stops coming gets the envelope after the request timeout", async () => {
      const c = open(port);
      c.socket.write(valid.slice(0, -5));
      await c.closing();
      expect(JSON.parse(answersOf(c.got())[0]!.body)).toEqual({ malformed: valid.slice(0, valid.indexOf("\r\n")) });
    });

    it("a connection the server ended is dropped when the client keeps its own side open", async () => {
      const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", () => {});
      // The client's bytes after the server's end are read and ignored while the server keeps the
      // socket; once it drops it, they are refused (a reset), which closes the client's socket.
      let poke: ReturnType<typeof setInterval> | undefined;
      socket.on("end", () => (poke = setInterval(() => socket.write("x"), 20)));
      await new Promise<void>((resolve) => {
        socket.on("close", () => resolve());
        socket.write("garbage\r\n\r\n");
      });
      clearInterval(poke);
      expect(Buffer.concat(chunks).toString("latin1")).toContain('{"malformed":"garbage"}');
    });

    it("an idle kept-alive connection is closed without a word", async () => {
      const c = open(port);
      c.socket.write(valid);
      expect(await c.answers(1)).toHaveLength(1);
      const answered = c.got().length;
      await c.closing();
      expect(c.got().length).toBe(answered);
    });
  });
});
