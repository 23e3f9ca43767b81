// A `generate` whose every service comes from the cache must not load the heavy libraries (issue 18:
// the fixed cost of a run is mostly loading them). This walks the static value imports (type-only
// and dynamic ones excluded: those load nothing, or only when a run needs them) from the generate
// command and looks for a value import of each library in the modules it reaches.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = "generator/cli/commands/generate.ts";
const HEAVY = ["ts-morph", "prettier", "yaml", "ajv", "typescript"];

/** Whether `source` has a value (not `import type`) import of `pkg` or one of its subpaths. */
function valueImports(source: string, pkg: string): boolean {
  const re = new RegExp(`^\\s*(?:import|export)\\s+(?!type\\b)[^;]*?from\\s+["']${pkg}(?:/[^"']*)?["']`, "ms");
  const bare = new RegExp(`^\\s*import\\s+["']${pkg}(?:/[^"']*)?["']`, "m");
  return re.test(source) || bare.test(source);
}

async function reachable(): Promise<string[]> {
  const graph = await madge(path.join(ROOT, ENTRY), {
    baseDir: ROOT,
    fileExtensions: ["ts"],
    tsConfig: path.join(ROOT, "tsconfig.json"),
    detectiveOptions: { ts: { skipTypeImports: true, skipAsyncImports: true } },
  });
  return Object.keys(graph.obj());
}

describe(`modules a cached run loads (static value imports from ${ENTRY})`, () => {
  it("finds the walk (the entry and the pipeline are reached)", async () => {
    const modules = await reachable();
    expect(modules).toContain(ENTRY);
    expect(modules.length).toBeGreaterThan(3);
  });

  it.each(HEAVY)("import no %s at value level", async (pkg) => {
    const offenders = (await reachable()).filter((m) => valueImports(readFileSync(path.join(ROOT, m), "utf8"), pkg));
    expect(offenders).toEqual([]);
  });
});
