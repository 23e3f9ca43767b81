import type { Rule } from "../rule.js";
import { shapeNames } from "../../ir/type-ref.js";
import { eachField } from "./walk.js";

export const unknownType: Rule = {
  id: "unknown-type",
  severity: "error",
  description: "A field refers to a shape the service does not define.",
  check(ir, report) {
    for (const service of ir.services) {
      const known = new Set(service.shapes.map((s) => s.name));
      for (const { field } of eachField(service))
        for (const name of shapeNames(field.type))
          if (!known.has(name)) report(field.at.type ?? field.loc, `field "${field.name}" refers to unknown type "${name}"`);
    }
  },
};
