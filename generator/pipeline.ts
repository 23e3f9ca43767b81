// The whole run: load → check → IR → emit → format → compare/write.
import { loadSpecs } from "./load/load-specs.js";
import { checkSpecs } from "./check/check-specs.js";
import { hasErrors, type Diagnostic } from "./check/diagnostic.js";
import { emitAll } from "./emit/index.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import type { Ir } from "./ir/types.js";
import { formatFiles } from "./write/format.js";
import { compareOutput, hasDrift, replaceOutput, type Drift } from "./write/write-output.js";

export interface GenerateOptions {
  specsDir: string;
  outDir: string;
  /** Write nothing; report drift. */
  check?: boolean;
  /** Base for the file paths in diagnostics (default: the working folder). */
  displayBase?: string;
}

export interface GenerateResult {
  diagnostics: Diagnostic[];
  /** Spec texts by display path, to show offending lines. */
  texts: Map<string, string>;
  ir?: Ir;
  files?: GeneratedFile[];
  drift?: Drift;
  /** Whether the output folder was replaced. */
  wrote: boolean;
}

/** Specs → formatted files in memory, or the diagnostics that stopped it. */
export async function build(specsDir: string, displayBase?: string): Promise<Omit<GenerateResult, "drift" | "wrote">> {
  const specs = await loadSpecs(specsDir, displayBase);
  const checked = checkSpecs(specs);
  if (!checked.ir || hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics, texts: specs.texts };
  const files = await formatFiles(emitAll(checked.ir));
  return { diagnostics: checked.diagnostics, texts: specs.texts, ir: checked.ir, files };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const built = await build(options.specsDir, options.displayBase);
  if (!built.files) return { ...built, wrote: false };
  const drift = await compareOutput(options.outDir, built.files);
  if (options.check || !hasDrift(drift)) return { ...built, drift, wrote: false };
  await replaceOutput(options.outDir, built.files);
  return { ...built, drift, wrote: true };
}
