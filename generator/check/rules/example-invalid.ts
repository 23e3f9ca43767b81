import { ValueChecker } from "../../ir/check-value.js";
import { exampleIssues } from "../../ir/example-issues.js";
import type { Rule } from "../rule.js";
import { eachField } from "./walk.js";

export const exampleInvalid: Rule = {
  id: "example-invalid",
  severity: "error",
  description:
    "An example (or a field's `example`/`default`) fails its own schema (an error example: the protocol's error envelope and a code the operation documents) and is not marked `contradicts`, or is marked but fails elsewhere or not at all.",
  check(ir, report) {
    for (const service of ir.services) {
      const checker = new ValueChecker(service.shapes, { rejectUnknown: true });
      for (const { field } of eachField(service))
        for (const key of ["example", "default"] as const) {
          const value = field[key];
          if (value === undefined) continue;
          for (const i of checker.checkField(field, value, field.name))
            report(field.at[key] ?? field.loc, `${key} of field "${field.name}": ${i.message.replace(/^[^:]*: /, "")}`);
        }
      for (const op of service.operations)
        for (const ex of op.examples) {
          const issues = exampleIssues(service, op, ex);
          const declared = new Set(ex.contradicts?.paths ?? []);
          const found = new Set(issues.map((i) => i.path));
          for (const i of issues) if (!declared.has(i.path)) report(ex.loc, `example "${ex.title}": ${i.message}`);
          for (const p of declared) if (!found.has(p)) report(ex.loc, `example "${ex.title}" is marked to fail at ${p}, but it passes there`);
        }
    }
  },
};
