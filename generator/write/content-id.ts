// What names a generated file's content without reading it: the generation cache's entry it was
// stored in (an entry's key determines its content) and its place there. The writer compares a file
// with the output folder by this name and the file's stat when its output index (output-index.ts)
// saw that content there last, instead of reading the file.
import type { GeneratedFile } from "../emit/generated-file.js";

const ids = new WeakMap<GeneratedFile, string>();

export function contentId(file: GeneratedFile): string | undefined {
  return ids.get(file);
}

export function setContentId(file: GeneratedFile, id: string): void {
  ids.set(file, id);
}

const encoded = new WeakMap<GeneratedFile, () => Uint8Array | undefined>();

/**
 * The file's content as UTF-8 bytes already in memory (a cache entry's), if any: the writer writes
 * them as they are rather than decoding the content and encoding it again.
 */
export function encodedContent(file: GeneratedFile): Uint8Array | undefined {
  return encoded.get(file)?.();
}

export function setEncodedContent(file: GeneratedFile, bytes: () => Uint8Array | undefined): void {
  encoded.set(file, bytes);
}
