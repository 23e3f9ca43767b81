import type { Rule } from "../rule.js";

export const endpoints: Rule = {
  id: "endpoints",
  severity: "error",
  description: "A service needs exactly one default endpoint and unique endpoint ids and hosts.",
  check(ir, report) {
    for (const service of ir.services) {
      const defaults = service.endpoints.filter((e) => e.isDefault);
      if (defaults.length !== 1) report(service.loc, `service "${service.id}" has ${defaults.length} default endpoints; exactly one is needed`, [service.suppress]);
      const seen = new Set<string>();
      for (const e of service.endpoints)
        for (const key of [`id ${e.id}`, `host ${e.host}`]) {
          if (seen.has(key)) report(e.loc, `endpoint ${key} appears twice`, [service.suppress]);
          seen.add(key);
        }
    }
  },
};
