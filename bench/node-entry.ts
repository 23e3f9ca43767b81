// Kept apart from bench.ts so that measuring processes import nothing else.
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The file Node loads for `specifier` (a package name or one of its subpaths) from an install made
 * by installBuiltPackages in `dir`: the package's `exports` under Node's conditions, so a service
 * root resolves to its Node build, not the bundlers' one.
 */
export function nodeEntry(dir: string, specifier: string): string {
  return createRequire(path.join(dir, "package.json")).resolve(specifier);
}
