import { describe, expect, it } from "vitest";
import { CauseCode, type Community, type Scores, topicScoreOf } from "../../src/scoring/community.js";
import { LiveScores } from "../../src/scoring/incremental.js";
import { defaultModel, type ModelParameters } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import { lcg } from "../support/community.js";

const day = 24 * 60 * 60 * 1000;
const anchor = Date.UTC(2026, 10, 1);

/** A community as plain lists, changed event by event alongside the live state. */
class Mirror {
  follows = new Map<string, [number, number]>();
  interactions: [number, number, number, number][] = [];
  /** Every endorsement ever given, in LiveScores index order, with whether it is still in force. */
  endorsements: { a: number; b: number; topic: number; at: number; active: boolean }[] = [];
  /** Erased members: they keep their LiveScores index, but a full recompute never sees them. */
  removed = new Set<number>();

  constructor(
    public memberCount: number,
    readonly topicCount: number,
  ) {}

  /**
   * The community recomputeAll sees — erased members left out, the rest renumbered densely, as
   * the database would load it — with the way between its indices and LiveScores'.
   */
  community(): { community: Community; liveIndex: number[]; memberOf: number[]; liveMember: number[] } {
    const liveMember = Array.from({ length: this.memberCount }, (_, v) => v).filter(
      (v) => !this.removed.has(v),
    );
    const memberOf = new Array<number>(this.memberCount).fill(-1);
    liveMember.forEach((v, c) => {
      memberOf[v] = c;
    });
    const m = (v: number) => memberOf[v] as number;
    const follows = [...this.follows.values()];
    const inForce = this.endorsements.flatMap((e, i) => (e.active ? [{ ...e, i }] : []));
    return {
      community: {
        memberCount: liveMember.length,
        topicCount: this.topicCount,
        follows: {
          follower: Int32Array.from(follows, (f) => m(f[0])),
          followee: Int32Array.from(follows, (f) => m(f[1])),
        },
        interactions: {
          actor: Int32Array.from(this.interactions, (x) => m(x[0])),
          target: Int32Array.from(this.interactions, (x) => m(x[1])),
          kind: Uint8Array.from(this.interactions, (x) => x[2]),
          at: Float64Array.from(this.interactions, (x) => x[3]),
        },
        endorsements: {
          endorser: Int32Array.from(inForce, (e) => m(e.a)),
          endorsee: Int32Array.from(inForce, (e) => m(e.b)),
          topic: Int32Array.from(inForce, (e) => e.topic),
          at: Float64Array.from(inForce, (e) => e.at),
        },
      },
      liveIndex: inForce.map((e) => e.i),
      memberOf,
      liveMember,
    };
  }

  /** Erases member v: everything naming them goes, as the database's cascades do. */
  remove(v: number): void {
    this.removed.add(v);
    for (const [key, [a, b]] of this.follows) if (a === v || b === v) this.follows.delete(key);
    this.interactions = this.interactions.filter(([a, b]) => a !== v && b !== v);
    for (const e of this.endorsements) if (e.a === v || e.b === v) e.active = false;
  }

  /** A member who has not been erased. */
  anyMember(random: () => number): number {
    for (;;) {
      const v = Math.floor(random() * this.memberCount);
      if (!this.removed.has(v)) return v;
    }
  }
}

/** A seeded community with hubs: few members are followed and engaged with by many. */
function randomMirror(n: number, seed: number, topicCount = 3, hubs = 3): Mirror {
  const random = lcg(seed);
  const pick = () => Math.floor(n * random() ** hubs);
  const mirror = new Mirror(n, topicCount);
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < 4; j++) {
      const v = pick();
      if (v !== u) mirror.follows.set(`${u}:${v}`, [u, v]);
    }
    for (let j = 0; j < 2; j++) mirror.interactions.push([u, pick(), j % 4, anchor - random() * 90 * day]);
    if (random() < 0.3) {
      const b = pick();
      mirror.endorsements.push({
        a: u,
        b,
        topic: Math.floor(random() * topicCount),
        at: anchor - random() * 200 * day,
        active: true,
      });
    }
  }
  return mirror;
}

/** Applies one random event to both the mirror and the live state. */
function randomEvent(mirror: Mirror, live: LiveScores, random: () => number): string {
  const n = mirror.memberCount;
  const popular = () => Math.floor(n * random() ** 2);
  const pick = () => {
    const v = popular();
    return mirror.removed.has(v) ? mirror.anyMember(random) : v;
  };
  const roll = random();
  if (roll < 0.3) {
    const [u, v, kind, at] = [
      mirror.anyMember(random),
      pick(),
      Math.floor(random() * 4),
      anchor - random() * 30 * day,
    ];
    mirror.interactions.push([u, v, kind, at]);
    live.interact(u, v, kind, at);
    return "interaction";
  }
  if (roll < 0.55) {
    const [u, v] = [mirror.anyMember(random), pick()];
    if (u !== v) mirror.follows.set(`${u}:${v}`, [u, v]);
    live.follow(u, v);
    return "follow";
  }
  if (roll < 0.7) {
    const keys = [...mirror.follows.keys()];
    const key = keys[Math.floor(random() * keys.length)] as string;
    const [u, v] = mirror.follows.get(key) as [number, number];
    mirror.follows.delete(key);
    live.unfollow(u, v);
    return "unfollow";
  }
  if (roll < 0.85) {
    // Sometimes the reverse of an existing endorsement, so reciprocity comes and goes.
    const existing = mirror.endorsements[Math.floor(random() * mirror.endorsements.length)];
    const reverse =
      existing && !mirror.removed.has(existing.a) && !mirror.removed.has(existing.b) && random() < 0.4;
    const a = reverse ? existing.b : mirror.anyMember(random);
    const b = reverse ? existing.a : pick();
    const topic = reverse ? existing.topic : Math.floor(random() * mirror.topicCount);
    const at = anchor - random() * 10 * day;
    mirror.endorsements.push({ a, b, topic, at, active: true });
    expect(live.endorse(a, b, topic, at)).toBe(mirror.endorsements.length - 1);
    return "endorse";
  }
  if (roll < 0.95) {
    const i = Math.floor(random() * mirror.endorsements.length);
    (mirror.endorsements[i] as { active: boolean }).active = false;
    live.revokeEndorsement(i);
    return "revoke";
  }
  if (roll < 0.975) {
    mirror.memberCount++;
    expect(live.addMember()).toBe(mirror.memberCount - 1);
    return "member";
  }
  const v = pick();
  mirror.remove(v);
  live.removeMember(v);
  return "erase";
}

interface Tolerances {
  score: number;
  networkRelative: number;
  share: number;
}

/** The live state agrees with a full recompute of the same community at the same moment. */
function expectAgreement(live: LiveScores, mirror: Mirror, model: ModelParameters, tol: Tolerances) {
  const { community, liveIndex, liveMember } = mirror.community();
  const full = recomputeAll(community, model, anchor);
  const mine = live.snapshot();
  expect(mine.score.length).toBe(mirror.memberCount);
  expect(live.activeMembers).toBe(community.memberCount);
  const t = community.topicCount;
  const worst = { score: 0, network: 0, share: 0 };
  // c indexes the full recompute, v the live state (they differ once someone is erased).
  liveMember.forEach((v, c) => {
    worst.score = Math.max(worst.score, Math.abs((mine.score[v] as number) - (full.score[c] as number)));
    worst.network = Math.max(
      worst.network,
      Math.abs((mine.network[v] as number) / (full.network[c] as number) - 1),
    );
    for (let k = 0; k < t; k++) {
      const f = topicScoreOf(full.topics, c, k);
      const m = topicScoreOf(mine.topics, v, k);
      // No expertise is exactly 0 on both sides; otherwise the values agree.
      expect(m === 0).toBe(f === 0);
      worst.score = Math.max(worst.score, Math.abs(m - f));
    }
    worst.share = Math.max(
      worst.share,
      compareExplanation(v, c, mine, full, { liveIndex, liveMember }, tol.share),
    );
  });
  expect(worst.score).toBeLessThan(tol.score);
  expect(worst.network).toBeLessThan(tol.networkRelative);
  expect(worst.share).toBeLessThan(tol.share);
  return worst;
}

/** The largest share difference; causes are compared by identity wherever their order is not within tolerance of a tie. */
function compareExplanation(
  v: number,
  c: number,
  mine: Scores,
  full: Scores,
  maps: { liveIndex: number[]; liveMember: number[] },
  shareTolerance: number,
): number {
  // Two causes closer than the shares' tolerance may trade places.
  const tie = 2 * shareTolerance;
  const { k } = full.explanations;
  let worst = Math.abs(
    (mine.explanations.remainder[v] as number) - (full.explanations.remainder[c] as number),
  );
  for (let r = 0; r < k; r++) {
    const fullShare = full.explanations.share[c * k + r] as number;
    const myShare = mine.explanations.share[v * k + r] as number;
    worst = Math.max(worst, Math.abs(fullShare - myShare));
    const next = r + 1 < k ? (full.explanations.share[c * k + r + 1] as number) : 0;
    const previous = r > 0 ? (full.explanations.share[c * k + r - 1] as number) : Number.POSITIVE_INFINITY;
    if (fullShare === 0 || fullShare - next < tie || previous - fullShare < tie) continue;
    expect(mine.explanations.kind[v * k + r]).toBe(full.explanations.kind[c * k + r]);
    const source = full.explanations.source[c * k + r] as number;
    const expected =
      full.explanations.kind[c * k + r] === CauseCode.Endorsement
        ? maps.liveIndex[source]
        : maps.liveMember[source];
    expect(mine.explanations.source[v * k + r]).toBe(expected);
  }
  return worst;
}

/**
 * The stated tolerance for push tolerance ε: every member's y is within relative ε, so network
 * influence (y/S) within 2ε, endorsement values and raw scores within 2ε, a 1–100 score within
 * (99γ/4)·2ε ≤ 30ε points, and an explanation share (a contribution over raw) within 4ε.
 */
function tolerancesFor(epsilon: number): Tolerances {
  const rounding = 1e-9;
  return {
    networkRelative: 2 * epsilon + rounding,
    score: 30 * epsilon + rounding,
    share: 4 * epsilon + rounding,
  };
}
const tolerances = tolerancesFor(1e-3);

describe("LiveScores", () => {
  it("starts out equal to the full recompute it was built from", () => {
    const mirror = randomMirror(400, 3);
    const live = LiveScores.build(mirror.community().community, defaultModel, anchor);
    expectAgreement(live, mirror, defaultModel, tolerances);
  });

  it.each([
    [11, 1e-3, defaultModel],
    [12, 1e-3, { ...defaultModel, followWeight: 0.3, pairInteractionCap: 1, endorsementShare: 0.6 }],
    [13, 1e-4, defaultModel],
    [14, 1e-9, defaultModel],
  ])(
    "agrees with a full recompute after every stretch of random events (seed %i, ε %s)",
    (seed, epsilon, model) => {
      const mirror = randomMirror(300, seed);
      const live = LiveScores.build(mirror.community().community, model, anchor, { tolerance: epsilon });
      const random = lcg(seed * 7919);
      const seen = new Set<string>();
      for (let stretch = 0; stretch < 8; stretch++) {
        for (let i = 0; i < 60; i++) seen.add(randomEvent(mirror, live, random));
        expectAgreement(live, mirror, model, tolerancesFor(epsilon));
      }
      expect([...seen].sort()).toEqual([
        "endorse",
        "erase",
        "follow",
        "interaction",
        "member",
        "revoke",
        "unfollow",
      ]);
    },
  );

  it("treats a repeated follow and an unknown unfollow as no change", () => {
    const mirror = randomMirror(200, 5);
    const live = LiveScores.build(mirror.community().community, defaultModel, anchor);
    const [u, v] = [...mirror.follows.values()][0] as [number, number];
    const before = live.snapshot().score;
    live.follow(u, v);
    expect(live.settle().pushes).toBe(0);
    live.unfollow(v, v);
    live.follow(u, u);
    expect(live.settle().pushes).toBe(0);
    expect(live.snapshot().score).toEqual(before);
  });

  it("touches only the members an event reaches", () => {
    const n = 40_000;
    const mirror = randomMirror(n, 21);
    const live = LiveScores.build(mirror.community().community, defaultModel, anchor);
    // Two members at the quiet end of the community.
    const [u, v] = [n - 1, n - 2];
    mirror.follows.set(`${u}:${v}`, [u, v]);
    live.follow(u, v);
    const stats = live.settle();
    expect(stats.pushes).toBeGreaterThan(0);
    // A full recompute reads every member's edges dozens of times; this pushes from a few
    // percent of members once or twice (what moved by more than ε; hubs spread it furthest).
    expect(stats.moved).toBeLessThan(n / 10);
    expect(stats.pushes).toBeLessThan(n / 10);
  });

  it("reports exactly the moves of at least the noise floor, checking only touched members between sweeps", () => {
    const n = 5_000;
    const mirror = randomMirror(n, 31);
    const model = defaultModel;
    const live = LiveScores.build(mirror.community().community, model, anchor);
    // Nothing recorded yet: the first look reports everyone.
    expect(live.takeChanges()).toHaveLength(n);
    for (let v = 0; v < n; v++) live.accept(v);
    expect(live.takeChanges()).toEqual([]);

    const random = lcg(99);
    const accepted: number[] = Array.from(live.snapshot().score);
    let reported = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 25; i++) randomEvent(mirror, live, random);
      while (accepted.length < mirror.memberCount) accepted.push(Number.NaN);
      const changes = live.takeChanges();
      const { community, memberOf } = mirror.community();
      const exact = recomputeAll(community, model, anchor).score;
      const reportedSet = new Set(changes);
      for (let v = 0; v < mirror.memberCount; v++) {
        // An erased member is never reported; the others are compared with their full-recompute selves.
        if (mirror.removed.has(v)) {
          expect(reportedSet.has(v)).toBe(false);
          continue;
        }
        const old = accepted[v] as number;
        const move = Math.abs((exact[memberOf[v] as number] as number) - old);
        // The live score is within 30ε of the exact one (see tolerancesFor).
        if (Number.isNaN(old) || move >= model.noiseFloor + live.driftAllowance + 30 * live.tolerance) {
          expect(reportedSet.has(v), `member ${v} moved ${move}`).toBe(true);
        }
        if (reportedSet.has(v) && !Number.isNaN(old)) {
          expect(move).toBeGreaterThan(model.noiseFloor - 30 * live.tolerance);
        }
      }
      for (const v of changes) {
        live.accept(v);
        accepted[v] = live.scoreOf(v);
      }
      reported += changes.length;
    }
    expect(live.sweeps).toBeGreaterThan(1);
    expect(live.sweeps).toBeLessThan(40);
    expect(reported).toBeGreaterThan(0);
    // With no further events nothing moves, so nothing is reported.
    expect(live.takeChanges()).toEqual([]);
  });

  it("keeps an endorsement's value tied to its endorser's standing as the network moves", () => {
    const mirror = new Mirror(6, 1);
    const live = LiveScores.build(mirror.community().community, defaultModel, anchor);
    mirror.endorsements.push({ a: 0, b: 1, topic: 0, at: anchor, active: true });
    live.endorse(0, 1, 0, anchor);
    mirror.endorsements.push({ a: 2, b: 3, topic: 0, at: anchor, active: true });
    live.endorse(2, 3, 0, anchor);
    for (const u of [3, 4, 5]) {
      mirror.follows.set(`${u}:0`, [u, 0]);
      live.follow(u, 0);
    }
    expectAgreement(live, mirror, defaultModel, tolerances);
    const after = live.snapshot();
    expect(after.endorsement[1] as number).toBeGreaterThan(after.endorsement[3] as number);
    // Revoking both leaves no expertise at all: exactly 0, not a rounding residue.
    live.revokeEndorsement(0);
    live.revokeEndorsement(1);
    expect(live.topicScoreOf(1, 0)).toBe(0);
    expect(live.endorsementOf(1)).toBe(0);
  });

  it("refuses events that name unknown members, topics or endorsements", () => {
    const live = LiveScores.build(new Mirror(3, 1).community().community, defaultModel, anchor);
    expect(() => live.follow(0, 3)).toThrow(RangeError);
    expect(() => live.interact(-1, 0, 0, anchor)).toThrow(RangeError);
    expect(() => live.interact(0, 1, 9, anchor)).toThrow(RangeError);
    expect(() => live.endorse(0, 1, 1, anchor)).toThrow(RangeError);
    expect(() => live.revokeEndorsement(0)).toThrow(RangeError);
  });
});
