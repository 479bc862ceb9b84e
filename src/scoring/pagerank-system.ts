// The PageRank iteration's matrix as an in-edge CSR over the original node ids: row v lists the
// sources of v's in-edges in col[rowStart[v], rowStart[v + 1]), in input order. Parallel edges
// stay separate entries (their weights add up in the sum), self-loops are kept.
//
// Built with a two-level counting sort: first into buckets of consecutive targets, then each
// bucket into its rows. A one-level scatter writes every edge to a random place in a 40 MB array
// (a cache and TLB miss per edge: 0.9 s for 10M edges here); with buckets every write goes to one
// of at most 1024 sequential streams, and each bucket's rows fit in cache.

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

/** Validates every edge, counts bucket sizes, and returns out-weights. */
function countEdges(edges: EdgeInput, buckets: Buckets): Float64Array {
  const { nodeCount: n, from, to, weight } = edges;
  const { shift, start } = buckets;
  // Int32 counters: random Float64 increments cost twice as much here.
  const outDegree = weight === undefined ? new Int32Array(n) : null;
  const outWeight = new Float64Array(n);
  for (let e = 0; e < from.length; e++) {
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
  if (outDegree !== null) outWeight.set(outDegree);
  for (let b = 1; b < start.length; b++) start[b] = (start[b] as number) + (start[b - 1] as number);
  return outWeight;
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
  for (let e = 0; e < m; e++) {
    const v = edges.to[e] as number;
    const k = cursor[v >>> shift] as number;
    cursor[v >>> shift] = k + 1;
    out.from[k] = edges.from[e] as number;
    out.to[k] = v;
    if (out.weight !== null) out.weight[k] = (edges.weight as Float64Array)[e] as number;
  }
  return out;
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
  const sys: PagerankSystem = {
    nodeCount: n,
    rowStart: new Int32Array(n + 1),
    col: new Int32Array(m),
    val: edges.weight === undefined ? null : new Float64Array(m),
    invOut: invertOutWeights(outWeight),
  };
  const size = 2 ** buckets.shift;
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
export function invertOutWeights(outWeight: Float64Array): Float64Array {
  const invOut = new Float64Array(outWeight.length);
  for (let u = 0; u < outWeight.length; u++) {
    const w = outWeight[u] as number;
    invOut[u] = w === 0 ? 0 : 1 / w;
  }
  return invOut;
}
