// Building signed requests for the mock (raw, for fetch, for a server) and reading its envelopes.
import type { OperationMetadata } from "../../../templates/runtime/src/client/metadata.js";
import type { Protocol } from "../../../templates/runtime/src/client/protocol.js";
import { parseJson, parseResponseJson, stringifyJson } from "../../../templates/runtime/src/shared/json.js";
import { MOCK_DEFAULT_CREDENTIALS, type MockHttpRequest, type MockHttpResponse } from "../../../templates/runtime/src/mock/server.js";
import { chatProtocol } from "../../../templates/runtime/src/protocols/chat-rest/client.js";
import { tc3Protocol } from "../../../templates/runtime/src/protocols/tc3/client.js";
import { signTc3 } from "../../../templates/runtime/src/protocols/tc3/signing.js";
import { genUserSig } from "../../../templates/runtime/src/protocols/chat-rest/signing.js";

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
    genUserSig({
      sdkAppId: CHAT.sdkAppId,
      key: call.key ?? CHAT.key,
      identifier: call.identifier ?? CHAT.identifier,
      expireSeconds: call.sigExpire ?? 86400,
      nowSeconds: call.sigTime ?? Math.floor(nowMs / 1000),
    });
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

// Tests walk response envelopes by path (`json(r).Response.Error.Code`) and assert on what they find.
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- see above

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

/** The runtime client's readers of each protocol's answers (reading needs no credentials). */
const PROTOCOLS: readonly Protocol[] = [
  tc3Protocol({ service: "any", version: "any", credentials: undefined }),
  chatProtocol({ version: "v4", credentials: undefined, now: () => NOW }),
];
type PayloadSettings = Pick<OperationMetadata, "payloadOptional" | "payloadAt">;
/** Where an operation's payload may sit (its metadata's settings): under the protocol's payload key,
 * left out (a Chat command that returns nothing), or beside the envelope's own fields. */
const PAYLOAD_SETTINGS: readonly PayloadSettings[] = [{}, { payloadOptional: true }, { payloadAt: "envelope" }];

/**
 * Whether a text is an envelope of either protocol as the runtime client reads it: a success or
 * the service's error (not ClientError.InvalidResponse), with a request id. `operation`: with that
 * operation's payload settings; without, with any operation's.
 */
export function isEnvelope(text: string, operation?: PayloadSettings): boolean {
  let body: unknown;
  try {
    body = parseResponseJson(text).value;
  } catch {
    return false;
  }
  const response = { status: 200, headers: {}, body: text };
  return PROTOCOLS.some((protocol) =>
    (operation ? [operation] : PAYLOAD_SETTINGS).some((s) => {
      const outcome = protocol.interpret(body, response, {
        payloadOptional: s.payloadOptional === true,
        ...(s.payloadAt ? { payloadAt: s.payloadAt } : {}),
      });
      return outcome.kind !== "client" && outcome.requestId !== undefined;
    }),
  );
}
