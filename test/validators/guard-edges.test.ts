// The guards (`is*`) test integers with comparisons and Math.floor, integer enums without a gap as
// a range, and leave out presence tests a type test already makes (issue 18, speed). They must still
// agree with the collectors (`validate*`) and with the IR's value checker on the values at the edges.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { emitValidatorsSource } from "../../generator/emit/validators-emitter.js";
import { ValueChecker } from "../../generator/ir/check-value.js";
import type { Field, Ir, JsonValue } from "../../generator/ir/types.js";
import { realIr } from "../helpers.js";
import { shapeApi as api } from "./support/emitted-validators.js";
import { ValueArbitraries } from "./arbitraries.js";
import { isInt53, isUint53 } from "../../templates/runtime/src/validation/checks.js";

const INTEGER_TYPES = new Set(["int32", "uint32", "int64", "uint64", "integer"]);

let ir: Ir;
beforeAll(async () => {
  ir = await realIr();
});

/** An integer field held as a number (64-bit ones may be held as strings or bigints instead). */
const heldAsNumber = (f: Field) =>
  f.type.kind === "scalar" && INTEGER_TYPES.has(f.type.name) && (f.type.name.endsWith("64") ? (f.js ?? "number") === "number" : true);

/** Numbers at the edges of what the field allows: the safe-integer limits, fractions, its bounds and enum values, and the gaps between them. */
function edges(f: Field): number[] {
  const out = [-0, 0.5, -1, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 32, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, -Infinity];
  const { minimum, maximum } = f.constraints;
  for (const b of [minimum, maximum]) if (b !== undefined && Number.isFinite(b)) out.push(b - 1, b, b + 1, b + 0.5);
  const values = (f.enum ?? []).map((e) => e.value).filter((v): v is number => typeof v === "number");
  if (values.length) {
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    if (hi - lo < 1000) for (let n = lo - 1; n <= hi + 1; n++) out.push(n);
    out.push(lo + 0.5);
  }
  return out;
}

describe("guards at the edges of integer fields", () => {
  it("agree with the collectors and the IR value checker, as a field and as an array item", () => {
    let checked = 0;
    for (const service of ir.services) {
      const arbs = new ValueArbitraries(service);
      const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
      for (const shape of [...service.shapes, ...service.operations.map((o) => o.response)]) {
        const fields = shape.fields.filter((f) => heldAsNumber(f) || (f.type.kind === "array" && heldAsNumber({ ...f, type: f.type.items })));
        if (!fields.length) continue;
        const { validate, is } = api(service, shape);
        const [base] = fc.sample(arbs.shape(shape.name), { seed: 18, numRuns: 1 }) as Array<Record<string, unknown>>;
        for (const f of fields)
          for (const n of edges(f)) {
            const value = { ...base, [f.name]: f.type.kind === "array" ? [n] : n };
            const where = `${service.id} ${shape.name}.${f.name} = ${Object.is(n, -0) ? "-0" : n}`;
            const ok = validate(value, { strict: true }).ok;
            expect(is(value, { strict: true }), where).toBe(ok);
            // The IR checker reads JSON values: NaN and the infinities are not among them.
            if (Number.isFinite(n)) expect(checker.checkShape(shape, value as JsonValue, "").length === 0, where).toBe(ok);
            checked++;
          }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe("guards of the real specs", () => {
  it("test integers without Number.isSafeInteger, and integer enums without a gap as a range", () => {
    for (const service of ir.services) {
      const text = emitValidatorsSource(service);
      expect(text, service.id).not.toContain("Number.isSafeInteger(");
      const gapless = service.shapes
        .flatMap((s) => s.fields)
        .filter((f) => heldAsNumber(f) && f.enum && f.enum.length > 2)
        .map((f) => f.enum!.map((e) => e.value as number))
        .filter((vs) => new Set(vs).size === Math.max(...vs) - Math.min(...vs) + 1);
      for (const vs of gapless) expect(text, `${service.id} ${vs.join(",")}`).not.toContain(`new Set<unknown>(${JSON.stringify(vs)})`);
    }
  });

  it("leave out the presence test before a type test that refuses undefined and null itself", () => {
    for (const service of ir.services) {
      const text = emitValidatorsSource(service);
      // `if (x3 === undefined || x3 === null) return false;` followed by `if (typeof x3 !== …`
      expect(text, service.id).not.toMatch(/if \((x\d+) === undefined \|\| \1 === null\) return false;\n\s*if \(typeof \1 !== /);
      expect(text, service.id).not.toMatch(/if \((e\d+) === null\) return false;\n\s*if \(typeof \1 !== /);
    }
  });
});

describe("the runtime's wide-integer tests the collectors call", () => {
  // isInt53 and isUint53 replaced inline comparisons in every collector: the same answers as
  // Number.isSafeInteger (and ≥ 0) on numbers at the edges, and false on any other type.
  const numbers = [
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    2 ** 53,
    -(2 ** 53),
    2 ** 64,
    1e300,
    NaN,
    Infinity,
    -Infinity,
    Number.MIN_VALUE,
  ];
  it("agree with Number.isSafeInteger on numbers, and refuse other types", () => {
    for (const x of numbers) {
      expect(isInt53(x), String(x)).toBe(Number.isSafeInteger(x));
      expect(isUint53(x), String(x)).toBe(Number.isSafeInteger(x) && x >= 0);
    }
    for (const x of ["1", 1n, true, null, undefined, {}, [1], new Number(1)]) {
      expect(isInt53(x)).toBe(false);
      expect(isUint53(x)).toBe(false);
    }
    fc.assert(fc.property(fc.double(), (x) => isInt53(x) === Number.isSafeInteger(x) && isUint53(x) === (Number.isSafeInteger(x) && x >= 0)));
  });
});
