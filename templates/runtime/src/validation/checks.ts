// The generated collectors' field checks, one call per value: `out = vInt(out, o.RoomId, p,
// "RoomId", 1, I3)`. Each check passes a valid value on a short path (V8 inlines it) and leaves
// every issue to a cold function, which words it exactly as the inline checks it replaced did.
// A rule (`I3`) is a module constant of the validators, made by the factories below: one class per
// kind, so every rule a check reads has the same shape. The factories are marked `@__NO_SIDE_EFFECTS__`:
// a bundler (esbuild, within the service's one-file bundle) drops the rules an app never reads.
import { describeValue, failed, INVALID, isDecimal, issue, type Issue, type IssueCode, type Issues, type StringFormat } from "./validation-core.js";
import type { ValidationResult } from "./validation.js";

/**
 * How a check treats undefined and null (`flags`): bit 1 required, bit 2 nullable. An array item or
 * a union member is `ITEM`: undefined is a value like any other and null is an issue.
 */
export const ITEM = 4;

/** `p.k`, `p[k]`, or `p` itself when there is no `k` (a union member checks the value at `p`). */
function pathAt(p: string, k: string | number | undefined): string {
  return k === undefined ? p : typeof k === "number" ? p + "[" + k + "]" : p === "" ? k : p + "." + k;
}

/** What an issue expects, with the middle of its message made once (`: must be ≤ 200, got `):
 * an issue's message is then two concatenations. The rules below make theirs on first use. */
export class IssueText {
  // Fields declared, not defined: each is set once in the constructor (a bundle then names each once).
  declare readonly expected: string;
  declare readonly lead: string;
  constructor(expected: string) {
    this.expected = expected;
    this.lead = ": must be " + expected + ", got ";
  }
}

/** A rule's issue texts, made on first use (fail), by issue code. */
type Texts = { [code in IssueCode | "big" | "decimal" | "safeLo" | "safeHi" | "typeLo" | "typeHi"]?: IssueText };

const A_BOOLEAN = /* @__PURE__ */ new IssueText("a boolean");
const A_STRING = /* @__PURE__ */ new IssueText("a string");
const A_FINITE_NUMBER = /* @__PURE__ */ new IssueText("a finite number");
const AN_INTEGER = /* @__PURE__ */ new IssueText("an integer");
const A_BIGINT = /* @__PURE__ */ new IssueText("a bigint");
const AN_ARRAY = /* @__PURE__ */ new IssueText("an array");

/** An issue worded as `report` words it: `Limit: must be ≤ 200, got 500`; `got` is the value as describeValue shows it. */
function fail(out: Issues, p: string | null, k: string | number | undefined, code: IssueCode, t: IssueText, got: unknown): Issues {
  if (p === null) return INVALID;
  const path = pathAt(p, k);
  const shown = describeValue(got);
  return issue(out, path, code, t.expected, shown, path + t.lead + shown);
}

/** undefined or null: the issue `flags` call for, if any (an item's undefined is checked as a value, not here). */
function absent(out: Issues, x: null | undefined, p: string | null, k: string | number | undefined, flags: number): Issues {
  if (x === undefined) {
    if ((flags & 1) === 0) return out;
    if (p === null) return INVALID;
    const path = pathAt(p, k);
    return issue(out, path, "required", "present", "nothing", path + ": is required");
  }
  if ((flags & 2) !== 0) return out;
  if (p === null) return INVALID;
  const path = pathAt(p, k);
  return issue(out, path, "null", "not null", "null", path + ": must not be null");
}

/** Whether `x` is left to `absent`: null, or undefined outside an array item. */
const isAbsent = (x: unknown, flags: number): x is null | undefined => x === null || (x === undefined && (flags & ITEM) === 0);

/** `a uint64`, `an int32`: the article as the generator's `withArticle` picks it. */
const withArticle = (word: string) => (/^[aeio]/i.test(word) ? "an " : "a ") + word;

const enumText = (values: readonly unknown[]) => "one of " + values.map((v) => JSON.stringify(v)).join(", ");

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Whether `x` is an integer number within ±(2^53 − 1): the collectors' test of an `integer` or an
 * `int64` held as a number. Comparisons and Math.floor (one instruction) rather than
 * Number.isSafeInteger, which V8 runs slower on heap numbers. */
export function isInt53(x: unknown): x is number {
  return typeof x === "number" && x >= -MAX_SAFE && x <= MAX_SAFE && Math.floor(x) === x;
}

/** Whether `x` is an integer number from 0 to 2^53 − 1: a `uint64` held as a number. */
export function isUint53(x: unknown): x is number {
  return typeof x === "number" && x >= 0 && x <= MAX_SAFE && Math.floor(x) === x;
}

const MAX_SAFE_BIG = 9007199254740991n;
const MIN_SAFE_BIG = -9007199254740991n;

/** A value of any type: only its presence is checked (also the presence of a shape, array or union field). */
export function vAny(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number): Issues {
  return x === undefined || x === null ? (x === undefined && (flags & ITEM) !== 0 ? out : absent(out, x, p, k, flags)) : out;
}

export function vBool(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number): Issues {
  if (typeof x === "boolean") return out;
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  return fail(out, p, k, "type", A_BOOLEAN, x);
}

// Every rule the validators declare is made on import (issue 15): a rule keeps what a valid value's
// check reads and its raw arguments; each text is made from those on the rule's first issue.

export class StrRule {
  declare readonly minLength: number;
  declare readonly maxLength: number;
  declare readonly pattern: string | undefined;
  declare readonly re: RegExp | undefined;
  declare readonly format: ((v: string) => boolean) | undefined;
  declare readonly formatName: string | undefined;
  /** The enum values; the set holds them all, as only a string is ever looked up in it. */
  declare readonly values: readonly unknown[] | undefined;
  declare readonly set: ReadonlySet<unknown> | undefined;
  declare readonly t: Texts;
  constructor(
    minLength: number,
    maxLength: number,
    pattern: string | undefined,
    format: StringFormat | undefined,
    values: readonly unknown[] | undefined,
  ) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.pattern = pattern;
    this.re = pattern === undefined ? undefined : new RegExp(pattern, "u");
    this.format = format?.test;
    this.formatName = format?.name;
    this.values = values;
    this.set = values === undefined ? undefined : new Set(values);
    this.t = {};
  }
}

/** A string's rule: lengths, pattern (compiled with `u`), format (`formatDate` and the like, from validation-core) and enum values. */
/* @__NO_SIDE_EFFECTS__ */
export function strRule(minLength = 0, maxLength = Infinity, pattern?: string, format?: StringFormat, values?: readonly unknown[]): StrRule {
  return new StrRule(minLength, maxLength, pattern, format, values);
}

export function vStr(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: StrRule): Issues {
  if (typeof x === "string") {
    if (
      x.length >= r.minLength &&
      x.length <= r.maxLength &&
      (r.re === undefined || r.re.test(x)) &&
      (r.format === undefined || r.format(x)) &&
      (r.set === undefined || r.set.has(x))
    )
      return out;
  } else if (x === undefined && flags === 0) return out;
  return strIssues(out, x, p, k, flags, r);
}

function strIssues(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: StrRule): Issues {
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  if (typeof x !== "string") return fail(out, p, k, "type", A_STRING, x);
  if (x.length < r.minLength)
    out = fail(out, p, k, "minLength", (r.t.minLength ??= new IssueText("at least " + r.minLength + " characters")), x.length);
  if (x.length > r.maxLength)
    out = fail(out, p, k, "maxLength", (r.t.maxLength ??= new IssueText("at most " + r.maxLength + " characters")), x.length);
  if (r.re !== undefined && !r.re.test(x)) out = fail(out, p, k, "pattern", (r.t.pattern ??= new IssueText("a match of " + r.pattern)), x);
  if (r.format !== undefined && !r.format(x)) out = fail(out, p, k, "format", (r.t.format ??= new IssueText(withArticle(r.formatName!))), x);
  if (r.set !== undefined && !r.set.has(x)) out = fail(out, p, k, "enum", enumIssueText(r), x);
  return out;
}

/** A rule's enum issue text, made on its first enum issue. */
const enumIssueText = (r: StrRule | NumRule): IssueText => (r.t.enum ??= new IssueText(enumText(r.values!)));

/** A finite number's rule; also an integer's (see intRule). */
export class NumRule {
  /** The integer type (`uint64`), or "" for a float. */
  declare readonly type: string;
  declare readonly min: number;
  declare readonly max: number;
  /** The integer type's range, and the part of it a number holds exactly. */
  declare readonly typeLo: bigint;
  declare readonly typeHi: bigint;
  declare readonly safeLo: number;
  declare readonly safeHi: number;
  /** The numbers that pass every bound (NaN when a bound is NaN: then every value takes the slow path). */
  declare readonly lo: number;
  declare readonly hi: number;
  /** The enum values; the set holds them all, as only a number is ever looked up in it. */
  declare readonly values: readonly unknown[] | undefined;
  declare readonly set: ReadonlySet<unknown> | undefined;
  /** What a 64-bit integer held as a bigint or a decimal string is checked against: made on the first such check. */
  declare big: BigBounds | undefined;
  declare readonly t: Texts;
  constructor(
    type: string,
    min: number,
    max: number,
    values: readonly unknown[] | undefined,
    typeLo: bigint,
    typeHi: bigint,
    safeLo: number,
    safeHi: number,
  ) {
    this.type = type;
    this.min = min;
    this.max = max;
    this.typeLo = typeLo;
    this.typeHi = typeHi;
    this.safeLo = safeLo;
    this.safeHi = safeHi;
    this.lo = Math.max(safeLo, min);
    this.hi = Math.min(safeHi, max);
    this.values = values;
    this.set = values === undefined ? undefined : new Set(values);
    this.big = undefined;
    this.t = {};
  }
}

/** A NumRule's bounds for a 64-bit integer held as a bigint or a decimal string (`vBig`, `vDec`). */
export class BigBounds {
  /** The integer bounds as bigints (undefined when not finite), so a bigint is never compared with a number (a runtime call in V8). */
  declare readonly minBig: bigint | undefined;
  declare readonly maxBig: bigint | undefined;
  /** The enum values as decimal strings. */
  declare readonly decimals: ReadonlySet<string> | undefined;
  constructor(r: NumRule) {
    this.minBig = Number.isFinite(r.min) ? BigInt(Math.ceil(r.min)) : undefined;
    this.maxBig = Number.isFinite(r.max) ? BigInt(Math.floor(r.max)) : undefined;
    this.decimals = r.values === undefined ? undefined : new Set(r.values.map(String));
  }
}

/** `a uint64`, `an int32`. */
const typeText = (r: NumRule) => (r.type === "" ? "" : withArticle(r.type));

/** A float's rule: bounds and enum values. */
/* @__NO_SIDE_EFFECTS__ */
export function numRule(min = -Infinity, max = Infinity, values?: readonly unknown[]): NumRule {
  return new NumRule("", min, max, values, 0n, 0n, -Number.MAX_VALUE, Number.MAX_VALUE);
}

/** Each integer type's range, and the part of it a number holds exactly (computed once, not per rule).
 * Powers, not literals: a long bigint literal costs more to compile than the power costs to run. */
const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint, number, number]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n, -(2 ** 31), 2 ** 31 - 1],
  uint32: [0n, 2n ** 32n - 1n, 0, 2 ** 32 - 1],
  int64: [-(2n ** 63n), 2n ** 63n - 1n, -MAX_SAFE, MAX_SAFE],
  uint64: [0n, 2n ** 64n - 1n, 0, MAX_SAFE],
  integer: [-(2n ** 53n - 1n), 2n ** 53n - 1n, -MAX_SAFE, MAX_SAFE],
};

/** An integer's rule: its type (`int32`, `uint32`, `int64`, `uint64`, `integer`), bounds and enum values. */
/* @__NO_SIDE_EFFECTS__ */
export function intRule(type: string, min = -Infinity, max = Infinity, values?: readonly unknown[]): NumRule {
  // Indexed, not destructured: destructuring runs the array iterator, a cost on import for every rule.
  const r = INT_RANGES[type]!;
  return new NumRule(type, min, max, values, r[0], r[1], r[2], r[3]);
}

export function vNum(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (typeof x === "number") {
    if (x >= r.lo && x <= r.hi && (r.set === undefined || r.set.has(x))) return out;
  } else if (x === undefined && flags === 0) return out;
  return numIssues(out, x, p, k, flags, r);
}

function numIssues(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  if (typeof x !== "number" || !Number.isFinite(x)) return fail(out, p, k, "type", A_FINITE_NUMBER, x);
  return bounds(out, x, p, k, r);
}

/** The spec's own bounds and enum values on a number of the right type. */
function bounds(out: Issues, x: number, p: string | null, k: string | number | undefined, r: NumRule): Issues {
  if (x < r.min) out = fail(out, p, k, "minimum", (r.t.minimum ??= new IssueText("≥ " + r.min)), x);
  if (x > r.max) out = fail(out, p, k, "maximum", (r.t.maximum ??= new IssueText("≤ " + r.max)), x);
  if (r.set !== undefined && !r.set.has(x)) out = fail(out, p, k, "enum", enumIssueText(r), x);
  return out;
}

/** An integer held as a number: a safe integer within its type's range. */
export function vInt(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (typeof x === "number") {
    if (x >= r.lo && x <= r.hi && Number.isInteger(x) && (r.set === undefined || r.set.has(x))) return out;
  } else if (x === undefined && flags === 0) return out;
  return intIssues(out, x, p, k, flags, r);
}

function intIssues(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  // A bigint here came from a lossless parse: beyond 2^53 it cannot be a number without rounding.
  if (typeof x === "bigint") {
    const code = x < r.typeLo ? "minimum" : x > r.typeHi ? "maximum" : x < MIN_SAFE_BIG || x > MAX_SAFE_BIG ? "precision" : "type";
    const is64 = r.type === "int64" || r.type === "uint64";
    return fail(out, p, k, code, (r.t.big ??= new IssueText(is64 ? typeText(r) + " within ±2^53, held as a number" : typeText(r))), x);
  }
  if (typeof x !== "number" || !Number.isInteger(x)) return fail(out, p, k, "type", AN_INTEGER, x);
  // Below or above the part of the type a number holds exactly: a precision issue where the type goes on.
  if (x < r.safeLo) return fail(out, p, k, r.safeLo > r.typeLo ? "precision" : "minimum", (r.t.safeLo ??= new IssueText("≥ " + r.safeLo)), x);
  if (x > r.safeHi) return fail(out, p, k, r.safeHi < r.typeHi ? "precision" : "maximum", (r.t.safeHi ??= new IssueText("≤ " + r.safeHi)), x);
  return bounds(out, x, p, k, r);
}

/** A 64-bit integer held as a bigint. */
export function vBig(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (x === undefined && flags === 0) return out;
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  if (typeof x !== "bigint") return fail(out, p, k, "type", A_BIGINT, x);
  const b = (r.big ??= new BigBounds(r));
  if (x < r.typeLo) out = fail(out, p, k, "minimum", (r.t.typeLo ??= new IssueText(typeText(r) + " (≥ " + r.typeLo + ")")), x);
  else if (x > r.typeHi) out = fail(out, p, k, "maximum", (r.t.typeHi ??= new IssueText(typeText(r) + " (≤ " + r.typeHi + ")")), x);
  // An integer is below `min` exactly when it is below its ceiling (and above `max` when above its floor).
  if (b.minBig !== undefined && x < b.minBig) out = fail(out, p, k, "minimum", (r.t.minimum ??= new IssueText("≥ " + r.min)), x);
  if (b.maxBig !== undefined && x > b.maxBig) out = fail(out, p, k, "maximum", (r.t.maximum ??= new IssueText("≤ " + r.max)), x);
  if (b.decimals !== undefined && !b.decimals.has(String(x))) out = fail(out, p, k, "enum", enumIssueText(r), x);
  return out;
}

/** A 64-bit integer held as its decimal string; bounds that are not finite check nothing. */
export function vDec(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: NumRule): Issues {
  if (x === undefined && flags === 0) return out;
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  if (typeof x !== "string" || !isDecimal(x))
    return fail(out, p, k, "type", (r.t.decimal ??= new IssueText(typeText(r) + " as a decimal string")), x);
  const n = BigInt(x);
  const b = (r.big ??= new BigBounds(r));
  if (n < r.typeLo) out = fail(out, p, k, "minimum", (r.t.typeLo ??= new IssueText(typeText(r) + " (≥ " + r.typeLo + ")")), x);
  else if (n > r.typeHi) out = fail(out, p, k, "maximum", (r.t.typeHi ??= new IssueText(typeText(r) + " (≤ " + r.typeHi + ")")), x);
  if (b.minBig !== undefined && n < b.minBig) out = fail(out, p, k, "minimum", (r.t.minimum ??= new IssueText("≥ " + r.min)), x);
  if (b.maxBig !== undefined && n > b.maxBig) out = fail(out, p, k, "maximum", (r.t.maximum ??= new IssueText("≤ " + r.max)), x);
  if (b.decimals !== undefined && !b.decimals.has(x)) out = fail(out, p, k, "enum", enumIssueText(r), x);
  return out;
}

export class ListRule {
  declare readonly minItems: number;
  declare readonly maxItems: number;
  declare readonly t: Texts;
  constructor(minItems: number, maxItems: number) {
    this.minItems = minItems;
    this.maxItems = maxItems;
    this.t = {};
  }
}

/* @__NO_SIDE_EFFECTS__ */
export function listRule(minItems = 0, maxItems = Infinity): ListRule {
  return new ListRule(minItems, maxItems);
}

/** An array's presence, type and length; its items are checked by the caller. */
export function vList(out: Issues, x: unknown, p: string | null, k: string | number | undefined, flags: number, r: ListRule): Issues {
  if (Array.isArray(x)) {
    if (x.length >= r.minItems && x.length <= r.maxItems) return out;
    if (x.length < r.minItems) out = fail(out, p, k, "minItems", (r.t.minItems ??= new IssueText("at least " + r.minItems + " items")), x.length);
    if (x.length > r.maxItems) out = fail(out, p, k, "maxItems", (r.t.maxItems ??= new IssueText("at most " + r.maxItems + " items")), x.length);
    return out;
  }
  if (isAbsent(x, flags)) return absent(out, x, p, k, flags);
  return fail(out, p, k, "type", AN_ARRAY, x);
}

/** A value that should be an object (a shape) and is not. */
export function notObject(out: Issues, p: string | null, v: unknown): Issues {
  if (p === null) return INVALID;
  // report's wording, without bundling report (issue is here already, for unknown fields).
  const shown = describeValue(v);
  return issue(out, p, "type", "an object", shown, (p === "" ? "value" : p) + ": must be an object, got " + shown);
}

/** A key the shape does not declare (requests, and responses under `strict`). */
export function unknownField(out: Issues, p: string | null, k: string, v: unknown): Issue[] {
  if (p === null) return INVALID;
  const path = pathAt(p, k);
  return issue(out, path, "unknown", "a declared field", describeValue(v), path + ": is not a field of this type");
}

/** A generated collector: its issues, undefined when the value is valid (INVALID when `p` is null). */
export type Collector = (v: unknown, p: string | null, out: Issues, u: boolean) => Issues;

// `validate*` and `is*` of a shape, or of a request without time windows or a region: factories, so
// each is one short line to parse on import (issue 15). A request always refuses unknown fields; a
// shape only under `strict`.

/* @__NO_SIDE_EFFECTS__ */
export function validator<T, O>(c: Collector, request: boolean): (value: unknown, options?: O) => ValidationResult<T> {
  return (value, options) => {
    const issues = c(value, "", undefined, request || (options as { strict?: boolean } | undefined)?.strict === true);
    return issues ? failed(issues) : { ok: true, value: value as T };
  };
}

/* @__NO_SIDE_EFFECTS__ */
export function guard<T, O>(c: Collector, request: boolean): (value: unknown, options?: O) => value is T {
  return (value, options): value is T =>
    c(value, null, undefined, request || (options as { strict?: boolean } | undefined)?.strict === true) === undefined;
}
