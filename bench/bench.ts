// What every bench shares: the Bench shape, timing, medians and table printing.
import v8 from "node:v8";
import vm from "node:vm";

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
}

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

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
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}
