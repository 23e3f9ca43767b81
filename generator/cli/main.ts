#!/usr/bin/env node
// The command line: `generate [--check] [--specs DIR] [--out DIR]`.
import { parseArgs } from "node:util";
import path from "node:path";
import { formatWithSource } from "../check/diagnostic.js";
import { generate } from "../pipeline.js";

export const EXIT = { ok: 0, drift: 1, specErrors: 2, usage: 64, internal: 70 } as const;

const USAGE = `Usage: npm run generate -- [options]

Reads the YAML specs and writes the generated packages.

Options:
  --check        write nothing; list the files that would change and exit 1 if any would
  --specs DIR    the specs folder (default: specs)
  --out DIR      the output folder (default: generated)
  -h, --help     show this help

Exit codes: 0 done (or no drift), 1 drift found by --check, 2 the specs have errors,
64 bad command line, 70 internal error.`;

/** Where the CLI prints: process.stdout/stderr, or a test's sink. */
export interface Output {
  write(text: string): unknown;
}

export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        check: { type: "boolean", default: false },
        specs: { type: "string", default: "specs" },
        out: { type: "string", default: "generated" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const [command = "generate", ...rest] = args.positionals;
  if (args.values.help) {
    out.write(USAGE + "\n");
    return EXIT.ok;
  }
  if (command !== "generate" || rest.length) {
    err.write(`unknown command: ${[command, ...rest].join(" ")}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const result = await generate({ specsDir: path.resolve(args.values.specs), outDir: path.resolve(args.values.out), check: args.values.check });
  for (const d of result.diagnostics) err.write(formatWithSource(d, result.texts.get(d.file)) + "\n");
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  if (!result.files) {
    err.write(`\n${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}: nothing was written.\n`);
    return EXIT.specErrors;
  }
  const drift = result.drift!;
  const outName = path.relative(process.cwd(), path.resolve(args.values.out)) || ".";
  const changes = [
    ...drift.added.map((p) => `  added    ${outName}/${p}`),
    ...drift.changed.map((p) => `  changed  ${outName}/${p}`),
    ...drift.removed.map((p) => `  removed  ${outName}/${p}`),
  ];
  if (args.values.check) {
    if (changes.length) {
      err.write(`${outName}/ is out of date with the specs (${changes.length} file${changes.length === 1 ? "" : "s"}):\n${changes.join("\n")}\nRun \`npm run generate\` and commit the result.\n`);
      return EXIT.drift;
    }
    out.write(`${outName}/ is up to date (${result.files.length} files).\n`);
    return EXIT.ok;
  }
  out.write(result.wrote ? `Wrote ${outName}/ (${result.files.length} files):\n${changes.join("\n")}\n` : `${outName}/ is up to date (${result.files.length} files).\n`);
  return EXIT.ok;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
