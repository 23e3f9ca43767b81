// Hostile requests against the mock server of every generated service (`mock.listen({port: 0})` on
// 127.0.0.1, in a child process of its own so its RSS is its own): malformed JSON, wrong types,
// bodies over the limit, 500k unknown keys, invalid UTF-8, bad/expired/forged TC3 signatures and
// UserSigs (a zlib bomb among them), unknown actions and commands, prototype-pollution keys, odd
// methods and framing, written as raw bytes over a few keep-alive connections; beside them a few
// slowloris connections (a request trickled in, heads and bodies left unfinished, each bounded in
// time). Counted: answers by category, status and error code, answers outside the protocol
// envelope, requests without an answer, server crashes, Object.prototype pollution, server RSS.
import { fork, type ChildProcess } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { loadDefinitions } from "../generator/cli/mock-server.js";
import type { MockServiceDefinition } from "../templates/runtime/src/mock/definition.js";
import { deriveTc3Keys, tc3Date } from "../templates/runtime/src/protocols/tc3/signing.js";
import { genUserSig } from "../templates/runtime/src/protocols/chat-rest/signing.js";
import { CHAT, chatPath, isEnvelope, TC3, tc3Headers, type ChatCall, type Tc3Call } from "../test/mock/support/requests.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);
/** A request without an answer after this long counts as unanswered. */
const ANSWER_TIMEOUT_MS = 20_000;

// ── The server (child process) ───────────────────────────────────────────────────────────────

interface ServerStats {
  rssMb: number;
  /** Highest RSS sampled every 10 ms, and the kernel's high-water mark. */
  peakMb: number;
  maxRssMb: number;
  /** The V8 heap in use: what the server holds on to, where RSS also counts what the allocator keeps. */
  heapMb: number;
  /** Keys Object.prototype gained since the server started. */
  pollution: string[];
}

async function serve(): Promise<void> {
  const { createMock } = await import("../templates/runtime/src/mock/server.js");
  const definitions = await loadDefinitions(path.join(ROOT, "generated"));
  const mock = createMock(definitions, { seed: 13, rateLimit: false });
  const listening = await mock.listen({ port: 0 });
  const baseline = new Set(Object.getOwnPropertyNames(Object.prototype));
  let peak = process.memoryUsage.rss();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10).unref();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  process.on("message", (m) => {
    if (m === "stop") return void listening.close().then(() => process.exit(0));
    if (m === "gc") (globalThis as { gc?: () => void }).gc?.();
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    const stats: ServerStats = {
      rssMb: mb(rss),
      peakMb: mb(peak),
      maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
      heapMb: mb(process.memoryUsage().heapUsed),
      pollution: Object.getOwnPropertyNames(Object.prototype).filter((k) => !baseline.has(k)),
    };
    process.send!(stats);
  });
  process.send!({ port: listening.port, services: definitions.length });
}

interface Server {
  child: ChildProcess;
  port: number;
  services: number;
  /** Exits other than the one `stop` asks for. */
  crashes: Array<{ code: number | null; signal: string | null; stderr: string }>;
  stats(gc?: boolean): Promise<ServerStats>;
  stop(): Promise<void>;
}

function startServer(crashes: Server["crashes"] = []): Promise<Server> {
  const child = fork(SELF, ["--serve"], { execArgv: ["--import", "tsx", "--expose-gc"], stdio: ["ignore", "inherit", "pipe", "ipc"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping) crashes.push({ code, signal, stderr });
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number; services: number }) =>
      resolve({
        child,
        port: m.port,
        services: m.services,
        crashes,
        stats: (gc = false) =>
          new Promise((res, rej) => {
            if (child.exitCode !== null || child.signalCode !== null) return rej(new Error("the mock server is gone"));
            child.once("message", (s: ServerStats) => res(s));
            child.send(gc ? "gc" : "stats");
          }),
        stop: () =>
          new Promise((res) => {
            stopping = true;
            if (child.exitCode !== null || child.signalCode !== null) return res();
            const timer = setTimeout(() => child.kill(), 5000);
            child.once("exit", () => (clearTimeout(timer), res()));
            child.send("stop");
          }),
      }),
    );
    child.once("exit", (code) => reject(new Error(`the mock server exited with ${code} while starting:\n${stderr}`)));
  });
}

// ── Raw requests ─────────────────────────────────────────────────────────────────────────────

interface RawRequest {
  category: string;
  variant: string;
  bytes: Buffer;
  /** HEAD answers carry no body. */
  head?: boolean;
}

type HeaderList = Array<[string, string]>;

/** An HTTP/1.1 request as bytes: header names and values written as latin1, so any byte goes through. */
function http1(method: string, url: string, headers: HeaderList, body: Buffer | string, framing: "length" | "chunked" | "none" = "length"): Buffer {
  const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const lines = [`${method} ${url} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (framing === "length") lines.push(`content-length: ${payload.length}`);
  if (framing === "chunked") lines.push("transfer-encoding: chunked");
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  if (framing !== "chunked") return Buffer.concat([head, payload]);
  const chunks: Buffer[] = [head];
  for (let at = 0; at < payload.length; at += 1 << 20) {
    const piece = payload.subarray(at, at + (1 << 20));
    chunks.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(chunks);
}

interface Operation {
  definition: MockServiceDefinition;
  protocol: "tc3" | "chat-rest";
  action: string;
  command: string;
  service: string;
  version: string;
  host: string;
  region: string | undefined;
  example: Record<string, unknown>;
}

function operationsOf(definitions: MockServiceDefinition[]): Operation[] {
  const out: Operation[] = [];
  for (const definition of definitions) {
    const protocol = definition.metadata.protocol as { name: "tc3" | "chat-rest"; service?: string; version: string };
    const host = definition.metadata.endpoints.find((e) => e.default)!.host;
    for (const [method, op] of Object.entries(definition.metadata.operations)) {
      const example = definition.examples.find((e) => e.method === method)?.request;
      out.push({
        definition,
        protocol: protocol.name,
        action: op.action ?? "",
        command: op.command ?? "",
        service: protocol.service ?? "",
        version: protocol.version,
        host,
        region: op.regions.required ? op.regions.values[0] : undefined,
        example: typeof example === "object" && example !== null && !Array.isArray(example) ? (example as Record<string, unknown>) : {},
      });
    }
  }
  return out;
}

/** Seeded PRNG (mulberry32): the same requests every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALFORMED_JSON = [
  '{"RoomId":',
  "{'a':1}",
  "[1,2,",
  '{"a":1,}',
  "NaN",
  "",
  "\u0000",
  '{"a":"\\ud800"}',
  '{"a":1e999999}',
  '{"a":"\\x41"}',
  '{"a" 1}',
  "}{",
  '{"a":1}{"b":2}',
  "[".repeat(100_000),
  '{"a":'.repeat(50_000),
  "\ufeff{}",
  '{"a":"unterminated',
  "tru",
  "-",
  "01",
  '"\\u00"',
];
const WRONG_VALUES: unknown[] = [
  123,
  "not a number",
  [],
  {},
  [1, [2, [3]]],
  true,
  null,
  -0,
  1.5,
  "",
  "1".repeat(400),
  { nested: { deeper: [null] } },
];
const WHOLE_BODIES = ["[]", '"string"', "123", "null", "true", '[{"RoomId":1}]'];
const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80], [0xfe, 0xff]];

class RequestMaker {
  readonly #ops: Operation[];
  readonly #tc3: Operation[];
  readonly #chat: Operation[];
  readonly #random: () => number;
  readonly #cache = new Map<string, Buffer>();

  constructor(ops: Operation[], seed: number) {
    this.#ops = ops;
    this.#tc3 = ops.filter((o) => o.protocol === "tc3");
    this.#chat = ops.filter((o) => o.protocol === "chat-rest");
    this.#random = rng(seed);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)]!;
  }

  /** A request to `op` signed (TC3) or carrying a UserSig (Chat) as the mock accepts, with `body`. */
  signed(
    op: Operation,
    body: Buffer | string,
    tweak: { tc3?: Partial<Tc3Call>; chat?: Partial<ChatCall>; headers?: HeaderList; method?: string; framing?: "length" | "chunked" } = {},
  ): Buffer {
    const text = typeof body === "string" ? body : body.toString("utf8");
    const method = tweak.method ?? "POST";
    if (op.protocol === "tc3") {
      const headers = tc3Headers(
        { action: op.action, body: text, service: op.service, version: op.version, host: op.host, region: op.region, ...tweak.tc3 },
        Date.now(),
      );
      // Bytes that are not UTF-8: the service hashes the bytes as sent, so sign those.
      if (typeof body !== "string" && !body.equals(Buffer.from(text)))
        headers["authorization"] = signedOver(body, headers, tweak.tc3?.secretKey ?? TC3.secretKey, op.service);
      return http1(method, "/", [...Object.entries(headers), ...(tweak.headers ?? [])], body, tweak.framing);
    }
    const url = chatPath({ command: op.command, body: text, ...tweak.chat }, Date.now());
    return http1(method, url, [["host", op.host], ["content-type", "application/json"], ...(tweak.headers ?? [])], body, tweak.framing);
  }

  /** The next request of `category`. */
  make(category: string): RawRequest {
    const op = this.#pick(this.#ops);
    const tc3 = this.#pick(this.#tc3);
    const chat = this.#pick(this.#chat);
    const example = JSON.stringify(op.example);
    const k = this.#random();
    const r = (variant: string, bytes: Buffer, head = false): RawRequest => ({ category, variant, bytes, head });
    switch (category) {
      case "valid":
        return r("the operation's example, signed", this.signed(op, example));
      case "malformed JSON":
        return r("malformed JSON", this.signed(op, this.#pick(MALFORMED_JSON)));
      case "wrong types": {
        const keys = Object.keys(op.example);
        if (!keys.length || k < 0.2) return r("a body that is not an object", this.signed(op, this.#pick(WHOLE_BODIES)));
        return r(
          "one field of the example given a wrong type",
          this.signed(op, JSON.stringify({ ...op.example, [this.#pick(keys)]: this.#pick(WRONG_VALUES) })),
        );
      }
      case "body over the limit (11 MB)": {
        const chunked = k < 0.5;
        const target = op.protocol === "tc3" ? tc3 : chat;
        const bytes = this.#cached(`huge-${op.protocol}-${chunked}`, () =>
          this.signed(target, `{"Pad":"${"x".repeat(11 * 1024 * 1024)}"}`, { framing: chunked ? "chunked" : "length" }),
        );
        return r(`${op.protocol}, ${chunked ? "chunked" : "Content-Length"}`, bytes);
      }
      case "500k unknown keys (9.9 MB)": {
        const target = op.protocol === "tc3" ? tc3 : chat;
        const bytes = this.#cached(`keys-${op.protocol}`, () => {
          const keys = Array.from({ length: 500_000 }, (_, i) => `"u${String(i).padStart(6, "0")}":"vvvvvv"`);
          const own = JSON.stringify(target.example).slice(1, -1);
          return this.signed(target, `{${[...(own ? [own] : []), ...keys].join(",")}}`);
        });
        return r(op.protocol, bytes);
      }
      case "invalid UTF-8": {
        const bad = Buffer.from(this.#pick(INVALID_UTF8));
        if (k < 0.6) {
          const [open, close] = [Buffer.from(`{"Text":"a`), Buffer.from(`b"${example.length > 2 ? `,${example.slice(1)}` : "}"}`)];
          return r("in the body (signed over the bytes)", this.signed(op, Buffer.concat([open, bad, close])));
        }
        if (k < 0.8)
          return r("in X-TC-Action", this.signed(tc3, example, { tc3: { headers: { "x-tc-action": `${tc3.action}${bad.toString("latin1")}` } } }));
        return r(
          "in the Chat URL path",
          http1(
            "POST",
            `/v4/${chat.command}${bad.toString("latin1")}?sdkappid=${CHAT.sdkAppId}&identifier=${CHAT.identifier}&usersig=x`,
            [["host", chat.host]],
            example,
          ),
        );
      }
      case "bad TC3 signature":
        return r(...this.#badSignature(tc3));
      case "bad UserSig":
        return r(...this.#badUserSig(chat));
      case "unknown action or command":
        return r(
          ...this.#oneOf<[string, () => Buffer]>(k, [
            ["X-TC-Action Nope", () => this.signed(tc3, "{}", { tc3: { action: "Nope" } })],
            ["X-TC-Action of 10,000 characters", () => this.signed(tc3, "{}", { tc3: { action: "A".repeat(10_000) } })],
            ["unknown X-TC-Version", () => this.signed(tc3, "{}", { tc3: { version: "1999-01-01" } })],
            ["unknown product in the credential scope", () => this.signed(tc3, "{}", { tc3: { service: "nosuchproduct" } })],
            ["empty X-TC-Action", () => this.signed(tc3, "{}", { tc3: { headers: { "x-tc-action": "" } } })],
            ["unknown Chat command", () => this.signed(chat, "{}", { chat: { command: "x/y" } })],
            ["/v4/../../etc/passwd", () => http1("POST", `/v4/../../etc/passwd?sdkappid=${CHAT.sdkAppId}`, [["host", chat.host]], "{}")],
            ["/v9/ and an 8,000-character path", () => http1("POST", `/v9/${chat.command}/${"z".repeat(8_000)}`, [["host", chat.host]], "{}")],
          ]),
        );
      case "prototype-pollution keys": {
        const own = example.length > 2 ? `,${example.slice(1, -1)}` : "";
        return r(
          ...this.#oneOf<[string, () => Buffer]>(k, [
            ['body {"__proto__": {...}, ...example}', () => this.signed(op, `{"__proto__":{"polluted":"yes","isAdmin":true}${own}}`)],
            [
              'body {"constructor": {"prototype": {...}}, ...example}',
              () => this.signed(op, `{"constructor":{"prototype":{"polluted":"yes"}}${own}}`),
            ],
            ["nested __proto__ keys", () => this.signed(op, `{"a":{"__proto__":{"polluted":"yes"}},"b":[{"__proto__":[1]}]${own}}`)],
            [
              "X-TC-Action __proto__, constructor, toString...",
              () => this.signed(tc3, "{}", { tc3: { action: this.#pick(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) } }),
            ],
            [
              "Chat command __proto__/constructor...",
              () => this.signed(chat, "{}", { chat: { command: this.#pick(["__proto__/constructor", "constructor/prototype", "__proto__"]) } }),
            ],
            [
              "query __proto__[polluted]=yes beside a valid UserSig",
              () =>
                this.signed(chat, JSON.stringify(chat.example), {
                  chat: { query: { "__proto__[polluted]": "yes", "constructor[prototype][polluted]": "yes" } },
                }),
            ],
            [
              "sdkappid=__proto__&identifier=constructor",
              () => this.signed(chat, JSON.stringify(chat.example), { chat: { sdkappid: "__proto__", identifier: "constructor" } }),
            ],
            [
              "headers __proto__, constructor on a valid request",
              () =>
                this.signed(op, example, {
                  headers: [
                    ["__proto__", "x"],
                    ["constructor", "y"],
                    ["hasOwnProperty", "z"],
                  ],
                }),
            ],
          ]),
        );
      }
      case "odd method or framing": {
        if (k < 1 / 8) return r("HEAD", this.signed(op, example, { method: "HEAD" }), true);
        return r(
          ...this.#oneOf<[string, () => Buffer]>((k - 1 / 8) / (7 / 8), [
            [
              "GET, PUT, DELETE, OPTIONS or PATCH",
              () => this.signed(op, example, { method: this.#pick(["GET", "PUT", "DELETE", "OPTIONS", "PATCH"]) }),
            ],
            ["BREW (refused by node's parser)", () => Buffer.from(`BREW / HTTP/1.1\r\nhost: ${op.host}\r\n\r\n`, "latin1")],
            ["two Content-Lengths", () => Buffer.from(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 5\r\n\r\n{}`, "latin1")],
            [
              "a bad chunk size",
              () => Buffer.from(`POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, "latin1"),
            ],
            ["a 70 KB header", () => this.signed(op, example, { headers: [["x-long", "v".repeat(70_000)]] })],
            ["not HTTP", () => Buffer.from(`garbage\r\n\r\n`, "latin1")],
            [
              "a second Content-Type (text/plain) after the signed one",
              () => this.signed(op, example, { headers: [["content-type", "text/plain"]] }),
            ],
          ]),
        );
      }
      default:
        throw new Error(`no such category: ${category}`);
    }
  }

  /** The variant `k` in [0, 1) falls on, built. */
  #oneOf<T extends [string, () => Buffer]>(k: number, variants: readonly T[]): [string, Buffer] {
    const [name, build] = variants[Math.floor(k * variants.length) % variants.length]!;
    return [name, build()];
  }

  #cached(key: string, make: () => Buffer): Buffer {
    let hit = this.#cache.get(key);
    if (!hit) this.#cache.set(key, (hit = make()));
    return hit;
  }

  #badSignature(op: Operation): [string, Buffer] {
    const body = JSON.stringify(op.example);
    const now = Math.floor(Date.now() / 1000);
    const call = { action: op.action, body, service: op.service, version: op.version, host: op.host, region: op.region };
    return this.#oneOf(this.#random(), [
      ["signed with another secret key", () => this.signed(op, body, { tc3: { secretKey: "forged-key" } })],
      ["an unknown SecretId", () => this.signed(op, body, { tc3: { secretId: "AKIDnotAKnownId" } })],
      ["signed an hour ago", () => this.signed(op, body, { tc3: { timestamp: now - 3600 } })],
      ["signed an hour ahead", () => this.signed(op, body, { tc3: { timestamp: now + 3600 } })],
      [
        "a signature of zeros",
        () => {
          const h = tc3Headers(call, Date.now());
          return http1(
            "POST",
            "/",
            Object.entries({ ...h, authorization: h["authorization"]!.replace(/Signature=[0-9a-f]+/, `Signature=${"0".repeat(64)}`) }),
            body,
          );
        },
      ],
      [
        "a malformed Authorization",
        () =>
          this.signed(op, body, {
            tc3: {
              headers: {
                authorization: this.#pick([
                  "TC3-HMAC-SHA256 nonsense",
                  "HMAC-SHA1 Credential=x",
                  "",
                  "TC3-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=",
                ]),
              },
            },
          }),
      ],
      ["no Authorization", () => this.signed(op, body, { tc3: { headers: { authorization: undefined } } })],
      ["a forged session token", () => this.signed(op, body, { tc3: { token: "forged-session-token" } })],
      ["the body changed after signing", () => http1("POST", "/", Object.entries(tc3Headers(call, Date.now())), `${body} `)],
      [
        "X-TC-Timestamp 0, -1, 1e99, NaN or 2^64",
        () => this.signed(op, body, { tc3: { headers: { "x-tc-timestamp": this.#pick(["0", "-1", "1e99", "NaN", String(2 ** 64)]) } } }),
      ],
    ]);
  }

  #badUserSig(op: Operation): [string, Buffer] {
    const body = JSON.stringify(op.example);
    const now = Math.floor(Date.now() / 1000);
    const deflated = (text: string | Buffer) => escapeB64(zlib.deflateSync(text).toString("base64"));
    return this.#oneOf(this.#random(), [
      ["signed with another key", () => this.signed(op, body, { chat: { key: "0".repeat(64) } })],
      ["expired (issued 3 days ago for 60 s)", () => this.signed(op, body, { chat: { sigTime: now - 3 * 86400, sigExpire: 60 } })],
      ["empty, !!!, or not zlib", () => this.signed(op, body, { chat: { usersig: this.#pick(["", "!!!", "eJyrVg=="]) } })],
      ["100 KB of garbage (past node's header limit)", () => this.signed(op, body, { chat: { usersig: "x".repeat(100_000) } })],
      [
        "signed for another user",
        () =>
          this.signed(op, body, {
            chat: { usersig: genUserSig({ sdkAppId: CHAT.sdkAppId, key: CHAT.key, identifier: "mallory", expireSeconds: 86400, nowSeconds: now }) },
          }),
      ],
      [
        "a zlib bomb (8 MB inflated, 8 KB sent)",
        () =>
          this.signed(op, body, {
            chat: { usersig: this.#cached("zlib-bomb", () => Buffer.from(deflated(Buffer.alloc(8 * 1024 * 1024, "{")))).toString() },
          }),
      ],
      [
        "zlib of JSON that is not a UserSig",
        () =>
          this.signed(op, body, {
            chat: { usersig: deflated(this.#pick(["[]", '"s"', "null", '{"TLS.ver":"2.0","TLS.sdkappid":"x"}', '{"__proto__":{"polluted":1}}'])) },
          }),
      ],
      [
        "sdkappid abc, 1e3, 0, -1, 20 digits or empty",
        () => this.signed(op, body, { chat: { sdkappid: this.#pick(["abc", "1e3", "0", "-1", "99999999999999999999", ""]) } }),
      ],
      [
        "identifier empty, with a newline, or 5,000 characters",
        () => this.signed(op, body, { chat: { query: { identifier: this.#pick(["", "administrator\n", "x".repeat(5_000)]) } } }),
      ],
      ["an SDKAppID the mock does not know", () => this.signed(op, body, { chat: { sdkappid: "1400000001" } })],
      ["validly signed, issued a year ahead for 60 s", () => this.signed(op, body, { chat: { sigTime: now + 86400 * 365, sigExpire: 60 } })],
    ]);
  }
}

/** The Authorization of a TC3 request whose body is `bytes` (signTc3 takes text). */
function signedOver(bytes: Buffer, headers: Record<string, string>, secretKey: string, service: string): string {
  const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
  const timestamp = Number(headers["x-tc-timestamp"]);
  const scope = `${tc3Date(timestamp)}/${service}/tc3_request`;
  const canonical = `POST\n/\n\ncontent-type:${headers["content-type"]}\nhost:${headers["host"]}\n\ncontent-type;host\n${sha256(bytes)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const signature = createHmac("sha256", deriveTc3Keys(secretKey, tc3Date(timestamp), service).kSigning)
    .update(toSign)
    .digest("hex");
  return headers["authorization"]!.replace(/Signature=[0-9a-f]{64}$/, `Signature=${signature}`);
}

const escapeB64 = (b64: string) => b64.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");

// ── Connections ──────────────────────────────────────────────────────────────────────────────

interface Answer {
  status: number;
  body: string;
}

/** One keep-alive connection that sends a request, reads its whole answer, and reconnects when the server closes. */
class Connection {
  #socket: net.Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: { head: boolean; resolve: (a: Answer | string) => void } | undefined;
  #opened = 0;
  readonly port: number;
  reconnects = 0;

  constructor(port: number) {
    this.port = port;
  }

  #open(): net.Socket {
    const socket = net.connect(this.port, "127.0.0.1");
    socket.setNoDelay(true);
    if (this.#opened++) this.reconnects++;
    this.#buffer = Buffer.alloc(0);
    socket.on("data", (c: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, c]) : c;
      this.#tryParse();
    });
    socket.on("error", () => {});
    const gone = () => {
      if (this.#socket !== socket) return;
      this.#tryParse(true);
      this.#drop();
    };
    socket.on("end", gone);
    socket.on("close", gone);
    return socket;
  }

  #drop(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #tryParse(closed = false): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const split = this.#buffer.indexOf("\r\n\r\n");
    if (split >= 0) {
      const head = this.#buffer.subarray(0, split).toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      const bodyLength = waiting.head ? 0 : length ? Number(length[1]) : closed ? this.#buffer.length - split - 4 : -1;
      if (bodyLength >= 0 && this.#buffer.length >= split + 4 + bodyLength) {
        const body = this.#buffer.subarray(split + 4, split + 4 + bodyLength).toString("utf8");
        this.#buffer = this.#buffer.subarray(split + 4 + bodyLength);
        this.#waiting = undefined;
        // The server closes after this answer: the next request goes on a new connection.
        if (/\r\nconnection: *close/i.test(head)) this.#drop();
        return waiting.resolve({ status, body });
      }
    }
    if (closed) {
      this.#waiting = undefined;
      waiting.resolve(this.#buffer.length ? "closed mid-answer" : "closed without an answer");
    }
  }

  /** The answer, or why there is none. */
  send(request: RawRequest): Promise<Answer | string> {
    const socket = (this.#socket ??= this.#open());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        socket.destroy();
        resolve("no answer within 20 s");
      }, ANSWER_TIMEOUT_MS);
      this.#waiting = {
        head: request.head === true,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      };
      socket.write(request.bytes);
    });
  }

  /** Sends `bytes` in `pieces` parts `gapMs` apart (slowloris), then waits for the answer. */
  async trickle(bytes: Buffer, pieces: number, gapMs: number): Promise<Answer | string> {
    const size = Math.ceil(bytes.length / pieces);
    const answer = this.send({ category: "slowloris", variant: "trickled", bytes: bytes.subarray(0, size) });
    for (let at = size; at < bytes.length; at += size) {
      await sleep(gapMs);
      this.#socket?.write(bytes.subarray(at, at + size));
    }
    return answer;
  }

  close(): void {
    this.#socket?.destroy();
  }
}

/** What an answer outside the envelope looks like, for the report. */
function shapeOf(body: string): string {
  let b: unknown;
  try {
    b = JSON.parse(body);
  } catch {
    return `not JSON: ${JSON.stringify(body.slice(0, 60))}`;
  }
  if (typeof b !== "object" || b === null || Array.isArray(b)) return `JSON but not an object: ${body.slice(0, 60)}`;
  const o = b as Record<string, unknown>;
  if (o["ActionStatus"] === "OK" && o["ErrorCode"] === 0 && !("Response" in o)) {
    const beside = Object.keys(o).filter((k) => !["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"].includes(k));
    return `a Chat OK answer without a Response object${beside.length ? ` (payload beside: ${beside.join(", ")})` : " (nothing beside)"}`;
  }
  return `keys ${Object.keys(o).slice(0, 6).join(", ")}`;
}

/** The protocol error code of an envelope (null for a success), or undefined outside the envelope. */
function codeOf(body: string): string | undefined {
  if (!isEnvelope(body)) return undefined;
  const b = JSON.parse(body) as { Response?: { Error?: { Code: string } }; ErrorCode?: number };
  if (b.Response && "RequestId" in b.Response) return b.Response.Error?.Code ?? "success";
  return b.ErrorCode === 0 ? "success" : String(b.ErrorCode);
}

// ── Slowloris ────────────────────────────────────────────────────────────────────────────────

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SlowlorisResult {
  /** A valid request sent in pieces over about 2 s: answered how. */
  trickled: Map<string, number>;
  /** Half a head, or a head and part of the declared body, then nothing for `stallMs`: what the server did meanwhile. */
  stalled: Map<string, number>;
  stallMs: number;
}

async function slowloris(port: number, maker: RequestMaker, ops: Operation[], sockets: number, stallMs: number): Promise<SlowlorisResult> {
  const trickled = new Map<string, number>();
  const stalled = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const trickle = async (i: number) => {
    const bytes = maker.signed(ops[i % ops.length]!, JSON.stringify(ops[i % ops.length]!.example));
    const conn = new Connection(port);
    const a = await conn.trickle(bytes, 25, 80);
    conn.close();
    bump(trickled, typeof a === "string" ? a : `${a.status} ${codeOf(a.body) ?? "outside the envelope"}`);
  };
  const stall = async (i: number) => {
    const op = ops[i % ops.length]!;
    const bytes = maker.signed(op, JSON.stringify({ ...op.example, Pad: "p".repeat(2000) }));
    const split = bytes.indexOf("\r\n\r\n");
    const partial = i % 2 ? bytes.subarray(0, Math.floor(split / 2)) : bytes.subarray(0, split + 4 + 10);
    const kind = i % 2 ? "half a head" : "head and 10 body bytes";
    const socket = net.connect(port, "127.0.0.1");
    let got = "";
    let closedByServer = false;
    socket.on("data", (c: Buffer) => (got += c.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => (closedByServer = true));
    socket.write(partial);
    await sleep(stallMs);
    const outcome = got
      ? `answered: ${/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? "?"}`
      : closedByServer
        ? "closed by the server"
        : "still open, no answer";
    socket.destroy();
    bump(stalled, `${kind}: ${outcome}`);
  };
  await Promise.all([...Array.from({ length: sockets }, (_, i) => trickle(i)), ...Array.from({ length: sockets }, (_, i) => stall(i))]);
  return { trickled, stalled, stallMs };
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────

/** The categories and their weights; the two 10 MB ones are counted in absolute numbers. */
const WEIGHTS: Array<[string, number]> = [
  ["valid", 5],
  ["malformed JSON", 12],
  ["wrong types", 14],
  ["invalid UTF-8", 10],
  ["bad TC3 signature", 12],
  ["bad UserSig", 12],
  ["unknown action or command", 10],
  ["prototype-pollution keys", 12],
  ["odd method or framing", 8],
];
const BIG = ["body over the limit (11 MB)", "500k unknown keys (9.9 MB)"];

export interface CategoryCount {
  sent: number;
  /** By `status code` (code: the protocol's error code, "success", or "outside the envelope"). */
  answers: Map<string, number>;
  /** The same, by variant. */
  byVariant: Map<string, Map<string, number>>;
  outsideEnvelope: number;
  /** Closed without an answer, or no answer in time. */
  unanswered: Map<string, number>;
}

export interface HostileMockResult {
  services: number;
  operations: number;
  connections: number;
  requests: number;
  reconnects: number;
  seconds: number;
  categories: Map<string, CategoryCount>;
  /** Answers outside the envelope by what they look like. */
  outsideShapes: Map<string, number>;
  slowloris: SlowlorisResult;
  crashes: Server["crashes"];
  pollution: string[];
  before: ServerStats;
  after: ServerStats;
  afterGc: ServerStats;
}

export async function runHostileMock(
  options: { requests: number; connections: number; seed: number; slowloris: number; stallMs: number },
  progress: NodeJS.WritableStream,
): Promise<HostileMockResult> {
  const definitions = await loadDefinitions(path.join(ROOT, "generated"));
  const ops = operationsOf(definitions);
  const maker = new RequestMaker(ops, options.seed);
  const random = rng(options.seed + 1);
  // The schedule: the big ones spread evenly, the rest drawn by weight.
  const big = Math.max(2, Math.round(options.requests / 2000));
  const total = options.requests;
  const bigAt = new Map<number, string>();
  for (let i = 0; i < big * BIG.length; i++) bigAt.set(Math.floor(((i + 0.5) * total) / (big * BIG.length)), BIG[i % BIG.length]!);
  const sum = WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const categoryAt = (i: number): string => {
    const b = bigAt.get(i);
    if (b) return b;
    let x = random() * sum;
    for (const [name, w] of WEIGHTS) if ((x -= w) < 0) return name;
    return WEIGHTS[0]![0];
  };

  progress.write(`  mock: starting the server (${definitions.length} services, ${ops.length} operations)…\n`);
  const server = await startServer();
  const categories = new Map<string, CategoryCount>();
  const count = (c: string) => {
    let e = categories.get(c);
    if (!e) categories.set(c, (e = { sent: 0, answers: new Map(), byVariant: new Map(), outsideEnvelope: 0, unanswered: new Map() }));
    return e;
  };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const outsideShapes = new Map<string, number>();
  try {
    const before = await server.stats();
    progress.write(
      `  mock: ${total} hostile requests over ${options.connections} keep-alive connections, ${options.slowloris}+${options.slowloris} slowloris sockets beside them…\n`,
    );
    const start = process.hrtime.bigint();
    let next = 0;
    const connections = Array.from({ length: options.connections }, () => new Connection(server.port));
    const worker = async (conn: Connection) => {
      while (next < total) {
        const request = maker.make(categoryAt(next++));
        const c = count(request.category);
        c.sent++;
        const answer = await conn.send(request);
        if (!c.byVariant.has(request.variant)) c.byVariant.set(request.variant, new Map());
        if (typeof answer === "string") {
          bump(c.unanswered, answer);
          bump(c.byVariant.get(request.variant)!, answer);
        } else {
          const code = request.head ? (answer.status === 200 ? "(HEAD: no body)" : undefined) : codeOf(answer.body);
          if (code === undefined) {
            c.outsideEnvelope++;
            bump(outsideShapes, shapeOf(answer.body));
          }
          const key = `${answer.status} ${code ?? "outside the envelope"}`;
          bump(c.answers, key);
          bump(c.byVariant.get(request.variant)!, key);
        }
      }
    };
    const [, slow] = await Promise.all([
      Promise.all(connections.map(worker)),
      sleep(500).then(() => slowloris(server.port, maker, ops, options.slowloris, options.stallMs)),
    ]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    for (const c of connections) c.close();
    const after = await server.stats();
    const afterGc = await server.stats(true);
    return {
      services: definitions.length,
      operations: ops.length,
      connections: options.connections,
      requests: total,
      reconnects: connections.reduce((a, c) => a + c.reconnects, 0),
      seconds,
      categories,
      outsideShapes,
      slowloris: slow,
      crashes: server.crashes,
      pollution: afterGc.pollution,
      before,
      after,
      afterGc,
    };
  } finally {
    await server.stop();
  }
}

if (process.argv.includes("--serve") && process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  serve().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
