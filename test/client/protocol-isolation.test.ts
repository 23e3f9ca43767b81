// Issue 16 item 6: a service package pulls in only its own protocol's code. An app calling one
// method of a service's full client is bundled with esbuild twice: minified and tree-shaken (what
// an app's bundler ships), and with tree-shaking off (what loading the package brings: Node's
// import of the built package, a CommonJS bundle). Neither may hold another protocol's signing or
// envelope code, found by strings that code cannot do without.
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { GENERATED, realIr } from "../helpers.js";
import { runtimeAliases } from "./support/runtime-aliases.js";

const ir = await realIr();

/** Strings each protocol's runtime code holds: its signing and its envelope. */
const MARKERS: Record<string, readonly string[]> = {
  tc3: ["tc3_request", "x-tc-action"],
  "chat-rest": ["TLS.sig", "ActionStatus"],
};

async function bundle(serviceId: string, source: string, treeShaking: boolean): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: GENERATED, loader: "ts" },
    bundle: true,
    minify: treeShaking,
    treeShaking,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    alias: runtimeAliases(),
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

const protocols = [...new Set(ir.services.map((s) => s.protocol.name))];

describe.each(ir.services.map((s) => [s.id, s] as const))("%s: an app calling one method of its client", (_id, service) => {
  const op = service.operations[0]!;
  const source = [
    `import { ${service.clientName} } from ${JSON.stringify(path.join(GENERATED, service.id, "src", "index.ts"))};`,
    `new ${service.clientName}().${op.method}({} as never).catch(() => {});`,
  ].join("\n");
  const others = protocols.filter((p) => p !== service.protocol.name);

  it("knows the markers of every protocol the specs use", () => {
    expect(protocols.filter((p) => !MARKERS[p])).toEqual([]);
    for (const marker of MARKERS[service.protocol.name]!) expect(marker.length).toBeGreaterThan(0);
  });

  it.each([
    ["minified and tree-shaken", true],
    ["without tree-shaking (what loading the package brings)", false],
  ] as const)("%s, holds its own protocol's code and no other's", async (_how, treeShaking) => {
    const { code, inputs } = await bundle(service.id, source, treeShaking);
    for (const marker of MARKERS[service.protocol.name]!) expect(code, `own marker ${marker}`).toContain(marker);
    const found = others.flatMap((p) => MARKERS[p]!.filter((m) => code.includes(m)).map((m) => `${p}: ${m}`));
    expect(found).toEqual([]);
    // No module of another protocol's folder is even read.
    const foreign = inputs.filter((f) => others.some((p) => f.split(path.sep).join("/").includes(`/protocols/${p}/`)));
    expect(foreign).toEqual([]);
  });
});
