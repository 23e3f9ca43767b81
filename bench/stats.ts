// Statistics the benches share, with no imports: the validators' measuring process loads this
// without the generator (bench.ts brings in esbuild and TypeScript).

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
