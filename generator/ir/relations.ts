// What a request field is to a relation: a point in time (and how to read it in milliseconds),
// a number, or a list. Shared by the relations lint and the validators emitter so that both agree.
import type { Field, ScalarName, TypeRef } from "./types.js";

const INTEGERS = new Set<ScalarName>(["integer", "int32", "uint32", "int64", "uint64"]);
const NUMBERS = new Set<ScalarName>([...INTEGERS, "float"]);

/** How a time field's value becomes milliseconds since the epoch. */
export type TimeReading =
  /** An integer timestamp (a number, bigint or decimal string) times `msPer`. */
  | { kind: "unix"; msPer: number }
  /** A `date` or `date-time` string, read with Date.parse. */
  | { kind: "date" };

const scalarOf = (t: TypeRef): ScalarName | undefined => (t.kind === "scalar" ? t.name : undefined);

/** A time field: an integer with format unix-time (seconds unless `unit: milliseconds`) or a
 * seconds/milliseconds unit, or a string with format date-time or date. */
export function timeReading(f: Field): TimeReading | undefined {
  const s = scalarOf(f.type);
  if (s === undefined) return undefined;
  if (INTEGERS.has(s)) {
    if (f.unit === "milliseconds") return { kind: "unix", msPer: 1 };
    if (f.unit === "seconds" || (f.constraints.format === "unix-time" && f.unit === undefined)) return { kind: "unix", msPer: 1000 };
    return undefined;
  }
  if (s === "string" && (f.constraints.format === "date-time" || f.constraints.format === "date")) return { kind: "date" };
  return undefined;
}

/** A single number (an integer of any width or a float), not a list or a union. */
export function isNumberField(f: Field): boolean {
  const s = scalarOf(f.type);
  return s !== undefined && NUMBERS.has(s);
}

export function isListField(f: Field): boolean {
  return f.type.kind === "array";
}

/** Whether the field holds a 64-bit integer as a bigint or a decimal string, so comparing it with a
 * number needs its decimal text. */
export function isDecimalHeld(f: Field): boolean {
  const s = scalarOf(f.type);
  return (s === "int64" || s === "uint64") && (f.js === "bigint" || f.js === "string");
}

/** `1 h`, `4 h`, `14 d`, `1 h 30 min`, `500 ms`: a span for messages and docs. */
export { spanText } from "../../templates/runtime/src/validation-core.js";
