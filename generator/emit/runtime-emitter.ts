// The shared runtime package: hand-written, unit-tested TypeScript in templates/runtime/src, copied
// with a header naming its template. Generated service packages import it; it knows no API.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import type { Ir } from "../ir/types.js";
import { protocolPlugins } from "../protocols/index.js";
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

/** The runtime package's entries: the modules at the top of src/ (`index`, `mock`, one per protocol...); the folders hold what they export. */
export function runtimeEntries(ir?: Ir): string[] {
  return [...runtimeSources(), ...addedProtocolSources(ir)]
    .map((s) => s.name)
    .filter((n) => !n.includes("/"))
    .map((n) => n.replace(/\.ts$/, ""));
}

/** The runtime files of the protocols the services use beyond those the runtime ships (their plugins' `runtime.files`). */
function addedProtocolSources(ir: Ir | undefined): Array<{ name: string; text: string; template: string }> {
  const used = new Set(ir?.services.map((s) => s.protocol.name) ?? []);
  return protocolPlugins()
    .filter((p) => used.has(p.name))
    .flatMap((p) => p.runtime?.files ?? [])
    .map((f) => ({ name: f.path, text: readFileSync(f.source, "utf8"), template: path.relative(process.cwd(), f.source).split(path.sep).join("/") }));
}

export const runtimeEmitter: Emitter = {
  name: "runtime",
  emitAll(ir: Ir): GeneratedFile[] {
    const files = [...runtimeSources().map((s) => ({ ...s, template: `templates/runtime/src/${s.name}` })), ...addedProtocolSources(ir)];
    return files.map(({ name, text, template }) => ({
      path: `runtime/src/${name}`,
      content: tsHeader([template]) + "\n" + text,
      // Already prettier-clean in the repo; formatting again would only cost time.
      preformatted: true,
    }));
  },
};
