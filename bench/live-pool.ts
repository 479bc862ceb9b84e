// Pools the samples of several `npm run bench:live -- … --samples <file>` runs (bench/live.ts):
// each run's p99 against its target, and the percentiles of all their samples together.
//
//   npm run bench:live-pool -- <file> [<file> …]
//
// Why: a run's p99 is that of a few thousand samples (A: about 1,900 events in 10 s), so it is set
// by its ~20 slowest, which mostly come from one or two bursts of its first second. It moves by
// several milliseconds from run to run on the same code. Pooling runs of the same command gives the
// percentile of the latency itself, with the spread of the runs beside it, and how sure that is:
// a 95 % interval from resampling the runs (2,000 draws of as many runs, with replacement).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { seededRandom } from "../src/seed/plan.js";
import type { LiveSamples } from "./live.js";
import { percentile } from "./percentile.js";

const { positionals } = parseArgs({ allowPositionals: true });
if (positionals.length === 0) {
  console.error("usage: npm run bench:live-pool -- <samples file> [<samples file> …]");
  process.exit(2);
}

/** The targets of PRODUCT.md §8, in ms. */
const targets = { a: 50, b: 250 } as const;
const names = {
  a: "A: per event, its cause's response → received",
  b: "B: per delivery, its mutation's response → delivery",
} as const;

const runs = positionals.map((file) => {
  let parsed: LiveSamples;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as LiveSamples;
  } catch (error) {
    console.error(`${file}: not a samples file (${(error as Error).message})`);
    process.exit(2);
  }
  return { file, ...parsed };
});

/** A non-empty list's percentile. */
const at = (sorted: readonly number[], p: number) => percentile(sorted, p) as number;

/**
 * The 2.5th and 97.5th percentiles of the pooled p99 over runs (each sorted ascending) drawn with
 * replacement. The p99 of N samples is their k-th largest (k = N − ⌈0.99·N⌉ + 1, as `percentile`
 * counts), which is among the k largest of each run drawn: only those are pooled and sorted.
 */
function interval(runs: readonly (readonly number[])[], draws = 2_000): [number, number] {
  // A fixed seed: the same files give the same interval.
  const next = seededRandom(1);
  const p99s: number[] = [];
  for (let d = 0; d < draws; d++) {
    const drawn = runs.map(() => runs[Math.floor(next() * runs.length)] as readonly number[]);
    const n = drawn.reduce((sum, run) => sum + run.length, 0);
    const k = n - Math.ceil(0.99 * n) + 1;
    const largest = drawn.flatMap((run) => run.slice(-k)).sort((x, y) => y - x);
    p99s.push(largest[k - 1] as number);
  }
  p99s.sort((x, y) => x - y);
  return [at(p99s, 2.5), at(p99s, 97.5)];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const lines: string[] = [];
for (const scenario of ["a", "b"] as const) {
  const withSamples = runs.filter((run) => (run[scenario]?.length ?? 0) > 0);
  if (withSamples.length === 0) continue;
  const target = targets[scenario];
  const sortedRuns = withSamples.map((run) => [...(run[scenario] as number[])].sort((x, y) => x - y));
  const perRun = sortedRuns.map((sorted, i) => ({
    file: (withSamples[i] as (typeof withSamples)[number]).file,
    count: sorted.length,
    p50: at(sorted, 50),
    p99: at(sorted, 99),
  }));
  const p99s = perRun.map((run) => run.p99).sort((x, y) => x - y);
  const pooled = sortedRuns.flat().sort((x, y) => x - y);
  const over = perRun.filter((run) => run.p99 > target).length;
  const [low, high] = interval(sortedRuns);
  lines.push(
    `### ${names[scenario]} — ${withSamples.length} runs`,
    "",
    "| run | samples | p50 | p99 |",
    "|---|---|---|---|",
    ...perRun.map((run) => `| ${run.file} | ${run.count} | ${ms(run.p50)} | ${ms(run.p99)} |`),
    "",
    `- Each run's p99: ${ms(p99s[0] as number)} to ${ms(p99s.at(-1) as number)}, median ${ms(at(p99s, 50))}; ` +
      `${withSamples.length - over} of ${withSamples.length} at or under ${target} ms.`,
    `- All ${pooled.length} samples together: p50 ${ms(at(pooled, 50))}, p99 ${ms(at(pooled, 99))} ` +
      `(${(at(pooled, 99) / target).toFixed(2)}× the target of ${target} ms), max ${ms(pooled.at(-1) as number)}.`,
    `- That p99 with the runs resampled (95 % of 2,000 draws): ${ms(low)} to ${ms(high)}.`,
    "",
  );
}
if (lines.length === 0) {
  console.error("none of the files holds samples");
  process.exit(2);
}
console.log(lines.join("\n"));
