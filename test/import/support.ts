// Shared by the import tests: the official metadata, a self-contained temp specs tree, IR signatures.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readApiJson, readExamplesJson, type ApiJson, type ExamplesJson } from "../../generator/import/api-json.js";
import { METADATA_DIR } from "../../generator/import/build-corpus.js";
import type { Operation, Service, TypeRef } from "../../generator/ir/types.js";
import { build } from "../../generator/pipeline.js";
import { wireType } from "../../generator/emit/describe.js";
import { SPECS } from "../helpers.js";

export interface Metadata {
  api: ApiJson;
  intl: ApiJson;
  examples: ExamplesJson;
}

export async function metadata(file: "lcic-2022-08-17" | "trtc-2019-07-22"): Promise<Metadata> {
  return {
    api: await readApiJson(path.join(METADATA_DIR, `${file}.api.json`)),
    intl: await readApiJson(path.join(METADATA_DIR, `${file}.intl.api.json`)),
    examples: await readExamplesJson(path.join(METADATA_DIR, `${file}.examples.json`)),
  };
}

const temps: string[] = [];

/** A temp folder, removed by removeTemps (call it from afterAll). */
export async function tempDir(prefix = "apigen-import-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export async function removeTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A temp `specs/` with copies of protocols/ and schema/, ready for service folders. */
export async function tempSpecs(prefix = "apigen-import-"): Promise<string> {
  const specs = path.join(await tempDir(prefix), "specs");
  await mkdir(specs, { recursive: true });
  for (const dir of ["protocols", "schema"]) await cp(path.join(SPECS, dir), path.join(specs, dir), { recursive: true });
  return specs;
}

const shapeNames = (t: TypeRef): string[] =>
  t.kind === "shape" ? [t.name] : t.kind === "array" ? shapeNames(t.items) : t.kind === "union" ? t.members.flatMap(shapeNames) : [];

/** Every field the operation reaches, as `Shape.Field: type js required nullable`, sorted. */
export function signature(service: Service, op: Operation): string[] {
  const shapes = new Map(service.shapes.map((s) => [s.name, s]));
  const lines: string[] = [];
  const seen = new Set<string>();
  const walk = (label: string, fields: Operation["request"]["fields"]) => {
    for (const f of fields) {
      lines.push(`${label}.${f.name}: ${wireType(f.type)}${f.js ? ` js=${f.js}` : ""} required=${f.required} nullable=${f.nullable}`);
      for (const n of shapeNames(f.type))
        if (!seen.has(n)) {
          seen.add(n);
          walk(n, shapes.get(n)?.fields ?? []);
        }
    }
  };
  walk("request", op.request.fields);
  walk("response", op.response.fields);
  return lines.sort();
}

/** A spec text as a reviewer leaves it once every import decision is settled: no TODO(import) mark. */
export function settled(yaml: string): string {
  const text = yaml.replaceAll("TODO(import)", "settled");
  // Translating is the reviewer's part; a test cannot, so it lets the Chinese fallback stand.
  if (!/[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/u.test(text)) return text;
  return text.replace(
    /^(name|service): .*$/m,
    (line) => `${line}\nsuppress:\n  non-english-text: the test settles the import without translating it`,
  );
}

/** Settle every spec file under `dir` (see `settled`). */
export async function settleTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile() && e.name.endsWith(".yaml")) {
      const file = path.join(e.parentPath, e.name);
      await writeFile(file, settled(await readFile(file, "utf8")));
    }
}

/** Build a settled copy of a specs tree (the tree itself is left as imported). */
export async function buildSettled(specs: string): Promise<Awaited<ReturnType<typeof build>>> {
  const copy = path.join(await tempDir("apigen-import-settled-"), "specs");
  await cp(specs, copy, { recursive: true });
  await settleTree(copy);
  return build(copy, path.dirname(copy));
}

/** The rules an imported spec may fail on: the decisions the importer leaves to the maintainer. */
export const MAINTAINER_DECISIONS: ReadonlySet<string> = new Set(["import-todo", "non-english-text"]);
