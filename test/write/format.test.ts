// The writer formats generated TypeScript with prettier's CommonJS standalone build and its two
// TypeScript plugins: bin/precompiled.js compiles CommonJS from V8's code cache, where prettier's ES
// build would be compiled again on every cold run. The output must be what prettier's own API gives.
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatFiles } from "../../generator/write/format.js";

const require = createRequire(import.meta.url);
const SOURCES = [
  "export const a = {b:1,c:[1,2,3], d: function(x: number){return x*2}}\n",
  "/** doc */\nexport interface T { readonly a?: string|undefined; b: Array<{c: number}> }\nexport type U = T['a'] extends string ? 1 : 2\n",
  `export async function* f<T>(xs: Iterable<T>) { for (const x of xs) { yield await Promise.resolve(x) } }\n`,
];

describe("formatFiles", () => {
  it("formats through prettier's CommonJS build, byte for byte as prettier's API does with the same options", async () => {
    const out = await formatFiles(SOURCES.map((content, i) => ({ path: `f${i}.ts`, content })));
    const loaded = Object.keys(require.cache);
    expect(loaded.some((f) => f.endsWith(path.join("prettier", "standalone.js")))).toBe(true);
    expect(loaded.some((f) => f.endsWith(path.join("prettier", "plugins", "typescript.js")))).toBe(true);
    const prettier = await import("prettier");
    for (const [i, source] of SOURCES.entries()) {
      const expected = await prettier.format(source, { printWidth: 120, trailingComma: "all", endOfLine: "lf", parser: "typescript" });
      expect(out[i]!.content).toBe(expected);
    }
  });

  it("leaves preformatted files and non-TypeScript files as they are", async () => {
    const files = [
      { path: "a.ts", content: "const  x=1", preformatted: true },
      { path: "b.json", content: '{ "a":1 }' },
    ];
    expect(await formatFiles(files)).toEqual(files);
  });
});
