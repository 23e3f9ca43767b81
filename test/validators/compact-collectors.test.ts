// The collectors stay small (issue 15): a scalar field's checks are one call of a runtime check with a
// shared rule, and those checks word every issue as the inline code they replaced did.
import { describe, expect, it } from "vitest";
import { emitValidatorsSource } from "../../generator/emit/validators-emitter.js";
import { INT_RANGES, MAX_SAFE } from "../../generator/ir/int-ranges.js";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { SymbolRegistry } from "../../generator/emit/symbols.js";
import {
  formatDate,
  intRule,
  ITEM,
  listRule,
  numRule,
  strRule,
  vBig,
  vDec,
  vInt,
  vList,
  vNum,
  vStr,
} from "../../templates/runtime/src/validation-core.js";
import type { Issue, Issues } from "../../templates/runtime/src/validation/validation-core.js";

const ir = checkSpecs(await loadSpecs("specs")).ir!;

/** The body of `function name(…) { … }` in `text`. */
function body(text: string, name: string): string {
  const start = text.indexOf(`\nfunction ${name}(`);
  return text.slice(start, text.indexOf("\n}\n", start));
}

describe("collectors of the real specs", () => {
  for (const service of ir.services) {
    it(`${service.id}: a scalar field is a test and one call of a runtime check, and no collector words an issue itself`, () => {
      const text = emitValidatorsSource(service);
      const symbols = new SymbolRegistry(service);
      for (const shape of service.shapes) {
        const c = body(text, `c${symbols.shape(shape.name)}`);
        // No collector words an issue: a value that is no object and an unknown key are runtime calls too.
        expect(c.match(/\b(got|issue|report)\(/g), shape.name).toBeNull();
        expect(c.match(/\b(notObject|unknownField)\(/g), shape.name).toEqual(["notObject(", "unknownField("]);
        for (const f of shape.fields.filter((f) => f.type.kind === "scalar" && !(f.type.name === "any" && !f.required && f.nullable))) {
          const calls = c.split("\n").filter((l) => l.includes(`, p, ${JSON.stringify(f.name)}, `));
          expect(calls, `${shape.name}.${f.name}`).toHaveLength(1);
          expect(calls[0]!.trim(), `${shape.name}.${f.name}`).toMatch(/^if \(.*\) out = v[A-Z][a-z]+\(out, x\d+, p, "\w+", \d(, [A-Z]\d+)?\);$/);
        }
      }
    });

    it(`${service.id}: requestFields are typed as a list of strings, not spelled out again in the declarations`, () => {
      const lines = emitValidatorsSource(service)
        .split("\n")
        .filter((l) => l.includes("requestFields: "));
      expect(lines).toHaveLength(service.operations.length);
      for (const l of lines) expect(l).toMatch(/requestFields: \[.*\] as readonly string\[\] \},$/);
    });

    it(`${service.id}: one function per shape, and a valid value builds no path (paths are arguments of the calls that make issues)`, () => {
      const text = emitValidatorsSource(service);
      const symbols = new SymbolRegistry(service);
      const shapes = [...service.shapes, ...service.operations.flatMap((o) => [o.request, o.response])];
      // No separate guard: `is*` runs the collector without a path.
      expect(text).not.toMatch(/\nfunction g[A-Z]/);
      for (const shape of shapes) {
        const c = `c${symbols.shape(shape.name)}`;
        expect(text.includes(`guard(${c}, `) || text.includes(`return ${c}(value, null, undefined, `), shape.name).toBe(true);
      }
      const helpers = [...text.matchAll(/\nfunction (m\d+)\(/g)].map((m) => m[1]!);
      for (const name of [...new Set(shapes.map((s) => `c${symbols.shape(s.name)}`)), ...helpers]) {
        const lines = body(text, name).split("\n").slice(1);
        // Nothing joins strings outside those calls: no `q = p + "."`, no path made before a loop.
        for (const l of lines) expect(l, `${name}: ${l}`).not.toMatch(/\bp \+|\+ p\b|\bq\b|, p\d+ = /);
        for (const l of lines.filter((l) => l.includes("pathOf("))) {
          const at = l.indexOf("pathOf(");
          const issueCall = /^\s*(else )?if \(.*\) out = v[A-Z][a-z]+\(out, /.exec(l);
          const nested = /^\s*(else )?if \(c\w+\(\w+, null, undefined, u\) !== undefined\) out = p === null \? INVALID : c\w+\(/.exec(l);
          const union = /^\s*(const c\d+ = m\d+\(|out = addAll\(out, pickUnionIssues\()/.exec(l);
          const match = issueCall ?? nested ?? union;
          expect(match !== null && match[0].length <= at, `${name}: ${l}`).toBe(true);
        }
      }
    });
  }
});

/** The message `report` words from an issue's path, code, expected and received. */
const reported = (i: Issue) => {
  const subject = i.path === "" ? "value" : i.path;
  if (i.code === "required") return `${subject}: is required`;
  if (i.code === "null") return `${subject}: must not be null`;
  return `${subject}: must be ${i.expected}, got ${i.received}`;
};
const all = (issues: Issues) => issues ?? [];

describe("runtime checks", () => {
  it("know each integer type's range as the generator does", () => {
    for (const [name, [lo, hi]] of Object.entries(INT_RANGES)) {
      const r = intRule(name);
      expect([r.typeLo, r.typeHi], name).toEqual([lo, hi]);
      expect([BigInt(r.safeLo), BigInt(r.safeHi)], name).toEqual([lo > -MAX_SAFE ? lo : -MAX_SAFE, hi < MAX_SAFE ? hi : MAX_SAFE]);
    }
  });

  it("word an integer held as a number, a bigint or a decimal string as the inline checks did", () => {
    const u64 = intRule("uint64", undefined, 100, [1, 2]);
    expect(all(vInt(undefined, 2n ** 64n, "p", "Id", 1, u64)).map((i) => [i.path, i.code, i.expected, i.received])).toEqual([
      ["p.Id", "maximum", "a uint64 within ±2^53, held as a number", "18446744073709551616"],
    ]);
    expect(all(vInt(undefined, 2n ** 60n, "", "Id", 1, u64))[0]).toMatchObject({
      code: "precision",
      message: "Id: must be a uint64 within ±2^53, held as a number, got 1152921504606846976",
    });
    expect(all(vInt(undefined, 2 ** 60, "", "Id", 1, u64))[0]).toMatchObject({ code: "precision", expected: "≤ 9007199254740991" });
    expect(all(vInt(undefined, 200, "", "Id", 1, u64)).map((i) => i.message)).toEqual([
      "Id: must be ≤ 100, got 200",
      "Id: must be one of 1, 2, got 200",
    ]);
    expect(all(vInt(undefined, -1, "", "Id", 1, intRule("int32")))).toEqual([]);
    expect(all(vInt(undefined, 2 ** 31, "", "Id", 1, intRule("int32")))[0]).toMatchObject({ code: "maximum", expected: "≤ 2147483647" });

    const big = intRule("int64", -5, 5, [3, "4"]);
    expect(all(vBig(undefined, 2n ** 63n, "", "N", 1, big)).map((i) => [i.code, i.expected])).toEqual([
      ["maximum", "an int64 (≤ 9223372036854775807)"],
      ["maximum", "≤ 5"],
      ["enum", 'one of 3, "4"'],
    ]);
    expect(all(vBig(undefined, 4n, "", "N", 1, big))).toEqual([]);
    expect(all(vBig(undefined, 4, "", "N", 1, big))[0]).toMatchObject({ code: "type", expected: "a bigint", received: "4" });

    expect(all(vDec(undefined, "-0", "", "N", 1, big))[0]).toMatchObject({
      code: "type",
      expected: "an int64 as a decimal string",
      received: '"-0"',
    });
    expect(all(vDec(undefined, "-6", "", "N", 1, big)).map((i) => [i.code, i.expected])).toEqual([
      ["minimum", "≥ -5"],
      ["enum", 'one of 3, "4"'],
    ]);
    // A bound that is not finite checks nothing on a decimal string.
    expect(all(vDec(undefined, "7", "", "N", 1, intRule("uint64", Infinity)))).toEqual([]);
  });

  it("treat presence by their flags, and items by their index", () => {
    const s = strRule(2, 3, "^[a-z]+$", undefined, ["ab", "abc"]);
    expect(all(vStr(undefined, undefined, "", "Name", 0, s))).toEqual([]);
    expect(all(vStr(undefined, undefined, "a", "Name", 1, s))[0]).toMatchObject({ path: "a.Name", code: "required", message: "a.Name: is required" });
    expect(all(vStr(undefined, null, "", "Name", 2, s))).toEqual([]);
    expect(all(vStr(undefined, null, "", "Name", 1, s))[0]).toMatchObject({ code: "null", message: "Name: must not be null" });
    expect(all(vStr(undefined, undefined, "List", 3, ITEM, s))[0]).toMatchObject({ path: "List[3]", code: "type", received: "nothing" });
    expect(all(vStr(undefined, null, "List", 3, ITEM, s))[0]).toMatchObject({ path: "List[3]", code: "null" });
    expect(all(vStr(undefined, "ABCD", "", "Name", 1, s)).map((i) => i.code)).toEqual(["maxLength", "pattern", "enum"]);
    expect(all(vStr(undefined, 5, "u", undefined, ITEM, s))[0]).toMatchObject({ path: "u", message: "u: must be a string, got 5" });
    expect(all(vList(undefined, [1, 2, 3], "", "L", 1, listRule(undefined, 2)))[0]).toMatchObject({
      code: "maxItems",
      expected: "at most 2 items",
      received: "3",
    });
    expect(all(vStr(undefined, "2024-02-30", "", "D", 1, strRule(undefined, undefined, undefined, formatDate)))[0]).toMatchObject({
      code: "format",
      expected: "a date",
    });
    expect(all(vStr(undefined, 1, "", "E", 1, strRule(undefined, undefined, undefined, undefined, [1])))[0]).toMatchObject({ code: "type" });
    // Every message reads as `report` words it.
    const issues = [
      ...all(vStr(undefined, "ABCD", "a.b", "Name", 1, s)),
      ...all(vInt(undefined, 1.5, "", 0, ITEM, intRule("uint32"))),
      ...all(vStr(undefined, undefined, "x", "Name", 1, s)),
      ...all(vStr(undefined, null, "x", "Name", 1, s)),
    ];
    for (const i of issues) expect(i.message).toBe(reported(i));
    expect(all(vNum(undefined, Infinity, "", "F", 1, numRule()))[0]).toMatchObject({ code: "type", expected: "a finite number" });
  });
});
