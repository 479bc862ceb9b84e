// Warming the incremental engine before the scorer's first run. Code V8 has not yet compiled runs
// several times slower: the first incremental runs of a fresh scorer thread took 15–20 ms to
// compute what takes 3 ms later, so the events of a service's first second under load (after a
// start, or when a passive instance takes the lease over) waited the longest. A few rounds of
// events on a small made-up community run the same code first; nothing is read or written.
import { type Community, interactionKindCodes } from "../scoring/community.js";
import { LiveScores } from "../scoring/incremental.js";
import type { ModelParameters } from "../scoring/model.js";
import { seededRandom } from "../seed/plan.js";

export interface WarmUpOptions {
  /** Members of the made-up community (default 2,000). */
  members?: number;
  /** Rounds of events, each followed by taking and explaining the moves (default 30). */
  rounds?: number;
}

export interface WarmUpSummary {
  /** Moves taken over all rounds: the incremental path ran, not only the build. */
  moves: number;
  ms: number;
}

const topics = 4;
const dayMs = 24 * 3_600_000;

function madeUpCommunity(members: number, random: () => number, now: number): Community {
  // Followees skewed toward low indices, as influence is in a real community.
  const popular = () => Math.floor(members * random() ** 2);
  const follows = members * 8;
  const follower = new Int32Array(follows);
  const followee = new Int32Array(follows);
  for (let i = 0; i < follows; i++) {
    const from = i % members;
    let to = popular();
    if (to === from) to = (to + 1) % members;
    follower[i] = from;
    followee[i] = to;
  }
  const actor = new Int32Array(members);
  const target = new Int32Array(members);
  const kind = new Uint8Array(members);
  const at = new Float64Array(members);
  for (let i = 0; i < members; i++) {
    actor[i] = i;
    target[i] = (i + 1 + popular()) % members;
    kind[i] = i % interactionKindCodes.length;
    at[i] = now - random() * 30 * dayMs;
  }
  const endorsements = members / 4;
  const endorser = new Int32Array(endorsements);
  const endorsee = new Int32Array(endorsements);
  const topic = new Int32Array(endorsements);
  const endorsedAt = new Float64Array(endorsements);
  for (let i = 0; i < endorsements; i++) {
    const from = (i * 4 + 1) % members;
    const to = popular();
    endorser[i] = from;
    endorsee[i] = to === from ? (from + 1) % members : to;
    topic[i] = i % topics;
    endorsedAt[i] = now - random() * 180 * dayMs;
  }
  return {
    memberCount: members,
    topicCount: topics,
    follows: { follower, followee },
    interactions: { actor, target, kind, at },
    endorsements: { endorser, endorsee, topic, at: endorsedAt },
  };
}

/**
 * Builds the live state of a made-up community and runs `rounds` rounds of events through it —
 * interactions, follows, unfollows and an endorsement — each followed by what the scorer does with
 * the moves (explanations, topic expertise, accepting the new values).
 */
export function warmUpIncremental(model: ModelParameters, options: WarmUpOptions = {}): WarmUpSummary {
  const started = performance.now();
  const members = options.members ?? 2_000;
  const rounds = options.rounds ?? 30;
  // The same numbers every time: the warm-up does the same work on every start.
  const random = seededRandom(7);
  const now = Date.now();
  const live = LiveScores.build(madeUpCommunity(members, random, now), model, now);
  const pick = () => Math.floor(members * random());
  let moves = 0;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 100; i++) {
      const from = pick();
      live.interact(from, (from + 1 + pick()) % members, i % interactionKindCodes.length, now);
    }
    const from = pick();
    const to = (from + 1 + pick()) % members;
    live.follow(from, to);
    if (round % 2 === 1) live.unfollow(from, to);
    live.endorse(from, to, round % topics, now);
    for (const v of live.takeChanges()) {
      live.scoreOf(v);
      live.explain(v);
      for (let k = 0; k < topics; k++) live.topicScoreOf(v, k);
      live.accept(v);
      moves++;
    }
  }
  return { moves, ms: performance.now() - started };
}
