// Full recompute benchmark: every score, per-topic expertise and explanation for a seeded
// power-law community, timed in a fresh process so its peak memory is its own.
//
//   npx tsx bench/recompute.ts --members 1m [--runs 3]
//
// The community: follows from bench/graph.ts (≈10 per member), plus interactions (≈1 per
// member, over 90 days) and endorsements (≈0.5 per member, over a year, 8 topics), so the
// influence graph has ≈10M edges at 1M members.
import { parseArgs } from "node:util";
import type { Community } from "../src/scoring/community.js";
import { defaultModel } from "../src/scoring/model.js";
import { recomputeAll } from "../src/scoring/recompute.js";
import { parseSize, powerLawGraph, rng } from "./graph.js";
import { median, peakRss } from "./peers/protocol.js";

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 1);

function community(members: number, seed: number): Community {
  const graph = powerLawGraph(members, { seed });
  const random = rng(seed + 1);
  const pick = () => (graph.to[Math.floor(random() * graph.to.length)] as number) ?? 0;
  const interactionCount = members;
  const actor = new Int32Array(interactionCount);
  const target = new Int32Array(interactionCount);
  const kind = new Uint8Array(interactionCount);
  const at = new Float64Array(interactionCount);
  for (let i = 0; i < interactionCount; i++) {
    actor[i] = Math.floor(random() * members);
    target[i] = pick();
    kind[i] = Math.floor(random() * 4);
    at[i] = now - random() * 90 * day;
  }
  const endorsementCount = Math.floor(members / 2);
  const endorser = new Int32Array(endorsementCount);
  const endorsee = new Int32Array(endorsementCount);
  const topic = new Int32Array(endorsementCount);
  const endorsedAt = new Float64Array(endorsementCount);
  for (let i = 0; i < endorsementCount; i++) {
    endorser[i] = Math.floor(random() * members);
    endorsee[i] = pick();
    topic[i] = Math.floor(random() * 8);
    endorsedAt[i] = now - random() * 365 * day;
  }
  return {
    memberCount: members,
    topicCount: 8,
    follows: { follower: graph.from, followee: graph.to },
    interactions: { actor, target, kind, at },
    endorsements: { endorser, endorsee, topic, at: endorsedAt },
  };
}

const { values } = parseArgs({
  options: { members: { type: "string", default: "1m" }, runs: { type: "string", default: "3" } },
});
const members = parseSize(values.members as string);
const runs = Number(values.runs);
const input = community(members, 42);
const inputRss = process.memoryUsage().rss;
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  recomputeAll(input, defaultModel, now);
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
