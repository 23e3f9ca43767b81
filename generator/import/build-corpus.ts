// The import corpus: every action of every api.json file of the official metadata (LCIC and TRTC),
// with the intl edition (--also) and the errors file (--errors) beside it, imported into a self-contained
// specs tree (`<outDir>/specs/{lcic,trtc}/` beside copies of specs/protocols and specs/schema), a
// stress test of the generator and the corpus of the import-corpus bench. Built on demand into a
// folder the caller chooses (a temp dir): it is derived data, so nothing of it is committed.
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importActions } from "./import-api-json.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The official metadata (PROTOCOLS.md §A), outside the repository. */
export const METADATA_DIR = path.resolve(ROOT, "../shared/reference/tencentcloud-api");
/** Error codes and rate-limit sentences per action (the official SDKs'), beside the api.json files. */
export const ERRORS_FILE = "action-errors.json";

/** Every product in the metadata folder: `<service>-<version>.api.json` (the intl edition beside it is merged in). */
async function corpusServices(metadataDir: string): Promise<Array<{ id: string; file: string }>> {
  return (await readdir(metadataDir))
    .filter((f) => f.endsWith(".api.json") && !f.endsWith(".intl.api.json"))
    .sort()
    .map((f) => ({ file: f.slice(0, -".api.json".length), id: f.slice(0, f.indexOf("-")) }));
}

export interface CorpusResult {
  /** Actions imported, both services together. */
  actions: number;
  services: string[];
  /** The specs root (`<outDir>/specs`). */
  specsDir: string;
}

/** Every `TODO(import)` mark of a specs tree replaced, as if a reviewer had settled each decision. */
export async function settleImportTodos(specsDir: string): Promise<void> {
  for (const e of await readdir(specsDir, { recursive: true, withFileTypes: true }))
    if (e.isFile() && e.name.endsWith(".yaml")) {
      const file = path.join(e.parentPath, e.name);
      const text = await readFile(file, "utf8");
      if (text.includes("TODO(import)")) await writeFile(file, text.replaceAll("TODO(import)", "settled"));
    }
}

/**
 * `settle`: replace the TODO(import) marks (see settleImportTodos), for callers that measure or
 * generate the corpus rather than review it: as imported, the lint rule import-todo fails it.
 */
export async function buildImportCorpus(outDir: string, metadataDir = METADATA_DIR, options: { settle?: boolean } = {}): Promise<CorpusResult> {
  const specsDir = path.join(outDir, "specs");
  await rm(specsDir, { recursive: true, force: true });
  await mkdir(specsDir, { recursive: true });
  // The tree must stand alone: protocols for the checks, schema for the `$schema` comments.
  for (const dir of ["protocols", "schema"]) await cp(path.join(ROOT, "specs", dir), path.join(specsDir, dir), { recursive: true });
  let actions = 0;
  const services = await corpusServices(metadataDir);
  const files = await readdir(metadataDir);
  const errors = path.join(metadataDir, ERRORS_FILE);
  for (const s of services) {
    const intl = path.join(metadataDir, `${s.file}.intl.api.json`);
    const result = await importActions({
      apiJson: path.join(metadataDir, `${s.file}.api.json`),
      ...(files.includes(path.basename(intl)) ? { also: intl } : {}),
      ...(files.includes(ERRORS_FILE) ? { errorCodes: errors } : {}),
      serviceDir: path.join(specsDir, s.id),
      service: { id: s.id, packageName: `@rtc-apigen-corpus/${s.id}` },
      // As the real specs name them: paths from the shared reference folder.
      sourceFile: (f) => `reference/tencentcloud-api/${path.basename(f)}`,
      overwrite: true,
    });
    actions += result.actions.length;
  }
  if (options.settle) await settleImportTodos(specsDir);
  return { actions, services: services.map((s) => s.id), specsDir };
}
