// typia as a contender, ahead of time: for every service, a source file calling
// `typia.createIs<Shape>()` on the generated types of every case's shape, turned into plain checks by
// `typia generate` (its AOT mode) and compiled to JavaScript with esbuild, in a scratch folder of
// the bench (never in generated/). typia checks the TypeScript types only: no integer, range,
// length or pattern checks.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { transform } from "esbuild";
import type { MeasureCase } from "./validators-measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = promisify(execFile);

/** Writes `<dir>/<service>.mjs` per service, each exporting `is`: shape name → typia's check. Returns `dir`. */
export async function prepareTypia(generatedDir: string, cases: readonly MeasureCase[], dir: string): Promise<string> {
  const shapes = new Map<string, Set<string>>();
  for (const c of cases) (shapes.get(c.service) ?? shapes.set(c.service, new Set()).get(c.service)!).add(c.shape);
  for (const sub of ["src", "types"]) mkdirSync(path.join(dir, sub), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "typia-bench", private: true, type: "module" }));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, noEmit: true },
      include: ["src", "types"],
    }),
  );
  for (const [service, names] of shapes) {
    cpSync(path.join(generatedDir, service, "src", "types.ts"), path.join(dir, "types", `${service}.ts`));
    const entries = [...names].sort().map((n) => `  ${n}: typia.createIs<T.${n}>(),`);
    writeFileSync(
      path.join(dir, "src", `${service}.ts`),
      `import typia from "typia";\nimport type * as T from "../types/${service}.js";\nexport const is = {\n${entries.join("\n")}\n};\n`,
    );
  }
  await run(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "typia", "lib", "executable", "typia.js"),
      "generate",
      "--input",
      "src",
      "--output",
      "out",
      "--project",
      "tsconfig.json",
    ],
    { cwd: dir, maxBuffer: 64 << 20 },
  );
  for (const f of readdirSync(path.join(dir, "out"))) {
    const js = await transform(readFileSync(path.join(dir, "out", f), "utf8"), { loader: "ts", format: "esm", target: "es2022" });
    writeFileSync(path.join(dir, f.replace(/\.ts$/, ".mjs")), js.code);
  }
  return dir;
}
