// Who goes first at SQLite's write lock: the API's transactions, then the scorer's batches.
//
// SQLite has one writer at a time, and a connection that finds the lock taken polls for it with
// growing sleeps (up to 100 ms apart). The API's main thread waits that way, synchronously, while
// the scorer thread commits batch after batch when events keep coming — and a poll can miss every
// short gap between two batches, leaving a mutation (and with it the whole event loop) waiting for
// seconds. So the main thread counts its write transactions in flight in a shared counter, and the
// scorer, before each batch, lets them go first: it waits (without blocking its thread) while the
// count is above zero, for a bounded time so that it cannot be starved either.
//
// It is only an ordering hint within one process: correctness rests on SQLite's lock, the lease
// fence and the busy retry (write.ts), which hold all the same without it (another process, a
// scorer run in-process by tests).

/** One process-wide counter, shared with the scorer thread through its workerData. */
const shared = new Int32Array(new SharedArrayBuffer(4));

export type WriteGate = Int32Array;

/** The main thread's gate, to hand to the scorer thread. */
export function appWriteGate(): WriteGate {
  return shared;
}

/** Runs `work` (an API write transaction) counted as in flight. */
export async function asAppWrite<T>(work: () => Promise<T>): Promise<T> {
  Atomics.add(shared, 0, 1);
  try {
    return await work();
  } finally {
    Atomics.sub(shared, 0, 1);
  }
}

/** The scorer's side: resolves once no API write is in flight, or after `maxWaitMs`. */
export async function yieldToAppWrites(gate: WriteGate | undefined, maxWaitMs = 50): Promise<void> {
  if (!gate || Atomics.load(gate, 0) <= 0) return;
  const deadline = performance.now() + maxWaitMs;
  while (Atomics.load(gate, 0) > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
