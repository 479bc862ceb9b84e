// The influence graph: one weighted edge per ordered pair of members "u is influenced by v"
// (rank flows u → v), from follows and time-decayed interactions, stored as an in-edge CSR
// (row v lists who passes influence to v) — the layout PageRank and explanations both read.
import type { Community } from "./community.js";
import { interactionKindCodes } from "./community.js";
import type { ModelParameters } from "./model.js";

export interface InfluenceGraph {
  nodeCount: number;
  /** Row v is source[rowStart[v] .. rowStart[v+1]): the members whose influence flows to v. */
  rowStart: Int32Array;
  source: Int32Array;
  weight: Float64Array;
  /** Sum of each member's out-edge weights; 0 for a member who influences no one. */
  outWeight: Float64Array;
  /** What each edge's weight is made of, when asked for (`keepPairs`): incremental updates need it. */
  pairs?: PairParts;
}

/** Per edge: whether the pair has a follow (1) and the summed, decayed, unsaturated interaction weight. */
export interface PairParts {
  follows: Uint8Array;
  interactionSum: Float64Array;
}

/** One edge's weight from its parts: a follow's weight plus the saturated interaction weight. */
export function pairWeight(model: ModelParameters, follows: number, interactionSum: number): number {
  const cap = model.pairInteractionCap;
  return model.followWeight * follows + (interactionSum > 0 ? cap * -Math.expm1(-interactionSum / cap) : 0);
}

const dayMs = 24 * 60 * 60 * 1000;
const followMark = -1;

/** Weight of each interaction now: its kind's weight, halved every half-life. */
export function interactionWeights(community: Community, model: ModelParameters, now: number): Float64Array {
  const { kind, at } = community.interactions;
  const byKind = interactionKindCodes.map((name) => model.interactionWeights[name]);
  const decayPerMs = Math.LN2 / (model.interactionHalfLifeDays * dayMs);
  const weights = new Float64Array(kind.length);
  for (let i = 0; i < kind.length; i++) {
    const age = Math.max(0, now - (at[i] as number));
    weights[i] = (byKind[kind[i] as number] as number) * Math.exp(-decayPerMs * age);
  }
  return weights;
}

function checkMember(index: number, n: number, what: string): number {
  if (!(index >= 0 && index < n))
    throw new RangeError(`${what} refers to member ${index}, outside [0, ${n})`);
  return index;
}

/**
 * Counting-sorts follows and interactions by the member they influence into one list of
 * (source, weight) entries per row; a follow is marked by a weight of -1.
 */
function entriesByTarget(community: Community, weights: Float64Array) {
  const n = community.memberCount;
  const { follower, followee } = community.follows;
  const { actor, target } = community.interactions;
  const start = new Int32Array(n + 1);
  const count = (v: number) => {
    start[v + 1] = (start[v + 1] as number) + 1;
  };
  for (let i = 0; i < followee.length; i++) count(checkMember(followee[i] as number, n, "a follow"));
  for (let i = 0; i < target.length; i++) count(checkMember(target[i] as number, n, "an interaction"));
  for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
  const total = start[n] as number;
  const src = new Int32Array(total);
  const w = new Float64Array(total);
  const cursor = start.slice(0, n);
  const next = (v: number) => {
    const k = cursor[v] as number;
    cursor[v] = k + 1;
    return k;
  };
  for (let i = 0; i < followee.length; i++) {
    const k = next(followee[i] as number);
    src[k] = checkMember(follower[i] as number, n, "a follow");
    w[k] = followMark;
  }
  for (let i = 0; i < target.length; i++) {
    const k = next(target[i] as number);
    src[k] = checkMember(actor[i] as number, n, "an interaction");
    w[k] = weights[i] as number;
  }
  return { start, src, w };
}

/**
 * Builds the graph. Per pair, the interaction weights saturate (diminishing returns: many people
 * engaging outweigh one person engaging a lot) and a follow adds `followWeight`.
 */
export function buildInfluenceGraph(
  community: Community,
  model: ModelParameters,
  now: number,
  options: { keepPairs?: boolean } = {},
): InfluenceGraph {
  const n = community.memberCount;
  const { start, src, w } = entriesByTarget(community, interactionWeights(community, model, now));
  // slotOf[u] is u's position in the current row; it is valid only while rowOf[u] === v.
  const rowOf = new Int32Array(n).fill(-1);
  const slotOf = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  const source = new Int32Array(src.length);
  const follows = new Uint8Array(src.length);
  const sums = new Float64Array(src.length);
  let m = 0;
  for (let v = 0; v < n; v++) {
    rowStart[v] = m;
    for (let k = start[v] as number; k < (start[v + 1] as number); k++) {
      const u = src[k] as number;
      if (u === v) continue;
      let slot = slotOf[u] as number;
      if (rowOf[u] !== v) {
        rowOf[u] = v;
        slot = m++;
        slotOf[u] = slot;
        source[slot] = u;
      }
      const x = w[k] as number;
      if (x === followMark) follows[slot] = 1;
      else sums[slot] = (sums[slot] as number) + x;
    }
  }
  rowStart[n] = m;
  const weight = new Float64Array(m);
  const outWeight = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    const x = pairWeight(model, follows[e] as number, sums[e] as number);
    weight[e] = x;
    const u = source[e] as number;
    outWeight[u] = (outWeight[u] as number) + x;
  }
  const graph: InfluenceGraph = { nodeCount: n, rowStart, source: source.slice(0, m), weight, outWeight };
  if (options.keepPairs) graph.pairs = { follows: follows.slice(0, m), interactionSum: sums.slice(0, m) };
  return graph;
}
