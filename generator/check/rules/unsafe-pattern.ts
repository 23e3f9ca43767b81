import type { Rule } from "../rule.js";
import { compilePattern, patternSafety } from "../patterns.js";
import { eachField } from "./walk.js";

export const unsafePattern: Rule = {
  id: "unsafe-pattern",
  severity: "error",
  description:
    'A `pattern` whose matching can backtrack super-linearly (ReDoS), found by recheck: the validators, the mock and response validation run it on untrusted input. A pattern proven safe by hand takes `suppress: { unsafe-pattern: "why" }`.',
  check(ir, report) {
    for (const service of ir.services)
      for (const { field: f } of eachField(service)) {
        const { pattern } = f.constraints;
        if (pattern === undefined || typeof compilePattern(pattern) === "string") continue;
        const s = patternSafety(pattern);
        if (s.safe) continue;
        const at = f.at.pattern ?? f.loc;
        if (s.complexity === "unknown")
          report(
            at,
            `field "${f.name}": pattern ${JSON.stringify(pattern)} could not be shown free of catastrophic backtracking (${s.reason}); simplify it, or suppress with the reason it is safe`,
          );
        else
          report(
            at,
            `field "${f.name}": pattern ${JSON.stringify(pattern)} can take ${s.complexity} time to match${s.attack ? ` (e.g. on ${s.attack})` : ""}; rewrite it without nested or overlapping repetition`,
          );
      }
  },
};
