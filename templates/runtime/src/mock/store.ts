// The resources a mock keeps (rooms, ...): explicit ones (put by a test or a fixtures file), ones
// taken from the spec's examples, and the rest decided by the seed. Each has a lifecycle
// (startedAt/endedAt on the mock clock) that the operations' `requires` rules read.
//
// The unknown-key rule: a key nobody put and no example names exists when the first draw of
// createRng(seed).fork(service).fork(resource).fork(key).fork("lifecycle") is below `existence`
// (default 0.75); its lifecycle comes from the same stream. So every key behaves the same way for
// a given seed, and `keys()` finds known and unknown ones for tests.
//
// A resource that some operation creates or lists is closed instead: the seed makes a fixed
// population of it (the first `population` keys of `keys()`), every other key is unknown until
// created or put, and a list pages through exactly what exists. Created resources, attributes
// written by updates and deletions last until `reset()`; a deleted seeded key stays deleted.
import type { MockResourceSpec, MockServiceDefinition, Rng } from "./definition.js";
import { isDecimal } from "../validation/validation.js";

export type MockLifecycleState = "not-started" | "live" | "ended";

/** A point on the mock clock: milliseconds since the epoch, or relative text ("now", "-10m", "+2h", "now-90s"). */
export type MockTime = number | string;

export interface MockResourceInput {
  key: string | number | bigint;
  /** When it started (or will): null means not started. */
  startedAt?: MockTime | null | undefined;
  /** When it ended (or will): null means it has not ended and no end is scheduled. */
  endedAt?: MockTime | null | undefined;
  /** A shortcut for the times, relative to the clock now: ended ten minutes ago, live since ten minutes, or starting in an hour. */
  state?: MockLifecycleState | undefined;
  /** Per operation (client method): the payload to answer, in typed form (pagination still applies to its list). */
  responses?: Readonly<Record<string, Record<string, unknown>>> | undefined;
  /** Per paginated operation: every item across all pages. */
  items?: Readonly<Record<string, readonly unknown[]>> | undefined;
  /** Attributes, as a create would store them (typed form): reads and lists show them. */
  attributes?: Readonly<Record<string, unknown>> | undefined;
}

export interface MockResource {
  /** The key as canonical text (integers as decimal digits). */
  readonly key: string;
  /** Where it comes from: `put` (a test or fixtures), a `created` by an operation, an `example` of the spec, or the `seed`. */
  readonly origin: "put" | "created" | "example" | "seed";
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly responses: Readonly<Record<string, Record<string, unknown>>>;
  readonly items: Readonly<Record<string, readonly unknown[]>>;
  /** What creates and updates wrote (typed form); absent when nothing was. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

export interface MockRequirement {
  state: MockLifecycleState;
  withinSeconds: number | null;
  error: string | number | null;
}

/** The state at `now`: before startedAt not started, from endedAt on ended, live between. */
export function lifecycleState(r: Pick<MockResource, "startedAt" | "endedAt">, now: number): MockLifecycleState {
  if (r.startedAt === null || now < r.startedAt) return "not-started";
  if (r.endedAt !== null && now >= r.endedAt) return "ended";
  return "live";
}

/**
 * Whether the resource is in the required state, and within `withinSeconds` of entering it (for
 * not-started: of starting). E.g. `{state: ended, withinSeconds: 3600}`: ended in the last hour.
 */
export function meets(r: Pick<MockResource, "startedAt" | "endedAt">, req: MockRequirement, now: number): boolean {
  if (lifecycleState(r, now) !== req.state) return false;
  if (req.withinSeconds === null) return true;
  const limit = req.withinSeconds * 1000;
  if (req.state === "ended") return now - r.endedAt! <= limit;
  if (req.state === "live") return now - r.startedAt! <= limit;
  return r.startedAt === null ? false : r.startedAt - now <= limit;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^\s*(now)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d))?\s*$/;

/** Milliseconds since the epoch for a MockTime; throws RangeError on text that is not one. */
export function resolveTime(value: MockTime, now: number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`a time must be finite, got ${value}`);
    return value;
  }
  const m = RELATIVE.exec(value);
  if (!m || (!m[1] && !m[2])) throw new RangeError(`not a time: ${JSON.stringify(value)} (use ms since the epoch, "now", "-10m", "+2h")`);
  const offset = m[2] ? Number(m[3]) * UNIT_MS[m[4]!]! * (m[2] === "-" ? -1 : 1) : 0;
  return Math.round(now + offset);
}

const MINUTE = 60_000;
const SEED_CACHE = 10_000;
const HOUR = 60 * MINUTE;

/** Lifecycles relative to a reference time, in the order a default is chosen from. */
function candidates(t: number): Array<{ startedAt: number | null; endedAt: number | null }> {
  return [
    { startedAt: t - 70 * MINUTE, endedAt: t - 10 * MINUTE },
    { startedAt: t - 10 * MINUTE, endedAt: null },
    { startedAt: t + HOUR, endedAt: null },
  ];
}

const SHORTCUT: Readonly<Record<MockLifecycleState, number>> = { ended: 0, live: 1, "not-started": 2 };

/** The candidate lifecycle that the most of `rules` accept (on ties, the one in the `preferred` state, else the first). */
function defaultLifecycle(t: number, rules: ReadonlyArray<readonly MockRequirement[]>, preferred?: MockLifecycleState) {
  let best = candidates(t)[0]!;
  let bestScore = -1;
  for (const c of candidates(t)) {
    const score =
      rules.filter((reqs) => reqs.length === 0 || reqs.some((r) => meets(c, r, t))).length * 2 +
      (preferred !== undefined && lifecycleState(c, t) === preferred ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return best;
}

export interface ResourceStoreContext {
  serviceId: string;
  name: string;
  spec: MockResourceSpec;
  /** createRng(seed).fork(service).fork(resource). */
  rng: Rng;
  now: () => number;
  /** The reference time of seeded and example lifecycles (the clock when the mock was made). */
  epoch: number;
  /** Fraction of arbitrary keys that exist. */
  existence: number;
  /** The operations on this resource (client method → its `requires`). */
  operations: ReadonlyMap<string, readonly MockRequirement[]>;
  /** Closed: a fixed seeded population, other keys unknown (some operation creates or lists it). */
  closed?: boolean | undefined;
  /** How many seeded resources a closed resource has. */
  population?: number | undefined;
  /** Some operation moves the resource to another state (`sets`): a created one waits, not started, until one does. */
  transitions?: boolean | undefined;
  /** The generated key sampler, when the spec gives the key field. */
  keys?: NonNullable<MockServiceDefinition["resources"]>[string] | undefined;
}

export interface MockResourceKeysFilter {
  /** How many keys to return (default 10). */
  count?: number | undefined;
  /** Only keys in this state now (implies known). */
  state?: MockLifecycleState | undefined;
  /** true (default): keys that exist; false: keys that do not. */
  known?: boolean | undefined;
}

/** The resources of one kind in one service, e.g. LCIC rooms. */
export class ResourceStore {
  readonly service: string;
  readonly name: string;
  readonly keyType: "string" | "integer";
  readonly #ctx: ResourceStoreContext;
  readonly #put = new Map<string, MockResource>();
  readonly #examples = new Map<string, MockResource>();
  readonly #deleted = new Set<string>();
  readonly #seedCache = new Map<string, MockResource | null>();
  /** Attributes written by updates, by key. */
  readonly #written = new Map<string, Record<string, unknown>>();
  /** The state an example shows for its key (its status field), preferred where the rules allow. */
  readonly #stateShown = new Map<string, MockLifecycleState>();
  /** Lifecycle times set by transitions (an update that `sets` a state), by key. */
  readonly #moved = new Map<string, { startedAt: number | null; endedAt: number | null }>();
  #allocated = 0;
  #population: string[] | undefined;
  #populationSet: Set<string> | undefined;

  constructor(ctx: ResourceStoreContext) {
    this.#ctx = ctx;
    this.service = ctx.serviceId;
    this.name = ctx.name;
    this.keyType = ctx.spec.key;
  }

  /** The canonical key text of a value, or undefined when it cannot be a key of this resource. */
  keyOf(value: unknown): string | undefined {
    if (this.keyType === "string") return typeof value === "string" ? value : undefined;
    if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : undefined;
    if (typeof value === "bigint") return value.toString();
    return typeof value === "string" && isDecimal(value) ? value : undefined;
  }

  #key(value: unknown): string {
    const key = this.keyOf(value);
    if (key === undefined) {
      throw new TypeError(`${this.service}.${this.name}: ${String(value)} is not ${this.keyType === "integer" ? "an integer" : "a string"} key`);
    }
    return key;
  }

  /** Adds or replaces a resource; it wins over examples and the seed. */
  put(input: MockResourceInput): MockResource {
    const key = this.#key(input.key);
    for (const field of ["responses", "items"] as const) {
      for (const method of Object.keys(input[field] ?? {})) {
        if (!this.#ctx.operations.has(method)) {
          const known = [...this.#ctx.operations.keys()].join(", ");
          throw new RangeError(`${this.service}.${this.name}: ${field}.${method} is not an operation on this resource (${known})`);
        }
      }
    }
    const now = this.#ctx.now();
    let times: { startedAt: number | null; endedAt: number | null };
    if (input.startedAt !== undefined || input.endedAt !== undefined) {
      const endedAt = input.endedAt === undefined || input.endedAt === null ? null : resolveTime(input.endedAt, now);
      const startedAt = input.startedAt === null ? null : input.startedAt === undefined ? (endedAt ?? now) - HOUR : resolveTime(input.startedAt, now);
      if (startedAt !== null && endedAt !== null && endedAt < startedAt) {
        throw new RangeError(`${this.service}.${this.name} ${key}: endedAt is before startedAt`);
      }
      if (startedAt === null && endedAt !== null) throw new RangeError(`${this.service}.${this.name} ${key}: ended but never started`);
      times = { startedAt, endedAt };
    } else if (input.state !== undefined) {
      const index = SHORTCUT[input.state];
      if (index === undefined) throw new RangeError(`${this.service}.${this.name} ${key}: unknown state ${JSON.stringify(input.state)}`);
      times = candidates(now)[index]!;
    } else {
      times = defaultLifecycle(now, [...this.#ctx.operations.values()]);
    }
    const record: MockResource = {
      key,
      origin: "put",
      ...times,
      responses: { ...input.responses },
      items: Object.fromEntries(Object.entries(input.items ?? {}).map(([m, list]) => [m, [...list]])),
      ...(input.attributes ? { attributes: { ...input.attributes } } : {}),
    };
    this.#put.set(key, record);
    this.#deleted.delete(key);
    this.#written.delete(key);
    this.#moved.delete(key);
    return record;
  }

  /** Makes a key unknown, whatever put it there (until it is put or created again). */
  delete(key: string | number | bigint): void {
    const k = this.#key(key);
    this.#put.delete(k);
    this.#written.delete(k);
    this.#moved.delete(k);
    this.#deleted.add(k);
  }

  /**
   * What a create operation does: stores a resource with `attributes` under `key`, or under a new
   * key drawn as the key field allows (one that does not exist). Its lifecycle is the one `put`
   * gives by default, or not started (until an operation starts it) when some operation can. Returns the record and the key as drawn (typed), for the response.
   */
  create(
    key: string | number | bigint | undefined,
    attributes: Readonly<Record<string, unknown>>,
  ): { record: MockResource; key: string | number | bigint } {
    const typed = key ?? this.#allocate();
    const k = this.#key(typed);
    const record: MockResource = {
      key: k,
      origin: "created",
      ...(this.#ctx.transitions ? { startedAt: null, endedAt: null } : defaultLifecycle(this.#ctx.now(), [...this.#ctx.operations.values()])),
      responses: {},
      items: {},
      attributes: { ...attributes },
    };
    this.#put.delete(k);
    this.#put.set(k, record);
    this.#deleted.delete(k);
    this.#written.delete(k);
    this.#moved.delete(k);
    return { record, key: typed };
  }

  /** What an update operation does: merges `attributes` into the resource's (which must exist). */
  write(key: string | number | bigint, attributes: Readonly<Record<string, unknown>>): void {
    const k = this.#key(key);
    if (!this.lookup(k)) throw new RangeError(`${this.service}.${this.name}: ${k} does not exist`);
    this.#written.set(k, { ...this.#written.get(k), ...attributes });
  }

  /**
   * What an update that `sets` a state does: the resource (which must exist) enters `state` now.
   * Live: started now (a live one keeps its start) and no end; ended: ended now (a resource never
   * started starts now too; an ended one keeps its end); not-started: neither. Until `reset()`.
   */
  transition(key: string | number | bigint, state: MockLifecycleState): void {
    const k = this.#key(key);
    const record = this.lookup(k);
    if (!record) throw new RangeError(`${this.service}.${this.name}: ${k} does not exist`);
    const now = this.#ctx.now();
    const current = lifecycleState(record, now);
    if (current === state) return;
    const times =
      state === "live"
        ? { startedAt: now, endedAt: null }
        : state === "ended"
          ? { startedAt: record.startedAt !== null && record.startedAt <= now ? record.startedAt : now, endedAt: now }
          : { startedAt: null, endedAt: null };
    this.#moved.set(k, times);
  }

  /** Whether an operation changed the resource since it was put, created or given by an example (attributes written, state moved). */
  changed(key: string): boolean {
    return this.#written.has(key) || this.#moved.has(key);
  }

  /**
   * Every resource that exists now, in a stable order: the seeded population (of a closed
   * resource; an open one's seeded keys are endless and left out), examples, then put and created
   * ones as they came.
   */
  list(): MockResource[] {
    const keys = new Set<string>([...(this.#ctx.closed ? this.#seededKeys() : []), ...this.#examples.keys(), ...this.#put.keys()]);
    const out: MockResource[] = [];
    for (const key of keys) {
      const r = this.lookup(key);
      if (r) out.push(r);
    }
    return out;
  }

  /** A key no resource has, drawn from the key sampler (or 1, 2, 3… past the population). */
  #allocate(): string | number | bigint {
    const rng = this.#ctx.rng.fork("allocate");
    for (let tries = 0; tries < 10_000; tries++) {
      const n = this.#allocated++;
      const candidate = this.#ctx.keys ? this.#ctx.keys.key(rng.fork(n)) : this.keyType === "integer" ? 1_000_000 + n : `${this.name}-new-${n + 1}`;
      const k = this.keyOf(candidate);
      if (k !== undefined && !this.#deleted.has(k) && this.lookup(k) === undefined) return candidate;
    }
    throw new RangeError(`${this.service}.${this.name}: no free key left to allocate`);
  }

  /** The i-th candidate key of `keys()` (from 1), as canonical text. */
  #candidate(i: number): string {
    const sampler = this.#ctx.keys;
    if (sampler && !sampler.sequential) {
      const k = this.keyOf(sampler.key(this.#ctx.rng.fork("keys").fork(i)));
      if (k !== undefined) return k;
    }
    return this.keyType === "integer" ? String(i) : `${this.name}-${i}`;
  }

  /** The seeded population of a closed resource: the first `population` distinct candidates. */
  #seededKeys(): string[] {
    if (!this.#population) {
      const want = this.#ctx.population ?? 10;
      const keys = new Set<string>();
      for (let i = 1; keys.size < want && i <= want * 100; i++) keys.add(this.#candidate(i));
      this.#population = [...keys];
      this.#populationSet = keys;
    }
    return this.#population;
  }

  /** The resource with this key, or undefined when it does not exist. */
  get(key: string | number | bigint): MockResource | undefined {
    const k = this.keyOf(key);
    return k === undefined ? undefined : this.lookup(k);
  }

  /** The state of a resource now, or undefined when it does not exist. */
  state(key: string | number | bigint): MockLifecycleState | undefined {
    const r = this.get(key);
    return r && lifecycleState(r, this.#ctx.now());
  }

  /** By canonical key text (what keyOf returns). */
  lookup(key: string): MockResource | undefined {
    if (this.#deleted.has(key)) return undefined;
    const record = this.#put.get(key) ?? this.#examples.get(key) ?? this.#seeded(key);
    if (!record) return undefined;
    const written = this.#written.get(key);
    const moved = this.#moved.get(key);
    if (!written && !moved) return record;
    return { ...record, ...moved, ...(written ? { attributes: { ...record.attributes, ...written } } : {}) };
  }

  /**
   * Keys for tests, deterministic for a seed: put and example keys first, then 1, 2, 3, ...
   * (integer keys) or `<resource>-1`, `<resource>-2`, ... (string keys), or keys drawn as the key
   * field's pattern allows when it refuses those, filtered.
   */
  keys(filter: MockResourceKeysFilter = {}): Array<string | number> {
    const count = filter.count ?? 10;
    const known = filter.known ?? true;
    const now = this.#ctx.now();
    const out: Array<string | number> = [];
    const seen = new Set<string>();
    const consider = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const r = this.lookup(key);
      if (!known ? r === undefined : r !== undefined && (filter.state === undefined || lifecycleState(r, now) === filter.state)) {
        out.push(this.keyType === "integer" && Number.isSafeInteger(Number(key)) ? Number(key) : key);
      }
    };
    for (const key of [...this.#put.keys(), ...this.#examples.keys()].sort()) if (out.length < count) consider(key);
    for (let i = 1; out.length < count && i <= 1_000_000; i++) consider(this.#candidate(i));
    return out;
  }

  /**
   * Records an example's response (and its list) under its key. Its lifecycle suits the rules of
   * the operations with examples at the key; among those that do, the one in `state`, the state an
   * example shows (in its status field), when one does.
   */
  addExample(
    keyValue: unknown,
    method: string,
    response: Record<string, unknown>,
    items: readonly unknown[] | undefined,
    state?: MockLifecycleState,
  ): void {
    const key = this.keyOf(keyValue);
    if (key === undefined) return;
    const existing = this.#examples.get(key);
    const methods = new Set([...Object.keys(existing?.responses ?? {}), method]);
    const rules = [...methods].map((m) => this.#ctx.operations.get(m) ?? []);
    if (state !== undefined && !this.#stateShown.has(key)) this.#stateShown.set(key, state);
    const times = defaultLifecycle(this.#ctx.epoch, rules, this.#stateShown.get(key));
    const record: MockResource = {
      key,
      origin: "example",
      startedAt: times.startedAt,
      endedAt: times.endedAt,
      // The first example of an operation at a key wins; later ones are still served by exact match.
      responses: { [method]: response, ...existing?.responses },
      items: items && !existing?.items[method] ? { ...existing?.items, [method]: items } : { ...existing?.items },
    };
    this.#examples.set(key, record);
  }

  /**
   * A key the spec names as an example of a key field (not in a whole example): it exists, with
   * a lifecycle that suits the rules of `methods`, unless an example already holds it.
   */
  addExampleKey(keyValue: unknown, methods: readonly string[]): void {
    const key = this.keyOf(keyValue);
    if (key === undefined || this.#examples.has(key)) return;
    const times = defaultLifecycle(
      this.#ctx.epoch,
      methods.map((m) => this.#ctx.operations.get(m) ?? []),
    );
    this.#examples.set(key, { key, origin: "example", ...times, responses: {}, items: {} });
  }

  /** Forgets everything put, created, written or deleted (examples and the seed remain). */
  reset(): void {
    this.#put.clear();
    this.#deleted.clear();
    this.#written.clear();
    this.#moved.clear();
    this.#allocated = 0;
  }

  #inPopulation(key: string): boolean {
    this.#seededKeys();
    return this.#populationSet!.has(key);
  }

  #seeded(key: string): MockResource | undefined {
    const known = this.#seedCache.get(key);
    if (known !== undefined) return known ?? undefined;
    const record = this.#draw(key);
    // The draw is a function of the seed; keeping it (bounded) only saves drawing it again.
    if (this.#seedCache.size >= SEED_CACHE) this.#seedCache.delete(this.#seedCache.keys().next().value!);
    this.#seedCache.set(key, record ?? null);
    return record;
  }

  #draw(key: string): MockResource | undefined {
    const rng = this.#ctx.rng.fork(key).fork("lifecycle");
    const drawn = rng.next();
    if (this.#ctx.closed ? !this.#inPopulation(key) : drawn >= this.#ctx.existence) return undefined;
    const t = this.#ctx.epoch;
    const r = rng.next();
    let startedAt: number;
    let endedAt: number | null;
    if (r < 0.15) {
      startedAt = t + rng.int(10, 7 * 24 * 60) * MINUTE;
      endedAt = startedAt + rng.int(30, 180) * MINUTE;
    } else if (r < 0.35) {
      startedAt = t - rng.int(1, 120) * MINUTE;
      endedAt = t + rng.int(10, 180) * MINUTE;
    } else if (r < 0.7) {
      endedAt = t - rng.int(1, 50) * MINUTE;
      startedAt = endedAt - rng.int(30, 180) * MINUTE;
    } else {
      endedAt = t - rng.int(2 * 60, 30 * 24 * 60) * MINUTE;
      startedAt = endedAt - rng.int(30, 180) * MINUTE;
    }
    return { key, origin: "seed", startedAt, endedAt, responses: {}, items: {} };
  }
}
