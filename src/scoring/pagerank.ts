// PageRank kernel, networkx's definition: rank flows along each edge from `from[i]` to `to[i]`,
// split in proportion to out-weight (parallel edges add up); dangling nodes spread their rank
// uniformly; uniform teleport; the result sums to 1.
//
// `tolerance` is a guaranteed bound on the L1 distance between the result and the exact
// solution (up to rounding), not networkx's per-node change threshold.

import { solve } from "./pagerank-solve.js";
import { buildSystem, type EdgeInput, invertOutWeights } from "./pagerank-system.js";

export type PagerankEdges = EdgeInput;

export interface PagerankOptions {
  /** Probability of following an edge rather than teleporting; in [0, 1). Default 0.85. */
  damping?: number;
  /** L1 error bound on the result. Default 1e-10, leaving room for rounding under 1e-9. */
  tolerance?: number;
  /**
   * Gauss–Seidel sweeps before giving up with an error. Default: twice the steps power
   * iteration needs in the worst case (its error shrinks at least by the damping factor).
   */
  maxIterations?: number;
}

export interface PagerankReport {
  ranks: Float64Array;
  iterations: number;
  errorBound: number;
}

const defaults = { damping: 0.85, tolerance: 1e-10 };

function worstCaseIterations(damping: number, tolerance: number): number {
  if (damping === 0) return 1;
  return 2 * Math.ceil(Math.log((tolerance * (1 - damping)) / (2 * damping)) / Math.log(damping)) + 10;
}

function resolveOptions(options: PagerankOptions): Required<PagerankOptions> {
  const damping = options.damping ?? defaults.damping;
  const tolerance = options.tolerance ?? defaults.tolerance;
  if (!(damping >= 0 && damping < 1)) {
    throw new RangeError(`pagerank: damping must be in [0, 1), got ${damping}`);
  }
  if (!(tolerance > 0)) throw new RangeError(`pagerank: tolerance must be > 0, got ${tolerance}`);
  const maxIterations = options.maxIterations ?? worstCaseIterations(damping, tolerance);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError(`pagerank: maxIterations must be an integer >= 1, got ${maxIterations}`);
  }
  return { damping, tolerance, maxIterations };
}

function validateShape(edges: PagerankEdges): void {
  const { nodeCount, from, to, weight } = edges;
  if (!(Number.isInteger(nodeCount) && nodeCount >= 0 && nodeCount <= 0x7fffffff)) {
    throw new RangeError(`pagerank: nodeCount must be an integer in [0, 2^31), got ${nodeCount}`);
  }
  if (!(from instanceof Int32Array && to instanceof Int32Array)) {
    throw new TypeError("pagerank: from and to must be Int32Arrays");
  }
  if (from.length !== to.length) {
    throw new RangeError(`pagerank: from has ${from.length} entries but to has ${to.length}`);
  }
  if (weight !== undefined && !(weight instanceof Float64Array)) {
    throw new TypeError("pagerank: weight must be a Float64Array when given");
  }
  if (weight !== undefined && weight.length !== from.length) {
    throw new RangeError(`pagerank: weight has ${weight.length} entries but there are ${from.length} edges`);
  }
}

/** PageRank with the iteration count and the L1 error bound the stopping rule reached. */
export function pagerankReport(edges: PagerankEdges, options: PagerankOptions = {}): PagerankReport {
  const resolved = resolveOptions(options);
  validateShape(edges);
  if (edges.nodeCount === 0 && edges.from.length === 0) {
    return { ranks: new Float64Array(0), iterations: 0, errorBound: 0 };
  }
  const { damping, tolerance, maxIterations } = resolved;
  return checked(solve(buildSystem(edges), { alpha: damping, tolerance, maxIterations }), resolved);
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
}

/** pagerankReport over a CSR built elsewhere (the influence graph), so it is not built twice. */
export function pagerankOfCsr(csr: InEdgeCsr, options: PagerankOptions = {}): PagerankReport {
  const resolved = resolveOptions(options);
  if (csr.nodeCount === 0) return { ranks: new Float64Array(0), iterations: 0, errorBound: 0 };
  const { damping, tolerance, maxIterations } = resolved;
  const { nodeCount, rowStart, col, val, outWeight } = csr;
  const sys = { nodeCount, rowStart, col, val, invOut: invertOutWeights(outWeight) };
  return checked(solve(sys, { alpha: damping, tolerance, maxIterations }), resolved);
}

function checked(
  { x, iterations, errorBound }: { x: Float64Array; iterations: number; errorBound: number },
  { tolerance, maxIterations }: Required<PagerankOptions>,
): PagerankReport {
  if (!(errorBound <= tolerance)) {
    throw new Error(
      `pagerank: no convergence in ${maxIterations} iterations (L1 error bound ${errorBound}, tolerance ${tolerance})`,
    );
  }
  return { ranks: normalise(x), iterations, errorBound };
}

export function pagerank(edges: PagerankEdges, options: PagerankOptions = {}): Float64Array {
  return pagerankReport(edges, options).ranks;
}

/** Divides by the sum, which drifts from 1 only by rounding. */
function normalise(x: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] as number;
  const scale = 1 / sum;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * scale;
  return x;
}
