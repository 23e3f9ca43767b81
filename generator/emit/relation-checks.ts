// Relations between request fields (`relations:`) as validator statements: each relation is a guard
// line (`return false`) and a collector line (a `relation` issue at the later or bounded field,
// naming the other field). A relation over a field that already has a problem is not reported:
// it would only repeat it.
import { isDecimalHeld, spanText, timeReading } from "../ir/relations.js";
import type { Field, Operation, Relation, RelationCondition } from "../ir/types.js";
import { block, type Statement } from "./statements.js";

const lit = (v: unknown) => JSON.stringify(v);

/** Declares a use of a runtime helper and returns its name (SymbolRegistry.use). */
type Use = (name: string) => string;

/** A field's value; names that objects inherit (`constructor`, …) must be own properties. */
function read(name: string): string {
  return name in Object.prototype ? `(Object.hasOwn(o, ${lit(name)}) ? o.${name} : undefined)` : `o.${name}`;
}

/** ` when DataType is set`, ` when Mode is "fast"`: `quote` shows a field's name, `show` a value. */
export function conditionText(
  when: RelationCondition | undefined,
  quote: (name: string) => string = (n) => n,
  show: (value: string) => string = (v) => v,
): string {
  if (!when) return "";
  if (when.equals !== undefined) return ` when ${quote(when.field)} is ${show(lit(when.equals))}`;
  return ` when ${quote(when.field)} is ${when.present === false ? "not set" : "set"}`;
}

function conditionExpr(when: RelationCondition | undefined, fields: Map<string, Field>): string {
  if (!when) return "true";
  const x = read(when.field);
  if (when.equals === undefined) return when.present === false ? `(${x} === undefined || ${x} === null)` : `(${x} !== undefined && ${x} !== null)`;
  const f = fields.get(when.field);
  return f && isDecimalHeld(f)
    ? `(${x} !== undefined && ${x} !== null && String(${x}) === ${lit(String(when.equals))})`
    : `${x} === ${lit(when.equals)}`;
}

/** The field's value as a comparable number: milliseconds for a time, the number otherwise. */
function valueExpr(f: Field | undefined, name: string, use: Use): string {
  const reading = f ? timeReading(f) : undefined;
  if (reading?.kind === "date") return `${use("dateValue")}(${read(name)})`;
  if (reading?.kind === "unix")
    return reading.msPer === 1 ? `${use("timeValue")}(${read(name)})` : `${use("unixMs")}(${read(name)}, ${reading.msPer})`;
  return `${use("timeValue")}(${read(name)})`;
}

/** The milliseconds per unit when both fields are Unix timestamps in the same unit. */
function sameUnixUnit(x: Field | undefined, y: Field | undefined): number | undefined {
  const [rx, ry] = [x && timeReading(x), y && timeReading(y)];
  return rx?.kind === "unix" && ry?.kind === "unix" && rx.msPer === ry.msPer ? rx.msPer : undefined;
}

/** One relation's guard and collector statements, appended to `out`; `k` keeps its names apart. */
function emitRelation(out: RelationStatements, r: Relation, k: number, fields: Map<string, Field>, use: Use): void {
  const cond = conditionExpr(r.when, fields);
  const when = conditionText(r.when);
  const err = r.error !== undefined ? `, ${lit(r.error)}` : "";
  const clean = (...names: string[]) => names.map((n) => `!${use("hasIssueAt")}(out, ${lit(n)})`).join(" && ");
  const value = (name: string) => valueExpr(fields.get(name), name, use);
  const on = cond === "true" ? "" : `${cond} && `;
  switch (r.kind) {
    case "max-span": {
      const [a, b] = [`a${k}`, `b${k}`];
      // Two timestamps in the same unit: subtract first, so values past 2^53 ms still give the exact span.
      const unit = sameUnixUnit(fields.get(r.from), fields.get(r.to));
      const values = unit
        ? `const ${a} = ${use("timeValue")}(${read(r.from)}), ${b} = ${use("timeValue")}(${read(r.to)});`
        : `const ${a} = ${value(r.from)}, ${b} = ${value(r.to)};`;
      const span = unit ? `(${b} - ${a}) * ${unit}` : `${b} - ${a}`;
      const broken = `${on}${a} !== undefined && ${b} !== undefined && ${span} > ${r.withinMs}`;
      out.guard.push(`{ ${values} if (${broken}) return false; }`);
      out.collect.push(
        block("", [
          values,
          `if (${broken} && ${clean(r.from, r.to)}) out = ${use("relationIssue")}(out, ${lit(r.to)}, ${lit(`at most ${spanText(r.withinMs)} after ${r.from}${when}`)}, ${use("spanText")}(${span})${err});`,
        ]),
      );
      return;
    }
    case "order": {
      const [a, b] = [`a${k}`, `b${k}`];
      const isTime = isTimeField(fields.get(r.first));
      const values = sameUnixUnit(fields.get(r.first), fields.get(r.then))
        ? `const ${a} = ${use("timeValue")}(${read(r.first)}), ${b} = ${use("timeValue")}(${read(r.then)});`
        : `const ${a} = ${value(r.first)}, ${b} = ${value(r.then)};`;
      const broken = `${on}${a} !== undefined && ${b} !== undefined && ${b} ${r.allowEqual ? "<" : "<="} ${a}`;
      const word = isTime ? (r.allowEqual ? "not before" : "after") : r.allowEqual ? "≥" : ">";
      out.guard.push(`{ ${values} if (${broken}) return false; }`);
      const describe = use("describeValue");
      out.collect.push(
        block("", [
          values,
          `if (${broken} && ${clean(r.first, r.then)}) out = ${use("relationIssue")}(out, ${lit(r.then)}, ${lit(`${word} ${r.first} (`)} + ${describe}(${read(r.first)}) + ${lit(`)${when}`)}, ${describe}(${read(r.then)})${err});`,
        ]),
      );
      return;
    }
    case "bound": {
      const x = read(r.field);
      const n = `n${k}`;
      const limits: Array<[string, string, string]> = [];
      const describe = (expr: string) => `${use("describeValue")}(${expr})`;
      if (r.minimum !== undefined) limits.push([`${n} !== undefined && ${n} < ${r.minimum}`, `≥ ${r.minimum}`, describe(x)]);
      if (r.maximum !== undefined) limits.push([`${n} !== undefined && ${n} > ${r.maximum}`, `≤ ${r.maximum}`, describe(x)]);
      if (r.minItems !== undefined)
        limits.push([`Array.isArray(${x}) && ${x}.length < ${r.minItems}`, `at least ${r.minItems} items`, describe(`${x}.length`)]);
      if (r.maxItems !== undefined)
        limits.push([`Array.isArray(${x}) && ${x}.length > ${r.maxItems}`, `at most ${r.maxItems} items`, describe(`${x}.length`)]);
      const numeric = r.minimum !== undefined || r.maximum !== undefined;
      const values = numeric ? [`const ${n} = ${value(r.field)};`] : [];
      const broken = limits.map(([test]) => `(${test})`).join(" || ");
      out.guard.push(`{ ${values.map((v) => `${v} `).join("")}if (${on}(${broken})) return false; }`);
      out.collect.push(
        block("", [
          ...values,
          block(
            `if (${on}${clean(r.field)})`,
            limits.map(
              ([test, expected, shown]) =>
                `if (${test}) out = ${use("relationIssue")}(out, ${lit(r.field)}, ${lit(`${expected}${when}`)}, ${shown}${err});`,
            ),
          ),
        ]),
      );
      return;
    }
  }
}

export interface RelationStatements {
  guard: Statement[];
  collect: Statement[];
}

/** Guard and collector statements over the request object `o` (the collector appends to `out`);
 * `use` declares each runtime helper they call. */
export function relationChecks(op: Operation, use: Use): RelationStatements {
  const fields = new Map(op.request.fields.map((f) => [f.name, f]));
  const out: RelationStatements = { guard: [], collect: [] };
  // Numbered after the time windows' blocks; each relation's names live in a block of its own anyway.
  op.relations.forEach((r, i) => emitRelation(out, r, op.timeWindows.length + i, fields, use));
  return out;
}

const isTimeField = (f: Field | undefined) => f !== undefined && timeReading(f) !== undefined;

/** The rule in words for the docs: `EndTime` at most 1 h after `StartTime` when `DataType` is set. */
export function relationPhrase(op: Operation, r: Relation, quote: (name: string) => string): string {
  const when = conditionText(r.when, quote, quote);
  switch (r.kind) {
    case "max-span":
      return `${quote(r.to)} at most ${spanText(r.withinMs)} after ${quote(r.from)}${when}`;
    case "order":
      if (isTimeField(op.request.fields.find((f) => f.name === r.first)))
        return `${quote(r.then)} ${r.allowEqual ? "not before" : "after"} ${quote(r.first)}${when}`;
      return `${quote(r.then)} ${r.allowEqual ? "≥" : ">"} ${quote(r.first)}${when}`;
    case "bound": {
      const parts: string[] = [];
      if (r.minimum !== undefined) parts.push(`≥ ${r.minimum}`);
      if (r.maximum !== undefined) parts.push(`≤ ${r.maximum}`);
      if (r.minItems !== undefined) parts.push(`at least ${r.minItems} items`);
      if (r.maxItems !== undefined) parts.push(`at most ${r.maxItems} items`);
      return `${quote(r.field)} ${parts.join(" and ")}${when}`;
    }
  }
}
