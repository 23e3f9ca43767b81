// Validators: per service, plain TypeScript with no dependency beyond the runtime's issue helpers.
// Each shape gets two functions built from one check plan: a guard that stops at the first
// problem and a collector that reports every problem with its path. `is*` run the guard; `validate*`
// (and `assert*`) run the collector once, which calls the guards of nested shapes and collects
// inside only the ones that fail. generator/ir/check-value.ts holds the same rules over spec values.
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type StatementStructures,
  type VariableStatementStructure,
  type WriterFunction,
} from "ts-morph";
import { INT_RANGES, MAX_SAFE } from "../ir/int-ranges.js";
import type { Field, Operation, ScalarName, Service, Shape, TimeWindow, TypeRef } from "../ir/types.js";
import { reachableShapes } from "../ir/usage.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { ImportPlanner } from "./imports.js";
import { SymbolRegistry } from "./symbols.js";
import { relationChecks } from "./relation-checks.js";
import { VALIDATOR_SYMBOLS } from "./runtime-symbols.js";
import { block, functionWriter, type FunctionDecl, type Statement } from "./statements.js";

const lit = (v: unknown) => JSON.stringify(v);
const MAX_SAFE_NUMBER = Number(MAX_SAFE);

/** Between the imports and the constants (ts-morph separates functions, not variable statements). */
const blankLine: WriterFunction = (w) => w.blankLineIfLastNot();

/** Module-level constants (patterns, enum sets) and helper functions, shared by name. */
class Module {
  readonly constants: VariableStatementStructure[] = [];
  readonly helpers: FunctionDecl[] = [];
  private readonly constantNames = new Map<string, string>();
  private helperCount = 0;

  constant(prefix: string, init: string): string {
    const known = this.constantNames.get(init);
    if (known) return known;
    const name = `${prefix}${this.constantNames.size}`;
    this.constantNames.set(init, name);
    this.constants.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name, initializer: init }],
    });
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
const args = (values: unknown[]): string => {
  while (values.length && values[values.length - 1] === undefined) values.pop();
  return values.map((v) => (v === undefined ? "undefined" : typeof v === "number" ? String(v) : lit(v))).join(", ");
};

/** Whether the guard's checks of a type refuse undefined and null by themselves (a type test first), so no presence test need precede them. */
const refusesAbsent = (t: TypeRef): boolean => (t.kind === "scalar" ? t.name !== "any" : t.kind === "union" ? t.members.every(refusesAbsent) : true);

/** Union members as guard helpers: `m0(x, u) || m1(x, u)`. */
function unionGuards(t: Extract<TypeRef, { kind: "union" }>, f: Field, x: string, mod: Module, symbols: SymbolRegistry): string {
  const guards = t.members.map((m) => {
    const name = mod.helperName();
    const body = new GuardWriter(mod, symbols).value(m, f, "x");
    mod.helpers.push(
      fn(
        name,
        [
          ["x", "unknown"],
          ["u", "boolean"],
        ],
        "boolean",
        [...body, "return true;"],
      ),
    );
    return name;
  });
  return guards.map((g) => `${g}(${x}, u)`).join(" || ");
}

/** Emits the statements that check one value `x` of a field's type and stop at the first problem. */
class GuardWriter {
  private depth = 0;

  constructor(
    private readonly mod: Module,
    private readonly symbols: SymbolRegistry,
  ) {}

  private use(name: string): string {
    return this.symbols.use(name);
  }

  /** Checks on a present, non-null value `x`. */
  value(t: TypeRef, f: Field, x: string): Statement[] {
    switch (t.kind) {
      case "shape":
        return [`if (!g${this.symbols.shape(t.name)}(${x}, u)) return false;`];
      case "array":
        return this.array(t, f, x);
      case "union":
        return [`if (!(${unionGuards(t, f, x, this.mod, this.symbols)})) return false;`];
      case "scalar":
        return this.scalar(t.name, f, x);
    }
  }

  private array(t: Extract<TypeRef, { kind: "array" }>, f: Field, x: string): Statement[] {
    const d = ++this.depth;
    const [i, e] = [`i${d}`, `e${d}`];
    const { minItems, maxItems } = f.constraints;
    const sizes: Statement[] = [];
    if (minItems !== undefined) sizes.push(`if (${x}.length < ${minItems}) return false;`);
    if (maxItems !== undefined) sizes.push(`if (${x}.length > ${maxItems}) return false;`);
    const item = this.value(t.items, f, e);
    const loop = block(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++)`, [
      `const ${e}: unknown = ${x}[${i}];`,
      ...(refusesAbsent(t.items) ? [] : [`if (${e} === null) return false;`]),
      ...item,
    ]);
    this.depth--;
    return [`if (!Array.isArray(${x})) return false;`, ...sizes, loop];
  }

  private scalar(name: ScalarName, f: Field, x: string): Statement[] {
    return this.failures(name, f, x).map((c) => `if (${c}) return false;`);
  }

  /** The conditions under which a scalar `x` is refused, each its own guard line (none for `any`).
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
    // Held as a number: a safe integer within the type's range. Comparisons and Math.floor (one
    // instruction) rather than Number.isSafeInteger, which V8 runs slower on heap numbers.
    const ok =
      name === "int32"
        ? `(${x} | 0) === ${x}`
        : name === "uint32"
          ? `${x} >>> 0 === ${x}`
          : `${x} >= ${name === "uint64" ? 0 : -MAX_SAFE_NUMBER} && ${x} <= ${MAX_SAFE_NUMBER} && Math.floor(${x}) === ${x}`;
    const range = [Math.max(Number(lo), -MAX_SAFE_NUMBER), Math.min(Number(hi), MAX_SAFE_NUMBER)] as const;
    return [`typeof ${x} !== "number" || !(${ok})`, ...this.bounds(f, x, range), ...this.enumCheck(f, x, "integer")];
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
    if (format && format !== "unix-time") then.push(`!${this.use("FORMATS")}[${lit(format)}](${x})`);
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
 * the nested shapes' guards and collectors inline. */
class CollectWriter {
  private depth = 0;
  private readonly guard: GuardWriter;

  constructor(
    private readonly mod: Module,
    private readonly symbols: SymbolRegistry,
  ) {
    this.guard = new GuardWriter(mod, symbols);
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

  private shape(name: string, x: string, at: At): string {
    const s = this.symbols.shape(name);
    return `if (!g${s}(${x}, u)) out = c${s}(${x}, ${at.path}, out, u);`;
  }

  private array(t: Extract<TypeRef, { kind: "array" }>, f: Field, x: string, at: At): Statement[] {
    const d = ++this.depth;
    const [i, e, p] = [`i${d}`, `e${d}`, `p${d}`];
    const list = this.mod.constant("L", `/* @__PURE__ */ ${this.use("listRule")}(${args([f.constraints.minItems, f.constraints.maxItems])})`);
    const itemAt: At = { p, k: i, path: `${this.use("pathOf")}(${p}, ${i})`, flags: ITEM };
    const item = [`const ${e}: unknown = ${x}[${i}];`, ...this.value(t.items, f, e, itemAt)];
    const loop = block(`if (Array.isArray(${x})) for (let ${i} = 0, ${p} = ${at.path}; ${i} < ${x}.length; ${i}++)`, [
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

  /** Each member becomes a guard helper and a collector helper; the collector keeps the best member's issues. */
  private union(t: Extract<TypeRef, { kind: "union" }>, f: Field, x: string, at: At): Statement[] {
    const anyOk = unionGuards(t, f, x, this.mod, this.symbols);
    const issues = this.use("Issues");
    const collectors = t.members.map((m) => {
      const name = this.mod.helperName();
      const body = new CollectWriter(this.mod, this.symbols).value(m, f, "x", { p: "p", k: "undefined", path: "p", flags: ITEM });
      this.mod.helpers.push(
        fn(
          name,
          [
            ["x", "unknown"],
            ["p", "string"],
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
      block(`if (!(${anyOk}))`, [
        ...collectors.map((c, k) => `const ${lists[k]} = ${c}(${x}, ${at.path}, undefined, u);`),
        `out = ${this.use("addAll")}(out, ${this.use("pickUnionIssues")}(${at.path}, [${lists.join(", ")}]));`,
      ]),
    ];
  }

  /** The runtime check of the scalar type, called only when the guard's conditions (inline, so a
   * valid value costs no call) find a problem: `if (x3 !== undefined && (…)) out = vInt(…);`. */
  private scalar(name: ScalarName, f: Field, x: string, at: At): Statement[] {
    const test = refusedTest(this.guard.failures(name, f, x), x, at);
    if (test === undefined) return [];
    const call = (check: string, rule?: string) => [
      `if (${test}) out = ${this.use(check)}(out, ${x}, ${at.p}, ${at.k}, ${at.flags}${rule ? `, ${rule}` : ""});`,
    ];
    const c = f.constraints;
    const values = f.enum?.map((e) => e.value);
    if (name === "any") return call("vAny");
    if (name === "boolean") return call("vBool");
    if (name === "string") {
      const format = c.format && c.format !== "unix-time" ? c.format : undefined;
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

/** The guard and the collector of one shape. */
function shapeFunctions(shape: Shape, mod: Module, symbols: SymbolRegistry): FunctionDecl[] {
  const name = symbols.shape(shape.name);
  const [issues, issue, describe] = [symbols.use("Issues"), symbols.use("issue"), symbols.use("describeValue")];
  // A chain of comparisons: for-in keys are interned strings, and this is several times faster than a Set.
  const unknownKey = shape.fields.length ? shape.fields.map((f) => `k !== ${lit(f.name)}`).join(" && ") : "true";
  const guard = new GuardWriter(mod, symbols);
  const collect = new CollectWriter(mod, symbols);
  const g: Statement[] = [`if (typeof v !== "object" || v === null || Array.isArray(v)) return false;`, `const o = v as Record<string, unknown>;`];
  const c: Statement[] = [
    block(`if (typeof v !== "object" || v === null || Array.isArray(v))`, [
      // The message as `report` words it, its constant part one literal.
      `return ${symbols.use("got")}(out, p, "type", "an object", ${describe}(v), (p === "" ? "value" : p) + ": must be an object, got ");`,
    ]),
    `const o = v as Record<string, unknown>;`,
    // The paths of nested shapes and arrays are `q + "Name"`: at the top level `q` is empty.
    `const q = p === "" ? "" : p + ".";`,
  ];
  shape.fields.forEach((f, k) => {
    const x = `x${k}`;
    g.push(`const ${x} = ${read(f.name)};`);
    const checks = guard.value(f.type, f, x);
    const nullTest = refusesAbsent(f.type) ? [] : [`if (${x} === null) return false;`];
    if (f.required && !f.nullable) g.push(...(nullTest.length ? [`if (${x} === undefined || ${x} === null) return false;`] : []), ...checks);
    else if (f.required) g.push(`if (${x} === undefined) return false;`, block(`if (${x} !== null)`, checks));
    else if (!f.nullable) g.push(block(`if (${x} !== undefined)`, [...nullTest, ...checks]));
    else g.push(block(`if (${x} !== undefined && ${x} !== null)`, checks));
    const at: At = { p: "p", k: lit(f.name), path: `q + ${lit(f.name)}`, flags: presence(f) };
    c.push(`const ${x} = ${read(f.name)};`, ...collect.value(f.type, f, x, at));
  });
  g.push(`if (u) for (const k in o) if (${unknownKey}) return false;`, "return true;");
  c.push(
    block(`if (u) for (const k in o) if (${unknownKey})`, [
      `out = ${issue}(out, q + k, "unknown", "a declared field", ${describe}(o[k]), q + k + ": is not a field of this type");`,
      `if (out.length > ${symbols.use("MAX_ISSUES")}) break;`,
    ]),
    "return out;",
  );
  return [
    fn(
      `g${name}`,
      [
        ["v", "unknown"],
        ["u", "boolean"],
      ],
      "boolean",
      g,
    ),
    fn(
      `c${name}`,
      [
        ["v", "unknown"],
        ["p", "string"],
        ["out", issues],
        ["u", "boolean"],
      ],
      issues,
      c,
    ),
  ];
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

/** `validate*`, `is*` and `assert*` of a shape or a request; `options` is of type `optionsType`. */
function publicApi(
  name: string,
  symbols: SymbolRegistry,
  optionsType: string,
  docs: { validate: string; is: string; assert: string },
  bodies: { validate: Statement[]; is: Statement[] },
): FunctionDecl[] {
  const t = symbols.shapeType(name);
  const parameters: Array<[string, string]> = [
    ["value", "unknown"],
    ["options?", optionsType],
  ];
  const exported = (doc: string) => ({ exported: true, doc });
  return [
    fn(`validate${name}`, parameters, `${symbols.use("ValidationResult")}<${t}>`, bodies.validate, exported(docs.validate)),
    fn(`is${name}`, parameters, `value is ${t}`, bodies.is, exported(docs.is)),
    fn(
      `assert${name}`,
      parameters,
      `asserts value is ${t}`,
      [`const r = validate${name}(value, options);`, `if (!r.ok) throw new ${symbols.use("ValidationError")}(${lit(name)}, r.issues);`],
      exported(docs.assert),
    ),
  ];
}

/** `return issues ? failed(issues) : { ok: true, value }`, the value typed as the shape. */
const result = (name: string, symbols: SymbolRegistry) =>
  `return issues ? ${symbols.use("failed")}(issues) : { ok: true, value: value as ${symbols.shapeType(name)} };`;

function publicShapeApi(shape: Shape, symbols: SymbolRegistry): FunctionDecl[] {
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
    {
      validate: [`const issues = c${name}(value, "", undefined, options?.strict === true);`, result(name, symbols)],
      is: [`return g${name}(value, options?.strict === true);`],
    },
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

function publicRequestApi(op: Operation, symbols: SymbolRegistry): FunctionDecl[] {
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
  const fastTests = [`g${name}(value, true)`, ...(windows ? [`w${name}(value, now)`] : []), ...(region.guard ? [region.guard] : [])];
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
      {
        validate: [
          ...now,
          `${windows || region.guard ? "let" : "const"} issues = c${name}(value, "", undefined, true);`,
          ...(windows ? [`issues = cw${name}(value, now, issues);`] : []),
          ...region.collect,
          result(name, symbols),
        ],
        is: [...now, `return ${fastTests.join(" && ")};`],
      },
    ),
  ];
}

export function emitValidatorsSource(service: Service): string {
  const symbols = new SymbolRegistry(service, new ImportPlanner(VALIDATOR_SYMBOLS));
  const mod = new Module();
  const roots = service.operations.flatMap((o) => [o.request, o.response]);
  const shapes = reachableShapes(service, roots);
  const unreached = service.shapes.filter((s) => !shapes.some((r) => r.name === s.name));
  const all = [...shapes, ...unreached];
  const functions = all.flatMap((s) => shapeFunctions(s, mod, symbols));
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
  // A writer, not a variable structure: ts-morph hangs the lines of a multi-line initializer one level in.
  const validators: WriterFunction = (w) =>
    w
      .writeLine("/** The request and response validators of every operation, by client method name. */")
      .write("export const validators = ")
      .inlineBlock(() => table.forEach((line) => w.writeLine(line)))
      .write(" as const;");
  // Every body is built above, so every symbol it uses is declared: the imports are complete.
  const statements: Array<StatementStructures | WriterFunction> = [
    ...symbols.imports.structures(),
    blankLine,
    ...mod.constants,
    ...[...functions, ...mod.helpers, ...api].map(functionWriter),
    validators,
  ];
  // Printed straight from the structures: a source file would parse all of it back (most of the run).
  return tsHeader(serviceFiles(service)) + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

export const validatorsEmitter: Emitter = {
  name: "validators",
  emitService(service): GeneratedFile[] {
    // Printed by ts-morph, already formatted: prettier would take most of a large run on the validators alone.
    return [{ path: `${service.id}/src/validators.ts`, content: emitValidatorsSource(service), preformatted: true }];
  },
};
