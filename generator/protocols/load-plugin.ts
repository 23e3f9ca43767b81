// A protocol the generator does not ship: specs/protocols/<name>.yaml names its plugin module
// (`plugin: ./toy.plugin.ts`), which is imported and registered before the specs are checked.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../shared/diagnostic.js";
import type { SpecDocument } from "../load/spec-document.js";
import { registerProtocol } from "./index.js";
import type { ProtocolPlugin } from "./types.js";

const isPlugin = (v: unknown): v is ProtocolPlugin =>
  typeof v === "object" && v !== null && typeof (v as ProtocolPlugin).name === "string" && typeof (v as ProtocolPlugin).wireField === "string";

let tsLoader: Promise<unknown> | undefined;
/** A development dependency, loaded only for a TypeScript plugin (a variable, so bundlers and import scanners leave it to run time). */
const TSX_API = "tsx/esm/api";

/** A plugin may be TypeScript: when Node cannot load it as it runs (the precompiled CLI), through tsx's loader. */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
    tsLoader ??= (import(TSX_API) as Promise<{ register(): unknown }>).then(({ register }) => register());
    await tsLoader;
    // A new URL: Node keeps the failed load of the first one.
    return (await import(`${url}?ts`)) as Record<string, unknown>;
  }
}

/** Imports and registers the plugin a protocol document names, if any; a problem is a located diagnostic. */
export async function loadProtocolPlugin(doc: SpecDocument, absFile: string): Promise<Diagnostic[]> {
  const raw = doc.value as { protocol?: unknown; plugin?: unknown } | undefined;
  if (typeof raw?.plugin !== "string" || !raw.plugin) return [];
  const at = { ...doc.locate(["plugin"]), severity: "error" as const, rule: "protocol-plugin" };
  const file = path.resolve(path.dirname(absFile), raw.plugin);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (e) {
    return [{ ...at, message: `cannot load the protocol plugin ${raw.plugin}: ${(e as Error).message}` }];
  }
  const plugin = mod.default;
  if (!isPlugin(plugin))
    return [{ ...at, message: `${raw.plugin} has no default export that is a protocol plugin (an object with \`name\` and \`wireField\`)` }];
  if (plugin.name !== raw.protocol)
    return [{ ...at, message: `${raw.plugin} is the plugin of protocol "${plugin.name}", not "${String(raw.protocol)}"` }];
  try {
    registerProtocol(plugin);
  } catch (e) {
    return [{ ...at, message: (e as Error).message }];
  }
  return [];
}
