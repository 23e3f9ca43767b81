// Each emitter of index.ts's EMITTERS by name, loaded alone: a run that emits a few units again (after
// an edit) loads only their emitters, not the validators emitter and ts-morph under it.
// test/emit/emitter-loaders.test.ts keeps this list equal to EMITTERS.
import type { Emitter } from "./generated-file.js";

export const EMITTER_LOADERS: Readonly<Record<string, () => Promise<Emitter>>> = {
  types: async () => (await import("./types-emitter.js")).typesEmitter,
  validators: async () => (await import("./validators-emitter.js")).validatorsEmitter,
  client: async () => (await import("./client-emitter.js")).clientEmitter,
  mock: async () => (await import("./mock-emitter.js")).mockEmitter,
  "json-schema": async () => (await import("./json-schema-emitter.js")).jsonSchemaEmitter,
  docs: async () => (await import("./docs-emitter.js")).docsEmitter,
  package: async () => (await import("./package-emitter.js")).packageEmitter,
  runtime: async () => (await import("./runtime-emitter.js")).runtimeEmitter,
  openapi: async () => (await import("./openapi-emitter.js")).openApiEmitter,
};
