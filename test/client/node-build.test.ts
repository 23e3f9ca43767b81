// A runtime entry with a Node build (`tc3` and `tc3-node`): the package resolves the entry to its
// Node build under the `node` condition, so both must export the same names (an app sees one or the
// other by its bundler's or runtime's conditions), and the Node build's client signs as the other's.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED } from "../helpers.js";

const RUNTIME = path.join(GENERATED, "runtime");
const nodeBuilds = readdirSync(path.join(RUNTIME, "src"))
  .filter((f) => f.endsWith("-node.ts"))
  .map((f) => f.slice(0, -"-node.ts".length));
const exportsMap = (JSON.parse(readFileSync(path.join(RUNTIME, "package.json"), "utf8")) as { exports: Record<string, Record<string, string>> })
  .exports;

describe("the runtime's Node builds", () => {
  it("exist (tc3 has one)", () => expect(nodeBuilds).toContain("tc3"));

  describe.each(nodeBuilds)("%s", (entry) => {
    it("resolves to its Node build under the node condition, before the default, with the default's types", () => {
      const conditions = exportsMap[`./${entry}`]!;
      // Bundlers' conditions, where there are some, come first: a bundler gets the entry's bundlers' build.
      expect(Object.keys(conditions).filter((c) => !["module", "worker", "browser"].includes(c))).toEqual(["types", "node", "default"]);
      expect(conditions).toMatchObject({ types: `./dist/esm/${entry}.d.ts`, node: `./dist/esm/${entry}-node.js`, default: `./dist/esm/${entry}.js` });
    });

    it("exports what the default build exports", async () => {
      const defaultBuild = (await import(path.join(RUNTIME, "src", `${entry}.ts`))) as Record<string, unknown>;
      const nodeBuild = (await import(path.join(RUNTIME, "src", `${entry}-node.ts`))) as Record<string, unknown>;
      expect(Object.keys(nodeBuild).sort()).toEqual(Object.keys(defaultBuild).sort());
    });
  });
});
