import { loadSpecs } from "./generator/load/load-specs.js";
import { checkSpecs } from "./generator/check/check-specs.js";
import { validatorsEmitter } from "./generator/emit/validators-emitter.js";
import { validatorsEmitter as oldEmitter } from "./.c-old/validators-emitter.js";
const ir = checkSpecs(await loadSpecs(process.argv[2] ?? "specs")).ir!;
const res: Record<string, number[]> = { old: [], new: [] };
for (let r = 0; r < 8; r++) for (const [label, e] of [["old", oldEmitter], ["new", validatorsEmitter]] as const) {
  const c0 = process.cpuUsage(); for (const s of ir.services) e.emitService!(s, ir); const c = process.cpuUsage(c0);
  res[label]!.push((c.user + c.system) / 1000);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log("cpu ms old", res.old!.map((x) => x.toFixed(0)).join(" "), "median", med(res.old!).toFixed(0));
console.log("cpu ms new", res.new!.map((x) => x.toFixed(0)).join(" "), "median", med(res.new!).toFixed(0));
console.log("ratios median", med(res.new!.map((n, i) => n / res.old![i]!)).toFixed(2));
