// What the runtime has: Node's built-in modules where there are any (Node, Bun, Deno), else the
// standard APIs every runtime has (Web Crypto, fetch, CompressionStream), as in a Cloudflare worker,
// which has no `process`. Nothing is imported statically: a built-in is loaded on first use.

interface NodeProcess {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (): NodeProcess | undefined => (globalThis as { process?: NodeProcess }).process;

/** `process.env` where there is one; an empty environment elsewhere (a worker). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return nodeProcess()?.env ?? {};
}

// Workers with `nodejs_compat` have a `process` and some node:* modules, but their node:http and
// node:crypto are partial ports: fetch and Web Crypto are the runtime's own.
const isWorkerd = (): boolean => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";

/** Whether Node's built-in modules can be loaded here (Node, Bun, Deno), without loading one. */
export function hasNodeBuiltins(): boolean {
  return typeof nodeProcess()?.getBuiltinModule === "function" && !isWorkerd();
}

const loaded = new Map<string, unknown>();

/** A Node built-in module (`node:crypto`), or undefined where the runtime has none. */
export function nodeBuiltin<T>(id: string): T | undefined {
  if (loaded.has(id)) return loaded.get(id) as T | undefined;
  let found: unknown;
  if (hasNodeBuiltins()) {
    try {
      found = nodeProcess()!.getBuiltinModule!(id);
    } catch {
      found = undefined;
    }
  }
  loaded.set(id, found);
  return found as T | undefined;
}

/** Web Crypto's type, whichever lib declares it (DOM's, or @types/node's without DOM). */
type WebCrypto = typeof globalThis.crypto;

/** The Web Crypto API; throws a TypeError naming what is missing where there is none. */
export function webCrypto(): WebCrypto {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto?.subtle === undefined) throw new TypeError("this runtime has neither node:crypto nor Web Crypto (crypto.subtle)");
  return crypto;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text);

/** Length in UTF-8 bytes (Buffer.byteLength where there is a Buffer: no copy). */
export function utf8Length(text: string): number {
  const buffer = (globalThis as { Buffer?: { byteLength(text: string, encoding: "utf8"): number } }).Buffer;
  return buffer ? buffer.byteLength(text, "utf8") : encoder.encode(text).byteLength;
}

// Pure: a bundle that never writes hex (an app bundling the transports lazily) drops it.
const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (let i = 0; i < view.length; i++) out += HEX[view[i]!]!;
  return out;
}

/** Standard base64 of bytes (btoa over a binary string: every runtime has it). */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = "";
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A raw key as a Web Crypto HMAC-SHA256 signing key. */
export function importHmacKey(key: Uint8Array<ArrayBuffer> | ArrayBuffer) {
  return webCrypto().subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** A Web Crypto HMAC-SHA256 key. */
export type HmacKey = Awaited<ReturnType<typeof importHmacKey>>;

/** HMAC-SHA256 with Web Crypto, under a raw key or an imported one. */
export async function hmacSha256Web(key: Uint8Array<ArrayBuffer> | ArrayBuffer | HmacKey, message: string): Promise<ArrayBuffer> {
  const imported = key instanceof ArrayBuffer || ArrayBuffer.isView(key) ? await importHmacKey(key) : key;
  return webCrypto().subtle.sign("HMAC", imported, utf8(message));
}

/** SHA-256 with Web Crypto, as lower-case hex. */
export async function sha256HexWeb(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await webCrypto().subtle.digest("SHA-256", typeof data === "string" ? utf8(data) : data));
}

/** zlib (RFC 1950) compression with the standard CompressionStream. */
export async function deflateWeb(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A uniformly random uint32: node:crypto's where there is one, else Web Crypto's. */
export function randomUint32(): number {
  const crypto = nodeBuiltin<typeof import("node:crypto")>("node:crypto");
  return crypto ? crypto.randomInt(0, 2 ** 32) : webCrypto().getRandomValues(new Uint32Array(1))[0]!;
}
