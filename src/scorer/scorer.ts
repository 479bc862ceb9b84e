// The scorer: the one process per database (see lease.ts) that turns graph events into scores.
// While it holds the lease it keeps the scores in memory (run.ts: a full run from a snapshot,
// then incremental runs), polls the event table about once a second, applies what is new,
// advances its checkpoint with the last write, renews the lease, and records decay once in a while
// with a full run; without the lease it stays passive and keeps asking for it. Subscribers are
// told of changes through `onScoresChanged`, only after the history rows are committed.
//
// Give it a database connection of its own (connectSqlDatabase: Prisma-free, see
// src/db/sqlite-direct.ts and src/db/postgres-direct.ts). A SQLite client is one connection, and a
// statement issued elsewhere while a scorer transaction is open would run inside it. Two SQLite
// connections in one process must never wait on each other's locks, because better-sqlite3 waits
// synchronously and the holder could not finish meanwhile. The scorer's transactions await only
// database calls, which complete synchronously there, so the app never sees its lock held; and the
// scorer waits at most `sqliteBusyMs` for the app's (failing, and retrying later, beyond it).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { SqlDatabase } from "../db/sql-client.js";
import type { Logger } from "../logger.js";
import { pruneAppliedEvents } from "./events.js";
import { createLease, LeaseLostError } from "./lease.js";
import type { LoadProgress } from "./load.js";
import type { ScoreTrigger } from "./reasons.js";
import { createRunner, type RunOptions, type RunSummary, ScorerStoppingError } from "./run.js";
import type { ScoreChange } from "./write.js";
import type { WriteGate } from "./write-gate.js";

export interface ScorerOptions {
  /** The scorer's own connection (connectSqlDatabase): see the note above on SQLite. */
  database: SqlDatabase;
  logger: Logger;
  /** Names this scorer in the lease; unique per process by default. */
  holderId?: string;
  onScoresChanged?: (changes: ScoreChange[]) => void | Promise<void>;
  /**
   * Resolves once the changes reported so far reached their subscribers (or it gave up waiting):
   * an incremental run awaits it after its events' own members, before their network moves.
   */
  delivered?: () => Promise<void>;
  /** The moment scores are computed for (decay runs up to it) and history is stamped with. */
  now?: () => number;
  /** How long a lease lasts without renewal (default 15 s). */
  leaseMs?: number;
  /** How often the holder renews, and a passive scorer asks again (default 5 s). */
  renewMs?: number;
  /** How often the holder looks for new events (default 1 s). */
  pollMs?: number;
  /** How often the holder runs a full recompute to record decay, events or not (default 1 h). */
  decayIntervalMs?: number;
  /** After each decay run, applied events older than this are deleted (default 7 days; 0 keeps them). */
  eventRetentionMs?: number;
  /** Members per write transaction (default 250, at most 999): each commits, and is published, on its own. */
  batchSize?: number;
  /**
   * The same for the network moves of incremental runs (default the smaller of 60 and batchSize):
   * once a run's own members are written, an event that arrives waits for at most one of these
   * before its run. The events' own members go in transactions of batchSize.
   */
  incrementalBatchSize?: number;
  /**
   * An incremental run's own members go in up to this many transactions at once, each on its own
   * connection (default 2 on PostgreSQL, 1 on SQLite, which has one writer): see
   * WriteOptions.firstConcurrency.
   */
  concurrentWrites?: number;
  /** API writes in flight, which the scorer's batches let go first (SQLite; see write-gate.ts). */
  gate?: WriteGate;
  /**
   * Written by the thread that sends the wake messages (thread.ts): [0] counts wakes, raised along
   * with each message (a message waits while this thread computes, the count is seen at once);
   * [1] is the newest event id a wake announced (0: none).
   */
  wakes?: Int32Array;
  /** Events per incremental run at most (default 10,000). */
  eventBatchSize?: number;
  onProgress?: LoadProgress;
}

export interface Scorer {
  readonly holderId: string;
  readonly holdsLease: boolean;
  /** Starts the background loop; resolves after the first attempt (and catch-up, when it got the lease). */
  start(): Promise<void>;
  /** Stops the loop, lets the current write batch finish, and releases the lease. */
  stop(): Promise<void>;
  /** Takes the lease if it is free (true), without starting the loop. */
  acquireLease(): Promise<boolean>;
  /** Applies pending events first, then a full run for `trigger`; needs the lease. */
  recompute(trigger: ScoreTrigger): Promise<RunSummary>;
  /** Applies every pending event; null when there were none or another scorer holds the lease. */
  applyPendingEvents(): Promise<RunSummary | null>;
  /**
   * New events were committed: step now rather than at the next poll. Wakes during a step make
   * one more step right after it, so a burst is applied in as few batches as the steps allow.
   * Ignored while retrying after failures (the backoff stands) and when not running.
   */
  wake(): void;
}

const maxBackoffMs = 30_000;
const sqliteBusyMs = 250;

/** Sums two consecutive runs into one summary. */
function merge(a: RunSummary | null, b: RunSummary): RunSummary {
  if (!a) return b;
  const total = (key: keyof RunSummary["seconds"]) =>
    Math.round((a.seconds[key] + b.seconds[key]) * 1000) / 1000;
  return {
    ...b,
    mode: a.mode === "full" || b.mode === "full" ? "full" : "incremental",
    events: a.events + b.events,
    changed: a.changed + b.changed,
    largest: [...a.largest, ...b.largest].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)).slice(0, 10),
    seconds: { load: total("load"), compute: total("compute"), write: total("write"), total: total("total") },
  };
}

/** A batch size option, checked: members per write transaction, 1 to 999. */
function membersPerTransaction(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1 && value <= 999)) {
    throw new RangeError(`${name} must be an integer from 1 to 999, got ${value}`);
  }
  return value;
}

export function createScorer(options: ScorerOptions): Scorer {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 15_000;
  const renewMs = options.renewMs ?? 5_000;
  const pollMs = options.pollMs ?? 1_000;
  const decayIntervalMs = options.decayIntervalMs ?? 3_600_000;
  const eventRetentionMs = options.eventRetentionMs ?? 7 * 24 * 3_600_000;
  const batchSize = membersPerTransaction("batchSize", options.batchSize ?? 250);
  const incrementalBatchSize = membersPerTransaction(
    "incrementalBatchSize",
    options.incrementalBatchSize ?? Math.min(60, batchSize),
  );
  const log = options.logger;
  const holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Lease and timing follow the wall clock, whatever moment the scores are computed for.
  const clock = Date.now;
  const lease = createLease({
    db: options.database.sql,
    holderId,
    ttlMs: leaseMs,
    now: clock,
    provider: options.database.provider,
  });
  let connectionReady: Promise<unknown> | undefined;
  const prepareConnection = () => {
    if (options.database.provider === "sqlite") {
      connectionReady ??= options.database.sql.$queryRawUnsafe(`PRAGMA busy_timeout = ${sqliteBusyMs}`);
    }
    return connectionReady;
  };

  let running = false;
  let stopRequested = false;
  /** When the live state was last built: decay is applied by rebuilding it, whatever events arrive meanwhile. */
  let lastFullRunAt = 0;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let loopTimer: NodeJS.Timeout | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one piece of work at a time, in call order. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => {});
    return result;
  };

  const notify = async (changes: ScoreChange[]) => {
    try {
      await options.onScoresChanged?.(changes);
    } catch (error) {
      log.error({ err: error, changes: changes.length }, "a score-change subscriber failed");
    }
  };

  /** Set when a wake came while a step ran: step again at once afterwards. */
  let wakeRequested = false;
  /** options.wakes as the current step started. */
  let wakesAtStep = 0;
  const wakes = options.wakes;
  const eventsWaiting = () =>
    wakeRequested || (wakes !== undefined && Atomics.load(wakes, 0) !== wakesAtStep);
  /** Told of a wake that comes while a step runs (see RunOptions.onWake). */
  const wakeListeners = new Set<() => void>();
  const onWake = (listener: () => void) => {
    wakeListeners.add(listener);
    return () => {
      wakeListeners.delete(listener);
    };
  };

  const runOptions: RunOptions = {
    database: options.database,
    lease,
    now,
    batchSize,
    incrementalBatchSize,
    concurrentWrites: options.concurrentWrites ?? (options.database.provider === "postgresql" ? 2 : 1),
    eventBatchSize: options.eventBatchSize ?? 10_000,
    stopping: () => stopRequested,
    eventsWaiting,
    ...(wakes !== undefined && { announcedEventId: () => Atomics.load(wakes, 1) }),
    onWake,
    onCommitted: notify,
    ...(options.delivered && { beforeRest: options.delivered }),
    ...(options.gate && { gate: options.gate }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  };
  const runner = createRunner(runOptions);

  const report = (summary: RunSummary) => {
    if (summary.mode === "full") lastFullRunAt = clock();
    const { trigger, mode, events, checkpoint, modelVersion, members, loaded, deferred } = summary;
    const fields = { trigger, mode, events, checkpoint, modelVersion, members, deferred, ...loaded };
    const message =
      mode === "full"
        ? `recomputed ${members} scores (${trigger}): ${summary.changed} changed`
        : `applied ${events} events: ${summary.changed} scores changed`;
    // Incremental runs happen about once a second under load: debug, unless something changed.
    const level = mode === "full" || summary.changed > 0 ? "info" : "debug";
    log[level](
      { ...fields, changed: summary.changed, seconds: summary.seconds.total, phases: summary.seconds },
      message,
    );
    return summary;
  };

  const stopRenewing = () => {
    clearInterval(renewTimer);
    renewTimer = undefined;
  };

  const renew = async () => {
    try {
      if (await lease.renew()) return;
      stopRenewing();
      runner.reset();
      log.warn({ holderId }, "lost the scorer lease to another scorer; now passive");
    } catch (error) {
      log.warn({ err: error }, "could not renew the scorer lease; will retry");
    }
  };

  const acquireLease = async () => {
    // A step still running when stop() was called must not take the lease (and its timer) again.
    if (stopRequested) return false;
    lastAttemptAt = clock();
    await prepareConnection();
    if (!(await lease.acquire())) return false;
    // Whatever this process knew before may have been overtaken by another holder.
    runner.reset();
    if (!renewTimer) renewTimer = setInterval(() => void renew(), renewMs);
    log.info({ holderId }, "holds the scorer lease");
    return true;
  };

  const applyAll = async (): Promise<RunSummary | null> => {
    let total: RunSummary | null = null;
    for (;;) {
      const summary = await runner.applyEventBatch();
      if (!summary) return total;
      total = merge(total, report(summary));
      if (summary.events < runOptions.eventBatchSize) return total;
    }
  };

  const recomputeNow = async (trigger: ScoreTrigger) => {
    if (trigger.kind !== "events") await applyAll();
    return report(await runner.recompute(trigger));
  };

  /** Keeps the event log from growing without bound; a failure here only delays it. */
  const prune = async () => {
    if (eventRetentionMs <= 0) return;
    try {
      const pruned = await pruneAppliedEvents(options.database.sql, new Date(clock() - eventRetentionMs));
      if (pruned > 0) log.info({ pruned }, `deleted ${pruned} applied graph events`);
    } catch (error) {
      log.warn({ err: error }, "could not prune applied graph events; will retry after the next decay run");
    }
  };

  /** One step of the loop: ask for the lease, or apply events and record decay. */
  const step = async () => {
    if (!lease.held) {
      if (clock() - lastAttemptAt < renewMs) return;
      if (!(await acquireLease())) return;
      if (!(await applyAll())) await recomputeNow({ kind: "decay" });
      await prune();
      return;
    }
    await applyAll();
    if (clock() - lastFullRunAt >= decayIntervalMs) {
      await recomputeNow({ kind: "decay" });
      await prune();
    }
  };

  const guardedStep = () =>
    exclusive(async () => {
      if (wakes !== undefined) wakesAtStep = Atomics.load(wakes, 0);
      try {
        await step();
        failures = 0;
      } catch (error) {
        if (error instanceof ScorerStoppingError) return;
        if (error instanceof LeaseLostError) {
          stopRenewing();
          log.warn({ holderId }, "lost the scorer lease during a run; now passive");
          return;
        }
        failures++;
        log.error({ err: error, failures }, "scorer run failed; will retry");
      }
    });

  const runStep = async () => {
    await guardedStep();
    next();
  };

  /** After a step: another at once if woken meanwhile, else at the next poll (or backoff). */
  const next = () => {
    if (!running) return;
    const again = wakeRequested && failures === 0;
    wakeRequested = false;
    if (again) setImmediate(() => void runStep());
    else schedule();
  };

  const schedule = () => {
    const delay = failures === 0 ? pollMs : Math.min(maxBackoffMs, pollMs * 2 ** failures);
    loopTimer = setTimeout(() => {
      loopTimer = undefined;
      void runStep();
    }, delay);
  };

  return {
    holderId,
    get holdsLease() {
      return lease.held;
    },

    async start() {
      if (running) return;
      running = true;
      stopRequested = false;
      lastAttemptAt = Number.NEGATIVE_INFINITY;
      await guardedStep();
      next();
    },

    async stop() {
      running = false;
      stopRequested = true;
      clearTimeout(loopTimer);
      loopTimer = undefined;
      stopRenewing();
      await queue;
      stopRenewing();
      try {
        await lease.release();
      } catch (error) {
        log.warn({ err: error }, "could not release the scorer lease; it will expire");
      }
    },

    wake() {
      if (!running || failures > 0) return;
      if (loopTimer === undefined) {
        // A step is running (or about to): one more after it.
        wakeRequested = true;
        for (const listener of [...wakeListeners]) listener();
        return;
      }
      clearTimeout(loopTimer);
      loopTimer = undefined;
      void runStep();
    },

    acquireLease: () => exclusive(acquireLease),
    recompute: (trigger) => exclusive(() => recomputeNow(trigger)),
    applyPendingEvents: () => exclusive(async () => (lease.held ? applyAll() : null)),
  };
}
