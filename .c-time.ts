import { loadSpecs } from "./generator/load/load-specs.js";
import { checkSpecs } from "./generator/check/check-specs.js";
import { validatorsEmitter } from "./generator/emit/validators-emitter.js";
import { typesEmitter } from "./generator/emit/types-emitter.js";
const specs = await loadSpecs(process.argv[2] ?? "specs");
const ir = checkSpecs(specs).ir!;
for (const e of [validatorsEmitter, typesEmitter]) {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (const s of ir.services) e.emitService!(s, ir); times.push(performance.now() - t0); }
  console.log(e.name, times.map((t) => t.toFixed(0)).join(" "));
}
