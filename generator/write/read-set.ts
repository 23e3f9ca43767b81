// What an emitter read: it runs on proxies of its IR arguments that record every read (a property's
// value or absence, `in`, the list of keys, which objects were the same object), so that a later run
// can tell, without emitting, whether the emitter would see exactly the same values in a new IR. If
// it would, its output is the same (emitters are pure functions of their arguments and of the
// generator, whose fingerprint is part of the cache key), and is taken from the cache. An edit to one
// operation's description then re-emits only the units that read that description.
//
// Only plain data is recorded (objects with Object.prototype, null or Array.prototype, no symbol
// keys, no functions); anything else, or a write through a proxy, makes the unit unrecordable and it
// is emitted the ordinary way.

/** A recorded object: its parent node, the key it was read at, and its kind (0 object, 1 array, 2 null prototype). */
export type ReadNode = [parent: number, key: string, kind: 0 | 1 | 2];

/**
 * The reads, four entries each (flat: quick to store), of node `n`:
 * - `n, key, 0, value`: an own property holding a primitive;
 * - `n, key, 1, child`: an own property holding an object first seen here (node `child`);
 * - `n, key, 2, other`: an own property holding the object already recorded as node `other`;
 * - `n, key, 3, null`: no own property `key`;
 * - `n, key, 4, has`: `key in object`;
 * - `n, "", 5, keys`: the own keys, in order.
 */
export type Reads = unknown[];

/** Roots are nodes 0.. (the arguments, in order); every other node hangs from one. */
export interface ReadSet {
  roots: number;
  nodes: ReadNode[];
  reads: Reads;
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

/**
 * Runs `fn` on recording proxies of `roots` and returns its result with what it read. Throws
 * Unrecordable when the arguments are not plain data or `fn` writes to them (then nothing was written:
 * the write is refused before it happens).
 */
export function recordReads<T>(roots: readonly object[], fn: (...proxies: object[]) => T): { value: T; reads: ReadSet } {
  const nodes: ReadNode[] = [];
  const reads: Reads = [];
  const nodeOf = new Map<object, number>();
  const proxyOf = new Map<object, object>();
  /** Stands for `undefined` in the per-node memo of values handed out. */
  const UNDEFINED = {};
  /** Set by a refused write, so that an emitter catching the error still leaves the unit unrecorded. */
  let refused = false;

  const wrap = (target: object, node: number): object => {
    if (Object.getOwnPropertySymbols(target).length) throw new Unrecordable("symbol keys");
    // What each key gave: a value read in a loop is recorded (and looked up) once. The IR cannot
    // change while the emitter runs (writes are refused), so the first answer is the answer.
    const given = new Map<string, unknown>();
    const has = new Map<string, boolean>();
    let keysRead = false;
    const value = (t: object, key: string): unknown => {
      const known = given.get(key);
      if (known !== undefined) return known === UNDEFINED ? undefined : known;
      let v: unknown;
      if (!hasOwn(t, key)) {
        reads.push(node, key, 3, null);
        v = Reflect.get(t, key);
      } else v = child(node, key, (t as Record<string, unknown>)[key]);
      given.set(key, v === undefined ? UNDEFINED : v);
      return v;
    };
    const refuse = (): never => {
      refused = true;
      throw new Unrecordable("an emitter wrote to its IR");
    };
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "symbol") return Reflect.get(t, key, receiver) as unknown; // from the prototype: no own symbols
        return value(t, key);
      },
      has(t, key) {
        if (typeof key === "symbol") return Reflect.has(t, key);
        let answer = has.get(key);
        if (answer === undefined) {
          has.set(key, (answer = Reflect.has(t, key)));
          reads.push(node, key, 4, answer);
        }
        return answer;
      },
      ownKeys(t) {
        const keys = Reflect.ownKeys(t) as string[];
        if (!keysRead) reads.push(node, "", 5, [...keys]);
        keysRead = true;
        return keys;
      },
      getOwnPropertyDescriptor(t, key) {
        const d = Reflect.getOwnPropertyDescriptor(t, key);
        if (typeof key === "symbol") return d;
        if (!d) {
          value(t, key); // records the absence
          return d;
        }
        if (!("value" in d)) throw new Unrecordable("accessor property");
        // The value read through a descriptor is recorded like any other read.
        d.value = value(t, key);
        return d;
      },
      set: refuse,
      defineProperty: refuse,
      deleteProperty: refuse,
      setPrototypeOf: refuse,
      preventExtensions: refuse,
    });
    proxyOf.set(target, proxy);
    return proxy;
  };

  /** Records the own property `key` of node `n` holding `value`, and returns what the emitter gets. */
  const child = (n: number, key: string, value: unknown): unknown => {
    if (typeof value === "function" || typeof value === "symbol") throw new Unrecordable("not plain data");
    if (typeof value !== "object" || value === null) {
      reads.push(n, key, 0, value);
      return value;
    }
    const known = nodeOf.get(value);
    if (known !== undefined) {
      reads.push(n, key, 2, known);
      return proxyOf.get(value);
    }
    const id = nodes.length;
    nodes.push([n, key, kindOf(value)]);
    nodeOf.set(value, id);
    reads.push(n, key, 1, id);
    return wrap(value, id);
  };

  const proxies = roots.map((root, i) => {
    if (nodeOf.has(root)) throw new Unrecordable("the same object passed twice");
    nodes.push([-1, String(i), kindOf(root)]);
    nodeOf.set(root, i);
    return wrap(root, i);
  });
  const value = fn(...proxies);
  if (refused) throw new Unrecordable("an emitter wrote to its IR");
  return { value, reads: { roots: roots.length, nodes, reads } };
}

/** Whether `roots` hold the same values at every place `set` recorded a read (so the emitter would see the same). */
export function sameReads(set: ReadSet, roots: readonly object[]): boolean {
  if (roots.length !== set.roots) return false;
  const objects: Array<object | undefined> = new Array<object | undefined>(set.nodes.length);
  const ids = new Map<object, number>();
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    if (ids.has(root) || safeKind(root) !== set.nodes[i]![2]) return false;
    objects[i] = root;
    ids.set(root, i);
  }
  const reads = set.reads;
  if (reads.length % 4) return false;
  for (let r = 0; r < reads.length; r += 4) {
    const o = objects[reads[r] as number];
    if (!o) return false;
    const key = reads[r + 1] as string;
    const arg = reads[r + 3];
    switch (reads[r + 2]) {
      case 0:
        if (!hasOwn(o, key) || !Object.is((o as Record<string, unknown>)[key], arg)) return false;
        break;
      case 1: {
        if (!hasOwn(o, key)) return false;
        const v = (o as Record<string, unknown>)[key];
        const node = arg as number;
        if (typeof v !== "object" || v === null || ids.has(v) || safeKind(v) !== set.nodes[node]?.[2]) return false;
        objects[node] = v;
        ids.set(v, node);
        break;
      }
      case 2:
        if (!hasOwn(o, key) || (o as Record<string, unknown>)[key] !== objects[arg as number]) return false;
        break;
      case 3:
        if (hasOwn(o, key)) return false;
        break;
      case 4:
        if (Reflect.has(o, key) !== arg) return false;
        break;
      case 5: {
        const keys = Reflect.ownKeys(o);
        const want = arg as string[];
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
