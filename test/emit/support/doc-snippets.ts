// The TypeScript blocks of the generated docs, written out as files, one per block.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GENERATED } from "../../helpers.js";

export interface DocSnippet {
  /** The service folder the page belongs to. */
  service: string;
  /** `<service>/docs/<Op>.md` */
  from: string;
  file: string;
}

export function writeDocSnippets(dir: string): DocSnippet[] {
  const out: DocSnippet[] = [];
  for (const service of readdirSync(GENERATED, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const docs = path.join(GENERATED, service.name, "docs");
    let pages: string[];
    try {
      pages = readdirSync(docs).filter((f) => f.endsWith(".md"));
    } catch {
      continue;
    }
    for (const page of pages) {
      const text = readFileSync(path.join(docs, page), "utf8");
      [...text.matchAll(/```ts\n([\s\S]*?)```/g)].forEach((m, i) => {
        const file = path.join(dir, `${service.name}-${page.replace(/\.md$/, "")}-${i}.ts`);
        writeFileSync(file, m[1]!);
        out.push({ service: service.name, from: `${service.name}/docs/${page}`, file });
      });
    }
  }
  return out;
}
