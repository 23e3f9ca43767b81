// TencentCloud API 3.0 signing (TC3-HMAC-SHA256), for clients and for the mock server.
// Signs exactly what tencentcloud-sdk-nodejs signs: content-type and host (no port) plus the body hash;
// the X-TC-* headers are sent but not signed, so the Authorization is byte-identical to the SDK's.
// node:crypto is loaded on first use, not on import: importing a client stays cheap.

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
export const TC3_DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";
/** The server refuses a request whose X-TC-Timestamp is more than five minutes off. */
export const TC3_MAX_SKEW_SECONDS = 300;

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
  /** Reuses the derived signing key while SecretKey, date and service stay the same (a server's hot path). */
  keyCache?: Tc3KeyCache | undefined;
}

export type Tc3VerifyResult =
  { ok: true; secretId: string; service: string; date: string } | { ok: false; code: Tc3FailureCode; message: string };

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

let cryptoModule: typeof import("node:crypto") | undefined;
/** node:crypto, loaded on first use. */
const nodeCrypto = (): typeof import("node:crypto") => (cryptoModule ??= process.getBuiltinModule("node:crypto"));

// The one-shot `hash` (Node 20.12+) is several times faster than a Hash object for short inputs.
const sha256Hex = (data: string): string => {
  const crypto = nodeCrypto();
  return typeof crypto.hash === "function"
    ? crypto.hash("sha256", data, "hex")
    : crypto.createHash("sha256").update(data, "utf8").digest("hex");
};
const hmac = (key: string | Buffer, data: string): Buffer =>
  nodeCrypto().createHmac("sha256", key).update(data, "utf8").digest();

// Latest timestamp whose UTC date still has a four-digit year.
const MAX_TIMESTAMP = 253402300799;
// No header value may carry control characters (CR/LF would split the header).
const CONTROL = /[\u0000-\u001f\u007f]/;
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
 * kSigning for the last secret key, UTC date and service it was asked for: a client signing many
 * requests computes one HMAC per request instead of four. One entry, so it stays bounded; the key
 * and the derived key live in private fields (util.inspect and JSON.stringify show neither).
 */
export class Tc3KeyCache {
  #secretKey: string | undefined;
  #date = "";
  #service = "";
  #kSigning: Buffer | undefined;

  /** kSigning for these inputs, derived again only when one of them changed. */
  signingKey(secretKey: string, date: string, service: string): Buffer {
    const stale = secretKey !== this.#secretKey || date !== this.#date || service !== this.#service;
    if (this.#kSigning === undefined || stale) {
      this.#kSigning = deriveTc3Keys(secretKey, date, service).kSigning;
      this.#secretKey = secretKey;
      this.#date = date;
      this.#service = service;
    }
    return this.#kSigning;
  }

  /** Forgets the cached key. */
  clear(): void {
    this.#kSigning = undefined;
    this.#secretKey = undefined;
  }
}

function canonicalRequest(method: string, headerLines: string, signedHeaders: string, payload: string): string {
  return `${method}\n/\n\n${headerLines}\n${signedHeaders}\n${sha256Hex(payload)}`;
}

function stringToSign(timestamp: number, credentialScope: string, canonical: string): string {
  return `${TC3_ALGORITHM}\n${timestamp}\n${credentialScope}\n${sha256Hex(canonical)}`;
}

function assertHeaderValue(name: string, value: string): void {
  if (value === "" || CONTROL.test(value))
    throw new TypeError(`signTc3: ${name} must be non-empty, without control characters`);
}

/** Signs a POST request to a TencentCloud API 3.0 endpoint. Throws TypeError/RangeError on unusable input. */
export function signTc3(input: Tc3SignInput): Tc3Signature {
  const { secretId, secretKey, service, action, version, timestamp, payload } = input;
  const contentType = input.contentType ?? TC3_DEFAULT_CONTENT_TYPE;
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

  const date = tc3Date(timestamp);
  const credentialScope = `${date}/${service}/tc3_request`;
  const signedHeaders = "content-type;host";
  const canonical = canonicalRequest("POST", `content-type:${contentType}\nhost:${hostname}\n`, signedHeaders, payload);
  const toSign = stringToSign(timestamp, credentialScope, canonical);
  const kSigning = input.keyCache
    ? input.keyCache.signingKey(secretKey, date, service)
    : deriveTc3Keys(secretKey, date, service).kSigning;
  const signature = nodeCrypto().createHmac("sha256", kSigning).update(toSign, "utf8").digest("hex");
  const authorization = `${TC3_ALGORITHM} Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

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

function equalSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  const { createHash, timingSafeEqual } = nodeCrypto();
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/**
 * Checks a TC3-signed request the way the API gateway does, for the mock server. The service comes
 * from the credential scope, the host from the Host header without its port, and the signed headers
 * from the Authorization header. Messages never repeat the key, the expected signature or the token.
 */
export function verifyTc3(
  request: Tc3VerifyRequest,
  lookup: (secretId: string) => Tc3Credential | undefined,
  options: Tc3VerifyOptions,
): Tc3VerifyResult {
  const invalid = (why: string) => fail("AuthFailure.InvalidAuthorization", `Authorization is invalid: ${why}.`);
  const header = (name: string): string | undefined => request.headers[name];

  if (request.method.toUpperCase() !== "POST") return invalid("only POST requests can be verified");
  const raw = header("authorization");
  if (raw === undefined || raw === "") return invalid("the Authorization header is missing");
  const auth = parseTc3Authorization(raw.trim());
  if (!auth) return invalid("the Authorization header is not in the TC3-HMAC-SHA256 format");

  const tsText = header("x-tc-timestamp")?.trim();
  if (tsText === undefined || !/^\d{1,12}$/.test(tsText))
    return invalid("X-TC-Timestamp is missing or not Unix seconds");
  const timestamp = Number(tsText);
  if (timestamp > MAX_TIMESTAMP) return invalid("X-TC-Timestamp is out of range");
  if (tc3Date(timestamp) !== auth.date)
    return invalid("the credential scope date is not the UTC date of X-TC-Timestamp");
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    return invalid(`the credential scope names service "${auth.service}", expected "${options.expectedService}"`);
  }

  const names = auth.signedHeaders;
  if (!names.includes("content-type") || !names.includes("host"))
    return invalid("SignedHeaders must include content-type and host");
  for (let i = 1; i < names.length; i++) {
    if ((names[i - 1] ?? "") >= (names[i] ?? "")) return invalid("SignedHeaders must be sorted and unique");
  }
  // The SDK signs values as sent; the documentation lower-cases them. Either is accepted.
  const values: string[] = [];
  for (const name of names) {
    const value = header(name);
    if (value === undefined) return invalid(`the signed header ${name} is missing`);
    if (name === "host") {
      const host = tc3SignedHost(value);
      if (host === undefined) return invalid("the Host header is not a host");
      values.push(host);
    } else {
      values.push(value.trim());
    }
  }

  const maxSkew = options.maxSkewSeconds ?? TC3_MAX_SKEW_SECONDS;
  if (Math.abs(options.nowSeconds - timestamp) > maxSkew) {
    return fail(
      "AuthFailure.SignatureExpire",
      `The signature expired: X-TC-Timestamp is more than ${maxSkew} seconds from the server time.`,
    );
  }

  const credential = lookup(auth.secretId);
  if (!credential)
    return fail("AuthFailure.SecretIdNotFound", "The SecretId was not found; check that it is correct and enabled.");

  const kSigning = options.keyCache
    ? options.keyCache.signingKey(credential.secretKey, auth.date, auth.service)
    : deriveTc3Keys(credential.secretKey, auth.date, auth.service).kSigning;
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const given = Buffer.from(auth.signature, "hex");
  const forms = new Set(
    [values, values.map((v) => v.toLowerCase())].map((vs) => vs.map((v, i) => `${names[i]}:${v}\n`).join("")),
  );
  let matched = false;
  for (const lines of forms) {
    const canonical = canonicalRequest("POST", lines, names.join(";"), request.body);
    const expected = hmac(kSigning, stringToSign(timestamp, scope, canonical));
    // Non-short-circuit OR: every form is computed and compared in constant time.
    matched = nodeCrypto().timingSafeEqual(expected, given) || matched;
  }
  if (!matched) {
    return fail(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  }

  const token = header("x-tc-token");
  const wanted = credential.token;
  if (wanted === undefined ? token !== undefined && token !== "" : token === undefined || !equalSecret(token, wanted)) {
    return fail("AuthFailure.TokenFailure", "The session token (X-TC-Token) does not match the credentials.");
  }
  return { ok: true, secretId: auth.secretId, service: auth.service, date: auth.date };
}
