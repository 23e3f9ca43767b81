import type { Rule } from "../rule.js";
import { has64BitInteger } from "../../ir/type-ref.js";
import { eachField } from "./walk.js";

const SAFE = Number.MAX_SAFE_INTEGER;

export const integerPrecision: Rule = {
  id: "integer-precision",
  severity: "error",
  description:
    "An int64/uint64 field that can pass 2^53 must say how it reaches JavaScript (`js: number` refuses larger values, `bigint` or `string` keeps them).",
  check(ir, report) {
    for (const service of ir.services)
      for (const { field: f } of eachField(service)) {
        const wide = has64BitInteger(f.type);
        const { minimum, maximum } = f.constraints;
        const bounded = maximum !== undefined && maximum <= SAFE && (minimum ?? 0) >= -SAFE;
        if (wide && !f.js && !bounded)
          report(f.at.type ?? f.loc, `field "${f.name}" is a 64-bit integer that can pass 2^53: set js to number, bigint or string`);
        if (!wide && f.js) report(f.at.js ?? f.loc, `field "${f.name}": js applies to int64/uint64 fields only`);
        if (f.js === "number" && maximum !== undefined && maximum > SAFE)
          report(f.at.maximum ?? f.loc, `field "${f.name}": js is number but maximum ${maximum} is beyond 2^53`);
      }
  },
};
