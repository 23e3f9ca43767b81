// A lazy object (generator/write/lazy-object.ts) stands in for a plain object read on first use: it
// forwards every look to the loaded value, and refuses a value it cannot stand in for (an array, whose
// stand-in would not be an array: Array.isArray and JSON.stringify would tell them apart).
import { describe, expect, it } from "vitest";
import { lazyObject, loadedValue } from "../../generator/write/lazy-object.js";

describe("lazy object", () => {
  it("loads once, on the first look, and forwards keys, values and the prototype", () => {
    let loads = 0;
    const value = { id: "a", list: [1, 2] };
    const lazy = lazyObject(() => (loads++, value));
    expect(loads).toBe(0);
    expect(lazy.id).toBe("a");
    expect(Object.keys(lazy)).toEqual(["id", "list"]);
    expect(Object.getPrototypeOf(lazy)).toBe(Object.prototype);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(value));
    expect(loadedValue(lazy)).toBe(value);
    expect(loads).toBe(1);
  });

  it("refuses to stand in for an array or a value that is not a plain object", () => {
    for (const made of [() => [1, 2], () => new Map(), () => null]) {
      const lazy = lazyObject(made as () => object);
      expect(() => Object.keys(lazy)).toThrow(TypeError);
    }
  });
});
