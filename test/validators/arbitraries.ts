// fast-check arbitraries of valid values, built from the IR (not from the emitted code), and
// single mutations that break exactly one spot of a valid value.
import { INT_RANGES, MAX_SAFE } from "../../generator/ir/int-ranges.js";
import fc from "fast-check";
import type { Field, Operation, Relation, ScalarName, Service, Shape, TypeRef } from "../../generator/ir/types.js";

const clamp = (v: bigint, lo: bigint, hi: bigint) => (v < lo ? lo : v > hi ? hi : v);

export class ValueArbitraries {
  private readonly shapes: Map<string, Shape>;

  constructor(readonly service: Service) {
    this.shapes = new Map([...service.shapes, ...service.operations.flatMap((o) => [o.request, o.response])].map((s) => [s.name, s]));
  }

  shape(name: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    const shape = this.shapes.get(name)!;
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of shape.fields) {
      const v = this.field(f, depth);
      model[f.name] = f.nullable ? fc.option(v, { nil: null, freq: 5 }) : v;
    }
    return fc.record(model, { requiredKeys: shape.fields.filter((f) => f.required).map((f) => f.name) });
  }

  field(f: Field, depth: number): fc.Arbitrary<unknown> {
    return this.type(f.type, f, depth);
  }

  private type(t: TypeRef, f: Field, depth: number): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case "shape":
        return this.shape(t.name, depth + 1);
      case "array": {
        const min = f.constraints.minItems ?? 0;
        const max = Math.min(f.constraints.maxItems ?? 3, min + 3, depth > 2 ? min : 3);
        return fc.array(this.type(t.items, f, depth + 1), { minLength: min, maxLength: Math.max(min, max) });
      }
      case "union":
        return fc.oneof(...t.members.map((m) => this.type(m, f, depth)));
      case "scalar":
        return this.scalar(t.name, f);
    }
  }

  private scalar(name: ScalarName, f: Field): fc.Arbitrary<unknown> {
    const values = f.enum?.map((e) => e.value);
    switch (name) {
      case "any":
        return fc.jsonValue({ maxDepth: 2 });
      case "boolean":
        return fc.boolean();
      case "string": {
        if (values) return fc.constantFrom(...values.filter((v) => typeof v === "string"));
        const { minLength, maxLength, pattern, format } = f.constraints;
        const fits = (s: string) => (minLength === undefined || s.length >= minLength) && (maxLength === undefined || s.length <= maxLength);
        const day = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true });
        if (format === "date") return day.map((d) => d.toISOString().slice(0, 10)).filter(fits);
        if (format === "date-time") return day.map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z")).filter(fits);
        if (format === "ipv4") return fc.ipV4().filter(fits);
        if (format === "uri") return fc.webUrl().filter(fits);
        if (pattern)
          return fc
            .stringMatching(new RegExp(pattern, "u"))
            .filter((s) => (minLength === undefined || s.length >= minLength) && (maxLength === undefined || s.length <= maxLength));
        return fc.string({ minLength: minLength ?? 0, maxLength: Math.min(maxLength ?? 12, 12) });
      }
      case "float":
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: f.constraints.minimum ?? -1e9, max: f.constraints.maximum ?? 1e9 });
      default: {
        const numeric = values?.filter((v): v is number => typeof v === "number");
        let [lo, hi] = INT_RANGES[name]!;
        const is64 = name === "int64" || name === "uint64";
        const js = is64 ? (f.js ?? "number") : "number";
        if (js === "number") [lo, hi] = [clamp(lo, -MAX_SAFE, MAX_SAFE), clamp(hi, -MAX_SAFE, MAX_SAFE)];
        if (f.constraints.minimum !== undefined) lo = clamp(BigInt(Math.ceil(f.constraints.minimum)), lo, hi);
        if (f.constraints.maximum !== undefined) hi = clamp(BigInt(Math.floor(f.constraints.maximum)), lo, hi);
        const ints = numeric?.length
          ? fc.constantFrom(...numeric.map((v) => BigInt(v)))
          : fc.oneof(fc.bigInt({ min: lo, max: hi }), fc.constantFrom(lo, hi));
        return ints.map((v) => (js === "bigint" ? v : js === "string" ? v.toString() : Number(v)));
      }
    }
  }

  /** A valid request and a clock inside its look-back windows, fields ordered as its order windows say.
   * With `fixedNow`, look-back fields are moved inside the window ending then; otherwise the clock follows the value. */
  request(op: Operation, fixedNow?: number): fc.Arbitrary<{ value: Record<string, unknown>; now: number }> {
    // Lists a conditional `minItems` may need, drawn beside the request.
    const fillers = op.relations.flatMap((r) => {
      const f = r.kind === "bound" && r.minItems ? op.request.fields.find((x) => x.name === r.field) : undefined;
      return f && f.type.kind === "array" && r.kind === "bound"
        ? [{ field: f.name, list: fc.array(this.type(f.type.items, f, 1), { minLength: r.minItems!, maxLength: r.minItems! }) }]
        : [];
    });
    return fc.tuple(this.shape(op.request.name), fc.tuple(...fillers.map((x) => x.list))).map(([value, lists]) => {
      const v = { ...value };
      const filler = new Map(fillers.map((x, i) => [x.field, lists[i] as unknown[]]));
      let now = fixedNow ?? Date.UTC(2026, 0, 1);
      for (const w of op.timeWindows) {
        if (w.kind !== "lookback" || typeof v[w.field] !== "number") continue;
        const unit = op.request.fields.find((f) => f.name === w.field)?.unit === "milliseconds" ? 1 : 1000;
        if (fixedNow === undefined) now = (v[w.field] as number) * unit + 1000;
        else v[w.field] = Math.floor(fixedNow / unit) - ((v[w.field] as number) % Math.floor((w.withinSeconds * 1000) / unit));
      }
      for (const w of op.timeWindows) {
        if (
          w.kind === "order" &&
          typeof v[w.field] === "number" &&
          typeof v[w.notBefore] === "number" &&
          (v[w.field] as number) < (v[w.notBefore] as number)
        )
          v[w.field] = v[w.notBefore];
      }
      satisfyRelations(op, v, filler);
      return { value: v, now };
    });
  }
}

export interface Mutation {
  path: string;
  /** Issue codes any of which the validator may answer at `path`. */
  codes: string[];
  value: unknown;
  describe: string;
}

type Segment = string | number;
type Container = Record<Segment, unknown>;

function setAt(root: unknown, path: Segment[], fn: (parent: Container, key: Segment) => void): unknown {
  const copy = structuredClone(root);
  let node = copy as Container;
  for (const s of path.slice(0, -1)) node = node[s] as Container;
  fn(node, path[path.length - 1]!);
  return copy;
}

function show(path: Segment[]): string {
  return path.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}

/** Every single mutation of a valid value: for each present field, a wrong type, a null where not nullable, a broken bound
 * or enum; for each required field, its removal; for requests, an unknown field. Values keep a valid shape elsewhere. */
export function mutations(
  service: Service,
  shape: Shape,
  value: Record<string, unknown>,
  rejectUnknown: boolean,
  prefix: Segment[] = [],
): Mutation[] {
  const shapes = new Map([...service.shapes, ...service.operations.flatMap((o) => [o.request, o.response])].map((s) => [s.name, s]));
  const out: Mutation[] = [];
  const visitShape = (s: Shape, v: Record<string, unknown>, at: Segment[]) => {
    for (const f of s.fields) {
      const p = [...at, f.name];
      if (!(f.name in v)) continue;
      if (f.required)
        out.push({
          path: show(p),
          codes: ["required"],
          value: setAt(value, p.slice(prefix.length), (o, k) => delete o[k]),
          describe: "drop a required field",
        });
      if (!f.nullable)
        out.push({
          path: show(p),
          codes: ["null"],
          value: setAt(value, p.slice(prefix.length), (o, k) => (o[k] = null)),
          describe: "null where not nullable",
        });
      const fv = v[f.name];
      if (fv === null) continue;
      visitValue(f.type, f, fv, p);
    }
    if (rejectUnknown)
      out.push({
        path: show([...at, "Zz_unknown"]),
        codes: ["unknown"],
        value: setAt(value, [...at.slice(prefix.length), "Zz_unknown"], (o, k) => (o[k] = 1)),
        describe: "unknown field",
      });
  };
  const visitValue = (t: TypeRef, f: Field, fv: unknown, p: Segment[]) => {
    const rel = p.slice(prefix.length);
    const replace = (nv: unknown, codes: string[], describe: string) =>
      out.push({ path: show(p), codes, value: setAt(value, rel, (o, k) => (o[k] = nv)), describe });
    if (t.kind === "scalar" && t.name === "any") return;
    // A value of no member's type: an object for scalars, a boolean for objects and arrays.
    replace(
      t.kind === "shape" || t.kind === "array" || (t.kind === "scalar" && t.name !== "boolean") || t.kind === "union" ? true : "x",
      ["type"],
      "wrong type",
    );
    if (t.kind === "shape" && fv && typeof fv === "object") visitShape(shapes.get(t.name)!, fv as Record<string, unknown>, p);
    if (t.kind === "array" && Array.isArray(fv)) {
      if (f.constraints.maxItems !== undefined && fv.length > 0)
        replace([...fv, ...Array(f.constraints.maxItems + 1 - fv.length).fill(fv[0])], ["maxItems"], "too many items");
      if (f.constraints.minItems !== undefined && f.constraints.minItems > 0) replace([], ["minItems"], "too few items");
      fv.forEach((item, i) => item !== null && visitValue(t.items, f, item, [...p, i]));
    }
    if (t.kind === "scalar") {
      const { minimum, maximum, maxLength, minLength } = f.constraints;
      const asJs = (n: number) => (typeof fv === "bigint" ? BigInt(n) : typeof fv === "string" && t.name !== "string" ? String(n) : n);
      if (maximum !== undefined && t.name !== "string") replace(asJs(Math.floor(maximum) + 1), ["maximum"], "above maximum");
      if (minimum !== undefined && t.name !== "string" && !(minimum === 0 && t.name.startsWith("u")))
        replace(asJs(Math.ceil(minimum) - 1), ["minimum"], "below minimum");
      if (t.name === "uint64" || t.name === "uint32") replace(asJs(-1), ["minimum"], "negative unsigned");
      if (t.name === "string" && maxLength !== undefined) replace("a".repeat(maxLength + 1), ["maxLength", "pattern", "enum"], "too long");
      if (t.name === "string" && minLength !== undefined && minLength > 0) replace("", ["minLength", "pattern", "enum"], "too short");
      if (t.name === "string" && f.constraints.pattern) replace(" not matching ", ["pattern"], "pattern mismatch");
      if (f.enum) replace(t.name === "string" ? "Zz_not_in_enum" : asJs(987654321), ["enum"], "bad enum");
      if ((t.name === "int64" || t.name === "uint64") && (f.js ?? "number") === "number") replace(2n ** 60n, ["precision"], "beyond 2^53");
    }
  };
  visitShape(shape, value, prefix);
  return out;
}

/** Moves a drawn request inside the operation's `relations` (spans, orders, conditional bounds). */
function satisfyRelations(op: Operation, v: Record<string, unknown>, filler: ReadonlyMap<string, unknown[]>): void {
  const unitMs = (name: string) => {
    const f = op.request.fields.find((x) => x.name === name);
    return f?.unit === "milliseconds" ? 1 : 1000;
  };
  const holds = (r: Relation) => {
    if (!r.when) return true;
    const value = v[r.when.field];
    if (r.when.present !== undefined) return (value !== undefined && value !== null) === r.when.present;
    return value === r.when.equals;
  };
  for (const r of op.relations) {
    if (!holds(r)) continue;
    if (r.kind === "order") {
      const [a, b] = [v[r.first], v[r.then]];
      if (typeof a === "number" && typeof b === "number" && (b < a || (b === a && !r.allowEqual))) v[r.then] = r.allowEqual ? a : a + 1;
      else if (typeof a === "string" && typeof b === "string" && b < a) v[r.then] = a;
    } else if (r.kind === "max-span") {
      const [a, b] = [v[r.from], v[r.to]];
      if (typeof a === "number" && typeof b === "number") {
        const within = Math.floor(r.withinMs / unitMs(r.to));
        if (b - a > within || b < a) v[r.to] = a + Math.min(within, Math.max(0, b - a));
      } else if (typeof a === "string" && typeof b === "string") v[r.to] = a;
    } else {
      const x = v[r.field];
      if (typeof x === "number") {
        if (r.maximum !== undefined && x > r.maximum) v[r.field] = r.maximum;
        if (r.minimum !== undefined && x < r.minimum) v[r.field] = r.minimum;
      } else if (Array.isArray(x) && r.maxItems !== undefined && x.length > r.maxItems) v[r.field] = x.slice(0, r.maxItems);
      else if (r.minItems !== undefined && (!Array.isArray(x) || x.length < r.minItems) && filler.has(r.field)) v[r.field] = filler.get(r.field);
    }
  }
}
