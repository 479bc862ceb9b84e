// How the scorer turns events into written scores. The scorer (scorer.ts) decides when; this
// decides how:
//
// - A full run reads one snapshot of the database — the community and every event up to the
//   newest — builds the live state (LiveScores) from it, writes every member whose score moved by
//   at least the noise floor, and advances the checkpoint to the newest event in the snapshot,
//   since the snapshot reflects all of them. It runs at start, for decay, for a model change, and
//   whenever the state cannot follow an event incrementally (a topic it has not seen).
// - An incremental run reads the next batch of events after the checkpoint, applies them to the
//   live state one by one (each touching only what it reaches), writes the members the state
//   reports as moved, and advances the checkpoint with the last write.
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
// next run is a full one. So an event is never applied twice, and never lost.
import type { Database } from "../db/client.js";
import type { ModelParameters } from "../scoring/model.js";
import { loadActiveModel } from "./active-model.js";
import { advanceCheckpoint, type GraphEventRow, readPendingEvents } from "./events.js";
import { type Lease, LeaseLostError } from "./lease.js";
import { LiveState } from "./live.js";
import { inSnapshot, type LoadProgress, loadCommunity, type Queryable } from "./load.js";
import { reasonsFor, type ScoreTrigger } from "./reasons.js";
import { type ScoreChange, writeChanges } from "./write.js";
import type { WriteGate } from "./write-gate.js";

export interface RunOptions {
  database: Database;
  lease: Lease;
  now: () => number;
  /** Members per write transaction. */
  batchSize: number;
  /** Events per incremental run at most. */
  eventBatchSize: number;
  /** Checked before every write transaction: a stopping scorer leaves the rest for its successor. */
  stopping: () => boolean;
  onCommitted?(changes: ScoreChange[]): Promise<void>;
  onProgress?: LoadProgress;
  /** API writes in flight, which the scorer's batches let go first (SQLite; see write-gate.ts). */
  gate?: WriteGate;
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

  /** Writes `changed` from the state, with the checkpoint in the last transaction; then accepts them. */
  const write = async (
    current: LiveState,
    changed: number[],
    run: { trigger: ScoreTrigger; term: number; checkpoint: number | null; at: Date },
  ) => {
    const written = await writeChanges(options.database, current.source, changed, current.model, {
      batchSize: options.batchSize,
      now: run.at,
      reasonOf: reasonsFor(run.trigger),
      async beforeBatch(tx: Queryable) {
        if (options.stopping()) throw new ScorerStoppingError();
        await options.lease.fence(tx, run.term);
      },
      ...(run.checkpoint !== null && {
        afterLastBatch: (tx: Queryable) => advanceCheckpoint(tx, run.checkpoint as number, run.at),
      }),
      ...(options.onCommitted && { onCommitted: options.onCommitted }),
      ...(options.gate && { gate: options.gate }),
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    for (const v of changed) current.live.accept(v);
    return written;
  };

  /** Any failure leaves the state possibly ahead of the database: drop it. */
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      state = null;
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
      const started = performance.now();
      const snapshot = await inSnapshot(options.database, async (tx) => ({
        pending: await readPendingEvents(tx, options.eventBatchSize),
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
      await readStoredValues(options.database.prisma, current);
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

  const incremental = (current: LiveState, events: GraphEventRow[]): Promise<RunSummary | "rebuild"> =>
    guarded(async () => {
      const term = requireLease(options.lease);
      const started = performance.now();
      const outcome = await current.apply(options.database.prisma, options.database.provider, events);
      if (outcome === "rebuild") return "rebuild";
      const load = since(started);
      const computeStart = performance.now();
      const changed = current.live.takeChanges();
      const compute = since(computeStart);
      const writeStart = performance.now();
      const trigger: ScoreTrigger = { kind: "events", events };
      const checkpoint = (events[events.length - 1] as GraphEventRow).id;
      const written = await write(current, changed, {
        trigger,
        term,
        checkpoint,
        at: new Date(options.now()),
      });
      return {
        trigger: "events",
        mode: "incremental",
        events: events.length,
        checkpoint,
        modelVersion: current.model.version,
        members: current.live.activeMembers,
        changed: written.changed,
        largest: written.largest,
        seconds: { load, compute, write: since(writeStart), total: since(started) },
      };
    });

  return {
    get modelVersion() {
      return state?.model.version ?? null;
    },

    async applyEventBatch() {
      requireLease(options.lease);
      // One read tells whether there is anything to do (most polls find nothing) and what.
      const db = options.database.prisma;
      const events = await readPendingEvents(db, options.eventBatchSize);
      if (events.length === 0) return null;
      const model = await loadActiveModel(db);
      if (!state || state.model.version !== model.version) return full(null, model);
      const summary = await incremental(state, events);
      return summary === "rebuild" ? full(null, model) : summary;
    },

    async recompute(trigger) {
      requireLease(options.lease);
      return full(trigger, await loadActiveModel(options.database.prisma));
    },

    reset() {
      state = null;
    },
  };
}
