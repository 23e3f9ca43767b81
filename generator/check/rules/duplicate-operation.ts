import { findProtocol } from "../../protocols/index.js";
import type { Rule } from "../rule.js";

export const duplicateOperation: Rule = {
  id: "duplicate-operation",
  severity: "error",
  description: "Two operations of a service share a name, a client method or a wire key (the action, command or path its protocol calls it by).",
  check(ir, report) {
    for (const service of ir.services) {
      const seen = new Map<string, string>();
      const wireField = findProtocol(service.protocol.name)?.wireField ?? "wire key";
      for (const op of service.operations) {
        const keys: Array<[string, string | undefined]> = [
          ["name", op.name],
          ["method", op.method],
          [wireField, op.wire?.key],
        ];
        // One report per operation: the clashing keys, grouped by the file that used them first.
        const clashes = new Map<string, string[]>();
        for (const [kind, value] of keys) {
          if (value === undefined) continue;
          const first = seen.get(`${kind}:${value}`);
          if (first) clashes.set(first, [...(clashes.get(first) ?? []), `${kind} "${value}"`]);
          else seen.set(`${kind}:${value}`, op.file);
        }
        for (const [first, what] of clashes)
          report(
            op.loc,
            `operation ${what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what[what.length - 1]} are` : `${what[0]} is`} already used by ${first}`,
          );
      }
    }
  },
};
