// Generation bench: first the CLI against the peers (bench/generation-cli.ts, issue 18's targets);
// with --in-process also build() (load → check → IR → emit → format, in memory) over the real specs
// and over synthetic corpora of 100 and 1,000 operations cloned from them (bench/make-corpus.ts).
//
// In-process targets (earlier issue): t(1000)/t(100) ≤ 12, and 1,000 operations in under 10 s.
// This prints numbers and whether the targets are met; it never fails on them.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "../generator/pipeline.js";
import { loadSpecs } from "../generator/load/load-specs.js";
import { checkSpecs } from "../generator/check/check-specs.js";
import { emitAll } from "../generator/emit/index.js";
import { formatFiles } from "../generator/write/format.js";
import { formatDiagnostic } from "../generator/shared/diagnostic.js";
import { collectGarbage, formatMs, median, peakRssMiB, table, timed, type Bench, type BenchContext } from "./bench.js";
import { measureGenerationCli, measureRegenerateCli } from "./generation-cli.js";
import { makeCorpus, REAL_SPECS_DIR } from "./make-corpus.js";

export const TARGET_RATIO = 12;
export const TARGET_1000_MS = 10_000;

interface Corpus {
  name: string;
  dir: string;
  /** Measured runs after the warm-up. */
  runs: number;
}

interface Result {
  corpus: Corpus;
  operations: number;
  services: number;
  files: number;
  outputKiB: number;
  times: number[];
  median: number;
  peakRssMiB: number;
  phases?: Record<Phase, number>;
}

type Phase = "load" | "check+IR" | "emit" | "format";

const OPTIONS = `--rounds N     rounds of the CLI runs against the peers (default 3)
  --in-process   also time build() in this process over the real specs and the --sizes corpora
  --runs N       measured build() runs per corpus (default: 5, and 3 for 1,000 operations)
  --sizes A,B    synthetic corpus sizes for build() (default: 100,1000)
  --phases       also time load / check+IR / emit / format separately (one extra run per corpus)
  --only edit    only the 200-operation tree, cold then after editing one spec`;

/** One build(); throws when the specs do not generate (a broken corpus must not be timed). */
async function buildOnce(dir: string) {
  const result = await build(dir, path.dirname(dir));
  if (!result.files || !result.ir) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    throw new Error(`${dir} does not generate (${errors.length} errors):\n${errors.slice(0, 10).map(formatDiagnostic).join("\n")}`);
  }
  return { files: result.files, ir: result.ir, diagnostics: result.diagnostics };
}

/** The steps of build(), timed one by one (mirrors generator/pipeline.ts). */
async function phaseTimes(dir: string): Promise<Record<Phase, number>> {
  const load = await timed(() => loadSpecs(dir, path.dirname(dir)));
  const check = await timed(() => checkSpecs(load.value));
  const ir = check.value.ir;
  if (!ir) throw new Error(`${dir} does not generate`);
  const emit = await timed(() => emitAll(ir));
  const format = await timed(() => formatFiles(emit.value));
  return { load: load.ms, "check+IR": check.ms, emit: emit.ms, format: format.ms };
}

async function measure(corpus: Corpus, phases: boolean, progress: NodeJS.WritableStream): Promise<Result> {
  progress.write(`${corpus.name}: warm-up`);
  // Only counts are kept from the warm-up, so its output is garbage before the measured runs.
  const warm = await timed(async () => {
    const { files, ir, diagnostics } = await buildOnce(corpus.dir);
    return {
      operations: ir.services.reduce((n, s) => n + s.operations.length, 0),
      services: ir.services.length,
      files: files.length,
      outputKiB: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) / 1024,
      warnings: diagnostics.filter((d) => d.severity === "warning").length,
    };
  });
  const { warnings, ...counts } = warm.value;
  progress.write(` ${formatMs(warm.ms)} ms, ${warnings} warnings; runs`);
  const times: number[] = [];
  for (let i = 0; i < corpus.runs; i++) {
    collectGarbage();
    const { ms } = await timed(() => buildOnce(corpus.dir));
    times.push(ms);
    progress.write(` ${formatMs(ms)}`);
  }
  let phaseResult: Record<Phase, number> | undefined;
  if (phases) {
    progress.write("; phases");
    collectGarbage();
    phaseResult = await phaseTimes(corpus.dir);
  }
  progress.write("\n");
  return {
    corpus,
    ...counts,
    times,
    median: median(times),
    peakRssMiB: peakRssMiB(),
    ...(phaseResult ? { phases: phaseResult } : {}),
  };
}

function report(results: Result[], out: NodeJS.WritableStream): void {
  out.write("\nGeneration: build() = load → check → IR → emit → format, in memory (median of the runs after one warm-up)\n\n");
  out.write(
    table(
      ["corpus", "operations", "services", "files", "output KiB", "runs", "median ms", "min ms", "max ms", "ms/operation", "peak RSS MiB"],
      results.map((r) => [
        r.corpus.name,
        String(r.operations),
        String(r.services),
        String(r.files),
        r.outputKiB.toFixed(0),
        String(r.times.length),
        formatMs(r.median),
        formatMs(Math.min(...r.times)),
        formatMs(Math.max(...r.times)),
        formatMs(r.median / r.operations),
        r.peakRssMiB.toFixed(0),
      ]),
    ),
  );
  out.write("(peak RSS is the process's high-water mark after that corpus; corpora run smallest first)\n");

  const withPhases = results.filter((r) => r.phases);
  if (withPhases.length) {
    const phases: Phase[] = ["load", "check+IR", "emit", "format"];
    out.write("\nPhases (one run each, ms; share of their sum)\n\n");
    out.write(
      table(
        ["corpus", ...phases],
        withPhases.map((r) => {
          const total = phases.reduce((n, p) => n + r.phases![p], 0);
          return [r.corpus.name, ...phases.map((p) => `${formatMs(r.phases![p])} (${((100 * r.phases![p]) / total).toFixed(0)}%)`)];
        }),
      ),
    );
  }

  const t100 = results.find((r) => r.operations === 100);
  const t1000 = results.find((r) => r.operations === 1000);
  out.write("\n");
  if (t100 && t1000) {
    const ratio = t1000.median / t100.median;
    out.write(`ratio t(1000)/t(100) = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? "met" : "MISSED"}\n`);
  } else out.write("ratio t(1000)/t(100): not measured (needs the 100 and 1000 corpora)\n");
  if (t1000) {
    const s = t1000.median / 1000;
    out.write(`1000 operations: ${s.toFixed(2)} s (target < ${TARGET_1000_MS / 1000} s): ${t1000.median < TARGET_1000_MS ? "met" : "MISSED"}\n`);
  } else out.write("1000 operations: not measured\n");
  out.write(
    `cpus: ${os.cpus().length}, load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, node ${process.version}\n`,
  );
}

async function run({ args, out, progress, targets }: BenchContext): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string", default: "3" },
      "in-process": { type: "boolean", default: false },
      runs: { type: "string" },
      sizes: { type: "string", default: "100,1000" },
      phases: { type: "boolean", default: false },
      only: { type: "string" },
    },
  });
  if (values.only !== undefined && values.only !== "edit") throw new Error(`--only takes edit, got ${values.only}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer`);
  const inProcess = values["in-process"] || values.runs !== undefined || values.phases;
  const runsOverride = values.runs === undefined ? undefined : Number(values.runs);
  if (runsOverride !== undefined && (!Number.isInteger(runsOverride) || runsOverride < 1)) throw new Error(`--runs must be a positive integer`);
  const sizes = values.sizes.split(",").filter(Boolean).map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers, got ${values.sizes}`);
  const runsFor = (operations: number) => runsOverride ?? (operations >= 1000 ? 3 : 5);

  const tmp = await mkdtemp(path.join(os.tmpdir(), "rtc-apigen-bench-"));
  try {
    if (values.only === "edit") return await measureRegenerateCli(tmp, rounds, out, progress, targets);
    await measureGenerationCli(tmp, rounds, out, progress, targets);
    if (!inProcess) return;
    const corpora: Corpus[] = [{ name: "specs", dir: REAL_SPECS_DIR.replace(/[\\/]$/, ""), runs: runsFor(0) }];
    for (const n of sizes) {
      const dir = path.join(tmp, `corpus-${n}`);
      const made = await timed(() => makeCorpus({ operations: n, outDir: dir }));
      progress.write(`made corpus-${n}: ${made.value.services} services, ${made.value.files} spec files in ${formatMs(made.ms)} ms (${dir})\n`);
      corpora.push({ name: `corpus-${n}`, dir, runs: runsFor(n) });
    }
    const results: Result[] = [];
    for (const corpus of corpora) results.push(await measure(corpus, values.phases, progress));
    report(results, out);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export const generationBench: Bench = {
  name: "generation",
  description:
    "`generate` through the CLI (10 ops cold, 1,000 ops vs openapi-typescript and @hey-api/openapi-ts, regenerate after one edit of 200 ops); --in-process: build() per corpus",
  options: OPTIONS,
  run,
};
