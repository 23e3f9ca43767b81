import type { ErrorDef, Protocol } from "../../ir/types.js";
import { compilePattern } from "../patterns.js";
import type { Rule } from "../rule.js";

export function codeProblem(code: string | number, p: Protocol): string | undefined {
  const f = p.errorCode;
  if (f.type === "integer") {
    if (typeof code !== "number" || !Number.isInteger(code)) return `must be an integer for ${p.title}`;
    if ((f.minimum !== undefined && code < f.minimum) || (f.maximum !== undefined && code > f.maximum))
      return `must be within ${f.minimum ?? "-∞"}..${f.maximum ?? "∞"}`;
    return undefined;
  }
  if (typeof code !== "string") return `must be a string for ${p.title}`;
  // A pattern that is not a regular expression is invalid-pattern's to report.
  const re = f.pattern ? compilePattern(f.pattern) : undefined;
  if (re instanceof RegExp && !re.test(code)) return `does not match ${f.pattern}`;
  return undefined;
}

export const errorCodeFormat: Rule = {
  id: "error-code-format",
  severity: "error",
  description: "An error code is not in its protocol's form, or appears twice in one list.",
  check(ir, report) {
    const checkList = (list: ErrorDef[], p: Protocol) => {
      const seen = new Map<string, ErrorDef>();
      for (const e of list) {
        const problem = codeProblem(e.code, p);
        if (problem) report(e.loc, `error code ${JSON.stringify(e.code)} ${problem}`);
        const first = seen.get(String(e.code));
        if (first) report(e.loc, `error code ${JSON.stringify(e.code)} is listed twice (first at line ${first.loc.line})`);
        else seen.set(String(e.code), e);
      }
    };
    for (const p of ir.protocols) checkList(p.errors, p);
    for (const service of ir.services) {
      checkList(service.serviceErrors, service.protocolInfo);
      for (const op of service.operations)
        checkList(
          op.errors.filter((e) => e.scope === "operation"),
          service.protocolInfo,
        );
    }
  },
};
