/** Latency summary of one benchmark cell, in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Returns the nearest-rank percentile of ascending `sorted` values: the smallest value such that at least `p`
 * percent of the values are at or below it. Nearest rank never interpolates, so every result is a latency that
 * was actually measured.
 * @throws RangeError when `sorted` is empty or `p` is outside 0–100.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile needs at least one value.');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be from 0 to 100; got ${p}.`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Returns the median of unsorted values, which for an even count is the lower middle value, as nearest rank gives. */
export function median(values: readonly number[]): number {
  return percentile(ascending(values), 50);
}

/** Summarizes latencies given in any order, or returns undefined when there are none. */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary | undefined {
  if (latenciesMs.length === 0) return undefined;
  const sorted = ascending(latenciesMs);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0]!,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: total / sorted.length,
  };
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
