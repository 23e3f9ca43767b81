import type { Rule } from "../rule.js";

export const duplicateOperation: Rule = {
  id: "duplicate-operation",
  severity: "error",
  description: "Two operations of a service share a name, a client method, a tc3 action or a chat-rest command.",
  check(ir, report) {
    for (const service of ir.services) {
      const seen = new Map<string, string>();
      for (const op of service.operations) {
        const keys: Array<[string, string | undefined]> = [["name", op.name], ["method", op.method], ["action", op.action], ["command", op.command]];
        // One report per operation: the clashing keys, grouped by the file that used them first.
        const clashes = new Map<string, string[]>();
        for (const [kind, value] of keys) {
          if (value === undefined) continue;
          const first = seen.get(`${kind}:${value}`);
          if (first) clashes.set(first, [...(clashes.get(first) ?? []), `${kind} "${value}"`]);
          else seen.set(`${kind}:${value}`, op.file);
        }
        for (const [first, what] of clashes)
          report(op.loc, `operation ${what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what[what.length - 1]} are` : `${what[0]} is`} already used by ${first}`);
      }
    }
  },
};
