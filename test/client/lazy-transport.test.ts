// A cold import of a service package does not parse the built-in transports (the HTTP/1.1 client,
// the proxy tunnel): the client imports the runtime's `transport` entry on its first request. Checked on the module graph esbuild sees when it follows static imports only (a
// dynamic import stays one): what Node loads when the package is imported.
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import { GENERATED, realIr } from "../helpers.js";
import { runtimeAliases } from "./support/runtime-aliases.js";

const ir = await realIr();
const RUNTIME_SRC = path.join(GENERATED, "runtime", "src");

/** Dynamic imports stay imports: the graph is what an `import` of the entry loads before it runs. */
const dynamicStaysImport: Plugin = {
  name: "dynamic-stays-import",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === "dynamic-import" ? { path: path.resolve(args.resolveDir, args.path), external: true } : undefined,
    );
  },
};

async function staticGraph(entry: string): Promise<{ inputs: string[]; dynamic: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    alias: runtimeAliases(),
    plugins: [dynamicStaysImport],
  });
  const rel = (f: string) => path.relative(RUNTIME_SRC, path.resolve(f)).split(path.sep).join("/");
  const inputs = Object.keys(result.metafile.inputs).map(rel);
  const dynamic = Object.values(result.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.kind === "dynamic-import").map((x) => rel(x.path)));
  return { inputs, dynamic };
}

/** The runtime modules only a request needs. */
const TRANSPORT_MODULES = ["client/transport.ts", "client/http1.ts", "client/proxy.ts"];

describe.each(ir.services.map((s) => [s.id] as const))("%s: importing the package", (id) => {
  it("loads the client core but none of the built-in transports, which the client imports on demand", async () => {
    const { inputs, dynamic } = await staticGraph(path.join(GENERATED, id, "src", "index.ts"));
    expect(inputs).toContain("client/client-core.ts");
    expect(inputs.filter((f) => TRANSPORT_MODULES.includes(f))).toEqual([]);
    expect(dynamic).toContain("transport.js");
  });

  it("loads none of the call path (the runtime's `call` entry), which the client imports on its first call", async () => {
    const { inputs, dynamic } = await staticGraph(path.join(GENERATED, id, "src", "index.ts"));
    expect(inputs).not.toContain("client/client-call.ts");
    expect(dynamic).toContain("call.js");
  });
});

describe("the runtime's transport entry", () => {
  it("holds the transports the client loads on demand, but not proxy support (an opt-in import: `proxy: httpProxy()`)", async () => {
    const { inputs } = await staticGraph(path.join(RUNTIME_SRC, "transport.ts"));
    for (const m of TRANSPORT_MODULES.filter((m) => m !== "client/proxy.ts")) expect(inputs).toContain(m);
    expect(inputs).not.toContain("client/proxy.ts");
    expect((await staticGraph(path.join(RUNTIME_SRC, "proxy.ts"))).inputs).toContain("client/proxy.ts");
  });
});
