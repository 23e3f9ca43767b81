// The node transport's direct path (http1.ts): its own HTTP/1.1 connections instead of node:http.
// Against raw TCP servers on 127.0.0.1 that write exactly the bytes a test gives, so every framing
// (Content-Length, chunked, close-delimited, interim answers, answers split anywhere) and every
// connection rule (keep-alive, the server's Keep-Alive timeout, maxSockets, close) is pinned.
import { spawn } from "node:child_process";
import diagnostics from "node:diagnostics_channel";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../templates/runtime/src/client/errors.js";
import { Http1Client } from "../../templates/runtime/src/client/http1.js";
import { httpProxy } from "../../templates/runtime/src/client/proxy.js";
import { createNodeTransport, type NodeTransport, type TransportRequest } from "../../templates/runtime/src/client/transport.js";
import { startLoopback } from "./support/loopback.js";

interface Raw {
  port: number;
  /** Every request's raw bytes as received, per connection (connection index, text). */
  received: { connection: number; text: string }[];
  connections: () => number;
  close(): Promise<void>;
}

/**
 * A TCP server that answers each complete request (head and Content-Length body) with what
 * `answer` gives: a string, or pieces written one by one (a piece `null`: close the connection).
 */
async function rawServer(answer: (n: number, request: string) => string | (string | Buffer | null)[]): Promise<Raw> {
  const received: Raw["received"] = [];
  const sockets = new Set<net.Socket>();
  let count = 0;
  let requests = 0;
  const server = net.createServer((socket) => {
    const connection = count++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    // Answers go out in order, each after the one before.
    let writing = Promise.resolve();
    const write = async (reply: string | (string | Buffer | null)[]) => {
      for (const piece of typeof reply === "string" ? [reply] : reply) {
        if (piece === null) return void socket.destroy();
        socket.write(piece);
        // Separate packets: the client must put pieces together wherever they split.
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.toString("latin1", 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const text = buffer.toString("latin1", 0, end + 4 + length);
        buffer = buffer.subarray(end + 4 + length);
        received.push({ connection, text });
        const reply = answer(requests++, text);
        writing = writing.then(() => write(reply));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const ok = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

const made: NodeTransport[] = [];
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const t of made.splice(0)) t.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const transport = (options: Parameters<typeof createNodeTransport>[0] = {}) => {
  const t = createNodeTransport({ proxy: false, ...options });
  made.push(t);
  return t;
};
const serve = async (answer: Parameters<typeof rawServer>[0]) => {
  const s = await rawServer(answer);
  servers.push(s);
  return s;
};
const request = (port: number, over: Partial<TransportRequest> = {}): TransportRequest => ({
  url: `http://127.0.0.1:${port}/v1/x?y=1`,
  method: "POST",
  headers: { "content-type": "application/json", "x-tc-action": "Act" },
  body: '{"a":"é"}',
  timeoutMs: 5_000,
  ...over,
});
async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("the node transport's direct requests", () => {
  it("do not go through node:http (no ClientRequest is made); a proxied one does", async () => {
    const started: unknown[] = [];
    const listener = (message: unknown) => started.push(message);
    diagnostics.subscribe("http.client.request.start", listener);
    try {
      const loopback = await startLoopback();
      servers.push(loopback);
      const direct = transport();
      await direct(request(loopback.port));
      expect(started).toHaveLength(0);
      // Through a proxy (here the loopback server itself, as an absolute-form forward proxy) it is node:http.
      const proxied = transport({ proxy: httpProxy(loopback.origin) });
      await proxied(request(loopback.port));
      expect(started).toHaveLength(1);
    } finally {
      diagnostics.unsubscribe("http.client.request.start", listener);
    }
  });

  it("write the request line, Host, the caller's headers, Content-Length and the UTF-8 body", async () => {
    const server = await serve(() => ok("fine"));
    const response = await transport()(
      request(server.port, { headers: { "Content-Type": "application/json", host: "ignored", "content-length": "1" } }),
    );
    expect(response).toMatchObject({ status: 200, body: "fine" });
    const text = Buffer.from(server.received[0]!.text, "latin1").toString("utf8");
    expect(text).toBe(
      `POST /v1/x?y=1 HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{"a":"é"}`,
    );
  });

  it("read an answer split anywhere, interim 1xx answers skipped", async () => {
    const body = '{"Response":{"RequestId":"r"}}';
    const whole = `HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${ok(body, "x-custom: v\r\nX-Custom: w\r\n")}`;
    // One byte per packet for the first 80 bytes, then the rest.
    const server = await serve(() => [...[...whole.slice(0, 80)], whole.slice(80)]);
    const response = await transport()(request(server.port));
    expect(response.status).toBe(200);
    expect(response.body).toBe(body);
    expect(response.headers["x-custom"]).toBe("v, w");
    expect(response.headers["link"]).toBeUndefined();
  });

  it("read chunked bodies (extensions, a UTF-8 character split across chunks, trailers)", async () => {
    const bytes = Buffer.from("héllo", "utf8");
    const server = await serve(() => [
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
      Buffer.concat([Buffer.from("2;name=value\r\n"), bytes.subarray(0, 2), Buffer.from("\r\n")]),
      Buffer.concat([Buffer.from(`${(bytes.length - 2).toString(16)}\r\n`), bytes.subarray(2), Buffer.from("\r\n")]),
      "0\r\nx-trailer: t\r\n\r\n",
    ]);
    const send = transport();
    expect((await send(request(server.port))).body).toBe("héllo");
    // The connection is reused after a chunked answer.
    expect((await send(request(server.port))).body).toBe("héllo");
    expect(server.connections()).toBe(1);
  });

  it("read a body that ends when the connection closes, and open a new connection after it", async () => {
    const server = await serve(() => ["HTTP/1.1 200 OK\r\nconnection: close\r\n\r\npart one, ", "part two", null]);
    const send = transport();
    expect((await send(request(server.port))).body).toBe("part one, part two");
    expect((await send(request(server.port))).body).toBe("part one, part two");
    expect(server.connections()).toBe(2);
  });

  it("reuse one connection for sequential calls; HTTP/1.0, Connection: close or bytes past the answer end it", async () => {
    const answers = [
      ok("a"),
      ok("b"),
      ok("c", "connection: close\r\n"),
      ok("d"),
      `HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\ne`,
      ok("f"),
      `${ok("g")}junk`,
      ok("h"),
    ];
    const server = await serve((n) => answers[n]!);
    const send = transport();
    const bodies = [];
    for (let i = 0; i < answers.length; i++) bodies.push((await send(request(server.port))).body);
    expect(bodies).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(server.received.map((r) => r.connection)).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
  });

  it("honour the server's Keep-Alive timeout: a connection is not reused within a second of it", async () => {
    const server = await serve(() => ok("x", "keep-alive: timeout=1\r\n"));
    const send = transport();
    await send(request(server.port));
    await send(request(server.port));
    expect(server.connections()).toBe(2);
    const lasting = await serve(() => ok("x", "keep-alive: timeout=5\r\n"));
    await send(request(lasting.port));
    await send(request(lasting.port));
    expect(lasting.connections()).toBe(1);
  });

  it("open at most maxSockets connections per origin; the rest wait their turn", async () => {
    const server = await serve(() => ok("x"));
    const send = transport({ maxSockets: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, () => send(request(server.port))));
    expect(answers.map((a) => a.body)).toEqual(Array(7).fill("x"));
    expect(server.connections()).toBe(2);
  });

  it("keepAlive: false sends Connection: close and opens a connection per call", async () => {
    const server = await serve(() => ok("x"));
    const send = transport({ keepAlive: false });
    await send(request(server.port));
    await send(request(server.port));
    expect(server.received[0]!.text).toContain("\r\nconnection: close\r\n");
    expect(server.connections()).toBe(2);
  });

  it("send a header value's bytes as latin1 (as node:http does), the body as UTF-8", async () => {
    const server = await serve(() => ok("x"));
    await transport()(request(server.port, { headers: { "x-name": "caf\u00e9" } }));
    const raw = Buffer.from(server.received[0]!.text, "latin1");
    expect(raw.includes(Buffer.from("x-name: caf\xe9\r\n", "latin1"))).toBe(true);
    expect(raw.subarray(raw.length - 10).toString("utf8")).toBe('{"a":"é"}');
  });

  it("an answer that is not HTTP/1.x, or a bad Content-Length or chunk size, is ClientError.Network", async () => {
    for (const answer of [
      "SSH-2.0-OpenSSH\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    ]) {
      const server = await serve(() => answer);
      const error = await failure(transport()(request(server.port)));
      expect(error.code).toBe("ClientError.Network");
      expect(error.message).toContain("not valid HTTP/1.1");
    }
  });

  it("a connection closed before any answer byte is ClientError.Network; mid-body, ClientError.InvalidResponse", async () => {
    const early = await serve(() => [null]);
    expect((await failure(transport()(request(early.port)))).code).toBe("ClientError.Network");
    const midway = await serve(() => ["HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this", null]);
    const error = await failure(transport()(request(midway.port)));
    expect(error).toMatchObject({ code: "ClientError.InvalidResponse", retryable: true });
    expect(error.message).toContain("9 of 100 bytes");
  });

  it("time out each call on its own timeoutMs: a hung call fails on time while later calls succeed, a shorter timeout fires first", async () => {
    const server = await serve((_n, text) => (text.includes("x-hang: 1") ? [] : ok("x")));
    const send = transport();
    const hung = (timeoutMs: number) =>
      failure(send(request(server.port, { timeoutMs, headers: { "x-hang": "1" } }))).then((e) => ({ e, at: performance.now() }));
    const long = hung(400);
    const short = hung(100);
    for (let i = 0; i < 20; i++) expect((await send(request(server.port, { timeoutMs: 400 }))).body).toBe("x");
    const [first, second] = await Promise.all([short, long]);
    expect(first.e).toMatchObject({ code: "ClientError.Timeout", retryable: true });
    expect(first.e.message).toContain("100 ms");
    expect(second.e.message).toContain("400 ms");
    expect(first.at).toBeLessThan(second.at);
  });

  it("close() fails a call in flight at once, and the transport still works after it", async () => {
    // The first call gets no answer; the next one does.
    const server = await serve((n) => (n === 0 ? [] : ok("again")));
    const send = transport();
    const pending = send(request(server.port, { timeoutMs: 60_000 }));
    await new Promise((r) => setTimeout(r, 50));
    send.close();
    expect((await failure(pending)).code).toBe("ClientError.Network");
    expect((await send(request(server.port))).body).toBe("again");
  });

  it("idle connections do not keep the process alive (no close() needed at exit)", async () => {
    const loopback = await startLoopback();
    servers.push(loopback);
    const transportModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates/runtime/src/client/transport.ts");
    const script = `
      const { createNodeTransport } = await import(${JSON.stringify(transportModule)});
      const send = createNodeTransport({ proxy: false });
      const r = await send({ url: ${JSON.stringify(`${loopback.origin}/`)}, method: "POST", headers: {}, body: "{}", timeoutMs: 5000 });
      console.log(r.status);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill(), 15_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(out.trim()).toBe("200");
  }, 20_000);
});

describe("the direct path as an HTTP/1.1 client: what it refuses to send or read", () => {
  const causeCode = (error: ApiError) => (error.cause as { code?: unknown } | undefined)?.code;

  it("a header name or value node:http would refuse (CR, LF, NUL, not a token) fails as node:http's does, before anything is written", async () => {
    const server = await serve(() => ok("x"));
    const cases: [Record<string, string>, string][] = [
      [{ "x-a": "v\r\nx-injected: 1" }, "ERR_INVALID_CHAR"],
      [{ "x-a": "v\nx" }, "ERR_INVALID_CHAR"],
      [{ "x-a": "v\0" }, "ERR_INVALID_CHAR"],
      [{ "x a": "v" }, "ERR_INVALID_HTTP_TOKEN"],
      [{ "x-a\r\nx-injected": "v" }, "ERR_INVALID_HTTP_TOKEN"],
    ];
    for (const [headers, code] of cases) {
      for (const useNodeHttp of [false, true]) {
        const error = await failure(transport({ useNodeHttp })(request(server.port, { headers })));
        expect(error).toMatchObject({ code: "ClientError.Network", retryable: false });
        expect([useNodeHttp, causeCode(error)]).toEqual([useNodeHttp, code]);
      }
    }
    expect(server.connections()).toBe(0);
  });

  it("a request path with a space, CR, LF or NUL fails with ERR_UNESCAPED_CHARACTERS, before anything is written", async () => {
    const server = await serve(() => ok("x"));
    const client = new Http1Client({ keepAlive: true, maxSockets: 4 });
    try {
      for (const path of ["/a b", "/a\r\nx-injected: 1", "/a\0"]) {
        const target = { secure: false, hostname: "127.0.0.1", port: server.port, host: `127.0.0.1:${server.port}`, path };
        const error = await failure(client.send(target, request(server.port), 1000));
        expect(causeCode(error)).toBe("ERR_UNESCAPED_CHARACTERS");
      }
    } finally {
      client.close();
    }
    expect(server.connections()).toBe(0);
  });

  it("the caller's Transfer-Encoding is not sent (the body is framed by Content-Length), and its Connection: close ends the connection", async () => {
    const server = await serve(() => ok("x"));
    const send = transport();
    await send(request(server.port, { headers: { "transfer-encoding": "chunked", connection: "close" } }));
    await send(request(server.port));
    expect(server.received[0]!.text).not.toMatch(/transfer-encoding/i);
    expect(server.connections()).toBe(2);
  });

  it("an answer with both Transfer-Encoding: chunked and Content-Length is read as chunked, and its connection is not reused", async () => {
    const server = await serve(() => "HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    const send = transport();
    expect((await send(request(server.port))).body).toBe("hello");
    expect((await send(request(server.port))).body).toBe("hello");
    expect(server.connections()).toBe(2);
  });

  // (A 304, like every 3xx, is ClientError.Redirect before any body would be read.)
  it("an answer to HEAD and a 204 have no body whatever they declare; the connection is reused", async () => {
    const answers = [
      "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n",
      "HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n",
      "HTTP/1.1 204 No Content\r\ntransfer-encoding: chunked\r\n\r\n",
      ok("after"),
    ];
    const server = await serve((n) => answers[n]!);
    const send = transport();
    expect(await send(request(server.port, { method: "HEAD", body: "" }))).toMatchObject({ status: 200, body: "" });
    expect(await send(request(server.port))).toMatchObject({ status: 204, body: "" });
    expect(await send(request(server.port))).toMatchObject({ status: 204, body: "" });
    expect((await send(request(server.port))).body).toBe("after");
    expect(server.connections()).toBe(1);
  });

  it("a chunk declared bigger than maxResponseBytes fails at once, without waiting for its bytes", async () => {
    const server = await serve(() => ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", "ffffffff\r\nabc"]);
    const error = await failure(transport()(request(server.port, { maxResponseBytes: 1000, timeoutMs: 3_000 })));
    expect(error.code).toBe("ClientError.ResponseTooLarge");
  });

  it("trailers without end, or more than 2000 header fields, fail as not HTTP/1.1 (node:http's limits)", async () => {
    const trailers = await serve(() => [
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n0\r\n",
      ...Array.from({ length: 20 }, () => "x-trailer: 0123456789\r\n".repeat(50)),
    ]);
    const endless = await failure(transport()(request(trailers.port, { timeoutMs: 3_000 })));
    expect(endless.code).toBe("ClientError.Network");
    expect(endless.message).toContain("not valid HTTP/1.1");
    const many = await serve(() => `HTTP/1.1 200 OK\r\n${"a: b\r\n".repeat(2001)}content-length: 0\r\n\r\n`);
    const error = await failure(transport()(request(many.port)));
    expect(error.message).toContain("not valid HTTP/1.1");
  });

  it("a header value with a NUL, a bare CR or a bare LF fails as not HTTP/1.1", async () => {
    for (const line of ["x-a: v\0w", "x-a: v\rw", "x-a: v\ncontent-length: 1"]) {
      const server = await serve(() => `HTTP/1.1 200 OK\r\n${line}\r\ncontent-length: 0\r\n\r\n`);
      const error = await failure(transport()(request(server.port)));
      expect(error.message).toContain("not valid HTTP/1.1");
    }
  });

  it("an invalid Content-Length (not digits, two different ones) fails, and the connection is not reused", async () => {
    const answers = [
      "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 0x1\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab",
      ok("fine"),
    ];
    const server = await serve((n) => answers[n]!);
    const send = transport();
    for (let i = 0; i < 3; i++) expect((await failure(send(request(server.port)))).message).toContain("Content-Length");
    expect((await send(request(server.port))).body).toBe("fine");
    expect(server.connections()).toBe(4);
  });
});
