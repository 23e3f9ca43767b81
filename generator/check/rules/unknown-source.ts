import type { Rule } from "../rule.js";
import { eachField } from "./walk.js";

export const unknownSource: Rule = {
  id: "unknown-source",
  severity: "warning",
  description: "A `source:` does not start with the id of one of the service's `sources`.",
  check(ir, report) {
    for (const service of ir.services) {
      const ids = new Set(service.sources.map((s) => s.id));
      const check = (source: string | undefined, loc: Parameters<typeof report>[0]) => {
        if (source === undefined) return;
        const id = source.split(/\s/)[0]!;
        if (!ids.has(id)) report(loc, `source "${source}" does not name one of the service's sources (${[...ids].join(", ")})`);
      };
      for (const { field } of eachField(service)) check(field.source, field.loc);
      for (const s of service.shapes) check(s.source, s.loc);
      for (const e of service.serviceErrors) check(e.source, e.loc);
      for (const op of service.operations) {
        check(op.source, op.loc);
        for (const e of op.errors.filter((x) => x.scope === "operation")) check(e.source, e.loc);
        for (const ex of op.examples) check(ex.source, ex.loc);
      }
    }
  },
};
