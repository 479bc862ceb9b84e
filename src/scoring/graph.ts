// The influence graph: one weighted edge per ordered pair of members "u is influenced by v"
// (rank flows u → v), from follows and time-decayed interactions, stored as an in-edge CSR
// (row v lists who passes influence to v, by increasing source) — the layout PageRank and
// explanations both read.
//
// Built without a random write per edge. Follows (about ten per member) go through a two-level
// counting sort as in pagerank-system.ts: first into buckets of 4096 consecutive targets (at most
// a thousand sequential write streams), then each bucket into its rows in a small scratch array
// that stays in cache. Each row is sorted by source (already, when the follows come by follower,
// as the scorer loads them: both counting sorts are stable), which drops duplicate follows, and
// merged with the row's interactions (few: a stable radix sort by target then actor that carries
// each interaction's actor and decayed weight along, so the weights are summed per pair in one
// sequential pass), so each pair becomes one edge with its weight written once. The split graph
// keeps the two parts apart and needs no merge: its interaction part is the pairs themselves, and
// its follows go through the kernel's own packed partition and bucket fill, their rows then
// deduplicated in place (packedFollowsOf), all closures compiled per build. The
// arrays go on shared memory when large, so the PageRank sweeps can hand half the rows to a
// second thread without copying them. (The first version scattered every follow and interaction
// into its row of a 100 MB array and merged pairs with a per-member marker: 3.7–4 s at 10M edges.)
// Long one-pass loops (interaction weights, pairs, out-weights) run in slices: see sliceLength in
// pagerank-system.ts.
import type { Community } from "./community.js";
import { interactionKindCodes } from "./community.js";
import { freshCopy } from "./fresh.js";
import { radixSortPairs, type SortedPairs } from "./group.js";
import type { ModelParameters } from "./model.js";
import { countDegrees, type FillState, packedFillOf } from "./pagerank-fill.js";
import { packedPartitionOf, sliceLength } from "./pagerank-system.js";
import { parallelMinEdges, sharedFloat64, sharedInt32, threadsAvailable } from "./pagerank-threads.js";

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
export function pairWeight(
  model: Pick<ModelParameters, "followWeight" | "pairInteractionCap">,
  follows: number,
  interactionSum: number,
): number {
  const cap = model.pairInteractionCap;
  return model.followWeight * follows + (interactionSum > 0 ? cap * -Math.expm1(-interactionSum / cap) : 0);
}

const dayMs = 24 * 60 * 60 * 1000;

/** Weight of each interaction now: its kind's weight, halved every half-life. */
export function interactionWeights(community: Community, model: ModelParameters, now: number): Float64Array {
  const inputs = pairInputs(community, model, now);
  const weights = new Float64Array(inputs.kind.length);
  // In slices: see sliceLength in pagerank-system.ts.
  for (let i = 0; i < weights.length; i += inputs.slice) {
    weighSlice(inputs, weights, i, Math.min(weights.length, i + inputs.slice));
  }
  return weights;
}

/**
 * What the interaction pairs are made from: the interactions, and how to weigh them now. Plain
 * values only, so that a worker can be given them (see splitInteractionPart).
 */
export interface PairInputs {
  n: number;
  actor: Int32Array;
  target: Int32Array;
  kind: Uint8Array;
  at: Float64Array;
  /** Weight by kind code. */
  byKind: Float64Array;
  decayPerMs: number;
  now: number;
  /** sliceLength (pagerank-system.ts). */
  slice: number;
}

export function pairInputs(community: Community, model: ModelParameters, now: number): PairInputs {
  const { actor, target, kind, at } = community.interactions;
  return {
    n: community.memberCount,
    actor,
    target,
    kind,
    at,
    byKind: Float64Array.from(interactionKindCodes, (name) => model.interactionWeights[name]),
    decayPerMs: Math.LN2 / (model.interactionHalfLifeDays * dayMs),
    now,
    slice: sliceLength,
  };
}

function weighSlice(inputs: PairInputs, weights: Float64Array, first: number, last: number): void {
  const { kind, at, byKind, decayPerMs, now } = inputs;
  for (let i = first; i < last; i++) {
    const age = Math.max(0, now - (at[i] as number));
    weights[i] = (byKind[kind[i] as number] as number) * Math.exp(-decayPerMs * age);
  }
}

function checkMember(index: number, n: number, what: string): number {
  if (!(index >= 0 && index < n))
    throw new RangeError(`${what} refers to member ${index}, outside [0, ${n})`);
  return index;
}

/** Graphs with at least this many pairs go on shared memory (see pagerank-threads.ts). */
const sharedFrom = parallelMinEdges;

/**
 * Interaction pairs by target, then actor: row v is actor[start[v] .. start[v+1]), each actor
 * once, with the summed decayed weight of its interactions with v (self-interactions dropped).
 *
 * A stable radix sort by target, then actor (group.ts) puts each row in actor order with equal
 * actors in the order given, so each pair's weights are summed in that order. (Sorting each row
 * after one counting sort took 0.2–0.3 s at 1M interactions: popular members' rows are long;
 * two counting sorts over a million buckets each, about as long.)
 * Every loop runs in slices (sliceLength). Self-contained but for `sort` (radixSortPairs) and the
 * allocators, like everything it calls: the recompute's worker runs it from source text.
 */
function interactionPairs(
  inputs: PairInputs,
  sort: typeof radixSortPairs,
  int32?: (length: number) => Int32Array,
  float64?: (length: number) => Float64Array,
): InteractionPairs {
  const { n, actor, target, slice } = inputs;
  const count = actor.length;
  for (let i = 0; i < count; i += slice) checkInteractions(inputs, i, Math.min(count, i + slice));
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i += slice) weighSlice(inputs, weights, i, Math.min(count, i + slice));
  // The pairs are written over the sorted items, each at or before the first item it sums.
  const sorted = sort(actor, target, weights, n, int32, float64);
  const pairStart = int32 === undefined ? new Int32Array(n + 1) : int32(n + 1);
  const st = { sorted, pairStart, next: 0, m: 0 };
  // Over no items first: see warmUp in pagerank-sweep.ts (the code after the loop).
  for (let i = 0; i < 100; i++) sumPairs(st, 0, 0);
  for (let i = 0; i < count; i += slice) sumPairs(st, i, Math.min(count, i + slice));
  // The rows after the last target's, and the end.
  for (let v = st.next; v <= n; v++) pairStart[v] = st.m;
  return { start: pairStart, actor: sorted.minor.subarray(0, st.m), sum: sorted.value.subarray(0, st.m) };
}

/** Interaction pairs: row v is actor[start[v] .. start[v+1]), with their summed weights. */
export interface InteractionPairs {
  start: Int32Array;
  actor: Int32Array;
  sum: Float64Array;
}

function checkInteractions(inputs: PairInputs, first: number, last: number): void {
  const { n, actor, target } = inputs;
  for (let i = first; i < last; i++) {
    checkMember(target[i] as number, n, "an interaction");
    checkMember(actor[i] as number, n, "an interaction");
  }
}

/**
 * Sorted items [first, last) of interactionPairs: one pair per (target, actor), weights summed
 * in order, self-interactions dropped, written over the items from st.m (pair m is at or before
 * item i); rows up to each item's target get their start.
 */
function sumPairs(
  st: {
    sorted: SortedPairs;
    pairStart: Int32Array;
    /** The first row whose start is not yet written (rows before it end at m). */
    next: number;
    m: number;
  },
  first: number,
  last: number,
): void {
  const { pairStart } = st;
  const { minor: actor, major: target, value: weight } = st.sorted;
  let { m, next } = st;
  for (let i = first; i < last; i++) {
    const v = target[i] as number;
    const u = actor[i] as number;
    const w = weight[i] as number;
    if (u === v) continue;
    // A new row: rows up to v start here (the rows between have no pairs).
    for (; next <= v; next++) pairStart[next] = m;
    if (m === (pairStart[v] as number) || actor[m - 1] !== u) {
      actor[m] = u;
      weight[m] = w;
      m++;
    } else weight[m - 1] = (weight[m - 1] as number) + w;
  }
  st.m = m;
  st.next = next;
}

/** Insertion sort of a[from, to) (rows of a few sources; long rows use the built-in sort). */
function sortRow(a: Int32Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort();
    return;
  }
  for (let j = from + 1; j < to; j++) {
    const x = a[j] as number;
    let i = j - 1;
    while (i >= from && (a[i] as number) > x) {
      a[i + 1] = a[i] as number;
      i--;
    }
    a[i + 1] = x;
  }
}

/** Follows partitioned by bucket of 2^shift consecutive followees: pairs (followee, follower). */
function followsByBucket(community: Community, shift: number, buckets: number) {
  const count = community.follows.followee.length;
  const start = new Int32Array(buckets + 1);
  let bySource = true;
  for (let i = 0; i < count; i += sliceLength) {
    bySource = countFollows(community, shift, start, i, Math.min(count, i + sliceLength)) && bySource;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  // One Int32 per follow (follower << shift | followee's offset in its bucket) when followers
  // fit, as in pagerank-system.ts: 40 MB less at 10M follows than two arrays.
  const packed = community.memberCount <= 2 ** (32 - shift);
  const out: BucketedFollows = {
    start,
    key: packed ? new Int32Array(count) : null,
    to: packed ? null : new Int32Array(count),
    from: packed ? null : new Int32Array(count),
    bySource,
  };
  const cursor = start.slice(0, buckets);
  for (let i = 0; i < count; i += sliceLength) {
    if (out.key !== null)
      scatterPacked(community, shift, cursor, out.key, i, Math.min(count, i + sliceLength));
    else scatterFollows(community, shift, cursor, out, i, Math.min(count, i + sliceLength));
  }
  return out;
}

interface BucketedFollows {
  /** Bucket b's follows are [start[b], start[b + 1]). */
  start: Int32Array;
  /** Packed (follower << shift | followee's offset in its bucket), or null for to/from. */
  key: Int32Array | null;
  to: Int32Array | null;
  from: Int32Array | null;
  /** Whether the follows came ordered by follower (then every row comes out sorted). */
  bySource: boolean;
}

/** Validates and counts follows [first, last) by bucket; returns whether their followers never decrease. */
function countFollows(
  community: Community,
  shift: number,
  start: Int32Array,
  first: number,
  last: number,
): boolean {
  const n = community.memberCount;
  const { follower, followee } = community.follows;
  let previous = first > 0 ? (follower[first - 1] as number) : 0;
  let descents = 0;
  for (let i = first; i < last; i++) {
    const u = checkMember(follower[i] as number, n, "a follow");
    descents += u < previous ? 1 : 0;
    previous = u;
    const b = (checkMember(followee[i] as number, n, "a follow") >>> shift) + 1;
    start[b] = (start[b] as number) + 1;
  }
  return descents === 0;
}

function scatterFollows(
  community: Community,
  shift: number,
  cursor: Int32Array,
  out: BucketedFollows,
  first: number,
  last: number,
) {
  const { follower, followee } = community.follows;
  const to = out.to as Int32Array;
  const from = out.from as Int32Array;
  for (let i = first; i < last; i++) {
    const v = followee[i] as number;
    const b = v >>> shift;
    const k = cursor[b] as number;
    cursor[b] = k + 1;
    to[k] = v;
    from[k] = follower[i] as number;
  }
}

function scatterPacked(
  community: Community,
  shift: number,
  cursor: Int32Array,
  key: Int32Array,
  first: number,
  last: number,
) {
  const { follower, followee } = community.follows;
  const mask = 2 ** shift - 1;
  for (let i = first; i < last; i++) {
    const v = followee[i] as number;
    const b = v >>> shift;
    const k = cursor[b] as number;
    cursor[b] = k + 1;
    key[k] = ((follower[i] as number) << shift) | (v & mask);
  }
}

/**
 * Counting-sorts bucket b's follows (targets from `first`) into rows: row v's followers end up in
 * scratch[at[v − first] .. at[v − first + 1]), in the order given.
 */
function sortBucket(
  follows: BucketedFollows,
  b: number,
  first: number,
  rows: number,
  shift: number,
  scratch: Int32Array,
  at: Int32Array,
): void {
  const begin = follows.start[b] as number;
  const end = follows.start[b + 1] as number;
  at.fill(0);
  if (follows.key !== null) {
    const { key } = follows;
    const mask = 2 ** shift - 1;
    for (let k = begin; k < end; k++) {
      const r = ((key[k] as number) & mask) + 1;
      at[r] = (at[r] as number) + 1;
    }
    for (let r = 0; r < rows; r++) at[r + 1] = (at[r + 1] as number) + (at[r] as number);
    for (let k = begin; k < end; k++) {
      const packed = key[k] as number;
      const r = packed & mask;
      const slot = at[r] as number;
      at[r] = slot + 1;
      scratch[slot] = packed >>> shift;
    }
  } else {
    const to = follows.to as Int32Array;
    const from = follows.from as Int32Array;
    for (let k = begin; k < end; k++) {
      const r = (to[k] as number) - first + 1;
      at[r] = (at[r] as number) + 1;
    }
    for (let r = 0; r < rows; r++) at[r + 1] = (at[r + 1] as number) + (at[r] as number);
    for (let k = begin; k < end; k++) {
      const r = (to[k] as number) - first;
      const slot = at[r] as number;
      at[r] = slot + 1;
      scratch[slot] = from[k] as number;
    }
  }
  for (let r = rows; r > 0; r--) at[r] = at[r - 1] as number;
  at[0] = 0;
}

/**
 * The graph as two in-edge CSRs over the same rows, each row by increasing source: every pair
 * with a follow in `follow` (each such edge weighs followWeight), every pair with interactions
 * in `extra`, weighing the saturated interaction part. A pair with both is in both, and its
 * weight is the sum, exactly as pairWeight computes it. Half the memory of InfluenceGraph (no
 * float64 weight for the 90% of pairs that are follows alone), and PageRank sweeps the follows
 * without reading a weight per edge. recomputeAll uses this; buildInfluenceGraph is the same
 * pairs in one CSR.
 */
export interface SplitInfluenceGraph {
  nodeCount: number;
  followWeight: number;
  follow: { rowStart: Int32Array; source: Int32Array };
  extra: { rowStart: Int32Array; source: Int32Array; weight: Float64Array };
  outWeight: Float64Array;
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
  const interactions = interactionPairs(pairInputs(community, model, now), radixSortPairs);
  const capacity = community.follows.followee.length + (interactions.start[n] as number);
  const shared = capacity >= sharedFrom && threadsAvailable();
  const sink: PairSink = {
    rowStart: shared ? sharedInt32(n + 1) : new Int32Array(n + 1),
    source: shared ? sharedInt32(capacity) : new Int32Array(capacity),
    weight: shared ? sharedFloat64(capacity) : new Float64Array(capacity),
    follows: options.keepPairs ? new Uint8Array(capacity) : null,
    sums: options.keepPairs ? new Float64Array(capacity) : null,
    outWeight: new Float64Array(n),
  };
  const m = mergePairs(community, model, interactions, sink);
  const graph: InfluenceGraph = {
    nodeCount: n,
    rowStart: sink.rowStart,
    source: sink.source.subarray(0, m),
    weight: sink.weight.subarray(0, m),
    outWeight: sink.outWeight,
  };
  if (sink.follows !== null && sink.sums !== null) {
    graph.pairs = { follows: sink.follows.subarray(0, m), interactionSum: sink.sums.subarray(0, m) };
  }
  return graph;
}

/**
 * Whether buildSplitInfluenceGraph puts the graph on shared memory: when the sweeps may run on two
 * threads (its pairs are at most the follows and the interactions).
 */
export function splitGraphShared(community: Community): boolean {
  return (
    community.follows.followee.length + community.interactions.actor.length >= sharedFrom &&
    threadsAvailable()
  );
}

/** The same pairs as buildInfluenceGraph, split by what they are made of (SplitInfluenceGraph). */
export function buildSplitInfluenceGraph(
  community: Community,
  model: ModelParameters,
  now: number,
): SplitInfluenceGraph {
  const { int32, float64 } = splitGraphAllocators(community);
  const pairs = splitInteractionPart(
    pairInputs(community, model, now),
    model,
    radixSortPairs,
    int32,
    float64,
  );
  return joinSplitGraph(splitFollowPart(community, model), pairs);
}

/** Where buildSplitInfluenceGraph allocates what it returns (see splitGraphShared). */
export function splitGraphAllocators(community: Community): {
  int32: (length: number) => Int32Array;
  float64: (length: number) => Float64Array;
} {
  const shared = splitGraphShared(community);
  return {
    int32: (length) => (shared ? sharedInt32(length) : new Int32Array(length)),
    float64: (length) => (shared ? sharedFloat64(length) : new Float64Array(length)),
  };
}

/**
 * The split graph's extra part: the interaction pairs themselves (rows by target, then actor),
 * each weighing its saturated part (pairWeight is followWeight·followed + that part, so the two
 * add up). Self-contained but for `sort` and the allocators, like interactionPairs: the
 * recompute's worker builds it (from interactionPartSource) while its main thread builds the
 * follow part.
 */
export function splitInteractionPart(
  inputs: PairInputs,
  model: Pick<ModelParameters, "followWeight" | "pairInteractionCap">,
  sort: typeof radixSortPairs,
  int32: (length: number) => Int32Array,
  float64: (length: number) => Float64Array,
): InteractionPairs {
  const pairs = interactionPairs(inputs, sort, int32, float64);
  const extras = pairs.start[inputs.n] as number;
  for (let j = 0; j < extras; j += inputs.slice)
    saturate(model, pairs.sum, j, Math.min(extras, j + inputs.slice));
  return pairs;
}

/** splitInteractionPart and what it calls (but the sort: group.ts' groupSource), as source text. */
export const interactionPartSource = [
  splitInteractionPart,
  interactionPairs,
  checkInteractions,
  checkMember,
  weighSlice,
  sumPairs,
  saturate,
  pairWeight,
]
  .map(String)
  .join("\n");

/** The split graph's follow part, and every member's out-weight along it. */
export interface SplitFollowPart {
  nodeCount: number;
  followWeight: number;
  follow: { rowStart: Int32Array; source: Int32Array };
  outWeight: Float64Array;
}

export function splitFollowPart(community: Community, model: ModelParameters): SplitFollowPart {
  const n = community.memberCount;
  const { int32 } = splitGraphAllocators(community);
  const outWeight = new Float64Array(n);
  const follow = { rowStart: int32(n + 1), source: int32(community.follows.followee.length) };
  const m = splitFollows(community, follow, outWeight, model.followWeight);
  return {
    nodeCount: n,
    followWeight: model.followWeight,
    follow: { rowStart: follow.rowStart, source: follow.source.subarray(0, m) },
    outWeight,
  };
}

/** The split graph from its two parts: the pairs' weights are added to the out-weights. */
export function joinSplitGraph(follows: SplitFollowPart, pairs: InteractionPairs): SplitInfluenceGraph {
  const { outWeight } = follows;
  const extras = pairs.start[follows.nodeCount] as number;
  for (let e = 0; e < extras; e += sliceLength)
    addWeights(pairs.actor, pairs.sum, outWeight, e, Math.min(extras, e + sliceLength));
  return { ...follows, extra: { rowStart: pairs.start, source: pairs.actor, weight: pairs.sum } };
}

/** weight[j] = pairWeight(model, 0, weight[j]) over [first, last). */
function saturate(
  model: Pick<ModelParameters, "followWeight" | "pairInteractionCap">,
  weight: Float64Array,
  first: number,
  last: number,
): void {
  for (let j = first; j < last; j++) weight[j] = pairWeight(model, 0, weight[j] as number);
}

/**
 * The follow part of the split graph: each row's followers, sorted, without repeats or the
 * member themself; outWeight[u] = followWeight · (u's follows kept). Returns the edge count.
 */
function splitFollows(
  community: Community,
  follow: { rowStart: Int32Array; source: Int32Array },
  outWeight: Float64Array,
  followWeight: number,
): number {
  const n = community.memberCount;
  const bits = Math.ceil(Math.log2(Math.max(n, 2)));
  const shift = Math.max(12, bits - 10);
  const buckets = Math.max(1, Math.ceil(n / 2 ** shift));
  const count = community.follows.followee.length;
  const followCount = new Int32Array(n);
  if (n > 2 ** (32 - shift)) {
    // Followers too many to pack with a row offset in 32 bits: the unsplit graph's two passes.
    const sink = { rowStart: follow.rowStart, source: follow.source, followCount };
    const m = splitFollowsUnpacked(community, shift, buckets, sink);
    for (let u = 0; u < n; u += sliceLength)
      weighFollows(followCount, followWeight, outWeight, u, Math.min(n, u + sliceLength));
    return m;
  }
  const { follower, followee } = community.follows;
  const bucketStart = new Int32Array(buckets + 1);
  const cursor = new Int32Array(buckets);
  const key = new Int32Array(count);
  // The kernel's own packed partition and bucket fill (pagerank-system.ts, pagerank-fill.ts): the
  // follows go to their buckets, each bucket into its rows of `source`, and the follower count
  // runs over the rows kept.
  const fill: FillState = {
    n,
    shift,
    bucketStart,
    key,
    from: null,
    to: null,
    weight: null,
    rowStart: follow.rowStart,
    col: follow.source,
    val: null,
    degree: followCount,
    outWeight: null,
    invOut: new Float64Array(0),
    at: new Int32Array(2 ** shift + 1),
  };
  const scatter = freshCopy(packedPartitionOf)(
    { nodeCount: n, from: follower, to: followee },
    key,
    null,
    cursor,
    shift,
  );
  const kernels = freshCopy(packedFillOf)(fill);
  const loops = freshCopy(packedFollowsOf)({
    n,
    shift,
    follower,
    followee,
    bucketStart,
    rowStart: follow.rowStart,
    source: follow.source,
    followCount,
    outWeight,
    followWeight,
  });
  // Over nothing first: see warmUp in pagerank-sweep.ts (the code after each loop).
  for (let i = 0; i < 100; i++) {
    loops.count(0, 0);
    scatter(0, 0);
    kernels.fill(0, 0, 0, 0);
    loops.rows(0, 0, 0, 0, true);
    kernels.countDegrees(0, 0);
    loops.weigh(0, 0);
  }
  let descents = 0;
  for (let i = 0; i < count; i += sliceLength) {
    const last = Math.min(count, i + sliceLength);
    const found = loops.count(i, last);
    if (found < 0) checkFollows(community, i, last);
    descents += found;
  }
  for (let b = 0; b < buckets; b++)
    bucketStart[b + 1] = (bucketStart[b + 1] as number) + (bucketStart[b] as number);
  cursor.set(bucketStart.subarray(0, buckets));
  for (let i = 0; i < count; i += sliceLength) scatter(i, Math.min(count, i + sliceLength));
  let m = 0;
  for (let b = 0; b < buckets; b++) {
    const first = b << shift;
    const last = Math.min(first + 2 ** shift, n);
    const end = bucketStart[b + 1] as number;
    kernels.fill(bucketStart[b] as number, end, first, last);
    const kept = m;
    m = loops.rows(end, first, last, m, descents === 0);
    kernels.countDegrees(kept, m);
  }
  follow.rowStart[n] = m;
  for (let u = 0; u < n; u += sliceLength) loops.weigh(u, Math.min(n, u + sliceLength));
  return m;
}

/** Throws on the first follow of [first, last) that refers to no member. */
function checkFollows(community: Community, first: number, last: number): void {
  const n = community.memberCount;
  const { follower, followee } = community.follows;
  for (let i = first; i < last; i++) {
    checkMember(follower[i] as number, n, "a follow");
    checkMember(followee[i] as number, n, "a follow");
  }
}

interface PackedFollows {
  n: number;
  /** Bucket b holds rows [b << shift, (b + 1) << shift). */
  shift: number;
  follower: Int32Array;
  followee: Int32Array;
  /** Bucket b's follows are at [bucketStart[b], bucketStart[b + 1]) once partitioned. */
  bucketStart: Int32Array;
  rowStart: Int32Array;
  source: Int32Array;
  followCount: Int32Array;
  outWeight: Float64Array;
  followWeight: number;
}

interface PackedFollowLoops {
  /** Counts follows [first, last) by bucket; returns how often the follower decreased, or −1 for a follow outside the members. */
  count(first: number, last: number): number;
  /**
   * Rows [first, last) as the bucket fill left them (row v from rowStart[v], the last up to
   * `end`), each sorted, without repeats or the member themself, moved down to start at m (m ≤
   * the bucket's first edge); returns the new m.
   */
  rows(end: number, first: number, last: number, m: number, bySource: boolean): number;
  /** outWeight[u] = followWeight · followCount[u] over [first, last). */
  weigh(first: number, last: number): void;
}

/**
 * splitFollows' own loops as closures over its arrays, compiled afresh per build (freshCopy,
 * fresh.ts), as the kernel's partition and fill that it shares are: with the arrays read through
 * parameters, the follower count's random increments alone took about 230 ms at 10M follows.
 */
function packedFollowsOf(st: PackedFollows): PackedFollowLoops {
  const { follower, followee, bucketStart, rowStart, source, followCount, outWeight } = st;
  const nTagged = st.n;
  const shiftTagged = st.shift;
  const followWeightTagged = st.followWeight;

  function count(first: number, last: number): number {
    const n = nTagged | 0;
    const shift = shiftTagged | 0;
    let previous = first > 0 ? (follower[first - 1] as number) : 0;
    let descents = 0;
    let outside = 0;
    for (let i = first; i < last; i++) {
      const u = follower[i] as number;
      const v = followee[i] as number;
      outside |= (u >>> 0 >= n ? 1 : 0) | (v >>> 0 >= n ? 1 : 0);
      descents += u < previous ? 1 : 0;
      previous = u;
      const b = (v >>> shift) + 1;
      bucketStart[b] = (bucketStart[b] as number) + 1;
    }
    return outside !== 0 ? -1 : descents;
  }

  /** The module's sortRow over source (a fresh copy can use nothing from the module). */
  function sortRow(from: number, to: number): void {
    if (to - from > 32) {
      source.subarray(from, to).sort();
      return;
    }
    for (let j = from + 1; j < to; j++) {
      const x = source[j] as number;
      let i = j - 1;
      while (i >= from && (source[i] as number) > x) {
        source[i + 1] = source[i] as number;
        i--;
      }
      source[i + 1] = x;
    }
  }

  function rows(end: number, first: number, last: number, m: number, bySource: boolean): number {
    for (let v = first; v < last; v++) {
      const from = rowStart[v] as number;
      const to = v + 1 < last ? (rowStart[v + 1] as number) : end;
      rowStart[v] = m;
      if (!bySource) sortRow(from, to);
      let previous = -1;
      for (let k = from; k < to; k++) {
        const u = source[k] as number;
        if (u !== previous && u !== v) source[m++] = u;
        previous = u;
      }
    }
    return m;
  }

  function weigh(first: number, last: number): void {
    const followWeight = followWeightTagged * 1;
    for (let u = first; u < last; u++) outWeight[u] = followWeight * (followCount[u] as number);
  }

  return { count, rows, weigh };
}

/** splitFollows for followers too many to pack: mergePairs' follow passes, rows apart. */
function splitFollowsUnpacked(
  community: Community,
  shift: number,
  buckets: number,
  sink: { rowStart: Int32Array; source: Int32Array; followCount: Int32Array },
): number {
  const n = community.memberCount;
  const follows = followsByBucket(community, shift, buckets);
  let longest = 0;
  for (let b = 0; b < buckets; b++)
    longest = Math.max(longest, (follows.start[b + 1] as number) - (follows.start[b] as number));
  const scratch = new Int32Array(longest);
  const at = new Int32Array(2 ** shift + 1);
  const { rowStart, source } = sink;
  let m = 0;
  for (let b = 0; b < buckets; b++) {
    const first = b << shift;
    const last = Math.min(first + 2 ** shift, n);
    sortBucket(follows, b, first, last - first, shift, scratch, at);
    for (let v = first; v < last; v++) {
      rowStart[v] = m;
      const fEnd = at[v - first + 1] as number;
      const f = at[v - first] as number;
      if (!follows.bySource) sortRow(scratch, f, fEnd);
      let previous = -1;
      for (let k = f; k < fEnd; k++) {
        const u = scratch[k] as number;
        if (u !== previous && u !== v) source[m++] = u;
        previous = u;
      }
    }
  }
  rowStart[n] = m;
  for (let e = 0; e < m; e += sliceLength)
    countDegrees(source, sink.followCount, e, Math.min(m, e + sliceLength));
  return m;
}

/** Where mergePairs writes (follows and sums: what each edge is made of, when kept). */
interface PairSink {
  rowStart: Int32Array;
  source: Int32Array;
  weight: Float64Array;
  follows: Uint8Array | null;
  sums: Float64Array | null;
  outWeight: Float64Array;
}

/** Sorts the follows into rows, merges each row with its interaction pairs; returns the edge count. */
function mergePairs(
  community: Community,
  model: ModelParameters,
  interactions: InteractionPairs,
  sink: PairSink,
): number {
  const n = community.memberCount;
  const bits = Math.ceil(Math.log2(Math.max(n, 2)));
  const shift = Math.max(12, bits - 10);
  const buckets = Math.max(1, Math.ceil(n / 2 ** shift));
  const follows = followsByBucket(community, shift, buckets);
  let longest = 0;
  for (let b = 0; b < buckets; b++)
    longest = Math.max(longest, (follows.start[b + 1] as number) - (follows.start[b] as number));
  const st: MergeState = {
    n,
    shift,
    model,
    interactions,
    follows,
    sink,
    // One bucket's follows, counting-sorted into rows: row v is scratch[at[v − first] .. at[v − first + 1]).
    scratch: new Int32Array(longest),
    at: new Int32Array(2 ** shift + 1),
    m: 0,
  };
  // A call per bucket: see sliceLength in pagerank-system.ts.
  for (let b = 0; b < buckets; b++) mergeBucket(st, b);
  const { rowStart, source, weight, outWeight } = sink;
  const { m } = st;
  rowStart[n] = m;
  // Out-weights in a pass of their own: a random read-modify-write inside the branchy merge
  // waits for each branch; here the increments overlap. In slices, as everywhere (sliceLength in
  // pagerank-system.ts); the sums run in edge order.
  for (let e = 0; e < m; e += sliceLength)
    addWeights(source, weight, outWeight, e, Math.min(m, e + sliceLength));
  return m;
}

/** outWeight[u] = followWeight · followCount[u] over [first, last). */
function weighFollows(
  followCount: Int32Array,
  followWeight: number,
  outWeight: Float64Array,
  first: number,
  last: number,
) {
  for (let u = first; u < last; u++) outWeight[u] = followWeight * (followCount[u] as number);
}

/** outWeight[source[e]] += weight[e] over [first, last), in order. */
function addWeights(
  source: Int32Array,
  weight: Float64Array,
  outWeight: Float64Array,
  first: number,
  last: number,
) {
  for (let e = first; e < last; e++) {
    const u = source[e] as number;
    outWeight[u] = (outWeight[u] as number) + (weight[e] as number);
  }
}

interface MergeState {
  n: number;
  shift: number;
  model: ModelParameters;
  interactions: InteractionPairs;
  follows: ReturnType<typeof followsByBucket>;
  sink: PairSink;
  scratch: Int32Array;
  at: Int32Array;
  /** Edges written so far. */
  m: number;
}

/** Counting-sorts bucket b's follows into rows and merges each row with its interaction pairs. */
function mergeBucket(st: MergeState, b: number): void {
  const { n, shift, model, interactions, follows, sink, scratch, at } = st;
  const { rowStart, source, weight } = sink;
  const pairFollows = sink.follows;
  const pairSums = sink.sums;
  let { m } = st;
  const first = b << shift;
  const last = Math.min(first + 2 ** shift, n);
  sortBucket(follows, b, first, last - first, shift, scratch, at);
  // Merge each row's sorted follows with its sorted interaction pairs.
  for (let v = first; v < last; v++) {
    rowStart[v] = m;
    const fEnd = at[v - first + 1] as number;
    let f = at[v - first] as number;
    // Follows given by follower (as the scorer loads them) arrive here sorted already: both
    // counting sorts above are stable.
    if (!follows.bySource) sortRow(scratch, f, fEnd);
    let j = interactions.start[v] as number;
    const jEnd = interactions.start[v + 1] as number;
    let previous = -1;
    while (f < fEnd || j < jEnd) {
      const fu = f < fEnd ? (scratch[f] as number) : 0x7fffffff;
      const iu = j < jEnd ? (interactions.actor[j] as number) : 0x7fffffff;
      if (fu <= iu) {
        f++;
        // Self-follows and repeated follows of the pair just written.
        if (fu === v || fu === previous) continue;
      }
      const u = Math.min(fu, iu);
      const followed = fu <= iu ? 1 : 0;
      let sum = 0;
      if (iu === u) {
        sum = interactions.sum[j] as number;
        j++;
      }
      previous = u;
      source[m] = u;
      weight[m] = pairWeight(model, followed, sum);
      if (pairFollows !== null && pairSums !== null) {
        pairFollows[m] = followed;
        pairSums[m] = sum;
      }
      m++;
    }
    // Stored per row, not once after the loop: V8 would deoptimise at code after a loop it
    // compiled mid-run, on every later call (see warmUp in pagerank-sweep.ts).
    st.m = m;
  }
}
