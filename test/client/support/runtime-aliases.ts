// `@rtc-apigen/runtime` and its subpaths, resolved to the generated sources for esbuild: every
// module at the top of the runtime's src/ is an entry (`index` the main one, `mock`, `tc3`...).
import { readdirSync } from "node:fs";
import path from "node:path";
import { GENERATED } from "../../helpers.js";

export function runtimeAliases(): Record<string, string> {
  const src = path.join(GENERATED, "runtime", "src");
  return Object.fromEntries(
    readdirSync(src)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [f === "index.ts" ? "@rtc-apigen/runtime" : `@rtc-apigen/runtime/${f.slice(0, -3)}`, path.join(src, f)]),
  );
}
