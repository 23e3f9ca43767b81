// Building signed requests for the mock (raw, for fetch, for a server) and reading its envelopes.
import { parseJson, stringifyJson } from "../../../templates/runtime/src/json.js";
import { MOCK_DEFAULT_CREDENTIALS, type MockHttpRequest, type MockHttpResponse } from "../../../templates/runtime/src/mock-server.js";
import { signTc3 } from "../../../templates/runtime/src/tc3-signing.js";
import { genUserSig } from "../../../templates/runtime/src/usersig.js";

export const TC3 = MOCK_DEFAULT_CREDENTIALS.tc3[0]!;
export const CHAT = MOCK_DEFAULT_CREDENTIALS.chat[0]!;
/** A fixed mock clock: 2026-01-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 15, 12);

export interface ManualClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start = NOW): ManualClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface Tc3Call {
  action: string;
  /** An object (stringified) or the exact body text. */
  body: unknown;
  service?: string;
  version?: string;
  region?: string;
  secretId?: string;
  secretKey?: string;
  token?: string;
  /** Unix seconds (default: the clock's). */
  timestamp?: number;
  host?: string;
  /** Replace or (undefined) remove headers after signing. */
  headers?: Record<string, string | undefined>;
}

export function tc3Headers(call: Tc3Call, nowMs: number): Record<string, string> {
  const body = typeof call.body === "string" ? call.body : stringifyJson(call.body);
  const signed = signTc3({
    secretId: call.secretId ?? TC3.secretId,
    secretKey: call.secretKey ?? TC3.secretKey,
    service: call.service ?? "edu",
    host: call.host ?? "edu.tencentcloudapi.com",
    action: call.action,
    version: call.version ?? "2022-08-17",
    region: call.region,
    token: call.token,
    timestamp: call.timestamp ?? Math.floor(nowMs / 1000),
    payload: body,
    contentType: "application/json",
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(call.headers ?? {})) {
    if (v === undefined) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  return headers;
}

/** A signed TC3 request for `mock.respond`. */
export function tc3Request(call: Tc3Call, nowMs: number): MockHttpRequest {
  const body = typeof call.body === "string" ? call.body : stringifyJson(call.body);
  return { method: "POST", url: "/", headers: tc3Headers(call, nowMs), body };
}

export interface ChatCall {
  command: string;
  body: unknown;
  sdkappid?: string | undefined;
  identifier?: string | undefined;
  usersig?: string | undefined;
  /** Sign the UserSig with this key (default the accepted one). */
  key?: string;
  /** UserSig time, Unix seconds. */
  sigTime?: number;
  sigExpire?: number;
  /** Replace or (undefined) drop query parameters. */
  query?: Record<string, string | undefined>;
}

export function chatPath(call: ChatCall, nowMs: number): string {
  const usersig =
    call.usersig ??
    genUserSig({ sdkAppId: CHAT.sdkAppId, key: call.key ?? CHAT.key, identifier: call.identifier ?? CHAT.identifier, expireSeconds: call.sigExpire ?? 86400, nowSeconds: call.sigTime ?? Math.floor(nowMs / 1000) });
  const query: Record<string, string | undefined> = {
    sdkappid: call.sdkappid ?? String(CHAT.sdkAppId),
    identifier: call.identifier ?? CHAT.identifier,
    usersig,
    random: "99999999",
    contenttype: "json",
    ...call.query,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  return `/v4/${call.command}?${params.toString()}`;
}

/** A Chat REST request for `mock.respond`. */
export function chatRequest(call: ChatCall, nowMs: number): MockHttpRequest {
  const body = typeof call.body === "string" ? call.body : stringifyJson(call.body);
  return { method: "POST", url: chatPath(call, nowMs), headers: { host: "console.tim.qq.com", "content-type": "application/json" }, body };
}

// Envelope readers.

export type Json = Record<string, any>;

export function json(response: MockHttpResponse | string): Json {
  const text = typeof response === "string" ? response : response.body;
  return parseJson(text) as Json;
}

/** The TC3 error code, or null for a success. */
export function tc3Code(response: MockHttpResponse | string): string | null {
  const body = json(response);
  return (body["Response"]?.["Error"]?.["Code"] as string | undefined) ?? null;
}

/** The Chat ErrorCode (0 for a success). */
export function chatCode(response: MockHttpResponse | string): number {
  return json(response)["ErrorCode"] as number;
}

/** Whether a text is a well-formed envelope of either protocol. */
export function isEnvelope(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const b = body as Json;
  if ("Response" in b && Object.keys(b).length === 1) {
    const r = b["Response"] as Json;
    if (typeof r !== "object" || r === null || typeof r["RequestId"] !== "string") return false;
    return r["Error"] === undefined || (typeof r["Error"]["Code"] === "string" && typeof r["Error"]["Message"] === "string");
  }
  const ok = b["ActionStatus"] === "OK" && b["ErrorCode"] === 0 && typeof b["Response"] === "object";
  const fail = b["ActionStatus"] === "FAIL" && Number.isInteger(b["ErrorCode"]) && b["ErrorCode"] > 0 && b["Response"] === undefined;
  return (ok || fail) && typeof b["ErrorInfo"] === "string" && typeof b["RequestId"] === "string";
}
