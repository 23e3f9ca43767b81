import type { Rule } from "../rule.js";
import { compilePattern, fieldSamples } from "../patterns.js";
import { scalarNames } from "../../ir/type-ref.js";
import { eachField } from "./walk.js";

export const patternNeedsExample: Rule = {
  id: "pattern-needs-example",
  severity: "error",
  description:
    "A string field with a `pattern` the mock cannot draw values from (a backreference, a lookaround or `\\b`, or nothing it draws fits the lengths and format), and no `example` or `enum` to serve instead.",
  check(ir, report) {
    for (const service of ir.services)
      for (const { field: f } of eachField(service)) {
        const { pattern } = f.constraints;
        if (pattern === undefined || f.example !== undefined || f.enum || !scalarNames(f.type).includes("string")) continue;
        if (typeof compilePattern(pattern) === "string") continue;
        if (fieldSamples(f).length === 0)
          report(
            f.at.pattern ?? f.loc,
            `field "${f.name}": the mock cannot draw a string matching ${JSON.stringify(pattern)}${f.constraints.minLength !== undefined || f.constraints.maxLength !== undefined ? " within its length limits" : ""}${f.constraints.format ? ` that is a valid ${f.constraints.format}` : ""}; add an \`example\``,
          );
      }
  },
};
