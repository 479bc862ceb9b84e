// Who goes first at SQLite's write lock: the API's transactions, then the scorer's batches; and
// neither waits for the other inside SQLite when it can wait without blocking its thread.
//
// SQLite has one writer at a time, and a connection that finds the lock taken polls for it with
// growing sleeps (up to 100 ms apart), synchronously: better-sqlite3 blocks its thread meanwhile.
// The API's main thread waiting that way for a scorer batch stops every HTTP response and every
// WebSocket frame with it; and the scorer thread committing batch after batch could leave a
// mutation waiting for seconds, its polls missing every short gap between two batches. So two
// counters are shared between the threads:
//
// - the API's write transactions in flight (slot 0): the scorer, before each batch, lets them go
//   first — it waits (without blocking its thread) while the count is above zero, for a bounded
//   time so that it cannot be starved either;
// - whether the scorer is inside a write transaction (slot 1): an API write waits for it to end
//   with Atomics.waitAsync, which leaves the event loop running, before it takes the lock.
//
// Each side announces itself before it looks at the other (the scorer sets its flag and then reads
// the count; the API raises the count and then reads the flag), so they cannot both go ahead
// unseen; when both see each other, the scorer steps back. The API's wait is bounded too, in case
// a scorer thread died inside a write: then SQLite's own lock decides.
//
// It is only an ordering hint within one process: correctness rests on SQLite's lock, the lease
// fence and the busy retry (write.ts), which hold all the same without it (another process, a
// scorer run in-process by tests).

/** One process-wide pair of counters, shared with the scorer thread through its workerData. */
const shared = new Int32Array(new SharedArrayBuffer(8));

const appWrites = 0;
const scorerWriting = 1;

export type WriteGate = Int32Array;

/** The main thread's gate, to hand to the scorer thread. */
export function appWriteGate(): WriteGate {
  return shared;
}

/**
 * Runs `work` (an API write transaction) counted as in flight, once the scorer is out of its
 * write transaction (or after `maxWaitMs`).
 */
export async function asAppWrite<T>(work: () => Promise<T>, maxWaitMs = 2_000): Promise<T> {
  Atomics.add(shared, appWrites, 1);
  try {
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const left = deadline - performance.now();
      if (Atomics.load(shared, scorerWriting) === 0 || left <= 0) break;
      const wait = Atomics.waitAsync(shared, scorerWriting, 1, left);
      if (wait.async) await wait.value;
    }
    return await work();
  } finally {
    Atomics.sub(shared, appWrites, 1);
  }
}

/** The scorer's side: resolves once no API write is in flight, or after `maxWaitMs`. */
export async function yieldToAppWrites(gate: WriteGate | undefined, maxWaitMs = 50): Promise<void> {
  if (!gate || Atomics.load(gate, appWrites) <= 0) return;
  const deadline = performance.now() + maxWaitMs;
  while (Atomics.load(gate, appWrites) > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Runs `work` (a scorer write transaction) once no API write is in flight (or after `maxWaitMs`),
 * flagged as writing meanwhile so that API writes wait for it without blocking.
 */
export async function asScorerWrite<T>(
  gate: WriteGate | undefined,
  work: () => Promise<T>,
  maxWaitMs = 50,
): Promise<T> {
  if (!gate) return work();
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    Atomics.store(gate, scorerWriting, 1);
    if (Atomics.load(gate, appWrites) <= 0 || performance.now() >= deadline) break;
    leave(gate);
    await yieldToAppWrites(gate, deadline - performance.now());
  }
  try {
    return await work();
  } finally {
    leave(gate);
  }
}

/** Clears the scorer's writing flag and wakes the API writes waiting on it. */
export function leave(gate: WriteGate): void {
  Atomics.store(gate, scorerWriting, 0);
  Atomics.notify(gate, scorerWriting);
}

/**
 * Whether a transaction failed only because SQLite's write lock was held by another connection:
 * longer than the busy timeout, or — without waiting — while the transaction held a snapshot that
 * the other connection's commit made stale. Nothing of it was written; it can simply run again.
 */
export function isLockBusy(error: unknown): boolean {
  const text = `${(error as { message?: unknown })?.message ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? "")}`;
  return /SQLITE_BUSY|database is locked/.test(text);
}

/** Runs a transaction again while SQLite's lock turns it away (isLockBusy), for up to `limitMs`. */
export async function retryWhileBusy<T>(run: () => Promise<T>, limitMs: number): Promise<T> {
  const started = performance.now();
  for (let retry = 0; ; retry++) {
    try {
      return await run();
    } catch (error) {
      if (!isLockBusy(error) || performance.now() - started > limitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + retry)));
    }
  }
}
