import { describe, expect, it } from "vitest";
import type { Community } from "../../src/scoring/community.js";
import {
  buildInfluenceGraph,
  buildSplitInfluenceGraph,
  interactionWeights,
  pairWeight,
} from "../../src/scoring/graph.js";
import { groupIndicesByKey, radixOrder, radixSortPairs } from "../../src/scoring/group.js";
import { defaultModel } from "../../src/scoring/model.js";
import { communityOf, lcg } from "../support/community.js";

const now = Date.UTC(2026, 10, 1);
const day = 24 * 60 * 60 * 1000;

/** Follows by follower (as the scorer loads them), with repeats and self-follows; hubs get most. */
function sample(n: number, seed: number): Community {
  const random = lcg(seed);
  const pick = () => Math.floor(n * random() ** 3);
  const follows: [number, number][] = [];
  const interactions: [number, number, number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < 6; j++) follows.push([u, pick()]);
    if (random() < 0.2) follows.push([u, u]);
    for (let j = 0; j < 4; j++) interactions.push([pick(), pick(), j % 4, now - random() * 90 * day]);
  }
  return communityOf(n, { follows, interactions });
}

/** The same community with its follows and interactions in another order. */
function shuffled(community: Community, seed: number): Community {
  const random = lcg(seed);
  const permutation = (length: number) => {
    const p = Array.from({ length }, (_, i) => i);
    for (let i = length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    return p;
  };
  const f = permutation(community.follows.follower.length);
  const { follows } = community;
  return {
    ...community,
    follows: {
      follower: Int32Array.from(f, (i) => follows.follower[i] as number),
      followee: Int32Array.from(f, (i) => follows.followee[i] as number),
    },
  };
}

/** Every pair's weight, from first principles: a map over the lists, interactions summed in order. */
function referenceWeights(community: Community): Map<string, number> {
  const parts = new Map<string, { follows: number; sum: number }>();
  const part = (u: number, v: number) => {
    const key = `${u}>${v}`;
    const p = parts.get(key) ?? { follows: 0, sum: 0 };
    parts.set(key, p);
    return p;
  };
  const { follower, followee } = community.follows;
  for (let i = 0; i < follower.length; i++) {
    if (follower[i] !== followee[i]) part(follower[i] as number, followee[i] as number).follows = 1;
  }
  const weights = interactionWeights(community, defaultModel, now);
  const { actor, target } = community.interactions;
  for (let i = 0; i < actor.length; i++) {
    if (actor[i] === target[i]) continue;
    const p = part(actor[i] as number, target[i] as number);
    p.sum += weights[i] as number;
  }
  return new Map([...parts].map(([key, p]) => [key, pairWeight(defaultModel, p.follows, p.sum)]));
}

/**
 * Both graphs have exactly the reference's pairs and weights, each row by increasing source; the
 * split graph's follow part holds each followed pair once and its parts add up to the weight.
 */
function expectReferenceGraph(community: Community): void {
  expectReferenceSplit(community);
  const graph = buildInfluenceGraph(community, defaultModel, now);
  const seen = new Map<string, number>();
  let unsorted = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    const first = graph.rowStart[v] as number;
    const last = graph.rowStart[v + 1] as number;
    for (let e = first; e < last; e++) {
      if (e > first && (graph.source[e] as number) <= (graph.source[e - 1] as number)) unsorted++;
      seen.set(`${graph.source[e]}>${v}`, graph.weight[e] as number);
    }
  }
  expect(unsorted).toBe(0);
  expect(seen).toEqual(referenceWeights(community));
}

function expectReferenceSplit(community: Community): void {
  const split = buildSplitInfluenceGraph(community, defaultModel, now);
  const expected = referenceWeights(community);
  const seen = new Map<string, number>();
  const outWeight = new Float64Array(split.nodeCount);
  let unsorted = 0;
  for (let v = 0; v < split.nodeCount; v++) {
    for (const part of [split.follow, split.extra]) {
      const first = part.rowStart[v] as number;
      const last = part.rowStart[v + 1] as number;
      for (let e = first; e < last; e++) {
        const u = part.source[e] as number;
        if (e > first && u <= (part.source[e - 1] as number)) unsorted++;
        const w = part === split.extra ? (split.extra.weight[e] as number) : split.followWeight;
        seen.set(`${u}>${v}`, (seen.get(`${u}>${v}`) ?? 0) + w);
        outWeight[u] = (outWeight[u] as number) + w;
      }
    }
  }
  expect(unsorted).toBe(0);
  expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, w] of expected) expect(seen.get(key)).toBeCloseTo(w, 12);
  let worst = 0;
  for (let u = 0; u < split.nodeCount; u++)
    worst = Math.max(worst, Math.abs((split.outWeight[u] as number) - (outWeight[u] as number)));
  expect(worst).toBeLessThan(1e-12);
}

describe("the influence graph", () => {
  it("has each pair once, by increasing source, weighing exactly its follow plus its interactions", () => {
    expectReferenceGraph(sample(300, 7));
    expectReferenceGraph(shuffled(sample(300, 8), 9));
  });

  it("does the same with more members than a follow's packed form holds (two arrays per follow)", () => {
    // Beyond 2^20 members a follower no longer fits beside its followee's offset in one Int32.
    const n = 2 ** 20 + 1000;
    const random = lcg(5);
    const pick = () => Math.floor(n * random());
    const hub = n - 1;
    const follows: [number, number][] = [];
    const interactions: [number, number, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      follows.push([pick(), i % 3 === 0 ? hub : pick()]);
      interactions.push([pick(), i % 2 === 0 ? hub : pick(), i % 4, now - random() * 90 * day]);
    }
    follows.push([hub, 7], [hub, 7], [12, 12]);
    expectReferenceGraph(communityOf(n, { follows, interactions }));
  });

  it("is the same bit for bit whether the follows come by follower or in any order", () => {
    const byFollower = sample(500, 11);
    const anyOrder = shuffled(byFollower, 12);
    expect(buildSplitInfluenceGraph(anyOrder, defaultModel, now)).toEqual(
      buildSplitInfluenceGraph(byFollower, defaultModel, now),
    );
    expect(buildInfluenceGraph(anyOrder, defaultModel, now)).toEqual(
      buildInfluenceGraph(byFollower, defaultModel, now),
    );
  });

  it("refuses a follow or an interaction that refers to no member, whichever way it is built", () => {
    const community = sample(50, 21);
    const badFollow = {
      ...community,
      follows: { ...community.follows, followee: community.follows.followee.slice() },
    };
    badFollow.follows.followee[70] = 50;
    const badActor = {
      ...community,
      interactions: { ...community.interactions, actor: community.interactions.actor.slice() },
    };
    badActor.interactions.actor[3] = -1;
    for (const build of [buildInfluenceGraph, buildSplitInfluenceGraph]) {
      expect(() => build(badFollow, defaultModel, now)).toThrow(
        /a follow refers to member 50, outside \[0, 50\)/,
      );
      expect(() => build(badActor, defaultModel, now)).toThrow(/an interaction refers to member -1/);
    }
  });
});

describe("grouping by key", () => {
  it("orders indices (or the items themselves) stably by the last key, then the ones before, for any number of rows", () => {
    for (const rows of [1, 7, 5000, 3_000_000]) {
      const random = lcg(rows);
      const a = Int32Array.from({ length: 3000 }, () => Math.floor(random() * Math.min(rows, 40)));
      const b = Int32Array.from({ length: 3000 }, () => Math.floor(random() * rows));
      const expected = Array.from({ length: 3000 }, (_, i) => i).sort(
        (i, j) => (b[i] as number) - (b[j] as number) || (a[i] as number) - (a[j] as number) || i - j,
      );
      expect(Array.from(radixOrder([a, b], rows))).toEqual(expected);
      const value = Float64Array.from({ length: 3000 }, (_, i) => i + 0.5);
      const sorted = radixSortPairs(a, b, value, rows);
      expect(Array.from(sorted.value)).toEqual(expected.map((i) => i + 0.5));
      expect(Array.from(sorted.minor)).toEqual(expected.map((i) => a[i]));
      expect(Array.from(sorted.major)).toEqual(expected.map((i) => b[i]));
      const { start, order } = groupIndicesByKey(b, rows);
      expect(Array.from(order)).toEqual(
        Array.from({ length: 3000 }, (_, i) => i).sort(
          (i, j) => (b[i] as number) - (b[j] as number) || i - j,
        ),
      );
      for (let r = 0; r < Math.min(rows, 100); r++) {
        for (let g = start[r] as number; g < (start[r + 1] as number); g++)
          expect(b[order[g] as number]).toBe(r);
      }
    }
  });
});
