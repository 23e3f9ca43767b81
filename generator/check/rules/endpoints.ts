import type { Rule } from "../rule.js";

export const endpoints: Rule = {
  id: "endpoints",
  severity: "error",
  description: "A service needs exactly one default endpoint and unique endpoint ids and hosts.",
  check(ir, report) {
    for (const service of ir.services) {
      const [first, ...extra] = service.endpoints.filter((e) => e.isDefault);
      if (!first) {
        // The schema requires at least one endpoint; point at the list rather than at the service id.
        const at = service.endpoints[0]?.loc ?? service.loc;
        report(at, `service "${service.id}" has no default endpoint: mark exactly one endpoint \`default: true\``);
      }
      for (const e of extra) report(e.loc, `endpoint "${e.id}" is a second default endpoint ("${first!.id}" is one already); exactly one is allowed`);
      const seen = new Set<string>();
      for (const e of service.endpoints)
        for (const key of [`id "${e.id}"`, `host "${e.host}"`]) {
          if (seen.has(key)) report(e.loc, `endpoint ${key} appears twice`);
          seen.add(key);
        }
    }
  },
};
