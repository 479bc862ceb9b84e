// The Gauss–Seidel sweep of pagerank-solve.ts, cut so that two threads can share it with
// results that do not depend on the number of threads or on timing.
//
// The rows are cut into 2P segments of about equal work (edges plus a share for the per-row
// update); phase p of a sweep updates segment 2p on thread 0 and segment 2p + 1 on thread 1.
// Both gather from one single-precision array s of pre-divided ranks and write a segment's new
// values to a staging array; after a barrier each thread copies its staging into s, and after a
// second barrier the next phase starts. So a row reads the new values of every row in earlier
// phases and the old ones of both current segments and of later phases: Gauss–Seidel between
// segments, Jacobi within the two running ones (19 sweeps at 1M nodes against 18 for a plain
// Gauss–Seidel sweep). The teleport-and-dangling scalar τ is read as of the phase's start by
// both segments, and their changes of it are summed in a fixed order at the barrier. Run on one
// thread, the same phases execute one after the other with the same copies and sums: bit-for-bit
// the same result.
//
// One shared s, not a copy per thread: the random reads of s are what a sweep waits for, and
// two 4 MB copies (each thread writing its own at once, so that rows see their own segment's
// new values) no longer stayed in cache here: three times slower per sweep.
//
// Every function here is self-contained (no imports, and no closures over this module but the
// row updates' cache) because the worker gets them as source text (pagerank-threads.ts).

/** Slots of the shared control array. */
export const ctrlSlots = { seq: 0, command: 1, counter: 2, generation: 3, failed: 4, ready: 5, size: 6 };

/** Length of the shared scratch array `f64` (see SweepState). */
export const scratchSize = 13;

export interface SweepState {
  n: number;
  alpha: number;
  /** Phases per sweep; segment k is rows [segStart[k], segStart[k + 1]), 2·phases segments. */
  phases: number;
  segStart: Int32Array;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array | null;
  /** Weight of each edge in col when val is null. */
  unit: number;
  /** Extra weighted edges of each row (pagerank-system.ts ExtraEdges), or null. */
  xStart: Int32Array | null;
  xCol: Int32Array | null;
  xVal: Float64Array | null;
  /** The row of each extra edge (null without extra edges). */
  xRow: Int32Array | null;
  /** Each thread's scratch for the extra edges' sums of its current segment (segment-relative). */
  xSum0: Float64Array;
  xSum1: Float64Array;
  invOut: Float64Array;
  /** Round's right-hand side r = Gx₀ − x₀ (0 in the first round). */
  r: Float64Array;
  /** The correction being solved for. */
  d: Float64Array;
  /** d / outWeight in single precision, as of the end of the last phase. */
  s: Float32Array;
  /** Each thread's new s values for its current segment (segment-relative). */
  stage0: Float32Array;
  stage1: Float32Array;
  /** Residual input: x₀ / outWeight in double precision. */
  x64: Float64Array;
  /**
   * [0] τ at the start of the sweep; [1 + 2t + parity] thread t's change of τ in the last
   * phase of that parity; [5 + 4t ..] thread t's sweep statistics: change over α, change over
   * c·reach/N, magnitude, sum (see pagerank-solve.ts).
   */
  f64: Float64Array;
  /** Each thread's scratch for the row updates' statistics. */
  out0: Float64Array;
  out1: Float64Array;
  ctrl: Int32Array;
}

/** Two-party barrier: spin briefly, then sleep; throws if the other thread failed. */
export function barrier(ctrl: Int32Array): void {
  const generation = Atomics.load(ctrl, ctrlSlots.generation);
  if (Atomics.add(ctrl, ctrlSlots.counter, 1) === 1) {
    Atomics.store(ctrl, ctrlSlots.counter, 0);
    Atomics.add(ctrl, ctrlSlots.generation, 1);
    Atomics.notify(ctrl, ctrlSlots.generation);
  } else {
    let spins = 0;
    // A worker that failed before this thread arrived has moved the generation already, and will
    // not again: its failure flag ends the wait.
    while (
      Atomics.load(ctrl, ctrlSlots.generation) === generation &&
      Atomics.load(ctrl, ctrlSlots.failed) === 0
    ) {
      if (++spins > 20000) Atomics.wait(ctrl, ctrlSlots.generation, generation, 100);
    }
  }
  if (Atomics.load(ctrl, ctrlSlots.failed) !== 0) throw new Error("pagerank: the sweep worker failed");
}

/**
 * Thread t's part of phase p, starting from τ = `tau`: updates its segment into its staging
 * array, adds its statistics to f64 and returns its change of τ.
 */
export function runPhase(st: SweepState, t: number, p: number, tau: number): number {
  const { n, alpha, segStart, f64 } = st;
  const segment = 2 * p + t;
  const first = segStart[segment] as number;
  const last = segStart[segment + 1] as number;
  const stage = t === 0 ? st.stage0 : st.stage1;
  const out = t === 0 ? st.out0 : st.out1;
  const rows = rowUpdatesFor(st);
  const after =
    st.val !== null
      ? rows.weighted(stage, first, last, tau, out)
      : st.xStart === null
        ? rows.plain(stage, first, last, tau, out)
        : rows.split(stage, t === 0 ? st.xSum0 : st.xSum1, first, last, tau, out);
  // Rows that read a stale τ term of a row in this phase: at most every row up to this phase.
  const reach = segStart[2 * p + 2] as number;
  const stats = 5 + 4 * t;
  f64[stats] = (f64[stats] as number) + alpha * (out[0] as number);
  f64[stats + 1] = (f64[stats + 1] as number) + ((out[1] as number) * reach) / n;
  f64[stats + 2] = (f64[stats + 2] as number) + (out[2] as number);
  f64[stats + 3] = (f64[stats + 3] as number) + (out[3] as number);
  return after - tau;
}

/** Copies thread t's staged values of phase p into s. */
export function commitPhase(st: SweepState, t: number, p: number): void {
  const segment = 2 * p + t;
  const first = st.segStart[segment] as number;
  const last = st.segStart[segment + 1] as number;
  st.s.set((t === 0 ? st.stage0 : st.stage1).subarray(0, last - first), first);
}

/**
 * The row updates of one state, as closures over its arrays. Update of rows [first, last) from s,
 * new s values to stage[i − first]; returns τ after them and leaves Σ|Δdᵢ|, Σcᵢ·|Δdᵢ|,
 * Σ max(|old|, |new|) and Σ new in out[0..3].
 *
 * Three things halve their time against plain functions reading the arrays from the state (min of
 * 30 passes over the 1M bench graph on one thread: 38.5 against 72.0 ms; a bare gather of the
 * same rows, 29–31 ms), and only together:
 * - the arrays are captured by a closure made per state: V8 then compiles the loops with each
 *   array's location and length as constants, rather than reading them through a parameter;
 * - the scalars a closure captures are unboxed into locals (`* 1`) before the loop: used inside
 *   it, each use of a captured number was a check and a load;
 * - τ is read as of the segment's start, its change summed apart: a running τ made each row's
 *   update wait for the one before it. Rows of a phase already read each other's old τ terms
 *   (both segments of a phase run at once), so the error bound (pagerank-solve.ts) is unchanged.
 */
export function rowUpdatesOf(st: SweepState): RowUpdates {
  const { n, rowStart, col, invOut, r, d, s } = st;
  const alphaTagged = st.alpha;
  const unitTagged = st.unit;
  const val = st.val ?? new Float64Array(0);
  const xStart = st.xStart ?? new Int32Array(1);
  const xCol = st.xCol ?? new Int32Array(0);
  const xVal = st.xVal ?? new Float64Array(0);
  const xRow = st.xRow ?? new Int32Array(0);

  function plain(stage: Float32Array, first: number, last: number, tau: number, out: Float64Array): number {
    const alpha = alphaTagged * 1;
    const teleport = tau / n;
    let tauChange = 0;
    let changeAlpha = 0;
    let changeTeleport = 0;
    let magnitude = 0;
    let sum = 0;
    for (let i = first; i < last; i++) {
      let acc = 0;
      const end = rowStart[i + 1] as number;
      for (let k = rowStart[i] as number; k < end; k++) acc += s[col[k] as number] as number;
      const value = alpha * acc + teleport + (r[i] as number);
      const inv = invOut[i] as number;
      const c = inv === 0 ? 1 : 1 - alpha;
      const old = d[i] as number;
      const delta = value - old;
      tauChange += c * delta;
      const size = Math.abs(delta);
      changeAlpha += size;
      changeTeleport += c * size;
      magnitude += Math.max(Math.abs(value), Math.abs(old));
      sum += value;
      d[i] = value;
      stage[i - first] = value * inv;
    }
    out[0] = changeAlpha;
    out[1] = changeTeleport;
    out[2] = magnitude;
    out[3] = sum;
    return tau + tauChange;
  }

  /** With edge weights; apart so that neither hot loop branches per row. */
  function weighted(
    stage: Float32Array,
    first: number,
    last: number,
    tau: number,
    out: Float64Array,
  ): number {
    const alpha = alphaTagged * 1;
    const teleport = tau / n;
    let tauChange = 0;
    let changeAlpha = 0;
    let changeTeleport = 0;
    let magnitude = 0;
    let sum = 0;
    for (let i = first; i < last; i++) {
      let acc = 0;
      const end = rowStart[i + 1] as number;
      for (let k = rowStart[i] as number; k < end; k++)
        acc += (val[k] as number) * (s[col[k] as number] as number);
      const value = alpha * acc + teleport + (r[i] as number);
      const inv = invOut[i] as number;
      const c = inv === 0 ? 1 : 1 - alpha;
      const old = d[i] as number;
      const delta = value - old;
      tauChange += c * delta;
      const size = Math.abs(delta);
      changeAlpha += size;
      changeTeleport += c * size;
      magnitude += Math.max(Math.abs(value), Math.abs(old));
      sum += value;
      d[i] = value;
      stage[i - first] = value * inv;
    }
    out[0] = changeAlpha;
    out[1] = changeTeleport;
    out[2] = magnitude;
    out[3] = sum;
    return tau + tauChange;
  }

  /**
   * With each edge weighing `unit`, plus the extra weighted edges of each row. The extra edges of
   * the whole segment are summed first, in one loop over them (their rows from xRow), with the
   * values of s as the segment starts: a loop per row over its zero, one or two extra edges,
   * inside the loop that waits on the random reads, made the sweep 35% slower than over the
   * follows alone. s changes only between phases, so the sums are the same either way.
   */
  function split(
    stage: Float32Array,
    xSum: Float64Array,
    first: number,
    last: number,
    tau: number,
    out: Float64Array,
  ): number {
    const alpha = alphaTagged * 1;
    const unit = unitTagged * 1;
    xSum.fill(0, 0, last - first);
    const xEnd = xStart[last] as number;
    for (let x = xStart[first] as number; x < xEnd; x++) {
      const i = (xRow[x] as number) - first;
      xSum[i] = (xSum[i] as number) + (xVal[x] as number) * (s[xCol[x] as number] as number);
    }
    const teleport = tau / n;
    let tauChange = 0;
    let changeAlpha = 0;
    let changeTeleport = 0;
    let magnitude = 0;
    let sum = 0;
    for (let i = first; i < last; i++) {
      let acc = 0;
      const end = rowStart[i + 1] as number;
      for (let k = rowStart[i] as number; k < end; k++) acc += s[col[k] as number] as number;
      const value = alpha * (unit * acc + (xSum[i - first] as number)) + teleport + (r[i] as number);
      const inv = invOut[i] as number;
      const c = inv === 0 ? 1 : 1 - alpha;
      const old = d[i] as number;
      const delta = value - old;
      tauChange += c * delta;
      const size = Math.abs(delta);
      changeAlpha += size;
      changeTeleport += c * size;
      magnitude += Math.max(Math.abs(value), Math.abs(old));
      sum += value;
      d[i] = value;
      stage[i - first] = value * inv;
    }
    out[0] = changeAlpha;
    out[1] = changeTeleport;
    out[2] = magnitude;
    out[3] = sum;
    return tau + tauChange;
  }

  return { plain, weighted, split };
}

export interface RowUpdates {
  plain(stage: Float32Array, first: number, last: number, tau: number, out: Float64Array): number;
  weighted(stage: Float32Array, first: number, last: number, tau: number, out: Float64Array): number;
  split(
    stage: Float32Array,
    xSum: Float64Array,
    first: number,
    last: number,
    tau: number,
    out: Float64Array,
  ): number;
}

/**
 * This thread's row updates for a state, made on first use from a fresh compilation of
 * rowUpdatesOf (see fresh.ts): a second state's closures of the same function ran as slowly as
 * plain functions (1.4–1.6 s against 0.9 s for the first solve in a process, on one thread). (The
 * cache is declared again in the worker's source, pagerank-threads.ts: every function here is
 * self-contained but for it.)
 */
export function rowUpdatesFor(st: SweepState): RowUpdates {
  let updates = rowUpdateCache.get(st);
  if (updates === undefined) {
    // As freshCopy (fresh.ts) does, inline: this runs in the worker too. The count keeps the
    // text new, or V8's compilation cache returns the previous copy.
    rowUpdateCopies++;
    const fresh = new Function(
      `const __name = (target) => target; return ${rowUpdatesOf.toString()}; // ${rowUpdateCopies}`,
    )();
    updates = (fresh as typeof rowUpdatesOf)(st);
    rowUpdateCache.set(st, updates);
  }
  return updates;
}

const rowUpdateCache = new WeakMap<SweepState, RowUpdates>();
let rowUpdateCopies = 0;

/**
 * Runs the row updates over no rows, a few times. Node 20's V8 compiles a hot loop on stack
 * replacement before the code after it has ever run, then deoptimises at that code on every
 * later call (1000 bailouts per solve, twice the time). Empty calls give it the type feedback;
 * it keeps none until a function has run some bytecode (lazy feedback allocation).
 */
export function warmUp(st: SweepState): void {
  const rows = rowUpdatesFor(st);
  for (let i = 0; i < 100; i++) {
    if (st.val !== null) rows.weighted(st.stage0, 0, 0, 0, st.out0);
    else if (st.xStart === null) rows.plain(st.stage0, 0, 0, 0, st.out0);
    else rows.split(st.stage0, st.xSum0, 0, 0, 0, st.out0);
  }
}

/**
 * Thread t's part of a whole sweep from τ = f64[0], meeting the other thread at a barrier after
 * each phase; returns τ after the sweep (the same on both threads).
 */
export function sweepPart(st: SweepState, t: number): number {
  const { f64, ctrl, phases } = st;
  f64.fill(0, 5 + 4 * t, 9 + 4 * t);
  warmUp(st);
  let tau = f64[0] as number;
  for (let p = 0; p < phases; p++) {
    f64[1 + 2 * t + (p & 1)] = runPhase(st, t, p, tau);
    barrier(ctrl);
    tau = tau + (f64[1 + (p & 1)] as number) + (f64[3 + (p & 1)] as number);
    commitPhase(st, t, p);
    barrier(ctrl);
  }
  return tau;
}

/** Both parts of a sweep on the calling thread, in the order that gives the same result. */
export function sweepAlone(st: SweepState): number {
  const { f64, phases } = st;
  f64.fill(0, 5, 13);
  warmUp(st);
  let tau = f64[0] as number;
  for (let p = 0; p < phases; p++) {
    const delta0 = runPhase(st, 0, p, tau);
    const delta1 = runPhase(st, 1, p, tau);
    tau = tau + delta0 + delta1;
    commitPhase(st, 0, p);
    commitPhase(st, 1, p);
  }
  return tau;
}

/** r[i] = Σ over row i of weight · x64[source], for thread t's segments. */
export function residualPart(st: SweepState, t: number): void {
  // A call per segment: V8's code for a loop compiled mid-run is slower (pagerank-system.ts).
  for (let p = 0; p < st.phases; p++) residualSegment(st, 2 * p + t);
}

export function residualSegment(st: SweepState, segment: number): void {
  const { segStart, rowStart, col, val, unit, xStart, xCol, xVal, x64, r } = st;
  const last = segStart[segment + 1] as number;
  for (let i = segStart[segment] as number; i < last; i++) {
    let acc = 0;
    const end = rowStart[i + 1] as number;
    if (val === null)
      for (let k = rowStart[i] as number; k < end; k++) acc += x64[col[k] as number] as number;
    else
      for (let k = rowStart[i] as number; k < end; k++)
        acc += (val[k] as number) * (x64[col[k] as number] as number);
    if (xStart !== null && xCol !== null && xVal !== null) {
      let extra = 0;
      const xEnd = xStart[i + 1] as number;
      for (let x = xStart[i] as number; x < xEnd; x++)
        extra += (xVal[x] as number) * (x64[xCol[x] as number] as number);
      acc = unit * acc + extra;
    }
    r[i] = acc;
  }
}
