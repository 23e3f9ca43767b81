// `generate`, `check` (drift only) and `lint` (diagnostics only).
import path from "node:path";
import { parseArgs } from "node:util";
import { formatWithSource } from "../../check/diagnostic.js";
import { loadSpecs } from "../../load/load-specs.js";
import { checkSpecs } from "../../check/check-specs.js";
import { generate } from "../../pipeline.js";
import { EXIT, endProgress, plural, progressTo, type Output } from "../output.js";

export const GENERATE_USAGE = `Usage: rtc-apigen generate [--check] [--specs DIR] [--out DIR]

Reads the YAML specs and writes the generated packages (only the files that changed, atomically).

Options:
  --check        write nothing; list the files that would change and exit 1 if any would
  --specs DIR    the specs folder (default: specs)
  --out DIR      the output folder (default: generated)
  -h, --help     show this help

Exit codes: 0 done (or no drift), 1 drift found by --check, 2 the specs have errors,
64 bad command line, 70 internal error.`;

export const CHECK_USAGE = `Usage: rtc-apigen check [--specs DIR] [--out DIR]

Same as \`generate --check\`: writes nothing, lists the files that would change.

Exit codes: 0 up to date, 1 drift, 2 the specs have errors, 64 bad command line, 70 internal error.`;

export const LINT_USAGE = `Usage: rtc-apigen lint [--specs DIR] [--strict]

Prints the diagnostics of the specs (schema and lint rules) and writes nothing.

Options:
  --specs DIR    the specs folder (default: specs)
  --strict       exit 2 on warnings too
  -h, --help     show this help

Exit codes: 0 no errors, 2 errors (or warnings with --strict), 64 bad command line, 70 internal error.`;

export async function runGenerate(argv: string[], out: Output, err: Output, forceCheck = false): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      specs: { type: "string", default: "specs" },
      out: { type: "string", default: "generated" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write((forceCheck ? CHECK_USAGE : GENERATE_USAGE) + "\n");
    return EXIT.ok;
  }
  const check = forceCheck || values.check;
  const progress = progressTo(err);
  progress("loading and checking specs…");
  const result = await generate({ specsDir: path.resolve(values.specs), outDir: path.resolve(values.out), check });
  endProgress(err);
  for (const d of result.diagnostics) err.write(formatWithSource(d, result.texts.get(d.file)) + "\n");
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  if (!result.files) {
    err.write(`\n${plural(errors, "error")}, ${plural(warnings, "warning")}: nothing was written.\n`);
    return EXIT.specErrors;
  }
  const drift = result.drift!;
  const outName = path.relative(process.cwd(), path.resolve(values.out)) || ".";
  const changes = [
    ...drift.added.map((p) => `  added    ${outName}/${p}`),
    ...drift.changed.map((p) => `  changed  ${outName}/${p}`),
    ...drift.removed.map((p) => `  removed  ${outName}/${p}`),
  ];
  if (check) {
    if (changes.length) {
      err.write(`${outName}/ is out of date with the specs (${plural(changes.length, "file")}):\n${changes.join("\n")}\nRun \`npm run generate\` and commit the result.\n`);
      return EXIT.failed;
    }
    out.write(`${outName}/ is up to date (${result.files.length} files).\n`);
    return EXIT.ok;
  }
  out.write(result.wrote ? `Wrote ${outName}/ (${result.files.length} files):\n${changes.join("\n")}\n` : `${outName}/ is up to date (${result.files.length} files).\n`);
  return EXIT.ok;
}

export async function runLint(argv: string[], out: Output, err: Output): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      specs: { type: "string", default: "specs" },
      strict: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out.write(LINT_USAGE + "\n");
    return EXIT.ok;
  }
  const specs = await loadSpecs(path.resolve(values.specs));
  const { diagnostics } = checkSpecs(specs);
  for (const d of diagnostics) err.write(formatWithSource(d, specs.texts.get(d.file)) + "\n");
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  out.write(`${plural(specs.texts.size, "spec file")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}.\n`);
  return errors || (values.strict && warnings) ? EXIT.specErrors : EXIT.ok;
}
