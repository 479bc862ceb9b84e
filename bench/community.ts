// The seeded community the scoring benchmarks run on: follows from bench/graph.ts (≈10 per
// member), plus interactions (≈1 per member, over 90 days) and endorsements (≈0.5 per member, over
// a year, 8 topics), so the influence graph has ≈10M edges at 1M members.
import type { Community } from "../src/scoring/community.js";
import { powerLawGraph, rng } from "./graph.js";

const day = 24 * 60 * 60 * 1000;
/** The moment every benchmark scores at. */
export const benchNow = Date.UTC(2026, 10, 1);

/** A seeded community of `members`. */
export function benchCommunity(members: number, seed: number): Community {
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
    at[i] = benchNow - random() * 90 * day;
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
    endorsedAt[i] = benchNow - random() * 365 * day;
  }
  return {
    memberCount: members,
    topicCount: 8,
    follows: { follower: graph.from, followee: graph.to },
    interactions: { actor, target, kind, at },
    endorsements: { endorser, endorsee, topic, at: endorsedAt },
  };
}
