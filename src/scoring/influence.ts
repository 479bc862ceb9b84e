// Who builds a member's score, and whose scores a member builds: the explanation's member shares
// (recompute.ts) for a few members at a time, from their edges and stored figures, without the
// whole graph.
//
// Member u contributes (1 − s)·α·x_u·w_uv / W_u to v's raw score r_v, where x_u is u's network
// influence relative to the average member (N·PageRank), w_uv the pair's edge weight (pairWeight:
// a follow plus saturated, decayed interactions), W_u u's total out-weight and s the endorsement
// share; that over r_v is u's share of v's score, the same number a full recompute puts in v's
// explanation.

import { pairWeight } from "./graph.js";
import type { InteractionKind, ModelParameters } from "./model.js";

const dayMs = 24 * 60 * 60 * 1000;

/** One interaction's weight at `now`: its kind's weight, halved every half-life. */
export function decayedInteractionWeight(
  model: ModelParameters,
  kind: InteractionKind,
  occurredAt: number,
  now: number,
): number {
  const age = Math.max(0, now - occurredAt);
  return (
    model.interactionWeights[kind] * Math.exp((-Math.LN2 * age) / (model.interactionHalfLifeDays * dayMs))
  );
}

export interface EdgeRows {
  /** [follower, followee] pairs. */
  follows: readonly (readonly [number, number])[];
  /** Member-to-member interactions. */
  interactions: readonly { actor: number; target: number; kind: InteractionKind; at: number }[];
}

/** Edge weights by source, then target, over the given rows (self-pairs dropped). */
export function pairWeights(
  model: ModelParameters,
  rows: EdgeRows,
  now: number,
): Map<number, Map<number, number>> {
  const follows = new Map<number, Map<number, number>>();
  const sums = new Map<number, Map<number, number>>();
  const add = (into: Map<number, Map<number, number>>, u: number, w: number, value: number) => {
    if (u === w) return;
    const row = into.get(u) ?? new Map<number, number>();
    into.set(u, row);
    row.set(w, (row.get(w) ?? 0) + value);
  };
  for (const [u, w] of rows.follows) add(follows, u, w, 1);
  for (const i of rows.interactions)
    add(sums, i.actor, i.target, decayedInteractionWeight(model, i.kind, i.at, now));
  const weights = new Map<number, Map<number, number>>();
  for (const u of new Set([...follows.keys(), ...sums.keys()])) {
    const f = follows.get(u);
    const x = sums.get(u);
    const row = new Map<number, number>();
    for (const w of new Set([...(f?.keys() ?? []), ...(x?.keys() ?? [])])) {
      row.set(w, pairWeight(model, Math.min(1, f?.get(w) ?? 0), x?.get(w) ?? 0));
    }
    weights.set(u, row);
  }
  return weights;
}

/** Total out-weight of each source in `weights`. */
export function outWeights(weights: Map<number, Map<number, number>>): Map<number, number> {
  const totals = new Map<number, number>();
  for (const [u, row] of weights) {
    let total = 0;
    for (const w of row.values()) total += w;
    totals.set(u, total);
  }
  return totals;
}

/**
 * The endorsement share s in force for a member's stored figures: raw = (1 − s)·network +
 * s·endorsement, and recomputeAll uses s = 0 while nobody holds an endorsement.
 */
export function endorsementShareOf(
  model: ModelParameters,
  figures: { raw: number; network: number; endorsement: number },
): number {
  const { raw, network, endorsement } = figures;
  const gap = network - endorsement;
  if (!(Math.abs(gap) > 1e-12 * Math.max(1, network))) return model.endorsementShare;
  const s = (network - raw) / gap;
  return s >= 0 && s < 1 ? s : model.endorsementShare;
}

/** u's share of v's score; 0 when any figure is missing. */
export function memberShare(
  model: ModelParameters,
  figures: {
    networkOfSource: number;
    weight: number;
    sourceOutWeight: number;
    rawOfTarget: number;
    endorsementShare: number;
  },
): number {
  const { networkOfSource, weight, sourceOutWeight, rawOfTarget, endorsementShare } = figures;
  if (!(sourceOutWeight > 0 && rawOfTarget > 0)) return 0;
  return ((1 - endorsementShare) * model.damping * networkOfSource * weight) / sourceOutWeight / rawOfTarget;
}
