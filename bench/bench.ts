// What every bench shares: the Bench shape, timing, medians, table printing and the built packages.
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { buildPackages, packagesOf } from "../generator/build/build-packages.js";

export interface Bench {
  /** The name `npm run bench -- <name>` selects. */
  name: string;
  /** One line for the list. */
  description: string;
  /** Options this bench reads (after the bench names), for the usage text. */
  options?: string;
  run(context: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** Command-line arguments that are not bench names, e.g. `--runs 3`. */
  args: string[];
  /** Results; progress goes to `progress`. */
  out: NodeJS.WritableStream;
  progress: NodeJS.WritableStream;
  /** Each target's verdict line (see stats.ts describeTarget), gathered for the closing summary. */
  targets?: string[];
}

export { median } from "./stats.js";

/** Wall time of `fn` in milliseconds, with its result. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

let gc: (() => void) | undefined;

/** A full garbage collection, so one run's garbage is not collected during the next run's timing. */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
}

/** The process's peak resident set size so far, in MiB (a high-water mark: it never goes down). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** A plain-text table: numbers (and cells starting with a digit) right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-\d.]/.test(r[i] ?? "")));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

/**
 * The generated packages as shipped: `npm run build`'s output, laid out under `dir/node_modules`
 * as an install would put them. Under node_modules tsx neither rewrites the files nor maps
 * `@rtc-apigen/runtime` to its TypeScript sources through tsconfig paths, so a bench running
 * under tsx measures the built JavaScript. Returns each package's folder by package name.
 */
export async function installBuiltPackages(generatedDir: string, dir: string): Promise<Map<string, string>> {
  const built = await buildPackages(generatedDir);
  if (built.diagnostics.length) throw new Error(`the generated packages did not build:\n${built.diagnostics.join("\n")}`);
  const installed = new Map<string, string>();
  for (const p of packagesOf(generatedDir)) {
    const to = path.join(dir, "node_modules", ...p.name.split("/"));
    mkdirSync(to, { recursive: true });
    cpSync(path.join(p.dir, "package.json"), path.join(to, "package.json"));
    cpSync(path.join(p.dir, "dist"), path.join(to, "dist"), { recursive: true });
    installed.set(p.name, to);
  }
  return installed;
}
