// TencentCloud API 3.0 signing (TC3-HMAC-SHA256), for clients and for the mock server.
// Signs exactly what tencentcloud-sdk-nodejs signs: content-type and host (no port) plus the body hash;
// the X-TC-* headers are sent but not signed, so the Authorization is byte-identical to the SDK's.
// node:crypto is loaded on first use, not on import: importing a client stays cheap. Where there is
// none (a Cloudflare worker), signTc3Async signs with Web Crypto: the same Authorization, asynchronously.

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
export const TC3_DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";
/** The server refuses a request whose X-TC-Timestamp is more than five minutes off. */
export const TC3_MAX_SKEW_SECONDS = 300;

import { hmacSha256Web, importHmacKey, nodeBuiltin, sha256HexWeb, toHex, utf8, type HmacKey } from "../../shared/platform.js";

export interface Tc3SignInput {
  secretId: string;
  secretKey: string;
  /** The credential-scope service from the spec (`lcic`, `trtc`); never derived from the host. */
  service: string;
  /** The Host header, optionally with a port; the signature covers the hostname only. */
  host: string;
  action: string;
  version: string;
  region?: string | undefined;
  /** Unix seconds. */
  timestamp: number;
  /** The exact request body. */
  payload: string;
  /** Session token of temporary credentials, sent as X-TC-Token. */
  token?: string | undefined;
  language?: string | undefined;
  contentType?: string | undefined;
  /** Reuse the signing key across requests (a client passes its own cache); the Authorization is the same. */
  keyCache?: Tc3KeyCache | undefined;
}

export interface Tc3Signature {
  authorization: string;
  /** Every header to send, Authorization included. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  credentialScope: string;
}

export interface Tc3Keys {
  kDate: Buffer;
  kService: Buffer;
  kSigning: Buffer;
}

export type Tc3FailureCode =
  | "AuthFailure.InvalidAuthorization"
  | "AuthFailure.SecretIdNotFound"
  | "AuthFailure.SignatureExpire"
  | "AuthFailure.SignatureFailure"
  | "AuthFailure.TokenFailure";

export interface Tc3VerifyRequest {
  method: string;
  /** Header names in lower case, as Node's IncomingMessage gives them. */
  headers: Record<string, string | undefined>;
  body: string;
  /** The body's bytes as received; when given, they are what is hashed (the service hashes bytes, not decoded text). */
  bytes?: Uint8Array | undefined;
}

export interface Tc3Credential {
  secretKey: string;
  token?: string | undefined;
}

export interface Tc3VerifyOptions {
  nowSeconds: number;
  maxSkewSeconds?: number | undefined;
  /** When set, a credential scope naming another service is refused. */
  expectedService?: string | undefined;
  /** Reuses the derived signing key while SecretKey, date and service stay the same (a server's hot path; a server may keep one per service). */
  keyCache?: Pick<Tc3KeyCache, "signer"> | undefined;
}

export type Tc3VerifyResult = { ok: true; secretId: string; service: string; date: string } | { ok: false; code: Tc3FailureCode; message: string };

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

let cryptoModule: typeof import("node:crypto") | undefined;
/** node:crypto, loaded on first use; a TypeError where the runtime has none (signTc3Async works there). */
const nodeCrypto = (): typeof import("node:crypto") => {
  const found = (cryptoModule ??= nodeBuiltin<typeof import("node:crypto")>("node:crypto"));
  if (found === undefined) throw new TypeError("TC3 signing needs node:crypto here; without it (a worker) use signTc3Async, which uses Web Crypto");
  return found;
};

/** Whether signTc3 (synchronous, node:crypto) works in this runtime; else signTc3Async signs with Web Crypto. */
export const tc3SignsSynchronously = (): boolean => (cryptoModule ??= nodeBuiltin<typeof import("node:crypto")>("node:crypto")) !== undefined;

// The one-shot `hash` (Node 20.12+) is several times faster than a Hash object for short inputs.
const sha256Hex = (data: string | Uint8Array): string => {
  const crypto = nodeCrypto();
  return typeof crypto.hash === "function"
    ? crypto.hash("sha256", data, "hex")
    : typeof data === "string"
      ? crypto.createHash("sha256").update(data, "utf8").digest("hex")
      : crypto.createHash("sha256").update(data).digest("hex");
};
const hmac = (key: string | Buffer, data: string): Buffer => nodeCrypto().createHmac("sha256", key).update(data, "utf8").digest();

// Latest timestamp whose UTC date still has a four-digit year.
const MAX_TIMESTAMP = 253402300799;
// No header value may carry control characters (CR/LF would split the header).
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex -- matching control characters is the point
// A credential-scope part cannot contain the separators of the Authorization header.
const SCOPE_PART = /^[^\s/,=;]+$/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/;

// The last date and signed host computed: a client asks for the same ones on every request.
let lastDay = NaN;
let lastDate = "";
let lastHost: string | undefined;
let lastSignedHost: string | undefined;

/** The UTC `YYYY-MM-DD` of a Unix timestamp, as the credential scope needs it. */
export function tc3Date(timestamp: number): string {
  // Only whole seconds are remembered; anything else (and a RangeError for a timestamp that is no date) as before.
  if (!Number.isSafeInteger(timestamp)) return new Date(timestamp * 1000).toISOString().slice(0, 10);
  const day = Math.floor(timestamp / 86400);
  if (day !== lastDay) {
    lastDate = new Date(timestamp * 1000).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDate;
}

/** The host as signed: lower-cased, without its port (the SDK signs `URL.hostname`). */
export function tc3SignedHost(host: string): string | undefined {
  if (host === lastHost) return lastSignedHost;
  const m = HOST.exec(host.trim());
  const signed = m?.[1]?.toLowerCase();
  lastHost = host;
  lastSignedHost = signed;
  return signed;
}

/** kDate, kService and kSigning for a secret key, date and service. */
export function deriveTc3Keys(secretKey: string, date: string, service: string): Tc3Keys {
  const kDate = hmac("TC3" + secretKey, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  return { kDate, kService, kSigning };
}

/**
 * HMAC-SHA256 under one key, computed as RFC 2104 defines it from two one-shot SHA-256 hashes over
 * kept pad blocks: about half the cost of a Hmac object per message, which is what a server
 * checking every request, or a client signing every call, pays. Messages beyond the kept block
 * (and Node versions without `crypto.hash`) go through `createHmac`. Not reentrant, which
 * synchronous JavaScript never needs; the key lives in private fields.
 */
export class HmacSha256Key {
  readonly #key: Buffer;
  /** key ⊕ ipad, then room for a message of up to MESSAGE_ROOM bytes. */
  readonly #inner: Buffer;
  /** key ⊕ opad, then the inner hash. */
  readonly #outer: Buffer;

  constructor(key: Buffer) {
    const block = key.length > 64 ? nodeCrypto().createHash("sha256").update(key).digest() : key;
    this.#key = Buffer.from(key);
    this.#inner = Buffer.alloc(64 + MESSAGE_ROOM);
    this.#outer = Buffer.alloc(64 + 32);
    for (let i = 0; i < 64; i++) {
      const k = block[i] ?? 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
  }

  /** HMAC-SHA256 of the UTF-8 message, as lower-case hex. */
  hex(message: string): string {
    const crypto = nodeCrypto();
    // Three bytes per UTF-16 unit bound the UTF-8 length, so a message that passes always fits.
    if (typeof crypto.hash !== "function" || message.length * 3 > MESSAGE_ROOM) {
      return crypto.createHmac("sha256", this.#key).update(message, "utf8").digest("hex");
    }
    const n = this.#inner.write(message, 64, "utf8");
    const inner = crypto.hash("sha256", this.#inner.subarray(0, 64 + n), "binary");
    this.#outer.write(inner, 64, "latin1");
    return crypto.hash("sha256", this.#outer, "hex");
  }
}

// A TC3 string to sign is about 130 bytes.
const MESSAGE_ROOM = 1024;

/**
 * kSigning for the last secret key, UTC date and service it was asked for: a client signing many
 * requests computes one HMAC per request instead of four. One entry, so it stays bounded; the key
 * and the derived key live in private fields (util.inspect and JSON.stringify show neither).
 */
export class Tc3KeyCache {
  #secretKey: string | undefined;
  #date = "";
  #service = "";
  #kSigning: Buffer | undefined;
  #hmac: HmacSha256Key | undefined;

  /** kSigning for these inputs, derived again only when one of them changed. */
  signingKey(secretKey: string, date: string, service: string): Buffer {
    const stale = secretKey !== this.#secretKey || date !== this.#date || service !== this.#service;
    if (this.#kSigning === undefined || stale) {
      this.#kSigning = deriveTc3Keys(secretKey, date, service).kSigning;
      this.#hmac = undefined;
      this.#secretKey = secretKey;
      this.#date = date;
      this.#service = service;
    }
    return this.#kSigning;
  }

  /** kSigning as an HMAC key, for signing strings to sign. */
  signer(secretKey: string, date: string, service: string): HmacSha256Key {
    const kSigning = this.signingKey(secretKey, date, service);
    return (this.#hmac ??= new HmacSha256Key(kSigning));
  }

  /** Forgets the cached key. */
  clear(): void {
    this.#kSigning = undefined;
    this.#hmac = undefined;
    this.#secretKey = undefined;
    webKeys.delete(this);
  }
}

/**
 * Web Crypto's kSigning per key cache, for signTc3Async where there is no node:crypto: kept here, not
 * in the class, so that code signing with node:crypto only (the runtime's Node build) bundles none of it.
 */
const webKeys = /* @__PURE__ */ new WeakMap<Tc3KeyCache, { secretKey: string; date: string; service: string; key: Promise<HmacKey> }>();

/** kSigning as a Web Crypto HMAC key, derived again only when an input changed. */
function webSigningKey(cache: Tc3KeyCache, secretKey: string, date: string, service: string): Promise<HmacKey> {
  const web = webKeys.get(cache);
  if (web !== undefined && web.secretKey === secretKey && web.date === date && web.service === service) return web.key;
  const key = deriveTc3SigningKeyWeb(secretKey, date, service);
  webKeys.set(cache, { secretKey, date, service, key });
  // A failed derivation is not kept.
  key.catch(() => {
    if (webKeys.get(cache)?.key === key) webKeys.delete(cache);
  });
  return key;
}

function canonicalRequest(method: string, headerLines: string, signedHeaders: string, payload: string): string {
  return `${method}\n/\n\n${headerLines}\n${signedHeaders}\n${sha256Hex(payload)}`;
}

function stringToSign(timestamp: number, credentialScope: string, canonical: string): string {
  return `${TC3_ALGORITHM}\n${timestamp}\n${credentialScope}\n${sha256Hex(canonical)}`;
}

function assertHeaderValue(name: string, value: string): void {
  if (value === "" || CONTROL.test(value)) throw new TypeError(`signTc3: ${name} must be non-empty, without control characters`);
}

/** The signed host of a usable input; throws TypeError/RangeError on unusable input. */
function checkTc3Input(input: Tc3SignInput, contentType: string): string {
  const { secretId, secretKey, service, action, version, timestamp } = input;
  if (!SCOPE_PART.test(secretId)) throw new TypeError("signTc3: secretId is empty or contains separators");
  if (!SCOPE_PART.test(service)) throw new TypeError("signTc3: service is empty or contains separators");
  if (secretKey === "") throw new TypeError("signTc3: secretKey is empty");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new RangeError(`signTc3: timestamp must be whole Unix seconds, got ${timestamp}`);
  }
  const hostname = tc3SignedHost(input.host);
  if (hostname === undefined) throw new TypeError(`signTc3: not a host: ${JSON.stringify(input.host)}`);
  assertHeaderValue("action", action);
  assertHeaderValue("version", version);
  assertHeaderValue("contentType", contentType);
  for (const [name, value] of [
    ["region", input.region],
    ["token", input.token],
    ["language", input.language],
  ] as const) {
    if (value !== undefined) assertHeaderValue(name, value);
  }
  return hostname;
}

const SIGNED_HEADERS = "content-type;host";

/** Signs a POST request to a TencentCloud API 3.0 endpoint. Throws TypeError/RangeError on unusable input. */
export function signTc3(input: Tc3SignInput): Tc3Signature {
  const { contentType, canonical, toSign, signature, credentialScope } = signedParts(input);
  return tc3Signature(input, contentType, canonical, toSign, signature, credentialScope);
}

/**
 * signTc3's `authorization` and `signature` alone: what a client sends (it writes its own headers),
 * without the header object and texts signTc3 also returns. Throws as signTc3 does.
 */
export function signTc3Authorization(input: Tc3SignInput): Pick<Tc3Signature, "authorization" | "signature"> {
  const { signature, credentialScope } = signedParts(input);
  return { authorization: tc3AuthorizationHeader(input.secretId, credentialScope, signature), signature };
}

function signedParts(input: Tc3SignInput): { contentType: string; canonical: string; toSign: string; signature: string; credentialScope: string } {
  const { secretKey, service, timestamp, payload } = input;
  const contentType = input.contentType ?? TC3_DEFAULT_CONTENT_TYPE;
  const hostname = checkTc3Input(input, contentType);
  const date = tc3Date(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const canonical = canonicalRequest("POST", `content-type:${contentType}\nhost:${hostname}\n`, SIGNED_HEADERS, payload);
  const toSign = stringToSign(timestamp, credentialScope, canonical);
  const signature = input.keyCache
    ? input.keyCache.signer(secretKey, date, service).hex(toSign)
    : nodeCrypto()
        .createHmac("sha256", deriveTc3Keys(secretKey, date, service).kSigning)
        .update(toSign, "utf8")
        .digest("hex");
  return { contentType, canonical, toSign, signature, credentialScope };
}

const tc3AuthorizationHeader = (secretId: string, credentialScope: string, signature: string): string =>
  `${TC3_ALGORITHM} Credential=${secretId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;

/**
 * signTc3 in any runtime: node:crypto where there is one (synchronous underneath), else Web Crypto
 * (a Cloudflare worker). The same Authorization either way. Rejects with TypeError/RangeError on unusable input.
 */
export async function signTc3Async(input: Tc3SignInput): Promise<Tc3Signature> {
  if (tc3SignsSynchronously()) return signTc3(input);
  const { secretKey, service, timestamp, payload } = input;
  const contentType = input.contentType ?? TC3_DEFAULT_CONTENT_TYPE;
  const hostname = checkTc3Input(input, contentType);
  const date = tc3Date(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${hostname}\n\n${SIGNED_HEADERS}\n${await sha256HexWeb(payload)}`;
  const toSign = `${TC3_ALGORITHM}\n${timestamp}\n${credentialScope}\n${await sha256HexWeb(canonical)}`;
  const key = input.keyCache ? webSigningKey(input.keyCache, secretKey, date, service) : deriveTc3SigningKeyWeb(secretKey, date, service);
  const signature = toHex(await hmacSha256Web(await key, toSign));
  return tc3Signature(input, contentType, canonical, toSign, signature, credentialScope);
}

/** kSigning as a Web Crypto HMAC key: kDate, kService and kSigning derived with Web Crypto. */
async function deriveTc3SigningKeyWeb(secretKey: string, date: string, service: string): Promise<HmacKey> {
  const kDate = await hmacSha256Web(utf8("TC3" + secretKey), date);
  const kService = await hmacSha256Web(kDate, service);
  const kSigning = await hmacSha256Web(kService, "tc3_request");
  return importHmacKey(kSigning);
}

function tc3Signature(
  input: Tc3SignInput,
  contentType: string,
  canonical: string,
  toSign: string,
  signature: string,
  credentialScope: string,
): Tc3Signature {
  const { secretId, action, version, timestamp } = input;
  const authorization = tc3AuthorizationHeader(secretId, credentialScope, signature);
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    Host: input.host,
    "X-TC-Action": action,
    "X-TC-Version": version,
    "X-TC-Timestamp": String(timestamp),
  };
  if (input.region !== undefined) headers["X-TC-Region"] = input.region;
  if (input.token !== undefined) headers["X-TC-Token"] = input.token;
  if (input.language !== undefined) headers["X-TC-Language"] = input.language;
  headers["Authorization"] = authorization;

  return { authorization, headers, canonicalRequest: canonical, stringToSign: toSign, signature, credentialScope };
}

// The exact form the SDKs and the documentation produce; anything else is refused.
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^\s/,=;]+)\/(\d{4}-\d{2}-\d{2})\/([^\s/,=;]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Parses a TC3 Authorization header; undefined when it is not one. */
export function parseTc3Authorization(header: string): Tc3Authorization | undefined {
  const m = AUTHORIZATION.exec(header);
  if (!m) return undefined;
  const [, secretId, date, service, signed, signature] = m;
  if (secretId === undefined || date === undefined || service === undefined || signed === undefined) return undefined;
  if (signature === undefined) return undefined;
  return { secretId, date, service, signedHeaders: signed.split(";"), signature };
}

const fail = (code: Tc3FailureCode, message: string): Tc3VerifyResult => ({ ok: false, code, message });
const invalid = (why: string): Tc3VerifyResult => fail("AuthFailure.InvalidAuthorization", `Authorization is invalid: ${why}.`);
const TIMESTAMP = /^\d{1,12}$/;
const STANDARD_SIGNED_TEXT = "content-type;host";
const STANDARD_SIGNED: readonly string[] = ["content-type", "host"];

function equalSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  const { createHash, timingSafeEqual } = nodeCrypto();
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** Constant-time equality of two lower-case hex signatures of the same length. */
function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function expectedSignature(
  signer: HmacSha256Key,
  timestamp: number,
  scope: string,
  headerLines: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  const canonical = `POST\n/\n\n${headerLines}\n${signedHeaders}\n${payloadHash}`;
  return signer.hex(stringToSign(timestamp, scope, canonical));
}

/**
 * Checks a TC3-signed request the way the API gateway does, for the mock server. The service comes
 * from the credential scope, the host from the Host header without its port, and the signed headers
 * from the Authorization header. Messages never repeat the key, the expected signature or the token.
 * A server's hot path: no closures, and the second canonical form only when it differs.
 */
export function verifyTc3(
  request: Tc3VerifyRequest,
  lookup: (secretId: string) => Tc3Credential | undefined,
  options: Tc3VerifyOptions,
): Tc3VerifyResult {
  const headers = request.headers;
  if (request.method !== "POST" && request.method.toUpperCase() !== "POST") return invalid("only POST requests can be verified");
  const raw = headers["authorization"];
  if (raw === undefined || raw === "") return invalid("the Authorization header is missing");
  // The match itself rather than parseTc3Authorization's object, and no split for the signed
  // headers every SDK sends.
  const m = AUTHORIZATION.exec(raw.trim());
  if (!m) return invalid("the Authorization header is not in the TC3-HMAC-SHA256 format");
  const [, secretId = "", date = "", service = "", signedText = "", signature = ""] = m;

  const tsText = headers["x-tc-timestamp"]?.trim();
  if (tsText === undefined || !TIMESTAMP.test(tsText)) return invalid("X-TC-Timestamp is missing or not Unix seconds");
  const timestamp = Number(tsText);
  if (timestamp > MAX_TIMESTAMP) return invalid("X-TC-Timestamp is out of range");
  if (tc3Date(timestamp) !== date) return invalid("the credential scope date is not the UTC date of X-TC-Timestamp");
  if (options.expectedService !== undefined && service !== options.expectedService) {
    return invalid(`the credential scope names service "${service}", expected "${options.expectedService}"`);
  }

  const names: readonly string[] = signedText === STANDARD_SIGNED_TEXT ? STANDARD_SIGNED : signedText.split(";");
  if (!names.includes("content-type") || !names.includes("host")) return invalid("SignedHeaders must include content-type and host");
  // The SDK signs values as sent; the documentation lower-cases them. Either is accepted.
  let lines = "";
  let mixedCase = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (i > 0 && names[i - 1]! >= name) return invalid("SignedHeaders must be sorted and unique");
    // The names come from the client: only the request's own headers may answer (not "constructor").
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
    if (value === undefined) return invalid(`the signed header ${name} is missing`);
    let signed: string;
    if (name === "host") {
      const host = tc3SignedHost(value);
      if (host === undefined) return invalid("the Host header is not a host");
      signed = host;
    } else {
      signed = value.trim();
    }
    lines += `${name}:${signed}\n`;
    mixedCase ||= signed !== signed.toLowerCase();
  }
  const lowered = mixedCase ? lines.toLowerCase() : lines;

  const maxSkew = options.maxSkewSeconds ?? TC3_MAX_SKEW_SECONDS;
  if (Math.abs(options.nowSeconds - timestamp) > maxSkew) {
    return fail("AuthFailure.SignatureExpire", `The signature expired: X-TC-Timestamp is more than ${maxSkew} seconds from the server time.`);
  }

  const credential = lookup(secretId);
  if (!credential) return fail("AuthFailure.SecretIdNotFound", "The SecretId was not found; check that it is correct and enabled.");

  const signer = options.keyCache
    ? options.keyCache.signer(credential.secretKey, date, service)
    : new HmacSha256Key(deriveTc3Keys(credential.secretKey, date, service).kSigning);
  const scope = `${date}/${service}/tc3_request`;
  const signedHeaders = signedText;
  const payloadHash = sha256Hex(request.bytes ?? request.body);
  // Both forms are compared in constant time when they differ; a non-short-circuit OR.
  let matched = equalHex(expectedSignature(signer, timestamp, scope, lines, signedHeaders, payloadHash), signature);
  if (lowered !== lines) matched = equalHex(expectedSignature(signer, timestamp, scope, lowered, signedHeaders, payloadHash), signature) || matched;
  if (!matched) {
    return fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
  }

  const token = headers["x-tc-token"];
  const wanted = credential.token;
  if (wanted === undefined ? token !== undefined && token !== "" : token === undefined || !equalSecret(token, wanted)) {
    return fail("AuthFailure.TokenFailure", "The session token (X-TC-Token) does not match the credentials.");
  }
  return { ok: true, secretId: secretId, service: service, date: date };
}
