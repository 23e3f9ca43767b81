import { mkdirSync, writeFileSync } from "node:fs";
import * as prettier from "prettier";
import { loadSpecs } from "./generator/load/load-specs.js";
import { checkSpecs } from "./generator/check/check-specs.js";
import { validatorsEmitter } from "./generator/emit/validators-emitter.js";
import { validatorsEmitter as oldEmitter } from "./.c-old/validators-emitter.js";
const [specsDir, outDir] = [process.argv[2] ?? "specs", process.argv[3] ?? "/tmp/c/cmp"];
const ir = checkSpecs(await loadSpecs(specsDir)).ir!;
const opts = { printWidth: 120, trailingComma: "all" as const, endOfLine: "lf" as const, parser: "typescript" };
for (const [label, e] of [["old", oldEmitter], ["new", validatorsEmitter]] as const) {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (const s of ir.services) e.emitService!(s, ir); times.push(performance.now() - t0); }
  console.log(label, "emit ms", times.map((t) => t.toFixed(0)).join(" "));
  for (const s of ir.services) for (const f of e.emitService!(s, ir)) {
    for (const [kind, text] of [["raw", f.content], ["fmt", await prettier.format(f.content, opts)]] as const) {
      const p = `${outDir}/${label}/${kind}/${f.path}`;
      mkdirSync(p.replace(/\/[^/]+$/, ""), { recursive: true });
      writeFileSync(p, text);
    }
  }
}
