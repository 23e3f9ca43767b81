// `rtc-apigen diff --base <git-ref>`: the spec changes since a ref that would break consumers, apart
// from the safe ones.
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatWithSource, type Diagnostic } from "../shared/diagnostic.js";
import { EXIT, type Output } from "../shared/output.js";
import { diffIr } from "./diff-ir.js";
import { GitError, loadSpecsAtRef, loadSpecsInTree, repoOf, type BuiltSpecs } from "./git.js";
import { formatReport, jsonReport } from "./report.js";

export const DIFF_USAGE = `Usage: rtc-apigen diff --base <git-ref> [--specs DIR] [--json] [--fail-on-breaking]

Compares the specs in the working tree with the same folder at a git ref and lists the changes that
would break a consumer (a removed operation or field, a changed type, a tightened limit, a new
required parameter, a removed request enum value, ...) apart from the safe ones.

Options:
  --base REF           the git ref to compare with (a branch, tag, commit, HEAD~1, origin/main)
  --specs DIR          the specs folder (default: specs)
  --json               print the changes as JSON
  --fail-on-breaking   exit 1 when a change is breaking
  -h, --help           show this help

Exit codes: 0 done, 1 breaking changes with --fail-on-breaking, 2 the specs on either side have
errors, 64 bad command line (an unknown ref, not a git repository), 70 internal error.`;

function usage(err: Output, message: string): number {
  err.write(`${message}\n\n${DIFF_USAGE}\n`);
  return EXIT.usage;
}

function printDiagnostics(err: Output, side: string, built: BuiltSpecs): void {
  const errors = built.diagnostics.filter((d: Diagnostic) => d.severity === "error");
  err.write(`The specs ${side} have ${errors.length} error${errors.length === 1 ? "" : "s"}:\n`);
  for (const d of errors) err.write(formatWithSource(d, built.texts.get(d.file)) + "\n");
}

/** `argv` is what follows `diff` on the command line. */
export async function runDiff(argv: string[], out: Output, err: Output): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: "string" },
        specs: { type: "string", default: "specs" },
        json: { type: "boolean", default: false },
        "fail-on-breaking": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  if (values.help) {
    out.write(DIFF_USAGE + "\n");
    return EXIT.ok;
  }
  if (!values.base) return usage(err, "--base <git-ref> is required");
  const specsDir = path.resolve(values.specs);
  if (!(await stat(specsDir).catch(() => undefined))?.isDirectory()) return usage(err, `--specs ${values.specs}: no such folder`);

  let base: BuiltSpecs;
  let root: string;
  try {
    root = (await repoOf(specsDir)).root;
    base = await loadSpecsAtRef(values.base, specsDir);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    err.write(`diff: ${e.message}\n`);
    return e.kind === "no-specs" ? EXIT.specErrors : e.kind === "unknown-ref" || e.kind === "not-a-repo" ? EXIT.usage : EXIT.internal;
  }
  const head = await loadSpecsInTree(specsDir, root);
  if (!base.ir) printDiagnostics(err, `at ${values.base}`, base);
  if (!head.ir) printDiagnostics(err, "in the working tree", head);
  if (!base.ir || !head.ir) return EXIT.specErrors;
  if (base.tolerated.length)
    err.write(
      `note: the specs at ${values.base} have ${base.tolerated.length} error${base.tolerated.length === 1 ? "" : "s"} under the current lint rules ` +
        `(${[...new Set(base.tolerated.map((d) => d.rule))].sort().join(", ")}); they pass the format's schema, so they are compared all the same.\n`,
    );

  const changes = diffIr(base.ir, head.ir);
  out.write(values.json ? jsonReport(changes, values.base) : formatReport(changes, values.base));
  return values["fail-on-breaking"] && changes.some((c) => c.severity === "breaking") ? EXIT.failed : EXIT.ok;
}
