// The import corpus: every action of the LCIC and TRTC api.json files imported into a self-contained
// specs tree (`<outDir>/specs/{lcic,trtc}/` beside copies of specs/protocols and specs/schema), a
// stress test of the generator and the corpus of the import-corpus bench. Built on demand into a
// folder the caller chooses (a temp dir): it is derived data, so nothing of it is committed.
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importActions } from "./import-api-json.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The official metadata (PROTOCOLS.md §A), outside the repository. */
export const METADATA_DIR = path.resolve(ROOT, "../shared/reference/tencentcloud-api");

export const CORPUS_SERVICES = [
  { id: "lcic", file: "lcic-2022-08-17" },
  { id: "trtc", file: "trtc-2019-07-22" },
] as const;

export interface CorpusResult {
  /** Actions imported, both services together. */
  actions: number;
  services: string[];
  /** The specs root (`<outDir>/specs`). */
  specsDir: string;
}

export async function buildImportCorpus(outDir: string, metadataDir = METADATA_DIR): Promise<CorpusResult> {
  const specsDir = path.join(outDir, "specs");
  await rm(specsDir, { recursive: true, force: true });
  await mkdir(specsDir, { recursive: true });
  // The tree must stand alone: protocols for the checks, schema for the `$schema` comments.
  for (const dir of ["protocols", "schema"]) await cp(path.join(ROOT, "specs", dir), path.join(specsDir, dir), { recursive: true });
  let actions = 0;
  for (const s of CORPUS_SERVICES) {
    const intl = path.join(metadataDir, `${s.file}.intl.api.json`);
    const result = await importActions({
      apiJson: path.join(metadataDir, `${s.file}.api.json`),
      ...((await readdir(metadataDir)).includes(path.basename(intl)) ? { also: intl } : {}),
      serviceDir: path.join(specsDir, s.id),
      service: { id: s.id, packageName: `@rtc-apigen-corpus/${s.id}` },
      // As the real specs name them: paths from the shared reference folder.
      sourceFile: (f) => `reference/tencentcloud-api/${path.basename(f)}`,
      overwrite: true,
    });
    actions += result.actions.length;
  }
  return { actions, services: CORPUS_SERVICES.map((s) => s.id), specsDir };
}
