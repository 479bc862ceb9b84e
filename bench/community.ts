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
    // As the scorer's loader reads them (src/scorer/load.ts): by follower, then followee.
    follows: byFollower(members, graph.from, graph.to),
    interactions: { actor, target, kind, at },
    endorsements: { endorser, endorsee, topic, at: endorsedAt },
  };
}

/** The follows ordered by follower, then followee: two stable counting sorts. */
function byFollower(members: number, follower: Int32Array, followee: Int32Array) {
  const byFollowee = countingOrder(followee, members, null);
  const order = countingOrder(follower, members, byFollowee);
  return {
    follower: order.map((i) => follower[i] as number),
    followee: order.map((i) => followee[i] as number),
  };
}

/** Indices (of `items`, or 0..key.length-1) in stable order of key. */
function countingOrder(key: Int32Array, rows: number, items: Int32Array | null): Int32Array {
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < key.length; i++) {
    const r = (key[i] as number) + 1;
    start[r] = (start[r] as number) + 1;
  }
  for (let r = 0; r < rows; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const order = new Int32Array(key.length);
  for (let j = 0; j < key.length; j++) {
    const i = items === null ? j : (items[j] as number);
    const r = key[i] as number;
    order[start[r] as number] = i;
    start[r] = (start[r] as number) + 1;
  }
  return order;
}
