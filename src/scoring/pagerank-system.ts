// The PageRank iteration's matrix as an in-edge CSR over the original node ids: row v lists the
// sources of v's in-edges in col[rowStart[v], rowStart[v + 1]), in input order. Parallel edges
// stay separate entries (their weights add up in the sum), self-loops are kept.
//
// Built with a two-level counting sort: first into buckets of consecutive targets, then each
// bucket into its rows. A one-level scatter writes every edge to a random place in a 40 MB array
// (a cache and TLB miss per edge: 0.9 s for 10M edges here); with buckets every write goes to one
// of at most 1024 sequential streams, and each bucket's rows fit in cache. From 200k edges the
// arrays are on shared memory, for the second sweep thread (pagerank-threads.ts).
//
// A CSR built elsewhere (systemOfCsr) is used as it is; it may give every edge one weight
// (`unit`) and add a second, weighted CSR over the same rows (`extra`): the recompute keeps its
// ten million follows apart from the interactions that way, with no weight per follow.
//
// Tried: tiles of 64k rows × 64k sources with 16-bit offsets, so every random read stays in a
// 256 KB slice (L2) — 2.5× slower, the scattered accumulator updates cost more than the misses.

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

/** Validates every edge, counts bucket sizes, and returns out-weights. */
function countEdges(edges: EdgeInput, buckets: Buckets): Float64Array {
  const n = edges.nodeCount;
  const { start } = buckets;
  // Int32 counters: random Float64 increments cost twice as much here.
  const outDegree = edges.weight === undefined ? new Int32Array(n) : null;
  const outWeight = new Float64Array(n);
  const m = edges.from.length;
  for (let e = 0; e < m; e += sliceLength) {
    countSlice(edges, buckets, outDegree, outWeight, e, Math.min(m, e + sliceLength));
  }
  if (outDegree !== null) outWeight.set(outDegree);
  for (let b = 1; b < start.length; b++) start[b] = (start[b] as number) + (start[b - 1] as number);
  return outWeight;
}

function countSlice(
  edges: EdgeInput,
  { shift, start }: Buckets,
  outDegree: Int32Array | null,
  outWeight: Float64Array,
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
    if (outDegree !== null) outDegree[u] = (outDegree[u] as number) + 1;
    else {
      const w = (weight as Float64Array)[e] as number;
      if (!(w >= 0 && w < Number.POSITIVE_INFINITY)) throw new RangeError(badWeight(e, w));
      outWeight[u] = (outWeight[u] as number) + w;
    }
  }
}

interface Partition {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array | null;
}

/** Stable partition of the edges by target bucket. */
function partition(edges: EdgeInput, { shift, start }: Buckets): Partition {
  const m = edges.from.length;
  const out: Partition = {
    from: new Int32Array(m),
    to: new Int32Array(m),
    weight: edges.weight === undefined ? null : new Float64Array(m),
  };
  const cursor = start.slice(0, -1);
  for (let e = 0; e < m; e += sliceLength) {
    partitionSlice(edges, out, cursor, shift, e, Math.min(m, e + sliceLength));
  }
  return out;
}

function partitionSlice(
  edges: EdgeInput,
  out: Partition,
  cursor: Int32Array,
  shift: number,
  first: number,
  last: number,
): void {
  for (let e = first; e < last; e++) {
    const v = edges.to[e] as number;
    const k = cursor[v >>> shift] as number;
    cursor[v >>> shift] = k + 1;
    out.from[k] = edges.from[e] as number;
    out.to[k] = v;
    if (out.weight !== null) out.weight[k] = (edges.weight as Float64Array)[e] as number;
  }
}

/** Counting sort of one bucket's edges into its rows [first, last). */
function fillRows(
  sys: PagerankSystem,
  part: Partition,
  begin: number,
  end: number,
  first: number,
  last: number,
): void {
  const { rowStart, col, val } = sys;
  for (let k = begin; k < end; k++) {
    const row = (part.to[k] as number) + 1;
    rowStart[row] = (rowStart[row] as number) + 1;
  }
  rowStart[first] = begin;
  for (let v = first; v < last; v++) rowStart[v + 1] = (rowStart[v + 1] as number) + (rowStart[v] as number);
  // rowStart[v] doubles as v's write cursor, then is shifted back to the row's start.
  for (let k = begin; k < end; k++) {
    const v = part.to[k] as number;
    const at = rowStart[v] as number;
    rowStart[v] = at + 1;
    col[at] = part.from[k] as number;
    if (val !== null) val[at] = (part.weight as Float64Array)[k] as number;
  }
  for (let v = last; v > first; v--) rowStart[v] = rowStart[v - 1] as number;
  rowStart[first] = begin;
}

/** Validates the edges while counting, then counting-sorts them into in-edge rows. */
export function buildSystem(edges: EdgeInput): PagerankSystem {
  const n = edges.nodeCount;
  const m = edges.from.length;
  const buckets = bucketsFor(n);
  const outWeight = countEdges(edges, buckets);
  const part = partition(edges, buckets);
  // On shared memory when big enough for the sweeps to use a second thread.
  const shared = m >= parallelMinEdges && threadsAvailable();
  const sys: PagerankSystem = {
    nodeCount: n,
    rowStart: shared ? sharedInt32(n + 1) : new Int32Array(n + 1),
    col: shared ? sharedInt32(m) : new Int32Array(m),
    val: edges.weight === undefined ? null : shared ? sharedFloat64(m) : new Float64Array(m),
    invOut: invertOutWeights(outWeight, shared),
    unit: 1,
    extra: null,
  };
  const size = 2 ** buckets.shift;
  // Over no rows first: see warmUp in pagerank-sweep.ts (V8 otherwise deoptimises fillRows on
  // each of its thousand calls).
  for (let i = 0; i < 100; i++) fillRows(sys, part, 0, 0, 0, 0);
  for (let b = 0; b + 1 < buckets.start.length; b++) {
    const first = b * size;
    fillRows(
      sys,
      part,
      buckets.start[b] as number,
      buckets.start[b + 1] as number,
      first,
      Math.min(first + size, n),
    );
  }
  sys.rowStart[n] = m;
  return sys;
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
