// `build`: compile the generated packages to dist/esm (ES modules, with declarations).
import path from "node:path";
import { parseArgs } from "node:util";
import { buildPackages } from "../../build/build-packages.js";
import { EXIT, endProgress, progressTo, type Output } from "../../shared/output.js";

export const BUILD_USAGE = `Usage: rtc-apigen build [--out DIR]

Compiles every generated package (generated/*/src) to dist/esm, JavaScript and .d.ts (ES modules
only: Node >= 20.19 require()s them too), so that \`npm pack\` gives an installable package.

Exit codes: 0 built, 1 a package does not compile, 64 bad command line, 70 internal error.`;

export async function runBuild(argv: string[], out: Output, err: Output): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: "string", default: "generated" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    out.write(BUILD_USAGE + "\n");
    return EXIT.ok;
  }
  const result = await buildPackages(path.resolve(values.out), progressTo(err));
  endProgress(err);
  if (result.diagnostics.length) {
    for (const d of result.diagnostics) err.write(d + "\n");
    return EXIT.failed;
  }
  out.write(`Built ${result.packages.map((p) => p.name).join(", ")} (dist/esm).\n`);
  return EXIT.ok;
}
