import type { Rule } from "../rule.js";
import { eachShape } from "./walk.js";

export const duplicateType: Rule = {
  id: "duplicate-type",
  severity: "error",
  description:
    "A shape name is defined twice in a service (request and response types count as `<Op>Request`/`<Op>Response`), or takes a name the generated types reserve (`CommonErrorCode`, `<Op>ErrorCode`).",
  check(ir, report) {
    for (const service of ir.services) {
      const seen = new Map<string, { file: string; ofOperation: boolean }>();
      const reserved = new Set(["CommonErrorCode", ...service.operations.map((o) => `${o.name}ErrorCode`)]);
      for (const { shape, operation } of eachShape(service)) {
        if (reserved.has(shape.name)) report(shape.loc, `type "${shape.name}" takes a name the generated error-code types use; rename it`);
        const first = seen.get(shape.name);
        if (!first) {
          seen.set(shape.name, { file: shape.definedIn, ofOperation: operation !== undefined });
          continue;
        }
        // Two operations with one request/response type share a name: duplicate-operation says so.
        if (operation && first.ofOperation) continue;
        const what = operation ? ` (the ${shape === operation.request ? "request" : "response"} type of ${operation.name})` : "";
        report(shape.loc, `type "${shape.name}"${what} is already defined in ${first.file}`);
      }
    }
  },
};
