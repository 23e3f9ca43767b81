import { INT_RANGES, MAX_SAFE } from "../../ir/int-ranges.js";
import type { Constraints, Field, ScalarName } from "../../ir/types.js";
import { FORMATS } from "../../../templates/runtime/src/validation-core.js";
import type { SpecDocument } from "../../load/spec-document.js";
import { exactIntegerBound } from "../number-literal.js";
import { compilePattern } from "../patterns.js";
import type { Report, Rule } from "../rule.js";
import { isArray, scalarNames } from "../../ir/type-ref.js";
import { documentsByFile, eachField } from "./walk.js";

const NUMERIC = new Set(["integer", "int32", "uint32", "int64", "uint64", "float"]);

type StringFormat = Exclude<Constraints["format"], "unix-time" | undefined>;

/**
 * The lengths a value of each string format can have, read off the runtime's FORMATS checks (the
 * validators' judge): a uri is a scheme letter and a colon at least (`a:`), an ipv4 four groups of
 * one to three digits (`0.0.0.0` to `255.255.255.255`), a date `YYYY-MM-DD`, a date-time a date,
 * a separator, `hh:mm:ss` and a zone (`2024-01-01T00:00:00Z`) with any number of fraction digits.
 */
export const FORMAT_LENGTHS: Readonly<Record<StringFormat, { shortest: string; longest?: string }>> = {
  uri: { shortest: "a:" },
  ipv4: { shortest: "0.0.0.0", longest: "255.255.255.255" },
  date: { shortest: "2024-01-01", longest: "2024-01-01" },
  "date-time": { shortest: "2024-01-01T00:00:00Z" },
};

/** Why a number enum value cannot be a value of the scalar type, or undefined when it can. */
function outsideType(value: number, scalar: string, f: Field): string | undefined {
  if (scalar === "float") return Number.isFinite(value) ? undefined : "is not a finite number";
  const range = INT_RANGES[scalar as ScalarName];
  if (!range) return undefined;
  if (!Number.isInteger(value)) return `is not an integer (${scalar})`;
  let [lo, hi] = range;
  // A 64-bit field held as a JS number keeps to the exact integers.
  const asNumber = (scalar === "int64" || scalar === "uint64") && (f.js ?? "number") === "number";
  if (asNumber) [lo, hi] = [lo < -MAX_SAFE ? -MAX_SAFE : lo, hi > MAX_SAFE ? MAX_SAFE : hi];
  return BigInt(value) < lo || BigInt(value) > hi
    ? `is outside the range of ${scalar}${asNumber ? " held as a JS number" : ""}, ${lo}..${hi}`
    : undefined;
}

const LIMITS = ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"] as const;

/**
 * Number limits as written (the YAML text, not the double JavaScript made of it): one that is not
 * finite (`1e309` reads as Infinity); an integer limit (a length, a size, an integer field's
 * minimum or maximum) beyond every integer type of the field, or that no double holds exactly
 * (`123456789012345678901234567890`, `0xFFFFFFFFFFFFFFFFFFFF`), which the generated code would
 * otherwise check as a rounded value, or fail to compile. The choice: report, never emit a guess.
 */
function limitProblems(f: Field, scalars: string[], report: Report, docs: ReadonlyMap<string, SpecDocument>): void {
  const integerField = scalars.some((s) => INT_RANGES[s as ScalarName]) && !scalars.includes("float");
  for (const key of LIMITS) {
    const value = f.constraints[key];
    if (value === undefined) continue;
    const at = f.at[key] ?? f.loc;
    const written = docs.get(at.file)?.scalarSource(at)?.trim() ?? String(value);
    const say = (why: string) => report(at, `field "${f.name}": ${key} ${written} ${why}`);
    if (!Number.isFinite(value)) {
      say(`is not a finite number (JavaScript reads it as ${value})`);
      continue;
    }
    const bound = key === "minimum" || key === "maximum";
    if (bound && !integerField) continue;
    const round = key.startsWith("min") ? "up" : "down";
    const read = BigInt(round === "up" ? Math.ceil(value) : Math.floor(value));
    const exact = exactIntegerBound(written, round) ?? read;
    const types = scalars.filter((s) => INT_RANGES[s as ScalarName]);
    if (bound && types.every((s) => exact < INT_RANGES[s as ScalarName]![0] || exact > INT_RANGES[s as ScalarName]![1]))
      say(`is outside the range of ${types.map((s) => `${s}, ${INT_RANGES[s as ScalarName]!.join("..")}`).join(" and of ")}`);
    else if (exact !== read) say(`is not exactly representable: JavaScript reads it as ${read}`);
  }
}

/** Why a string enum value breaks the field's string constraints, or undefined when it keeps them. */
function stringProblem(value: string, c: Constraints): string | undefined {
  if (c.minLength !== undefined && value.length < c.minLength) return `is shorter than minLength ${c.minLength}`;
  if (c.maxLength !== undefined && value.length > c.maxLength) return `is longer than maxLength ${c.maxLength}`;
  const re = c.pattern === undefined ? undefined : compilePattern(c.pattern);
  // An invalid pattern is invalid-pattern's to report.
  if (re instanceof RegExp && !re.test(value)) return `does not match pattern ${c.pattern}`;
  if (c.format && c.format !== "unix-time" && !FORMATS[c.format](value)) return `is not a valid ${c.format}`;
  return undefined;
}

export const contradictingLimits: Rule = {
  id: "contradicting-limits",
  severity: "error",
  description:
    "Limits that cannot all hold: minimum above maximum, enum values or defaults outside the range, enum values outside the field type's range or breaking its length, pattern or format, a length no value of the field's format has, a page size with neither a maximum nor a default, a first page below the page field's minimum, a constraint the field's type cannot have, a limit that is not a finite number, an integer limit beyond the field's type or that no double holds exactly.",
  check(ir, report, docs = []) {
    const byFile = documentsByFile(docs);
    for (const service of ir.services) {
      for (const { field: f } of eachField(service)) {
        const c = f.constraints;
        const pairs: Array<[string, number | undefined, string, number | undefined]> = [
          ["minimum", c.minimum, "maximum", c.maximum],
          ["minLength", c.minLength, "maxLength", c.maxLength],
          ["minItems", c.minItems, "maxItems", c.maxItems],
        ];
        for (const [lo, a, hi, b] of pairs)
          if (a !== undefined && b !== undefined && a > b) report(f.at[lo] ?? f.loc, `field "${f.name}": ${lo} ${a} is above ${hi} ${b}`);
        const scalars = scalarNames(f.type);
        const numeric = scalars.some((s) => NUMERIC.has(s));
        const stringy = scalars.includes("string");
        limitProblems(f, scalars, report, byFile);
        if (!numeric && (c.minimum !== undefined || c.maximum !== undefined))
          report(
            f.at.minimum ?? f.at.maximum ?? f.loc,
            `field "${f.name}": minimum/maximum apply to numbers, not to ${scalars.join("|") || "a shape"}`,
          );
        if (!stringy && (c.minLength !== undefined || c.maxLength !== undefined || c.pattern !== undefined))
          report(
            f.at.minLength ?? f.at.maxLength ?? f.at.pattern ?? f.loc,
            `field "${f.name}": minLength/maxLength/pattern apply to strings, not to ${scalars.join("|") || "a shape"}`,
          );
        if (!isArray(f.type) && (c.minItems !== undefined || c.maxItems !== undefined))
          report(
            f.at.minItems ?? f.at.maxItems ?? f.loc,
            `field "${f.name}": minItems/maxItems apply to arrays, not to ${scalars.join("|") || "a shape"}`,
          );
        for (const e of f.enum ?? []) {
          const at = e.loc ?? f.at.enum ?? f.loc;
          if (typeof e.value === "number" && ((c.minimum !== undefined && e.value < c.minimum) || (c.maximum !== undefined && e.value > c.maximum)))
            report(at, `field "${f.name}": enum value ${e.value} is outside ${c.minimum ?? "-∞"}..${c.maximum ?? "∞"}`);
          if ((typeof e.value === "number" && !numeric) || (typeof e.value === "string" && !stringy))
            report(at, `field "${f.name}": enum value ${JSON.stringify(e.value)} is not of the field's type`);
          else if (typeof e.value === "number") {
            // A union may hold it in any of its number types.
            const why = scalars.filter((s) => NUMERIC.has(s)).map((s) => outsideType(e.value as number, s, f));
            if (why.every((w) => w !== undefined)) report(at, `field "${f.name}": enum value ${e.value} ${why[0]}`);
          } else {
            const why = stringProblem(e.value, c);
            if (why) report(at, `field "${f.name}": enum value ${JSON.stringify(e.value)} ${why}`);
          }
        }
        const format = c.format !== undefined && c.format !== "unix-time" && stringy ? c.format : undefined;
        if (format) {
          const { shortest, longest } = FORMAT_LENGTHS[format];
          if (c.maxLength !== undefined && c.maxLength < shortest.length)
            report(
              f.at.maxLength ?? f.loc,
              `field "${f.name}": maxLength ${c.maxLength} is below the shortest ${format} (${shortest.length} characters, e.g. ${JSON.stringify(shortest)})`,
            );
          if (longest !== undefined && c.minLength !== undefined && c.minLength > longest.length)
            report(
              f.at.minLength ?? f.loc,
              `field "${f.name}": minLength ${c.minLength} is above the longest ${format} (${longest.length} characters, e.g. ${JSON.stringify(longest)})`,
            );
        }
        const d = f.default;
        if (typeof d === "number" && ((c.minimum !== undefined && d < c.minimum) || (c.maximum !== undefined && d > c.maximum)))
          report(f.at.default ?? f.loc, `field "${f.name}": default ${d} is outside ${c.minimum ?? "-∞"}..${c.maximum ?? "∞"}`);
        if (d !== undefined && f.enum && !f.enum.some((e) => e.value === d))
          report(f.at.default ?? f.loc, `field "${f.name}": default ${JSON.stringify(d)} is not one of its enum values`);
      }
      for (const op of service.operations) {
        const p = op.pagination;
        // A default alone is enough: the client asks for it, the mock serves pages of it.
        // A cursor list moves by its cursor, whatever the page size.
        if (p && p.style !== "cursor" && p.maxSize === undefined && p.defaultSize === undefined)
          report(p.at.size ?? p.loc, `pagination: page size field "${p.size}" has neither a maximum nor a default, so the page size is unknown`);
        if (p?.style === "page-number") {
          const min = op.request.fields.find((f) => f.name === p.page)?.constraints.minimum;
          if (min !== undefined && p.firstPage < min)
            report(p.at.firstPage ?? p.at.page ?? p.loc, `pagination: firstPage ${p.firstPage} is below page field "${p.page}"'s minimum ${min}`);
        }
        if (op.rateLimit && !Number.isFinite(op.rateLimit.requests)) report(op.rateLimit.loc, "rateLimit: requests must be finite");
      }
    }
  },
};
