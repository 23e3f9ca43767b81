// What a generated service package hands the mock: its metadata, validators, samplers of
// deterministic data, and the spec's examples. The mock core (mock-*.ts) knows no API by name.
import type { MockServiceMetadata, PaginationMetadata } from "../shared/metadata.js";
import type { RequestValidateOptions, ShapeValidateOptions, ValidationResult } from "../validation/validation.js";

// The metadata's types have one home, shared with the client (the mock's extend the client's).
export type { MockAction, MockOperationMetadata, MockOperationSpec, MockResourceSpec, MockServiceMetadata } from "../shared/metadata.js";
/** How an operation pages (the mock reads what the client reads). */
export type MockPagination = PaginationMetadata;

type PathMap = ReadonlyArray<readonly [path: readonly string[], attribute: string]>;

/** An operation's attribute mapping (see MockServiceDefinition.lifecycle). */
export interface MockLifecyclePlan {
  writes: PathMap;
  reads: PathMap;
  keyField: readonly string[] | null;
  /** The field (in the response, or in each list item) that shows the lifecycle state, and its value per state. */
  state?: { path: readonly string[]; values: Readonly<Partial<Record<"not-started" | "live" | "ended", string | number>>> } | undefined;
  /**
   * A create of several: one resource per element of the request list `list`, its attributes the
   * top-level `writes` and the element's `writes`; `response`: the answer's list, one element per
   * new resource, holding its key at `keyField` ([]: the element is the key) and showing `reads`.
   */
  each?:
    | { list: readonly string[]; writes: PathMap; response?: { list: readonly string[]; keyField: readonly string[]; reads: PathMap } | undefined }
    | undefined;
}

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

/** Where an item sits in a seeded list: its index, the list's length, and a stream shared by the whole list. */
export interface MockItemPosition {
  index: number;
  count: number;
  rng: Rng;
}

export interface MockServiceDefinition {
  metadata: MockServiceMetadata;
  validators: Readonly<
    Record<
      string,
      {
        request(value: unknown, options?: RequestValidateOptions): ValidationResult<unknown>;
        response(value: unknown, options?: ShapeValidateOptions): ValidationResult<unknown>;
        /** Every field name a request can hold, at any depth (lets the mock cut a huge object before parsing it). */
        requestFields?: readonly string[];
      }
    >
  >;
  /**
   * Per operation (client method): a valid response payload, for paginated ones an item (`at`:
   * where it sits in a seeded list, for time order), and for a create of several answering a list
   * of objects one `element` of it.
   */
  samplers: Readonly<
    Record<
      string,
      { response(rng: Rng): Record<string, unknown>; item?(rng: Rng, at?: MockItemPosition): unknown; element?(rng: Rng): Record<string, unknown> }
    >
  >;
  /**
   * Per resource: a key drawn as its key field allows (type, pattern, range), for keys the mock
   * allocates; `sequential`: the seeded keys are 1, 2, 3… (integer) or `<resource>-1`, … (string),
   * which the key field accepts; otherwise they are drawn too. `examples`: keys the spec gives as
   * a key field's `example`, which exist (with a lifecycle that suits `methods`).
   */
  resources?: Readonly<
    Record<
      string,
      {
        key(rng: Rng): string | number | bigint;
        sequential: boolean;
        examples?: ReadonlyArray<{ key: string | number | bigint; methods: readonly string[] }>;
      }
    >
  >;
  /**
   * Per operation with a resource: how its fields map onto the resource's attributes, resolved by
   * the generator. `writes`: request path → attribute (create, update); `reads`: path in the
   * response (or in each list item) → attribute; `keyField`: the path in the response (or item)
   * that holds the key.
   */
  lifecycle?: Readonly<Record<string, MockLifecyclePlan>>;
  /** The spec's valid examples: request and response payload in their typed form. */
  examples: ReadonlyArray<{ method: string; title: string; request: Record<string, unknown>; response: Record<string, unknown> }>;
  /** The spec's valid error examples: a request (typed form) and the error the service answered it. */
  errorExamples?: ReadonlyArray<{ method: string; title: string; request: Record<string, unknown>; code: string | number; message: string }>;
}
