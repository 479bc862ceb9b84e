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
import { CauseCode, type Community, type Explanations, type Scores } from "./community.js";
import { valueEndorsements } from "./endorsements.js";
import { buildInfluenceGraph, type InfluenceGraph } from "./graph.js";
import type { ModelParameters } from "./model.js";
import { pagerankOfCsr } from "./pagerank.js";
import { scaleScore } from "./scale.js";

/** The L1 accuracy of the PageRank vector under every score. */
export const pagerankTolerance = 1e-10;

export function networkInfluence(graph: InfluenceGraph, damping: number): Float64Array {
  const { nodeCount, rowStart, source, weight, outWeight } = graph;
  const csr = { nodeCount, rowStart, col: source, val: weight, outWeight };
  return pagerankOfCsr(csr, { damping, tolerance: pagerankTolerance }).ranks;
}

/** Sorts endorsement indices by endorsee: row b is order[start[b] .. start[b+1]). */
function endorsementsByEndorsee(community: Community) {
  const n = community.memberCount;
  const { endorsee } = community.endorsements;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < endorsee.length; i++) {
    const b = endorsee[i] as number;
    start[b + 1] = (start[b + 1] as number) + 1;
  }
  for (let b = 0; b < n; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const cursor = start.slice(0, n);
  const order = new Int32Array(endorsee.length);
  for (let i = 0; i < endorsee.length; i++) {
    const b = endorsee[i] as number;
    order[cursor[b] as number] = i;
    cursor[b] = (cursor[b] as number) + 1;
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
  const t = community.topicCount;
  const alpha = model.damping;
  const graph = buildInfluenceGraph(community, model, now);
  const network = networkInfluence(graph, alpha);
  const influence = network.map((p) => p * n);
  const endorsements = valueEndorsements(community, influence, model, now);
  const endorsementMean = meanOf(endorsements.total, n);
  const s = endorsementMean > 0 ? model.endorsementShare : 0;
  const endorsementScale = endorsementMean > 0 ? s / endorsementMean : 0;

  const raw = new Float64Array(n);
  const score = new Float64Array(n);
  const endorsement = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    endorsement[v] = endorsementMean > 0 ? (endorsements.total[v] as number) / endorsementMean : 0;
    raw[v] = (1 - s) * (influence[v] as number) + s * (endorsement[v] as number);
    score[v] = scaleScore(raw[v] as number, model);
  }

  const topicScore = new Float64Array(n * t);
  for (let k = 0; k < t; k++) {
    let sum = 0;
    for (let v = 0; v < n; v++) sum += endorsements.byTopic[v * t + k] as number;
    if (sum === 0) continue;
    const mean = sum / n;
    for (let v = 0; v < n; v++) {
      const value = endorsements.byTopic[v * t + k] as number;
      if (value > 0) topicScore[v * t + k] = scaleScore(value / mean, model);
    }
  }

  const explanations = explain(community, graph, network, endorsements.value, raw, model, {
    networkFactor: (1 - s) * n * alpha,
    endorsementScale,
  });
  return { raw, score, network, endorsement, topicScore, explanations };
}

function explain(
  community: Community,
  graph: InfluenceGraph,
  network: Float64Array,
  endorsementValue: Float64Array,
  raw: Float64Array,
  model: ModelParameters,
  factors: { networkFactor: number; endorsementScale: number },
): Explanations {
  const n = community.memberCount;
  const k = model.topCauses;
  const kind = new Uint8Array(n * k);
  const source = new Int32Array(n * k);
  const share = new Float64Array(n * k);
  const remainder = new Float64Array(n);
  const { rowStart, source: from, weight, outWeight } = graph;
  const byEndorsee = endorsementsByEndorsee(community);
  const top = new TopK(k);
  for (let v = 0; v < n; v++) {
    top.size = 0;
    for (let e = rowStart[v] as number; e < (rowStart[v + 1] as number); e++) {
      const u = from[e] as number;
      const value =
        (factors.networkFactor * (network[u] as number) * (weight[e] as number)) / (outWeight[u] as number);
      top.offer(CauseCode.Member, u, value);
    }
    for (let j = byEndorsee.start[v] as number; j < (byEndorsee.start[v + 1] as number); j++) {
      const i = byEndorsee.order[j] as number;
      top.offer(CauseCode.Endorsement, i, factors.endorsementScale * (endorsementValue[i] as number));
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
  return { k, kind, source, share, remainder };
}
