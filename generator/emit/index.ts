// Emit: every emitter over the IR. Adding an artifact means adding an emitter here.
import type { Ir } from "../ir/types.js";
import { clientEmitter } from "./client-emitter.js";
import { docsEmitter } from "./docs-emitter.js";
import type { Emitter, GeneratedFile } from "./generated-file.js";
import { jsonSchemaEmitter } from "./json-schema-emitter.js";
import { mockEmitter } from "./mock-emitter.js";
import { openApiEmitter } from "./openapi-emitter.js";
import { packageEmitter } from "./package-emitter.js";
import { runtimeEmitter } from "./runtime-emitter.js";
import { typesEmitter } from "./types-emitter.js";
import { validatorsEmitter } from "./validators-emitter.js";

export const EMITTERS: readonly Emitter[] = [
  typesEmitter,
  validatorsEmitter,
  clientEmitter,
  mockEmitter,
  jsonSchemaEmitter,
  docsEmitter,
  packageEmitter,
  runtimeEmitter,
  openApiEmitter,
];

export function emitAll(ir: Ir, emitters: readonly Emitter[] = EMITTERS): GeneratedFile[] {
  const files = new Map<string, GeneratedFile>();
  const add = (emitter: Emitter, f: GeneratedFile) => {
    if (files.has(f.path)) throw new Error(`emitter ${emitter.name} writes ${f.path} twice`);
    files.set(f.path, f);
  };
  for (const emitter of emitters) {
    for (const service of ir.services) for (const f of emitter.emitService?.(service, ir) ?? []) add(emitter, f);
    for (const f of emitter.emitAll?.(ir) ?? []) add(emitter, f);
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
