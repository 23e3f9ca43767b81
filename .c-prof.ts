import { loadSpecs } from "./generator/load/load-specs.js";
import { checkSpecs } from "./generator/check/check-specs.js";
import { emitValidatorsSource } from "./generator/emit/validators-emitter.js";
const ir = checkSpecs(await loadSpecs("specs")).ir!;
for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (const s of ir.services) emitValidatorsSource(s); console.log("total", (performance.now() - t0).toFixed(0)); }
