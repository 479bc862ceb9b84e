// Full recompute benchmark: every score, per-topic expertise and explanation for a seeded
// power-law community, timed in a fresh process so its peak memory is its own.
//
// Memory: generating the community leaves a few hundred MB of garbage (the generator builds
// 10M-entry JS arrays), so the input is generated, garbage-collected, and the kernel's peak-RSS
// counter (VmHWM) reset before each run; "peak RSS" is the whole process during the recompute
// (runtime, input and everything the recompute allocates), "input" the same process before it.
//
//   npx tsx bench/recompute.ts --members 1m [--runs 3]
//
// The community is bench/community.ts's: ≈10M influence-graph edges at 1M members.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { defaultModel } from "../src/scoring/model.js";
import { recomputeAll } from "../src/scoring/recompute.js";
import { benchCommunity, benchNow } from "./community.js";
import { parseSize } from "./graph.js";
import { median } from "./peers/protocol.js";

const { values } = parseArgs({
  options: { members: { type: "string", default: "1m" }, runs: { type: "string", default: "3" } },
});
const members = parseSize(values.members as string);
const runs = Number(values.runs);

// gc() without --expose-gc on the command line (npm run bench:recompute runs plain tsx).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function statusKiB(field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

/** Collects garbage and restarts the peak-RSS counter at the current RSS (Linux). */
function resetPeak(): void {
  gc();
  gc();
  writeFileSync("/proc/self/clear_refs", "5");
}

const input = benchCommunity(members, 42);
gc();
gc();
const inputRss = statusKiB("VmRSS") * 1024;
const times: number[] = [];
let peak = 0;
for (let run = 0; run < runs; run++) {
  resetPeak();
  const started = performance.now();
  recomputeAll(input, defaultModel, benchNow);
  times.push((performance.now() - started) / 1000);
  peak = Math.max(peak, statusKiB("VmHWM") * 1024);
}
console.log(
  JSON.stringify({
    members,
    follows: input.follows.follower.length,
    interactions: input.interactions.actor.length,
    endorsements: input.endorsements.endorser.length,
    seconds: median(times),
    runs: times,
    inputRssMB: Math.round(inputRss / 2 ** 20),
    peakRssMB: Math.round(peak / 2 ** 20),
  }),
);
