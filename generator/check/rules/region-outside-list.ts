import type { Rule } from "../rule.js";

export const regionOutsideList: Rule = {
  id: "region-outside-list",
  severity: "error",
  description: "An operation or endpoint names a region that the service's region list does not have.",
  check(ir, report) {
    for (const service of ir.services) {
      const allowed = new Set(service.regions.values);
      if (!allowed.size) continue;
      for (const op of service.operations)
        if (op.regions !== service.regions)
          for (const r of op.regions.values)
            if (!allowed.has(r))
              report(
                op.regions.at.values ?? op.regions.loc,
                `region "${r}" of ${op.name} is not in the service's regions (${[...allowed].join(", ")})`,
              );
      for (const e of service.endpoints)
        if (e.region && !allowed.has(e.region))
          report(
            e.at.region ?? e.loc,
            `endpoint "${e.id}" serves region "${e.region}", which is not in the service's regions (${[...allowed].join(", ")})`,
          );
    }
  },
};
