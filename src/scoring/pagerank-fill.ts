// The second half of the CSR build (pagerank-system.ts): the edges, already partitioned by bucket
// of 2^shift consecutive targets (packed into one Int32 each when the sources fit), are
// counting-sorted into their rows bucket by bucket, with the row counters in a small array of
// their own; the out-degrees are counted from each bucket's sources just after it is written.
//
// Tried: the buckets shared with the sweep worker (each thread taking the next bucket not yet
// taken, out-degrees counted per thread). Alone the fill took 265–310 ms on two threads against
// 305–375 on one, and inside the build it lost (build median 652 against 571 ms for the previous
// code, 529 ms for this code on one thread, alternating runs): both threads wait on memory, and
// this machine's two vCPUs share more than the sweeps' latency-bound reads notice.

import { freshCopy } from "./fresh.js";

export interface FillState {
  n: number;
  shift: number;
  /** Edges of bucket b are at [bucketStart[b], bucketStart[b + 1]) of key or from/to. */
  bucketStart: Int32Array;
  /** Packed edges, source << shift | (target & (2^shift − 1)), when every source fits; else null. */
  key: Int32Array | null;
  /** The edges unpacked, when key is null. */
  from: Int32Array | null;
  to: Int32Array | null;
  /** Edge weights in partition order, or null when every weight is 1. */
  weight: Float64Array | null;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array | null;
  /** Out-degrees (unweighted input), or null. */
  degree: Int32Array | null;
  /** Out-weights counted in input order (weighted input), or null. */
  outWeight: Float64Array | null;
  invOut: Float64Array;
  /** Row counters for one bucket: 2^shift + 1 entries. */
  at: Int32Array;
}

/** Counting sort of each bucket into its rows, and the out-degrees of the sources counted. */
export function fillPart(st: FillState): void {
  const { n, shift, bucketStart, at, degree } = st;
  const buckets = bucketStart.length - 1;
  if (st.key !== null) {
    fillPacked(st, freshCopy(packedFillOf)(st));
    return;
  }
  // Edges too wide to pack (over 2^20 nodes): plain functions. Over no rows first: see warmUp in
  // pagerank-sweep.ts (V8 otherwise deoptimises the fill on each of its calls).
  for (let i = 0; i < 100; i++) {
    fillBucketPlain(st, at, 0, 0, 0, 0);
    if (degree !== null) countDegrees(st.col, degree, 0, 0);
  }
  const size = 2 ** shift;
  for (let b = 0; b < buckets; b++) {
    const first = b * size;
    const last = Math.min(first + size, n);
    const begin = bucketStart[b] as number;
    const end = bucketStart[b + 1] as number;
    fillBucketPlain(st, at, begin, end, first, last);
    // In a loop of their own, over the sources just written (still in cache): inside the
    // scatter, the random increments cost three times as much.
    if (degree !== null) countDegrees(st.col, degree, begin, end);
  }
}

/** fillPart's loop over packed edges, with its kernels as closures (see packedFillOf). */
function fillPacked(st: FillState, kernels: PackedFill): void {
  const { n, shift, bucketStart } = st;
  const buckets = bucketStart.length - 1;
  for (let i = 0; i < 100; i++) {
    kernels.fill(0, 0, 0, 0);
    kernels.countDegrees(0, 0);
  }
  const size = 2 ** shift;
  for (let b = 0; b < buckets; b++) {
    const first = b * size;
    const begin = bucketStart[b] as number;
    const end = bucketStart[b + 1] as number;
    kernels.fill(begin, end, first, Math.min(first + size, n));
    kernels.countDegrees(begin, end);
  }
}

interface PackedFill {
  /** Rows [first, last) from the packed edges [begin, end). */
  fill(begin: number, end: number, first: number, last: number): void;
  /** countDegrees over col[begin, end), when counting degrees (unweighted input). */
  countDegrees(begin: number, end: number): void;
}

/**
 * The packed fill and the degree count as closures over the state's arrays, compiled afresh per
 * build (freshCopy, fresh.ts): with the arrays as parameters, V8 read them through the variable on
 * every access, and the random increments of the degree count alone took 2.5× as long. The row
 * counters live in `at`, not in rowStart.
 */
export function packedFillOf(st: FillState): PackedFill {
  const { rowStart, col, at } = st;
  const key = st.key ?? new Int32Array(0);
  const weight = st.weight ?? new Float64Array(0);
  const val = st.val ?? new Float64Array(0);
  const degree = st.degree ?? new Int32Array(0);
  const weighted = st.val !== null;
  const counting = st.degree !== null;
  const shiftTagged = st.shift;

  function fill(begin: number, end: number, first: number, last: number): void {
    const shift = shiftTagged | 0;
    const mask = (1 << shift) - 1;
    const rows = last - first;
    at.fill(0, 0, rows + 1);
    for (let k = begin; k < end; k++) {
      const r = ((key[k] as number) & mask) + 1;
      at[r] = (at[r] as number) + 1;
    }
    at[0] = begin;
    for (let r = 0; r < rows; r++) {
      at[r + 1] = (at[r + 1] as number) + (at[r] as number);
      rowStart[first + r] = at[r] as number;
    }
    if (weighted) {
      for (let k = begin; k < end; k++) {
        const packed = key[k] as number;
        const r = packed & mask;
        const slot = at[r] as number;
        at[r] = slot + 1;
        col[slot] = packed >>> shift;
        val[slot] = weight[k] as number;
      }
    } else {
      for (let k = begin; k < end; k++) {
        const packed = key[k] as number;
        const r = packed & mask;
        const slot = at[r] as number;
        at[r] = slot + 1;
        col[slot] = packed >>> shift;
      }
    }
  }

  function countDegrees(begin: number, end: number): void {
    if (!counting) return;
    for (let k = begin; k < end; k++) {
      const u = col[k] as number;
      degree[u] = (degree[u] as number) + 1;
    }
  }

  return { fill, countDegrees };
}

export function countDegrees(col: Int32Array, degree: Int32Array, first: number, last: number): void {
  for (let k = first; k < last; k++) {
    const u = col[k] as number;
    degree[u] = (degree[u] as number) + 1;
  }
}

/**
 * Rows [first, last) from the edges [begin, end), kept as two arrays (sources too large to pack).
 * The row counters live in `at`, not in rowStart.
 */
export function fillBucketPlain(
  st: FillState,
  at: Int32Array,
  begin: number,
  end: number,
  first: number,
  last: number,
): void {
  const { rowStart, col, val, weight } = st;
  const from = st.from as Int32Array;
  const to = st.to as Int32Array;
  const rows = last - first;
  at.fill(0, 0, rows + 1);
  for (let k = begin; k < end; k++) {
    const r = (to[k] as number) - first + 1;
    at[r] = (at[r] as number) + 1;
  }
  at[0] = begin;
  for (let r = 0; r < rows; r++) {
    at[r + 1] = (at[r + 1] as number) + (at[r] as number);
    rowStart[first + r] = at[r] as number;
  }
  for (let k = begin; k < end; k++) {
    const r = (to[k] as number) - first;
    const slot = at[r] as number;
    at[r] = slot + 1;
    col[slot] = from[k] as number;
    if (val !== null) val[slot] = (weight as Float64Array)[k] as number;
  }
}

/** 1 / out-weight, 0 for a dangling node; in slices (see sliceLength in pagerank-system.ts). */
export function invertPart(st: FillState): void {
  const { n, invOut, degree, outWeight } = st;
  for (let u = 0; u < n; u += 65536) {
    const last = Math.min(n, u + 65536);
    if (degree !== null) invertDegrees(invOut, degree, u, last);
    else invertWeights(invOut, outWeight as Float64Array, u, last);
  }
}

export function invertDegrees(invOut: Float64Array, degree: Int32Array, first: number, last: number): void {
  for (let u = first; u < last; u++) {
    const d = degree[u] as number;
    invOut[u] = d === 0 ? 0 : 1 / d;
  }
}

export function invertWeights(
  invOut: Float64Array,
  outWeight: Float64Array,
  first: number,
  last: number,
): void {
  for (let u = first; u < last; u++) {
    const w = outWeight[u] as number;
    invOut[u] = w === 0 ? 0 : 1 / w;
  }
}
