// Load: find the spec files under a folder and parse each with positions.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { SpecDocument } from "./spec-document.js";
import { decodeUtf8 } from "./decode-utf8.js";
import type { Diagnostic } from "../shared/diagnostic.js";
import { loadProtocolPlugin } from "../protocols/load-plugin.js";

export interface LoadedSpecs {
  protocols: SpecDocument[];
  services: SpecDocument[];
  operations: SpecDocument[];
  /** Display path → text, for printing the offending line. */
  texts: Map<string, string>;
  diagnostics: Diagnostic[];
}

const PROTOCOLS_DIR = "protocols";
const SCHEMA_DIR = "schema";
const SERVICE_FILE = "service.yaml";

function isYaml(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml");
}

/**
 * Layout: `<specs>/protocols/<name>.yaml`, `<specs>/<service>/service.yaml`,
 * `<specs>/<service>/<Operation>.yaml`. `<specs>/schema/` holds the format's JSON Schemas.
 */
/**
 * `reuse`: documents parsed by an earlier load, by kind, folder and path (watch keeps one): a file
 * whose text is unchanged is not parsed again. Documents are never changed after parsing.
 */
export async function loadSpecs(specsDir: string, displayBase = process.cwd(), reuse?: Map<string, SpecDocument>): Promise<LoadedSpecs> {
  const result: LoadedSpecs = { protocols: [], services: [], operations: [], texts: new Map(), diagnostics: [] };
  const display = (abs: string) => path.relative(displayBase, abs).split(path.sep).join("/");
  const entries = (await readdir(specsDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));

  const read = async (abs: string, kind: SpecDocument["kind"], serviceDir?: string) => {
    const decoded = decodeUtf8(await readFile(abs));
    const key = `${kind}\0${serviceDir ?? ""}\0${display(abs)}`;
    const known = reuse?.get(key);
    const doc = known?.text === decoded.text ? known : new SpecDocument(display(abs), kind, decoded.text, serviceDir);
    reuse?.set(key, doc);
    result.texts.set(doc.file, decoded.text);
    if ("bad" in decoded) {
      const { line, col, byte } = decoded.bad;
      const hex = byte.toString(16).toUpperCase().padStart(2, "0");
      result.diagnostics.push({ file: doc.file, line, col, severity: "error", rule: "yaml-syntax", message: `byte 0x${hex} is not valid UTF-8; spec files must be UTF-8 (re-save the file as UTF-8)` });
    }
    result.diagnostics.push(...doc.diagnostics);
    return doc;
  };

  for (const entry of entries) {
    const abs = path.join(specsDir, entry.name);
    if (!entry.isDirectory()) {
      if (isYaml(entry.name))
        result.diagnostics.push({ file: display(abs), line: 1, col: 1, severity: "warning", rule: "spec-layout", message: "spec files belong in protocols/ or in a service folder; this file is ignored" });
      continue;
    }
    if (entry.name === SCHEMA_DIR) continue;
    const files = (await readdir(abs, { withFileTypes: true })).filter((f) => f.isFile() && isYaml(f.name)).map((f) => f.name).sort();
    if (entry.name === PROTOCOLS_DIR) {
      for (const f of files) {
        const doc = await read(path.join(abs, f), "protocol");
        result.protocols.push(doc);
        // A protocol the generator does not ship names its plugin, registered before the checks run.
        result.diagnostics.push(...(await loadProtocolPlugin(doc, path.join(abs, f))));
      }
      continue;
    }
    if (!files.includes(SERVICE_FILE)) {
      // Report on the folder's first spec file (a folder has no line to point at), with its text
      // so the offending line can be shown.
      const [first] = files;
      if (first !== undefined) {
        const firstAbs = path.join(abs, first);
        result.texts.set(display(firstAbs), decodeUtf8(await readFile(firstAbs)).text);
        const near = files.find((f) => f.toLowerCase() === SERVICE_FILE || f.toLowerCase() === "service.yml");
        const hint = near ? ` (found "${near}"; the name must be exactly ${SERVICE_FILE})` : "";
        const ignored = files.length === 1 ? `${first} is` : `its ${files.length} spec files are`;
        result.diagnostics.push({
          file: display(firstAbs), line: 1, col: 1, severity: "error", rule: "spec-layout",
          message: `service folder "${entry.name}" has no ${SERVICE_FILE}${hint}, so ${ignored} not loaded`,
        });
      }
      continue;
    }
    for (const f of files) {
      const doc = await read(path.join(abs, f), f === SERVICE_FILE ? "service" : "operation", entry.name);
      (f === SERVICE_FILE ? result.services : result.operations).push(doc);
    }
  }
  return result;
}
