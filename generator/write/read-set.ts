// What an emitter read: it runs on proxies of its IR arguments that record every read (a property's
// value or absence, `in`, the list of keys, which objects were the same object), so that a later run
// can tell, without emitting, whether the emitter would see exactly the same values in a new IR. If
// it would, its output is the same (emitters are pure functions of their arguments and of the
// generator, whose fingerprint is part of the cache key), and is taken from the cache. An edit to one
// operation's description then re-emits only the units that read that description.
//
// Only plain data is recorded (objects with Object.prototype, null or Array.prototype, no symbol
// keys read, no functions); anything else, or a write through a proxy, makes the unit unrecordable
// and it is emitted the ordinary way.

/**
 * What an emitter read, packed so that a unit's entry serialises fast and small (a 1,000-operation
 * cold run records millions of reads): every key is stored once (`keys`), the places as a flat
 * typed array, the values read apart.
 * - `nodes`: three ints per recorded object: its parent node (-1 for a root), the key it was read at
 *   (index into `keys`; a root's is its argument index), its kind (0 object, 1 array, 2 null prototype).
 *   Roots are nodes 0.. (the arguments, in order); every other node hangs from one.
 * - `ops`: four numbers per read `n, key, kind, arg` (key: index into `keys`; a Uint16Array when all fit):
 *   - kind 0: own property holding a primitive, `values[arg]` (a value read at several places is kept once);
 *   - kind 1: own property holding an object first seen here (node `arg`);
 *   - kind 2: own property holding the object already recorded as node `arg`;
 *   - kind 3: no own property `key`;
 *   - kind 4: `key in object` gave `arg` (1 true, 0 false);
 *   - kind 5: the own keys, in order, are `values[arg]` (the key of the read is unused).
 */
export interface ReadSet {
  roots: number;
  keys: string[];
  nodes: Int32Array;
  ops: Uint16Array | Int32Array;
  values: unknown[];
}

export class Unrecordable extends Error {}

function kindOf(value: object): 0 | 1 | 2 {
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new Unrecordable("array subclass");
    return 1;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new Unrecordable("not plain data");
  return proto === null ? 2 : 0;
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Stands for `undefined` in the per-node memo of values handed out. */
const UNDEFINED = {};

/** One recording: the reads so far, and the proxy of each object seen (by its node). */
class Recording {
  readonly nodes: number[] = [];
  readonly ops: number[] = [];
  readonly values: unknown[] = [];
  /** Where each primitive read so far is in `values` (-0 aside: the map would take it for 0). */
  private readonly valueIds = new Map<unknown, number>();
  readonly keys: string[] = [];
  private readonly keyIds = new Map<string, number>();
  readonly nodeOf = new Map<object, number>();
  readonly proxies: object[] = [];
  /** Set by a refused write, so that an emitter catching the error still leaves the unit unrecorded. */
  refused = false;

  key(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      this.keyIds.set(key, (id = this.keys.length));
      this.keys.push(key);
    }
    return id;
  }

  node(parent: number, key: string, kind: number): number {
    const id = this.nodes.length / 3;
    this.nodes.push(parent, this.key(key), kind);
    return id;
  }

  wrap(target: object, node: number): object {
    const proxy = new Proxy(target, new RecordingHandler(this, node));
    this.proxies[node] = proxy;
    return proxy;
  }

  private valueId(value: unknown): number {
    let id = this.valueIds.get(value);
    if (id === undefined || Object.is(value, -0)) {
      id = this.values.length;
      this.values.push(value);
      if (!Object.is(value, -0)) this.valueIds.set(value, id);
    }
    return id;
  }

  /** Records the own property `key` of node `n` holding `value`, and returns what the emitter gets. */
  child(n: number, key: string, value: unknown): unknown {
    if (typeof value === "function" || typeof value === "symbol") throw new Unrecordable("not plain data");
    if (typeof value !== "object" || value === null) {
      this.ops.push(n, this.key(key), 0, this.valueId(value));
      return value;
    }
    const known = this.nodeOf.get(value);
    if (known !== undefined) {
      this.ops.push(n, this.key(key), 2, known);
      return this.proxies[known];
    }
    const id = this.node(n, key, kindOf(value));
    this.nodeOf.set(value, id);
    this.ops.push(n, this.key(key), 1, id);
    return this.wrap(value, id);
  }

  refuse(): never {
    this.refused = true;
    throw new Unrecordable("an emitter wrote to its IR");
  }
}

/**
 * The traps of one recorded object (methods on the prototype: a proxy costs one small object, not a
 * closure per trap). What each key gave is kept: a value read in a loop is recorded (and looked up)
 * once. The IR cannot change while the emitter runs (writes are refused), so the first answer is the answer.
 */
class RecordingHandler implements ProxyHandler<object> {
  private given: Map<string, unknown> | undefined;
  private hasKey: Map<string, boolean> | undefined;
  private keysRead = false;

  constructor(
    private readonly rec: Recording,
    private readonly node: number,
  ) {}

  private value(t: object, key: string): unknown {
    const given = (this.given ??= new Map());
    const known = given.get(key);
    if (known !== undefined) return known === UNDEFINED ? undefined : known;
    let v: unknown;
    if (!hasOwn(t, key)) {
      this.rec.ops.push(this.node, this.rec.key(key), 3, 0);
      v = Reflect.get(t, key);
    } else v = this.rec.child(this.node, key, (t as Record<string, unknown>)[key]);
    given.set(key, v === undefined ? UNDEFINED : v);
    return v;
  }

  get(t: object, key: string | symbol, receiver: unknown): unknown {
    if (typeof key === "symbol") return Reflect.get(t, noOwnSymbol(t, key), receiver) as unknown; // from the prototype
    return this.value(t, key);
  }

  has(t: object, key: string | symbol): boolean {
    if (typeof key === "symbol") return Reflect.has(t, noOwnSymbol(t, key));
    const has = (this.hasKey ??= new Map());
    let answer = has.get(key);
    if (answer === undefined) {
      has.set(key, (answer = Reflect.has(t, key)));
      this.rec.ops.push(this.node, this.rec.key(key), 4, answer ? 1 : 0);
    }
    return answer;
  }

  ownKeys(t: object): ArrayLike<string | symbol> {
    const keys = Reflect.ownKeys(t) as string[];
    if (keys.some((k) => typeof k === "symbol")) throw new Unrecordable("symbol keys");
    if (!this.keysRead) {
      this.rec.ops.push(this.node, 0, 5, this.rec.values.length);
      this.rec.values.push([...keys]);
    }
    this.keysRead = true;
    return keys;
  }

  getOwnPropertyDescriptor(t: object, key: string | symbol): PropertyDescriptor | undefined {
    const d = Reflect.getOwnPropertyDescriptor(t, key);
    if (typeof key === "symbol") {
      if (d) throw new Unrecordable("symbol keys");
      return d;
    }
    if (!d) {
      this.value(t, key); // records the absence
      return d;
    }
    if (!("value" in d)) throw new Unrecordable("accessor property");
    // The value read through a descriptor is recorded like any other read.
    d.value = this.value(t, key);
    return d;
  }

  set(): boolean {
    return this.rec.refuse();
  }
  defineProperty(): boolean {
    return this.rec.refuse();
  }
  deleteProperty(): boolean {
    return this.rec.refuse();
  }
  setPrototypeOf(): boolean {
    return this.rec.refuse();
  }
  preventExtensions(): boolean {
    return this.rec.refuse();
  }
}

/** An own symbol-keyed property is not recorded: reading one makes the unit unrecordable (one on the prototype is the language's). */
function noOwnSymbol(t: object, key: symbol): symbol {
  if (Object.prototype.hasOwnProperty.call(t, key)) throw new Unrecordable("symbol keys");
  return key;
}

/**
 * Runs `fn` on recording proxies of `roots` and returns its result with what it read. Throws
 * Unrecordable when the arguments are not plain data or `fn` writes to them (then nothing was written:
 * the write is refused before it happens).
 */
export function recordReads<T>(roots: readonly object[], fn: (...proxies: object[]) => T): { value: T; reads: ReadSet } {
  const rec = new Recording();
  const proxies = roots.map((root, i) => {
    if (rec.nodeOf.has(root)) throw new Unrecordable("the same object passed twice");
    const id = rec.node(-1, String(i), kindOf(root));
    rec.nodeOf.set(root, id);
    return rec.wrap(root, id);
  });
  const value = fn(...proxies);
  if (rec.refused) throw new Unrecordable("an emitter wrote to its IR");
  const reads: ReadSet = {
    roots: roots.length,
    keys: rec.keys,
    nodes: Int32Array.from(rec.nodes),
    ops: packed(rec.ops),
    values: rec.values,
  };
  return { value, reads };
}

/** The ops in two bytes each when every number fits (most units), else four. */
function packed(ops: number[]): Uint16Array | Int32Array {
  let max = 0;
  for (const n of ops) if (n > max) max = n;
  return max <= 0xffff ? Uint16Array.from(ops) : Int32Array.from(ops);
}

/** Whether `roots` hold the same values at every place `set` recorded a read (so the emitter would see the same). */
export function sameReads(set: ReadSet, roots: readonly object[]): boolean {
  const { keys, nodes, ops, values } = set;
  if (
    roots.length !== set.roots ||
    !(nodes instanceof Int32Array) ||
    !(ops instanceof Int32Array || ops instanceof Uint16Array) ||
    !Array.isArray(keys)
  )
    return false;
  if (!Array.isArray(values) || nodes.length % 3 || ops.length % 4 || nodes.length < roots.length * 3) return false;
  const count = nodes.length / 3;
  const objects: Array<object | undefined> = new Array<object | undefined>(count);
  const ids = new Map<object, number>();
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    if (ids.has(root) || safeKind(root) !== nodes[i * 3 + 2]) return false;
    objects[i] = root;
    ids.set(root, i);
  }
  for (let r = 0; r < ops.length; r += 4) {
    const o = objects[ops[r]!];
    if (!o) return false;
    const key = keys[ops[r + 1]!];
    if (typeof key !== "string") return false;
    const arg = ops[r + 3]!;
    switch (ops[r + 2]) {
      case 0:
        if (arg < 0 || arg >= values.length || !hasOwn(o, key) || !Object.is((o as Record<string, unknown>)[key], values[arg])) return false;
        break;
      case 1: {
        if (!hasOwn(o, key) || arg < 0 || arg >= count) return false;
        const v = (o as Record<string, unknown>)[key];
        if (typeof v !== "object" || v === null || ids.has(v) || safeKind(v) !== nodes[arg * 3 + 2]) return false;
        objects[arg] = v;
        ids.set(v, arg);
        break;
      }
      case 2:
        if (!hasOwn(o, key) || (o as Record<string, unknown>)[key] !== objects[arg]) return false;
        break;
      case 3:
        if (hasOwn(o, key)) return false;
        break;
      case 4:
        if (Reflect.has(o, key) !== (arg === 1)) return false;
        break;
      case 5: {
        const keys = Reflect.ownKeys(o);
        const want = values[arg] as string[];
        if (!Array.isArray(want) || keys.length !== want.length || keys.some((k, i) => k !== want[i])) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

function safeKind(value: object): number {
  try {
    return kindOf(value);
  } catch {
    return -1;
  }
}
