// Field by field through an operation's request or response, following shapes both sides name.
import type { Constraints, EnumValue, Field, Service, Shape } from "../ir/types.js";
import { narrowing, widening, type ChangeSink, type Direction } from "./change.js";
import { shapeRefs } from "../ir/type-ref.js";
import { relation, typeText } from "./type-relation.js";

interface Walk {
  sink: ChangeSink;
  dir: Direction;
  base: Service;
  head: Service;
  /** Shapes already compared in this walk: each is reported once, at the first path that reaches it. */
  seen: Set<string>;
}

const show = (v: unknown) => (typeof v === "bigint" ? v.toString() : JSON.stringify(v));

/** Compare an operation's request (or response) shape, and every shape it reaches on both sides. */
export function compareMessage(sink: ChangeSink, dir: Direction, base: Service, head: Service, baseShape: Shape, headShape: Shape): void {
  compareShape({ sink, dir, base, head, seen: new Set([baseShape.name]) }, baseShape, headShape, dir);
}

function compareShape(w: Walk, base: Shape, head: Shape, prefix: string): void {
  const headFields = new Map(head.fields.map((f) => [f.name, f]));
  const baseNames = new Set(base.fields.map((f) => f.name));
  for (const bf of base.fields) {
    const hf = headFields.get(bf.name);
    const path = `${prefix}.${bf.name}`;
    if (!hf) {
      w.sink.add(
        "breaking",
        "field-removed",
        path,
        w.dir === "request"
          ? "field removed: requests that send it are refused as unknown parameters"
          : "field removed: consumers that read it get nothing",
      );
    } else compareField(w, bf, hf, path);
  }
  for (const hf of head.fields.filter((f) => !baseNames.has(f.name))) {
    const path = `${prefix}.${hf.name}`;
    if (w.dir === "request" && hf.required)
      w.sink.add("breaking", "field-added", path, "new required request field: requests without it are refused");
    else w.sink.add("safe", "field-added", path, `new ${w.dir === "request" ? "optional request" : "response"} field`);
  }
}

function compareField(w: Walk, b: Field, h: Field, path: string): void {
  const { sink, dir } = w;
  if (b.required !== h.required) {
    if (h.required)
      sink.add(narrowing(dir), "field-required", path, dir === "request" ? "now required: requests without it are refused" : "now always present");
    else
      sink.add(
        widening(dir),
        "field-optional",
        path,
        dir === "request" ? "now optional" : "may now be absent: consumers that read it unconditionally break",
      );
  }
  if (b.nullable !== h.nullable) {
    if (h.nullable)
      sink.add(
        widening(dir),
        "field-nullable",
        path,
        dir === "request" ? "now accepts null" : "may now be null: consumers that read it without a null check break",
      );
    else sink.add(narrowing(dir), "field-not-nullable", path, dir === "request" ? "no longer accepts null" : "never null any more");
  }
  const rel = relation(b.type, h.type);
  const change = `type ${typeText(b.type)} → ${typeText(h.type)}`;
  if (rel === "wider")
    sink.add(
      widening(dir),
      "type-widened",
      path,
      `${change}: accepts more values${dir === "response" ? "; consumers may receive values they do not expect" : ""}`,
    );
  else if (rel === "narrower")
    sink.add(
      narrowing(dir),
      "type-narrowed",
      path,
      `${change}: accepts fewer values${dir === "request" ? "; requests that were valid are refused" : ""}`,
    );
  else if (rel === "incompatible") sink.add("breaking", "type-changed", path, change);
  if ((b.js ?? "number") !== (h.js ?? "number") && (b.js || h.js))
    sink.add(
      "breaking",
      "js-representation-changed",
      path,
      `JavaScript representation ${b.js ?? "number"} → ${h.js ?? "number"}: the generated TypeScript type changes`,
    );
  if (b.unit && h.unit && b.unit !== h.unit) sink.add("breaking", "unit-changed", path, `unit ${b.unit} → ${h.unit}`);
  if (dir === "request" && b.default !== undefined && h.default !== undefined && show(b.default) !== show(h.default))
    sink.add(
      "breaking",
      "default-changed",
      path,
      `default ${show(b.default)} → ${show(h.default)}: requests that leave it out now mean something else`,
    );
  if (!b.deprecated && h.deprecated) sink.add("safe", "deprecated", path, `deprecated: ${h.deprecated}`);
  compareConstraints(w, b.constraints, h.constraints, path);
  compareEnum(w, b.enum, h.enum, path);
  // Shapes named on both sides are compared field by field; a renamed shape is a type change above.
  const headRefs = new Set(shapeRefs(h.type).map((r) => r.name));
  for (const { name, suffix } of shapeRefs(b.type)) {
    if (!headRefs.has(name) || w.seen.has(name)) continue;
    const bs = w.base.shapes.find((s) => s.name === name);
    const hs = w.head.shapes.find((s) => s.name === name);
    if (!bs || !hs) continue;
    w.seen.add(name);
    compareShape(w, bs, hs, `${path}${suffix}`);
  }
}

const LOWER = ["minimum", "minLength", "minItems"] as const;
const UPPER = ["maximum", "maxLength", "maxItems"] as const;

function compareConstraints(w: Walk, b: Constraints, h: Constraints, path: string): void {
  const { sink, dir } = w;
  const tightened = (what: string) =>
    sink.add(narrowing(dir), "limit-tightened", path, `${what}${dir === "request" ? ": requests that were valid are refused" : ""}`);
  const loosened = (what: string) =>
    sink.add(widening(dir), "limit-loosened", path, `${what}${dir === "response" ? ": consumers may receive values outside the old limit" : ""}`);
  for (const key of LOWER) {
    const [x, y] = [b[key], h[key]];
    if (x === y) continue;
    if (y !== undefined && (x === undefined || y > x)) tightened(x === undefined ? `${key} ${y} added` : `${key} raised from ${x} to ${y}`);
    else loosened(y === undefined ? `${key} ${x} removed` : `${key} lowered from ${x} to ${y}`);
  }
  for (const key of UPPER) {
    const [x, y] = [b[key], h[key]];
    if (x === y) continue;
    if (y !== undefined && (x === undefined || y < x)) tightened(x === undefined ? `${key} ${y} added` : `${key} lowered from ${x} to ${y}`);
    else loosened(y === undefined ? `${key} ${x} removed` : `${key} raised from ${x} to ${y}`);
  }
  for (const key of ["pattern", "format"] as const) {
    const [x, y] = [b[key], h[key]];
    if (x === y) continue;
    if (x === undefined) tightened(`${key} ${show(y)} added`);
    else if (y === undefined) loosened(`${key} ${show(x)} removed`);
    // Neither side provably contains the other.
    else
      sink.add(
        "breaking",
        key === "pattern" ? "pattern-changed" : "format-changed",
        path,
        `${key} ${show(x)} → ${show(y)}: values valid for one may be invalid for the other`,
      );
  }
}

const enumKey = (e: EnumValue) => `${typeof e.value}:${e.value}`;

function compareEnum(w: Walk, b: EnumValue[] | undefined, h: EnumValue[] | undefined, path: string): void {
  const { sink, dir } = w;
  if (!b && !h) return;
  if (!h)
    return sink.add(
      widening(dir),
      "enum-removed",
      path,
      `no longer limited to ${b!.length} values${dir === "response" ? ": consumers may receive any value" : ""}`,
    );
  if (!b)
    return sink.add(
      narrowing(dir),
      "enum-added",
      path,
      `now limited to ${h.length} values${dir === "request" ? ": requests with other values are refused" : ""}`,
    );
  const hk = new Set(h.map(enumKey));
  const bk = new Set(b.map(enumKey));
  for (const e of b.filter((x) => !hk.has(enumKey(x))))
    sink.add(
      narrowing(dir),
      "enum-value-removed",
      path,
      `value ${show(e.value)} removed${dir === "request" ? ": requests that send it are refused" : " (code that names it no longer type-checks against the new package)"}`,
    );
  for (const e of h.filter((x) => !bk.has(enumKey(x))))
    sink.add(
      widening(dir),
      "enum-value-added",
      path,
      `value ${show(e.value)} added${dir === "response" ? ": consumers that handle every value (exhaustive switches, response validation) do not know it" : ""}`,
    );
}
