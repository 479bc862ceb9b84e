// Full recompute benchmark: every score, per-topic expertise and explanation for a seeded
// power-law community, timed in a fresh process so its peak memory is its own.
//
//   npx tsx bench/recompute.ts --members 1m [--runs 3]
//
// The community is bench/community.ts's: ≈10M influence-graph edges at 1M members.
import { parseArgs } from "node:util";
import { defaultModel } from "../src/scoring/model.js";
import { recomputeAll } from "../src/scoring/recompute.js";
import { benchCommunity, benchNow } from "./community.js";
import { parseSize } from "./graph.js";
import { median, peakRss } from "./peers/protocol.js";

const { values } = parseArgs({
  options: { members: { type: "string", default: "1m" }, runs: { type: "string", default: "3" } },
});
const members = parseSize(values.members as string);
const runs = Number(values.runs);
const input = benchCommunity(members, 42);
const inputRss = process.memoryUsage().rss;
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  recomputeAll(input, defaultModel, benchNow);
  times.push((performance.now() - started) / 1000);
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
    peakRssMB: Math.round(peakRss() / 2 ** 20),
  }),
);
