// The built Node entries of the runtime (`<entry>-node.js`, what `<entry>` resolves to under the `node`
// condition): a Node import loads one instead of the other, so the Node build imports nothing from its
// default build (a cold import would load both files) nor the root (only its core), and no other entry imports from the Node build.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPackages } from "../../generator/build/build-packages.js";
import { GENERATED } from "../helpers.js";

// The runtime built from generated/ in a folder of its own (dist/ is not committed; a clean checkout has none).
const staged = mkdtempSync(path.join(tmpdir(), "node-build-entries-"));
cpSync(path.join(GENERATED, "runtime"), path.join(staged, "runtime"), {
  recursive: true,
  filter: (from) => path.relative(path.join(GENERATED, "runtime"), from) !== "dist",
});
const built = await buildPackages(staged);
afterAll(() => rmSync(staged, { recursive: true, force: true }));

const DIST = path.join(staged, "runtime", "dist", "esm");
const entries = existsSync(DIST) ? readdirSync(DIST).filter((f) => f.endsWith(".js")) : [];
const nodeBuilds = entries.filter((f) => f.endsWith("-node.js") && entries.includes(f.replace(/-node\.js$/, ".js")));

/** The sibling files a built entry imports, statically or dynamically (`./index.js`…); the core by the package's `/core` subpath too (`core.js` in Node). */
const siblingImports = (file: string): string[] => [
  ...new Set(
    [...readFileSync(path.join(DIST, file), "utf8").matchAll(/\b(?:from|import)\s*\(?\s*"(?:\.\/([^"]+)|@rtc-apigen\/runtime\/(core))"/g)].map(
      (m) => m[1] ?? `${m[2]}.js`,
    ),
  ),
];

describe("the runtime's built Node entries", () => {
  it("exist (tc3-node.js)", () => {
    expect(built.diagnostics).toEqual([]);
    expect(existsSync(DIST)).toBe(true);
    expect(nodeBuilds).toContain("tc3-node.js");
  });

  describe.each(nodeBuilds)("%s", (file) => {
    const defaultBuild = file.replace(/-node\.js$/, ".js");

    it(`imports nothing from ${defaultBuild}, only the shared core (not the whole root)`, () => {
      const imported = siblingImports(file);
      expect(imported).toContain("core.js");
      expect(imported).not.toContain("index.js");
      expect(imported).not.toContain(defaultBuild);
    });

    it("is imported by no other entry", () => {
      for (const other of entries.filter((f) => f !== file)) expect(siblingImports(other), other).not.toContain(file);
    });

    it(`exports at run time what ${defaultBuild} does (but what it exports only for the sibling entries that import it)`, async () => {
      const node = (await import(path.join(DIST, file))) as Record<string, unknown>;
      const standard = (await import(path.join(DIST, defaultBuild))) as Record<string, unknown>;
      // An entry bundled first holds the modules it shares with later ones, and exports what they import of them.
      const lent = new Set(
        entries
          .filter((f) => f !== defaultBuild)
          .flatMap((f) =>
            [...readFileSync(path.join(DIST, f), "utf8").matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*"\.\/([^"]+)"/g)]
              .filter((m) => m[2] === defaultBuild)
              .flatMap((m) => m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!)),
          ),
      );
      expect(Object.keys(node).sort()).toEqual(
        Object.keys(standard)
          .filter((n) => n in node || !lent.has(n))
          .sort(),
      );
      // The root's bindings, not copies: one ApiError for `instanceof`.
      expect(node.ApiError).toBe(standard.ApiError);
    });
  });
});
