// Writes scores back: only members whose score moved by at least the noise floor (or who had
// none) get anything written — Score, its explanation, topic expertise and a history entry with its
// causes — in transactions of bounded size. Everyone else keeps their stored score: that is the
// stability rule. The scores come from a ScoreSource — the live state (live.ts), which also picks
// the changed members.
import { type Sql, sqltag } from "@prisma/client/runtime/client";
import type { SqlDatabase } from "../db/sql-client.js";
import type { CauseKind, ScoreChangeReason, ScoreVisibility } from "../generated/prisma/sqlite/enums.js";
import type { ModelParameters } from "../scoring/model.js";
import { type Cause, causesOfMove } from "./causes.js";
import type { LoadProgress, Queryable } from "./load.js";
import type { ReasonOf } from "./reasons.js";
import { type Columns, idsIn, insertRows, type Provider, rowsTable, throughIndex } from "./sql.js";
import { asScorerWrite, retryWhileBusy, type WriteGate } from "./write-gate.js";

export interface ScoreChange {
  userId: number;
  /** null for a member's first score. */
  old: number | null;
  new: number;
  /** new − old; a first score moves from 0, so its delta is its value. */
  delta: number;
  reason: ScoreChangeReason;
  modelVersion: number;
  historyId: number;
  /** When the history row says it happened. */
  createdAt: Date;
  /** The history row's causes, in rank order (as ScoreHistoryCause holds them). */
  causes: Cause[];
  /** The member's score visibility, read in the transaction that recorded the move. */
  visibility: ScoreVisibility;
}

/** A change as computed, before its history row is written. */
type Move = Omit<ScoreChange, "historyId" | "createdAt" | "causes" | "visibility">;

export interface WriteOptions {
  /** Members per transaction. */
  batchSize: number;
  /** Members per transaction of the first members (default batchSize). */
  firstBatchSize?: number;
  /**
   * The first members' transactions run this many at a time, on as many connections (default 1):
   * on PostgreSQL, two halves of a hundred members commit sooner than the whole in one (the server
   * works on both at once; BENCHMARKS.md, fifteenth session). With more than one, they are split
   * evenly, at least `minConcurrentBatch` members each and at most firstBatchSize, and none of
   * them records the checkpoint: it goes with the rest, or in a transaction of its own once they
   * have all committed.
   */
  firstConcurrency?: number;
  now: Date;
  reasonOf: ReasonOf;
  /** Runs first in every transaction: the lease fence, which throws when the lease is gone. */
  beforeBatch(tx: Queryable): Promise<void>;
  /**
   * Runs last in the last transaction written (also when nothing changed): whatever it records
   * (the checkpoint) commits with the last write or not at all. Not run when yieldRest stops the
   * writing early: the caller's next run records a later checkpoint.
   */
  checkpoint?(tx: Queryable): Promise<void>;
  /**
   * Members (the first ones of `changed`) that go in transactions of their own before the rest:
   * the events' subjects, so that they hear of it without waiting for its ripple. Default 0.
   */
  firstMembers?: number;
  /**
   * Asked before each transaction after the first members' ones: true leaves the rest unwritten
   * (WriteSummary.written says how far it got) for the next run, after one more batch when none of
   * the rest has been written yet and `restMayWaitAtOnce` is not set. Also asked between the
   * statements of a batch that may be cut short, once `woken` says so.
   */
  yieldRest?(): Promise<boolean>;
  /** A cheap hint that yieldRest may say yes (the scorer was woken); without it, it is not asked mid-batch. */
  woken?(): boolean;
  /**
   * Calls the listener at the scorer's next wake; returns what cancels it. With it (and woken), a
   * batch that may be cut short is cut short during a statement too: the run stops waiting for
   * it, and the transaction rolls back on its own connection (on PostgreSQL the statement is
   * cancelled first: postgres-direct.ts).
   */
  onWake?(listener: () => void): () => void;
  /**
   * The rest may wait from its first batch on: newer events then end the run before it, or cut
   * it short (rolled back between its statements) as they do any later batch of the rest. The
   * caller leaves it unset after a run that wrote none of its rest, so the rest always gets on.
   */
  restMayWaitAtOnce?: boolean;
  /** API write transactions in flight, to let go first (SQLite; see write-gate.ts). */
  gate?: WriteGate;
  /**
   * Awaited once the first members' transactions are written, before the rest: until their
   * changes reached their subscribers (thread.ts), so the rest does not compete with that.
   */
  beforeRest?(): Promise<void>;
  /** Called after each transaction commits, with the changes it recorded. */
  onCommitted?(changes: ScoreChange[]): Promise<void>;
  onProgress?: LoadProgress;
}

export interface WriteSummary {
  changed: number;
  /** How many of `changed` were written: all, unless yieldRest said to stop. */
  written: number;
  /** The largest moves by |delta|, largest first. */
  largest: ScoreChange[];
}

const largestKept = 10;
/** Members per transaction at least, for the first members to be split among concurrent ones. */
export const minConcurrentBatch = 25;
const transactionTimeoutMs = 120_000;

/** What is written for member index v. */
export interface ScoreSource {
  userId(v: number): number;
  score(v: number): number;
  raw(v: number): number;
  /** Network influence and the endorsement component, both relative to the average member (1). */
  components(v: number): { network: number; endorsement: number };
  /** Non-zero topic expertise only. */
  topicScores(v: number): { topicId: number; value: number }[];
  /** Named causes best first, then the REMAINDER; shares sum to 1. */
  explanation(v: number): Cause[];
}

interface Stored {
  value: number;
  raw: number;
  anonymousReach: number;
  visibility: ScoreVisibility;
}

/** The batch's members: stored scores (NaN: none yet), reach and visibility, by user id (no entry: erased). */
async function readStored(
  tx: Queryable,
  provider: Provider,
  userIds: number[],
): Promise<Map<number, Stored>> {
  const rows = await tx.$queryRaw<
    { id: unknown; value: unknown; raw: unknown; anonymousReach: unknown; scoreVisibility: unknown }[]
  >`
    SELECT "User"."id", "Score"."value", "Score"."raw", "User"."anonymousReach", "User"."scoreVisibility" FROM "User"
    LEFT JOIN "Score" ON "Score"."userId" = "User"."id" WHERE ${idsIn(provider, "User.id", userIds)}`;
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        value: row.value === null ? Number.NaN : Number(row.value),
        raw: Number(row.raw),
        anonymousReach: Number(row.anonymousReach),
        visibility: row.scoreVisibility as ScoreVisibility,
      },
    ]),
  );
}

/** A stored explanation: its causes in rank order, and each by its rank (an erasure leaves gaps). */
interface StoredExplanation {
  causes: Cause[];
  byRank: Map<number, Cause>;
}

async function storedExplanations(
  tx: Queryable,
  provider: Provider,
  userIds: number[],
): Promise<Map<number, StoredExplanation>> {
  const byUser = new Map<number, StoredExplanation>();
  if (userIds.length === 0) return byUser;
  const rows = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT "userId", "rank", "kind", "share", "contributorId", "endorsementId", "topicId"
    FROM "ScoreContribution" WHERE ${idsIn(provider, "userId", userIds)} ORDER BY "userId", "rank"`;
  const id = (value: unknown) => (value === null ? null : Number(value));
  for (const row of rows) {
    const userId = Number(row.userId);
    let stored = byUser.get(userId);
    if (!stored) {
      stored = { causes: [], byRank: new Map() };
      byUser.set(userId, stored);
    }
    const cause: Cause = {
      kind: row.kind as CauseKind,
      share: Number(row.share),
      memberId: id(row.contributorId),
      endorsementId: id(row.endorsementId),
      topicId: id(row.topicId),
    };
    stored.causes.push(cause);
    stored.byRank.set(Number(row.rank), cause);
  }
  return byUser;
}

interface Context {
  source: ScoreSource;
  model: ModelParameters;
  options: WriteOptions;
  provider: Provider;
}

// The columns of each table the scorer writes, with their types (see sql.ts).
const scoreColumns: Columns = [
  ["userId", "int"],
  ["value", "float"],
  ["raw", "float"],
  ["breakdown", "json"],
  ["modelVersion", "int"],
  ["updatedAt", "timestamp"],
];
const contributionColumns: Columns = [
  ["userId", "int"],
  ["rank", "int"],
  ["kind", { enum: "CauseKind" }],
  ["share", "float"],
  ["contributorId", "int"],
  ["endorsementId", "int"],
  ["topicId", "int"],
];
const shareColumns: Columns = [
  ["userId", "int"],
  ["rank", "int"],
  ["share", "float"],
];
const contributionKeyColumns: Columns = [
  ["userId", "int"],
  ["rank", "int"],
];
const topicScoreColumns: Columns = [
  ["userId", "int"],
  ["topicId", "int"],
  ["value", "float"],
  ["updatedAt", "timestamp"],
];
const historyColumns: Columns = [
  ["userId", "int"],
  ["value", "float"],
  ["delta", "float"],
  ["reason", { enum: "ScoreChangeReason" }],
  ["modelVersion", "int"],
  ["createdAt", "timestamp"],
];
const historyCauseColumns: Columns = [
  ["historyId", "int"],
  ["rank", "int"],
  ["kind", { enum: "CauseKind" }],
  ["share", "float"],
  ["memberId", "int"],
  ["endorsementId", "int"],
  ["topicId", "int"],
];

/** Upserts the Score rows: value, raw, the numeric breakdown and the model version. */
async function upsertScores(tx: Queryable, batch: number[], stored: Map<number, Stored>, context: Context) {
  const { source, model, options, provider } = context;
  const rows = batch.map((v) => {
    const userId = source.userId(v);
    const raw = source.raw(v);
    // Numbers only, never names.
    const breakdown = {
      ...source.components(v),
      raw,
      anonymousReach: stored.get(userId)?.anonymousReach ?? 0,
    };
    return [userId, source.score(v), raw, JSON.stringify(breakdown), model.version, options.now];
  });
  await tx.$executeRaw(
    insertRows(
      provider,
      "Score",
      scoreColumns,
      rows,
      sqltag`ON CONFLICT ("userId") DO UPDATE SET "value" = excluded."value", "raw" = excluded."raw",
        "breakdown" = excluded."breakdown", "modelVersion" = excluded."modelVersion",
        "updatedAt" = excluded."updatedAt"`,
    ),
  );
}

const sameNames = (a: Cause, b: Cause) =>
  a.kind === b.kind &&
  a.memberId === b.memberId &&
  a.endorsementId === b.endorsementId &&
  a.topicId === b.topicId;

/**
 * Makes the stored explanations the new ones, touching only what differs: a rank that names the
 * same cause as before gets its share updated (no index or foreign key is touched), a rank that
 * names another or is new is upserted, and ranks past the new end are deleted.
 */
async function replaceExplanations(
  tx: Queryable,
  provider: Provider,
  userIds: number[],
  explanations: Cause[][],
  before: Map<number, StoredExplanation>,
) {
  const shares: unknown[][] = [];
  const upserts: unknown[][] = [];
  const gone: unknown[][] = [];
  userIds.forEach((userId, i) => {
    const old = before.get(userId);
    const causes = explanations[i] as Cause[];
    causes.forEach((c, r) => {
      const was = old?.byRank.get(r + 1);
      if (was && sameNames(was, c)) {
        if (was.share !== c.share) shares.push([userId, r + 1, c.share]);
      } else {
        upserts.push([userId, r + 1, c.kind, c.share, c.memberId, c.endorsementId, c.topicId]);
      }
    });
    for (const rank of old?.byRank.keys() ?? []) if (rank > causes.length) gone.push([userId, rank]);
  });
  const goneIds = gone.map(([userId]) => userId as number);
  const shareIds = shares.map(([userId]) => userId as number);
  // By key, so each row is found through the (userId, rank) index. (A correlated "rank > the
  // new count" test scanned the whole table once per statement: 1.8 s at 2,000 members.)
  if (gone.length > 0) {
    await tx.$executeRaw`
      DELETE FROM "ScoreContribution" WHERE ("userId", "rank") IN (
        SELECT "userId", "rank" FROM (${rowsTable(provider, contributionKeyColumns, gone)}) AS "gone")
        ${throughIndex(provider, "userId", goneIds)}`;
  }
  if (shares.length > 0) {
    await tx.$executeRaw`
      UPDATE "ScoreContribution" SET "share" = "new"."share"
      FROM (${rowsTable(provider, shareColumns, shares)}) AS "new"
      WHERE "ScoreContribution"."userId" = "new"."userId" AND "ScoreContribution"."rank" = "new"."rank"
        ${throughIndex(provider, "ScoreContribution.userId", shareIds)}`;
  }
  if (upserts.length > 0) {
    await tx.$executeRaw(
      insertRows(
        provider,
        "ScoreContribution",
        contributionColumns,
        upserts,
        sqltag`ON CONFLICT ("userId", "rank") DO UPDATE SET "kind" = excluded."kind", "share" = excluded."share",
          "contributorId" = excluded."contributorId", "endorsementId" = excluded."endorsementId",
          "topicId" = excluded."topicId"`,
      ),
    );
  }
}

/** Topic expertise: the non-zero values replace whatever was stored, so a value that fell to 0 goes. */
async function replaceTopicScores(tx: Queryable, batch: number[], userIds: number[], context: Context) {
  const { source, options, provider } = context;
  await tx.$executeRaw`DELETE FROM "TopicScore" WHERE ${idsIn(provider, "userId", userIds)}`;
  const rows = batch.flatMap((v, i) =>
    source.topicScores(v).map(({ topicId, value }) => [userIds[i], topicId, value, options.now]),
  );
  if (rows.length > 0) await tx.$executeRaw(insertRows(provider, "TopicScore", topicScoreColumns, rows));
}

/** Appends the history entries and returns their ids by member. */
async function appendHistory(tx: Queryable, provider: Provider, changes: Move[], now: Date) {
  const historyIds = new Map<number, number>();
  const rows = await tx.$queryRaw<{ id: unknown; userId: unknown }[]>(
    insertRows(
      provider,
      "ScoreHistory",
      historyColumns,
      changes.map((c) => [c.userId, c.new, c.delta, c.reason, c.modelVersion, now]),
      sqltag`RETURNING "id", "userId"`,
    ),
  );
  for (const row of rows) historyIds.set(Number(row.userId), Number(row.id));
  return historyIds;
}

/**
 * Writes one batch of changed members inside `tx` and returns their changes. `fenced` is the
 * transaction's fence, asked for in the same turn as the batch's two reads: on PostgreSQL the
 * three go in one round trip (postgres-direct.ts), the fence first.
 */
async function writeBatch(
  tx: Queryable,
  members: number[],
  context: Context,
  fenced: Promise<void>,
): Promise<ScoreChange[]> {
  const { source, model, options, provider } = context;
  const asked = members.map((v) => source.userId(v));
  // A member without a stored score has no stored explanation either (its rows belong to the score).
  const [, stored, before] = await Promise.all([
    fenced,
    readStored(tx, provider, asked),
    storedExplanations(tx, provider, asked),
  ]);
  // A member erased since the scores were computed has no User row left: nothing to write.
  const batch = members.filter((v) => stored.has(source.userId(v)));
  if (batch.length === 0) return [];
  const userIds = batch.map((v) => source.userId(v));
  const explanations = batch.map((v) => source.explanation(v));
  await upsertScores(tx, batch, stored, context);
  await replaceExplanations(tx, provider, userIds, explanations, before);
  await replaceTopicScores(tx, batch, userIds, context);

  const changes = batch.map((v, i): Move => {
    const userId = userIds[i] as number;
    const previous = stored.get(userId)?.value as number;
    const old = Number.isNaN(previous) ? null : previous;
    const value = source.score(v);
    const reason = options.reasonOf(userId, old === null);
    return { userId, old, new: value, delta: value - (old ?? 0), reason, modelVersion: model.version };
  });
  const historyIds = await appendHistory(tx, provider, changes, options.now);

  const causeRows: unknown[][] = [];
  const causesOf = batch.map((v, i) => {
    const change = changes[i] as (typeof changes)[number];
    const causes = causesOfMove(
      change.reason,
      change.old === null
        ? null
        : { raw: stored.get(change.userId)?.raw as number, causes: before.get(change.userId)?.causes ?? [] },
      { raw: source.raw(v), causes: explanations[i] as Cause[] },
      model.topCauses,
    );
    const historyId = historyIds.get(change.userId);
    causes.forEach((c, r) => {
      causeRows.push([historyId, r + 1, c.kind, c.share, c.memberId, c.endorsementId, c.topicId]);
    });
    return causes;
  });
  if (causeRows.length > 0) {
    await tx.$executeRaw(insertRows(provider, "ScoreHistoryCause", historyCauseColumns, causeRows));
  }
  return changes.map((c, i) => ({
    ...c,
    historyId: historyIds.get(c.userId) as number,
    createdAt: options.now,
    causes: causesOf[i] as Cause[],
    visibility: (stored.get(c.userId) as Stored).visibility,
  }));
}

/** A batch of the rest, cut short for newer events: rolled back, written by a later run. */
class BatchCutShort extends Error {
  constructor() {
    super("newer events are waiting");
    this.name = "BatchCutShort";
  }
}

/**
 * `tx` for a batch that newer events may cut short: before each statement, once `options.woken`
 * says the scorer was woken, asks `yieldRest` (at most until it says no) and throws BatchCutShort
 * when it says yes. With `options.onWake`, a wake during a statement is asked about at once, and a
 * yes throws BatchCutShort without waiting for the statement, which the transaction's rollback
 * cancels.
 */
function cutShortBy(tx: Queryable, options: WriteOptions): Queryable {
  const { woken, yieldRest, onWake } = options;
  if (!woken || !yieldRest) return tx;
  let ruledOut = false;
  /** The question in flight, shared by a wake and the next statement. */
  let asking: Promise<boolean> | undefined;
  const cut = async () => {
    if (ruledOut) return false;
    asking ??= yieldRest().finally(() => {
      asking = undefined;
    });
    if (await asking) return true;
    // Woken for events this run already has: no need to ask again during this batch.
    ruledOut = true;
    return false;
  };
  const run = async <T>(statement: () => Promise<T>): Promise<T> => {
    if (woken() && (await cut())) throw new BatchCutShort();
    const pending = statement();
    if (!onWake || ruledOut) return pending;
    let cancel = () => {};
    const cutDuring = new Promise<{ cut: true }>((resolve) => {
      cancel = onWake(() => {
        // A failed question leaves the batch to go on.
        cut().then(
          (yes) => yes && resolve({ cut: true }),
          () => {},
        );
      });
    });
    try {
      const first = await Promise.race([
        pending.then((value) => ({ cut: false as const, value })),
        cutDuring,
      ]);
      if (!first.cut) return first.value;
      // Whatever becomes of it, the statement is no one's concern any more.
      pending.catch(() => {});
      throw new BatchCutShort();
    } finally {
      cancel();
    }
  };
  return {
    $queryRaw: <T>(query: TemplateStringsArray | Sql, ...values: unknown[]) =>
      run(() => tx.$queryRaw<T>(query, ...values)),
    $executeRaw: (query: TemplateStringsArray | Sql, ...values: unknown[]) =>
      run(() => tx.$executeRaw(query, ...values)),
  };
}

function keepLargest(largest: ScoreChange[], changes: ScoreChange[]): ScoreChange[] {
  return [...largest, ...changes].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, largestKept);
}

/** How long a write transaction keeps being retried while SQLite's lock is busy, before it fails. */
const busyRetryMs = 30_000;

/**
 * Writes the members in `changed` (indices into `source`): the first `firstMembers` first, then
 * the rest, in batches that each commit on their own (and are published once committed). When
 * `yieldRest` says newer events wait, the run stops before its next batch of the rest, or cuts the
 * one in progress short (rolled back between two of its statements, so newer events wait for one
 * statement rather than a whole batch; with `onWake`, for none); except that, unless
 * `restMayWaitAtOnce`, the first batch of the rest is written whole and is the last (the ripple
 * always makes progress). `checkpoint` shares the last transaction written, and is left out when
 * the run stops early. A batch that finds SQLite's write lock busy is rolled back whole and run
 * again (the fence first, as always), so a busy API costs a wait, not the live state.
 */
export async function writeChanges(
  database: Pick<SqlDatabase, "sql" | "provider">,
  source: ScoreSource,
  changed: readonly number[],
  model: ModelParameters,
  options: WriteOptions,
): Promise<WriteSummary> {
  const context: Context = { source, model, options, provider: database.provider };
  if (changed.length === 0 && !options.checkpoint) return { changed: 0, written: 0, largest: [] };
  const first = Math.min(options.firstMembers ?? 0, changed.length);
  const firstBatchSize = options.firstBatchSize ?? options.batchSize;
  // Split among concurrent transactions only when each gets enough members to be worth one.
  const concurrency = Math.max(
    1,
    Math.min(options.firstConcurrency ?? 1, Math.floor(first / minConcurrentBatch)),
  );
  const bounds = batchBounds(
    changed.length,
    first,
    options.batchSize,
    Math.min(firstBatchSize, Math.ceil(first / concurrency)),
  );
  const batchCount = bounds.length - 1;
  // The first members' transactions come before any may be the last.
  const firstBatches = bounds.indexOf(first);
  let largest: ScoreChange[] = [];
  let written = 0;
  options.onProgress?.("writing", 0, changed.length);
  const commit = async (batch: number[], last: boolean, mayBeCutShort = false) => {
    const attempt = () =>
      database.sql.$transaction(
        async (tx) => {
          const fenced = options.beforeBatch(tx);
          if (batch.length === 0) await fenced;
          const target = mayBeCutShort ? cutShortBy(tx, options) : tx;
          const done = batch.length > 0 ? await writeBatch(target, batch, context, fenced) : [];
          if (last) await options.checkpoint?.(tx);
          return done;
        },
        { timeout: transactionTimeoutMs, maxWait: transactionTimeoutMs, deferWrites: true },
      );
    const changes = await retryWhileBusy(() => asScorerWrite(options.gate, attempt), busyRetryMs);
    written += changes.length;
    largest = keepLargest(largest, changes);
    if (changes.length > 0) await options.onCommitted?.(changes);
  };
  // Newer events wait: the rest waits for the next run, which also records the checkpoint.
  const stopBefore = (b: number) => ({ changed: written, written: bounds[b] as number, largest });
  const membersOf = (b: number) => changed.slice(bounds[b], bounds[b + 1]);
  for (let b = 0; b < batchCount; b++) {
    if (b === firstBatches && b > 0) await options.beforeRest?.();
    const together = b < firstBatches ? Math.min(concurrency, firstBatches - b) : 1;
    if (together > 1) {
      // Awaited all, so that none is still running when a failure reaches the caller.
      const outcomes = await Promise.allSettled(
        Array.from({ length: together }, (_, i) => commit(membersOf(b + i), false)),
      );
      for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
      b += together - 1;
      options.onProgress?.("writing", bounds[b + 1] as number, changed.length);
      if (b === batchCount - 1) {
        // Nothing after them: the checkpoint commits on its own, once they all did.
        if (options.checkpoint) await commit([], true);
        break;
      }
      continue;
    }
    const ofRest = b >= firstBatches;
    const mayWait = ofRest && (b > firstBatches || options.restMayWaitAtOnce === true);
    const asked = ofRest && options.yieldRest !== undefined && (await options.yieldRest());
    if (asked && mayWait) return stopBefore(b);
    const last = asked || b === batchCount - 1;
    try {
      await commit(membersOf(b), last, mayWait);
    } catch (error) {
      if (error instanceof BatchCutShort) return stopBefore(b);
      throw error;
    }
    options.onProgress?.("writing", bounds[b + 1] as number, changed.length);
    if (last) return { changed: written, written: bounds[b + 1] as number, largest };
  }
  return { changed: written, written: changed.length, largest };
}

/**
 * Where each transaction's members start and end in `changed`: the first `first` in batches of
 * their own (of `firstBatchSize`), then the rest; always at least one (possibly empty) transaction.
 */
export function batchBounds(
  total: number,
  first: number,
  batchSize: number,
  firstBatchSize = batchSize,
): number[] {
  const bounds = [0];
  let end = 0;
  while (end < first) {
    end = Math.min(first, end + firstBatchSize);
    bounds.push(end);
  }
  while (end < total) {
    end = Math.min(total, end + batchSize);
    bounds.push(end);
  }
  if (bounds.length === 1) bounds.push(0);
  return bounds;
}
