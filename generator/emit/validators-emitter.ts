// Validators: per service, plain TypeScript with no dependency beyond the runtime's issue helpers.
// Each shape gets two functions built from one check plan: a guard that stops at the first
// problem and a collector that reports every problem with its path. `is*` run the guard; `validate*`
// (and `assert*`) run the collector once, which calls the guards of nested shapes and collects
// inside only the ones that fail. generator/ir/check-value.ts holds the same rules over spec values.
import { printStructure, StructureKind, VariableDeclarationKind, type StatementStructures, type VariableStatementStructure, type WriterFunction } from "ts-morph";
import { INT_RANGES, MAX_SAFE } from "../ir/int-ranges.js";
import type { Field, Operation, ScalarName, Service, Shape, TimeWindow, TypeRef } from "../ir/types.js";
import { reachableShapes } from "../ir/usage.js";
import { serviceFiles, tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";
import { withArticle } from "../ir/article.js";
import { ImportPlanner } from "./imports.js";
import { SymbolRegistry } from "./symbols.js";
import { relationChecks } from "./relation-checks.js";
import { VALIDATOR_SYMBOLS } from "./runtime-symbols.js";
import { block, functionWriter, type FunctionDecl, type Statement } from "./statements.js";

const lit = (v: unknown) => JSON.stringify(v);

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
    this.constants.push({ kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer: init }] });
    return name;
  }

  helperName(): string {
    return `m${this.helperCount++}`;
  }
}

type Mode = "guard" | "collect";

/** Where a checked value sits: `expr` evaluates to its path. A field of the shape being checked has
 * `field` set and `expr` is `q + "Name"`, `q` being the collector's `p` with its dot. */
interface Where {
  expr: string;
  field?: string;
}

/** `else { … }` around checks that only run when the ones before passed; nothing when there are none. */
const elseBlock = (checks: Statement[]): Statement[] => (checks.length ? [block("else", checks)] : []);

/** A function declaration whose body is `body`. */
const fn = (name: string, parameters: Array<[string, string]>, returnType: string, body: Statement[], extra: Partial<FunctionDecl> = {}): FunctionDecl => ({ name, parameters, returnType, body, ...extra });

/** How a failed check shows the value: an expression, or one to render with `describeValue`. */
type Shown = string | { describe: string };
const described = (expr: string): Shown => ({ describe: expr });

/** Emits the statements that check one value `x` of a field's type, in guard or collect mode. */
class CheckWriter {
  private depth = 0;

  constructor(
    private readonly mod: Module,
    private readonly symbols: SymbolRegistry,
    private readonly mode: Mode,
  ) {}

  /** A runtime helper, its import declared. */
  private use(name: string): string {
    return this.symbols.use(name);
  }

  /** A failed check: in guard mode the end; in collect mode an issue. `raw` is the value (or length) for
   * `report`, `shown` how the message renders it. At a field (`q + "Name"`) the message's constant
   * parts are one literal per site, so an issue costs a concatenation or two, not a rendering of the
   * whole message; elsewhere (array items, union members) `report` renders it. `code` is an expression. */
  private fail(at: Where, code: string, expected: string, raw: string, shown: Shown): string {
    if (this.mode === "guard") return "return false;";
    if (at.field === undefined) return `out = ${this.use("report")}(out, ${at.expr}, ${code}, ${lit(expected)}, ${raw});`;
    const shownExpr = typeof shown === "string" ? shown : `${this.use("describeValue")}(${shown.describe})`;
    return `out = ${this.use("got")}(out, ${at.expr}, ${code}, ${lit(expected)}, ${shownExpr}, q + ${lit(`${at.field}: must be ${expected}, got `)});`;
  }

  /** Checks on a present, non-null value `x` at `at`. */
  value(t: TypeRef, f: Field, x: string, at: Where): Statement[] {
    switch (t.kind) {
      case "shape": {
        const name = this.symbols.shape(t.name);
        return this.mode === "guard" ? [`if (!g${name}(${x}, u)) return false;`] : [`if (!g${name}(${x}, u)) out = c${name}(${x}, ${at.expr}, out, u);`];
      }
      case "array":
        return this.array(t, f, x, at);
      case "union":
        return this.union(t, f, x, at);
      case "scalar":
        return this.scalar(t.name, f, x, at);
    }
  }

  private array(t: Extract<TypeRef, { kind: "array" }>, f: Field, x: string, at: Where): Statement[] {
    const d = ++this.depth;
    const [i, e] = [`i${d}`, `e${d}`];
    const { minItems, maxItems } = f.constraints;
    const ep: Where = { expr: this.mode === "guard" ? "" : `${this.use("pathOf")}(${at.expr}, ${i})` };
    const sizes: Statement[] = [];
    if (minItems !== undefined) sizes.push(`if (${x}.length < ${minItems}) ${this.fail(at, `"minItems"`, `at least ${minItems} items`, `${x}.length`, described(`${x}.length`))}`);
    if (maxItems !== undefined) sizes.push(`if (${x}.length > ${maxItems}) ${this.fail(at, `"maxItems"`, `at most ${maxItems} items`, `${x}.length`, described(`${x}.length`))}`);
    const item = this.value(t.items, f, e, ep);
    const loop = block(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++)`, [
      // Stop once the list holds more than the cap: the rest of a huge array costs nothing.
      ...(this.mode === "guard" ? [] : [`if (out !== undefined && out.length > ${this.use("MAX_ISSUES")}) break;`]),
      `const ${e}: unknown = ${x}[${i}];`,
      ...(this.mode === "guard"
        ? [`if (${e} === null) return false;`, ...item]
        : [`if (${e} === null) out = ${this.use("report")}(out, ${ep.expr}, "null", "not null", null);`, block("else", item)]),
    ]);
    this.depth--;
    return this.mode === "guard"
      ? [`if (!Array.isArray(${x})) return false;`, ...sizes, loop]
      : [`if (!Array.isArray(${x})) ${this.fail(at, `"type"`, "an array", x, described(x))}`, block("else", [...sizes, loop])];
  }

  /** Each member becomes a guard helper (and a collector helper); the collector keeps the best member's issues. */
  private union(t: Extract<TypeRef, { kind: "union" }>, f: Field, x: string, at: Where): Statement[] {
    const guards = t.members.map((m) => {
      const name = this.mod.helperName();
      const body = new CheckWriter(this.mod, this.symbols, "guard").value(m, f, "x", { expr: "" });
      this.mod.helpers.push(fn(name, [["x", "unknown"], ["u", "boolean"]], "boolean", [...body, "return true;"]));
      return name;
    });
    const anyOk = guards.map((g) => `${g}(${x}, u)`).join(" || ");
    if (this.mode === "guard") return [`if (!(${anyOk})) return false;`];
    const collectors = t.members.map((m) => {
      const name = this.mod.helperName();
      const body = new CheckWriter(this.mod, this.symbols, "collect").value(m, f, "x", { expr: "p" });
      const issues = this.use("Issues");
      this.mod.helpers.push(fn(name, [["x", "unknown"], ["p", "string"], ["out", issues], ["u", "boolean"]], issues, [...body, "return out;"]));
      return name;
    });
    const lists = collectors.map((_, k) => `c${k}`);
    return [
      block(`if (!(${anyOk}))`, [
        ...collectors.map((c, k) => `const ${lists[k]} = ${c}(${x}, ${at.expr}, undefined, u);`),
        `out = ${this.use("addAll")}(out, ${this.use("pickUnionIssues")}(${at.expr}, [${lists.join(", ")}]));`,
      ]),
    ];
  }

  private scalar(name: ScalarName, f: Field, x: string, at: Where): Statement[] {
    if (name === "any") return [];
    if (name === "boolean") return [`if (typeof ${x} !== "boolean") ${this.fail(at, `"type"`, "a boolean", x, described(x))}`];
    if (name === "string") return this.string(f, x, at);
    if (name === "float") return this.typed(`typeof ${x} !== "number" || !Number.isFinite(${x})`, "a finite number", x, at, [...this.bounds(f, x, at), ...this.enumCheck(f, x, at, "number")]);
    const [lo, hi] = INT_RANGES[name]!;
    const is64 = name === "int64" || name === "uint64";
    const js = is64 ? (f.js ?? "number") : "number";
    if (js === "bigint") {
      const range = this.range(x, lo, hi, at, name, x);
      return this.typed(`typeof ${x} !== "bigint"`, "a bigint", x, at, [...range, ...this.bounds(f, x, at), ...this.enumCheck(f, x, at, "decimal")]);
    }
    if (js === "string") {
      const n = `n${this.depth}`;
      const tail: Statement[] = this.mode === "guard"
        ? [`if (!${this.use("decimalInRange")}(${x}, ${lo}n, ${hi}n)) return false;`, ...this.bigBounds(f, x, at), ...this.enumCheck(f, x, at, "decimal")]
        : [
            `if (!${this.use("isDecimal")}(${x})) ${this.fail(at, `"type"`, `${withArticle(name)} as a decimal string`, x, described(x))}`,
            block("else", [
              `const ${n} = BigInt(${x});`,
              ...this.range(n, lo, hi, at, name, x),
              ...this.bigBounds(f, x, at),
              ...this.enumCheck(f, x, at, "decimal"),
            ]),
          ];
      return this.typed(`typeof ${x} !== "string"`, `${withArticle(name)} as a decimal string`, x, at, tail);
    }
    // Held as a number: a safe integer within the type's range.
    if (this.mode === "guard") {
      const ok =
        name === "int32" ? `(${x} | 0) === ${x}` : name === "uint32" ? `${x} >>> 0 === ${x}` : name === "uint64" ? `Number.isSafeInteger(${x}) && ${x} >= 0` : `Number.isSafeInteger(${x})`;
      return [`if (typeof ${x} !== "number" || !(${ok})) return false;`, ...this.bounds(f, x, at), ...this.enumCheck(f, x, at, "number")];
    }
    const [safeLo, safeHi] = [lo > -MAX_SAFE ? lo : -MAX_SAFE, hi < MAX_SAFE ? hi : MAX_SAFE];
    const held = is64 ? `${withArticle(name)} within ±2^53, held as a number` : withArticle(name);
    return [
      // A bigint here came from a lossless parse: beyond 2^53 it cannot be a number without rounding.
      `if (typeof ${x} === "bigint") ${this.fail(at, `${x} < ${lo}n ? "minimum" : ${x} > ${hi}n ? "maximum" : ${x} < ${-MAX_SAFE}n || ${x} > ${MAX_SAFE}n ? "precision" : "type"`, held, x, `String(${x})`)}`,
      `else if (typeof ${x} !== "number" || !Number.isInteger(${x})) ${this.fail(at, `"type"`, "an integer", x, described(x))}`,
      `else if (${x} < ${safeLo}) ${this.fail(at, lit(safeLo > lo ? "precision" : "minimum"), `≥ ${safeLo}`, x, described(x))}`,
      `else if (${x} > ${safeHi}) ${this.fail(at, lit(safeHi < hi ? "precision" : "maximum"), `≤ ${safeHi}`, x, described(x))}`,
      ...elseBlock([...this.bounds(f, x, at), ...this.enumCheck(f, x, at, "number")]),
    ];
  }

  /** A type test, then (in collect mode only when it passed) the value checks. */
  private typed(wrong: string, expected: string, x: string, at: Where, then: Statement[]): Statement[] {
    if (this.mode === "guard") return [`if (${wrong}) return false;`, ...then];
    const fail = `if (${wrong}) ${this.fail(at, `"type"`, expected, x, described(x))}`;
    return [fail, ...elseBlock(then)];
  }

  /** `shown`: the value as the message shows it (the decimal string of a 64-bit integer held as a string, or the bigint). */
  private range(n: string, lo: bigint, hi: bigint, at: Where, name: string, shown: string): Statement[] {
    return [
      `if (${n} < ${lo}n) ${this.fail(at, `"minimum"`, `${withArticle(name)} (≥ ${lo})`, shown, described(shown))}`,
      `${this.mode === "guard" ? "" : "else "}if (${n} > ${hi}n) ${this.fail(at, `"maximum"`, `${withArticle(name)} (≤ ${hi})`, shown, described(shown))}`,
    ];
  }

  /** Bounds on a number or a bigint. */
  private bounds(f: Field, x: string, at: Where): Statement[] {
    const { minimum, maximum } = f.constraints;
    const out: Statement[] = [];
    if (minimum !== undefined) out.push(`if (${x} < ${minimum}) ${this.fail(at, `"minimum"`, `≥ ${minimum}`, x, described(x))}`);
    if (maximum !== undefined) out.push(`if (${x} > ${maximum}) ${this.fail(at, `"maximum"`, `≤ ${maximum}`, x, described(x))}`);
    return out;
  }

  /** Bounds on a 64-bit integer held as a decimal string. */
  private bigBounds(f: Field, x: string, at: Where): Statement[] {
    const { minimum, maximum } = f.constraints;
    if (minimum === undefined && maximum === undefined) return [];
    const n = `BigInt(${x})`;
    const out: Statement[] = [];
    // BigInt(...) prints every digit (String(1e21) is "1e+21"); a bound that is not finite checks nothing (contradicting-limits reports it).
    if (minimum !== undefined && Number.isFinite(minimum)) out.push(`if (${n} < ${BigInt(Math.ceil(minimum))}n) ${this.fail(at, `"minimum"`, `≥ ${minimum}`, x, described(x))}`);
    if (maximum !== undefined && Number.isFinite(maximum)) out.push(`if (${n} > ${BigInt(Math.floor(maximum))}n) ${this.fail(at, `"maximum"`, `≤ ${maximum}`, x, described(x))}`);
    return out;
  }

  private string(f: Field, x: string, at: Where): Statement[] {
    const { minLength, maxLength, pattern, format } = f.constraints;
    const then: Statement[] = [];
    if (minLength !== undefined) then.push(`if (${x}.length < ${minLength}) ${this.fail(at, `"minLength"`, `at least ${minLength} characters`, `${x}.length`, described(`${x}.length`))}`);
    if (maxLength !== undefined) then.push(`if (${x}.length > ${maxLength}) ${this.fail(at, `"maxLength"`, `at most ${maxLength} characters`, `${x}.length`, described(`${x}.length`))}`);
    if (pattern !== undefined) {
      const re = this.mod.constant("P", `new RegExp(${lit(pattern)}, "u")`);
      then.push(`if (!${re}.test(${x})) ${this.fail(at, `"pattern"`, `a match of ${pattern}`, x, described(x))}`);
    }
    if (format && format !== "unix-time") then.push(`if (!${this.use("FORMATS")}[${lit(format)}](${x})) ${this.fail(at, `"format"`, withArticle(format), x, described(x))}`);
    then.push(...this.enumCheck(f, x, at, "string"));
    return this.typed(`typeof ${x} !== "string"`, "a string", x, at, then);
  }

  /** Compare a string or a number with the enum values of its own JS type; `decimal`: compare the
   * decimal text of a 64-bit integer held as a bigint or a string. */
  private enumCheck(f: Field, x: string, at: Where, how: "string" | "number" | "decimal"): Statement[] {
    if (!f.enum) return [];
    const expected = `one of ${f.enum.map((e) => lit(e.value)).join(", ")}`;
    const fail = this.fail(at, `"enum"`, expected, x, described(x));
    if (how === "decimal") return [`if (${this.oneOf(`String(${x})`, f.enum.map((e) => String(e.value)))}) ${fail}`];
    return [`if (${this.oneOf(x, f.enum.filter((e) => typeof e.value === how).map((e) => e.value))}) ${fail}`];
  }

  /** An expression that is true when `subject` is none of `values`. */
  private oneOf(subject: string, values: Array<string | number>): string {
    if (values.length === 0) return "true";
    if (values.length <= 4) return values.map((v) => `${subject} !== ${lit(v)}`).join(" && ");
    return `!${this.mod.constant("E", `new Set<unknown>(${lit(values)})`)}.has(${subject})`;
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
  const guard = new CheckWriter(mod, symbols, "guard");
  const collect = new CheckWriter(mod, symbols, "collect");
  const g: Statement[] = [`if (typeof v !== "object" || v === null || Array.isArray(v)) return false;`, `const o = v as Record<string, unknown>;`];
  const c: Statement[] = [
    block(`if (typeof v !== "object" || v === null || Array.isArray(v))`, [
      // The message as `report` words it, its constant part one literal.
      `return ${symbols.use("got")}(out, p, "type", "an object", ${describe}(v), (p === "" ? "value" : p) + ": must be an object, got ");`,
    ]),
    `const o = v as Record<string, unknown>;`,
    // Field paths are `q + "Name"`: at the top level `q` is empty and every path and every constant message part a literal.
    `const q = p === "" ? "" : p + ".";`,
  ];
  shape.fields.forEach((f, k) => {
    const x = `x${k}`;
    const at: Where = { expr: `q + ${lit(f.name)}`, field: f.name };
    g.push(`const ${x} = ${read(f.name)};`);
    const checks = guard.value(f.type, f, x, at);
    if (f.required && !f.nullable) g.push(`if (${x} === undefined || ${x} === null) return false;`, ...checks);
    else if (f.required) g.push(`if (${x} === undefined) return false;`, block(`if (${x} !== null)`, checks));
    else if (!f.nullable) g.push(block(`if (${x} !== undefined)`, [`if (${x} === null) return false;`, ...checks]));
    else g.push(block(`if (${x} !== undefined && ${x} !== null)`, checks));
    c.push(
      `const ${x} = ${read(f.name)};`,
      block(`if (${x} === undefined)`, f.required ? [`out = ${issue}(out, ${at.expr}, "required", "present", "nothing", q + ${lit(`${f.name}: is required`)});`] : []),
      block(`else if (${x} === null)`, f.nullable ? [] : [`out = ${issue}(out, ${at.expr}, "null", "not null", "null", q + ${lit(`${f.name}: must not be null`)});`]),
      block("else", collect.value(f.type, f, x, at)),
    );
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
    fn(`g${name}`, [["v", "unknown"], ["u", "boolean"]], "boolean", g),
    fn(`c${name}`, [["v", "unknown"], ["p", "string"], ["out", issues], ["u", "boolean"]], issues, c),
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
      guard.push(`{ const a = ${time}(o.${w.field}), b = ${time}(o.${w.notBefore}); if (a !== undefined && b !== undefined && a < b) return false; }`);
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
  const parameters: Array<[string, string]> = [["value", "unknown"], ["options?", optionsType]];
  const exported = (doc: string) => ({ exported: true, doc });
  return [
    fn(`validate${name}`, parameters, `${symbols.use("ValidationResult")}<${t}>`, bodies.validate, exported(docs.validate)),
    fn(`is${name}`, parameters, `value is ${t}`, bodies.is, exported(docs.is)),
    fn(`assert${name}`, parameters, `asserts value is ${t}`, [`const r = validate${name}(value, options);`, `if (!r.ok) throw new ${symbols.use("ValidationError")}(${lit(name)}, r.issues);`], exported(docs.assert)),
  ];
}

/** `return issues ? failed(issues) : { ok: true, value }`, the value typed as the shape. */
const result = (name: string, symbols: SymbolRegistry) => `return issues ? ${symbols.use("failed")}(issues) : { ok: true, value: value as ${symbols.shapeType(name)} };`;

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
    ...(regions.required ? [`if (r === undefined) issues = ${report}(issues, "Region", "region", ${lit(regions.values.length ? allowedText : "a region")}, undefined);`] : []),
    ...(regions.values.length ? [`if (r !== undefined && !${lit(regions.values)}.includes(r)) issues = ${report}(issues, "Region", "region", ${lit(allowedText)}, r);`] : []),
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
        fn(`w${name}`, [["v", "unknown"], ["now", "number"]], "boolean", [`const o = v as Record<string, unknown>;`, ...w.guard, "return true;"]),
        fn(`cw${name}`, [["v", "unknown"], ["now", "number"], ["out", issues]], issues, [
          `if (typeof v !== "object" || v === null || Array.isArray(v)) return out;`,
          `const o = v as Record<string, unknown>;`,
          ...w.collect,
          "return out;",
        ]),
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
  // of thousands of unknown keys down to what a validation sees before parsing it.
  const requestFields = (op: Operation) => lit([...new Set(reachableShapes(service, [op.request]).flatMap((s) => s.fields.map((f) => f.name)))].sort());
  const table = service.operations.map(
    (op) => `${op.method}: { request: validate${symbols.shape(op.request.name)}, response: validate${symbols.shape(op.response.name)}, requestFields: ${requestFields(op)} },`,
  );
  // A writer, not a variable structure: ts-morph hangs the lines of a multi-line initializer one level in.
  const validators: WriterFunction = (w) =>
    w
      .writeLine("/** The request and response validators of every operation, by client method name. */")
      .write("export const validators = ")
      .inlineBlock(() => table.forEach((line) => w.writeLine(line)))
      .write(" as const;");
  // Every body is built above, so every symbol it uses is declared: the imports are complete.
  const statements: Array<StatementStructures | WriterFunction> = [...symbols.imports.structures(), blankLine, ...mod.constants, ...[...functions, ...mod.helpers, ...api].map(functionWriter), validators];
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
