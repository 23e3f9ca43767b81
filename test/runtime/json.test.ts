import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parse as losslessParse, stringify as losslessStringify } from "lossless-json";
import {
  applyRepresentation,
  JsonParseError,
  parseJson,
  parseResponseJson,
  stringifyJson,
  type Representation,
} from "../../templates/runtime/src/shared/json.js";

// ---- oracles and helpers ----

const isIntegerLiteral = (s: string) => /^-?\d+$/.test(s);

/** lossless-json with our number rule: the second, independent parser. Duplicate keys: last wins, as in JSON.parse. */
function oracleParse(text: string): unknown {
  return losslessParse(text, null, {
    parseNumber: (s) => (isIntegerLiteral(s) && !Number.isSafeInteger(Number(s)) ? BigInt(s) : Number(s)),
    onDuplicateKey: ({ newValue }) => newValue,
  });
}

function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Rebuilds plain data bottom-up, with `leaf` applied to every non-container. */
function mapLeaves(v: unknown, leaf: (x: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => mapLeaves(e, leaf));
  if (v !== null && typeof v === "object") {
    const out = {};
    for (const [k, e] of Object.entries(v)) defineOwn(out, k, mapLeaves(e, leaf));
    return out;
  }
  return leaf(v);
}

/** What JSON.parse gives for the same text: every bigint rounded to a number. */
const rounded = (v: unknown) => mapLeaves(v, (x) => (typeof x === "bigint" ? Number(x) : x));

/**
 * What parseJson(stringifyJson(v)) must give: -0 is written "0"; an unsafe integer double below
 * 1e21 is written as a plain integer literal (its shortest digits), so it comes back as that bigint.
 */
const viaJson = (v: unknown) =>
  mapLeaves(v, (x) => {
    if (typeof x !== "number") return x;
    if (Object.is(x, -0)) return 0;
    if (Number.isInteger(x) && !Number.isSafeInteger(x) && Math.abs(x) < 1e21) return BigInt(String(x));
    return x;
  });

/** Throws what parseJson threw, or returns it; fails the test on anything but a JsonParseError. */
function parseError(text: string): JsonParseError {
  try {
    parseJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(JsonParseError);
    return e as JsonParseError;
  }
  throw new Error(`parseJson accepted ${JSON.stringify(text)}`);
}

function accepts(parse: (t: string) => unknown, text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Line and column (1-based, UTF-16 units) of an offset, computed the slow, obvious way. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

// A string with a 16-digit run sends the whole text down the hand-written parser.
const SLOW = "0000000000000000";
const slow = (text: string) => (parseJson(`[${text},"${SLOW}"]`) as unknown[])[0];

// ---- arbitraries ----

const beyondSafe = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 70n), max: -(2n ** 53n) }),
  fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 144115233775727695n),
);

const leaf = fc.oneof(
  beyondSafe,
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.stringMatching(/^-?\d{14,24}$/),
  fc.boolean(),
  fc.constant(null),
);

/** JSON-shaped values with big integers, numeric strings, "__proto__" keys and lone surrogates. */
const losslessValue = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc
    .array(fc.tuple(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.constant("__proto__")), tie("value")), {
      maxLength: 5,
    })
    .map((entries) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of entries) defineOwn(o, k, v);
      return o;
    }),
})).value;

const jsonValue = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: "binary" }));

const WHITESPACE = [" ", "\t", "\n", "\r", "\r\n", "  "];

/** The value written by hand with whitespace from `ws` (cycled) around every token. */
function writeSpaced(v: unknown, ws: readonly string[]): string {
  let i = 0;
  const w = () => (ws.length ? ws[i++ % ws.length]! : "");
  const write = (x: unknown): string => {
    if (Array.isArray(x)) return `[${w()}${x.map((e) => w() + write(e) + w()).join(",")}${w()}]`;
    if (x !== null && typeof x === "object") {
      const members = Object.entries(x).map(([k, e]) => `${w()}${JSON.stringify(k)}${w()}:${w()}${write(e)}${w()}`);
      return `{${w()}${members.join(",")}${w()}}`;
    }
    return stringifyJson(x);
  };
  return w() + write(v) + w();
}

const MUTATION_ALPHABET = [...'[]{},:"\\0123456789-+.eEtrufalsn x/', "\u0000", "\u001f", "\ud800", "\u00e9"];

/** One edit of `text`: delete, insert, or replace a character. */
const mutated = (texts: fc.Arbitrary<string>) =>
  texts.chain((text) =>
    fc
      .tuple(fc.nat({ max: text.length }), fc.constantFrom(...MUTATION_ALPHABET), fc.constantFrom("delete", "insert", "replace"))
      .map(([at, c, edit]) =>
        edit === "insert" ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + (edit === "replace" ? c : "") + text.slice(at + 1),
      ),
  );

// ---- parseJson: properties ----

describe("parseJson properties", () => {
  it("agrees with JSON.parse on any JSON text, and with lossless-json on the integers", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const text = JSON.stringify(v);
        const parsed = parseJson(text);
        expect(rounded(parsed)).toStrictEqual(JSON.parse(text));
        expect(parsed).toStrictEqual(oracleParse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips big integers exactly through stringifyJson", () => {
    fc.assert(
      fc.property(losslessValue, (v) => {
        const text = stringifyJson(v);
        expect(parseJson(text)).toStrictEqual(viaJson(v));
        expect(parseJson(text)).toStrictEqual(oracleParse(text));
        expect(text).toBe(losslessStringify(v));
        expect(rounded(parseJson(text))).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("ignores whitespace between tokens", () => {
    fc.assert(
      fc.property(losslessValue, fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 7 }), (v, ws) => {
        const text = writeSpaced(v, ws);
        expect(parseJson(text)).toStrictEqual(viaJson(v));
        expect(parseJson(text)).toStrictEqual(oracleParse(text));
        expect(rounded(parseJson(text))).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it("takes the hand-written path on a long digit run in a string and still agrees with JSON.parse", () => {
    const digits = fc.stringMatching(/^\d{16,40}$/);
    fc.assert(
      fc.property(jsonValue, digits, fc.string({ maxLength: 4 }), (v, d, around) => {
        const text = JSON.stringify({ id: `${around}${d}${around}`, v });
        expect(rounded(parseJson(text))).toStrictEqual(JSON.parse(text));
        expect(parseJson(text)).toStrictEqual(oracleParse(text));
        // The same value through both paths.
        const plain = JSON.stringify(v);
        expect(slow(plain)).toStrictEqual(parseJson(plain));
      }),
      { numRuns: 500 },
    );
  });

  it("throws a JsonParseError exactly at the end of any truncated text that is not JSON by itself", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          losslessValue.map(stringifyJson),
          fc.tuple(losslessValue, fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 3 })).map(([v, ws]) => writeSpaced(v, ws)),
        ),
        (text) => {
          for (let cut = 0; cut < text.length; cut++) {
            const prefix = text.slice(0, cut);
            if (accepts(JSON.parse, prefix)) {
              expect(parseJson(prefix)).toStrictEqual(oracleParse(prefix));
              continue;
            }
            const error = parseError(prefix);
            expect(error.position).toBe(prefix.length);
            expect(error.message).toMatch(/^Unexpected end of JSON input/);
            expect({ line: error.line, column: error.column }).toStrictEqual(lineColumn(prefix, error.position));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("accepts exactly what JSON.parse and lossless-json accept after one random edit", () => {
    const texts = fc.oneof(
      jsonValue.map((v) => JSON.stringify(v)),
      losslessValue.map(stringifyJson),
    );
    fc.assert(
      fc.property(mutated(texts), (text) => {
        const native = accepts(JSON.parse, text);
        expect(accepts(oracleParse, text)).toBe(native);
        if (native) {
          expect(parseJson(text)).toStrictEqual(oracleParse(text));
          expect(rounded(parseJson(text))).toStrictEqual(JSON.parse(text));
        } else {
          const error = parseError(text);
          expect(error.position).toBeGreaterThanOrEqual(0);
          expect(error.position).toBeLessThanOrEqual(text.length);
          expect({ line: error.line, column: error.column }).toStrictEqual(lineColumn(text, error.position));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- parseJson: examples ----

describe("parseJson numbers", () => {
  it("reads the Live Owner_Account example exactly", () => {
    const text = '{"Response":{"RoomId":"rid-123","Owner_Account" : 144115233775727695,"CreateTime": 1693271354}}';
    expect(JSON.parse(text).Response.Owner_Account).toBe(144115233775727680);
    expect(parseJson(text)).toStrictEqual({
      Response: { RoomId: "rid-123", Owner_Account: 144115233775727695n, CreateTime: 1693271354 },
    });
    expect(parseJson(text, { Response: { Owner_Account: "string" } })).toStrictEqual({
      Response: { RoomId: "rid-123", Owner_Account: "144115233775727695", CreateTime: 1693271354 },
    });
  });

  it.each([
    ["9007199254740991", 9007199254740991],
    ["-9007199254740991", -9007199254740991],
    ["9007199254740992", 9007199254740992n],
    ["-9007199254740992", -9007199254740992n],
    ["-9007199254740993", -9007199254740993n],
    ["18446744073709551615", 18446744073709551615n],
    ["-9223372036854775808", -9223372036854775808n],
    ["-144115233775727695", -144115233775727695n],
    ["123456789012345678901234567890", 123456789012345678901234567890n],
    ["1000000000000000", 1000000000000000],
    ["0", 0],
  ])("integer %s", (text, expected) => {
    expect(parseJson(text)).toBe(expected);
    expect(slow(text)).toBe(expected);
    expect(parseJson(`[${text}]`)).toStrictEqual([expected]);
  });

  it("finds a 16-digit integer at every offset (the pre-scan probes every 16th character)", () => {
    for (let offset = 0; offset < 40; offset++) {
      for (const [literal, expected] of [
        ["9007199254740993", 9007199254740993n],
        ["-9007199254740993", -9007199254740993n],
        ["100000000000000000000", 100000000000000000000n],
        ["900719925474099", 900719925474099],
      ] as const) {
        expect(parseJson(`${" ".repeat(offset)}[${literal}]`)).toStrictEqual([expected]);
        expect(parseJson(`{"${"k".repeat(offset)}":${literal},"z":1}`)).toStrictEqual({
          ["k".repeat(offset)]: expected,
          z: 1,
        });
        expect((parseJson(`[${"1,".repeat(offset)}${literal}]`) as unknown[]).at(-1)).toBe(expected);
      }
    }
  });

  it.each(["-0", "-0.0", "-0e5", "-0E-0"])("%s is negative zero", (text) => {
    expect(Object.is(parseJson(text), -0)).toBe(true);
    expect(Object.is(slow(text), -0)).toBe(true);
  });

  it.each([
    "1e400",
    "-1e400",
    "1E+400",
    "1e-400",
    "-1e-400",
    "3.14159265358979323846264338327950288",
    "12345678901234567890.0",
    "12345678901234567890e0",
    "123456789012345678901234567890e-10",
    "9007199254740993.5",
    "0.1",
    "1.7976931348623157e308",
    "5e-324",
    "1E2",
  ])("float %s is what JSON.parse gives", (text) => {
    expect(parseJson(text)).toBe(JSON.parse(text));
    expect(slow(text)).toBe(JSON.parse(text));
  });

  it("gives Infinity for an out-of-range float, as JSON.parse does", () => {
    expect(parseJson("1e400")).toBe(Infinity);
    expect(parseJson("-1e400")).toBe(-Infinity);
  });
});

describe("parseJson strings", () => {
  it.each([
    ['"\\u00e9\\u00E9"', "éé"],
    ['"\\ud83d\\ude00"', "😀"],
    ['"\\uD83D\\uDE00x"', "😀x"],
    ['"😀"', "😀"],
    ['"\\ud800"', "\ud800"],
    ['"\\udc00\\ud800"', "\udc00\ud800"],
    ['"\ud800"', "\ud800"],
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'],
    ['"\\u0000"', "\u0000"],
    ['"\u007f\u2028\u2029"', "\u007f\u2028\u2029"],
    ['""', ""],
    ['"9007199254740993"', "9007199254740993"],
  ])("%s", (text, expected) => {
    expect(JSON.parse(text)).toBe(expected);
    expect(parseJson(text)).toBe(expected);
    expect(slow(text)).toBe(expected);
  });
});

describe("parseJson structure", () => {
  function nestedArrays(depth: number, inner: string): string {
    return "[".repeat(depth) + inner + "]".repeat(depth);
  }

  it.each([
    ["no long integer", "1"],
    ["a big integer inside", "12345678901234567890"],
  ])("handles 100,000 levels of arrays (%s)", (_, inner) => {
    const depth = 100_000;
    let v = parseJson(nestedArrays(depth, inner));
    let levels = 0;
    for (; Array.isArray(v); levels++) v = v[0];
    expect(levels).toBe(depth);
    expect(v).toBe(inner === "1" ? 1 : 12345678901234567890n);
  });

  it("handles 50,000 levels of objects on the hand-written path", () => {
    const depth = 50_000;
    let v = parseJson('{"a":'.repeat(depth) + '"' + SLOW + '"' + "}".repeat(depth));
    for (let i = 0; i < depth; i++) v = (v as Record<string, unknown>)["a"];
    expect(v).toBe(SLOW);
  });

  it.each([
    ["native path", '{"__proto__":{"polluted":true},"a":[{"__proto__":1}]}'],
    ["hand-written path", '{"__proto__":{"polluted":true},"a":[{"__proto__":1}],"big":12345678901234567890}'],
  ])("keeps __proto__ as an own property (%s)", (_, text) => {
    const v = parseJson(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toContain("__proto__");
    expect(Object.getOwnPropertyDescriptor(v, "__proto__")?.value).toStrictEqual({ polluted: true });
    expect(v["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor((v["a"] as object[])[0], "__proto__")?.value).toBe(1);
    expect(rounded(v)).toStrictEqual(JSON.parse(text));
  });

  it("lets the last duplicate key win, in the first key's place, like JSON.parse", () => {
    for (const text of ['{"a":1,"b":2,"a":3}', '{"a":1,"b":2,"a":12345678901234567890}', '{"__proto__":1,"__proto__":2}']) {
      const v = parseJson(text) as object;
      expect(Object.keys(v)).toStrictEqual(Object.keys(JSON.parse(text)));
      expect(rounded(v)).toStrictEqual(JSON.parse(text));
    }
  });

  it("returns plain objects and arrays", () => {
    const v = slow('{"a":[],"b":{}}') as { a: unknown; b: unknown };
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Array.isArray(v.a)).toBe(true);
    expect(Object.getPrototypeOf(v.b)).toBe(Object.prototype);
  });
});

describe("parseJson errors", () => {
  it.each([
    ["", 0, "Unexpected end"],
    ["   ", 3, "Unexpected end"],
    ["\n\n", 2, "Unexpected end"],
    ["{} x", 3, 'Unexpected character "x"'],
    ["[1] [2]", 4, 'Unexpected character "["'],
    ["1 2", 2, 'Unexpected character "2"'],
    ["[1,", 3, "Unexpected end"],
    ['{"a":1', 6, "Unexpected end"],
    ['{"a":12345678901234567890', 25, "Unexpected end"],
    ['"abc', 4, "Unexpected end"],
    ["tru", 3, "Unexpected end"],
    ["trux", 3, 'Unexpected character "x"'],
    ["nul", 3, "Unexpected end"],
    ["True", 0, 'Unexpected character "T"'],
    ["01", 1, 'Unexpected character "1"'],
    ["-", 1, "Unexpected end"],
    ["-a", 1, 'Unexpected character "a"'],
    ["1.", 2, "Unexpected end"],
    ["1.e5", 2, 'Unexpected character "e"'],
    ["1e", 2, "Unexpected end"],
    ["1e+", 3, "Unexpected end"],
    [".5", 0, 'Unexpected character "."'],
    ["+1", 0, 'Unexpected character "+"'],
    ["NaN", 0, 'Unexpected character "N"'],
    ["Infinity", 0, 'Unexpected character "I"'],
    ["[1,]", 3, 'Unexpected character "]"'],
    ['{"a":1,}', 7, 'Unexpected character "}"'],
    ["{'a':1}", 1, 'Unexpected character "\'"'],
    ["{a:1}", 1, 'Unexpected character "a"'],
    ['{"a" 1}', 5, 'Unexpected character "1"'],
    ['["a" "b"]', 5, 'Unexpected character "\\""'],
    ['"a\u0001"', 2, 'Unexpected character "\\u0001"'],
    ['"a\nb"', 2, 'Unexpected character "\\n"'],
    ['"\\x"', 2, 'Unexpected character "x"'],
    ['"\\u12G4"', 5, 'Unexpected character "G"'],
    ['"\\u12', 5, "Unexpected end"],
    ['"\\', 2, "Unexpected end"],
    ["\uFEFF1", 0, 'Unexpected character "\uFEFF"'],
    ["[12345678901234567890", 21, "Unexpected end"],
    ["\u00a01", 0, 'Unexpected character "\u00a0"'],
  ])("%j fails at offset %i", (text, position, message) => {
    expect(accepts(JSON.parse, text)).toBe(false);
    const error = parseError(text);
    expect(error.position).toBe(position);
    expect(error.message.startsWith(message)).toBe(true);
    expect({ line: error.line, column: error.column }).toStrictEqual(lineColumn(text, position));
  });

  it("reports line and column", () => {
    const error = parseError('{\n  "a": 1,\n  "b": tru\n}');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("JsonParseError");
    expect([error.line, error.column, error.position]).toStrictEqual([3, 11, 22]);
    expect(error.message).toBe('Unexpected character "\\n" at line 3, column 11 (expected "true")');
  });

  it("refuses a non-string with a TypeError", () => {
    expect(() => parseJson(undefined as unknown as string)).toThrow(TypeError);
  });
});

// ---- stringifyJson ----

// ---- parseResponseJson: the client's path (JSON.parse, long integers marked as strings first) ----

describe("parseResponseJson", () => {
  /** Strings holding the marks it may choose, raw and escaped, and digit runs. */
  const markish = fc.oneof(
    losslessValue,
    fc.tuple(losslessValue, fc.constantFrom("\ue000", "\ue001", "\ue0001234567890123456789", "\\ue000")).map(([v, s]) => ({ s, v })),
  );

  it("gives what the hand-written parser gives, on any text with big integers, digit runs in strings and mark characters", () => {
    fc.assert(
      fc.property(markish, fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 3 }), (v, ws) => {
        for (const text of [stringifyJson(v), writeSpaced(v, ws), stringifyJson(v).replace(/\ue000/g, "\\uE000")]) {
          expect(parseResponseJson(text).value).toStrictEqual(parseJson(text));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses an unsafe integer in a property name's place, as JSON.parse and parseJson do", () => {
    for (const text of ["{12345678901234567890:1}", '{"a":{99999999999999999999:[1]}}']) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(() => parseJson(text)).toThrow();
      expect(() => parseResponseJson(text)).toThrow(SyntaxError);
    }
  });

  it("accepts exactly what JSON.parse accepts after one random edit", () => {
    fc.assert(
      fc.property(mutated(losslessValue.map((v) => stringifyJson(v))), (text) => {
        expect(accepts((t) => parseResponseJson(t), text)).toBe(accepts(JSON.parse, text));
      }),
      { numRuns: 1000 },
    );
  });

  it("lists the strays: bigints away from a bigint key, and numbers beyond Number's range", () => {
    const text = '{"A":12345678901234567890,"B":{"C":[1e400,-98765432109876543210]},"D":"12345678901234567890","E":18446744073709551615}';
    const { value, strays } = parseResponseJson(text, { E: "bigint" });
    expect(value).toStrictEqual({
      A: 12345678901234567890n,
      B: { C: [Infinity, -98765432109876543210n] },
      D: "12345678901234567890",
      E: 18446744073709551615n,
    });
    expect(strays).toStrictEqual([
      { path: "A", value: 12345678901234567890n },
      { path: "B.C[0]", value: Infinity },
      { path: "B.C[1]", value: -98765432109876543210n },
    ]);
    expect(parseResponseJson('{"A":1,"D":"12345678901234567890"}').strays).toBeUndefined();
  });

  it("keeps a __proto__ key's big integer an own property", () => {
    const value = parseResponseJson('{"__proto__":12345678901234567890}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(12345678901234567890n);
  });
});

describe("stringifyJson", () => {
  it("is JSON.stringify for values without bigints", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withNullPrototype: true,
          withSparseArray: true,
        }),
        (v) => {
          const native = JSON.stringify(v) as string | undefined;
          if (native === undefined) expect(() => stringifyJson(v)).toThrow(TypeError);
          else expect(stringifyJson(v)).toBe(native);
        },
      ),
    );
  });

  it("writes bigints as bare integers", () => {
    expect(stringifyJson(144115233775727695n)).toBe("144115233775727695");
    expect(stringifyJson({ a: -(2n ** 70n), b: [1n, 2, "3"] })).toBe('{"a":-1180591620717411303424,"b":[1,2,"3"]}');
    expect(stringifyJson({ toJSON: () => 5n })).toBe("5");
    expect(stringifyJson({ a: undefined, b: 1n })).toBe('{"b":1}');
  });

  it("writes bigints bare even when BigInt.prototype.toJSON is defined", () => {
    const proto = BigInt.prototype as { toJSON?: () => string };
    proto.toJSON = function (this: bigint) {
      return this.toString();
    };
    try {
      expect(stringifyJson({ a: 12345678901234567890n, b: [1n] })).toBe('{"a":12345678901234567890,"b":[1]}');
      expect(stringifyJson({ a: 1 })).toBe('{"a":1}');
    } finally {
      delete proto.toJSON;
    }
  });

  it("is not fooled by strings and keys that look like its markers", () => {
    // White box: the marker is U+E000, a counter and U+E001.
    const tricky = fc.string({
      unit: fc.constantFrom("\uE000", "\uE001", "0", "1", "-", '"', "\\", ":"),
      maxLength: 12,
    });
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        tricky,
        beyondSafe,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(tricky, tie("value"), { maxKeys: 4, noNullPrototype: true }),
      ),
    })).value;
    fc.assert(
      fc.property(value, (v) => {
        const text = stringifyJson(v);
        expect(text).toBe(losslessStringify(v));
        expect(parseJson(text)).toStrictEqual(viaJson(v));
      }),
      { numRuns: 500 },
    );
    const collisions = { a: "\uE0000\uE001" + "5", "\uE0001\uE0017": 1n, b: ['"\uE0000\uE0019"', 2n] };
    expect(stringifyJson(collisions)).toBe(losslessStringify(collisions));
  });

  it("throws TypeError on cycles and on values with no JSON form", () => {
    const cycle: Record<string, unknown> = { big: 1n };
    cycle["self"] = cycle;
    expect(() => stringifyJson(cycle)).toThrow(TypeError);
    expect(() => stringifyJson(undefined)).toThrow(TypeError);
    expect(() => stringifyJson(() => 1)).toThrow(TypeError);
  });
});

// ---- applyRepresentation ----

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object") {
    for (const e of Object.values(v)) deepFreeze(e);
    Object.freeze(v);
  }
  return v;
}

describe("applyRepresentation", () => {
  it("converts leaves to strings", () => {
    const plan: Representation = { v: "string" };
    const cases: Array<[unknown, unknown]> = [
      [42, "42"],
      [-7, "-7"],
      [-0, "0"],
      [144115233775727695n, "144115233775727695"],
      [-(2n ** 63n), "-9223372036854775808"],
      [1e21, "1000000000000000000000"],
      [2 ** 60, "1152921504606846976"],
      ["144115233775727695", "144115233775727695"],
      ["abc", "abc"],
      [1.5, 1.5],
      [NaN, NaN],
      [Infinity, Infinity],
      [true, true],
      [null, null],
    ];
    for (const [from, to] of cases) expect(applyRepresentation({ v: from }, plan)).toStrictEqual({ v: to });
  });

  it("converts leaves to bigints", () => {
    const plan: Representation = { v: "bigint" };
    const cases: Array<[unknown, unknown]> = [
      [42, 42n],
      [-0, 0n],
      [2 ** 60, 2n ** 60n],
      [144115233775727695n, 144115233775727695n],
      ["42", "42"],
      [1.5, 1.5],
      [null, null],
      [{ a: 1 }, { a: 1 }],
    ];
    for (const [from, to] of cases) expect(applyRepresentation({ v: from }, plan)).toStrictEqual({ v: to });
  });

  it("follows nested objects and arrays of objects", () => {
    const value = parseJson(
      '{"Response":{"Room":{"Owner_Account":144115233775727695,"Name":"r"},' +
        '"Users":[{"Id":12345678901234567890,"Seq":3},{"Id":5,"Seq":12345678901234567890},null,"x",[{"Id":1}]],' +
        '"Ids":[1,12345678901234567890,"3",null,1.5],"RequestId":"req"}}',
    );
    const plan: Representation = {
      Response: { Room: { Owner_Account: "string" }, Users: { Id: "string", Seq: "bigint" }, Ids: "bigint" },
    };
    expect(applyRepresentation(value, plan)).toStrictEqual({
      Response: {
        Room: { Owner_Account: "144115233775727695", Name: "r" },
        // Arrays are transparent one level deep: the nested array is left for validation.
        Users: [{ Id: "12345678901234567890", Seq: 3n }, { Id: "5", Seq: 12345678901234567890n }, null, "x", [{ Id: 1 }]],
        Ids: [1n, 12345678901234567890n, "3", null, 1.5],
        RequestId: "req",
      },
    });
  });

  it("applies a plan to each element of a top-level array", () => {
    expect(applyRepresentation([{ a: 1 }, { a: 2n }, 3], { a: "string" })).toStrictEqual([{ a: "1" }, { a: "2" }, 3]);
  });

  it("never mutates its input and shares what it does not change", () => {
    const untouched = { deep: { list: [1, 2, 3] } };
    const users = [{ Id: 1, Meta: { x: 1 } }, { Name: "no id" }];
    const input = deepFreeze({ Response: { Users: users, Other: untouched, Count: 2 }, Sibling: { Id: 1 } });
    const before = structuredClone(input);
    const out = applyRepresentation(input, { Response: { Users: { Id: "string" } } }) as typeof input;
    expect(input).toStrictEqual(before);
    expect(out).not.toBe(input);
    expect(out.Response).not.toBe(input.Response);
    expect(out.Response.Users).not.toBe(users);
    expect(out.Response.Users[0]).toStrictEqual({ Id: "1", Meta: { x: 1 } });
    expect(out.Response.Users[0]!.Meta).toBe(users[0]!.Meta);
    expect(out.Response.Users[1]).toBe(users[1]);
    expect(out.Response.Other).toBe(untouched);
    expect(out.Sibling).toBe(input.Sibling);
  });

  it("returns the input itself when nothing changes", () => {
    const input = deepFreeze({ a: { b: "already a string" }, c: [{ b: 1.5 }], d: null });
    expect(applyRepresentation(input, { a: { b: "string" }, c: { b: "string" }, d: { e: "bigint" }, missing: "string" })).toBe(input);
    expect(applyRepresentation("text", { a: "string" })).toBe("text");
    expect(applyRepresentation(null, { a: "string" })).toBe(null);
  });

  it("ignores inherited properties and handles __proto__ keys as data", () => {
    const inherited = JSON.parse('{"toString":"string","hasOwnProperty":"bigint"}') as Representation;
    expect(applyRepresentation({}, inherited)).toStrictEqual({});
    const value = parseJson('{"__proto__":{"Id":5},"x":1}');
    const plan = parseJson('{"__proto__":{"Id":"string"}}') as Representation;
    const out = applyRepresentation(value, plan) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toStrictEqual({ Id: "5" });
    expect(Object.keys(out)).toStrictEqual(["__proto__", "x"]);
  });

  it("parseJson(text, plan) is parse then apply", () => {
    const text = '{"a":[{"b":1},{"b":12345678901234567890}],"c":7}';
    const plan: Representation = { a: { b: "string" }, c: "bigint" };
    expect(parseJson(text, plan)).toStrictEqual(applyRepresentation(parseJson(text), plan));
    expect(parseJson(text, plan)).toStrictEqual({ a: [{ b: "1" }, { b: "12345678901234567890" }], c: 7n });
    expect(parseJson(text, null)).toStrictEqual(parseJson(text));
  });

  it("is idempotent, never mutates, and returns the input when the result equals it (random plans)", () => {
    const keys = fc.constantFrom("a", "b", "c", "__proto__");
    const plan = fc.letrec<{ plan: Representation; rule: Representation[string] }>((tie) => ({
      rule: fc.oneof({ depthSize: "small" }, fc.constantFrom<"string" | "bigint">("string", "bigint"), tie("plan")),
      plan: fc.dictionary(keys, tie("rule"), { maxKeys: 3, noNullPrototype: true }),
    })).plan;
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(keys, tie("value"), { maxKeys: 3, noNullPrototype: true }),
      ),
    })).value;
    fc.assert(
      fc.property(value, plan, (v, p) => {
        const before = structuredClone(v);
        const once = applyRepresentation(v, p);
        expect(v).toStrictEqual(before);
        expect(applyRepresentation(once, p)).toStrictEqual(once);
        if (Object.is(once, v)) return;
        // Every change turns a number into a string or bigint, so a different result is never equal.
        expect(once).not.toStrictEqual(v);
      }),
      { numRuns: 500 },
    );
  });
});
