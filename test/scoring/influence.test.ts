// The influence lists' shares (src/scoring/influence.ts, from one member's edges and stored
// figures) are the explanation's member shares of a full recompute, to rounding.
import { describe, expect, it } from "vitest";
import { CauseCode, type Community, interactionKindCodes } from "../../src/scoring/community.js";
import { endorsementShareOf, memberShare, outWeights, pairWeights } from "../../src/scoring/influence.js";
import { defaultModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import { communityOf, lcg } from "../support/community.js";

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 1);

function randomCommunity(n: number, seed: number, withEndorsements: boolean): Community {
  const random = lcg(seed);
  const pick = () => Math.floor(n * random() ** 2);
  const follows: [number, number][] = [];
  const interactions: [number, number, number, number][] = [];
  const endorsements: [number, number, number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let e = 0; e < 4; e++) {
      const v = pick();
      if (v !== u && !follows.some(([a, b]) => a === u && b === v)) follows.push([u, v]);
    }
    for (let e = 0; e < 3; e++) {
      const v = pick();
      if (v !== u) interactions.push([u, v, Math.floor(random() * 4), now - random() * 90 * day]);
    }
    if (withEndorsements && random() < 0.5) {
      const v = pick();
      if (v !== u) endorsements.push([u, v, Math.floor(random() * 2), now - random() * 200 * day]);
    }
  }
  return communityOf(n, { follows, interactions, endorsements, topicCount: 2 });
}

describe("influence shares", () => {
  for (const withEndorsements of [true, false]) {
    it(`equal the explanation's member shares (${withEndorsements ? "with" : "without"} endorsements)`, () => {
      const n = 60;
      const community = randomCommunity(n, 7, withEndorsements);
      const model = { ...defaultModel, topCauses: 50 };
      const scores = recomputeAll(community, model, now);
      const { follows, interactions } = community;
      const weights = pairWeights(
        model,
        {
          follows: Array.from(follows.follower, (u, i) => [u, follows.followee[i] as number] as const),
          interactions: Array.from(interactions.actor, (u, i) => ({
            actor: u,
            target: interactions.target[i] as number,
            kind: interactionKindCodes[
              interactions.kind[i] as number
            ] as (typeof interactionKindCodes)[number],
            at: interactions.at[i] as number,
          })),
        },
        now,
      );
      const totals = outWeights(weights);
      const x = (v: number) => (scores.network[v] as number) * n;
      let compared = 0;
      for (let v = 0; v < n; v++) {
        const figures = {
          raw: scores.raw[v] as number,
          network: x(v),
          endorsement: scores.endorsement[v] as number,
        };
        const s = endorsementShareOf(model, figures);
        expect(s).toBeCloseTo(withEndorsements ? model.endorsementShare : 0, 12);
        const { k, kind, source, share } = scores.explanations;
        for (let r = 0; r < k; r++) {
          if (kind[v * k + r] !== CauseCode.Member || (share[v * k + r] as number) === 0) continue;
          const u = source[v * k + r] as number;
          const computed = memberShare(model, {
            networkOfSource: x(u),
            weight: weights.get(u)?.get(v) ?? 0,
            sourceOutWeight: totals.get(u) ?? 0,
            rawOfTarget: figures.raw,
            endorsementShare: s,
          });
          expect(computed).toBeCloseTo(share[v * k + r] as number, 12);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(n);
    });
  }
});
