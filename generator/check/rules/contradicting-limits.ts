import type { Rule } from "../rule.js";
import { eachField, isArray, scalarNames } from "./walk.js";

const NUMERIC = new Set(["integer", "int32", "uint32", "int64", "uint64", "float"]);

export const contradictingLimits: Rule = {
  id: "contradicting-limits",
  severity: "error",
  description: "Limits that cannot all hold: minimum above maximum, enum values or defaults outside the range, a page size with neither a maximum nor a default, a first page below the page field's minimum, a constraint the field's type cannot have.",
  check(ir, report) {
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
        if (!numeric && (c.minimum !== undefined || c.maximum !== undefined)) report(f.at.minimum ?? f.at.maximum ?? f.loc, `field "${f.name}": minimum/maximum apply to numbers, not to ${scalars.join("|") || "a shape"}`);
        if (!stringy && (c.minLength !== undefined || c.maxLength !== undefined || c.pattern !== undefined)) report(f.at.minLength ?? f.at.maxLength ?? f.at.pattern ?? f.loc, `field "${f.name}": minLength/maxLength/pattern apply to strings, not to ${scalars.join("|") || "a shape"}`);
        if (!isArray(f.type) && (c.minItems !== undefined || c.maxItems !== undefined)) report(f.at.minItems ?? f.at.maxItems ?? f.loc, `field "${f.name}": minItems/maxItems apply to arrays, not to ${scalars.join("|") || "a shape"}`);
        for (const e of f.enum ?? []) {
          if (typeof e.value === "number" && ((c.minimum !== undefined && e.value < c.minimum) || (c.maximum !== undefined && e.value > c.maximum)))
            report(f.at.enum ?? f.loc, `field "${f.name}": enum value ${e.value} is outside ${c.minimum ?? "-∞"}..${c.maximum ?? "∞"}`);
          if ((typeof e.value === "number" && !numeric) || (typeof e.value === "string" && !stringy))
            report(f.at.enum ?? f.loc, `field "${f.name}": enum value ${JSON.stringify(e.value)} is not of the field's type`);
        }
        const d = f.default;
        if (typeof d === "number" && ((c.minimum !== undefined && d < c.minimum) || (c.maximum !== undefined && d > c.maximum)))
          report(f.at.default ?? f.loc, `field "${f.name}": default ${d} is outside ${c.minimum ?? "-∞"}..${c.maximum ?? "∞"}`);
        if (d !== undefined && f.enum && !f.enum.some((e) => e.value === d)) report(f.at.default ?? f.loc, `field "${f.name}": default ${JSON.stringify(d)} is not one of its enum values`);
      }
      for (const op of service.operations) {
        const p = op.pagination;
        // A default alone is enough: the client asks for it, the mock serves pages of it.
        if (p && p.maxSize === undefined && p.defaultSize === undefined)
          report(p.at.size ?? p.loc, `pagination: page size field "${p.size}" has neither a maximum nor a default, so the page size is unknown`);
        if (p?.style === "page-number") {
          const min = op.request.fields.find((f) => f.name === p.page)?.constraints.minimum;
          if (min !== undefined && p.firstPage < min) report(p.at.firstPage ?? p.at.page ?? p.loc, `pagination: firstPage ${p.firstPage} is below page field "${p.page}"'s minimum ${min}`);
        }
        if (op.rateLimit && !Number.isFinite(op.rateLimit.requests)) report(op.rateLimit.loc, "rateLimit: requests must be finite");
      }
    }
  },
};
