// Mock samplers: TypeScript expressions and functions that draw a valid value of a field or shape
// from the mock's seeded random source. Every runtime helper and type they use is declared to the
// symbol registry as it is written, so the import planner imports exactly those.
import { tsLiteral, type SymbolRegistry } from "./symbols.js";
import { INT_RANGES, integerBounds, MAX_SAFE } from "../ir/int-ranges.js";
import type { Field, ScalarName, Shape, TypeRef } from "../ir/types.js";
import { fieldSamples } from "../check/patterns.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";
import { createRng } from "../../templates/runtime/src/mock/definition.js";
import { drawPattern, type PatternProgram } from "../../templates/runtime/src/mock/sample.js";
import { isTimeField, msPerUnit, sortTimeField, timeOrderPairs } from "../ir/time-order.js";
import { patternProgram, UnsupportedPattern } from "./pattern-program.js";
import type { FunctionDecl, Statement } from "./statements.js";

const lit = (v: unknown) => JSON.stringify(v);
/** Plausible timestamps: 2023-01-01 to 2026-01-01. */
const UNIX_SECONDS: [bigint, bigint] = [1672531200n, 1767225600n];

const big = (a: bigint, b: bigint, max: boolean) => ((max ? a > b : a < b) ? a : b);

const checkedPrograms = new Map<string, PatternProgram | undefined>();

/** A pattern program the mock can draw from: every one of a few hundred seeded draws matches, and nearly all fit the lengths and format. */
function checkedProgram(f: Field): PatternProgram | undefined {
  const { pattern, minLength, maxLength, format } = f.constraints;
  const id = JSON.stringify([pattern, minLength, maxLength, format]);
  if (!checkedPrograms.has(id)) checkedPrograms.set(id, checkProgram(f));
  return checkedPrograms.get(id);
}

function checkProgram(f: Field): PatternProgram | undefined {
  const { pattern, minLength, maxLength, format } = f.constraints;
  let program: PatternProgram;
  try {
    program = patternProgram(pattern!);
  } catch (e) {
    if (e instanceof UnsupportedPattern) return undefined;
    throw e;
  }
  const re = new RegExp(pattern!, "u");
  const check = format && format !== "unix-time" ? FORMATS[format] : undefined;
  const rng = createRng(pattern!);
  let fits = 0;
  for (let i = 0; i < 200; i++) {
    const s = drawPattern(rng, program, minLength, maxLength);
    if (!re.test(s)) return undefined;
    const n = s.length;
    if ((minLength === undefined || n >= minLength) && (maxLength === undefined || n <= maxLength) && (!check || check(s))) fits++;
  }
  // A program whose draws rarely fit would answer invalid data now and then: the pool does better.
  return fits === 200 || (fits >= 150 && !check) ? program : undefined;
}

export class SamplerWriter {
  /** Pattern programs by pattern, emitted once each as a module constant. */
  readonly programs = new Map<string, { name: string; program: PatternProgram }>();

  constructor(private readonly symbols: SymbolRegistry) {}

  /** The module constants the samplers refer to: `const <name>: <type> = <initializer>;`. */
  constants(): Array<{ name: string; type: string; initializer: string }> {
    return [...this.programs.values()].map((p) => ({ name: p.name, type: this.symbols.use("PatternProgram"), initializer: lit(p.program) }));
  }

  /** An expression drawing a string that matches `f`'s pattern. */
  private patterned(f: Field): string {
    const { pattern, minLength, maxLength } = f.constraints;
    const program = checkedProgram(f);
    if (program) {
      let entry = this.programs.get(pattern!);
      if (!entry) this.programs.set(pattern!, (entry = { name: `PATTERN_${this.programs.size + 1}`, program }));
      const fallback = typeof f.example === "string" ? `, ${lit(f.example)}` : "";
      return `${this.symbols.use("drawPattern")}(rng, ${entry.name}, ${minLength ?? 0}, ${maxLength ?? "Infinity"}${fallback})`;
    }
    // A pattern the program cannot draw from: a pool drawn at generation time, else the example.
    const drawn = fieldSamples(f);
    if (drawn.length) return `rng.pick(${lit(drawn)})`;
    if (f.example !== undefined) return tsLiteral(f.example);
    throw new Error(`${f.loc.file}:${f.loc.line}: field ${f.name}: no value drawn for its pattern`);
  }

  /** An expression drawing one value of `t` for field `f`. */
  value(t: TypeRef, f: Field): string {
    switch (t.kind) {
      case "shape":
        return `s${this.symbols.shape(t.name)}(rng)`;
      case "union": {
        // An enum holds values of some members only: the others could never be valid.
        const drawable = t.members.filter((m) => m.kind !== "scalar" || enumChoices(m.name, f) !== null);
        const members = drawable.length ? drawable : t.members;
        return `rng.pick([${members.map((m) => `() => ${this.value(m, f)}`).join(", ")}])()`;
      }
      case "array": {
        const min = f.constraints.minItems ?? 0;
        const max = Math.max(min, Math.min(f.constraints.maxItems ?? 3, 3));
        const list = `Array.from({ length: rng.int(${min}, ${max}) }, () => ${this.value(t.items, f)})`;
        // A list of timed objects (events) comes in time order.
        const item = t.items.kind === "shape" ? this.symbols.service.shapes.find((s) => s.name === (t.items as { name: string }).name) : undefined;
        const by = item && sortTimeField(item);
        if (!by) return list;
        return `${this.symbols.use("sortByTime")}(${list}, ${lit(by.name)})`;
      }
      case "scalar":
        return this.scalar(t.name, f);
    }
  }

  private scalar(name: ScalarName, f: Field): string {
    const choices = enumChoices(name, f);
    if (choices) return `rng.pick([${choices.join(", ")}])`;
    switch (name) {
      case "any":
        return "rng.string(1, 8)";
      case "boolean":
        return "rng.bool()";
      case "string": {
        const { minLength, maxLength, format, pattern } = f.constraints;
        // Drawn from the pattern (the lint rule pattern-needs-example refuses a pattern nothing can be drawn from, without an example).
        if (pattern) return this.patterned(f);
        if (format === "date") return `new Date(rng.int(1672531200, 1767225600) * 1000).toISOString().slice(0, 10)`;
        if (format === "date-time") return `new Date(rng.int(1672531200, 1767225600) * 1000).toISOString().replace(/\\.\\d+Z$/, "Z")`;
        if (format === "ipv4") return "`${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`";
        if (format === "uri") return `\`https://example.com/\${rng.string(1, ${Math.max(1, Math.min(12, (maxLength ?? 32) - 20))})}\``;
        const min = minLength ?? 1;
        return `rng.string(${min}, ${Math.max(min, Math.min(maxLength ?? 16, min + 16))})`;
      }
      case "float": {
        const lo = f.constraints.minimum ?? 0;
        const hi = f.constraints.maximum ?? lo + 1000;
        return `${lo} + rng.next() * ${hi - lo}`;
      }
      default: {
        let [lo, hi] = INT_RANGES[name]!;
        const is64 = name === "int64" || name === "uint64";
        const js = is64 ? (f.js ?? "number") : "number";
        if (js === "number") [lo, hi] = [big(lo, -MAX_SAFE, true), big(hi, MAX_SAFE, false)];
        // Plausible values, not the whole range: timestamps near now, counts and IDs small.
        const unix = f.constraints.format === "unix-time";
        const scale = f.unit === "milliseconds" ? 1000n : 1n;
        const [plo, phi] = unix ? [UNIX_SECONDS[0] * scale, UNIX_SECONDS[1] * scale] : [lo < 0n ? -1000n : 0n, 100000n];
        const [min, max] = integerBounds(name, f.constraints);
        [lo, hi] = [big(lo, min, true), big(hi, max, false)];
        const [a, b] = [big(lo, plo, true), big(hi, phi, false)];
        const [from, to] = a <= b ? [a, b] : [lo, hi];
        if (js === "bigint") return `rng.bigint(${from}n, ${to}n)`;
        if (js === "string") return `rng.bigint(${from}n, ${to}n).toString()`;
        return `rng.int(${from}, ${to})`;
      }
    }
  }

  /** `s<Shape>(rng)`: a valid value of the shape. */
  shapeFunction(shape: Shape): FunctionDecl {
    const name = this.symbols.shape(shape.name);
    const lines: Statement[] = ["const v: Record<string, unknown> = {};"];
    for (const f of shape.fields) {
      const draw = this.value(f.type, f);
      const withNull = f.nullable ? `rng.int(0, 9) === 0 ? null : ${draw}` : draw;
      // An inherited name (`constructor`, …) is typed as Object's member: set it without a typed property access.
      const set =
        f.name in Object.prototype ? (value: string) => `Reflect.set(v, ${lit(f.name)}, ${value});` : (value: string) => `v.${f.name} = ${value};`;
      lines.push(f.required ? set(withNull) : `if (rng.int(0, 3) !== 0) ${set(withNull)}`);
    }
    const pairs = this.orderedPairs(shape);
    if (pairs.length) {
      lines.push(`${this.symbols.use("orderTimes")}(v, rng, ${lit(pairs)});`);
    }
    lines.push("return v;");
    return { name: `s${name}`, parameters: [["rng", this.symbols.use("Rng")]], returnType: "Record<string, unknown>", body: lines };
  }

  /** The shape's ordered time pairs as [first, then, ms per unit of each] (generator/ir/time-order.ts). */
  orderedPairs(shape: Shape): Array<[string, string, number, number]> {
    const times = new Map(shape.fields.filter(isTimeField).map((f) => [f.name, f]));
    return timeOrderPairs(shape).flatMap(({ first, then }) => {
      const [a, b] = [times.get(first), times.get(then)];
      return a && b ? [[first, then, msPerUnit(a), msPerUnit(b)] as [string, string, number, number]] : [];
    });
  }

  /** An item sampler that puts a seeded list in time order, when its items are timed objects. */
  itemSampler(item: TypeRef, itemField: Field): string {
    const draw = this.value(item, itemField);
    const shape = item.kind === "shape" ? this.symbols.service.shapes.find((s) => s.name === item.name) : undefined;
    const by = shape && sortTimeField(shape);
    const rng = this.symbols.use("Rng");
    if (!shape || !by) return `(rng: ${rng}) => ${draw}`;
    const times = shape.fields
      .filter((f) => isTimeField(f) && !(f.type.kind === "scalar" && f.type.name === "string"))
      .map((f) => [f.name, msPerUnit(f)]);
    const place = `${this.symbols.use("placeInTime")}(${draw}, at, ${lit(by.name)}, ${lit(times)}, ${UNIX_SECONDS[0] * 1000n}, ${UNIX_SECONDS[1] * 1000n})`;
    return `(rng: ${rng}, at?: ${this.symbols.use("MockItemPosition")}) => ${place}`;
  }
}

/**
 * The enum values a scalar member can take, as literals in the member's JavaScript form (a 64-bit
 * integer as a bigint or a decimal string where `js` says so); undefined without an enum or where
 * the validators do not check one (boolean, any); null where the enum holds none of this member's.
 */
function enumChoices(name: ScalarName, f: Field): string[] | null | undefined {
  if (!f.enum || name === "boolean" || name === "any") return undefined;
  if (name === "string") {
    const values = f.enum.filter((e) => typeof e.value === "string").map((e) => lit(e.value));
    return values.length ? values : null;
  }
  const numbers = f.enum.map((e) => e.value).filter((v): v is number => typeof v === "number" && (name === "float" || Number.isInteger(v)));
  if (!numbers.length) return null;
  const js = name === "int64" || name === "uint64" ? (f.js ?? "number") : "number";
  return numbers.map((v) => (js === "bigint" ? `${BigInt(v)}n` : js === "string" ? lit(String(v)) : String(v)));
}
