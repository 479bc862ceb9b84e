// influencers / influencees: the members who build a member's score and the members whose scores
// a member builds, each with its share — the scoring module's explanation shares
// (src/scoring/influence.ts) from the stored edges and figures. Loaded for every member a request
// asks about at once (DataLoader), in a fixed number of queries however many there are.
import DataLoader from "dataloader";
import type { Db } from "../db/client.js";
import { readActiveModel } from "../scorer/active-model.js";
import {
  type EdgeRows,
  endorsementShareOf,
  memberShare,
  outWeights,
  pairWeights,
} from "../scoring/influence.js";
import type { ModelParameters } from "../scoring/model.js";

export interface InfluenceEntry {
  memberId: number;
  /** The share of the receiving member's score, in [0, 1]. */
  share: number;
}

interface Figures {
  raw: number;
  network: number;
  endorsement: number;
}

async function figures(db: Db, where: object): Promise<Map<number, Figures>> {
  const rows = await db.score.findMany({ where, select: { userId: true, raw: true, breakdown: true } });
  return new Map(
    rows.map((row) => {
      const stored = (row.breakdown ?? {}) as { network?: unknown; endorsement?: unknown };
      return [
        row.userId,
        {
          raw: row.raw,
          network: Number(stored.network ?? Number.NaN),
          endorsement: Number(stored.endorsement ?? 0),
        },
      ];
    }),
  );
}

function edgeRows(
  follows: { followerId: number; followeeId: number }[],
  interactions: {
    actorId: number | null;
    targetId: number | null;
    kind: EdgeRows["interactions"][number]["kind"];
    occurredAt: Date;
  }[],
): EdgeRows {
  return {
    follows: follows.map((f) => [f.followerId, f.followeeId] as const),
    interactions: interactions
      .filter((i) => i.actorId !== null && i.targetId !== null)
      .map((i) => ({
        actor: i.actorId as number,
        target: i.targetId as number,
        kind: i.kind,
        at: i.occurredAt.getTime(),
      })),
  };
}

/** u's share of v's score through their edge of `weight`; 0 when a figure is missing. */
function edgeShare(
  model: ModelParameters,
  stored: Map<number, Figures>,
  totals: Map<number, number>,
  u: number,
  v: number,
  weight: number,
): number {
  const target = stored.get(v);
  if (!target) return 0;
  return memberShare(model, {
    networkOfSource: stored.get(u)?.network ?? Number.NaN,
    weight,
    sourceOutWeight: totals.get(u) ?? 0,
    rawOfTarget: target.raw,
    endorsementShare: endorsementShareOf(model, target),
  });
}

const interactionFields = { actorId: true, targetId: true, kind: true, occurredAt: true } as const;
const byShare = (a: InfluenceEntry, b: InfluenceEntry) => b.share - a.share || a.memberId - b.memberId;

export function createInfluence(db: Db) {
  /** For each v: the members whose edges into v build v's score, largest share first. */
  async function influencers(model: ModelParameters, ids: readonly number[]): Promise<InfluenceEntry[][]> {
    const targets = [...ids];
    // Every out-edge of every member with an edge into one of `targets`: their out-weights.
    const sources = {
      OR: [
        { following: { some: { followeeId: { in: targets } } } },
        { interactionsMade: { some: { targetId: { in: targets } } } },
      ],
    };
    const [follows, interactions, stored] = await Promise.all([
      db.follow.findMany({ where: { follower: sources }, select: { followerId: true, followeeId: true } }),
      db.interaction.findMany({
        where: { actor: sources, targetId: { not: null } },
        select: interactionFields,
      }),
      figures(db, { OR: [{ userId: { in: targets } }, { user: sources }] }),
    ]);
    const weights = pairWeights(model, edgeRows(follows, interactions), Date.now());
    const totals = outWeights(weights);
    const lists = new Map<number, InfluenceEntry[]>(targets.map((v) => [v, []]));
    for (const [u, row] of weights) {
      for (const [v, weight] of row) {
        const list = lists.get(v);
        if (!list) continue;
        const share = edgeShare(model, stored, totals, u, v, weight);
        if (share > 0) list.push({ memberId: u, share });
      }
    }
    return targets.map((v) => (lists.get(v) ?? []).sort(byShare));
  }

  /** For each v: the members whose scores v's edges build, by v's share of each. */
  async function influencees(model: ModelParameters, ids: readonly number[]): Promise<InfluenceEntry[][]> {
    const members = [...ids];
    const [follows, interactions, stored] = await Promise.all([
      db.follow.findMany({
        where: { followerId: { in: members } },
        select: { followerId: true, followeeId: true },
      }),
      db.interaction.findMany({
        where: { actorId: { in: members }, targetId: { not: null } },
        select: interactionFields,
      }),
      figures(db, {
        OR: [
          { userId: { in: members } },
          { user: { followers: { some: { followerId: { in: members } } } } },
          { user: { interactionsReceived: { some: { actorId: { in: members } } } } },
        ],
      }),
    ]);
    const weights = pairWeights(model, edgeRows(follows, interactions), Date.now());
    const totals = outWeights(weights);
    return members.map((v) => {
      const list: InfluenceEntry[] = [];
      for (const [w, weight] of weights.get(v) ?? []) {
        const share = edgeShare(model, stored, totals, v, w, weight);
        if (share > 0) list.push({ memberId: w, share });
      }
      return list.sort(byShare);
    });
  }

  /** Both lists for each member, in one batch: so the members they name are loaded together too. */
  async function both(
    ids: readonly number[],
  ): Promise<{ influencers: InfluenceEntry[]; influencees: InfluenceEntry[] }[]> {
    const model = await readActiveModel(db);
    const [into, outOf] = await Promise.all([influencers(model, ids), influencees(model, ids)]);
    return ids.map((_, i) => ({ influencers: into[i] ?? [], influencees: outOf[i] ?? [] }));
  }

  return {
    /** A per-request loader: every member a request asks about, in one batch. */
    loader: () => new DataLoader(both, { maxBatchSize: 500 }),
  };
}

export type Influence = ReturnType<typeof createInfluence>;
