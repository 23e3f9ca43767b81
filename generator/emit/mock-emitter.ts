// Mock definition: per service, what the runtime's mock needs beyond the metadata and validators:
// samplers that draw valid payloads from a seeded random source, and the spec's valid examples in
// their typed form. The runtime (templates/runtime/src/mock/ and the gateways of protocols/) does the protocol and the state.
import { tsLiteral } from "./symbols.js";
import { INT_RANGES, integerBounds, MAX_SAFE } from "../ir/int-ranges.js";
import { applyRepresentation } from "../../templates/runtime/src/shared/json.js";
import type { Field, JsonValue, Operation, ScalarName, Service, Shape, TypeRef } from "../ir/types.js";
import { exampleIssues } from "../ir/example-issues.js";
import { snippetRequest } from "./client-emitter.js";
import { fieldSamples } from "../check/patterns.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";
import { createRng } from "../../templates/runtime/src/mock/definition.js";
import { drawPattern, type PatternProgram } from "../../templates/runtime/src/mock/sample.js";
import { createsSeveral, fieldAt, lifecyclePlan, listOfObjectsShape, resourceLifecycle, splitAtList } from "../ir/mock-lifecycle.js";
import { isTimeField, msPerUnit, sortTimeField, timeOrderPairs } from "../ir/time-order.js";
import { patternProgram, UnsupportedPattern } from "./pattern-program.js";
import { representationOf } from "../ir/representation.js";
import { reachableShapes } from "../ir/usage.js";
import { indentCode } from "./indent.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { RUNTIME_PACKAGE } from "./package-emitter.js";
import { protocolOf } from "../protocols/index.js";
import { docText, SymbolRegistry } from "./symbols.js";

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

/** What the emitted module needs from the runtime's mock helpers. */
type Helper = "drawPattern" | "orderTimes" | "placeInTime" | "sortByTime";

class SamplerWriter {
  readonly helpers = new Set<Helper>();
  /** Pattern programs by pattern, emitted once each as a module constant. */
  readonly programs = new Map<string, { name: string; program: PatternProgram }>();

  constructor(private readonly symbols: SymbolRegistry) {}

  /** The module constants the samplers refer to. */
  constants(): string {
    return [...this.programs.values()].map((p) => `const ${p.name}: PatternProgram = ${lit(p.program)};`).join("\n");
  }

  /** An expression drawing a string that matches `f`'s pattern. */
  private patterned(f: Field): string {
    const { pattern, minLength, maxLength } = f.constraints;
    const program = checkedProgram(f);
    if (program) {
      let entry = this.programs.get(pattern!);
      if (!entry) this.programs.set(pattern!, (entry = { name: `PATTERN_${this.programs.size + 1}`, program }));
      this.helpers.add("drawPattern");
      const fallback = typeof f.example === "string" ? `, ${lit(f.example)}` : "";
      return `drawPattern(rng, ${entry.name}, ${minLength ?? 0}, ${maxLength ?? "Infinity"}${fallback})`;
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
        this.helpers.add("sortByTime");
        return `sortByTime(${list}, ${lit(by.name)})`;
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

  shapeFunction(shape: Shape): string {
    const name = this.symbols.shape(shape.name);
    const lines = [`function s${name}(rng: Rng): Record<string, unknown> {`, "const v: Record<string, unknown> = {};"];
    for (const f of shape.fields) {
      const draw = this.value(f.type, f);
      const withNull = f.nullable ? `rng.int(0, 9) === 0 ? null : ${draw}` : draw;
      // An inherited name (`constructor`, …) is typed as Object's member: set it without a typed property access.
      const set = f.name in Object.prototype ? (value: string) => `Reflect.set(v, ${lit(f.name)}, ${value});` : (value: string) => `v.${f.name} = ${value};`;
      lines.push(f.required ? set(withNull) : `if (rng.int(0, 3) !== 0) ${set(withNull)}`);
    }
    const pairs = this.orderedPairs(shape);
    if (pairs.length) {
      this.helpers.add("orderTimes");
      lines.push(`orderTimes(v, rng, ${lit(pairs)});`);
    }
    lines.push("return v;", "}");
    return lines.join("\n");
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
    if (!shape || !by) return `(rng: Rng) => ${draw}`;
    this.helpers.add("placeInTime");
    const times = shape.fields.filter((f) => isTimeField(f) && !(f.type.kind === "scalar" && f.type.name === "string")).map((f) => [f.name, msPerUnit(f)]);
    return `(rng: Rng, at?: MockItemPosition) => placeInTime(${draw}, at, ${lit(by.name)}, ${lit(times)}, ${UNIX_SECONDS[0] * 1000n}, ${UNIX_SECONDS[1] * 1000n})`;
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

/** A create of several answering a list of objects (`keyFrom: response.Users[].UserId`): the shape of one element. */
function createdElement(service: Service, op: Operation): Shape | undefined {
  if (!createsSeveral(op) || op.mock!.keyFrom!.side !== "response") return undefined;
  const at = splitAtList(op.mock!.keyFrom!.path.split("."));
  return at && at.rest.length ? listOfObjectsShape(service, fieldAt(service, op.response, at.list)) : undefined;
}

function itemsShape(op: Operation): TypeRef | undefined {
  const items = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
  return items?.type.kind === "array" ? items.type.items : undefined;
}

/** The spec's examples that pass their own schemas, in the typed form the client delivers. */
function typedExamples(service: Service, op: Operation): Array<{ title: string; request: JsonValue; response: JsonValue }> {
  const out: Array<{ title: string; request: JsonValue; response: JsonValue }> = [];
  for (const ex of op.examples) {
    if (ex.contradicts || ex.error || ex.request === undefined || ex.responsePayload === undefined || exampleIssues(service, op, ex).length) continue;
    const req = representationOf(service, op.request);
    const res = representationOf(service, op.response);
    out.push({
      title: ex.title,
      request: (req ? applyRepresentation(ex.request, req) : ex.request) as JsonValue,
      response: (res ? applyRepresentation(ex.responsePayload, res) : ex.responsePayload) as JsonValue,
    });
  }
  return out;
}

/** The spec's valid error examples: the request in its typed form, and the error it is answered. */
function errorExamples(service: Service, op: Operation): Array<{ title: string; request: JsonValue; code: string | number; message: string }> {
  const plan = representationOf(service, op.request);
  return op.examples.flatMap((ex) => {
    const code = ex.error?.code;
    if (ex.contradicts || ex.request === undefined || (typeof code !== "string" && typeof code !== "number") || exampleIssues(service, op, ex).length) return [];
    const message = typeof ex.error!.message === "string" ? ex.error!.message : "";
    return [{ title: ex.title, request: (plan ? applyRepresentation(ex.request, plan) : ex.request) as JsonValue, code, message }];
  });
}

/**
 * Keys the spec gives as the `example` of a read's, update's or delete's key field, in typed form,
 * with the operations naming each: the mock makes them exist, so a call built from field examples
 * (a usage snippet) finds its resource. A key a create's usage request names is left out: that
 * create would find it taken.
 */
function exampleKeys(service: Service, operations: Operation[]): Array<{ key: JsonValue; methods: string[] }> {
  const taken = new Set<string>();
  for (const op of operations) {
    const from = op.mock!.keyFrom;
    if (op.mock!.action !== "create" || from?.side !== "request" || from.path.includes("[]")) continue;
    let v: unknown = snippetRequest(service, op);
    for (const name of from.path.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[name] : undefined;
    if (v !== undefined) taken.add(String(v));
  }
  const out = new Map<string, { key: JsonValue; methods: string[] }>();
  for (const op of operations) {
    const m = op.mock!;
    if (m.key === undefined || m.key.includes("[]") || (m.action !== "read" && m.action !== "update" && m.action !== "delete")) continue;
    const f = fieldAt(service, op.request, m.key.split("."));
    const example = f?.example;
    if (!f || (typeof example !== "string" && typeof example !== "number" && typeof example !== "bigint") || taken.has(String(example))) continue;
    // BigInt(1.5) throws: an example that is no integer (reported by example-invalid) seeds nothing.
    const key = f.js === "string" ? String(example) : f.js === "bigint" ? (typeof example === "bigint" || Number.isInteger(example) || /^-?\d+$/.test(String(example)) ? BigInt(example) : undefined) : example;
    if (key === undefined) continue;
    const entry = out.get(String(example)) ?? { key, methods: [] };
    entry.methods.push(op.method);
    out.set(String(example), entry);
  }
  return [...out.values()];
}

/** Whether the seeded keys 1, 2, 3… (integer) or `<resource>-1`, … (string) suit every key field of the resource. */
function acceptsSequential(resource: string, keyType: "string" | "integer", fields: Field[]): boolean {
  const patterns = fields.map((f) => (f.constraints.pattern === undefined ? undefined : new RegExp(f.constraints.pattern, "u")));
  for (let i = 1; i <= 1000; i++) {
    for (const [n, f] of fields.entries()) {
      const { minimum, maximum, minLength, maxLength, format } = f.constraints;
      if (f.enum) return false;
      if (keyType === "integer") {
        if ((minimum !== undefined && i < minimum) || (maximum !== undefined && i > maximum)) return false;
        continue;
      }
      const key = `${resource}-${i}`;
      if (patterns[n] && !patterns[n].test(key)) return false;
      if ((minLength !== undefined && key.length < minLength) || (maxLength !== undefined && key.length > maxLength)) return false;
      if (format && format !== "unix-time" && !FORMATS[format](key)) return false;
    }
  }
  return true;
}

export function emitMockSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const writer = new SamplerWriter(symbols);
  const shapes = reachableShapes(service, service.operations.map((o) => o.response));
  const shapeFunctions = shapes.map((s) => writer.shapeFunction(s)).join("\n\n");
  const samplers = service.operations.map((op) => {
    const item = itemsShape(op);
    const itemField = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
    const element = createdElement(service, op);
    const parts = [
      `response: s${symbols.shape(op.response.name)}`,
      ...(item && itemField ? [`item: ${writer.itemSampler(item, itemField)}`] : []),
      ...(element ? [`element: s${symbols.shape(element.name)}`] : []),
    ];
    return `  ${op.method}: { ${parts.join(", ")} },`;
  });
  const examples = service.operations.flatMap((op) =>
    typedExamples(service, op).map((ex) => `  { method: ${lit(op.method)}, title: ${lit(ex.title)}, request: ${tsLiteral(ex.request)}, response: ${tsLiteral(ex.response)} },`),
  );
  const failures = service.operations.flatMap((op) =>
    errorExamples(service, op).map((ex) => `  { method: ${lit(op.method)}, title: ${lit(ex.title)}, request: ${tsLiteral(ex.request)}, code: ${lit(ex.code)}, message: ${lit(ex.message)} },`),
  );
  // Lifecycles: a key sampler per resource, and per operation its attribute mapping (generator/ir/mock-lifecycle.ts).
  const resources: string[] = [];
  const plans: string[] = [];
  for (const r of service.resources) {
    const life = resourceLifecycle(service, r.name);
    if (life.keyField) {
      // An integer key is never 0 unless the field says it can be.
      const f = r.key === "integer" && life.keyField.constraints.minimum === undefined ? { ...life.keyField, constraints: { ...life.keyField.constraints, minimum: 1 } } : life.keyField;
      const draw = writer.value(f.type, f);
      const keys = exampleKeys(service, life.operations);
      const examples = keys.length ? `, examples: [${keys.map((k) => `{ key: ${tsLiteral(k.key)}, methods: ${lit(k.methods)} }`).join(", ")}]` : "";
      resources.push(`  ${lit(r.name)}: { key: (rng: Rng) => ${draw}, sequential: ${acceptsSequential(r.name, r.key, life.keyFields)}${examples} },`);
    }
    for (const op of life.operations) {
      const plan = lifecyclePlan(service, op, life);
      if (plan.writes.length || plan.reads.length || plan.keyField || plan.state || plan.each) plans.push(`  ${op.method}: ${lit(plan)},`);
    }
  }
  const h = writer.helpers;
  // A protocol the runtime does not ship: the definition brings its gateway.
  const gateway = protocolOf(service).mock;
  const runtimeImports = [
    ...[...h].sort(),
    ...(h.has("placeInTime") ? ["type MockItemPosition"] : []),
    gateway ? "type MockServiceInput" : "type MockServiceDefinition",
    ...(writer.programs.size ? ["type PatternProgram"] : []),
    "type Rng",
  ];
  return [
    tsHeader(serviceFiles(service)),
    `import { ${runtimeImports.join(", ")} } from "${RUNTIME_PACKAGE.name}/mock";`,
    ...(gateway ? [`import { ${gateway.gateway} } from "${RUNTIME_PACKAGE.name}/${gateway.module}";`] : []),
    `import { metadata } from "./metadata.js";`,
    `import { validators } from "./validators.js";`,
    "",
    ...(writer.programs.size ? ["// Patterns of string fields, as programs the runtime draws matching strings from.", writer.constants(), ""] : []),
    "// Samplers: each draws a valid value from the seeded source, so the same seed gives the same data.",
    shapeFunctions,
    "",
    `/** What the runtime's mock needs to serve ${docText(service.title)}: pass it to \`createMock\`. */`,
    `export const mockDefinition: ${gateway ? "MockServiceInput" : "MockServiceDefinition"} = {`,
    "  metadata,",
    ...(gateway ? [`  gateway: ${gateway.gateway},`] : []),
    "  validators,",
    `  samplers: {\n${samplers.join("\n")}\n  },`,
    ...(resources.length ? [`  resources: {\n${resources.join("\n")}\n  },`] : []),
    ...(plans.length ? [`  lifecycle: {\n${plans.join("\n")}\n  },`] : []),
    `  examples: [\n${examples.join("\n")}\n  ],`,
    ...(failures.length ? [`  errorExamples: [\n${failures.join("\n")}\n  ],`] : []),
    "};",
    "",
  ].join("\n");
}

export const mockEmitter: Emitter = {
  name: "mock",
  emitService(service): GeneratedFile[] {
    return [{ path: `${service.id}/src/mock.ts`, content: indentCode(emitMockSource(service)), preformatted: true }];
  },
};
