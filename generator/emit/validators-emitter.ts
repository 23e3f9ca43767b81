// Validators: per service, plain TypeScript with no dependency beyond the runtime's issue helpers.
// Each shape gets one function, a collector that reports every problem with its path. Called with
// a null path it only tells whether there is a problem (the runtime's INVALID), building no path,
// message or list: `is*` calls it so, and so does a collector first on each nested value, collecting
// with paths only inside the ones that fail. So a valid value allocates nothing, and the source holds
// each check once (issue 15: the bytes V8 pre-parses on import). generator/ir/check-value.ts holds the
// same rules over spec values.
import { INT_RANGES, MAX_SAFE } from "../ir/int-ranges.js";
import type { Field, Operation, ScalarName, Service, Shape, TimeWindow, TypeRef } from "../ir/types.js";
import { reachableShapes } from "../ir/usage.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { SymbolRegistry } from "./symbols.js";
import { relationChecks } from "./relation-checks.js";
import { VALIDATOR_SYMBOLS } from "./runtime-symbols.js";
import { STRING_FORMAT_EXPORTS } from "../../templates/runtime/src/validation/validation-core.js";
import { block, functionText, type FunctionDecl, type Statement } from "./statements.js";

const lit = (v: unknown) => JSON.stringify(v);
const MAX_SAFE_NUMBER = Number(MAX_SAFE);

/** Module-level constants (patterns, enum sets) and helper functions, shared by name. */
class Module {
  /** `[name, initializer]`, in the order first used. */
  readonly constants: Array<[name: string, init: string]> = [];
  readonly helpers: FunctionDecl[] = [];
  private readonly constantNames = new Map<string, string>();
  private helperCount = 0;

  constant(prefix: string, init: string): string {
    const known = this.constantNames.get(init);
    if (known) return known;
    const name = `${prefix}${this.constantNames.size}`;
    this.constantNames.set(init, name);
    this.constants.push([name, init]);
    return name;
  }

  helperName(): string {
    return `m${this.helperCount++}`;
  }
}

/** Where a checked value sits, for the collector: `p` and `k` as the runtime checks take them (`k` a
 * field's name as a literal, an index variable, or `undefined` for the value at `p` itself), `path`
 * an expression of its whole path, and `flags` how it treats undefined and null (checks.ts). */
interface At {
  p: string;
  k: string;
  path: string;
  flags: number;
}

/** Presence flags (checks.ts): bit 1 required, bit 2 nullable; ITEM for array items and union members. */
const ITEM = 4;
const presence = (f: Field) => (f.required ? 1 : 0) | (f.nullable ? 2 : 0);

/** A function declaration whose body is `body`. */
const fn = (
  name: string,
  parameters: Array<[string, string]>,
  returnType: string,
  body: Statement[],
  extra: Partial<FunctionDecl> = {},
): FunctionDecl => ({ name, parameters, returnType, body, ...extra });

/** Arguments as source text, the trailing undefined ones left out (the rule factories default them). */
/** An argument printed as code (a name), not as a literal. */
class Code {
  constructor(readonly text: string) {}
}

const args = (values: unknown[]): string => {
  while (values.length && values[values.length - 1] === undefined) values.pop();
  return values.map((v) => (v === undefined ? "undefined" : typeof v === "number" ? String(v) : v instanceof Code ? v.text : lit(v))).join(", ");
};

/** The inline tests that refuse a scalar value (a valid value passes them without a call). */
class ScalarTests {
  constructor(
    private readonly mod: Module,
    private readonly symbols: SymbolRegistry,
  ) {}

  private use(name: string): string {
    return this.symbols.use(name);
  }

  /** The conditions under which a scalar `x` is refused, each its own test (none for `any`).
   * Each starts with a type test, so undefined and null meet the first. */
  failures(name: ScalarName, f: Field, x: string): string[] {
    if (name === "any") return [];
    if (name === "boolean") return [`typeof ${x} !== "boolean"`];
    if (name === "string") return this.string(f, x);
    if (name === "float") return [`typeof ${x} !== "number" || !Number.isFinite(${x})`, ...this.bounds(f, x), ...this.enumCheck(f, x, "number")];
    const [lo, hi] = INT_RANGES[name]!;
    const is64 = name === "int64" || name === "uint64";
    const js = is64 ? (f.js ?? "number") : "number";
    if (js === "bigint")
      return [`typeof ${x} !== "bigint"`, `${x} < ${lo}n`, `${x} > ${hi}n`, ...this.bounds(f, x), ...this.enumCheck(f, x, "decimal")];
    if (js === "string")
      return [
        `typeof ${x} !== "string"`,
        `!${this.use("decimalInRange")}(${x}, ${lo}n, ${hi}n)`,
        ...this.bigBounds(f, x),
        ...this.enumCheck(f, x, "decimal"),
      ];
    // Held as a number: a safe integer within the type's range. A 32-bit one is one operation; a wider
    // one is the runtime's isInt53 or isUint53 (the same test written once: it was a tenth of the
    // validators' source, parsed on import; V8 inlines the call where it is hot).
    const range = [Math.max(Number(lo), -MAX_SAFE_NUMBER), Math.min(Number(hi), MAX_SAFE_NUMBER)] as const;
    const type =
      name === "int32"
        ? `typeof ${x} !== "number" || (${x} | 0) !== ${x}`
        : name === "uint32"
          ? `typeof ${x} !== "number" || ${x} >>> 0 !== ${x}`
          : `!${this.use(name === "uint64" ? "isUint53" : "isInt53")}(${x})`;
    return [type, ...this.bounds(f, x, range), ...this.enumCheck(f, x, "integer")];
  }

  /** Bounds on a number or a bigint; a bound the type test already enforces (`range`) is left out. */
  private bounds(f: Field, x: string, range: readonly [number, number] = [-Infinity, Infinity]): string[] {
    const { minimum, maximum } = f.constraints;
    const out: string[] = [];
    if (minimum !== undefined && !(minimum <= range[0])) out.push(`${x} < ${minimum}`);
    if (maximum !== undefined && !(maximum >= range[1])) out.push(`${x} > ${maximum}`);
    return out;
  }

  /** Bounds on a 64-bit integer held as a decimal string. */
  private bigBounds(f: Field, x: string): string[] {
    const { minimum, maximum } = f.constraints;
    const out: string[] = [];
    // BigInt(...) prints every digit (String(1e21) is "1e+21"); a bound that is not finite checks nothing (contradicting-limits reports it).
    if (minimum !== undefined && Number.isFinite(minimum)) out.push(`BigInt(${x}) < ${BigInt(Math.ceil(minimum))}n`);
    if (maximum !== undefined && Number.isFinite(maximum)) out.push(`BigInt(${x}) > ${BigInt(Math.floor(maximum))}n`);
    return out;
  }

  private string(f: Field, x: string): string[] {
    const { minLength, maxLength, pattern, format } = f.constraints;
    const then = [`typeof ${x} !== "string"`];
    if (minLength !== undefined) then.push(`${x}.length < ${minLength}`);
    if (maxLength !== undefined) then.push(`${x}.length > ${maxLength}`);
    if (pattern !== undefined) then.push(`!${this.mod.constant("P", `new RegExp(${lit(pattern)}, "u")`)}.test(${x})`);
    // Each format's own constant, not the FORMATS table: a bundle keeps only the formats it checks.
    if (format && format !== "unix-time") then.push(`!${this.use(STRING_FORMAT_EXPORTS[format])}.test(${x})`);
    then.push(...this.enumCheck(f, x, "string"));
    return then;
  }

  /** Compare a string or a number with the enum values of its own JS type; `decimal`: compare the
   * decimal text of a 64-bit integer held as a bigint or a string. */
  private enumCheck(f: Field, x: string, how: "string" | "number" | "integer" | "decimal"): string[] {
    if (!f.enum) return [];
    if (how === "integer") {
      // `x` is already an integer here: integer values that run without a gap are a range test.
      const values = f.enum.map((e) => e.value).filter((v): v is number => typeof v === "number");
      const [lo, hi] = [Math.min(...values), Math.max(...values)];
      if (values.length > 2 && values.every(Number.isInteger) && new Set(values).size === hi - lo + 1) return [`${x} < ${lo} || ${x} > ${hi}`];
      return [this.oneOf(x, values, 8)];
    }
    if (how === "decimal")
      return [
        this.oneOf(
          `String(${x})`,
          f.enum.map((e) => String(e.value)),
        ),
      ];
    return [
      this.oneOf(
        x,
        f.enum.filter((e) => typeof e.value === how).map((e) => e.value),
      ),
    ];
  }

  /** An expression that is true when `subject` is none of `values`. */
  private oneOf(subject: string, values: Array<string | number>, inline = 4): string {
    if (values.length === 0) return "true";
    if (values.length <= inline) return values.map((v) => `${subject} !== ${lit(v)}`).join(" && ");
    return `!${this.mod.constant("E", `new Set<unknown>(${lit(values)})`)}.has(${subject})`;
  }
}

/** When a value at `at` needs its runtime check: `failures` (a type test first, which undefined and
 * null fail; none for a value of any type) or a presence the field does not allow. Undefined when
 * nothing can be wrong. */
function refusedTest(failures: string[], x: string, at: At): string | undefined {
  const logical = (c: string) => /&&|\|\|/.test(c);
  const [item, required, nullable] = [at.flags === ITEM, at.flags === ITEM || (at.flags & 1) !== 0, at.flags !== ITEM && (at.flags & 2) !== 0];
  if (failures.length === 0) {
    // Any value: only presence. An item's undefined is a value.
    const refused = [...(required && !item ? [`${x} === undefined`] : []), ...(nullable ? [] : [`${x} === null`])];
    return refused.length ? refused.join(" || ") : undefined;
  }
  const wrong = failures.length > 1 ? failures.map((c) => (logical(c) ? `(${c})` : c)).join(" || ") : failures[0]!;
  const allowed = [...(required ? [] : [`${x} !== undefined`]), ...(nullable ? [`${x} !== null`] : [])];
  return allowed.length ? `${allowed.join(" && ")} && ${logical(wrong) ? `(${wrong})` : wrong}` : wrong;
}

/** Emits the statements that collect every problem of one value: a call of a runtime check
 * (checks.ts) per scalar, with the field's rule a module constant; loops over arrays and calls of
 * the nested shapes' collectors inline. Every path is an expression evaluated only where an issue
 * is made, and null when the function's own `p` is (checks.ts gives INVALID then). */
class CollectWriter {
  private depth = 0;
  private readonly tests: ScalarTests;

  constructor(
    private readonly mod: Module,
    private readonly symbols: SymbolRegistry,
  ) {
    this.tests = new ScalarTests(mod, symbols);
  }

  private use(name: string): string {
    return this.symbols.use(name);
  }

  /** Checks on the value `x` (a variable) at `at`, its presence included. */
  value(t: TypeRef, f: Field, x: string, at: At): Statement[] {
    if (t.kind === "scalar") return this.scalar(t.name, f, x, at);
    if (t.kind === "array") return this.array(t, f, x, at);
    // A shape or a union: present and not null first (an item's undefined is checked as a value).
    const absent = at.flags === ITEM ? `${x} === null` : `${x} === undefined || ${x} === null`;
    const checks = t.kind === "shape" ? [this.shape(t.name, x, at)] : this.union(t, f, x, at);
    if (at.flags === 2) return [block(`if (${x} !== undefined && ${x} !== null)`, checks)];
    const head = `if (${absent}) out = ${this.use("vAny")}(out, ${x}, ${at.p}, ${at.k}, ${at.flags});`;
    return typeof checks[0] === "string" && checks.length === 1 ? [head, `else ${checks[0]}`] : [head, block("else", checks)];
  }

  /** A nested shape: checked without a path first; collected with its path only when it fails. */
  private shape(name: string, x: string, at: At): string {
    const s = this.symbols.shape(name);
    return `if (c${s}(${x}, null, undefined, u) !== undefined) out = p === null ? ${this.use("INVALID")} : c${s}(${x}, ${at.path}, out, u);`;
  }

  private array(t: Extract<TypeRef, { kind: "array" }>, f: Field, x: string, at: At): Statement[] {
    const d = ++this.depth;
    const [i, e] = [`i${d}`, `e${d}`];
    const list = this.mod.constant("L", `/* @__PURE__ */ ${this.use("listRule")}(${args([f.constraints.minItems, f.constraints.maxItems])})`);
    // The array's path, made again by each item that has an issue (none on a valid array).
    const itemAt: At = { p: at.path, k: i, path: `${this.use("pathOf")}(${at.path}, ${i})`, flags: ITEM };
    const item = [`const ${e}: unknown = ${x}[${i}];`, ...this.value(t.items, f, e, itemAt)];
    const loop = block(`if (Array.isArray(${x})) for (let ${i} = 0; ${i} < ${x}.length; ${i}++)`, [
      // Stop once the list holds more than the cap: the rest of a huge array costs nothing.
      `if (out !== undefined && out.length > ${this.use("MAX_ISSUES")}) break;`,
      ...item,
    ]);
    this.depth--;
    const { minItems, maxItems } = f.constraints;
    const failures = [
      `!Array.isArray(${x})`,
      ...(minItems !== undefined ? [`${x}.length < ${minItems}`] : []),
      ...(maxItems !== undefined ? [`${x}.length > ${maxItems}`] : []),
    ];
    return [`if (${refusedTest(failures, x, at)}) out = ${this.use("vList")}(out, ${x}, ${at.p}, ${at.k}, ${at.flags}, ${list});`, loop];
  }

  /** Each member becomes a collector helper: checked without a path first, the union fails when
   * every member does; then each is collected with its path and the best member's issues kept. */
  private union(t: Extract<TypeRef, { kind: "union" }>, f: Field, x: string, at: At): Statement[] {
    const issues = this.use("Issues");
    const collectors = t.members.map((m) => {
      const name = this.mod.helperName();
      const body = new CollectWriter(this.mod, this.symbols).value(m, f, "x", { p: "p", k: "undefined", path: "p", flags: ITEM });
      this.mod.helpers.push(
        fn(
          name,
          [
            ["x", "unknown"],
            ["p", "string | null"],
            ["out", issues],
            ["u", "boolean"],
          ],
          issues,
          [...body, "return out;"],
        ),
      );
      return name;
    });
    const lists = collectors.map((_, k) => `c${k}`);
    return [
      block(`if (${collectors.map((c) => `${c}(${x}, null, undefined, u) !== undefined`).join(" && ")})`, [
        `if (p === null) out = ${this.use("INVALID")};`,
        block("else", [
          ...collectors.map((c, k) => `const ${lists[k]} = ${c}(${x}, ${at.path}, undefined, u);`),
          `out = ${this.use("addAll")}(out, ${this.use("pickUnionIssues")}(${at.path}, [${lists.join(", ")}]));`,
        ]),
      ]),
    ];
  }

  /** The runtime check of the scalar type, called only when the inline tests (so a
   * valid value costs no call) find a problem: `if (x3 !== undefined && (…)) out = vInt(…);`. */
  private scalar(name: ScalarName, f: Field, x: string, at: At): Statement[] {
    const test = refusedTest(this.tests.failures(name, f, x), x, at);
    if (test === undefined) return [];
    const call = (check: string, rule?: string) => [
      `if (${test}) out = ${this.use(check)}(out, ${x}, ${at.p}, ${at.k}, ${at.flags}${rule ? `, ${rule}` : ""});`,
    ];
    const c = f.constraints;
    const values = f.enum?.map((e) => e.value);
    if (name === "any") return call("vAny");
    if (name === "boolean") return call("vBool");
    if (name === "string") {
      const format = c.format && c.format !== "unix-time" ? new Code(this.use(STRING_FORMAT_EXPORTS[c.format])) : undefined;
      return call(
        "vStr",
        this.mod.constant("S", `/* @__PURE__ */ ${this.use("strRule")}(${args([c.minLength, c.maxLength, c.pattern, format, values])})`),
      );
    }
    if (name === "float")
      return call("vNum", this.mod.constant("N", `/* @__PURE__ */ ${this.use("numRule")}(${args([c.minimum, c.maximum, values])})`));
    const rule = this.mod.constant("I", `/* @__PURE__ */ ${this.use("intRule")}(${args([name, c.minimum, c.maximum, values])})`);
    const is64 = name === "int64" || name === "uint64";
    const js = is64 ? (f.js ?? "number") : "number";
    return call(js === "bigint" ? "vBig" : js === "string" ? "vDec" : "vInt", rule);
  }
}

/** A field's value; names that objects inherit (`constructor`, `toString`, …) must be own properties. */
function read(name: string): string {
  return name in Object.prototype ? `(Object.hasOwn(o, ${lit(name)}) ? o.${name} : undefined)` : `o.${name}`;
}

/** The collector of one shape: `undefined` when the value is valid, else its issues (INVALID
 * when `p` is null). */
function shapeFunction(shape: Shape, mod: Module, symbols: SymbolRegistry): FunctionDecl {
  const name = symbols.shape(shape.name);
  const issues = symbols.use("Issues");
  // A chain of comparisons: for-in keys are interned strings, and this is several times faster than a Set.
  const unknownKey = shape.fields.length ? shape.fields.map((f) => `k !== ${lit(f.name)}`).join(" && ") : "true";
  const collect = new CollectWriter(mod, symbols);
  const pathOf = symbols.use("pathOf");
  const c: Statement[] = [
    `if (typeof v !== "object" || v === null || Array.isArray(v)) return ${symbols.use("notObject")}(out, p, v);`,
    `const o = v as Record<string, unknown>;`,
  ];
  shape.fields.forEach((f, k) => {
    const x = `x${k}`;
    const at: At = { p: "p", k: lit(f.name), path: `${pathOf}(p, ${lit(f.name)})`, flags: presence(f) };
    c.push(`const ${x} = ${read(f.name)};`, ...collect.value(f.type, f, x, at));
  });
  c.push(
    block(`if (u) for (const k in o) if (${unknownKey})`, [
      `out = ${symbols.use("unknownField")}(out, p, k, o[k]);`,
      `if (out.length > ${symbols.use("MAX_ISSUES")}) break;`,
    ]),
    "return out;",
  );
  return fn(
    `c${name}`,
    [
      ["v", "unknown"],
      ["p", "string | null"],
      ["out", issues],
      ["u", "boolean"],
    ],
    issues,
    c,
  );
}

const PER_UNIT: Record<string, number> = { seconds: 1000, milliseconds: 1 };

/** Time windows checkable from the request alone: look-back limits (against the clock) and order. */
function windowChecks(op: Operation, symbols: SymbolRegistry): { guard: Statement[]; collect: Statement[] } {
  const field = (n: string) => op.request.fields.find((f) => f.name === n);
  const guard: Statement[] = [];
  const collect: Statement[] = [];
  const use = (name: string) => symbols.use(name);
  op.timeWindows.forEach((w: TimeWindow, k) => {
    const err = w.error !== undefined ? `, ${lit(w.error)}` : "";
    if (w.kind === "lookback") {
      const f = field(w.field);
      const perMs = PER_UNIT[f?.unit ?? "seconds"] ?? 1000;
      const earliest = `(now - ${w.withinSeconds * 1000}) / ${perMs}`;
      guard.push(`{ const t = ${use("timeValue")}(${read(w.field)}); if (t !== undefined && t < ${earliest}) return false; }`);
      collect.push(
        block("", [
          `const t${k} = ${use("timeValue")}(o.${w.field});`,
          `const from${k} = Math.ceil(${earliest});`,
          `if (t${k} !== undefined && t${k} < from${k} && !${use("hasIssueAt")}(out, ${lit(w.field)})) out = ${use("windowIssue")}(out, ${lit(w.field)}, \`within the last ${describeSeconds(w.withinSeconds)} (≥ \${from${k}})\`, o.${w.field}${err});`,
        ]),
      );
    } else if (w.kind === "order") {
      const time = use("timeValue");
      guard.push(
        `{ const a = ${time}(o.${w.field}), b = ${time}(o.${w.notBefore}); if (a !== undefined && b !== undefined && a < b) return false; }`,
      );
      collect.push(
        block("", [
          `const a${k} = ${time}(o.${w.field}), b${k} = ${time}(o.${w.notBefore});`,
          `if (a${k} !== undefined && b${k} !== undefined && a${k} < b${k} && !${use("hasIssueAt")}(out, ${lit(w.field)}) && !${use("hasIssueAt")}(out, ${lit(w.notBefore)})) out = ${use("windowIssue")}(out, ${lit(w.field)}, \`not before ${w.notBefore} (\${b${k}})\`, o.${w.field}${err});`,
        ]),
      );
    }
  });
  // Relations between fields run beside the windows, in the same request-level functions.
  const relations = relationChecks(op, use);
  return { guard: [...guard, ...relations.guard], collect: [...collect, ...relations.collect] };
}

function describeSeconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} days`;
  if (s % 3600 === 0) return `${s / 3600} hours`;
  if (s % 60 === 0) return `${s / 60} minutes`;
  return `${s} seconds`;
}

/** A public validator: a function, or a const made by a runtime factory (one short line to parse). */
export type ApiDecl = FunctionDecl | ApiConst;

/** An exported const with its type written out: TypeScript requires it of an assertion function. */
export interface ApiConst {
  name: string;
  type: string;
  init: string;
  doc: string;
}

export const isFunction = (d: ApiDecl): d is FunctionDecl => "body" in d;

/** An ApiConst's text: its doc line and its declaration (names only in the doc: one line). */
const constText = (d: ApiConst) => `/** ${d.doc} */\nexport const ${d.name}: ${d.type} = /* @__PURE__ */ ${d.init};\n`;

/** `validate*`, `is*` and `assert*` of a shape or a request; `options` is of type `optionsType`.
 * Without `bodies`, `validate*` and `is*` come from the runtime's factories over the collector. */
function publicApi(
  name: string,
  symbols: SymbolRegistry,
  optionsType: string,
  docs: { validate: string; is: string; assert: string },
  bodies: { validate: Statement[]; is: Statement[] } | { request: boolean },
): ApiDecl[] {
  const t = symbols.shapeType(name);
  const parameters: Array<[string, string]> = [
    ["value", "unknown"],
    ["options?", optionsType],
  ];
  const signature = (result: string) => `(value: unknown, options?: ${optionsType}) => ${result}`;
  const exported = (doc: string) => ({ exported: true, doc });
  const validateType = `${symbols.use("ValidationResult")}<${t}>`;
  const made =
    "request" in bodies
      ? [
          {
            name: `validate${name}`,
            type: signature(validateType),
            init: `${symbols.use("validator")}(c${name}, ${bodies.request})`,
            doc: docs.validate,
          },
          { name: `is${name}`, type: signature(`value is ${t}`), init: `${symbols.use("guard")}(c${name}, ${bodies.request})`, doc: docs.is },
        ]
      : [
          fn(`validate${name}`, parameters, validateType, bodies.validate, exported(docs.validate)),
          fn(`is${name}`, parameters, `value is ${t}`, bodies.is, exported(docs.is)),
        ];
  return [
    ...made,
    {
      name: `assert${name}`,
      type: signature(`asserts value is ${t}`),
      init: `${symbols.use("asserter")}(validate${name}, ${lit(name)})`,
      doc: docs.assert,
    },
  ];
}

/** `return issues ? failed(issues) : { ok: true, value }`, the value typed as the shape. */
const result = (name: string, symbols: SymbolRegistry) =>
  `return issues ? ${symbols.use("failed")}(issues) : { ok: true, value: value as ${symbols.shapeType(name)} };`;

function publicShapeApi(shape: Shape, symbols: SymbolRegistry): ApiDecl[] {
  const name = symbols.shape(shape.name);
  return publicApi(
    name,
    symbols,
    symbols.use("ShapeValidateOptions"),
    {
      validate: `Check a ${name}: every problem, with its path. Unknown fields are reported only with \`strict\`.`,
      is: `Whether \`value\` is a valid ${name}.`,
      assert: `Throw a ValidationError listing every problem unless \`value\` is a valid ${name}.`,
    },
    { request: false },
  );
}

/** The region of the call options: reported when missing (if required) or not among the allowed ones. */
function regionChecks(op: Operation, symbols: SymbolRegistry): { collect: Statement[]; guard?: string } {
  const regions = op.regions;
  if (!regions.required && regions.values.length === 0) return { collect: [] };
  const report = symbols.use("report");
  const allowedText = `one of ${regions.values.join(", ")}`;
  const collect = block(`if (options !== undefined && "region" in options)`, [
    `const r = options.region;`,
    ...(regions.required
      ? [`if (r === undefined) issues = ${report}(issues, "Region", "region", ${lit(regions.values.length ? allowedText : "a region")}, undefined);`]
      : []),
    ...(regions.values.length
      ? [`if (r !== undefined && !${lit(regions.values)}.includes(r)) issues = ${report}(issues, "Region", "region", ${lit(allowedText)}, r);`]
      : []),
  ]);
  const allowed = regions.values.length ? `${lit(regions.values)}.includes(options.region)` : "true";
  const guard = regions.required
    ? `(options === undefined || !("region" in options) || (options.region !== undefined && ${allowed}))`
    : `(options?.region === undefined || ${allowed})`;
  return { collect: [collect], guard };
}

function publicRequestApi(op: Operation, symbols: SymbolRegistry): ApiDecl[] {
  const name = symbols.shape(op.request.name);
  const w = windowChecks(op, symbols);
  const region = regionChecks(op, symbols);
  const windows = w.guard.length > 0;
  const issues = windows ? symbols.use("Issues") : "";
  const windowsFns = windows
    ? [
        fn(
          `w${name}`,
          [
            ["v", "unknown"],
            ["now", "number"],
          ],
          "boolean",
          [`const o = v as Record<string, unknown>;`, ...w.guard, "return true;"],
        ),
        fn(
          `cw${name}`,
          [
            ["v", "unknown"],
            ["now", "number"],
            ["out", issues],
          ],
          issues,
          [
            `if (typeof v !== "object" || v === null || Array.isArray(v)) return out;`,
            `const o = v as Record<string, unknown>;`,
            ...w.collect,
            "return out;",
          ],
        ),
      ]
    : [];
  const now = windows ? [`const now = ${symbols.use("nowMs")}(options?.now);`] : [];
  const fastTests = [
    `c${name}(value, null, undefined, true) === undefined`,
    ...(windows ? [`w${name}(value, now)`] : []),
    ...(region.guard ? [region.guard] : []),
  ];
  const checked = `every field, unknown fields${op.timeWindows.length ? ", the time windows (against `options.now`)" : ""}${op.relations.length ? ", the relations between fields" : ""}${region.guard ? ", and the region when `options` names one" : ""}`;
  return [
    ...windowsFns,
    ...publicApi(
      name,
      symbols,
      symbols.use("RequestValidateOptions"),
      {
        validate: `Check a ${op.name} request as the service would: ${checked}.`,
        is: `Whether \`value\` is a valid ${op.name} request (the same checks, without collecting issues).`,
        assert: `Throw a ValidationError listing every problem unless \`value\` is a valid ${op.name} request.`,
      },
      // Only the fields to check: the factories' validators. With time windows or a region: functions.
      !windows && !region.guard
        ? { request: true }
        : {
            validate: [
              ...now,
              `let issues = c${name}(value, "", undefined, true);`,
              ...(windows ? [`issues = cw${name}(value, now, issues);`] : []),
              ...region.collect,
              result(name, symbols),
            ],
            is: [...now, `return ${fastTests.join(" && ")};`],
          },
    ),
  ];
}

/** A service's validators as data: what emitValidatorsSource writes, in its order. */
export interface ValidatorsParts {
  imports: ImportPlanner;
  constants: ReadonlyArray<[name: string, init: string]>;
  /** The collectors of the shapes, then the union members' helpers. */
  functions: readonly FunctionDecl[];
  api: readonly ApiDecl[];
  /** The lines of the `validators` table, one per operation. */
  table: readonly string[];
}

export function validatorsParts(service: Service): ValidatorsParts {
  const symbols = new SymbolRegistry(service, new ImportPlanner(VALIDATOR_SYMBOLS));
  const mod = new Module();
  const roots = service.operations.flatMap((o) => [o.request, o.response]);
  const shapes = reachableShapes(service, roots);
  const unreached = service.shapes.filter((s) => !shapes.some((r) => r.name === s.name));
  const all = [...shapes, ...unreached];
  const functions = all.map((s) => shapeFunction(s, mod, symbols));
  const requestNames = new Set(service.operations.map((o) => o.request.name));
  const api = [
    ...service.operations.flatMap((op) => publicRequestApi(op, symbols)),
    ...all.filter((s) => !requestNames.has(s.name)).flatMap((s) => publicShapeApi(s, symbols)),
  ];
  // `requestFields`: every field name a request can hold at any depth, so the mock can cut an object
  // of thousands of unknown keys down to what a validation sees before parsing it. Typed as a list of
  // strings: as literal tuples its names would be spelled out again in validators.d.ts.
  const requestFields = (op: Operation) =>
    `${lit([...new Set(reachableShapes(service, [op.request]).flatMap((s) => s.fields.map((f) => f.name)))].sort())} as readonly string[]`;
  const table = service.operations.map(
    (op) =>
      `${op.method}: { request: validate${symbols.shape(op.request.name)}, response: validate${symbols.shape(op.response.name)}, requestFields: ${requestFields(op)} },`,
  );
  // Every body is built above, so every symbol it uses is declared: the imports are complete.
  return { imports: symbols.imports, constants: mod.constants, functions: [...functions, ...mod.helpers], api, table };
}

/**
 * validators.ts as text, in the layout ts-morph's printer gave it (test/validators/validators-text.test.ts
 * holds that printer as the reference): printing through ts-morph was a tenth of a large cold run.
 */
export function emitValidatorsSource(service: Service): string {
  const parts = validatorsParts(service);
  const imports = parts.imports.text();
  // Nothing to import (no shape, no operation): the printer wrote two more blank lines.
  let out = `${tsHeader(serviceFiles(service))}\n${imports ? `${imports}\n` : "\n\n"}`;
  for (const [name, init] of parts.constants) out += `const ${name} = ${init};\n`;
  // A blank line before each declaration, the one after the imports serving when there is no constant
  // (tracked, not read back: endsWith would flatten the growing string each time).
  let blank = parts.constants.length ? "\n" : "";
  for (const d of [...parts.functions, ...parts.api]) {
    out += blank + (isFunction(d) ? functionText(d) : constText(d));
    blank = "\n";
  }
  out += "/** The request and response validators of every operation, by client method name. */\nexport const validators = {\n";
  for (const line of parts.table) out += `  ${line}\n`;
  return `${out}} as const;\n`;
}

export const validatorsEmitter: Emitter = {
  name: "validators",
  emitService(service): GeneratedFile[] {
    // Written formatted: prettier would take most of a large run on the validators alone.
    return [{ path: `${service.id}/src/validators.ts`, content: emitValidatorsSource(service), preformatted: true }];
  },
};
