// The PageRank iteration's matrix as an in-edge CSR over the original node ids: row v lists the
// sources of v's in-edges in col[rowStart[v], rowStart[v + 1]), in input order. Parallel edges
// stay separate entries (their weights add up in the sum), self-loops are kept.
//
// Built with a two-level counting sort: first into buckets of consecutive targets, then each
// bucket into its rows (pagerank-fill.ts). A one-level scatter writes every edge to a random place
// in a 40 MB array (a cache and TLB miss per edge: 0.9 s for 10M edges here); with buckets every
// write goes to one of at most 1024 sequential streams, and each bucket's rows fit in cache. The
// partition packs each edge into one Int32 (source << shift | target's offset in its bucket)
// when the sources fit (up to 2^20 nodes at 4096 targets a bucket), half the bytes of two arrays,
// and the out-degrees are counted during the fill, not in the validating first pass (count
// 50–70 ms against 100–150, partition 115–130 against 165–220). From 200k edges the CSR is on
// shared memory, for the second sweep thread (pagerank-threads.ts).
//
// A CSR built elsewhere (systemOfCsr) is used as it is; it may give every edge one weight
// (`unit`) and add a second, weighted CSR over the same rows (`extra`): the recompute keeps its
// ten million follows apart from the interactions that way, with no weight per follow.
//
// Tried: tiles of 64k rows × 64k sources with 16-bit offsets, so every random read stays in a
// 256 KB slice (L2) — 2.5× slower, the scattered accumulator updates cost more than the misses.

import { freshCopy } from "./fresh.js";
import { type FillState, fillPart, invertPart } from "./pagerank-fill.js";
import { parallelMinEdges, sharedFloat64, sharedInt32, threadsAvailable } from "./pagerank-threads.js";

export interface EdgeInput {
  nodeCount: number;
  from: Int32Array;
  to: Int32Array;
  weight?: Float64Array;
}

export interface PagerankSystem {
  nodeCount: number;
  rowStart: Int32Array;
  col: Int32Array;
  /** Edge weights aligned with `col`, or null when every weight is 1. */
  val: Float64Array | null;
  /** 1 / out-weight, or 0 for a dangling node, so its pre-divided rank passes nothing on. */
  invOut: Float64Array;
  /** The weight of every edge in col when val is null. */
  unit: number;
  /** Weighted edges added to the ones in col, or null. */
  extra: ExtraEdges | null;
}

/** An in-edge CSR the caller already holds: row v lists col[rowStart[v] .. rowStart[v+1]). */
export interface InEdgeCsr {
  nodeCount: number;
  rowStart: Int32Array;
  col: Int32Array;
  /** Edge weights aligned with col, or null when every weight is 1. */
  val: Float64Array | null;
  /** Sum of each node's out-edge weights; 0 marks a dangling node. */
  outWeight: Float64Array;
  /** The weight of every edge in col when val is null (default 1). */
  unit?: number;
  /** More weighted edges over the same rows, added to the ones in col (default none). */
  extra?: ExtraEdges | null;
}

/** A second, weighted in-edge CSR over the same rows. */
export interface ExtraEdges {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** The system of a CSR built elsewhere (the influence graph): its arrays are used as they are. */
export function systemOfCsr(csr: InEdgeCsr): PagerankSystem {
  const { nodeCount, rowStart, col, val, outWeight } = csr;
  const shared = rowStart.buffer instanceof SharedArrayBuffer;
  const invOut = invertOutWeights(outWeight, shared);
  return { nodeCount, rowStart, col, val, invOut, unit: csr.unit ?? 1, extra: csr.extra ?? null };
}

interface Buckets {
  /** Targets v go to bucket v >>> shift. */
  shift: number;
  /** Edges of bucket b are at [start[b], start[b + 1]) after partitioning. */
  start: Int32Array;
}

function bucketsFor(n: number): Buckets {
  const bits = Math.max(1, Math.ceil(Math.log2(Math.max(n, 2))));
  const shift = Math.max(12, bits - 10);
  return { shift, start: new Int32Array((Math.max(n - 1, 0) >>> shift) + 2) };
}

function badIndex(e: number, u: number, v: number, n: number): string {
  return `pagerank: edge ${e} (${u} -> ${v}) has a node index outside [0, ${n})`;
}

function badWeight(e: number, w: number): string {
  return `pagerank: weight[${e}] is ${w}; weights must be finite and >= 0`;
}

/**
 * Long one-pass loops run as many calls over slices of this many items. V8 (Node 20) optimises a
 * loop that is already running by on-stack replacement, and that code ran a random gather here
 * five times slower than the same function compiled for a later call (106 against 22 ms for 10M
 * reads): with slices, all but the first few run the fast code.
 */
export const sliceLength = 1 << 16;

/**
 * Validates every edge and counts bucket sizes; for weighted input, also sums out-weights (in
 * input order, so that they do not depend on the threads).
 */
function countEdges(edges: EdgeInput, buckets: Buckets, outWeight: Float64Array | null): void {
  const { start } = buckets;
  const m = edges.from.length;
  for (let e = 0; e < m; e += sliceLength) {
    countSlice(edges, buckets, outWeight, e, Math.min(m, e + sliceLength));
  }
  for (let b = 1; b < start.length; b++) start[b] = (start[b] as number) + (start[b - 1] as number);
}

function countSlice(
  edges: EdgeInput,
  { shift, start }: Buckets,
  outWeight: Float64Array | null,
  first: number,
  last: number,
): void {
  const { nodeCount: n, from, to, weight } = edges;
  for (let e = first; e < last; e++) {
    const u = from[e] as number;
    const v = to[e] as number;
    if (!(u >= 0 && u < n && v >= 0 && v < n)) throw new RangeError(badIndex(e, u, v, n));
    const b = (v >>> shift) + 1;
    start[b] = (start[b] as number) + 1;
    if (outWeight !== null) {
      const w = (weight as Float64Array)[e] as number;
      if (!(w >= 0 && w < Number.POSITIVE_INFINITY)) throw new RangeError(badWeight(e, w));
      outWeight[u] = (outWeight[u] as number) + w;
    }
  }
}

/**
 * Stable partition of the edges by target bucket into fill's arrays: packed into one Int32 per
 * edge (source << shift | target's offset in its bucket) when every source fits, else as two.
 */
function partition(edges: EdgeInput, { shift, start }: Buckets, fill: FillState): void {
  const m = edges.from.length;
  const cursor = start.slice(0, -1);
  if (fill.key !== null) {
    const slice = freshCopy(packedPartitionOf)(edges, fill.key, fill.weight, cursor, shift);
    for (let i = 0; i < 100; i++) slice(0, 0);
    for (let e = 0; e < m; e += sliceLength) slice(e, Math.min(m, e + sliceLength));
    return;
  }
  for (let e = 0; e < m; e += sliceLength)
    partitionPlain(edges, fill, cursor, shift, e, Math.min(m, e + sliceLength));
}

/**
 * The packed partition of a slice of edges, as a closure over the arrays compiled afresh per build
 * (fresh.ts), like the fill's loops (pagerank-fill.ts); the recompute's graph build
 * (graph.ts) partitions its follows with it too.
 */
export function packedPartitionOf(
  edges: EdgeInput,
  key: Int32Array,
  weight: Float64Array | null,
  cursor: Int32Array,
  shiftTagged: number,
): (first: number, last: number) => void {
  const { from, to } = edges;
  const inWeight = edges.weight ?? new Float64Array(0);
  const outWeight = weight ?? new Float64Array(0);
  const weighted = weight !== null;
  return function slice(first: number, last: number): void {
    const shift = shiftTagged | 0;
    const mask = (1 << shift) - 1;
    for (let e = first; e < last; e++) {
      const v = to[e] as number;
      const k = cursor[v >>> shift] as number;
      cursor[v >>> shift] = k + 1;
      key[k] = ((from[e] as number) << shift) | (v & mask);
      if (weighted) outWeight[k] = inWeight[e] as number;
    }
  };
}

function partitionPlain(
  edges: EdgeInput,
  fill: FillState,
  cursor: Int32Array,
  shift: number,
  first: number,
  last: number,
): void {
  const outFrom = fill.from as Int32Array;
  const outTo = fill.to as Int32Array;
  const { weight } = fill;
  for (let e = first; e < last; e++) {
    const v = edges.to[e] as number;
    const k = cursor[v >>> shift] as number;
    cursor[v >>> shift] = k + 1;
    outFrom[k] = edges.from[e] as number;
    outTo[k] = v;
    if (weight !== null) weight[k] = (edges.weight as Float64Array)[e] as number;
  }
}

/**
 * Validates the edges while counting, partitions them by bucket, then sorts each bucket into its
 * rows and counts out-degrees (pagerank-fill.ts).
 */
export function buildSystem(edges: EdgeInput): PagerankSystem {
  const n = edges.nodeCount;
  const m = edges.from.length;
  const buckets = bucketsFor(n);
  const { shift } = buckets;
  // The CSR on shared memory when big enough for the sweeps to use a second thread.
  const shared = m >= parallelMinEdges && threadsAvailable();
  const int32 = (length: number) => (shared ? sharedInt32(length) : new Int32Array(length));
  const float64 = (length: number) => (shared ? sharedFloat64(length) : new Float64Array(length));
  const weighted = edges.weight !== undefined;
  const outWeight = weighted ? new Float64Array(n) : null;
  countEdges(edges, buckets, outWeight);
  const packed = n <= 2 ** (32 - shift);
  const fill: FillState = {
    n,
    shift,
    bucketStart: buckets.start,
    key: packed ? new Int32Array(m) : null,
    from: packed ? null : new Int32Array(m),
    to: packed ? null : new Int32Array(m),
    weight: weighted ? new Float64Array(m) : null,
    rowStart: int32(n + 1),
    col: int32(m),
    val: weighted ? float64(m) : null,
    degree: weighted ? null : new Int32Array(n),
    outWeight,
    invOut: float64(n),
    at: new Int32Array(2 ** shift + 1),
  };
  partition(edges, buckets, fill);
  // On this thread: on a second one it took longer here (both threads wait on memory; the
  // sweeps, bound by the latency of their random reads, gain from two, this does not).
  fillPart(fill);
  invertPart(fill);
  fill.rowStart[n] = m;
  return {
    nodeCount: n,
    rowStart: fill.rowStart,
    col: fill.col,
    val: fill.val,
    invOut: fill.invOut,
    unit: 1,
    extra: null,
  };
}

/** 1 / out-weight per node, 0 for a dangling node. */
export function invertOutWeights(outWeight: Float64Array, shared = false): Float64Array {
  const invOut = shared ? sharedFloat64(outWeight.length) : new Float64Array(outWeight.length);
  for (let u = 0; u < outWeight.length; u++) {
    const w = outWeight[u] as number;
    invOut[u] = w === 0 ? 0 : 1 / w;
  }
  return invOut;
}
