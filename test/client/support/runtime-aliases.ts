// `@rtc-apigen/runtime` and its subpaths, resolved to the generated sources for esbuild: every
// module at the top of the runtime's src/ is an entry (`index` the main one, `mock`, `tc3`...). An
// entry with an `<entry>-node` sibling resolves to it under the `node` condition, as the package's
// exports map says (esbuild's node platform has that condition): `condition: "default"` for the other.
import { readdirSync } from "node:fs";
import path from "node:path";
import { GENERATED } from "../../helpers.js";

export function runtimeAliases(condition: "node" | "default" = "node"): Record<string, string> {
  const src = path.join(GENERATED, "runtime", "src");
  const files = readdirSync(src).filter((f) => f.endsWith(".ts"));
  const resolved = (f: string) => (condition === "node" && files.includes(f.replace(/\.ts$/, "-node.ts")) ? f.replace(/\.ts$/, "-node.ts") : f);
  return Object.fromEntries(
    files.map((f) => [f === "index.ts" ? "@rtc-apigen/runtime" : `@rtc-apigen/runtime/${f.slice(0, -3)}`, path.join(src, resolved(f))]),
  );
}
