// The spec format's validators, compiled by Ajv once per set of schemas and kept as standalone code
// (ajv/dist/standalone) in node_modules/.cache/rtc-apigen/ajv, keyed by a hash of the schemas, Ajv's
// version and the options: compiling them costs ~100 ms a run, loading the code a few. The file
// carries a SHA-256 of its code; one that does not match, or does not load, is compiled again.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Options, ValidateFunction } from "ajv";
import { GENERATOR_CACHE_DIR } from "../shared/cache-dir.js";

export const AJV_CACHE_DIR = path.join(GENERATOR_CACHE_DIR, "ajv");
const require = createRequire(import.meta.url);
const OPTIONS: Options = { allErrors: true, verbose: true, strict: false };
/** Bump when the file format changes. */
const FORMAT = "1";

type Schema = Record<string, unknown>;

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function ajvVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("ajv/package.json"), "utf8")) as { version: string }).version;
}

/** Runs standalone code as a CommonJS module; its `require`s (ajv/dist/runtime/*) resolve from here. */
function load<K extends string>(code: string, names: readonly K[]): Record<K, ValidateFunction> | undefined {
  const module = { exports: {} as Record<string, unknown> };
  new Function("require", "module", "exports", code)(require, module, module.exports);
  return names.every((n) => typeof module.exports[n] === "function") ? (module.exports as Record<K, ValidateFunction>) : undefined;
}

/**
 * One validator per entry of `schemas` (each with an `$id`), all compiled against `shared` (added
 * first, referenced by `$ref`). `dir`: where the compiled code is kept (undefined: not kept).
 */
export function compileValidators<K extends string>(
  shared: readonly Schema[],
  schemas: Record<K, Schema>,
  dir: string | undefined = AJV_CACHE_DIR,
): Record<K, ValidateFunction> {
  const names = Object.keys(schemas) as K[];
  const key = sha(JSON.stringify([FORMAT, ajvVersion(), OPTIONS, shared, schemas]));
  const file = dir && path.join(dir, `${key}.cjs`);
  if (file) {
    try {
      const text = readFileSync(file, "utf8");
      const nl = text.indexOf("\n");
      const code = text.slice(nl + 1);
      if (text.slice(0, nl) === `// ${sha(code)}`) {
        const loaded = load(code, names);
        if (loaded) return loaded;
      }
    } catch {
      // No compiled code yet, or unusable: compile.
    }
  }
  // Loaded only here: a run with the compiled code at hand never loads Ajv's compiler.
  const { Ajv } = require("ajv") as typeof import("ajv");
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  for (const s of shared) ajv.addSchema(s);
  const byName = {} as Record<K, ValidateFunction>;
  for (const n of names) byName[n] = ajv.compile(schemas[n]);
  if (!file) return byName;
  try {
    const standaloneCode = (require("ajv/dist/standalone") as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;
    const code = standaloneCode(ajv, Object.fromEntries(names.map((n) => [n, String(schemas[n].$id)])));
    mkdirSync(dir!, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `// ${sha(code)}\n${code}`);
    renameSync(tmp, file);
  } catch {
    rmSync(`${file}.${process.pid}.tmp`, { force: true });
  }
  return byName;
}
