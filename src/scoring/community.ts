// What the scoring module computes from, and what it returns. Members are dense indices
// 0..memberCount-1 (the caller maps database ids to them); every array is a typed array so a
// million-member community costs no per-member objects.
import type { InteractionKind } from "./model.js";

/** Interaction kinds in the order of their numeric codes in `Interactions.kind`. */
export const interactionKindCodes: readonly InteractionKind[] = ["MENTION", "REPLY", "SHARE", "LIKE"];

export interface Follows {
  /** follower[i] follows followee[i]: the followee influences the follower. */
  follower: Int32Array;
  followee: Int32Array;
}

/** Interactions between two members (those with a non-member are never given to the scorer). */
export interface Interactions {
  actor: Int32Array;
  target: Int32Array;
  /** Index into interactionKindCodes. */
  kind: Uint8Array;
  /** When it happened, in ms since the epoch. */
  at: Float64Array;
}

/** Endorsements still in force (not revoked). */
export interface Endorsements {
  endorser: Int32Array;
  endorsee: Int32Array;
  /** Dense topic index 0..topicCount-1. */
  topic: Int32Array;
  at: Float64Array;
}

export interface Community {
  memberCount: number;
  topicCount: number;
  follows: Follows;
  interactions: Interactions;
  endorsements: Endorsements;
}

export enum CauseCode {
  Member = 0,
  Endorsement = 1,
}

/**
 * The top causes of each member's score, `k` slots per member (member m's are at m*k .. m*k+k-1,
 * best first; unused slots have share 0). A Member cause's `source` is the influencing member's
 * index; an Endorsement cause's `source` is the endorsement's index in Community.endorsements.
 * `remainder[m]` is the share of everything not named (teleport, dangling mass, smaller causes),
 * so the named shares plus the remainder sum to 1.
 */
export interface Explanations {
  k: number;
  kind: Uint8Array;
  source: Int32Array;
  share: Float64Array;
  remainder: Float64Array;
}

export interface Scores {
  /** The unscaled composite each score is mapped from; the average member has 1. */
  raw: Float64Array;
  /** The 1–100 score. */
  score: Float64Array;
  /** Network influence (PageRank), summing to 1 over members. */
  network: Float64Array;
  /** The endorsement component, relative to the average member (mean 1 when any exist). */
  endorsement: Float64Array;
  /** Per-topic expertise, listed only where a member has some. */
  topics: TopicScores;
  explanations: Explanations;
}

/**
 * Topic expertise on the 1–100 scale, sparse: member v's topics are entries start[v] ..
 * start[v + 1], by increasing topic. Most members have none in most topics, and a dense
 * member × topic array grows with the number of topics (64 MB at 1M members and 8 topics).
 */
export interface TopicScores {
  start: Int32Array;
  topic: Int32Array;
  score: Float64Array;
}

/** Member v's expertise in topic k; 0 when they have none there. */
export function topicScoreOf(topics: TopicScores, v: number, k: number): number {
  const last = topics.start[v + 1] as number;
  for (let e = topics.start[v] as number; e < last; e++) {
    if (topics.topic[e] === k) return topics.score[e] as number;
  }
  return 0;
}
