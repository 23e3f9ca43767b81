import type { Rule } from "../rule.js";
import { eachShape } from "./walk.js";

export const duplicateType: Rule = {
  id: "duplicate-type",
  severity: "error",
  description: "A shape name is defined twice in a service (request and response types count as `<Op>Request`/`<Op>Response`).",
  check(ir, report) {
    for (const service of ir.services) {
      const seen = new Map<string, string>();
      for (const { shape, scopes } of eachShape(service)) {
        const first = seen.get(shape.name);
        if (first) report(shape.loc, `type "${shape.name}" is already defined in ${first}`, scopes);
        else seen.set(shape.name, shape.definedIn);
      }
    }
  },
};
