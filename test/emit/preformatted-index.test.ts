// The packages' index files are written as prettier would write them (so that a run needing no other
// formatting never loads prettier): prettier, with the generator's options, must leave them as they are.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PRINT_WIDTH } from "../../generator/emit/generated-file.js";
import { exportList, packageEmitter } from "../../generator/emit/package-emitter.js";
import { realIr } from "../helpers.js";

const prettierOptions = { printWidth: PRINT_WIDTH, trailingComma: "all" as const, endOfLine: "lf" as const, parser: "typescript" };
const format = async (source: string) => (await import("prettier")).format(source, prettierOptions);

describe("preformatted index files", () => {
  it("are what prettier writes, for every service of the specs", async () => {
    const ir = await realIr();
    const indexes = ir.services.flatMap((s) => packageEmitter.emitService!(s, ir).filter((f) => /\/src\/index[^/]*\.ts$/.test(f.path)));
    expect(indexes.length).toBeGreaterThanOrEqual(2 * ir.services.length);
    for (const f of indexes) {
      expect(f.preformatted, f.path).toBe(true);
      expect(f.content, f.path).toBe(await format(f.content));
    }
  });

  it("lay out an export list as prettier does, on either side of the width", async () => {
    const name = fc.stringMatching(/^[A-Za-z_$][\w$]{0,130}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 6 }), fc.stringMatching(/^\.\/[a-z-]{1,40}\.js$/), async (names, from) => {
        const text = exportList([...new Set(names)], from) + "\n";
        expect(text).toBe(await format(text));
      }),
      { numRuns: 200 },
    );
    // One name past the width stays on its line (prettier breaks a list of two or more only).
    for (const names of [["A".repeat(130)], ["A".repeat(60), "B".repeat(60)]]) {
      const text = exportList(names, "./x.js") + "\n";
      expect(text).toBe(await format(text));
    }
  });
});
