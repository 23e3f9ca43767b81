// What a generated service package hands the mock: its metadata, validators, samplers of
// deterministic data, and the spec's examples. The mock core (mock-*.ts) knows no API by name.
import type { Representation } from "./json.js";
import type { RequestValidateOptions, ShapeValidateOptions, ValidationErrorMap, ValidationResult } from "./validation.js";

/** A small deterministic random source: the same seed gives the same sequence on every machine. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi] (safe integers). */
  int(lo: number, hi: number): number;
  /** A bigint in [lo, hi]. */
  bigint(lo: bigint, hi: bigint): bigint;
  bool(): boolean;
  pick<T>(items: readonly T[]): T;
  /** Letters and digits, length in [min, max]. */
  string(min: number, max: number): string;
  /** An independent stream for `label`: forking by a key gives the same data whatever was drawn before. */
  fork(label: string | number): Rng;
}

/** FNV-1a, to turn labels into seeds. */
function hash(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function createRng(seed: number | string): Rng {
  let state = typeof seed === "number" ? seed >>> 0 : hash(seed, 0);
  const base = state;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    bigint: (lo, hi) => {
      const span = hi - lo + 1n;
      let r = 0n;
      for (let i = 0; i < 3; i++) r = (r << 32n) | BigInt(Math.floor(next() * 4294967296));
      return lo + (r % span);
    },
    bool: () => next() < 0.5,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    string: (min, max) => {
      const n = min + Math.floor(next() * (max - min + 1));
      let s = "";
      for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
      return s;
    },
    fork: (label) => createRng(hash(String(label), base)),
  };
  return rng;
}

/** A resource the mock keeps (e.g. a room), with a lifecycle the operations' rules read. */
export interface MockResourceSpec {
  description: string;
  /** Wire type of the key. */
  key: "string" | "integer";
}

/** What an operation does with the mock's state, from the spec's `mock:` section. */
export interface MockOperationSpec {
  resource: string;
  /** The request field holding the resource key. */
  key: string;
  /** The error for an unknown key; null: an unknown key gets an empty result. */
  notFound: string | number | null;
  /** Lifecycle states the resource must be in, with the error otherwise (null: an empty result). */
  requires: ReadonlyArray<{ state: "not-started" | "live" | "ended"; withinSeconds: number | null; error: string | number | null }>;
  /**
   * Request fields narrowing the paginated list to the items whose `matches` field is equal; a
   * filter is off when its field is absent, null or "". `paging: "ignored"`: every matching item in
   * one answer; `total: "unfiltered"`: the total still counts every item.
   */
  filters?: ReadonlyArray<{ field: string; matches: string; paging: "applies" | "ignored"; total: "filtered" | "unfiltered" }>;
}

export interface MockOperationMetadata {
  name: string;
  action?: string;
  command?: string;
  regions: { required: boolean; values: readonly string[] };
  rateLimit: { requests: number; per: "second" | "minute" } | null;
  pagination: { page: string; firstPage: number; size: string; maxSize: number | null; items: string; total: string } | null;
  errors: Readonly<Record<string, { retryable: boolean }>>;
  validationErrors: ValidationErrorMap;
  requestRepresentation: Representation | null;
  responseRepresentation: Representation | null;
  mock: MockOperationSpec | null;
}

export interface MockServiceMetadata {
  id: string;
  title: string;
  protocol: { name: "tc3"; service: string; version: string } | { name: "chat-rest"; version: string };
  endpoints: ReadonlyArray<{ id: string; host: string; backup?: string; region?: string; default: boolean }>;
  regions: { required: boolean; values: readonly string[] };
  commonErrors: Readonly<Record<string, { retryable: boolean }>>;
  resources: Readonly<Record<string, MockResourceSpec>>;
  operations: Readonly<Record<string, MockOperationMetadata>>;
}

export interface MockServiceDefinition {
  metadata: MockServiceMetadata;
  validators: Readonly<
    Record<
      string,
      {
        request(value: unknown, options?: RequestValidateOptions): ValidationResult<unknown>;
        response(value: unknown, options?: ShapeValidateOptions): ValidationResult<unknown>;
      }
    >
  >;
  /** Per operation (client method): a valid response payload, and for paginated ones an item. */
  samplers: Readonly<Record<string, { response(rng: Rng): Record<string, unknown>; item?(rng: Rng): unknown }>>;
  /** The spec's valid examples: request and response payload in their typed form. */
  examples: ReadonlyArray<{ method: string; title: string; request: Record<string, unknown>; response: Record<string, unknown> }>;
}
