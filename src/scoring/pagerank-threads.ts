// A second thread for the PageRank sweeps: one persistent worker, fed through shared memory.
//
// `pagerank()` is synchronous, so the main thread does not await the worker: both run the same
// sweep code (pagerank-sweep.ts, handed to the worker as source text, so no TypeScript loader
// is needed there) on halves of the rows and meet at barriers built on Atomics.wait/notify. The
// worker is created on first use, unref'd (an idle worker never keeps a process alive) and
// returns to its event loop after every solve. Without worker_threads, with one core, or after
// a worker failure, the sweeps run on the main thread alone with exactly the same results.
//
// Other work can use the worker as a task: its source text (self-contained functions ending in
// `return entry;`) goes with the state, is compiled once per distinct text with new Function and
// cached, and runs as (state, 1) while the main thread runs (state, 0). The recompute's graph
// build (the worker takes the interaction part) and explanation pass do (recompute.ts).

import { availableParallelism } from "node:os";
import { type MessagePort, Worker } from "node:worker_threads";
import {
  barrier,
  commitPhase,
  ctrlSlots,
  residualPart,
  residualSegment,
  rowUpdatesFor,
  rowUpdatesOf,
  runPhase,
  type SweepState,
  sweepPart,
  warmUp,
} from "./pagerank-sweep.js";

/** Commands in ctrl[command]. */
const Command = { Sweep: 1, Residual: 2, Release: 3, Task: 4 } as const;
type Command = (typeof Command)[keyof typeof Command];

/** How long a solve waits for the worker to pick up its state before sweeping alone. */
const startTimeoutMs = 10_000;

/** Graphs with fewer edges than this are swept on one thread: a barrier costs more than it saves. */
export const parallelMinEdges = 200_000;

/** At most this many threads sweep (PAGERANK_THREADS, set through setPagerankThreads). */
let allowedThreads = 2;

/** Caps the sweeps at one thread or allows two; the service sets it from its configuration. */
export function setPagerankThreads(threads: 1 | 2): void {
  allowedThreads = threads;
}

/** Whether a second thread may be used: two cores, worker_threads, and not switched off. */
export function threadsAvailable(): boolean {
  if (allowedThreads < 2) return false;
  if (pool === null) return false;
  try {
    return availableParallelism() >= 2;
  } catch {
    return false;
  }
}

/** Int32/Float32/Float64 arrays on shared memory, so the worker sees them without a copy. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * length));
}
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * length));
}
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

export function isShared(array: { buffer: ArrayBufferLike } | null): boolean {
  return array === null || array.buffer instanceof SharedArrayBuffer;
}

// After each solve the worker collects its garbage: an idle worker never runs its GC, and its
// handles on the solve's shared arrays (the whole graph) would keep them alive.
const workerSource = `
const { parentPort } = require("node:worker_threads");
let collect = () => {};
try {
  require("node:v8").setFlagsFromString("--expose-gc");
  collect = require("node:vm").runInNewContext("gc");
} catch {}
const ctrlSlots = ${JSON.stringify(ctrlSlots)};
// The TypeScript loader (esbuild, keepNames) names nested functions through a helper of its own.
const __name = (target) => target;
${barrier.toString()}
${sweepPart.toString()}
${warmUp.toString()}
${runPhase.toString()}
${commitPhase.toString()}
${rowUpdatesOf.toString()}
${rowUpdatesFor.toString()}
const rowUpdateCache = new WeakMap();
let rowUpdateCopies = 0;
${residualPart.toString()}
${residualSegment.toString()}
// Tasks arrive as source text whose value is a function (state, thread) => void, compiled once.
const tasks = new Map();
function taskOf(source) {
  let run = tasks.get(source);
  if (run === undefined) {
    run = new Function(source)();
    tasks.set(source, run);
  }
  return run;
}
parentPort.on("message", ({ state, seen, task }) => {
  const ctrl = state.ctrl;
  const run = task === undefined ? null : taskOf(task);
  Atomics.store(ctrl, ctrlSlots.ready, 1);
  Atomics.notify(ctrl, ctrlSlots.ready);
  let last = seen;
  for (;;) {
    while (Atomics.load(ctrl, ctrlSlots.seq) === last) Atomics.wait(ctrl, ctrlSlots.seq, last, 1000);
    last = Atomics.load(ctrl, ctrlSlots.seq);
    const command = Atomics.load(ctrl, ctrlSlots.command);
    if (command === ${Command.Release}) {
      setImmediate(collect);
      return;
    }
    try {
      if (command === ${Command.Sweep}) sweepPart(state, 1);
      else if (command === ${Command.Residual}) {
        residualPart(state, 1);
        barrier(ctrl);
      } else if (command === ${Command.Task}) {
        run(state, 1);
        barrier(ctrl);
      }
    } catch (error) {
      Atomics.store(ctrl, ctrlSlots.failed, 1);
      Atomics.add(ctrl, ctrlSlots.generation, 1);
      Atomics.notify(ctrl, ctrlSlots.generation);
      throw error;
    }
  }
});
`;

/** The state of a task: anything the worker may read, on shared memory, with a control array. */
export interface TaskState {
  ctrl: Int32Array;
}

/** A new control array for a task's state. */
export function sharedControl(): Int32Array {
  return sharedInt32(ctrlSlots.size);
}

/** The one worker, created on first use; null once it failed (or could not start). */
let pool: Worker | null | undefined;

function worker(): Worker | null {
  if (pool !== undefined) return pool;
  try {
    const created = new Worker(workerSource, { eval: true });
    created.unref();
    created.on("error", () => {
      pool = null;
    });
    pool = created;
  } catch {
    pool = null;
  }
  return pool;
}

/**
 * Runs a solve's sweeps, or a task (the recompute's explanations), on two threads. `start` hands
 * the state to the worker; `sweep`, `residual` and `task` run one part each on the main thread
 * and the worker; `release` frees the worker.
 */
export class TwoThreads {
  private readonly ctrl: Int32Array;

  private constructor(
    private readonly state: SweepState | TaskState,
    private readonly thread: Worker,
  ) {
    this.ctrl = state.ctrl;
  }

  /**
   * Hands the state to the worker, and the source of a task (see `task`) if there is one, with
   * `transfer` (a MessagePort in the state, say); null (work alone) if it does not answer within
   * startTimeoutMs.
   */
  static start(state: SweepState | TaskState, task?: string, transfer?: MessagePort[]): TwoThreads | null {
    const thread = worker();
    if (thread === null) return null;
    thread.postMessage({ state, seen: Atomics.load(state.ctrl, ctrlSlots.seq), task }, transfer);
    // The worker's code is only known to run once it answers; a worker that never starts would
    // otherwise leave the main thread waiting at the first barrier for ever.
    if (Atomics.wait(state.ctrl, ctrlSlots.ready, 0, startTimeoutMs) === "timed-out") {
      pool = null;
      void thread.terminate();
      return null;
    }
    return new TwoThreads(state, thread);
  }

  private command(command: Command): void {
    Atomics.store(this.ctrl, ctrlSlots.command, command);
    Atomics.add(this.ctrl, ctrlSlots.seq, 1);
    Atomics.notify(this.ctrl, ctrlSlots.seq);
  }

  /** After each part (in `finally`, as the barrier itself may throw): a failed worker is retired. */
  private check(): void {
    if (Atomics.load(this.ctrl, ctrlSlots.failed) !== 0) {
      pool = null;
      void this.thread.terminate();
      throw new Error("pagerank: the sweep worker failed");
    }
  }

  /** One sweep; returns τ after it. */
  sweep(): number {
    this.command(Command.Sweep);
    try {
      return sweepPart(this.state as SweepState, 0);
    } finally {
      this.check();
    }
  }

  residual(): void {
    this.command(Command.Residual);
    try {
      residualPart(this.state as SweepState, 0);
      barrier(this.ctrl);
    } finally {
      this.check();
    }
  }

  /**
   * Runs a task on both threads: `part(state, 0)` here and, on the worker, the function the
   * task's source (given to `start`) evaluates to, called as (state, 1). The source must be
   * self-contained, like the sweep code.
   */
  task<S extends TaskState>(part: (state: S, thread: number) => void): void {
    this.command(Command.Task);
    try {
      part(this.state as S, 0);
      barrier(this.ctrl);
    } finally {
      this.check();
    }
  }

  release(): void {
    this.command(Command.Release);
  }
}
