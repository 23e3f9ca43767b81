// No import cycle in the generator or the runtime (issue 17): a loop between modules means neither can
// be read, tested or moved without the other. Type-only and dynamic imports count too: they tie the
// modules' designs together just the same. madge reads the imports; tsconfig maps `./x.js` to `./x.ts`.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TREES = ["generator", "templates/runtime/src"];

async function importGraph() {
  return madge(
    TREES.map((t) => path.join(ROOT, t)),
    {
      baseDir: ROOT,
      fileExtensions: ["ts"],
      tsConfig: path.join(ROOT, "tsconfig.json"),
      detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
    },
  );
}

describe("import graph of generator/ and templates/runtime/src/", () => {
  it("reads every module and resolves every import (else a cycle could hide behind a skipped file)", async () => {
    const graph = await importGraph();
    expect(graph.warnings().skipped).toEqual([]);
    const modules = Object.keys(graph.obj());
    for (const tree of TREES)
      expect(
        modules.some((m) => m.startsWith(`${tree}/`)),
        tree,
      ).toBe(true);
    // A module known to import others locally has edges: the resolver maps `.js` specifiers to `.ts` files.
    for (const m of modules) expect(existsSync(path.join(ROOT, m)), m).toBe(true);
    expect(Object.values(graph.obj()).some((deps) => deps.length > 0)).toBe(true);
  });

  it("has no circular import", async () => {
    const cycles = (await importGraph()).circular().map((cycle) => [...cycle, cycle[0]].join(" -> "));
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([]);
  });
});
