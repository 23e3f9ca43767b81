// The mock's answers: every reply is HTTP 200 with the protocol's JSON envelope (the gateway's),
// success or failure, as the real services answer. Request ids are deterministic per seed.
import { randomUUID } from "node:crypto";
import { stringifyJson, type Representation } from "../shared/json.js";
import { toWire } from "./wire.js";

/** A request as the mock core sees it, whatever it came through (fetch, MSW, node:http). */
export interface MockHttpRequest {
  method: string;
  /** Path and query as on the request line, e.g. `/v4/svc/cmd?sdkappid=1`. */
  url: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as UTF-8 text; undefined when it was larger than the limit (and not read in full). */
  body: string | undefined;
  /**
   * The body's bytes as received (node:http, a web Request): TC3 signatures are checked over
   * them, and bytes that are not UTF-8 get the protocol's body error. Absent when the body was
   * given as text, which is then its own UTF-8 encoding.
   */
  bytes?: Uint8Array | undefined;
}

export interface MockHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The UTF-8 length of the body its writer made (a kept envelope), kept with that body (see bodyByteLength). */
  [KNOWN_LENGTH]?: readonly [body: string, bytes: number] | undefined;
}

/** Where a response keeps its body's known length: a symbol, so it is no field of the public shape. */
export const KNOWN_LENGTH = Symbol("knownLength");

/**
 * The body's UTF-8 length: the one its writer knew when the body is still that one (the same
 * string: a respond() that copies the answer with another body falls back to counting), else counted.
 */
export function bodyByteLength(answer: MockHttpResponse): number {
  const known = answer[KNOWN_LENGTH];
  if (known !== undefined && known[0] === answer.body) return known[1];
  return answer.body.length === 0 ? 0 : Buffer.byteLength(answer.body);
}

/** A protocol's name, as services give it in `metadata.protocol.name`. */
export type MockProtocol = string;

/** What the envelope and request ids need of a protocol's gateway (mock/gateway.ts). */
export interface MockEnvelopeWriter {
  envelope(outcome: MockOutcome, requestId: string, beside: boolean): unknown;
  requestId(words: readonly [string, string, string, string], n: number): string;
}

/**
 * What an operation (or the gateway in front of it) answers: a payload (typed form) or an error. A
 * payload may hold LIST_MARKER in place of a list whose JSON text is `listText` (seeded items,
 * written once). An outcome marked `reused` is answered again as the same object (a seeded page):
 * its envelope is written once, and each answer only puts its RequestId in.
 */
export type MockOutcome =
  | { ok: true; payload: Record<string, unknown>; listText?: string | undefined; reused?: boolean | undefined }
  | { ok: false; code: string | number; message: string };

export const failure = (code: string | number, message: string): MockOutcome => ({ ok: false, code, message });

const JSON_HEADERS = { "content-type": "application/json" } as const;

/**
 * A string no payload holds (a random part), spliced out after writing. ASCII on purpose: one
 * non-Latin-1 character would make the whole answer a two-byte string, slower to write and send.
 */
export const LIST_MARKER = `mock-list-${randomUUID()}`;
const QUOTED_MARKER = JSON.stringify(LIST_MARKER);

// Stands for the RequestId in a reused outcome's envelope text; ASCII, like LIST_MARKER.
const QUOTED_ID_MARKER = JSON.stringify(`mock-request-id-${randomUUID()}`);

function write(value: unknown, outcome: MockOutcome): string {
  const text = stringifyJson(value);
  // A function replacer: the list text may hold `$` patterns.
  return outcome.ok && outcome.listText !== undefined ? text.replace(QUOTED_MARKER, () => outcome.listText!) : text;
}

const textOf = (gateway: MockEnvelopeWriter, outcome: MockOutcome, requestId: string, beside: boolean): string =>
  write(gateway.envelope(outcome, requestId, beside), outcome);

/** The envelope of a reused outcome, split where its RequestId goes, and the UTF-8 length of the two parts. */
const templates = new WeakMap<MockOutcome, readonly [string, string, number]>();

/** Whether every unit of `s` is ASCII (its UTF-8 length is its length). */
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The protocol's envelope around an outcome; a successful payload is written in wire form
 * (`plan`: the response's 64-bit representation). `payloadAt: "envelope"`: the payload's fields
 * sit beside the envelope's own (Chat gift getters) rather than under its payload key.
 */
export function reply(
  gateway: MockEnvelopeWriter,
  outcome: MockOutcome,
  requestId: string,
  plan: Representation | null = null,
  payloadAt?: "envelope",
): MockHttpResponse {
  const beside = payloadAt === "envelope";
  if (outcome.ok && outcome.reused) {
    let template = templates.get(outcome);
    if (!template) {
      const text = textOf(gateway, wired(outcome, plan), QUOTED_ID_MARKER.slice(1, -1), beside);
      const at = text.indexOf(QUOTED_ID_MARKER);
      const before = text.slice(0, at);
      const after = text.slice(at + QUOTED_ID_MARKER.length);
      template = [before, after, Buffer.byteLength(before) + Buffer.byteLength(after) + 2];
      templates.set(outcome, template);
    }
    // Request ids are hex digits, dashes and letters (RequestIds): nothing to escape, and (checked) one byte each.
    const body = `${template[0]}"${requestId}"${template[1]}`;
    const known = ascii(requestId) ? ([body, template[2] + requestId.length] as const) : undefined;
    return { status: 200, headers: { ...JSON_HEADERS }, body, [KNOWN_LENGTH]: known };
  }
  return { status: 200, headers: { ...JSON_HEADERS }, body: textOf(gateway, wired(outcome, plan), requestId, beside) };
}

const wired = (outcome: MockOutcome, plan: Representation | null): MockOutcome =>
  outcome.ok && plan ? { ...outcome, payload: toWire(outcome.payload, plan) as Record<string, unknown> } : outcome;

/** splitmix32: one well-mixed 32-bit word per (seed, counter), without allocating a generator. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex8 = (n: number) => HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/** Deterministic request ids: the n-th request of a mock with a given seed always gets the same id. */
export class RequestIds {
  readonly #seed: number;
  #count = 0;

  constructor(seed: number) {
    this.#seed = mix(seed >>> 0);
  }

  reset(): void {
    this.#count = 0;
  }

  next(gateway: MockEnvelopeWriter): string {
    const n = ++this.#count;
    const a = mix(this.#seed ^ mix(n));
    const b = mix(a ^ n);
    const c = mix(b);
    const d = mix(c ^ this.#seed);
    return gateway.requestId([hex8(a), hex8(b), hex8(c), hex8(d)], n);
  }
}
