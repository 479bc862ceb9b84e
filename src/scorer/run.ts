// How the scorer turns events into written scores. The scorer (scorer.ts) decides when; this
// decides how:
//
// - A full run reads one snapshot of the database — the community and every event up to the
//   newest — builds the live state (LiveScores) from it, writes every member whose score moved by
//   at least the noise floor, and advances the checkpoint to the newest event in the snapshot,
//   since the snapshot reflects all of them. It runs at start, for decay, for a model change, and
//   whenever the state cannot follow an event incrementally (a topic it has not seen).
// - An incremental run reads the next batch of events after the last one the live state applied
//   (the checkpoint, unless a run that stopped early left it behind), applies them to the
//   live state one by one (each touching only what it reaches), and writes the members the state
//   reports as moved: first the events' subjects, in transactions of their own, so that the member
//   an event was about hears of it without waiting for its ripple through the network; then the
//   others, in smaller transactions (incrementalBatchSize). Once at least one of those is
//   written, newer events waiting (the scorer was woken meanwhile, and they are there) end the
//   run before its next transaction: the rest is left to the next run, which writes it after its
//   own events' members. So a new event waits for one small transaction, not for the whole ripple.
//   On PostgreSQL, where the API commits while a scorer transaction is open, it does not even wait
//   for that one: the transaction of the rest in progress is given up at once, its statement in
//   flight cancelled and rolled back on its own connection while the next run starts; and the
//   first one need not be written either, unless the run before wrote none of the rest (so the
//   ripple still gets on). On SQLite no API write commits during a scorer transaction.
//   The checkpoint commits with the last transaction written. A run that stopped early for newer
//   events writes none: the next run's covers its events too, and until then the runner reads
//   events after its own position rather than after the checkpoint.
//
// A full run names one reason for all its moves: its trigger's. One triggered by events (taking
// the lease with events pending, a topic the state has not seen) also applies the decay since the
// last full run — at most an hour's, normally — under the events' reasons; and a backlog longer
// than eventBatchSize gives its reasons from the first batch only. A decay run whose snapshot
// holds events committed since the checkpoint is named by those events too: labelling their
// effect DECAY would pass a member's new follower off as the passing of time.
//
// The live state is kept only while it matches the database: any failure between applying events
// and committing their checkpoint (a lost lease, a stop, a database error) discards it, and the
// next run is a full one. So an event is never applied twice, and never lost. Network moves left
// to the next run are no exception: the newer events that made the run leave them are pending, so
// there is a next run, and if it fails, a full one writes every member whose stored score is a
// noise floor from the truth.
import type { SqlDatabase } from "../db/sql-client.js";
import type { ScoreChangeReason } from "../generated/prisma/sqlite/enums.js";
import type { ModelParameters } from "../scoring/model.js";
import { loadActiveModel } from "./active-model.js";
import { advanceCheckpoint, type EventBatch, type GraphEventRow, readPendingEvents } from "./events.js";
import { type Lease, LeaseLostError } from "./lease.js";
import { LiveState } from "./live.js";
import { inSnapshot, type LoadProgress, loadCommunity, type Queryable } from "./load.js";
import { type ReasonOf, reasonsFor, type ScoreTrigger } from "./reasons.js";
import { type ScoreChange, writeChanges } from "./write.js";
import type { WriteGate } from "./write-gate.js";

export interface RunOptions {
  database: SqlDatabase;
  lease: Lease;
  now: () => number;
  /** Members per write transaction. */
  batchSize: number;
  /**
   * Members per write transaction of an incremental run's network moves (default batchSize): newer
   * events wait for at most one of these once the run's own members are written, so it is kept
   * small. The events' own members go in transactions of batchSize: one transaction rather than two
   * for a batch of a hundred events, so the last of them waits less (bench:live A on PostgreSQL:
   * BENCHMARKS.md, fourteenth session).
   */
  incrementalBatchSize?: number;
  /**
   * An incremental run's own members go in up to this many transactions at once (default 1; see
   * WriteOptions.firstConcurrency).
   */
  concurrentWrites?: number;
  /** Events per incremental run at most. */
  eventBatchSize: number;
  /** Checked before every write transaction: a stopping scorer leaves the rest for its successor. */
  stopping: () => boolean;
  onCommitted?(changes: ScoreChange[]): Promise<void>;
  /** See WriteOptions.beforeRest. */
  beforeRest?(): Promise<void>;
  onProgress?: LoadProgress;
  /** API writes in flight, which the scorer's batches let go first (SQLite; see write-gate.ts). */
  gate?: WriteGate;
  /**
   * Whether the scorer was woken during this run: an incremental run then asks whether newer
   * events are there and if so leaves the rest of its network moves for the next run, once it has
   * written its events' own members and at least one batch of the rest (see writeChanges).
   */
  eventsWaiting?: () => boolean;
  /** The newest event id a wake announced (0: none): newer events known without a query. */
  announcedEventId?: () => number;
  /**
   * Calls the listener at the scorer's next wake; returns what cancels it. On PostgreSQL a batch of
   * network moves then stops waiting for its statement in flight when newer events arrive.
   */
  onWake?(listener: () => void): () => void;
}

export interface RunSummary {
  trigger: ScoreTrigger["kind"];
  /** full: from a fresh snapshot; incremental: events applied to the live state. */
  mode: "full" | "incremental";
  /** Events the run applied (or, for a full run, the pending events its snapshot covered, up to a batch). */
  events: number;
  /** The newest event id covered, when the run advanced the checkpoint. */
  checkpoint: number | null;
  modelVersion: number;
  members: number;
  /** Rows a full run loaded. */
  loaded?: { follows: number; interactions: number; endorsements: number };
  changed: number;
  /** Members that moved only through others, left for the next run (incremental runs only). */
  deferred?: number;
  /** The largest moves, largest |delta| first. */
  largest: ScoreChange[];
  seconds: { load: number; compute: number; write: number; total: number };
}

export class ScorerStoppingError extends Error {
  constructor() {
    super("The scorer is stopping; the rest of this run is left to the next one");
    this.name = "ScorerStoppingError";
  }
}

const since = (start: number) => Math.round(performance.now() - start) / 1000;

function requireLease(lease: Lease): number {
  if (!lease.held) throw new LeaseLostError(lease.holderId);
  return lease.term;
}

async function readStoredValues(db: Queryable, state: LiveState): Promise<void> {
  const rows = await db.$queryRaw<
    { userId: unknown; value: unknown }[]
  >`SELECT "userId", "value" FROM "Score"`;
  for (const row of rows) {
    const v = state.members.indexOf(Number(row.userId));
    if (v >= 0) state.live.setAccepted(v, Number(row.value));
  }
}

async function newestEventId(db: Queryable): Promise<number> {
  const [row] = await db.$queryRaw<{ id: unknown }[]>`SELECT MAX("id") AS "id" FROM "GraphEvent"`;
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
}

export interface Runner {
  /** The live state's model version, or null before the first full run. */
  readonly modelVersion: number | null;
  /** Applies the next batch of pending events; null when there were none. */
  applyEventBatch(): Promise<RunSummary | null>;
  /** A full run for `trigger` (decay, a model change, …): a new snapshot and a new live state. */
  recompute(trigger: ScoreTrigger): Promise<RunSummary>;
  /** Drops the live state (after a lost lease): the next run is a full one. */
  reset(): void;
}

export function createRunner(options: RunOptions): Runner {
  let state: LiveState | null = null;
  /**
   * Members of the live state that moved only through others and were left unwritten by an
   * incremental run with events waiting behind it, in the order they were left, each with the
   * reason their move is recorded under.
   */
  let deferred = new Map<number, ScoreChangeReason>();
  /**
   * Whether the last incremental run left moves unwritten without writing any of them (newer
   * events cut it short before): the next run then writes its first batch of them whole.
   */
  let restStalled = false;
  /**
   * The newest event the live state reflects (meaningful while `state` is set): the checkpoint,
   * or past it when the last run stopped early for newer events.
   */
  let appliedThrough = 0;
  /** Whether API writes commit while a scorer transaction is open (see the header). */
  const apiCommitsAlongside = options.database.provider === "postgresql";
  const forgetRest = () => {
    deferred = new Map();
    restStalled = false;
  };

  /**
   * Whether events newer than `after` are waiting: the scorer was woken during the run, and they
   * are there (a wake can also come for events the run already read). A wake that named a newer
   * event says so; otherwise the database is asked.
   */
  const newerEventsWaiting = async (after: number) =>
    (options.eventsWaiting?.() ?? false) &&
    ((options.announcedEventId?.() ?? 0) > after || (await newestEventId(options.database.sql)) > after);

  /**
   * Writes `changed` from the state (the first `first` of them in transactions of their own),
   * with the checkpoint in the last transaction written; then accepts what was written.
   */
  const write = async (
    current: LiveState,
    changed: number[],
    run: {
      trigger: ScoreTrigger;
      term: number;
      checkpoint: number | null;
      at: Date;
      reasonOf?: ReasonOf;
      first?: number;
      yieldRest?: () => Promise<boolean>;
      restMayWaitAtOnce?: boolean;
      /** Members per transaction after the first ones, when not options.batchSize. */
      batchSize?: number;
    },
  ) => {
    const written = await writeChanges(options.database, current.source, changed, current.model, {
      batchSize: run.batchSize ?? options.batchSize,
      firstBatchSize: options.batchSize,
      ...(options.concurrentWrites !== undefined && { firstConcurrency: options.concurrentWrites }),
      now: run.at,
      reasonOf: run.reasonOf ?? reasonsFor(run.trigger),
      async beforeBatch(tx: Queryable) {
        if (options.stopping()) throw new ScorerStoppingError();
        await options.lease.fence(tx, run.term);
      },
      ...(run.checkpoint !== null && {
        checkpoint: (tx: Queryable) => advanceCheckpoint(tx, run.checkpoint as number, run.at),
      }),
      ...(run.first !== undefined && { firstMembers: run.first }),
      ...(run.yieldRest && { yieldRest: run.yieldRest }),
      ...(run.yieldRest && apiCommitsAlongside && options.eventsWaiting && { woken: options.eventsWaiting }),
      ...(run.yieldRest && apiCommitsAlongside && options.onWake && { onWake: options.onWake }),
      ...(run.restMayWaitAtOnce && { restMayWaitAtOnce: true }),
      ...(options.onCommitted && { onCommitted: options.onCommitted }),
      ...(options.beforeRest && { beforeRest: options.beforeRest }),
      ...(options.gate && { gate: options.gate }),
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    for (let i = 0; i < written.written; i++) current.live.accept(changed[i] as number);
    return written;
  };

  /** Any failure leaves the state possibly ahead of the database: drop it. */
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      state = null;
      forgetRest();
      throw error;
    }
  };

  /**
   * Renews the lease between the long parts of a full run: loading (which on SQLite holds the
   * scorer's connection, so the renew timer waits) and building (synchronous, so it cannot fire).
   */
  const keepLease = async () => {
    if (options.stopping()) throw new ScorerStoppingError();
    if (!(await options.lease.renew())) throw new LeaseLostError(options.lease.holderId);
  };

  const full = (requested: ScoreTrigger | null, model: ModelParameters): Promise<RunSummary> =>
    guarded(async () => {
      const term = requireLease(options.lease);
      if (options.stopping()) throw new ScorerStoppingError();
      state = null;
      forgetRest();
      const started = performance.now();
      const snapshot = await inSnapshot(options.database, async (tx) => ({
        pending: (await readPendingEvents(tx, options.eventBatchSize)).events,
        newest: await newestEventId(tx),
        loaded: await loadCommunity(tx, options.onProgress),
      }));
      const load = since(started);
      await keepLease();
      const byEvents = requested === null || (requested.kind === "decay" && snapshot.pending.length > 0);
      const trigger: ScoreTrigger = byEvents ? { kind: "events", events: snapshot.pending } : requested;
      const now = options.now();
      options.onProgress?.("scoring", 0, 1);
      const computeStart = performance.now();
      const current = new LiveState(snapshot.loaded, model, now);
      await keepLease();
      await readStoredValues(options.database.sql, current);
      const changed = current.live.takeChanges();
      const compute = since(computeStart);
      options.onProgress?.("scoring", 1, 1);
      const writeStart = performance.now();
      const written = await write(current, changed, {
        trigger,
        term,
        checkpoint: snapshot.newest,
        at: new Date(now),
      });
      state = current;
      appliedThrough = snapshot.newest;
      const { community } = snapshot.loaded;
      return {
        trigger: trigger.kind,
        mode: "full",
        events: snapshot.pending.length,
        checkpoint: snapshot.newest,
        modelVersion: model.version,
        members: community.memberCount,
        loaded: {
          follows: community.follows.follower.length,
          interactions: community.interactions.actor.length,
          endorsements: community.endorsements.endorser.length,
        },
        changed: written.changed,
        largest: written.largest,
        seconds: { load, compute, write: since(writeStart), total: since(started) },
      };
    });

  const incremental = (current: LiveState, batch: EventBatch): Promise<RunSummary | "rebuild"> =>
    guarded(async () => {
      const { events } = batch;
      const term = requireLease(options.lease);
      const started = performance.now();
      const outcome = await current.apply(
        options.database.sql,
        options.database.provider,
        events,
        batch.newestMemberId,
      );
      if (outcome === "rebuild") return "rebuild";
      appliedThrough = (events[events.length - 1] as GraphEventRow).id;
      const load = since(started);
      const computeStart = performance.now();
      const trigger: ScoreTrigger = { kind: "events", events };
      const { changed, first, reasonOf } = ordered(current, events, reasonsFor(trigger));
      const compute = since(computeStart);
      const writeStart = performance.now();
      const checkpoint = appliedThrough;
      const written = await write(current, changed, {
        trigger,
        term,
        checkpoint,
        at: new Date(options.now()),
        reasonOf,
        first,
        yieldRest: () => newerEventsWaiting(checkpoint),
        restMayWaitAtOnce: apiCommitsAlongside && !restStalled,
        batchSize: options.incrementalBatchSize ?? options.batchSize,
      });
      deferred = new Map(
        changed.slice(written.written).map((v) => [v, reasonOf(current.members.idOf(v), false)]),
      );
      restStalled = written.written < changed.length && written.written <= first;
      return {
        trigger: "events",
        mode: "incremental",
        events: events.length,
        checkpoint,
        modelVersion: current.model.version,
        members: current.live.activeMembers,
        changed: written.changed,
        deferred: deferred.size,
        largest: written.largest,
        seconds: { load, compute, write: since(writeStart), total: since(started) },
      };
    });

  /**
   * What an incremental run writes, in order: first the moved members the events are about (their
   * subjects: the followed, the endorsed, the one interacted with), then the moves an earlier run
   * left (with the reasons they had then), then this run's other moves (actors included: acting
   * moves a member's score only through the network).
   */
  const ordered = (current: LiveState, events: readonly GraphEventRow[], byEvents: ReasonOf) => {
    const moved = current.live.takeChanges();
    const named = new Set<number>();
    for (const event of events) {
      const v = event.subjectId === null ? -1 : current.members.indexOf(event.subjectId);
      if (v >= 0) named.add(v);
    }
    const changed = moved.filter((v) => named.has(v));
    const first = changed.length;
    const earlier = new Map<number, ScoreChangeReason>();
    for (const [v, reason] of deferred) {
      if (named.has(v) || !current.live.hasMoved(v)) continue;
      changed.push(v);
      earlier.set(current.members.idOf(v), reason);
    }
    for (const v of moved) if (!named.has(v) && !deferred.has(v)) changed.push(v);
    const reasonOf: ReasonOf = (userId, isFirst) => earlier.get(userId) ?? byEvents(userId, isFirst);
    return { changed, first, reasonOf };
  };

  return {
    get modelVersion() {
      return state?.model.version ?? null;
    },

    async applyEventBatch() {
      requireLease(options.lease);
      // One read tells whether there is anything to do (most polls find nothing), what, and whether
      // the state's model is still the one in force.
      const db = options.database.sql;
      const batch = await readPendingEvents(db, options.eventBatchSize, state ? appliedThrough : undefined);
      if (batch.events.length === 0) return null;
      const model =
        state && state.model.version === batch.modelVersion
          ? state.model
          : await loadActiveModel(db, options.database.provider);
      if (!state || state.model.version !== model.version) return full(null, model);
      const summary = await incremental(state, batch);
      return summary === "rebuild" ? full(null, model) : summary;
    },

    async recompute(trigger) {
      requireLease(options.lease);
      return full(trigger, await loadActiveModel(options.database.sql, options.database.provider));
    },

    reset() {
      state = null;
      forgetRest();
    },
  };
}
