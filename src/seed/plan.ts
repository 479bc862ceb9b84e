// The demo community as plain data, generated deterministically from a seed. Members are referred
// to by their index in `members`; the database ids are known only once they are inserted.
import type { InteractionKind, Role, ScoreVisibility } from "../generated/prisma/sqlite/enums.js";
import { demoTopics, endorsementNotes, firstNames, lastNames, type TopicSpec } from "./vocabulary.js";

export const demoAdminHandle = "demo_admin";

const kinds: readonly [InteractionKind, number][] = [
  ["LIKE", 0.55],
  ["REPLY", 0.2],
  ["SHARE", 0.15],
  ["MENTION", 0.1],
];
const visibilities: readonly [ScoreVisibility, number][] = [
  ["PUBLIC", 0.4],
  ["MEMBERS", 0.2],
  ["PRIVATE", 0.4],
];

const dayMs = 24 * 60 * 60 * 1000;
const activityWindowMs = 90 * dayMs;
const oldestMemberMs = 400 * dayMs;
/** Zipf exponent of popularity by rank; in-degrees then follow a power law with exponent ~2.2. */
const popularityExponent = 0.85;
const meanFollows = 10;
const meanInteractions = 5;
const meanEndorsements = 1.5;
const followsInTopicShare = 0.6;
const interactionsWithFolloweeShare = 0.85;
const anonymousShare = 0.03;
const reciprocalEndorsementShare = 0.1;
const endorsementsPerDay = 5;
/** Endorsements come in sessions: this share follows the endorser's previous one within hours. */
const endorsementSessionShare = 0.6;
const sessionMs = 3 * 60 * 60 * 1000;

export interface MemberPlan {
  handle: string;
  name: string;
  bio: string;
  role: Role;
  scoreVisibility: ScoreVisibility;
  anonymousReach: number;
  joinedAt: number;
  topics: number[];
}

export interface InteractionPlan {
  kind: InteractionKind;
  /** Member indexes; -1 is a non-member, who is never named. */
  actor: number;
  target: number;
  at: number;
}

export interface EndorsementPlan {
  endorser: number;
  endorsee: number;
  topic: number;
  note: string | null;
  at: number;
}

export interface CommunityPlan {
  members: MemberPlan[];
  follows: { follower: Int32Array; followee: Int32Array; at: Float64Array };
  interactions: InteractionPlan[];
  endorsements: EndorsementPlan[];
}

type Random = () => number;

/** mulberry32: a tiny, fast 32-bit generator; plenty for demo data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const below = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[below(random, items.length)] as T;
const between = (random: Random, from: number, to: number) => from + random() * Math.max(0, to - from);

function pickWeighted<T>(random: Random, options: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [value, weight] of options) {
    r -= weight;
    if (r < 0) return value;
  }
  return (options[options.length - 1] as readonly [T, number])[0];
}

/** A heavy-tailed count with the given mean: a few very active members, many light ones. */
function heavyTailedCount(random: Random, mean: number, sigma = 1): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.floor(Math.exp(Math.log(mean + 0.5) - (sigma * sigma) / 2 + sigma * normal));
}

/** Draws member indexes in proportion to their weights; -1 when there is nobody to draw. */
function weightedSampler(random: Random, items: number[], weight: (item: number) => number): () => number {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => {
    total += weight(item);
    cumulative[i] = total;
  });
  return () => {
    if (items.length === 0) return -1;
    const r = random() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as number;
  };
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The base when it is free, else the base plus a random number that grows with the collisions. */
function uniqueHandle(random: Random, base: string, taken: Set<string>): string {
  let handle = base;
  for (let attempt = 0; taken.has(handle); attempt++) {
    const digits = 2 + Math.floor(attempt / 4);
    const suffix = String(10 ** (digits - 1) + below(random, 9 * 10 ** (digits - 1)));
    handle = `${base.slice(0, 30 - suffix.length)}${suffix}`;
  }
  taken.add(handle);
  return handle;
}

function handleBase(random: Random, first: string, last: string, topic: TopicSpec): string {
  const patterns = [
    `${first}${last}`,
    `${first}_${last}`,
    `${first.charAt(0)}${last}`,
    `${first}_${topic.handleWord}`,
  ];
  return pick(random, patterns);
}

function interestTopics(random: Random): number[] {
  const count = 1 + below(random, 3);
  const chosen = new Set<number>();
  const total = demoTopics.reduce((sum, topic) => sum + topic.popularity, 0);
  const weights = demoTopics.map((topic, i) => [i, topic.popularity / total] as const);
  while (chosen.size < count) chosen.add(pickWeighted(random, weights));
  return [...chosen];
}

function bioFor(random: Random, topics: number[]): string {
  const phrases = topics.map((t) => pick(random, (demoTopics[t] as TopicSpec).bioPhrases));
  return `${phrases.join(". ")}.`;
}

function planMember(random: Random, index: number, now: number, taken: Set<string>): MemberPlan {
  const topics = interestTopics(random);
  const first = pick(random, firstNames);
  const last = pick(random, lastNames);
  const admin = index === 0 && !taken.has(demoAdminHandle);
  const base = handleBase(random, first, last, demoTopics[topics[0] as number] as TopicSpec);
  return {
    handle: admin ? uniqueHandle(random, demoAdminHandle, taken) : uniqueHandle(random, base, taken),
    name: admin ? "Demo Admin" : `${capitalize(first)} ${capitalize(last)}`,
    bio: bioFor(random, topics),
    role: admin ? "ADMIN" : "MEMBER",
    scoreVisibility: pickWeighted(random, visibilities),
    anonymousReach: 0,
    // Most members joined long ago; sqrt skews the draw towards the oldest dates.
    joinedAt: now - oldestMemberMs * Math.sqrt(random()) - dayMs,
    topics,
  };
}

function membersByTopic(members: MemberPlan[]): number[][] {
  const byTopic = demoTopics.map((): number[] => []);
  members.forEach((member, i) => {
    for (const t of member.topics) byTopic[t]?.push(i);
  });
  return byTopic;
}

/** Zipf-like popularity by a random rank: a few hubs, a long tail of light users. */
function popularity(random: Random, count: number): Float64Array {
  const ranks = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [ranks[i], ranks[j]] = [ranks[j] as number, ranks[i] as number];
  }
  return Float64Array.from(ranks, (rank) => 1 / (rank + 1) ** popularityExponent);
}

function planFollows(random: Random, members: MemberPlan[], now: number): CommunityPlan["follows"] {
  const weight = popularity(random, members.length);
  const everyone = weightedSampler(
    random,
    members.map((_, i) => i),
    (i) => weight[i] as number,
  );
  const inTopic = membersByTopic(members).map((items) =>
    weightedSampler(random, items, (i) => weight[i] as number),
  );
  const follower: number[] = [];
  const followee: number[] = [];
  const at: number[] = [];
  members.forEach((member, i) => {
    const degree = Math.min(members.length - 1, Math.max(1, heavyTailedCount(random, meanFollows)));
    const chosen = new Set<number>([i]);
    for (let attempt = 0; chosen.size <= degree && attempt < degree * 5; attempt++) {
      const draw = random() < followsInTopicShare ? inTopic[pick(random, member.topics)] : everyone;
      const j = (draw as () => number)();
      if (chosen.has(j)) continue;
      chosen.add(j);
      follower.push(i);
      followee.push(j);
      at.push(between(random, Math.max(member.joinedAt, (members[j] as MemberPlan).joinedAt), now));
    }
  });
  return {
    follower: Int32Array.from(follower),
    followee: Int32Array.from(followee),
    at: Float64Array.from(at),
  };
}

/** Where each member's followees start in `follows` (which is grouped by follower). */
function followeeOffsets(count: number, follows: CommunityPlan["follows"]): Int32Array {
  const offsets = new Int32Array(count + 1);
  for (const f of follows.follower) offsets[f + 1] = (offsets[f + 1] as number) + 1;
  for (let i = 0; i < count; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  return offsets;
}

function inDegrees(count: number, follows: CommunityPlan["follows"]): Int32Array {
  const degrees = new Int32Array(count);
  for (const f of follows.followee) degrees[f] = (degrees[f] as number) + 1;
  return degrees;
}

function planInteractions(
  random: Random,
  members: MemberPlan[],
  follows: CommunityPlan["follows"],
  now: number,
) {
  const offsets = followeeOffsets(members.length, follows);
  const interactions: InteractionPlan[] = [];
  const since = now - activityWindowMs;
  members.forEach((member, i) => {
    const count = heavyTailedCount(random, meanInteractions);
    for (let n = 0; n < count; n++) {
      const kind = pickWeighted(random, kinds);
      if (random() < anonymousShare) {
        member.anonymousReach++;
        const at = between(random, Math.max(since, member.joinedAt), now);
        interactions.push(
          random() < 0.7 ? { kind, actor: -1, target: i, at } : { kind, actor: i, target: -1, at },
        );
        continue;
      }
      const start = offsets[i] as number;
      const followees = (offsets[i + 1] as number) - start;
      const useFollowee = followees > 0 && random() < interactionsWithFolloweeShare;
      const target = useFollowee
        ? (follows.followee[start + below(random, followees)] as number)
        : below(random, members.length);
      if (target === i) continue;
      const joined = Math.max(since, member.joinedAt, (members[target] as MemberPlan).joinedAt);
      interactions.push({ kind, actor: i, target, at: between(random, joined, now) });
    }
  });
  return interactions;
}

/** Tracks endorsement times so that nobody gives more than the limit within any 24 hours. */
class EndorsementLedger {
  private readonly given = new Set<string>();
  private readonly times = new Map<number, number[]>();

  allows(e: Omit<EndorsementPlan, "note">): boolean {
    if (e.endorser === e.endorsee || this.given.has(`${e.endorser}:${e.endorsee}:${e.topic}`)) return false;
    const near = (this.times.get(e.endorser) ?? []).filter((t) => Math.abs(t - e.at) < dayMs);
    return near.length < endorsementsPerDay;
  }

  latest(endorser: number): number | undefined {
    return this.times.get(endorser)?.at(-1);
  }

  record(e: EndorsementPlan): void {
    this.given.add(`${e.endorser}:${e.endorsee}:${e.topic}`);
    const times = this.times.get(e.endorser);
    if (times) times.push(e.at);
    else this.times.set(e.endorser, [e.at]);
  }
}

function planEndorsements(
  random: Random,
  members: MemberPlan[],
  follows: CommunityPlan["follows"],
  now: number,
) {
  const degrees = inDegrees(members.length, follows);
  const inTopic = membersByTopic(members).map((items) =>
    weightedSampler(random, items, (i) => (degrees[i] as number) + 1),
  );
  const ledger = new EndorsementLedger();
  const endorsements: EndorsementPlan[] = [];
  const since = now - activityWindowMs;
  const tryEndorse = (endorser: number, endorsee: number, topic: number) => {
    const joined = Math.max(
      since,
      (members[endorser] as MemberPlan).joinedAt,
      (members[endorsee] as MemberPlan).joinedAt,
    );
    const previous = ledger.latest(endorser);
    const inSession = previous !== undefined && previous >= joined && random() < endorsementSessionShare;
    const at = inSession
      ? between(random, previous, Math.min(now, previous + sessionMs))
      : between(random, joined, now);
    const note = random() < 0.4 ? pick(random, endorsementNotes) : null;
    const endorsement = { endorser, endorsee, topic, note, at };
    if (!ledger.allows(endorsement)) return false;
    ledger.record(endorsement);
    endorsements.push(endorsement);
    return true;
  };
  members.forEach((member, i) => {
    const count = Math.min(25, heavyTailedCount(random, meanEndorsements));
    for (let n = 0; n < count; n++) {
      const topic = random() < 0.8 ? pick(random, member.topics) : below(random, demoTopics.length);
      const endorsee = (inTopic[topic] as () => number)();
      if (endorsee < 0 || !tryEndorse(i, endorsee, topic)) continue;
      const endorsesBack = member.topics.includes(topic) && random() < reciprocalEndorsementShare;
      if (endorsesBack) tryEndorse(endorsee, i, topic);
    }
  });
  return endorsements;
}

/**
 * Plans a community of `count` members. Handles in `taken` are avoided (and the new ones added),
 * so a plan can be added to a database that already has members.
 */
export function planCommunity(
  count: number,
  seed: number,
  now: number,
  taken = new Set<string>(),
): CommunityPlan {
  const random = seededRandom(seed);
  const members = Array.from({ length: count }, (_, i) => planMember(random, i, now, taken));
  const follows = planFollows(random, members, now);
  const interactions = planInteractions(random, members, follows, now);
  const endorsements = planEndorsements(random, members, follows, now);
  return { members, follows, interactions, endorsements };
}
