/**
 * The p-th percentile of ascending samples: the smallest sample with at least p % of them at or
 * below it (undefined for none). bench:live and bench:live-pool both count this way, so a run's
 * p99 reads the same in either.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
