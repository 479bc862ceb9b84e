// Writes scores back: only members whose score moved by at least the noise floor (or who had
// none) get anything written — Score, its explanation, topic expertise and a history entry with its
// causes — in transactions of bounded size. Everyone else keeps their stored score: that is the
// stability rule. The scores come from a ScoreSource — the live state (live.ts), which also picks
// the changed members.
import { sqltag } from "@prisma/client/runtime/client";
import type { Db } from "../db/client.js";
import type { CauseKind, ScoreChangeReason } from "../generated/prisma/sqlite/enums.js";
import type { ModelParameters } from "../scoring/model.js";
import { type Cause, causesOfMove } from "./causes.js";
import type { LoadProgress, Queryable } from "./load.js";
import type { ReasonOf } from "./reasons.js";
import { inList, insertStatements } from "./sql.js";

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
}

export interface WriteOptions {
  /** Members per transaction. */
  batchSize: number;
  now: Date;
  reasonOf: ReasonOf;
  /** Runs first in every transaction: the lease fence, which throws when the lease is gone. */
  beforeBatch(tx: Queryable): Promise<void>;
  /** Runs last in the last transaction (also when nothing changed): the checkpoint. */
  afterLastBatch?(tx: Queryable): Promise<void>;
  /** Called after each transaction commits, with the changes it recorded. */
  onCommitted?(changes: ScoreChange[]): Promise<void>;
  onProgress?: LoadProgress;
}

export interface WriteSummary {
  changed: number;
  /** The largest moves by |delta|, largest first. */
  largest: ScoreChange[];
}

const largestKept = 10;
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
}

/** The batch's stored scores and reach, by user id (no entry: no score yet). */
async function readStored(tx: Queryable, userIds: number[]): Promise<Map<number, Stored>> {
  const rows = await tx.$queryRaw<{ id: unknown; value: unknown; raw: unknown; anonymousReach: unknown }[]>`
    SELECT "User"."id", "Score"."value", "Score"."raw", "User"."anonymousReach" FROM "User"
    LEFT JOIN "Score" ON "Score"."userId" = "User"."id" WHERE ${inList("User.id", userIds)}`;
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        value: row.value === null ? Number.NaN : Number(row.value),
        raw: Number(row.raw),
        anonymousReach: Number(row.anonymousReach),
      },
    ]),
  );
}

/** Member indices whose score moved by at least the noise floor, or who have no score yet. */
export function changedMembers(stored: Float64Array, score: Float64Array, noiseFloor: number): number[] {
  const changed: number[] = [];
  for (let v = 0; v < score.length; v++) {
    const old = stored[v] as number;
    if (Number.isNaN(old) || Math.abs((score[v] as number) - old) >= noiseFloor) changed.push(v);
  }
  return changed;
}

async function storedExplanations(tx: Queryable, userIds: number[]): Promise<Map<number, Cause[]>> {
  const byUser = new Map<number, Cause[]>();
  if (userIds.length === 0) return byUser;
  const rows = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT "userId", "kind", "share", "contributorId", "endorsementId", "topicId"
    FROM "ScoreContribution" WHERE ${inList("userId", userIds)} ORDER BY "userId", "rank"`;
  const id = (value: unknown) => (value === null ? null : Number(value));
  for (const row of rows) {
    const userId = Number(row.userId);
    const causes = byUser.get(userId) ?? [];
    causes.push({
      kind: row.kind as CauseKind,
      share: Number(row.share),
      memberId: id(row.contributorId),
      endorsementId: id(row.endorsementId),
      topicId: id(row.topicId),
    });
    byUser.set(userId, causes);
  }
  return byUser;
}

async function run(tx: Queryable, statements: ReturnType<typeof insertStatements>): Promise<void> {
  for (const statement of statements) await tx.$executeRaw(statement);
}

interface Context {
  source: ScoreSource;
  model: ModelParameters;
  options: WriteOptions;
}

/** Upserts the Score rows: value, raw, the numeric breakdown and the model version. */
function upsertScores(tx: Queryable, batch: number[], stored: Map<number, Stored>, context: Context) {
  const { source, model, options } = context;
  return run(
    tx,
    insertStatements(
      "Score",
      ["userId", "value", "raw", "breakdown", "modelVersion", "updatedAt"],
      batch.map((v) => {
        const userId = source.userId(v);
        const raw = source.raw(v);
        // Numbers only, never names.
        const breakdown = {
          ...source.components(v),
          raw,
          anonymousReach: stored.get(userId)?.anonymousReach ?? 0,
        };
        return [userId, source.score(v), raw, JSON.stringify(breakdown), model.version, options.now];
      }),
      sqltag`ON CONFLICT ("userId") DO UPDATE SET "value" = excluded."value", "raw" = excluded."raw",
        "breakdown" = excluded."breakdown", "modelVersion" = excluded."modelVersion",
        "updatedAt" = excluded."updatedAt"`,
    ),
  );
}

async function replaceExplanations(tx: Queryable, userIds: number[], explanations: Cause[][]) {
  await tx.$executeRaw`DELETE FROM "ScoreContribution" WHERE ${inList("userId", userIds)}`;
  await run(
    tx,
    insertStatements(
      "ScoreContribution",
      ["userId", "rank", "kind", "share", "contributorId", "endorsementId", "topicId"],
      explanations.flatMap((causes, i) =>
        causes.map((c, r) => [userIds[i], r + 1, c.kind, c.share, c.memberId, c.endorsementId, c.topicId]),
      ),
    ),
  );
}

/** Topic expertise: the non-zero values replace whatever was stored, so a value that fell to 0 goes. */
async function replaceTopicScores(tx: Queryable, batch: number[], userIds: number[], context: Context) {
  const { source, options } = context;
  await tx.$executeRaw`DELETE FROM "TopicScore" WHERE ${inList("userId", userIds)}`;
  const rows = batch.flatMap((v, i) =>
    source.topicScores(v).map(({ topicId, value }) => [userIds[i], topicId, value, options.now]),
  );
  await run(tx, insertStatements("TopicScore", ["userId", "topicId", "value", "updatedAt"], rows));
}

/** Appends the history entries and returns their ids by member. */
async function appendHistory(tx: Queryable, changes: Omit<ScoreChange, "historyId">[], now: Date) {
  const historyIds = new Map<number, number>();
  for (const statement of insertStatements(
    "ScoreHistory",
    ["userId", "value", "delta", "reason", "modelVersion", "createdAt"],
    changes.map((c) => [c.userId, c.new, c.delta, c.reason, c.modelVersion, now]),
    sqltag`RETURNING "id", "userId"`,
  )) {
    for (const row of await tx.$queryRaw<{ id: unknown; userId: unknown }[]>(statement)) {
      historyIds.set(Number(row.userId), Number(row.id));
    }
  }
  return historyIds;
}

/** Writes one batch of changed members inside `tx` and returns their changes. */
async function writeBatch(tx: Queryable, members: number[], context: Context): Promise<ScoreChange[]> {
  const { source, model, options } = context;
  const stored = await readStored(
    tx,
    members.map((v) => source.userId(v)),
  );
  // A member erased since the scores were computed has no User row left: nothing to write.
  const batch = members.filter((v) => stored.has(source.userId(v)));
  if (batch.length === 0) return [];
  const userIds = batch.map((v) => source.userId(v));
  const scored = userIds.filter((id) => !Number.isNaN(stored.get(id)?.value));
  const before = await storedExplanations(tx, scored);
  const explanations = batch.map((v) => source.explanation(v));
  await upsertScores(tx, batch, stored, context);
  await replaceExplanations(tx, userIds, explanations);
  await replaceTopicScores(tx, batch, userIds, context);

  const changes = batch.map((v, i): Omit<ScoreChange, "historyId"> => {
    const userId = userIds[i] as number;
    const previous = stored.get(userId)?.value as number;
    const old = Number.isNaN(previous) ? null : previous;
    const value = source.score(v);
    const reason = options.reasonOf(userId, old === null);
    return { userId, old, new: value, delta: value - (old ?? 0), reason, modelVersion: model.version };
  });
  const historyIds = await appendHistory(tx, changes, options.now);

  const causeRows: unknown[][] = [];
  batch.forEach((v, i) => {
    const change = changes[i] as (typeof changes)[number];
    const causes = causesOfMove(
      change.reason,
      change.old === null
        ? null
        : { raw: stored.get(change.userId)?.raw as number, causes: before.get(change.userId) ?? [] },
      { raw: source.raw(v), causes: explanations[i] as Cause[] },
      model.topCauses,
    );
    const historyId = historyIds.get(change.userId);
    causes.forEach((c, r) => {
      causeRows.push([historyId, r + 1, c.kind, c.share, c.memberId, c.endorsementId, c.topicId]);
    });
  });
  await run(
    tx,
    insertStatements(
      "ScoreHistoryCause",
      ["historyId", "rank", "kind", "share", "memberId", "endorsementId", "topicId"],
      causeRows,
    ),
  );
  return changes.map((c) => ({ ...c, historyId: historyIds.get(c.userId) as number }));
}

function keepLargest(largest: ScoreChange[], changes: ScoreChange[]): ScoreChange[] {
  return [...largest, ...changes].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, largestKept);
}

/**
 * Writes the members in `changed` (indices into `source`). Each batch commits on its own;
 * `afterLastBatch` shares the last one's transaction, so whatever it records (the checkpoint)
 * commits with the last write or not at all.
 */
export async function writeChanges(
  db: Db,
  source: ScoreSource,
  changed: readonly number[],
  model: ModelParameters,
  options: WriteOptions,
): Promise<WriteSummary> {
  const context: Context = { source, model, options };
  if (changed.length === 0 && !options.afterLastBatch) return { changed: 0, largest: [] };
  const batchCount = Math.max(1, Math.ceil(changed.length / options.batchSize));
  let largest: ScoreChange[] = [];
  let written = 0;
  options.onProgress?.("writing", 0, changed.length);
  for (let b = 0; b < batchCount; b++) {
    const batch = changed.slice(b * options.batchSize, (b + 1) * options.batchSize);
    const changes = await db.$transaction(
      async (tx) => {
        await options.beforeBatch(tx);
        const done = batch.length > 0 ? await writeBatch(tx, batch, context) : [];
        if (b === batchCount - 1) await options.afterLastBatch?.(tx);
        return done;
      },
      { timeout: transactionTimeoutMs, maxWait: transactionTimeoutMs },
    );
    written += changes.length;
    largest = keepLargest(largest, changes);
    options.onProgress?.("writing", Math.min(changed.length, (b + 1) * options.batchSize), changed.length);
    if (changes.length > 0) await options.onCommitted?.(changes);
  }
  return { changed: written, largest };
}
