// The whole run: load → check → IR → emit → format → compare/write.
import { hasErrors, type Diagnostic } from "./shared/diagnostic.js";
import { checkSpecsCached } from "./load/checked-cache.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import type { Ir } from "./ir/types.js";
import { withManifest } from "./write/manifest.js";
import { CacheEntryGone, emitFormatted, type GenerationCache } from "./write/generation-cache.js";
import { loadOutputIndex } from "./write/output-index.js";
import { compareOutput, hasDrift, readOutputState, refusalReason, writeOutput, type Drift, type OutputState } from "./write/write-output.js";

export interface GenerateOptions {
  specsDir: string;
  outDir: string;
  /** Write nothing; report drift. */
  check?: boolean;
  /** Write into a folder the generator does not recognise as its own, and over files it did not write. */
  force?: boolean;
  /** Base for the file paths in diagnostics (default: the working folder). */
  displayBase?: string;
  /** Reuse the emitted, formatted files of services whose IR is unchanged (see write/generation-cache.ts). */
  cache?: GenerationCache;
}

export interface GenerateResult {
  diagnostics: Diagnostic[];
  /** Spec texts by display path, to show offending lines. */
  texts: Map<string, string>;
  ir?: Ir;
  files?: GeneratedFile[];
  drift?: Drift;
  /** Whether the output folder was updated. */
  wrote: boolean;
  /** Why the output folder is not (with `check`: would not be) written: not the generator's own, or in the way. */
  refused?: string;
}

/** Specs → formatted files in memory, or the diagnostics that stopped it. */
export async function build(specsDir: string, displayBase?: string, cache?: GenerationCache): Promise<Omit<GenerateResult, "drift" | "wrote">> {
  try {
    return await buildOnce(specsDir, displayBase, cache);
  } catch (e) {
    // A cached service's IR is read when first needed; if another process pruned it meanwhile, that group is checked again.
    if (e instanceof CacheEntryGone) return await buildOnce(specsDir, displayBase, cache);
    throw e;
  }
}

async function buildOnce(specsDir: string, displayBase?: string, cache?: GenerationCache): Promise<Omit<GenerateResult, "drift" | "wrote">> {
  const checked = (cache && (await checkSpecsCached(specsDir, displayBase, cache))) || (await checkUncached(specsDir, displayBase, cache));
  if (!checked.ir || hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics, texts: checked.texts };
  const files = withManifest(await emitFormatted(checked.ir, cache, undefined, checked.digests));
  return { diagnostics: checked.diagnostics, texts: checked.texts, ir: checked.ir, files };
}

/** Load and check every spec (no cache, or a protocol plugin): loaded only then. */
async function checkUncached(
  specsDir: string,
  displayBase: string | undefined,
  cache: GenerationCache | undefined,
): Promise<{ diagnostics: Diagnostic[]; texts: Map<string, string>; ir?: Ir; digests?: undefined }> {
  const [{ loadSpecs }, { checkSpecs }] = await Promise.all([import("./load/load-specs.js"), import("./check/check-specs.js")]);
  const specs = await loadSpecs(specsDir, displayBase, cache?.documents);
  const checked = checkSpecs(specs);
  return { diagnostics: checked.diagnostics, texts: specs.texts, ...(checked.ir ? { ir: checked.ir } : {}) };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  try {
    return await generateOnce(options);
  } catch (e) {
    // A cached file's content is read when first needed (comparing, writing): if its entry was pruned meanwhile, it is made again.
    if (e instanceof CacheEntryGone) return await generateOnce(options);
    throw e;
  }
}

async function generateOnce(options: GenerateOptions): Promise<GenerateResult> {
  const built = await build(options.specsDir, options.displayBase, options.cache);
  if (!built.files) return { ...built, wrote: false };
  const state = await readOutputState(options.outDir);
  // What the folder held when the cache last saw it: the files it vouches for are not read again.
  const index = options.cache && (await loadOutputIndex(options.cache, options.outDir));
  const drift = await compareOutput(options.outDir, built.files, state, index);
  // Refused even when up to date, so that the answer does not depend on what the specs say today.
  const refused = refusal(options, state, drift);
  if (options.check || refused || !hasDrift(drift)) return { ...built, drift, wrote: false, ...(refused ? { refused } : {}) };
  await writeOutput(options.outDir, built.files, drift, { index });
  return { ...built, drift, wrote: true };
}

/** The generator writes only into its own folder and only over its own files, unless forced. */
function refusal(options: GenerateOptions, state: OutputState, drift: Drift): string | undefined {
  if (drift.blocked.length)
    return `these paths are taken by files or folders rtc-apigen did not write (it never removes those, even with --force):\n${drift.blocked.map((p) => `  ${p}`).join("\n")}`;
  if (options.force) return undefined;
  const reason = refusalReason(options.outDir, options.specsDir, state);
  if (reason) return reason;
  if (drift.foreign.length) return `it would overwrite files rtc-apigen did not write:\n${drift.foreign.map((p) => `  ${p}`).join("\n")}`;
  return undefined;
}
