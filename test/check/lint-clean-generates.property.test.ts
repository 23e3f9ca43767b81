// Property: a spec with no error diagnostics always generates packages that type-check and import.
// fast-check draws services (names from pools of awkward ones: class members, Object.prototype keys,
// keywords, runtime exports; every field type; constraints; patterns, valid, invalid and unsafe;
// enums with awkward values; pagination). Each is linted on its own; the lint-clean ones are
// generated together into one tree, type-checked in one TypeScript program and imported, and
// each operation's mock response is drawn and checked by its own validator.
// A failure names the drawn run (seed and path), replays it alone and shrinks it: the shrunk spec
// is printed, ready to become a case in test/fixtures/broken-specs (a patch on its base tree).
// FC_SEED=n draws with another seed (a failure names its seed); FC_RUNS=n draws more specs.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";
import { stringify } from "yaml";
import { checkSpecs } from "../../generator/check/check-specs.js";
import { formatDiagnostic, hasErrors } from "../../generator/shared/diagnostic.js";
import { loadSpecs } from "../../generator/load/load-specs.js";
import { generate } from "../../generator/pipeline.js";
import { createRng } from "../../generated/runtime/src/mock/definition.js";
import { materialise } from "../broken-spec-cases.js";
import { SPECS } from "../helpers.js";

const RUNS = Number(process.env.FC_RUNS ?? 24);
// A fixed seed keeps CI deterministic; FC_SEED=$RANDOM explores further.
const SEED = Number(process.env.FC_SEED ?? 20240613);

// ── What is drawn ────────────────────────────────────────────────────────────────────────────

const OP_NAMES = [
  "GetThing",
  "DescribeRoom",
  "ListEvents",
  "Constructor",
  "ToString",
  "ValueOf",
  "HasOwnProperty",
  "Delete",
  "New",
  "Class",
  "Default",
  "Then",
  "Close",
  "List",
  "ListPages",
  "ListItems",
  "Await",
  "Function",
  "Object",
  "Promise",
  "Array",
  "ApiError",
];
const METHODS = [
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "delete",
  "new",
  "class",
  "default",
  "then",
  "close",
  "list",
  "listPages",
  "listItems",
  "await",
  "yield",
  "arguments",
  "eval",
  "super",
  "this",
  "null",
  "import",
  "prototype",
  "name",
  "length",
  "call",
  "apply",
  "bind",
];
const SHAPE_NAMES = ["Info", "Item", "Detail"];
const AWKWARD_SHAPE_NAMES = [
  "Array",
  "Object",
  "String",
  "Number",
  "Boolean",
  "Date",
  "Error",
  "Promise",
  "Record",
  "Map",
  "Set",
  "T",
  "Partial",
  "Omit",
  "Pick",
  "Symbol",
  "BigInt",
  "Function",
  "RegExp",
  "JSON",
  "Rng",
  "MockServiceDefinition",
  "ServiceClient",
  "ApiClientOptions",
  "Request",
  "Response",
  "SArray",
];
const REFUSED_SHAPE_NAMES = [
  "ApiError",
  "ValidationError",
  "CallOptions",
  "ClientErrorCode",
  "Issue",
  "ValidationResult",
  "CommonErrorCode",
  "ApiClient",
];
const FIELD_NAMES = ["Name", "Id", "Value", "x", "X1", "a_b"];
const AWKWARD_FIELD_NAMES = [
  "delete",
  "class",
  "default",
  "new",
  "function",
  "await",
  "yield",
  "undefined",
  "NaN",
  "Infinity",
  "prototype",
  "length",
  "name",
  "then",
  "Response",
  "Error",
  "RequestId",
];
const REFUSED_FIELD_NAMES = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"];
const PATTERNS = [
  "^[a-z]+$",
  "^[0-9]+_.+_[0-9]+$",
  "^[A-Z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)*$",
  "^\\d{4}-\\d{2}$",
  "[a-(",
  "(",
  "^(a+)+$",
  "(a|a)*b",
  "^(?=a)a+$",
  "\\bfoo\\b",
  "^[\\u{1F600}-\\u{1F64F}]{1,3}$",
  "^\"'`\\$\\{x\\}\\*/$",
  "^.{2,4}$",
];
const EXAMPLES = ["abc", "x", "12_ab_34", "Foo.Bar", "2024-01", "aaaa", "", "foo", "😀", "\"'`${x}*/"];
const ENUM_STRINGS = ["A", "b c", '"quoted"', "back\\slash", "*/", "${x}", "\u2028", "", "constructor", "__proto__", "toString", "a\nb", "😀"];
const ENUM_NUMBERS = [0, -1, 1, 7, 2147483647, 4294967295, 9007199254740991];
const SCALARS = ["string", "boolean", "integer", "int32", "uint32", "int64", "uint64", "float", "any"] as const;

type Raw = Record<string, unknown>;

/** Mostly an ordinary value, sometimes an awkward one, seldom one the lint refuses (so most specs stay lint-clean). */
const mostly = <T>(ordinary: readonly T[], awkward: readonly T[], refused: readonly T[] = []) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ordinary), weight: 30 },
    ...(awkward.length ? [{ arbitrary: fc.constantFrom(...awkward), weight: 10 }] : []),
    ...(refused.length ? [{ arbitrary: fc.constantFrom(...refused), weight: 1 }] : []),
  );
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const strip = (o: Raw): Raw => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A field of a scalar type or a shape of the service, maybe an array, with constraints that fit or not. */
function fieldArb(shapeNames: string[]): fc.Arbitrary<Raw> {
  const scalar = fc.constantFrom(...SCALARS);
  const base = shapeNames.length ? fc.oneof({ arbitrary: scalar, weight: 4 }, { arbitrary: fc.constantFrom(...shapeNames), weight: 1 }) : scalar;
  return fc
    .record({
      base,
      array: fc.boolean(),
      union: fc.boolean(),
      required: fc.boolean(),
      nullable: fc.boolean(),
      js: fc.constantFrom("number", "bigint", "string"),
      min: maybe(fc.integer({ min: -5, max: 5 })),
      span: maybe(fc.integer({ min: -1, max: 20 })),
      pattern: fc.option(fc.constantFrom(...PATTERNS), { nil: undefined, freq: 2 }),
      example: fc.option(fc.constantFrom(...EXAMPLES), { nil: undefined, freq: 2 }),
      stringEnum: maybe(fc.uniqueArray(fc.constantFrom(...ENUM_STRINGS), { minLength: 1, maxLength: 4 })),
      numberEnum: maybe(fc.uniqueArray(fc.constantFrom(...ENUM_NUMBERS), { minLength: 1, maxLength: 4 })),
      format: maybe(fc.constantFrom("uri", "ipv4", "date", "date-time")),
      // One draw in four keeps limits an enum or a format may contradict (the lint refuses those).
      clash: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    })
    .map((d) => {
      const isString = d.base === "string";
      const isInt = ["integer", "int32", "uint32", "int64", "uint64"].includes(d.base);
      const type = d.union && isString ? ["string", "uint32"] : d.array ? `${d.base}[]` : d.base;
      const f: Raw = { type, description: "A field.", required: d.required || undefined, nullable: d.nullable || undefined };
      if (d.base === "int64" || d.base === "uint64") f.js = d.js;
      if (isString) {
        if (d.pattern) f.pattern = d.pattern;
        if (d.example !== undefined && !d.array) f.example = d.example;
        // Length limits on a pattern of characters beyond U+FFFF too: the mock counts UTF-16 units, as the validators do.
        if (d.min !== undefined && d.min >= 0) f.minLength = d.min;
        if (d.min !== undefined && d.span !== undefined && d.min + d.span >= 0) f.maxLength = Math.max(0, d.min) + d.span;
        // Enums, with (on a clash) lengths and patterns their values may break; on a union type
        // too (the mock draws only the members the enum has values of).
        if (d.stringEnum && (d.clash || !d.pattern)) {
          f.enum = d.stringEnum;
          if (!d.clash) {
            delete f.minLength;
            delete f.maxLength;
          }
        }
        // Formats, with (on a clash) lengths no value of the format may have. Not drawn
        // (reported): lengths that some values fit but not the mock's, a uri of at most 20
        // characters or an ipv4 of at most 14 (it draws `https://example.com/…` and any address).
        else if (d.format && !d.pattern && d.example === undefined) {
          f.format = d.format;
          if (!d.clash) {
            delete f.minLength;
            delete f.maxLength;
          }
          const max = f.maxLength as number | undefined;
          if (max !== undefined && ((d.format === "uri" && max >= 2 && max <= 20) || (d.format === "ipv4" && max >= 7 && max <= 14)))
            delete f.maxLength;
        }
      } else if (isInt || d.base === "float") {
        if (d.min !== undefined) f.minimum = d.base.startsWith("u") ? Math.abs(d.min) : d.min;
        if (d.min !== undefined && d.span !== undefined) f.maximum = (f.minimum as number) + Math.abs(d.span) * 1000;
        // Enum values in the type's range, or (on a clash) any, with the field's minimum/maximum;
        // on 64-bit fields delivered as bigint or string too (the mock draws them in that form).
        const top = d.base === "int32" ? 2147483647 : d.base === "uint32" ? 4294967295 : Number.MAX_SAFE_INTEGER;
        const fits = (v: number) => v <= top && (!d.base.startsWith("u") || v >= 0);
        if (d.numberEnum && isInt && !d.array && !Array.isArray(type)) f.enum = d.clash ? d.numberEnum : d.numberEnum.filter(fits);
        if (Array.isArray(f.enum) && !f.enum.length) delete f.enum;
        if (Array.isArray(f.enum) && !d.clash) {
          delete f.maximum;
          delete f.minimum;
        }
      }
      if (d.array && !Array.isArray(type) && d.span !== undefined && d.span >= 0) f.maxItems = d.span + 1;
      return strip(f);
    });
}

function fieldsArb(shapeNames: string[], min = 0): fc.Arbitrary<Raw> {
  return fc
    .uniqueArray(fc.tuple(mostly(FIELD_NAMES, AWKWARD_FIELD_NAMES, REFUSED_FIELD_NAMES), fieldArb(shapeNames)), {
      minLength: min,
      maxLength: 4,
      selector: ([n]) => n,
    })
    .map((list) => Object.fromEntries(list));
}

interface DrawnService {
  protocol: "tc3" | "chat-rest";
  client?: string;
  resources: string[];
  types: Record<string, Raw>;
  operations: Raw[];
}

const serviceArb: fc.Arbitrary<DrawnService> = fc
  .record({
    protocol: fc.constantFrom("tc3" as const, "chat-rest" as const),
    client: mostly([undefined], ["ApiClient", "TClient"], ["ServiceClient", "ProtocolClient"]),
    resources: fc.uniqueArray(mostly(["room", "user", "tostring"], [], ["constructor"]), { maxLength: 2 }),
    typeNames: fc.uniqueArray(mostly(SHAPE_NAMES, AWKWARD_SHAPE_NAMES, REFUSED_SHAPE_NAMES), { maxLength: 3 }),
  })
  .chain((s) =>
    fc.record({
      protocol: fc.constant(s.protocol),
      client: fc.constant(s.client),
      resources: fc.constant(s.resources),
      // A type may only use the types before it, so there are no cycles.
      types: fc
        .tuple(...s.typeNames.map((_, i) => fieldsArb(s.typeNames.slice(0, i), 1)))
        .map((fields) => Object.fromEntries(s.typeNames.map((n, i) => [n, { description: `The ${n}.`, fields: fields[i] }]))),
      operations: fc.uniqueArray(
        fc.record({
          name: mostly(OP_NAMES.slice(0, 3), OP_NAMES.slice(4), ["Constructor"]),
          method: mostly([undefined], METHODS.slice(5), METHODS.slice(0, 5)),
          request: fieldsArb(s.typeNames),
          response: fieldsArb(s.typeNames),
          paginate: maybe(fc.record({ maxSize: maybe(fc.integer({ min: 1, max: 500 })), itemType: fc.constantFrom("string", ...s.typeNames) })),
        }),
        { minLength: 1, maxLength: 3, selector: (o) => o.name },
      ),
    }),
  )
  .map((s) => ({
    ...s,
    operations: s.operations.map((o, i) => {
      const request: Raw = { ...o.request };
      const response: Raw = { ...o.response };
      let pagination: Raw | undefined;
      if (o.paginate) {
        request.Offset = { type: "uint32", description: "Page.", minimum: 1 };
        request.Limit = strip({
          type: "uint32",
          description: "Size.",
          minimum: 1,
          maximum: o.paginate.maxSize,
          default: o.paginate.maxSize ? undefined : 20,
        });
        response.Items = { type: `${o.paginate.itemType}[]`, description: "Items.", required: true };
        response.Count = { type: "uint32", description: "Total.", required: true };
        pagination = { style: "page-number", page: "Offset", size: "Limit", items: "Items", total: "Count" };
      }
      if (s.protocol === "tc3") response.RequestId = { type: "string", description: "Request id.", required: true };
      return strip({
        name: o.name,
        method: o.method,
        ...(s.protocol === "tc3" ? { action: o.name } : { command: `svc/cmd_${i}` }),
        summary: "Does a thing.",
        description: "Does a thing.",
        source: "src",
        pagination,
        request: { fields: request },
        response: { fields: response },
        // chat-rest: every operation documents the code its service answers for invalid requests.
        errors: s.protocol === "chat-rest" ? [{ code: 100002, description: "Invalid parameter.", retryable: false }] : [],
        examples: [],
      });
    }),
  }));

// ── Writing, linting, generating ────────────────────────────────────────────────────────────

const root = mkdtempSync(path.join(os.tmpdir(), "lint-clean-generates-"));
afterAll(() => (process.env.FC_KEEP ? console.log(`kept ${root}`) : rmSync(root, { recursive: true, force: true })));
let counter = 0;

const yaml = (v: unknown) => stringify(v, { lineWidth: 0 });

/** A specs tree with the real protocol files and the drawn service as `s<id>`. */
function writeSpecs(dir: string, id: string, s: DrawnService): void {
  cpSync(path.join(SPECS, "protocols"), path.join(dir, "protocols"), { recursive: true });
  const svc = path.join(dir, id);
  mkdirSync(svc, { recursive: true });
  const service = strip({
    service: id,
    title: `Service ${id}`,
    description: "A drawn service.",
    client: s.client,
    package: { name: `@drawn/${id}` },
    protocol: s.protocol === "tc3" ? { name: "tc3", service: id.replace(/-/g, ""), version: "2020-01-01" } : { name: "chat-rest", version: "v4" },
    endpoints: [{ id: "default", host: `${id}.example.com`, default: true, description: "The endpoint." }],
    regions: { required: false },
    types: Object.keys(s.types).length ? s.types : undefined,
    resources: s.resources.length ? Object.fromEntries(s.resources.map((r) => [r, { description: "A resource.", key: "string" }])) : undefined,
    validationErrors: s.protocol === "chat-rest" ? { missing: 100002, type: 100002, value: 100002, unknown: 100002 } : undefined,
    sources: [{ id: "src", title: "Drawn" }],
  });
  writeFileSync(path.join(svc, "service.yaml"), yaml(service));
  for (const op of s.operations) writeFileSync(path.join(svc, `${String(op.name)}.yaml`), yaml(op));
}

/** The error diagnostics of the drawn service alone, as text (empty: lint-clean). */
async function lintErrors(s: DrawnService): Promise<string[]> {
  const dir = path.join(root, `lint-${counter++}`);
  writeSpecs(dir, "s", s);
  const checked = checkSpecs(await loadSpecs(dir, dir));
  rmSync(dir, { recursive: true, force: true });
  return checked.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}

/** Generates the services into one tree; then type-checks it in one program and imports every package. Problems by service id. */
async function generateAll(services: Map<string, DrawnService>): Promise<Map<string, string[]>> {
  const dir = path.join(root, `tree-${counter++}`);
  for (const [id, s] of services) writeSpecs(path.join(dir, "specs"), id, s);
  return generateTree(dir, [...services.keys()]);
}

/** Generates `<dir>/specs` into `<dir>/out`, type-checks it in one program and imports every service's package. */
async function generateTree(dir: string, serviceIds: string[]): Promise<Map<string, string[]>> {
  const services = new Set(serviceIds);
  const specs = path.join(dir, "specs");
  const out = path.join(dir, "out");
  const problems = new Map<string, string[]>();
  const add = (id: string, p: string) => problems.set(id, [...(problems.get(id) ?? []), p]);
  let result;
  try {
    result = await generate({ specsDir: specs, outDir: out, displayBase: dir });
  } catch (e) {
    for (const id of services) add(id, `generate threw: ${(e as Error).stack ?? String(e)}`);
    return problems;
  }
  if (hasErrors(result.diagnostics)) {
    for (const d of result.diagnostics) add(/^specs\/([^/]+)\//.exec(d.file)?.[1] ?? "?", `the tree has errors: ${formatDiagnostic(d)}`);
    return problems;
  }

  // One program over every generated package, with the generated tsconfig's options.
  const config = ts.readConfigFile(path.join(out, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, out);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, skipLibCheck: true, noEmit: true });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? path.relative(out, d.file.fileName) : "?";
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const id = file.split(path.sep)[0]!;
    // The runtime is the same for every spec; `npm run typecheck` covers it.
    if (id === "runtime") continue;
    add(id, `${file}${at ? `:${at.line + 1}:${at.character + 1}` : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }

  for (const id of services) {
    try {
      const pkg = (await import(path.join(out, id, "src", "validators.ts"))) as {
        validators: Record<string, { response(v: unknown): { ok: boolean; issues?: unknown } }>;
      };
      const mock = (await import(path.join(out, id, "src", "mock.ts"))) as {
        mockDefinition: { samplers: Record<string, { response(rng: unknown): unknown }> };
      };
      // The mock draws valid responses: each sampler's value passes the operation's validator.
      for (const [method, sampler] of Object.entries(mock.mockDefinition.samplers)) {
        const rng = createRng(1);
        for (let i = 0; i < 5; i++) {
          const value = sampler.response(rng);
          const checked = pkg.validators[method]!.response(value);
          if (!checked.ok) add(id, `mock response of ${method} fails its validator: ${JSON.stringify(checked.issues)}`);
        }
      }
    } catch (e) {
      add(id, `import failed: ${(e as Error).stack ?? String(e)}`);
    }
  }
  if (!process.env.FC_KEEP) rmSync(dir, { recursive: true, force: true });
  return problems;
}

const show = (s: DrawnService) =>
  [
    `# service.yaml (protocol ${s.protocol}${s.client ? `, client ${s.client}` : ""})`,
    yaml({ types: s.types, resources: s.resources }),
    ...s.operations.map((o) => `# ${String(o.name)}.yaml\n${yaml(o)}`),
  ].join("\n");

it(`specs without error diagnostics generate packages that type-check and import (seed ${SEED}, ${RUNS} runs)`, async () => {
  // Draw and lint each spec; fc.check replays the same runs as paths "0".."n-1".
  const clean = new Map<string, DrawnService>();
  const runIndex = new Map<string, number>();
  let run = 0;
  await fc.check(
    fc.asyncProperty(serviceArb, async (s) => {
      const i = run++;
      const errors = await lintErrors(s);
      if (process.env.FC_DEBUG) console.log(errors.join("\n"));
      if (!errors.length) {
        clean.set(`s${i}`, s);
        runIndex.set(`s${i}`, i);
      }
      return true;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // Most draws should be lint-clean, or the property says little.
  expect(clean.size, "lint-clean draws").toBeGreaterThanOrEqual(Math.ceil(RUNS / 4));

  const problems = await generateAll(clean);
  if (!problems.size) return;

  const report = [...problems].map(([id, list]) => `${id}:\n  ${list.slice(0, 5).join("\n  ")}`).join("\n");
  console.error(`lint-clean specs that do not generate working packages:\n${report}\nshrinking…`);
  // Replay the first failing run alone and shrink it, each step generating one service (bounded in time).
  const [firstId] = [...problems.keys()].filter((id) => runIndex.has(id)).sort((a, b) => runIndex.get(a)! - runIndex.get(b)!);
  let shrunk = firstId ? show(clean.get(firstId)!) : "";
  if (firstId) {
    const result = await fc.check(
      fc.asyncProperty(serviceArb, async (s) => (await lintErrors(s)).length > 0 || !(await generateAll(new Map([["s", s]]))).size),
      { seed: SEED, path: String(runIndex.get(firstId)), numRuns: 1, endOnFailure: false, interruptAfterTimeLimit: 120_000 },
    );
    if (result.failed && result.counterexample) shrunk = show(result.counterexample[0]);
  }
  expect.fail(
    `lint-clean specs that do not generate working packages (seed ${SEED}; replay with FC_SEED=${SEED}):\n` +
      report +
      `\n\nshrunk counterexample (make it a case in test/fixtures/broken-specs, see its README):\n${shrunk}`,
  );
}, 300_000); // a pass takes a fraction of this; shrinking a failure takes longer

// Counterexamples the property found, kept as fixtures: each generates, type-checks and imports.
it.each(["pattern-closes-doc-comment", "pattern-without-example"])(
  "counterexample %s generates packages that type-check and import",
  async (name) => {
    const dir = path.join(root, `fixture-${counter++}`);
    materialise(name, dir);
    expect(Object.fromEntries(await generateTree(dir, ["lcic"]))).toEqual({});
  },
);
