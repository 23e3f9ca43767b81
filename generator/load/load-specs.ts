// Load: find the spec files under a folder and parse each with positions.
import { SpecDocument, type DocumentAnswers } from "./spec-document.js";
import type { Diagnostic } from "../shared/diagnostic.js";
import { loadProtocolPlugin } from "../protocols/load-plugin.js";
import { scanSpecs, type SpecFile } from "./scan-specs.js";

export { scanSpecs, type ScannedSpecs, type SpecFile } from "./scan-specs.js";

export interface LoadedSpecs {
  protocols: SpecDocument[];
  services: SpecDocument[];
  operations: SpecDocument[];
  /** Display path → text, for printing the offending line. */
  texts: Map<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * `reuse`: documents parsed by an earlier load, by kind, folder and path (watch keeps one): a file
 * whose text is unchanged is not parsed again. Documents are never changed after parsing. `answers`:
 * what a parse of this very file gave (spec-document.ts), to parse it only if asked something new.
 */
export function parseSpec(spec: SpecFile, reuse?: Map<string, SpecDocument>, answers?: DocumentAnswers): SpecDocument {
  const key = `${spec.kind}\0${spec.serviceDir ?? ""}\0${spec.file}`;
  const known = reuse?.get(key);
  const doc = known?.text === spec.text ? known : new SpecDocument(spec.file, spec.kind, spec.text, spec.serviceDir, answers);
  reuse?.set(key, doc);
  return doc;
}

export async function loadSpecs(specsDir: string, displayBase = process.cwd(), reuse?: Map<string, SpecDocument>): Promise<LoadedSpecs> {
  const scanned = await scanSpecs(specsDir, displayBase);
  const result: LoadedSpecs = { protocols: [], services: [], operations: [], texts: scanned.texts, diagnostics: scanned.diagnostics };
  for (const spec of scanned.protocols) {
    const doc = parseSpec(spec, reuse);
    result.protocols.push(doc);
    result.diagnostics.push(...doc.diagnostics);
    // A protocol the generator does not ship names its plugin, registered before the checks run.
    result.diagnostics.push(...(await loadProtocolPlugin(doc, spec.abs)));
  }
  for (const group of scanned.services) {
    for (const spec of [group.service, ...group.operations]) {
      const doc = parseSpec(spec, reuse);
      (spec.kind === "service" ? result.services : result.operations).push(doc);
      result.diagnostics.push(...doc.diagnostics);
    }
  }
  return result;
}
