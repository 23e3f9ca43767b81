// Import-corpus bench: every LCIC and TRTC action of the official metadata imported once
// (generator/import/build-corpus.ts), then build() over that real-world corpus, median of N runs.
// Prints numbers only; it never fails on them.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic } from "../generator/shared/diagnostic.js";
import { buildImportCorpus } from "../generator/import/build-corpus.js";
import { build } from "../generator/pipeline.js";
import { collectGarbage, formatMs, median, peakRssMiB, table, timed, type Bench, type BenchContext } from "./bench.js";

const OPTIONS = `--runs N       measured build() runs after one warm-up (default: 5)`;

async function specFiles(specsDir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(specsDir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith(".yaml")) n++;
  return n;
}

async function buildOnce(specsDir: string) {
  const result = await build(specsDir, path.dirname(specsDir));
  if (!result.files) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    throw new Error(`the import corpus does not generate (${errors.length} errors):\n${errors.slice(0, 10).map(formatDiagnostic).join("\n")}`);
  }
  return result;
}

async function run({ args, out, progress }: BenchContext): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: "string", default: "5" } }, strict: false });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "rtc-apigen-import-corpus-"));
  try {
    // Settled: as imported, the lint rule import-todo stops the build at every decision left.
    const made = await timed(() => buildImportCorpus(tmp, undefined, { settle: true }));
    const { actions, services, specsDir } = made.value;
    progress.write(`imported ${actions} actions (${services.join(", ")}) in ${formatMs(made.ms)} ms; build: warm-up`);
    const warm = await timed(() => buildOnce(specsDir));
    const files = warm.value.files!;
    const warnings = warm.value.diagnostics.filter((d) => d.severity === "warning").length;
    progress.write(` ${formatMs(warm.ms)} ms (${warnings} warnings); runs`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      collectGarbage();
      const { ms } = await timed(() => buildOnce(specsDir));
      times.push(ms);
      progress.write(` ${formatMs(ms)}`);
    }
    progress.write("\n");
    const m = median(times);
    out.write("\nImport corpus: every action of the LCIC and TRTC api.json files, imported, then build() (median of the runs after one warm-up)\n\n");
    out.write(
      table(
        [
          "corpus",
          "actions",
          "spec files",
          "import ms",
          "output files",
          "output KiB",
          "runs",
          "median ms",
          "min ms",
          "max ms",
          "ms/operation",
          "peak RSS MiB",
        ],
        [
          [
            "import-corpus",
            String(actions),
            String(await specFiles(specsDir)),
            formatMs(made.ms),
            String(files.length),
            (files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) / 1024).toFixed(0),
            String(runs),
            formatMs(m),
            formatMs(Math.min(...times)),
            formatMs(Math.max(...times)),
            formatMs(m / actions),
            peakRssMiB().toFixed(0),
          ],
        ],
      ),
    );
    out.write(
      `cpus: ${os.cpus().length}, load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, node ${process.version}\n`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export const importCorpusBench: Bench = {
  name: "import-corpus",
  description: "build() over all 163 LCIC and TRTC actions imported from the official api.json files; ms/operation",
  options: OPTIONS,
  run,
};
