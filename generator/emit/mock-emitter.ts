// Mock definition: per service, what the runtime's mock needs beyond the metadata and validators:
// samplers that draw valid payloads from a seeded random source, and the spec's valid examples in
// their typed form. The runtime (templates/runtime/src/mock-*.ts) does the protocol and the state.
import { tsLiteral } from "./symbols.js";
import { INT_RANGES, MAX_SAFE } from "../ir/int-ranges.js";
import { applyRepresentation } from "../../templates/runtime/src/json.js";
import type { Field, JsonValue, Operation, ScalarName, Service, Shape, TypeRef } from "../ir/types.js";
import { exampleIssues } from "../check/rules/example-invalid.js";
import { representationOf } from "../ir/representation.js";
import { reachableShapes } from "../ir/usage.js";
import { indentCode } from "./indent.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { RUNTIME_PACKAGE } from "./package-emitter.js";
import { SymbolRegistry } from "./symbols.js";

const lit = (v: unknown) => JSON.stringify(v);
/** Plausible timestamps: 2023-01-01 to 2026-01-01. */
const UNIX_SECONDS: [bigint, bigint] = [1672531200n, 1767225600n];

const big = (a: bigint, b: bigint, max: boolean) => ((max ? a > b : a < b) ? a : b);

class SamplerWriter {
  constructor(private readonly symbols: SymbolRegistry) {}

  /** An expression drawing one value of `t` for field `f`. */
  value(t: TypeRef, f: Field): string {
    switch (t.kind) {
      case "shape":
        return `s${this.symbols.shape(t.name)}(rng)`;
      case "union":
        return `rng.pick([${t.members.map((m) => `() => ${this.value(m, f)}`).join(", ")}])()`;
      case "array": {
        const min = f.constraints.minItems ?? 0;
        const max = Math.max(min, Math.min(f.constraints.maxItems ?? 3, 3));
        return `Array.from({ length: rng.int(${min}, ${max}) }, () => ${this.value(t.items, f)})`;
      }
      case "scalar":
        return this.scalar(t.name, f);
    }
  }

  private scalar(name: ScalarName, f: Field): string {
    if (f.enum) return `rng.pick(${lit(f.enum.filter((e) => (name === "string" ? typeof e.value === "string" : typeof e.value === "number")).map((e) => e.value))})`;
    if (f.example !== undefined && f.constraints.pattern) return tsLiteral(f.example);
    switch (name) {
      case "any":
        return "rng.string(1, 8)";
      case "boolean":
        return "rng.bool()";
      case "string": {
        const { minLength, maxLength, format, pattern } = f.constraints;
        if (pattern) throw new Error(`${f.loc.file}:${f.loc.line}: field ${f.name} has a pattern but no example; the mock needs an example to draw values from`);
        if (format === "date") return `new Date(rng.int(1672531200, 1767225600) * 1000).toISOString().slice(0, 10)`;
        if (format === "date-time") return `new Date(rng.int(1672531200, 1767225600) * 1000).toISOString().replace(/\\.\\d+Z$/, "Z")`;
        if (format === "ipv4") return "`${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`";
        if (format === "uri") return "`https://example.com/${rng.string(4, 12)}`";
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
        if (f.constraints.minimum !== undefined) lo = big(lo, BigInt(Math.ceil(f.constraints.minimum)), true);
        if (f.constraints.maximum !== undefined) hi = big(hi, BigInt(Math.floor(f.constraints.maximum)), false);
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
    lines.push("return v;", "}");
    return lines.join("\n");
  }
}

function itemsShape(op: Operation): TypeRef | undefined {
  const items = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
  return items?.type.kind === "array" ? items.type.items : undefined;
}

/** The spec's examples that pass their own schemas, in the typed form the client delivers. */
function typedExamples(service: Service, op: Operation): Array<{ title: string; request: JsonValue; response: JsonValue }> {
  const out: Array<{ title: string; request: JsonValue; response: JsonValue }> = [];
  for (const ex of op.examples) {
    if (ex.contradicts || ex.request === undefined || ex.responsePayload === undefined || exampleIssues(service, op, ex).length) continue;
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

export function emitMockSource(service: Service): string {
  const symbols = new SymbolRegistry(service);
  const writer = new SamplerWriter(symbols);
  const shapes = reachableShapes(service, service.operations.map((o) => o.response));
  const samplers = service.operations.map((op) => {
    const item = itemsShape(op);
    const itemField = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
    return `  ${op.method}: { response: s${symbols.shape(op.response.name)}${item && itemField ? `, item: (rng: Rng) => ${writer.value(item, itemField)}` : ""} },`;
  });
  const examples = service.operations.flatMap((op) =>
    typedExamples(service, op).map((ex) => `  { method: ${lit(op.method)}, title: ${lit(ex.title)}, request: ${tsLiteral(ex.request)}, response: ${tsLiteral(ex.response)} },`),
  );
  return [
    tsHeader(serviceFiles(service)),
    `import type { MockServiceDefinition, Rng } from "${RUNTIME_PACKAGE.name}/mock";`,
    `import { metadata } from "./metadata.js";`,
    `import { validators } from "./validators.js";`,
    "",
    "// Samplers: each draws a valid value from the seeded source, so the same seed gives the same data.",
    shapes.map((s) => writer.shapeFunction(s)).join("\n\n"),
    "",
    `/** What the runtime's mock needs to serve ${service.title}: pass it to \`createMock\`. */`,
    "export const mockDefinition: MockServiceDefinition = {",
    "  metadata,",
    "  validators,",
    `  samplers: {\n${samplers.join("\n")}\n  },`,
    `  examples: [\n${examples.join("\n")}\n  ],`,
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
