// The shared runtime package: hand-written, unit-tested TypeScript in templates/runtime/src, copied
// with a header naming its template. Generated service packages import it; it knows no API.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tsHeader, type Emitter, type GeneratedFile } from "./generated-file.js";

export const RUNTIME_TEMPLATE_DIR = fileURLToPath(new URL("../../templates/runtime/src/", import.meta.url));

/** The runtime's source files by path under src/ (`client/client-core.ts`), sorted; read once per process. */
let cached: Array<{ name: string; text: string }> | undefined;
export function runtimeSources(): Array<{ name: string; text: string }> {
  cached ??= readdirSync(RUNTIME_TEMPLATE_DIR, { recursive: true, encoding: "utf8" })
    .map((n) => n.split("\\").join("/"))
    .filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts"))
    .sort()
    .map((name) => ({ name, text: readFileSync(RUNTIME_TEMPLATE_DIR + name, "utf8") }));
  return cached;
}

/** The runtime package's entries: the modules at the top of src/ (`index`, `mock`, `tc3`...); the folders hold what they export. */
export function runtimeEntries(): string[] {
  return runtimeSources()
    .map((s) => s.name)
    .filter((n) => !n.includes("/"))
    .map((n) => n.replace(/\.ts$/, ""));
}

export const runtimeEmitter: Emitter = {
  name: "runtime",
  emitAll(): GeneratedFile[] {
    return runtimeSources().map(({ name, text }) => ({
      path: `runtime/src/${name}`,
      content: tsHeader([`templates/runtime/src/${name}`]) + "\n" + text,
      // Already prettier-clean in the repo; formatting again would only cost time.
      preformatted: true,
    }));
  },
};
