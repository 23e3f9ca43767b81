// Statistics the benches share, with no imports: the measuring child processes load this without
// the generator (bench.ts brings in esbuild and TypeScript).
//
// The verdict rule lives here and nowhere else: a target is "met" only when every round's own
// ratio clears it, "missed" only when every round's ratio misses it, and "inconclusive" when the
// rounds fall on both sides (load came and went; run more rounds or on a quieter machine).

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
  /** The rounds' own ratios, in round order. */
  ratios: number[];
}

/** Ratio of two contenders measured in paired rounds: each round's own ratio, so load that comes and goes shifts both sides of a pair alike. */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  if (a.length !== b.length || !a.length) throw new Error(`paired rounds need as many a as b (got ${a.length} and ${b.length})`);
  const ratios = a.map((x, i) => x / b[i]!);
  return { a: median(a), b: median(b), median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), ratios };
}

export type Verdict = "met" | "missed" | "inconclusive";

/** The one verdict rule: met or missed only when the whole range of per-round ratios is on one side of the target. */
export function verdict(r: Pick<PairedRatio, "min" | "max">, target: number, direction: "atMost" | "atLeast"): Verdict {
  const meets = (x: number) => (direction === "atMost" ? x <= target : x >= target);
  if (meets(r.min) && meets(r.max)) return "met";
  if (!meets(r.min) && !meets(r.max)) return "missed";
  return "inconclusive";
}

/** `0.83× (rounds 0.79–0.88), target ≤ 1×: met` — how every suite states a target. */
export function describeTarget(r: Pick<PairedRatio, "median" | "min" | "max">, target: number, direction: "atMost" | "atLeast", digits = 2): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(r.median)}× (rounds ${f(r.min)}–${f(r.max)}), target ${direction === "atMost" ? "≤" : "≥"} ${target}×: ${verdict(r, target, direction)}`;
}

/** Kept for the size bench: "ratio ≤ target". */
export function verdictAtMost(r: PairedRatio, target: number): string {
  return describeTarget(r, target, "atMost");
}

/** Rounds alternate contenders: every other round runs them in reverse, and each pair of rounds shifts the order by one, so none always goes first or last. */
export function roundOrder<T>(contenders: readonly T[], round: number): T[] {
  const shift = Math.floor(round / 2);
  const rotated = contenders.map((_, i) => contenders[(i + shift) % contenders.length]!);
  return round % 2 ? rotated.reverse() : rotated;
}

/** A target judged per case (e.g. every validator): met when every case is met, missed when any case is missed, else inconclusive. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes("missed")) return "missed";
  return verdicts.every((v) => v === "met") ? "met" : "inconclusive";
}
