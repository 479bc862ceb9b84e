// What every peer prints: one JSON line on stdout. Ranks go to a raw little-endian float64 file.
import { writeFileSync } from "node:fs";

export interface PeerResult {
  /** Seconds of the timed PageRank call (median when repeated). */
  seconds: number;
  /** Every timed run, in seconds. */
  runs: number[];
  peakRssBytes: number;
  iterations?: number;
  note?: string;
}

export function writeRanks(path: string | undefined, ranks: ArrayLike<number>): void {
  if (path === undefined) return;
  const data = Float64Array.from(ranks);
  writeFileSync(path, new Uint8Array(data.buffer));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function report(result: PeerResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** maxRSS of this process in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}
