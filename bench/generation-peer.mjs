// A peer generator over OpenAPI documents, in a process of its own (plain node, no tsx):
//
//   node bench/generation-peer.mjs openapi-typescript|hey-api <out dir> <openapi.json>...
//
// Writes each document's output under <out dir>/<n>/ as the tool's CLI would. The generation bench
// times this whole process, as it times `rtc-apigen generate`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [tool, outDir, ...files] = process.argv.slice(2);
if (!tool || !outDir || !files.length) throw new Error("usage: generation-peer.mjs openapi-typescript|hey-api <out dir> <openapi.json>...");
if (tool === "openapi-typescript") {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  for (const [i, file] of files.entries()) {
    const ast = await openapiTS(pathToFileURL(path.resolve(file)));
    mkdirSync(path.join(outDir, String(i)), { recursive: true });
    writeFileSync(path.join(outDir, String(i), "schema.d.ts"), astToString(ast));
  }
} else if (tool === "hey-api") {
  const { createClient } = await import("@hey-api/openapi-ts");
  // One config per document, run in one call, as its CLI does with a config file listing them.
  await createClient(
    files.map((file, i) => ({
      input: JSON.parse(readFileSync(file, "utf8")),
      output: { path: path.join(outDir, String(i)) },
      logs: { level: "silent" },
    })),
  );
} else throw new Error(`unknown peer ${tool}`);
