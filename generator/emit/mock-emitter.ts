// Mock definition: per service, what the runtime's mock needs beyond the metadata and validators:
// samplers that draw valid payloads from a seeded random source (mock-samplers.ts), and the spec's
// valid examples in their typed form. The runtime (templates/runtime/src/mock/ and the gateways of
// protocols/) does the protocol and the state. Written as text, in the layout ts-morph's printer gave
// it (test/emit/mock-emitter-text.test.ts holds that printer as the reference); the import planner
// writes the imports from the symbols the samplers and the definition use.
import { tsLiteral } from "./symbols.js";
import { applyRepresentation } from "../../templates/runtime/src/shared/json.js";
import type { Field, JsonValue, Operation, Service, Shape, TypeRef } from "../ir/types.js";
import { exampleIssues } from "../ir/example-issues.js";
import { snippetRequest } from "./usage-snippet.js";
import { FORMATS } from "../../templates/runtime/src/validation/validation.js";
import { createsSeveral, fieldAt, lifecyclePlan, listOfObjectsShape, resourceLifecycle, splitAtList } from "../ir/mock-lifecycle.js";
import { representationOf } from "../ir/representation.js";
import { reachableShapes } from "../ir/usage.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { SamplerWriter } from "./mock-samplers.js";
import { RUNTIME_PACKAGE } from "./runtime-package.js";
import { MOCK_SYMBOLS } from "./runtime-symbols.js";
import { functionText, INDENT, written, type FunctionDecl } from "./statements.js";
import { protocolOf } from "../protocols/index.js";
import { docText, SymbolRegistry } from "./symbols.js";

const lit = (v: unknown) => JSON.stringify(v);

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
    if (ex.contradicts || ex.request === undefined || (typeof code !== "string" && typeof code !== "number") || exampleIssues(service, op, ex).length)
      return [];
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
    const key =
      f.js === "string"
        ? String(example)
        : f.js === "bigint"
          ? typeof example === "bigint" || Number.isInteger(example) || /^-?\d+$/.test(String(example))
            ? BigInt(example)
            : undefined
          : example;
    if (key === undefined) continue;
    const entry = out.get(String(example)) ?? { key, methods: [] };
    entry.methods.push(op.method);
    out.set(String(example), entry);
  }
  return [...out.values()];
}

const SEQUENTIAL_KEYS = 1000;

/** Whether the seeded keys 1, 2, 3… (integer) or `<resource>-1`, … (string) suit every key field of the resource. */
export function acceptsSequential(resource: string, keyType: "string" | "integer", fields: Field[]): boolean {
  if (fields.some((f) => f.enum)) return false;
  // Bounds and lengths hold for every key when they hold for the first and the last.
  if (keyType === "integer")
    return fields.every(
      ({ constraints: { minimum, maximum } }) => !(minimum !== undefined && 1 < minimum) && !(maximum !== undefined && SEQUENTIAL_KEYS > maximum),
    );
  const [shortest, longest] = [`${resource}-1`.length, `${resource}-${SEQUENTIAL_KEYS}`.length];
  for (const { constraints: c } of fields)
    if ((c.minLength !== undefined && shortest < c.minLength) || (c.maxLength !== undefined && longest > c.maxLength)) return false;
  // Patterns and formats: every key tried.
  const tests: Array<(key: string) => boolean> = [];
  for (const { constraints: c } of fields) {
    if (c.pattern !== undefined) {
      const pattern = new RegExp(c.pattern, "u");
      tests.push((key) => pattern.test(key));
    }
    if (c.format && c.format !== "unix-time") tests.push(FORMATS[c.format]);
  }
  if (!tests.length) return true;
  for (let i = 1; i <= SEQUENTIAL_KEYS; i++) {
    const key = `${resource}-${i}`;
    for (const test of tests) if (!test(key)) return false;
  }
  return true;
}

/** The definition's entries, one line of code each, by property. */
export interface Entries {
  samplers: string[];
  resources: string[];
  lifecycle: string[];
  examples: string[];
  errorExamples: string[];
}

function entries(service: Service, writer: SamplerWriter, symbols: SymbolRegistry): Entries {
  const samplers = service.operations.map((op) => {
    const item = itemsShape(op);
    const itemField = op.pagination && op.response.fields.find((f) => f.name === op.pagination!.items);
    const element = createdElement(service, op);
    const parts = [
      `response: s${symbols.shape(op.response.name)}`,
      ...(item && itemField ? [`item: ${writer.itemSampler(item, itemField)}`] : []),
      ...(element ? [`element: s${symbols.shape(element.name)}`] : []),
    ];
    return `${op.method}: { ${parts.join(", ")} },`;
  });
  const examples = service.operations.flatMap((op) =>
    typedExamples(service, op).map(
      (ex) => `{ method: ${lit(op.method)}, title: ${lit(ex.title)}, request: ${tsLiteral(ex.request)}, response: ${tsLiteral(ex.response)} },`,
    ),
  );
  const failures = service.operations.flatMap((op) =>
    errorExamples(service, op).map(
      (ex) =>
        `{ method: ${lit(op.method)}, title: ${lit(ex.title)}, request: ${tsLiteral(ex.request)}, code: ${lit(ex.code)}, message: ${lit(ex.message)} },`,
    ),
  );
  // Lifecycles: a key sampler per resource, and per operation its attribute mapping (generator/ir/mock-lifecycle.ts).
  const resources: string[] = [];
  const lifecycle: string[] = [];
  for (const r of service.resources) {
    const life = resourceLifecycle(service, r.name);
    if (life.keyField) {
      // An integer key is never 0 unless the field says it can be.
      const f =
        r.key === "integer" && life.keyField.constraints.minimum === undefined
          ? { ...life.keyField, constraints: { ...life.keyField.constraints, minimum: 1 } }
          : life.keyField;
      const draw = writer.value(f.type, f);
      const keys = exampleKeys(service, life.operations);
      const known = keys.length ? `, examples: [${keys.map((k) => `{ key: ${tsLiteral(k.key)}, methods: ${lit(k.methods)} }`).join(", ")}]` : "";
      const sequential = acceptsSequential(r.name, r.key, life.keyFields);
      resources.push(`${lit(r.name)}: { key: (rng: ${symbols.use("Rng")}) => ${draw}, sequential: ${sequential}${known} },`);
    }
    for (const op of life.operations) {
      const plan = lifecyclePlan(service, op, life);
      if (plan.writes.length || plan.reads.length || plan.keyField || plan.state || plan.each) lifecycle.push(`${op.method}: ${lit(plan)},`);
    }
  }
  return { samplers, resources, lifecycle, examples, errorExamples: failures };
}

/** `name: <open>`, the lines one level in, then `<close>,`: one level into the definition. */
function property(name: string, [open, close]: "{}" | "[]", lines: string[]): string {
  let out = `${INDENT}${name}: ${open}\n`;
  for (const l of lines) out += `${INDENT}${INDENT}${l}\n`;
  return `${out}${INDENT}${close},\n`;
}

/** What mock.ts holds, built (every symbol declared to the import planner) before it is written. */
export interface MockSourceParts {
  symbols: SymbolRegistry;
  /** The pattern programs, as module constants. */
  constants: Array<{ name: string; type: string; initializer: string }>;
  /** A sampler per shape a response reaches; the first carries the heading. */
  functions: FunctionDecl[];
  /** The definition's type, its one-line entries, and its documentation. */
  definition: { doc: string; type: string; metadata: string; gateway?: string; validators: string; entries: Entries };
}

export function mockSourceParts(service: Service): MockSourceParts {
  const symbols = new SymbolRegistry(service, new ImportPlanner(MOCK_SYMBOLS));
  const writer = new SamplerWriter(symbols);
  const shapes = reachableShapes(
    service,
    service.operations.map((o) => o.response),
  );
  const heading = "Samplers: each draws a valid value from the seeded source, so the same seed gives the same data.";
  const functions = shapes.map((s, i) => ({ ...writer.shapeFunction(s), ...(i === 0 ? { heading } : {}) }));
  const entriesOf = entries(service, writer, symbols);
  const gateway = protocolOf(service).mock;
  const gatewayName = gateway && symbols.imports.named(`${RUNTIME_PACKAGE.name}/${gateway.module}`, gateway.gateway);
  const metadata = symbols.imports.named("./metadata.js", "metadata");
  const validators = symbols.imports.named("./validators.js", "validators");
  const type = symbols.use(gateway ? "MockServiceInput" : "MockServiceDefinition");
  const doc = `/** What the runtime's mock needs to serve ${docText(service.title)}: pass it to \`createMock\`. */`;
  const definition = { doc, type, metadata, validators, entries: entriesOf, ...(gatewayName ? { gateway: gatewayName } : {}) };
  return { symbols, constants: writer.constants(), functions, definition };
}

/**
 * mock.ts: the pattern programs, a sampler function per shape a response reaches, and the
 * definition. A protocol the runtime does not ship brings its gateway in the definition.
 */
export function emitMockSource(service: Service): string {
  const { symbols, constants, functions, definition: d } = mockSourceParts(service);
  // Every sampler and entry is built above, so every symbol they use is declared: the imports are complete.
  let out = tsHeader(serviceFiles(service)) + "\n" + symbols.imports.text();
  if (constants.length) {
    out += "\n// Patterns of string fields, as programs the runtime draws matching strings from.\n";
    for (const c of constants) out += `const ${c.name}: ${c.type} = ${c.initializer};\n`;
  }
  for (const f of functions) out += `\n${functionText(f, INDENT)}`;
  out += `\n${written(d.doc)}\nexport const mockDefinition: ${d.type} = {\n${INDENT}${d.metadata},\n`;
  if (d.gateway) out += `${INDENT}gateway: ${d.gateway},\n`;
  out += `${INDENT}${d.validators},\n`;
  out += property("samplers", "{}", d.entries.samplers);
  if (d.entries.resources.length) out += property("resources", "{}", d.entries.resources);
  if (d.entries.lifecycle.length) out += property("lifecycle", "{}", d.entries.lifecycle);
  out += property("examples", "[]", d.entries.examples);
  if (d.entries.errorExamples.length) out += property("errorExamples", "[]", d.entries.errorExamples);
  return `${out}};\n`;
}

export const mockEmitter: Emitter = {
  name: "mock",
  emitService(service): GeneratedFile[] {
    // Already formatted: prettier would only re-wrap long lines.
    return [{ path: `${service.id}/src/mock.ts`, content: emitMockSource(service), preformatted: true }];
  },
};
