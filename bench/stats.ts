// Statistics the benches share, with no imports: the validators' measuring process loads this
// without the generator (bench.ts brings in esbuild and TypeScript).

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface PairedRatio {
  /** Each side's median. */
  a: number;
  b: number;
  /** The median of the rounds' own ratios a[i] / b[i], and their range. */
  median: number;
  min: number;
  max: number;
}

/** Ratio of two contenders measured in paired rounds: each round's own ratio, so load that comes and goes shifts both sides of a pair alike. */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  const ratios = a.map((x, i) => x / b[i]!);
  return { a: median(a), b: median(b), median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** A verdict on "ratio ≤ target" only when every round agrees; otherwise the range straddles the target. */
export function verdictAtMost(r: PairedRatio, target: number): string {
  const said = `${r.median.toFixed(2)}× (rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)}), target ≤ ${target}×`;
  if (r.max <= target) return `${said}: met`;
  if (r.min > target) return `${said}: NOT met`;
  return `${said}: undecided (the rounds fall on both sides)`;
}
