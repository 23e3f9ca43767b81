import type { Rule } from "../rule.js";
import { compilePattern, PATTERN_FLAGS } from "../patterns.js";
import { eachField } from "./walk.js";

export const invalidPattern: Rule = {
  id: "invalid-pattern",
  severity: "error",
  description: `A \`pattern\` that is not a regular expression under the flags the generated validators use (\`${PATTERN_FLAGS}\`): importing the package would throw. Also a protocol's \`errorCode.pattern\` (error codes could not be checked against it).`,
  check(ir, report) {
    for (const p of ir.protocols) {
      const { pattern, at } = p.errorCode;
      const re = pattern === undefined ? undefined : compilePattern(pattern);
      if (typeof re === "string")
        report(
          at?.pattern ?? { file: p.file, line: 1, col: 1 },
          `errorCode: pattern ${JSON.stringify(pattern)} is not a valid regular expression (flag ${PATTERN_FLAGS}): ${re}`,
        );
    }
    for (const service of ir.services)
      for (const { field: f } of eachField(service)) {
        const { pattern } = f.constraints;
        if (pattern === undefined) continue;
        const re = compilePattern(pattern);
        if (typeof re === "string")
          report(
            f.at.pattern ?? f.loc,
            `field "${f.name}": pattern ${JSON.stringify(pattern)} is not a valid regular expression (flag ${PATTERN_FLAGS}): ${re}`,
          );
      }
  },
};
