// The full recompute: every member's score, topic expertise and explanation from the whole
// community at time `now`.
//
//   network influence  x_v = N · PageRank_v                      (average member: 1)
//   endorsements       e_v = Σ value of endorsements v received / mean over members
//   raw                r_v = (1 − s) · x_v + s · e_v              (s = endorsementShare; 0 if none)
//   score              scaleScore(r_v)                            (see scale.ts)
//   topic expertise    scaleScore(topic value_v / mean topic value over members), 0 if none
//
// The explanation splits r_v exactly: by PageRank's fixed point,
//   x_v = N·((1 − α)/N + α·D/N) + Σ_u N·α·PR_u·w_uv/W_u      (D: rank on dangling members)
// so member u contributes (1 − s)·N·α·PR_u·w_uv/W_u and endorsement i contributes
// s·value_i/mean; the rest (teleport, dangling rank, causes below the top k) is the remainder.
//
// For speed and memory at 10M edges (BENCHMARKS.md): the graph is built split
// (SplitInfluenceGraph: follows without a weight each, interactions apart), PageRank sweeps it on
// two threads, explanations gather each row's values without branches, topic expertise is one
// pass in place over the per-topic values, and m^γ of the 1–100 map is computed once.
import { CauseCode, type Community, type Explanations, type Scores } from "./community.js";
import { valueEndorsements } from "./endorsements.js";
import { buildSplitInfluenceGraph, type InfluenceGraph, type SplitInfluenceGraph } from "./graph.js";
import type { ModelParameters } from "./model.js";
import { pagerankOfCsr } from "./pagerank.js";
import { sliceLength } from "./pagerank-system.js";
import { scaler } from "./scale.js";

/** The L1 accuracy of the PageRank vector under every score. */
export const pagerankTolerance = 1e-10;

export function networkInfluence(graph: InfluenceGraph, damping: number): Float64Array {
  const { nodeCount, rowStart, source, weight, outWeight } = graph;
  const csr = { nodeCount, rowStart, col: source, val: weight, outWeight };
  return pagerankOfCsr(csr, { damping, tolerance: pagerankTolerance }).ranks;
}

/** networkInfluence over the split graph recomputeAll builds (same ranks, half the memory). */
function splitNetworkInfluence(graph: SplitInfluenceGraph, damping: number): Float64Array {
  const { nodeCount, follow, extra, followWeight, outWeight } = graph;
  const csr = {
    nodeCount,
    rowStart: follow.rowStart,
    col: follow.source,
    val: null,
    unit: followWeight,
    extra: { rowStart: extra.rowStart, col: extra.source, val: extra.weight },
    outWeight,
  };
  return pagerankOfCsr(csr, { damping, tolerance: pagerankTolerance }).ranks;
}

/** Counting-sorts the indices 0..keys.length-1 by key: row r is order[start[r] .. start[r+1]). */
export function groupIndicesByKey(keys: Int32Array, rows: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < keys.length; i++) {
    const r = keys[i] as number;
    start[r + 1] = (start[r + 1] as number) + 1;
  }
  for (let r = 0; r < rows; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const cursor = start.slice(0, rows);
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const r = keys[i] as number;
    order[cursor[r] as number] = i;
    cursor[r] = (cursor[r] as number) + 1;
  }
  return { start, order };
}

/** Keeps the k largest contributions for one member at a time, best first. */
class TopK {
  readonly kind: Uint8Array;
  readonly source: Int32Array;
  readonly value: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.kind = new Uint8Array(k);
    this.source = new Int32Array(k);
    this.value = new Float64Array(k);
  }

  offer(kind: number, source: number, value: number): void {
    if (!(value > 0)) return;
    if (this.size === this.k && value <= (this.value[this.k - 1] as number)) return;
    let i = this.size < this.k ? this.size++ : this.k - 1;
    while (i > 0 && (this.value[i - 1] as number) < value) {
      this.kind[i] = this.kind[i - 1] as number;
      this.source[i] = this.source[i - 1] as number;
      this.value[i] = this.value[i - 1] as number;
      i--;
    }
    this.kind[i] = kind;
    this.source[i] = source;
    this.value[i] = value;
  }
}

function meanOf(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / count;
}

export function recomputeAll(community: Community, model: ModelParameters, now: number): Scores {
  const n = community.memberCount;
  const alpha = model.damping;
  const graph = buildSplitInfluenceGraph(community, model, now);
  const network = splitNetworkInfluence(graph, alpha);
  const influence = network.map((p) => p * n);
  const endorsements = valueEndorsements(community, influence, model, now);
  const endorsementMean = meanOf(endorsements.total, n);
  const s = endorsementMean > 0 ? model.endorsementShare : 0;
  const endorsementScale = endorsementMean > 0 ? s / endorsementMean : 0;
  const scale = scaler(model);

  const raw = new Float64Array(n);
  const score = new Float64Array(n);
  // endorsements.total becomes the relative endorsement component in place.
  const endorsement = endorsements.total;
  for (let v = 0; v < n; v++) {
    endorsement[v] = endorsementMean > 0 ? (endorsement[v] as number) / endorsementMean : 0;
    raw[v] = (1 - s) * (influence[v] as number) + s * (endorsement[v] as number);
    score[v] = scale(raw[v] as number);
  }

  const explanations = explain(community, graph, network, endorsements.value, raw, model, {
    networkFactor: (1 - s) * n * alpha,
    endorsementScale,
  });
  const topicScore = topicScores(endorsements.byTopic, community, scale);
  return { raw, score, network, endorsement, topicScore, explanations };
}

/**
 * Per-topic expertise, in place over the per-topic endorsement values (member-major: member v's
 * topic k at v·t + k): each value relative to its topic's mean over members, scaled; 0 stays 0.
 */
function topicScores(
  byTopic: Float64Array,
  community: Community,
  scale: (x: number) => number,
): Float64Array {
  const n = community.memberCount;
  const t = community.topicCount;
  const sums = new Float64Array(t);
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < t; k++) sums[k] = (sums[k] as number) + (byTopic[v * t + k] as number);
  }
  const means = sums.map((sum) => sum / n);
  for (let j = 0; j < n * t; j++) {
    const value = byTopic[j] as number;
    byTopic[j] = value > 0 ? scale(value / (means[j % t] as number)) : 0;
  }
  return byTopic;
}

/** What explainRows reads and writes. */
interface ExplainState {
  graph: SplitInfluenceGraph;
  p: Float64Array;
  raw: Float64Array;
  endorsementValue: Float64Array;
  byEndorsee: { start: Int32Array; order: Int32Array };
  endorsementScale: number;
  top: TopK;
  rowU: Int32Array;
  rowW: Float64Array;
  values: Float64Array;
  out: Explanations;
}

function explain(
  community: Community,
  graph: SplitInfluenceGraph,
  network: Float64Array,
  endorsementValue: Float64Array,
  raw: Float64Array,
  model: ModelParameters,
  factors: { networkFactor: number; endorsementScale: number },
): Explanations {
  const n = community.memberCount;
  const k = model.topCauses;
  const out: Explanations = {
    k,
    kind: new Uint8Array(n * k),
    source: new Int32Array(n * k),
    share: new Float64Array(n * k),
    remainder: new Float64Array(n),
  };
  const { follow, extra, outWeight } = graph;
  const { networkFactor } = factors;
  // Member u passes p_u·w along each edge, p_u = networkFactor·PR_u / W_u. Per row: merge its
  // two sorted parts into (u, w) pairs, a pair with a follow and interactions weighing
  // followWeight + its interaction part as pairWeight adds them; gather p_u·w in a loop without
  // branches, so the random reads overlap as in the PageRank sweeps; keep the k best. Deciding
  // edge by edge as the values were read cost 1.7–1.9 s at 10M edges (each random read waited
  // behind a branch on the one before), and screening with single-precision approximations
  // stalled on ties: many members share a rank and an out-weight.
  const p = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const w = outWeight[u] as number;
    p[u] = w > 0 ? (networkFactor * (network[u] as number)) / w : 0;
  }
  let longest = 0;
  for (let v = 0; v < n; v++) {
    const length =
      (follow.rowStart[v + 1] as number) -
      (follow.rowStart[v] as number) +
      (extra.rowStart[v + 1] as number) -
      (extra.rowStart[v] as number);
    longest = Math.max(longest, length);
  }
  const st: ExplainState = {
    graph,
    p,
    raw,
    endorsementValue,
    byEndorsee: groupIndicesByKey(community.endorsements.endorsee, community.memberCount),
    endorsementScale: factors.endorsementScale,
    top: new TopK(k),
    rowU: new Int32Array(longest),
    rowW: new Float64Array(longest),
    values: new Float64Array(longest),
    out,
  };
  // In slices of rows: see sliceLength in pagerank-system.ts.
  for (let v = 0; v < n; v += sliceLength) explainRows(st, v, Math.min(n, v + sliceLength));
  return out;
}

const noSource = 0x7fffffff;

function explainRows(st: ExplainState, first: number, last: number): void {
  const { graph, p, raw, endorsementValue, byEndorsee, top, rowU, rowW, values } = st;
  const { follow, extra, followWeight } = graph;
  const { k, kind, source, share, remainder } = st.out;
  for (let v = first; v < last; v++) {
    top.size = 0;
    let f = follow.rowStart[v] as number;
    const fEnd = follow.rowStart[v + 1] as number;
    let j = extra.rowStart[v] as number;
    const jEnd = extra.rowStart[v + 1] as number;
    let length = 0;
    while (f < fEnd || j < jEnd) {
      const fu = f < fEnd ? (follow.source[f] as number) : noSource;
      const xu = j < jEnd ? (extra.source[j] as number) : noSource;
      const u = Math.min(fu, xu);
      const followed = fu === u ? 1 : 0;
      if (followed === 1) f++;
      let part = 0;
      if (xu === u) {
        part = extra.weight[j] as number;
        j++;
      }
      rowU[length] = u;
      rowW[length] = followWeight * followed + part;
      length++;
    }
    // The values, in a loop without branches so the random reads of p overlap; then the top k.
    for (let i = 0; i < length; i++) values[i] = (p[rowU[i] as number] as number) * (rowW[i] as number);
    for (let i = 0; i < length; i++) top.offer(CauseCode.Member, rowU[i] as number, values[i] as number);
    for (let j = byEndorsee.start[v] as number; j < (byEndorsee.start[v + 1] as number); j++) {
      const i = byEndorsee.order[j] as number;
      top.offer(CauseCode.Endorsement, i, st.endorsementScale * (endorsementValue[i] as number));
    }
    const total = raw[v] as number;
    let named = 0;
    for (let r = 0; r < top.size; r++) {
      const x = (top.value[r] as number) / total;
      kind[v * k + r] = top.kind[r] as number;
      source[v * k + r] = top.source[r] as number;
      share[v * k + r] = x;
      named += x;
    }
    remainder[v] = Math.max(0, 1 - named);
  }
}
