// Communities for scoring tests: a seeded random source, and a Community from plain lists.
import type { Community } from "../../src/scoring/community.js";

/** A seeded linear congruential generator of numbers in [0, 1). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface CommunityLists {
  /** [follower, followee] */
  follows?: readonly (readonly [number, number])[];
  /** [actor, target, kind code, when (ms)] */
  interactions?: readonly (readonly [number, number, number, number])[];
  /** [endorser, endorsee, topic, when (ms)] */
  endorsements?: readonly (readonly [number, number, number, number])[];
  topicCount?: number;
}

export function communityOf(memberCount: number, lists: CommunityLists): Community {
  const follows = lists.follows ?? [];
  const interactions = lists.interactions ?? [];
  const endorsements = lists.endorsements ?? [];
  return {
    memberCount,
    topicCount: lists.topicCount ?? 2,
    follows: {
      follower: Int32Array.from(follows.map((f) => f[0])),
      followee: Int32Array.from(follows.map((f) => f[1])),
    },
    interactions: {
      actor: Int32Array.from(interactions.map((i) => i[0])),
      target: Int32Array.from(interactions.map((i) => i[1])),
      kind: Uint8Array.from(interactions.map((i) => i[2])),
      at: Float64Array.from(interactions.map((i) => i[3])),
    },
    endorsements: {
      endorser: Int32Array.from(endorsements.map((e) => e[0])),
      endorsee: Int32Array.from(endorsements.map((e) => e[1])),
      topic: Int32Array.from(endorsements.map((e) => e[2])),
      at: Float64Array.from(endorsements.map((e) => e[3])),
    },
  };
}
