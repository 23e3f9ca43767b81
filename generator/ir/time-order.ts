// Which times of one object come in order, for the mock's data (a room starts before it ends, a
// user leaves after joining). A shape's `order:` says so; without one, the one name rule here
// decides: two time fields whose names differ only by a start word and an end word
// (`StartTime`/`EndTime`, `JoinTs`/`LeaveTs`, `FirstJoinTimestamp`/`LastQuitTimestamp`).
import type { Field, Shape } from "./types.js";

const START_WORDS = new Set(["start", "begin", "join", "enter", "first", "open"]);
const END_WORDS = new Set(["end", "stop", "finish", "leave", "quit", "exit", "last", "close"]);

/** A point in time: an integer `format: unix-time` (seconds unless `unit: milliseconds`), or a `date`/`date-time` string. */
export function isTimeField(f: Field): boolean {
  if (f.type.kind !== "scalar") return false;
  if (f.type.name === "string") return f.constraints.format === "date" || f.constraints.format === "date-time";
  return f.type.name !== "boolean" && f.type.name !== "any" && f.type.name !== "float" && f.constraints.format === "unix-time";
}

/** Milliseconds per unit of an integer time field. */
export const msPerUnit = (f: Field): number => (f.unit === "milliseconds" ? 1 : 1000);

function words(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [name]).map((w) => w.toLowerCase());
}

/** The pairs of the name rule: same stem once the start and end words are taken out. */
function namedPairs(times: Field[]): Array<{ first: string; then: string }> {
  const role = (f: Field) => {
    const ws = words(f.name);
    const start = ws.some((w) => START_WORDS.has(w));
    const end = ws.some((w) => END_WORDS.has(w));
    const stem = ws.filter((w) => !START_WORDS.has(w) && !END_WORDS.has(w)).join(" ");
    return { name: f.name, stem, kind: start === end ? undefined : start ? "start" : "end" };
  };
  const roles = times.map(role);
  const out: Array<{ first: string; then: string }> = [];
  for (const s of roles.filter((r) => r.kind === "start"))
    for (const e of roles.filter((r) => r.kind === "end")) if (s.stem === e.stem) out.push({ first: s.name, then: e.name });
  return out;
}

/** The ordered pairs of a shape's time fields: its `order:` when it has one, else the name rule. */
export function timeOrderPairs(shape: Shape): Array<{ first: string; then: string }> {
  if (shape.order) return shape.order.map(({ first, then }) => ({ first, then }));
  return namedPairs(shape.fields.filter(isTimeField));
}

/** The integer time a list of this shape is kept in order by: the first of its ordered pairs, else its first integer time. */
export function sortTimeField(shape: Shape): Field | undefined {
  const ints = shape.fields.filter((f) => isTimeField(f) && !(f.type.kind === "scalar" && f.type.name === "string"));
  const first = timeOrderPairs(shape)
    .map((p) => ints.find((f) => f.name === p.first))
    .find((f) => f !== undefined);
  return first ?? ints[0];
}
