// One full recompute against the database: read a snapshot (and, for events, the events it
// covers), run the scoring module, write what moved. The scorer decides when; this decides how.
// An incremental path would replace `recomputeAll` here for small event batches.
import type { Database } from "../db/client.js";
import type { ModelParameters } from "../scoring/model.js";
import { recomputeAll } from "../scoring/recompute.js";
import { loadActiveModel } from "./active-model.js";
import { advanceCheckpoint, readPendingEvents } from "./events.js";
import { type Lease, LeaseLostError } from "./lease.js";
import {
  inSnapshot,
  type LoadedCommunity,
  type LoadProgress,
  loadCommunity,
  type Queryable,
} from "./load.js";
import { reasonsFor, type ScoreTrigger } from "./reasons.js";
import { type ScoreChange, writeScores } from "./write.js";

export interface RunOptions {
  database: Database;
  lease: Lease;
  now: () => number;
  /** Members per write transaction. */
  batchSize: number;
  /** Events per run at most. */
  eventBatchSize: number;
  /** Checked before every write transaction: a stopping scorer leaves the rest for its successor. */
  stopping: () => boolean;
  onCommitted?(changes: ScoreChange[]): Promise<void>;
  onProgress?: LoadProgress;
}

export interface RunSummary {
  trigger: ScoreTrigger["kind"];
  /** Events the run applied (events runs only). */
  events: number;
  /** The newest event id covered, when the run advanced the checkpoint. */
  checkpoint: number | null;
  modelVersion: number;
  members: number;
  follows: number;
  interactions: number;
  endorsements: number;
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

async function scoreAndWrite(
  options: RunOptions,
  run: { trigger: ScoreTrigger; loaded: LoadedCommunity; model: ModelParameters; term: number },
  started: { at: number; load: number },
  checkpoint: number | null,
): Promise<RunSummary> {
  const { trigger, loaded, model, term } = run;
  const { community } = loaded;
  const now = options.now();
  options.onProgress?.("scoring", 0, 1);
  const computeStart = performance.now();
  const scores = recomputeAll(community, model, now);
  const compute = since(computeStart);
  options.onProgress?.("scoring", 1, 1);
  const writeStart = performance.now();
  const at = new Date(now);
  const written = await writeScores(options.database.prisma, loaded, scores, model, {
    batchSize: options.batchSize,
    now: at,
    reasonOf: reasonsFor(trigger),
    async beforeBatch(tx: Queryable) {
      if (options.stopping()) throw new ScorerStoppingError();
      await options.lease.fence(tx, term);
    },
    ...(checkpoint !== null && { afterLastBatch: (tx: Queryable) => advanceCheckpoint(tx, checkpoint, at) }),
    ...(options.onCommitted && { onCommitted: options.onCommitted }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  return {
    trigger: trigger.kind,
    events: trigger.kind === "events" ? trigger.events.length : 0,
    checkpoint,
    modelVersion: model.version,
    members: community.memberCount,
    follows: community.follows.follower.length,
    interactions: community.interactions.actor.length,
    endorsements: community.endorsements.endorser.length,
    changed: written.changed,
    largest: written.largest,
    seconds: { load: started.load, compute, write: since(writeStart), total: since(started.at) },
  };
}

function requireLease(lease: Lease): number {
  if (!lease.held) throw new LeaseLostError(lease.holderId);
  return lease.term;
}

/**
 * Applies the next batch of events after the checkpoint, and advances the checkpoint to the last
 * of them in the transaction of the last write; null when nothing is pending. The events and the
 * community are read in one snapshot, so the scores reflect at least every event they cover.
 */
export async function applyEventBatch(options: RunOptions): Promise<RunSummary | null> {
  const term = requireLease(options.lease);
  // The cheap question first: this runs every poll, and most polls find nothing.
  if ((await readPendingEvents(options.database.prisma, 1)).length === 0) return null;
  const at = performance.now();
  const model = await loadActiveModel(options.database.prisma);
  const snapshot = await inSnapshot(options.database, async (tx) => {
    const events = await readPendingEvents(tx, options.eventBatchSize);
    return events.length === 0 ? null : { events, loaded: await loadCommunity(tx, options.onProgress) };
  });
  if (!snapshot) return null;
  const { events, loaded } = snapshot;
  const last = (events[events.length - 1] as { id: number }).id;
  const trigger: ScoreTrigger = { kind: "events", events };
  return scoreAndWrite(options, { trigger, loaded, model, term }, { at, load: since(at) }, last);
}

/** A full recompute for `trigger`; it leaves the checkpoint alone. */
export async function recomputeFor(options: RunOptions, trigger: ScoreTrigger): Promise<RunSummary> {
  const term = requireLease(options.lease);
  const at = performance.now();
  const model = await loadActiveModel(options.database.prisma);
  const loaded = await inSnapshot(options.database, (tx) => loadCommunity(tx, options.onProgress));
  return scoreAndWrite(options, { trigger, loaded, model, term }, { at, load: since(at) }, null);
}
