import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonText, stringifyJson } from "../../generator/ir/json-text.js";

describe("stringifyJson", () => {
  it("writes a value without bigints as JSON.stringify does", () => {
    const value = { a: [1, "x", null, { b: true }], "c\u0000": -0.5, d: "\u2028" };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson(value, 2)).toBe(JSON.stringify(value, undefined, 2));
  });

  it("writes bigints as bare integers, at any depth", () => {
    const value = { big: 2n ** 70n, list: [1, -(2n ** 64n), { deep: 9007199254740993n }], s: "9007199254740993" };
    expect(stringifyJson(value)).toBe(
      '{"big":1180591620717411303424,"list":[1,-18446744073709551616,{"deep":9007199254740993}],"s":"9007199254740993"}',
    );
    expect(stringifyJson(value, 2)).toContain('\n      "deep": 9007199254740993\n');
  });

  it("round-trips what parseJsonText reads", () => {
    const text = '{"id":12345678901234567890,"n":[1.5,2]}';
    const parsed = parseJsonText(text);
    expect("value" in parsed && stringifyJson(parsed.value)).toBe(text);
  });
});

describe("stringifyJson against JSON.stringify", () => {
  // Values JSON.stringify writes in its own ways: left-out members, non-finite numbers, -0, empty
  // containers, keys that look like indices (listed first), escapes, toJSON.
  const tricky = {
    b: 1,
    a: [undefined, () => 1, Symbol("s"), NaN, -Infinity, -0, 1e21, 1.5e-7, [], {}, [[]], [{}]],
    "2": "second",
    "1": { skip: undefined, fn: () => 1, keep: null },
    'quote"and\\\\back\nslash': "\u0000\u001f\u2028\ud800 lone surrogate",
    date: new Date(0),
    nested: { deeper: { deepest: [true, false, "x"] } },
    empty: {},
  };
  it.each([undefined, 0, 1, 2, 4, 12])("with indent %s", (indent) => {
    expect(stringifyJson(tricky as never, indent)).toBe(JSON.stringify(tricky, undefined, indent));
  });

  it("of a bare value", () => {
    for (const v of [null, true, 0, "s", [], {}]) expect(stringifyJson(v as never, 2)).toBe(JSON.stringify(v, undefined, 2));
  });
});

describe("stringifyJson with bigints (its own writer)", () => {
  /** What JSON.stringify writes with each bigint swapped for a marker, the marker then swapped back: the old way, kept as the oracle. */
  const oracle = (value: unknown, indent?: number) => {
    const marks: string[] = [];
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `\u0000big${marks.push(v.toString()) - 1}\u0000` : v), indent);
    return text.replace(/"\\u0000big(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
  };

  it.each([undefined, 0, 2, 12])("writes the tricky values as JSON.stringify does, with indent %s", (indent) => {
    const tricky = {
      b: 1,
      a: [undefined, () => 1, Symbol("s"), NaN, -Infinity, -0, 1e21, [], {}, [[]], [{}], 2n ** 64n],
      "2": "second",
      "1": { skip: undefined, fn: () => 1, keep: null, big: -(2n ** 70n) },
      'quote"and\\back\nslash': "\u0000\u001f\u2028\ud800 lone surrogate",
      date: new Date(0),
      empty: {},
    };
    expect(stringifyJson(tricky as never, indent)).toBe(oracle(tricky, indent));
  });

  it("writes any JSON value with bigints in it as the oracle does", () => {
    const leaf = fc.oneof(fc.bigInt(), fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value")), fc.dictionary(fc.string(), tie("value"))),
    }));
    fc.assert(
      fc.property(fc.tuple(value, fc.bigInt()), fc.constantFrom(undefined, 2, 4), ([v, big], indent) => {
        const withBig = [v, big]; // at least one bigint: the own writer's path
        expect(stringifyJson(withBig as never, indent)).toBe(oracle(withBig, indent));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a circular structure with a TypeError, as JSON.stringify does", () => {
    const loop: Record<string, unknown> = { big: 1n };
    loop.self = { loop };
    expect(() => stringifyJson(loop as never)).toThrow(TypeError);
  });
});
