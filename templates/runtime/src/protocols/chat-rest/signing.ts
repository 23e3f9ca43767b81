// UserSig for the Chat REST API: the tls-sig-api-v2 algorithm (HMAC-SHA256 over a fixed text, a JSON
// document, zlib, base64 with `*-_` for `+/=`). Generation is byte-identical to tls-sig-api-v2 (Node);
// verification recomputes the HMAC from the parsed fields, so the Python and Go serialisations pass too.
// node:crypto and node:zlib are loaded on first use, not on import (a TC3 client never needs zlib).
// Where there are none (a Cloudflare worker), genUserSigAsync uses Web Crypto and CompressionStream:
// the same signed document, though another deflate may encode it in other bytes.

import { deflateWeb, hmacSha256Web, nodeBuiltin, toBase64, utf8 } from "../../shared/platform.js";
import { nowSource, type NowOption } from "../../validation/validation-core.js";

let cryptoModule: typeof import("node:crypto") | undefined;
let zlibModule: typeof import("node:zlib") | undefined;
/** A Node built-in the synchronous UserSig functions need; a TypeError naming the way out where there is none. */
function needed<T>(found: T | undefined, id: string): T {
  if (found === undefined)
    throw new TypeError(`UserSig: ${id} is missing in this runtime; genUserSigAsync works without it (Web Crypto, CompressionStream)`);
  return found;
}
const nodeCrypto = (): typeof import("node:crypto") => needed((cryptoModule ??= nodeBuiltin("node:crypto")), "node:crypto");
const nodeZlib = (): typeof import("node:zlib") => needed((zlibModule ??= nodeBuiltin("node:zlib")), "node:zlib");

/** Whether genUserSig (synchronous: node:crypto and node:zlib) works in this runtime. */
export const userSigSignsSynchronously = (): boolean =>
  (cryptoModule ??= nodeBuiltin("node:crypto")) !== undefined && (zlibModule ??= nodeBuiltin("node:zlib")) !== undefined;

export interface GenUserSigInput {
  sdkAppId: number;
  /** The application's secret key, used as UTF-8 text (not hex-decoded), as every official library does. */
  key: string;
  identifier: string;
  expireSeconds: number;
  /** Unix seconds; defaults to the current time. */
  nowSeconds?: number | undefined;
  /** Binary user data (PrivateMapKey); signed and embedded as base64. */
  userBuf?: Uint8Array | undefined;
}

export interface VerifyUserSigOptions {
  sdkAppId: number;
  key: string;
  identifier: string;
  nowSeconds: number;
}

/** Chat REST ErrorCodes for a refused UserSig. */
export type UserSigFailureCode =
  | 70001 // expired
  | 70003 // not a UserSig
  | 70009 // signed with another key
  | 70013 // issued for another identifier
  | 70014; // issued for another SdkAppId

export type VerifyUserSigResult = { ok: true; expiresAt: number } | { ok: false; code: UserSigFailureCode; message: string };

// An inflated UserSig is a few hundred bytes; the cap stops a compressed bomb.
const MAX_INFLATED_BYTES = 64 * 1024;

const escapeB64 = (b64: string): string => b64.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
const unescapeB64 = (s: string): string => s.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");

function hmacContent(identifier: string, sdkAppId: number, time: number, expire: number, userBuf?: string): string {
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userBuf !== undefined) content += `TLS.userbuf:${userBuf}\n`;
  return content;
}

const hmac = (key: string, content: string): Buffer => nodeCrypto().createHmac("sha256", key).update(content, "utf8").digest();

function assertWhole(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`UserSig: ${name} must be an integer >= ${min}, got ${value}`);
}

/** The time of a usable input; throws TypeError/RangeError on unusable input. */
function checkUserSigInput(input: GenUserSigInput): number {
  const { sdkAppId, key, identifier, expireSeconds } = input;
  const time = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  assertWhole("sdkAppId", sdkAppId, 1);
  assertWhole("expireSeconds", expireSeconds, 1);
  assertWhole("nowSeconds", time, 0);
  if (key === "") throw new TypeError("genUserSig: key is empty");
  // A newline would let the identifier forge the following lines of the signed text.
  if (identifier === "" || identifier.includes("\n")) throw new TypeError("genUserSig: identifier is empty or has a newline");
  return time;
}

/** The document a UserSig compresses, in tls-sig-api-v2's key order (byte-identity depends on it). */
function userSigDocument(input: GenUserSigInput, time: number, userBuf: string | undefined, sig: string): string {
  const { sdkAppId, identifier, expireSeconds } = input;
  const doc: Record<string, string | number> = {
    "TLS.ver": "2.0",
    "TLS.identifier": identifier,
    "TLS.sdkappid": sdkAppId,
    "TLS.time": time,
    "TLS.expire": expireSeconds,
  };
  if (userBuf !== undefined) doc["TLS.userbuf"] = userBuf;
  doc["TLS.sig"] = sig;
  return JSON.stringify(doc);
}

/**
 * genUserSig in any runtime: node:crypto and node:zlib where there are some (the same bytes as
 * tls-sig-api-v2), else Web Crypto and CompressionStream (a Cloudflare worker: the same signed
 * document; the deflate bytes may differ, which no verifier minds). Rejects on unusable input.
 */
export async function genUserSigAsync(input: GenUserSigInput): Promise<string> {
  if (userSigSignsSynchronously()) return genUserSig(input);
  const time = checkUserSigInput(input);
  const { sdkAppId, key, identifier, expireSeconds } = input;
  const userBuf = input.userBuf === undefined ? undefined : toBase64(input.userBuf);
  const sig = toBase64(await hmacSha256Web(utf8(key), hmacContent(identifier, sdkAppId, time, expireSeconds, userBuf)));
  return escapeB64(toBase64(await deflateWeb(utf8(userSigDocument(input, time, userBuf, sig)))));
}

/** A UserSig, byte-identical to tls-sig-api-v2's `genSig` for the same inputs and time. */
export function genUserSig(input: GenUserSigInput): string {
  const { sdkAppId, key, identifier, expireSeconds } = input;
  const time = checkUserSigInput(input);
  const userBuf = input.userBuf === undefined ? undefined : Buffer.from(input.userBuf).toString("base64");
  const sig = hmac(key, hmacContent(identifier, sdkAppId, time, expireSeconds, userBuf)).toString("base64");
  const deflated = nodeZlib().deflateSync(Buffer.from(userSigDocument(input, time, userBuf, sig), "utf8"));
  return escapeB64(deflated.toString("base64"));
}

interface ParsedUserSig {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
  userBuf: string | undefined;
  sig: string;
}

function parseUserSig(userSig: string): ParsedUserSig | string {
  if (!/^[A-Za-z0-9*_-]+$/.test(userSig)) return "it contains characters outside the UserSig alphabet";
  let doc: unknown;
  try {
    const inflated = nodeZlib().inflateSync(Buffer.from(unescapeB64(userSig), "base64"), {
      maxOutputLength: MAX_INFLATED_BYTES,
    });
    doc = JSON.parse(inflated.toString("utf8"));
  } catch {
    return "it does not decode to a zlib-compressed JSON document";
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "it is not a JSON object";
  const d = doc as Record<string, unknown>;
  const ver = d["TLS.ver"];
  const identifier = d["TLS.identifier"];
  const sdkAppId = d["TLS.sdkappid"];
  const time = d["TLS.time"];
  const expire = d["TLS.expire"];
  const userBuf = d["TLS.userbuf"];
  const sig = d["TLS.sig"];
  if (ver !== "2.0") return "TLS.ver is not 2.0";
  if (typeof identifier !== "string") return "TLS.identifier is missing";
  const whole = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!whole(sdkAppId) || !whole(time) || !whole(expire)) return "TLS.sdkappid, TLS.time or TLS.expire is not a whole number";
  // Go's encoder may write a missing userbuf as null.
  if (userBuf !== undefined && userBuf !== null && typeof userBuf !== "string") return "TLS.userbuf is not a string";
  if (typeof sig !== "string") return "TLS.sig is missing";
  return { identifier, sdkAppId, time, expire, userBuf: userBuf ?? undefined, sig };
}

/**
 * Checks a UserSig the way the Chat server does: decode, match SdkAppId and identifier, recompute the
 * HMAC from the parsed fields, then check expiry (`now > time + expire`). The HMAC is checked before
 * expiry so that only an authentic UserSig is ever reported as expired.
 */
export function verifyUserSig(userSig: string, options: VerifyUserSigOptions): VerifyUserSigResult {
  const parsed = parseUserSig(userSig);
  if (typeof parsed === "string") return { ok: false, code: 70003, message: `The UserSig is invalid: ${parsed}.` };
  if (parsed.sdkAppId !== options.sdkAppId) return SDKAPPID_MISMATCH;
  if (parsed.identifier !== options.identifier) return IDENTIFIER_MISMATCH;
  const content = hmacContent(parsed.identifier, parsed.sdkAppId, parsed.time, parsed.expire, parsed.userBuf);
  const expected = hmac(options.key, content);
  const given = Buffer.from(parsed.sig, "base64");
  if (given.length !== expected.length || !nodeCrypto().timingSafeEqual(given, expected)) {
    return {
      ok: false,
      code: 70009,
      message: "The UserSig verification failed: it was not signed with this application's key.",
    };
  }
  const expiresAt = parsed.time + parsed.expire;
  if (options.nowSeconds > expiresAt) return EXPIRED;
  return { ok: true, expiresAt };
}

// Frozen: handed to every caller alike.
const SDKAPPID_MISMATCH = Object.freeze<VerifyUserSigResult>({
  ok: false,
  code: 70014,
  message: "The SdkAppId in the UserSig does not match the request's sdkappid.",
});
const IDENTIFIER_MISMATCH = Object.freeze<VerifyUserSigResult>({
  ok: false,
  code: 70013,
  message: "The identifier in the UserSig does not match the request's identifier.",
});
const EXPIRED = Object.freeze<VerifyUserSigResult>({ ok: false, code: 70001, message: "The UserSig has expired." });

/** How many verified UserSigs a UserSigVerifier keeps (a few hundred bytes each). */
export const USERSIG_VERIFIED_CAPACITY = 4096;
// Longer ones (a large PrivateMapKey) are verified every time: the cache stays under ~8 MB.
const MAX_KEPT_LENGTH = 2048;

interface VerifiedUserSig {
  sdkAppId: number;
  identifier: string;
  /** The key it was verified with: a hit under another key is verified again. */
  key: string;
  expiresAt: number;
  /** Second-chance bit: set on a hit, cleared as the clock hand passes. */
  used: boolean;
}

/**
 * verifyUserSig with the authentic UserSigs remembered until they expire, keyed by their exact
 * text: a server sees the same UserSig on request after request, and decoding it (base64, inflate,
 * JSON, HMAC) is most of what authenticating costs. A hit still checks, in verifyUserSig's order,
 * the SdkAppId and identifier against the request's, and expiry against `nowSeconds`, so it
 * answers exactly what a fresh verification would. Only successes are kept, at most `capacity`
 * of them (second-chance eviction) and none longer than 2048 characters, so a flood of distinct
 * UserSigs cannot grow it.
 */
export class UserSigVerifier {
  readonly capacity: number;
  readonly #verified = new Map<string, VerifiedUserSig>();

  constructor(capacity = USERSIG_VERIFIED_CAPACITY) {
    assertWhole("capacity", capacity, 1);
    this.capacity = capacity;
  }

  /** UserSigs kept now. */
  get size(): number {
    return this.#verified.size;
  }

  /** Whether this UserSig is kept (verified, not yet found expired nor evicted). */
  has(userSig: string): boolean {
    return this.#verified.has(userSig);
  }

  verify(userSig: string, options: VerifyUserSigOptions): VerifyUserSigResult {
    const hit = this.#verified.get(userSig);
    if (hit !== undefined && hit.key === options.key) {
      if (hit.sdkAppId !== options.sdkAppId) return SDKAPPID_MISMATCH;
      if (hit.identifier !== options.identifier) return IDENTIFIER_MISMATCH;
      if (options.nowSeconds > hit.expiresAt) {
        this.#verified.delete(userSig);
        return EXPIRED;
      }
      hit.used = true;
      return { ok: true, expiresAt: hit.expiresAt };
    }
    const result = verifyUserSig(userSig, options);
    if (result.ok && userSig.length <= MAX_KEPT_LENGTH)
      this.#keep(userSig, { sdkAppId: options.sdkAppId, identifier: options.identifier, key: options.key, expiresAt: result.expiresAt, used: false });
    return result;
  }

  /** Forgets every kept UserSig. */
  clear(): void {
    this.#verified.clear();
  }

  #keep(userSig: string, entry: VerifiedUserSig): void {
    const kept = this.#verified;
    kept.delete(userSig);
    // The oldest entry goes unless it was used since it was last passed; then it moves to the back.
    for (let turns = kept.size; kept.size >= this.capacity && turns > 0; turns--) {
      const [oldest, value] = kept.entries().next().value!;
      kept.delete(oldest);
      if (value.used) {
        value.used = false;
        kept.set(oldest, value);
      }
    }
    if (kept.size >= this.capacity) kept.delete(kept.keys().next().value!);
    kept.set(userSig, entry);
  }
}

export interface UserSigCacheOptions {
  sdkAppId: number;
  key: string;
  identifier: string;
  /** Lifetime of each UserSig; default 86400 (one day). */
  expireSeconds?: number | undefined;
  /** Regenerate this long before expiry; default a tenth of the lifetime, at most an hour. */
  refreshBeforeSeconds?: number | undefined;
  /** Clock in milliseconds, or a fixed time as a number or Date; default Date.now. */
  now?: NowOption | undefined;
}

/**
 * One UserSig per (SdkAppId, identifier), reused until `refreshBeforeSeconds` before it expires.
 * The default lifetime is one day rather than the samples' 180: a UserSig travels in the query
 * string, where proxies and logs keep it, and a fresh one costs one HMAC and one deflate.
 */
export class UserSigCache {
  readonly expireSeconds: number;
  readonly refreshBeforeSeconds: number;
  readonly #sdkAppId: number;
  readonly #key: string;
  readonly #identifier: string;
  readonly #now: () => number;
  #current: { userSig: string; expiresAt: number } | undefined;

  constructor(options: UserSigCacheOptions) {
    this.expireSeconds = options.expireSeconds ?? 86400;
    this.refreshBeforeSeconds = options.refreshBeforeSeconds ?? Math.min(3600, Math.floor(this.expireSeconds / 10));
    assertWhole("expireSeconds", this.expireSeconds, 1);
    assertWhole("refreshBeforeSeconds", this.refreshBeforeSeconds, 0);
    if (this.refreshBeforeSeconds >= this.expireSeconds) {
      throw new RangeError("UserSigCache: refreshBeforeSeconds must be shorter than expireSeconds");
    }
    this.#sdkAppId = options.sdkAppId;
    this.#key = options.key;
    this.#identifier = options.identifier;
    this.#now = nowSource(options.now);
  }

  /** The cached UserSig, or a new one when the cached one is within `refreshBeforeSeconds` of expiry. */
  get(): string {
    const now = Math.floor(this.#now() / 1000);
    const current = this.#current;
    if (current !== undefined && now < current.expiresAt - this.refreshBeforeSeconds) return current.userSig;
    const userSig = genUserSig({
      sdkAppId: this.#sdkAppId,
      key: this.#key,
      identifier: this.#identifier,
      expireSeconds: this.expireSeconds,
      nowSeconds: now,
    });
    this.#current = { userSig, expiresAt: now + this.expireSeconds };
    return userSig;
  }

  /** `get()` in any runtime: with Web Crypto and CompressionStream where node:crypto or node:zlib is missing. */
  async getAsync(): Promise<string> {
    if (userSigSignsSynchronously()) return this.get();
    const now = Math.floor(this.#now() / 1000);
    const current = this.#current;
    if (current !== undefined && now < current.expiresAt - this.refreshBeforeSeconds) return current.userSig;
    const userSig = await genUserSigAsync({
      sdkAppId: this.#sdkAppId,
      key: this.#key,
      identifier: this.#identifier,
      expireSeconds: this.expireSeconds,
      nowSeconds: now,
    });
    this.#current = { userSig, expiresAt: now + this.expireSeconds };
    return userSig;
  }

  /** Drops the cached UserSig, e.g. after the server answered 70001 because of clock skew. */
  invalidate(): void {
    this.#current = undefined;
  }
}
