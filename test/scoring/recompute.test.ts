import { describe, expect, it } from "vitest";
import { CauseCode, type Community, topicScoreOf } from "../../src/scoring/community.js";
import { valueEndorsements } from "../../src/scoring/endorsements.js";
import { defaultModel, type ModelParameters, parseModel } from "../../src/scoring/model.js";
import { setPagerankThreads, threadsAvailable } from "../../src/scoring/pagerank-threads.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import { scaleScore } from "../../src/scoring/scale.js";
import { communityOf, lcg } from "../support/community.js";

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 1);

type Kind = "MENTION" | "REPLY" | "SHARE" | "LIKE";
const kindCode: Record<Kind, number> = { MENTION: 0, REPLY: 1, SHARE: 2, LIKE: 3 };

function community(
  memberCount: number,
  parts: {
    follows?: [number, number][];
    interactions?: [number, number, Kind, number?][];
    endorsements?: [number, number, number, number?][];
    topicCount?: number;
  },
): Community {
  return communityOf(memberCount, {
    follows: parts.follows,
    interactions: parts.interactions?.map(([a, b, kind, days]) => [
      a,
      b,
      kindCode[kind],
      now - (days ?? 0) * day,
    ]),
    endorsements: parts.endorsements?.map(([a, b, topic, days]) => [a, b, topic, now - (days ?? 0) * day]),
    topicCount: parts.topicCount,
  });
}

/** A seeded random community with hubs. */
function randomCommunity(n: number, seed: number): Community {
  const random = lcg(seed);
  const pick = () => Math.floor(n * random() ** 3);
  const follows: [number, number][] = [];
  const interactions: [number, number, Kind, number][] = [];
  const endorsements: [number, number, number, number][] = [];
  const kinds: Kind[] = ["MENTION", "REPLY", "SHARE", "LIKE"];
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < 5; j++) follows.push([u, pick()]);
    for (let j = 0; j < 3; j++) interactions.push([u, pick(), kinds[j % 4] as Kind, random() * 90]);
    if (random() < 0.3) endorsements.push([u, pick(), Math.floor(random() * 3), random() * 200]);
  }
  return community(n, { follows, interactions, endorsements, topicCount: 3 });
}

describe("recomputeAll", () => {
  it("explains every score: named shares plus the remainder sum to 1", () => {
    const c = randomCommunity(400, 7);
    const { explanations: e } = recomputeAll(c, defaultModel, now);
    for (let v = 0; v < c.memberCount; v++) {
      let sum = e.remainder[v] as number;
      for (let r = 0; r < e.k; r++) sum += e.share[v * e.k + r] as number;
      expect(sum).toBeCloseTo(1, 12);
      for (let r = 1; r < e.k; r++) {
        expect(e.share[v * e.k + r] as number).toBeLessThanOrEqual(e.share[v * e.k + r - 1] as number);
      }
    }
  });

  it("computes the explanation from the score's own numbers: all causes add up to the raw score", () => {
    const c = randomCommunity(120, 3);
    const model: ModelParameters = { ...defaultModel, topCauses: 50 };
    const { raw, network, explanations: e } = recomputeAll(c, model, now);
    const n = c.memberCount;
    let dangling = 0;
    const outgoing = new Uint8Array(n);
    for (const u of c.follows.follower) outgoing[u] = 1;
    for (let i = 0; i < c.interactions.actor.length; i++) {
      if (c.interactions.actor[i] !== c.interactions.target[i])
        outgoing[c.interactions.actor[i] as number] = 1;
    }
    for (let u = 0; u < n; u++) if (!outgoing[u]) dangling += network[u] as number;
    const s = model.endorsementShare;
    const base = (1 - s) * (1 - model.damping + model.damping * dangling);
    const causes = Array.from({ length: n }, () => new Set<string>());
    c.follows.follower.forEach((u, i) => {
      causes[c.follows.followee[i] as number]?.add(`m${u}`);
    });
    c.interactions.actor.forEach((u, i) => {
      const v = c.interactions.target[i] as number;
      if (u !== v) causes[v]?.add(`m${u}`);
    });
    c.endorsements.endorsee.forEach((v, i) => {
      causes[v]?.add(`e${i}`);
    });
    let checked = 0;
    for (let v = 0; v < n; v++) {
      if ((causes[v]?.size ?? 0) > model.topCauses) continue;
      checked++;
      let named = 0;
      for (let r = 0; r < e.k; r++) named += (e.share[v * e.k + r] as number) * (raw[v] as number);
      // With every cause named, the remainder is exactly the teleport and dangling base.
      expect(named + base).toBeCloseTo(raw[v] as number, 9);
    }
    expect(checked).toBeGreaterThan(n / 2);
  });

  it("keeps scores in 1–100 with the median member well above 1", () => {
    const c = randomCommunity(2000, 11);
    const { score } = recomputeAll(c, defaultModel, now);
    const sorted = Array.from(score).sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(1);
    expect(sorted.at(-1)).toBeLessThanOrEqual(100);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    expect(median).toBeGreaterThan(5);
    expect(median).toBeLessThan(50);
    expect(sorted.at(-1)).toBeGreaterThan(70);
  });

  it("counts engagement from many people for more than the same amount from one", () => {
    // Members 1 and 2 each get ten likes: member 1 from ten people, member 2 from one.
    const interactions: [number, number, Kind][] = [];
    for (let u = 3; u < 13; u++) interactions.push([u, 1, "LIKE"]);
    for (let j = 0; j < 10; j++) interactions.push([3, 2, "LIKE"]);
    const { score } = recomputeAll(community(13, { interactions }), defaultModel, now);
    expect(score[1] as number).toBeGreaterThan(score[2] as number);
  });

  it("rewards reactions received, not activity given", () => {
    const interactions: [number, number, Kind][] = [];
    for (let v = 1; v < 20; v++) interactions.push([0, v, "MENTION"]);
    const { score } = recomputeAll(community(20, { interactions, follows: [[5, 6]] }), defaultModel, now);
    // Member 0 engaged with everyone and received nothing: the floor of the scale.
    const min = Math.min(...score);
    expect(score[0]).toBe(min);
  });

  it("weights endorsements by the endorser's standing, discounts reciprocal ones, ignores self", () => {
    // 0 is followed by everyone else (high standing); 1 and 2 are nobodies.
    const follows: [number, number][] = [];
    for (let u = 1; u < 30; u++) follows.push([u, 0]);
    const model = { ...defaultModel, endorsementShare: 0.5 };
    const influence = Float64Array.from({ length: 30 }, (_, u) => (u === 0 ? 20 : 0.5));
    const values = valueEndorsements(
      community(30, {
        endorsements: [
          [0, 10, 0],
          [1, 11, 0],
          [1, 12, 0, 180],
        ],
      }),
      influence,
      model,
      now,
    );
    expect(Array.from(values.value)).toEqual([20, 0.5, 0.25]);

    const both = recomputeAll(
      community(30, {
        follows,
        endorsements: [
          [0, 10, 0],
          [1, 11, 0],
        ],
      }),
      model,
      now,
    );
    expect(both.score[10] as number).toBeGreaterThan(both.score[11] as number);

    const oneWay = recomputeAll(
      community(30, {
        follows,
        endorsements: [
          [2, 3, 0],
          [4, 5, 0],
          [5, 6, 1],
        ],
      }),
      model,
      now,
    );
    const mutual = recomputeAll(
      community(30, {
        follows,
        endorsements: [
          [2, 3, 0],
          [4, 5, 0],
          [5, 4, 0],
        ],
      }),
      model,
      now,
    );
    expect(mutual.endorsement[5] as number).toBeLessThan(oneWay.endorsement[5] as number);

    const self = recomputeAll(community(30, { follows, endorsements: [[7, 7, 0]] }), model, now);
    expect(self.endorsement[7]).toBe(0);
  });

  it("lets endorsements and interactions fade with age, and nothing else move with time", () => {
    const fresh = recomputeAll(
      community(5, { follows: [[0, 1]], endorsements: [[2, 3, 0]], interactions: [[0, 2, "SHARE"]] }),
      defaultModel,
      now,
    );
    const later = recomputeAll(
      community(5, { follows: [[0, 1]], endorsements: [[2, 3, 0]], interactions: [[0, 2, "SHARE"]] }),
      defaultModel,
      now + 365 * day,
    );
    expect(later.score[2] as number).toBeLessThan(fresh.score[2] as number);
    const followsOnly = community(5, {
      follows: [
        [0, 1],
        [2, 1],
        [1, 3],
      ],
    });
    expect(recomputeAll(followsOnly, defaultModel, now).score).toEqual(
      recomputeAll(followsOnly, defaultModel, now + 1000 * day).score,
    );
  });

  it("gives topic expertise only where a member was endorsed in that topic", () => {
    const c = community(6, {
      follows: [[0, 1]],
      endorsements: [
        [0, 2, 1],
        [1, 2, 1],
        [3, 4, 0],
      ],
      topicCount: 2,
    });
    const { topics } = recomputeAll(c, defaultModel, now);
    expect(topicScoreOf(topics, 2, 1)).toBeGreaterThan(1);
    expect(topicScoreOf(topics, 2, 0)).toBe(0);
    expect(topicScoreOf(topics, 4, 0)).toBeGreaterThan(1);
    expect(topicScoreOf(topics, 5, 0)).toBe(0);
    // Only where there is some: members 2 and 4, one topic each.
    expect(Array.from(topics.start)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(Array.from(topics.topic)).toEqual([1, 0]);
  });

  it("names members and endorsements as causes", () => {
    const c = community(4, {
      follows: [
        [0, 1],
        [2, 1],
      ],
      endorsements: [[3, 1, 0]],
    });
    const { explanations: e } = recomputeAll(c, defaultModel, now);
    const kinds = Array.from(e.kind.slice(e.k, e.k * 2)).slice(0, 3);
    const sources = Array.from(e.source.slice(e.k, e.k * 2)).slice(0, 3);
    expect(kinds).toContain(CauseCode.Endorsement);
    expect(sources).toEqual(expect.arrayContaining([0, 2]));
  });
});

describe("scale", () => {
  it("is monotone and bounded, and does not depend on anyone else", () => {
    let previous = 0;
    for (const x of [0, 1e-9, 0.01, 0.1, 0.3, 1, 3, 10, 100, 1e4, 1e9]) {
      const s = scaleScore(x, defaultModel);
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(100);
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
    expect(scaleScore(defaultModel.scaleMidpoint, defaultModel)).toBeCloseTo(50.5, 10);
  });
});

describe("parseModel", () => {
  it("fills defaults and refuses bad parameters with every problem named", () => {
    expect(parseModel({ version: 2, damping: 0.9 })).toMatchObject({
      version: 2,
      damping: 0.9,
      noiseFloor: 0.5,
    });
    expect(() => parseModel({ damping: 1.5, noiseFloor: -1, interactionWeights: { LIKE: -2 } })).toThrow(
      /damping.*noiseFloor.*LIKE/,
    );
  });
});

describe("recomputeAll on two threads", () => {
  it("gives bit for bit the result of one thread (the worker builds the interaction part, maps the scores, computes topic expertise and explains rows)", () => {
    // 5 follows and 3 interactions a member: over the 200k pairs from which the graph goes on
    // shared memory and the worker takes part (pagerank-threads.ts).
    const input = randomCommunity(45_000, 7);
    const two = recomputeAll(input, defaultModel, now);
    expect(two.explanations.share.buffer).toBeInstanceOf(SharedArrayBuffer);
    setPagerankThreads(1);
    let one: ReturnType<typeof recomputeAll>;
    try {
      one = recomputeAll(input, defaultModel, now);
    } finally {
      setPagerankThreads(2);
    }
    expect(one.explanations.share.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const bytes = (
      a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number },
    ) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const key of ["raw", "score", "network", "endorsement"] as const) {
      expect(bytes(two[key]).equals(bytes(one[key]))).toBe(true);
    }
    for (const key of ["start", "topic", "score"] as const) {
      expect(bytes(two.topics[key]).equals(bytes(one.topics[key]))).toBe(true);
    }
    for (const key of ["kind", "source", "share", "remainder"] as const) {
      expect(bytes(two.explanations[key]).equals(bytes(one.explanations[key]))).toBe(true);
    }
  });

  it("reports a member out of range from either thread's part of the build, and keeps the worker", () => {
    // The main thread builds the follow part, the worker the interaction part (buildGraphAndTerms).
    const badFollow = randomCommunity(45_000, 8);
    badFollow.follows.followee[123] = 45_000;
    expect(() => recomputeAll(badFollow, defaultModel, now)).toThrow(RangeError);
    expect(threadsAvailable()).toBe(true);
    const badInteraction = randomCommunity(45_000, 9);
    badInteraction.interactions.target[456] = -1;
    expect(() => recomputeAll(badInteraction, defaultModel, now)).toThrow(
      new RangeError("an interaction refers to member -1, outside [0, 45000)"),
    );
    expect(threadsAvailable()).toBe(true);
    const good = recomputeAll(randomCommunity(45_000, 9), defaultModel, now);
    expect(good.explanations.share.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(good.score.every((x) => x >= 1 && x <= 100)).toBe(true);
  });
});
