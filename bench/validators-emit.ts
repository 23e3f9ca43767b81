// The validators emitter's time on a specs tree, in a fresh process: loading the emitter module (what
// a cold run pays for its imports) and emitting every service once (cold) and again (warm).
//
//   tsx bench/validators-emit.ts [--specs specs] [--emitter generator/emit/validators-emitter.ts]
//
// `--emitter`: another module exporting emitValidatorsSource (an older emitter, for an A/B run).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { checkSpecs } from "../generator/check/check-specs.js";
import { loadSpecs } from "../generator/load/load-specs.js";
import type { Service } from "../generator/ir/types.js";

const { values } = parseArgs({ options: { specs: { type: "string", default: "specs" }, emitter: { type: "string" } } });
const ir = checkSpecs(await loadSpecs(values.specs!)).ir;
if (!ir) throw new Error(`${values.specs}: the specs do not build`);
// CPU time beside wall time: the machine may be shared, and the emitter runs on this one thread.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const [t0, c0] = [performance.now(), cpu()];
const module = values.emitter
  ? ((await import(pathToFileURL(path.resolve(values.emitter)).href)) as { emitValidatorsSource(s: Service): string })
  : await import("../generator/emit/validators-emitter.js");
const [t1, c1] = [performance.now(), cpu()];
let bytes = 0;
for (const s of ir.services) bytes += module.emitValidatorsSource(s).length;
const [t2, c2] = [performance.now(), cpu()];
for (const s of ir.services) module.emitValidatorsSource(s);
const [t3, c3] = [performance.now(), cpu()];
const ms = (n: number) => Math.round(n * 10) / 10;
console.log(
  JSON.stringify({
    services: ir.services.length,
    bytes,
    loadMs: ms(t1 - t0),
    coldMs: ms(t2 - t1),
    warmMs: ms(t3 - t2),
    loadCpuMs: ms(c1 - c0),
    coldCpuMs: ms(c2 - c1),
    warmCpuMs: ms(c3 - c2),
  }),
);
