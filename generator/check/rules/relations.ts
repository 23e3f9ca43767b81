import { isListField, isNumberField, timeReading } from "../../ir/relations.js";
import type { Field, Operation, Relation } from "../../ir/types.js";
import { wireType } from "../../emit/describe.js";
import type { Report, Rule } from "../rule.js";
import { scalarNames } from "../../ir/type-ref.js";

/** The keys each kind takes beyond the common ones. */
const KEYS: Record<Relation["kind"], readonly string[]> = {
  "max-span": ["from", "to", "within"],
  bound: ["field", "minimum", "maximum", "minItems", "maxItems"],
  order: ["first", "then", "allowEqual"],
};
const COMMON = new Set(["kind", "when", "error", "description", "source", "notes", "suppress"]);

const TIME = "a time (an integer with format unix-time or unit seconds or milliseconds, or a date-time or date string)";

export const relations: Rule = {
  id: "relations",
  severity: "error",
  description:
    "A relation (`relations:`) names a field the request lacks or of the wrong type (a span or an order between times, a bound on a number or a list), a key its kind does not take, a `when` without exactly one of `present`/`equals` or with a value the field cannot hold, or an undocumented error.",
  check(ir, report) {
    for (const service of ir.services) for (const op of service.operations) for (const r of op.relations) checkRelation(op, r, report);
  },
};

function checkRelation(op: Operation, r: Relation, report: Report) {
  const req = new Map(op.request.fields.map((f) => [f.name, f]));
  const at = (key: string) => r.at[key] ?? r.loc;
  for (const key of Object.keys(r.at))
    if (!COMMON.has(key) && !KEYS[r.kind].includes(key))
      report(r.at[key]!, `"${key}" does not apply to a ${r.kind} relation (it takes ${KEYS[r.kind].join(", ")})`);
  /** The request field a role names, or a report. */
  const field = (role: string, name: string): Field | undefined => {
    const f = req.get(name);
    if (!f) report(at(role), `${r.kind} ${role} "${name}" is not a request field of ${op.name}`);
    return f;
  };
  switch (r.kind) {
    case "max-span": {
      for (const [role, name] of [
        ["from", r.from],
        ["to", r.to],
      ] as const) {
        const f = field(role, name);
        if (f && !timeReading(f))
          report(
            at(role),
            `${r.kind} ${role} "${name}" must be ${TIME}, not ${wireType(f.type)}${f.constraints.format ? ` with format ${f.constraints.format}` : ""}`,
          );
      }
      if (r.from === r.to) report(at("to"), `${r.kind} from and to are the same field "${r.to}"`);
      if (r.withinMs <= 0) report(at("within"), `${r.kind} within must be longer than 0`);
      break;
    }
    case "order": {
      const first = field("first", r.first);
      const then = field("then", r.then);
      const kindOf = (f: Field) => (timeReading(f) ? "time" : isNumberField(f) ? "number" : undefined);
      for (const [role, f] of [
        ["first", first],
        ["then", then],
      ] as const)
        if (f && !kindOf(f)) report(at(role), `${r.kind} ${role} "${f.name}" must be ${TIME} or a number, not ${wireType(f.type)}`);
      if (first && then && kindOf(first) && kindOf(then) && kindOf(first) !== kindOf(then))
        report(
          at("then"),
          `${r.kind} first "${first.name}" is a ${kindOf(first)} and then "${then.name}" a ${kindOf(then)}: both must be times or both numbers`,
        );
      if (r.first === r.then) report(at("then"), `${r.kind} first and then are the same field "${r.then}"`);
      break;
    }
    case "bound": {
      const f = field("field", r.field);
      const limits = (["minimum", "maximum", "minItems", "maxItems"] as const).filter((k) => r[k] !== undefined);
      if (limits.length === 0) report(r.loc, "a bound relation needs minimum, maximum, minItems or maxItems");
      if (f) {
        for (const k of limits) {
          const items = k === "minItems" || k === "maxItems";
          if (items && !isListField(f)) report(at(k), `bound ${k} applies to a list: "${f.name}" is ${wireType(f.type)}`);
          if (!items && !isNumberField(f)) report(at(k), `bound ${k} applies to a number: "${f.name}" is ${wireType(f.type)}`);
        }
      }
      for (const [lo, hi] of [
        ["minimum", "maximum"],
        ["minItems", "maxItems"],
      ] as const) {
        const [a, b] = [r[lo], r[hi]];
        if (a !== undefined && b !== undefined && a > b) report(at(lo), `bound ${lo} ${a} is above ${hi} ${b}`);
      }
      break;
    }
  }
  if (r.when) checkCondition(op, r, req, report);
  if (r.error !== undefined && !op.errors.some((e) => String(e.code) === String(r.error)))
    report(at("error"), `${r.kind} error ${JSON.stringify(r.error)} is not a documented error of ${op.name}`);
}

function checkCondition(op: Operation, r: Relation, req: Map<string, Field>, report: Report) {
  const w = r.when!;
  const at = (key: string) => w.at[key] ?? w.loc;
  if ((w.present === undefined) === (w.equals === undefined)) report(w.loc, "`when` needs exactly one of `present` or `equals`");
  const f = req.get(w.field);
  if (!f) {
    report(at("field"), `when field "${w.field}" is not a request field of ${op.name}`);
    return;
  }
  if (w.equals === undefined) return;
  const scalars = scalarNames(f.type);
  const fits =
    f.type.kind === "scalar" &&
    (typeof w.equals === "string"
      ? scalars.includes("string") || ((scalars.includes("int64") || scalars.includes("uint64")) && f.js === "string" && /^-?\d+$/.test(w.equals))
      : typeof w.equals === "number"
        ? isNumberField(f)
        : scalars.includes("boolean"));
  if (!fits) report(at("equals"), `when equals ${JSON.stringify(w.equals)} cannot be a value of "${f.name}" (${wireType(f.type)})`);
  else if (f.enum && !f.enum.some((e) => String(e.value) === String(w.equals)))
    report(at("equals"), `when equals ${JSON.stringify(w.equals)} is not one of the values of "${f.name}"`);
}
