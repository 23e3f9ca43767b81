// An object read from the cache only when something first looks into it: a service whose units all
// come from the cache by its digest is never deserialised. It stands in for the value everywhere (a
// forwarding proxy of plain data: the keys, values and prototype are the loaded object's), and stays
// the same object for the life of the run, so what a unit recorded about which objects were the same
// holds. Not cloneable (structuredClone, postMessage): such a caller takes `loadedValue` first.
// Only for plain objects (prototype Object.prototype or null), never arrays: the stand-in is a plain
// object, so Array.isArray, JSON.stringify and a class's own slots would tell it from an array or
// an instance. A loaded value of another kind is refused (TypeError) on the first look.

const LOADED = Symbol("rtc-apigen.lazy-object");

function plainObject<T>(v: T): T {
  const proto = typeof v === "object" && v !== null && !Array.isArray(v) ? (Object.getPrototypeOf(v) as unknown) : undefined;
  if (proto !== Object.prototype && proto !== null) throw new TypeError("a lazy object stands in only for a plain, non-array object");
  return v;
}

/** `load` runs once, on the first look (a key, a value, `in`, the prototype); its errors reach the reader. It must yield a plain, non-array object. */
export function lazyObject<T extends object>(load: () => T): T {
  let value: T | undefined;
  const real = (): T => (value ??= plainObject(load()));
  return new Proxy({} as T, {
    get: (_t, key) => (key === LOADED ? real() : Reflect.get(real(), key)),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported configurable: the empty target has no such property, and a proxy may not say otherwise.
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: (_t, key, v) => Reflect.set(real(), key, v),
    defineProperty: (_t, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_t, key) => Reflect.deleteProperty(real(), key),
  });
}

/** The loaded object behind a lazy one (loading it now), or the value itself. */
export function loadedValue<T>(value: T): T {
  return typeof value === "object" && value !== null ? (((value as Record<symbol, unknown>)[LOADED] as T | undefined) ?? value) : value;
}
