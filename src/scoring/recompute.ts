// The full recompute: every member's score, topic expertise and explanation from the whole
// community at time `now`.
//
//   network influence  x_v = N · PageRank_v                      (average member: 1)
//   endorsements       e_v = Σ value of endorsements v received / mean over members
//   raw                r_v = (1 − s) · x_v + s · e_v              (s = endorsementShare; 0 if none)
//   score              scaleScore(r_v)                            (see scale.ts)
//   topic expertise    scaleScore(topic value_v / mean topic value over members), listed if > 0
//
// The explanation splits r_v exactly: by PageRank's fixed point,
//   x_v = N·((1 − α)/N + α·D/N) + Σ_u N·α·PR_u·w_uv/W_u      (D: rank on dangling members)
// so member u contributes (1 − s)·N·α·PR_u·w_uv/W_u and endorsement i contributes
// s·value_i/mean; the rest (teleport, dangling rank, causes below the top k) is the remainder.
//
// For speed and memory at 10M edges (BENCHMARKS.md): the graph is built split
// (SplitInfluenceGraph: follows without a weight each, interactions apart), the sweep worker
// building the interaction part and the endorsements' terms while this thread builds the follow
// part; PageRank sweeps it on two threads, explanations gather each row's values without branches
// and run on two threads too (the worker takes slices of rows as a task, pagerank-threads.ts,
// after mapping the scores to 1–100 and computing topic expertise; its inputs and the results are
// then on shared memory; the result is the same bit for bit on one thread), topic expertise is
// sparse (one pass over each member's endorsements, grouped once for the explanations too), the
// endorsements use the PageRank vector with a factor rather than a scaled copy, and m^γ of the
// 1–100 map is computed once.
import { MessageChannel, type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { CauseCode, type Community, type Explanations, type Scores, type TopicScores } from "./community.js";
import {
  checkEndorsements,
  type EndorsementTerms,
  endorsementDecayPerMs,
  fillEndorsementTerms,
  valueEndorsements,
} from "./endorsements.js";
import {
  type InfluenceGraph,
  type InteractionPairs,
  interactionPartSource,
  joinSplitGraph,
  type PairInputs,
  pairInputs,
  type SplitFollowPart,
  type SplitInfluenceGraph,
  splitFollowPart,
  splitGraphAllocators,
  splitGraphShared,
  splitInteractionPart,
} from "./graph.js";
import { groupIndicesByKey, groupSource, radixSortPairs } from "./group.js";
import type { ModelParameters } from "./model.js";
import { pagerankOfCsr } from "./pagerank.js";
import { ctrlSlots } from "./pagerank-sweep.js";
import {
  sharedControl,
  sharedFloat64,
  sharedInt32,
  type TaskState,
  TwoThreads,
  threadsAvailable,
} from "./pagerank-threads.js";
import { scaler } from "./scale.js";

/**
 * The L1 accuracy of the PageRank vector under every score: the kernel's default. Against 1e-10
 * (20 sweeps instead of 18) no score of the 1M-member bench community moved by more than 7.3e-8
 * points; the noise floor is 0.5.
 */
export const pagerankTolerance = 1e-9;

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

function meanOf(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / count;
}

export function recomputeAll(community: Community, model: ModelParameters, now: number): Scores {
  const n = community.memberCount;
  const alpha = model.damping;
  const { graph, terms, byEndorsee } = buildGraphAndTerms(community, model, now);
  const network = splitNetworkInfluence(graph, alpha);
  // The explanations' inputs go on shared memory when the worker will read them (see explain).
  const shared = graph.follow.rowStart.buffer instanceof SharedArrayBuffer;
  const float64 = (length: number) => (shared ? sharedFloat64(length) : new Float64Array(length));
  const endorsements = valueEndorsements(community, network, model, now, n, float64, terms);
  const endorsementMean = meanOf(endorsements.total, n);
  const s = endorsementMean > 0 ? model.endorsementShare : 0;
  const endorsementScale = endorsementMean > 0 ? s / endorsementMean : 0;

  const raw = float64(n);
  // endorsements.total becomes the relative endorsement component in place.
  const endorsement = endorsements.total;
  for (let v = 0; v < n; v++) {
    endorsement[v] = endorsementMean > 0 ? (endorsement[v] as number) / endorsementMean : 0;
    raw[v] = (1 - s) * ((network[v] as number) * n) + s * (endorsement[v] as number);
  }

  const finishing: FinishState = {
    n,
    topicCount: community.topicCount,
    topic: community.endorsements.topic,
    value: endorsements.value,
    endorseeStart: byEndorsee.start,
    endorseeOrder: byEndorsee.order,
    raw,
    score: float64(n),
    scale: { scaleMidpoint: model.scaleMidpoint, scaleSteepness: model.scaleSteepness },
  };
  const { explanations, topics } = explain(graph, network, finishing, model, {
    networkFactor: (1 - s) * n * alpha,
    endorsementScale,
  });
  return { raw, score: finishing.score, network, endorsement, topics, explanations };
}

/**
 * What is left once the raw scores are known, besides the explanations: the 1–100 scores and
 * topic expertise. The worker computes it before it takes rows to explain (see explain).
 */
interface FinishState {
  n: number;
  topicCount: number;
  /** Each endorsement's topic, value, and the endorsements grouped by endorsee. */
  topic: Int32Array;
  value: Float64Array;
  endorseeStart: Int32Array;
  endorseeOrder: Int32Array;
  raw: Float64Array;
  /** Written: scale(raw). */
  score: Float64Array;
  scale: Pick<ModelParameters, "scaleMidpoint" | "scaleSteepness">;
}

/**
 * Fills st.score and returns the topic expertise. Self-contained but for `makeScale` (scale.ts'
 * scaler) and the allocators: the worker runs it from source text.
 */
function finish(
  st: FinishState,
  makeScale: typeof scaler,
  int32: (length: number) => Int32Array,
  float64: (length: number) => Float64Array,
): TopicScores {
  const scale = makeScale(st.scale);
  const { raw, score } = st;
  for (let v = 0; v < st.n; v++) score[v] = scale(raw[v] as number);
  return topicScores(st, scale, int32, float64);
}

/** What the worker computes while the main thread builds the graph (see buildGraphAndTerms). */
interface PrepareState extends TaskState {
  n: number;
  endorsements: Community["endorsements"];
  decayPerMs: number;
  now: number;
  pairInputs: PairInputs;
  model: ModelParameters;
  /** Filled, on shared memory when the worker computes them; the rest comes through `port`. */
  terms: EndorsementTerms;
  port: MessagePort | null;
}

/** What prepare returns: the interaction part, and the endorsements grouped by endorsee. */
interface Prepared {
  pairs: InteractionPairs;
  byEndorsee: { start: Int32Array; order: Int32Array };
}

/** What prepare calls from other modules: given, so that the worker can pass its own copies. */
interface PrepareFunctions {
  groupIndicesByKey: typeof groupIndicesByKey;
  radixSortPairs: typeof radixSortPairs;
  fillEndorsementTerms: typeof fillEndorsementTerms;
  splitInteractionPart: typeof splitInteractionPart;
  int32(length: number): Int32Array;
  float64(length: number): Float64Array;
}

/**
 * Everything before PageRank but the follow part of the graph: the interaction part, the
 * endorsements' terms (reciprocity and decay) and their grouping by endorsee. Self-contained
 * but for `fns` (see prepareTask).
 */
function prepare(st: PrepareState, fns: PrepareFunctions): Prepared {
  const { endorser, endorsee } = st.endorsements;
  fns.fillEndorsementTerms(
    st.endorsements,
    fns.groupIndicesByKey(endorser, st.n),
    st.decayPerMs,
    st.now,
    st.terms,
  );
  return {
    pairs: fns.splitInteractionPart(st.pairInputs, st.model, fns.radixSortPairs, fns.int32, fns.float64),
    byEndorsee: fns.groupIndicesByKey(endorsee, st.n, fns.int32),
  };
}

/** The worker's part: prepare, its result or error posted back on st.port. */
function prepareOnWorker(st: PrepareState, fns: PrepareFunctions): void {
  try {
    st.port?.postMessage({ prepared: prepare(st, fns) });
  } catch (error) {
    st.port?.postMessage({ error });
  }
}

/** The worker's copy of prepareOnWorker (see TwoThreads.task), its results on shared memory. */
const prepareTask = `const __name = (target) => target;
${groupSource}
${interactionPartSource}
${fillEndorsementTerms.toString()}
${prepare.toString()}
${prepareOnWorker.toString()}
const fns = {
  groupIndicesByKey,
  radixSortPairs,
  fillEndorsementTerms,
  splitInteractionPart,
  int32: (length) => new Int32Array(new SharedArrayBuffer(4 * length)),
  float64: (length) => new Float64Array(new SharedArrayBuffer(8 * length)),
};
return (st) => prepareOnWorker(st, fns);`;

/**
 * The split graph, and what the endorsements need that does not depend on PageRank. When the
 * graph goes on shared memory, the worker builds the interaction part and the endorsements'
 * terms while this thread builds the follow part (its largest part: the worker was idle during
 * the whole build). The result is the same bit for bit either way.
 */
function buildGraphAndTerms(
  community: Community,
  model: ModelParameters,
  now: number,
): {
  graph: SplitInfluenceGraph;
  terms: EndorsementTerms;
  byEndorsee: { start: Int32Array; order: Int32Array };
} {
  checkEndorsements(community);
  const n = community.memberCount;
  const m = community.endorsements.endorser.length;
  const shared = splitGraphShared(community);
  const channel = shared ? new MessageChannel() : null;
  const st: PrepareState = {
    n,
    endorsements: community.endorsements,
    decayPerMs: endorsementDecayPerMs(model),
    now,
    pairInputs: pairInputs(community, model, now),
    model,
    terms: shared
      ? { mutual: new Uint8Array(new SharedArrayBuffer(m)), decay: sharedFloat64(m) }
      : { mutual: new Uint8Array(m), decay: new Float64Array(m) },
    port: channel?.port2 ?? null,
    ctrl: shared ? sharedControl() : new Int32Array(ctrlSlots.size),
  };
  const result = ({ pairs, byEndorsee }: Prepared, follows: SplitFollowPart) => ({
    graph: joinSplitGraph(follows, pairs),
    terms: st.terms,
    byEndorsee,
  });
  const threads = channel === null ? null : TwoThreads.start(st, prepareTask, [channel.port2]);
  if (threads === null || channel === null) {
    channel?.port1.close();
    const fns = { groupIndicesByKey, radixSortPairs, fillEndorsementTerms, splitInteractionPart };
    const prepared = prepare(st, { ...fns, ...splitGraphAllocators(community) });
    return result(prepared, splitFollowPart(community, model));
  }
  let follows: SplitFollowPart | undefined;
  let failure: unknown;
  let reply: { prepared?: Prepared; error?: unknown } | undefined;
  try {
    // A build that throws (a member out of range) still meets the worker at the task's barrier.
    threads.task(() => {
      try {
        follows = splitFollowPart(community, model);
      } catch (error) {
        failure = error;
      }
    });
    reply = receiveMessageOnPort(channel.port1)?.message;
  } finally {
    threads.release();
    channel.port1.close();
  }
  if (follows === undefined) throw failure;
  if (reply?.error !== undefined) throw reply.error;
  if (reply?.prepared === undefined) throw new Error("recompute: the worker gave no interaction pairs");
  return result(reply.prepared, follows);
}

/**
 * Per-topic expertise: each member's value in a topic (their endorsements there, summed in
 * index order) relative to the topic's mean over members, scaled; only values above 0 are kept.
 */
function topicScores(
  st: FinishState,
  scale: (x: number) => number,
  int32: (length: number) => Int32Array,
  float64: (length: number) => Float64Array,
): TopicScores {
  const { n, topic, value, endorseeStart: groupStart, endorseeOrder: order } = st;
  const t = st.topicCount;
  const start = int32(n + 1);
  // At most one entry per endorsement.
  const entryTopic = int32(value.length);
  const entryScore = float64(value.length);
  const sums = new Float64Array(t);
  const acc = new Float64Array(t);
  let m = 0;
  for (let v = 0; v < n; v++) {
    start[v] = m;
    const first = groupStart[v] as number;
    const last = groupStart[v + 1] as number;
    if (first === last) continue;
    for (let g = first; g < last; g++) {
      const i = order[g] as number;
      const k = topic[i] as number;
      acc[k] = (acc[k] as number) + (value[i] as number);
    }
    for (let k = 0; k < t; k++) {
      const x = acc[k] as number;
      sums[k] = (sums[k] as number) + x;
      acc[k] = 0;
      if (x > 0) {
        entryTopic[m] = k;
        entryScore[m] = x;
        m++;
      }
    }
  }
  start[n] = m;
  for (let e = 0; e < m; e++) {
    const mean = (sums[entryTopic[e] as number] as number) / n;
    entryScore[e] = scale((entryScore[e] as number) / mean);
  }
  return { start, topic: entryTopic.subarray(0, m), score: entryScore.subarray(0, m) };
}

/** What explainPart reads and writes; on shared memory when the worker takes half the rows. */
interface ExplainState extends TaskState {
  n: number;
  k: number;
  followWeight: number;
  followStart: Int32Array;
  followSource: Int32Array;
  extraStart: Int32Array;
  extraSource: Int32Array;
  extraWeight: Float64Array;
  /** What member u passes along an edge per unit of weight: networkFactor·PR_u / W_u. */
  p: Float64Array;
  raw: Float64Array;
  endorsementValue: Float64Array;
  endorseeStart: Int32Array;
  endorseeOrder: Int32Array;
  endorsementScale: number;
  memberCode: number;
  endorsementCode: number;
  /** The longest row (follows and interaction parts together). */
  longest: number;
  /** The next row no thread has taken yet. */
  next: Int32Array;
  out: Explanations;
  finish: FinishState;
  /** Where the worker posts the topic expertise (finish) when it takes part. */
  port: MessagePort | null;
}

/**
 * The explanations, and what `finishing` leaves (the 1–100 scores and topic expertise): with the
 * worker, it computes the latter first and then takes rows to explain, while this thread explains
 * from the start.
 */
function explain(
  graph: SplitInfluenceGraph,
  network: Float64Array,
  finishing: FinishState,
  model: ModelParameters,
  factors: { networkFactor: number; endorsementScale: number },
): { explanations: Explanations; topics: TopicScores } {
  const { n, raw, value: endorsementValue } = finishing;
  const k = model.topCauses;
  const { follow, extra, outWeight } = graph;
  // The worker takes rows too when the graph is on shared memory (it is when it is large).
  const parallel = follow.rowStart.buffer instanceof SharedArrayBuffer && threadsAvailable();
  const f64 = (length: number) => (parallel ? sharedFloat64(length) : new Float64Array(length));
  const i32 = (length: number) => (parallel ? sharedInt32(length) : new Int32Array(length));
  const out: Explanations = {
    k,
    kind: parallel ? new Uint8Array(new SharedArrayBuffer(n * k)) : new Uint8Array(n * k),
    source: i32(n * k),
    share: f64(n * k),
    remainder: f64(n),
  };
  const { networkFactor } = factors;
  // Member u passes p_u·w along each edge, p_u = networkFactor·PR_u / W_u.
  const p = f64(n);
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
  // raw, endorsementValue and byEndorsee come on shared memory when the graph is (recomputeAll).
  const channel = parallel ? new MessageChannel() : null;
  const st: ExplainState = {
    n,
    k,
    followWeight: graph.followWeight,
    followStart: follow.rowStart,
    followSource: follow.source,
    extraStart: extra.rowStart,
    extraSource: extra.source,
    extraWeight: extra.weight,
    p,
    raw,
    endorsementValue,
    endorseeStart: finishing.endorseeStart,
    endorseeOrder: finishing.endorseeOrder,
    endorsementScale: factors.endorsementScale,
    memberCode: CauseCode.Member,
    endorsementCode: CauseCode.Endorsement,
    longest,
    next: i32(1),
    out,
    finish: finishing,
    port: channel?.port2 ?? null,
    ctrl: parallel ? sharedControl() : new Int32Array(ctrlSlots.size),
  };
  const threads = channel === null ? null : TwoThreads.start(st, explainTask, [channel.port2]);
  if (threads === null || channel === null) {
    channel?.port1.close();
    const topics = finish(finishing, scaler, i32, f64);
    explainPart(st, 0);
    return { explanations: out, topics };
  }
  let reply: { topics?: TopicScores; error?: unknown } | undefined;
  try {
    threads.task(explainPart);
    reply = receiveMessageOnPort(channel.port1)?.message;
  } finally {
    threads.release();
    channel.port1.close();
  }
  if (reply?.error !== undefined) throw reply.error;
  if (reply?.topics === undefined) throw new Error("recompute: the worker gave no topic expertise");
  return { explanations: out, topics: reply.topics };
}

/** The worker's part: finish first (posting its result or error on st.port), then rows. */
function explainOnWorker(st: ExplainState, t: number, makeScale: typeof scaler): void {
  try {
    const int32 = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));
    const float64 = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
    st.port?.postMessage({ topics: finish(st.finish, makeScale, int32, float64) });
  } catch (error) {
    st.port?.postMessage({ error });
  }
  explainPart(st, t);
}

/**
 * Thread t's share of the explanations: slices of rows, each taken by the first thread free
 * (Atomics on st.next), so that the result does not depend on who took what. Self-contained
 * (no imports, no closures, constants in the state): the worker gets it as source text.
 */
function explainPart(st: ExplainState, t: number): void {
  const slice = 4096;
  const scratch = {
    thread: t,
    rowU: new Int32Array(st.longest),
    values: new Float64Array(st.longest),
    topKind: new Uint8Array(st.k),
    topSource: new Int32Array(st.k),
    topValue: new Float64Array(st.k),
  };
  for (let v = Atomics.add(st.next, 0, slice); v < st.n; v = Atomics.add(st.next, 0, slice)) {
    explainRows(st, scratch, v, Math.min(st.n, v + slice));
  }
}

/** The worker's copy of explainOnWorker (see TwoThreads.task). */
const explainTask = `const __name = (target) => target;
${scaler.toString()}
${topicScores.toString()}
${finish.toString()}
${ranksBefore.toString()}
${offerTop.toString()}
${explainRows.toString()}
${explainPart.toString()}
${explainOnWorker.toString()}
return (st, t) => explainOnWorker(st, t, scaler);`;

/**
 * Whether cause (value, kind, source) ranks before (v, k, u): the larger value, then members
 * before endorsements (CauseCode 0 before 1), then the smaller source — the order in which
 * causes used to be offered, so that ties resolve as they always have.
 */
function ranksBefore(value: number, kind: number, source: number, v: number, k: number, u: number): boolean {
  return value > v || (value === v && (kind < k || (kind === k && source < u)));
}

/** Offers a cause to the k best kept in top*[0, size), best first; returns the new size. */
function offerTop(
  topKind: Uint8Array,
  topSource: Int32Array,
  topValue: Float64Array,
  size: number,
  kind: number,
  source: number,
  value: number,
): number {
  const k = topValue.length;
  if (!(value > 0)) return size;
  if (
    size === k &&
    !ranksBefore(
      value,
      kind,
      source,
      topValue[k - 1] as number,
      topKind[k - 1] as number,
      topSource[k - 1] as number,
    )
  )
    return size;
  let i = size < k ? size++ : k - 1;
  while (
    i > 0 &&
    ranksBefore(
      value,
      kind,
      source,
      topValue[i - 1] as number,
      topKind[i - 1] as number,
      topSource[i - 1] as number,
    )
  ) {
    topKind[i] = topKind[i - 1] as number;
    topSource[i] = topSource[i - 1] as number;
    topValue[i] = topValue[i - 1] as number;
    i--;
  }
  topKind[i] = kind;
  topSource[i] = source;
  topValue[i] = value;
  return size;
}

// Per row: its followers' values p_u·followWeight, gathered straight from the row in a loop
// without branches, so the random reads overlap as in the PageRank sweeps; then each interaction
// pair either makes its follower's value p_u·(followWeight + part) (the follower found by binary
// search: a row has few pairs) or is appended; keep the k best. Deciding edge by edge as the
// values were read cost 1.7–1.9 s at 10M edges (each random read waited behind a branch on the
// one before), and screening with single-precision approximations stalled on ties: many members
// share a rank and an out-weight. (A merge of the two sorted parts, a branch per edge, cost more
// than the searches; copying each row before the gather made the explanations 9% slower, median
// of 8.) The weights are followWeight·followed + part exactly as pairWeight adds them.
function explainRows(
  st: ExplainState,
  scratch: {
    rowU: Int32Array;
    values: Float64Array;
    topKind: Uint8Array;
    topSource: Int32Array;
    topValue: Float64Array;
  },
  first: number,
  last: number,
): void {
  const { p, raw, endorsementValue, endorseeStart, endorseeOrder, followWeight } = st;
  const { followStart, followSource, extraStart, extraSource, extraWeight, memberCode, endorsementCode } = st;
  const { rowU, values, topKind, topSource, topValue } = scratch;
  const { k, kind, source, share, remainder } = st.out;
  for (let v = first; v < last; v++) {
    let size = 0;
    const f0 = followStart[v] as number;
    const follows = (followStart[v + 1] as number) - f0;
    // The followers' values straight from the row, in a loop without branches so that the random
    // reads of p overlap (over a copy of the row, the same gather took 1.7–1.9× as long alone).
    for (let i = 0; i < follows; i++)
      values[i] = (p[followSource[f0 + i] as number] as number) * followWeight;
    let length = follows;
    const jEnd = extraStart[v + 1] as number;
    for (let j = extraStart[v] as number; j < jEnd; j++) {
      const u = extraSource[j] as number;
      let lo = 0;
      let hi = follows;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((followSource[f0 + mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      if (lo < follows && followSource[f0 + lo] === u) {
        values[lo] = (p[u] as number) * (followWeight + (extraWeight[j] as number));
      } else {
        rowU[length] = u;
        values[length] = (p[u] as number) * (extraWeight[j] as number);
        length++;
      }
    }
    // Then the top k, in the same order: the followers, then the pairs without a follow.
    for (let i = 0; i < follows; i++) {
      size = offerTop(
        topKind,
        topSource,
        topValue,
        size,
        memberCode,
        followSource[f0 + i] as number,
        values[i] as number,
      );
    }
    for (let i = follows; i < length; i++) {
      size = offerTop(topKind, topSource, topValue, size, memberCode, rowU[i] as number, values[i] as number);
    }
    const endorsed = endorseeStart[v + 1] as number;
    for (let e = endorseeStart[v] as number; e < endorsed; e++) {
      const i = endorseeOrder[e] as number;
      const value = st.endorsementScale * (endorsementValue[i] as number);
      size = offerTop(topKind, topSource, topValue, size, endorsementCode, i, value);
    }
    const total = raw[v] as number;
    let named = 0;
    for (let r = 0; r < size; r++) {
      const x = (topValue[r] as number) / total;
      kind[v * k + r] = topKind[r] as number;
      source[v * k + r] = topSource[r] as number;
      share[v * k + r] = x;
      named += x;
    }
    remainder[v] = Math.max(0, 1 - named);
  }
}
