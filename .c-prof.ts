import { loadSpecs } from "./generator/load/load-specs.js";
import { checkSpecs } from "./generator/check/check-specs.js";
import { emitValidatorsSource } from "./generator/emit/validators-emitter.js";
import { Project, IndentationText } from "ts-morph";
const ir = checkSpecs(await loadSpecs("specs")).ir!;
for (let r = 0; r < 3; r++) { const t0 = performance.now(); for (const s of ir.services) emitValidatorsSource(s); console.log("total", (performance.now() - t0).toFixed(0)); }
const text = emitValidatorsSource(ir.services.find((s) => s.id === "trtc")!);
const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces } });
for (let r = 0; r < 3; r++) {
  let t0 = performance.now();
  const f = project.createSourceFile("x.ts", text, { overwrite: true });
  console.log("parse trtc text", (performance.now() - t0).toFixed(0), text.length);
  t0 = performance.now(); f.getFullText(); console.log("getFullText", (performance.now() - t0).toFixed(0));
  t0 = performance.now(); const w = project.createWriter(); w.write(text); console.log("writer.write whole", (performance.now() - t0).toFixed(0));
  project.removeSourceFile(f);
}
