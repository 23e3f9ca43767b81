// Scan: find the spec files under a folder and read them, without parsing (no YAML library loaded).
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { decodeUtf8 } from "./decode-utf8.js";
import type { SpecKind } from "./spec-document.js";
import type { Diagnostic } from "../shared/diagnostic.js";

/** One spec file as read, not yet parsed. */
export interface SpecFile {
  abs: string;
  /** Display path, e.g. `specs/lcic/GetRoomEvent.yaml`. */
  file: string;
  kind: SpecKind;
  text: string;
  serviceDir?: string;
}

/** The spec files found, by role, with the problems of the layout and the encoding (no parsing yet). */
export interface ScannedSpecs {
  protocols: SpecFile[];
  /** Each service folder with its service.yaml and operation files (sorted by name). */
  services: Array<{ dir: string; service: SpecFile; operations: SpecFile[] }>;
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
export async function scanSpecs(specsDir: string, displayBase = process.cwd()): Promise<ScannedSpecs> {
  const result: ScannedSpecs = { protocols: [], services: [], texts: new Map(), diagnostics: [] };
  const display = (abs: string) => path.relative(displayBase, abs).split(path.sep).join("/");
  // Synchronous, as the reads: a few dozen folders, and a promise-based call queues behind any other work of the thread pool.
  const entries = readdirSync(specsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));

  const read = async (abs: string, kind: SpecKind, serviceDir?: string): Promise<SpecFile> => {
    const decoded = decodeUtf8(readFileSync(abs)); // synchronous: hundreds of small files, read one after another anyway
    const file = display(abs);
    result.texts.set(file, decoded.text);
    if ("bad" in decoded) {
      const { line, col, byte } = decoded.bad;
      const hex = byte.toString(16).toUpperCase().padStart(2, "0");
      result.diagnostics.push({
        file,
        line,
        col,
        severity: "error",
        rule: "yaml-syntax",
        message: `byte 0x${hex} is not valid UTF-8; spec files must be UTF-8 (re-save the file as UTF-8)`,
      });
    }
    return { abs, file, kind, text: decoded.text, ...(serviceDir !== undefined ? { serviceDir } : {}) };
  };

  for (const entry of entries) {
    const abs = path.join(specsDir, entry.name);
    if (!entry.isDirectory()) {
      if (isYaml(entry.name))
        result.diagnostics.push({
          file: display(abs),
          line: 1,
          col: 1,
          severity: "warning",
          rule: "spec-layout",
          message: "spec files belong in protocols/ or in a service folder; this file is ignored",
        });
      continue;
    }
    if (entry.name === SCHEMA_DIR) continue;
    const files = readdirSync(abs, { withFileTypes: true })
      .filter((f) => f.isFile() && isYaml(f.name))
      .map((f) => f.name)
      .sort();
    if (entry.name === PROTOCOLS_DIR) {
      for (const f of files) result.protocols.push(await read(path.join(abs, f), "protocol"));
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
          file: display(firstAbs),
          line: 1,
          col: 1,
          severity: "error",
          rule: "spec-layout",
          message: `service folder "${entry.name}" has no ${SERVICE_FILE}${hint}, so ${ignored} not loaded`,
        });
      }
      continue;
    }
    const group = { dir: entry.name, service: undefined as SpecFile | undefined, operations: [] as SpecFile[] };
    for (const f of files) {
      const spec = await read(path.join(abs, f), f === SERVICE_FILE ? "service" : "operation", entry.name);
      if (f === SERVICE_FILE) group.service = spec;
      else group.operations.push(spec);
    }
    result.services.push({ dir: group.dir, service: group.service!, operations: group.operations });
  }
  return result;
}
