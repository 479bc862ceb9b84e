// The graph event log as the scorer sees it: events after its checkpoint, in id order, and the
// checkpoint itself (ScorerState.lastEventId), plus the one way writers should append to the log.
import { raw, type Sql, sqltag } from "@prisma/client/runtime/client";
import type { Database } from "../db/client.js";
import type { GraphEventKind } from "../generated/prisma/sqlite/enums.js";
import type { Queryable } from "./load.js";
import { type Columns, quoted, rowsTable } from "./sql.js";

export const scorerStateId = "main";

export interface GraphEventRow {
  id: number;
  kind: GraphEventKind;
  actorId: number | null;
  subjectId: number | null;
  refId: number | null;
  /** An INTERACTION's row (refId), read with it; absent when the row is gone. */
  interaction?: EventInteraction;
}

export interface EventInteraction {
  /** null: an outsider (see Interaction). */
  actorId: number | null;
  targetId: number | null;
  kind: string;
  /** A Date (PostgreSQL) or the stored text (SQLite); see toMs. */
  occurredAt: unknown;
}

/** Events read for a run, with what the database held as they were read. */
export interface EventBatch {
  events: GraphEventRow[];
  /** The ACTIVE model's version (null: none), when there were events. */
  modelVersion: number | null;
  /** The highest member id, when there were events. */
  newestMemberId: number;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * Up to `limit` events after `after`, oldest first. By default after the checkpoint (all of them
 * when the scorer has never run); a scorer whose live state has applied events the checkpoint does
 * not cover yet (run.ts) reads after its own position instead. One query, which also brings what
 * an incremental run would otherwise ask for in round trips of its own before it can apply them:
 * each interaction's row, the model version in force and the newest member.
 */
export async function readPendingEvents(db: Queryable, limit: number, after?: number): Promise<EventBatch> {
  const from =
    after ?? sqltag`COALESCE((SELECT "lastEventId" FROM "ScorerState" WHERE "id" = ${scorerStateId}), 0)`;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT "e"."id", "e"."kind", "e"."actorId", "e"."subjectId", "e"."refId", "i"."id" AS "interactionId",
      "i"."actorId" AS "interactionActorId", "i"."targetId" AS "interactionTargetId",
      "i"."kind" AS "interactionKind", "i"."occurredAt" AS "interactionOccurredAt",
      (SELECT MAX("version") FROM "ScoringModel" WHERE "status" = 'ACTIVE') AS "modelVersion",
      (SELECT MAX("id") FROM "User") AS "newestMemberId"
    FROM "GraphEvent" AS "e"
    LEFT JOIN "Interaction" AS "i" ON "e"."kind" = 'INTERACTION' AND "i"."id" = "e"."refId"
    WHERE "e"."id" > ${from} ORDER BY "e"."id" LIMIT ${limit}`;
  const events = rows.map(
    (row): GraphEventRow => ({
      id: Number(row.id),
      kind: row.kind as GraphEventKind,
      actorId: numberOrNull(row.actorId),
      subjectId: numberOrNull(row.subjectId),
      refId: numberOrNull(row.refId),
      ...(row.interactionId !== null &&
        row.interactionId !== undefined && {
          interaction: {
            actorId: numberOrNull(row.interactionActorId),
            targetId: numberOrNull(row.interactionTargetId),
            kind: String(row.interactionKind),
            occurredAt: row.interactionOccurredAt,
          },
        }),
    }),
  );
  const [first] = rows;
  return {
    events,
    modelVersion: numberOrNull(first?.modelVersion),
    newestMemberId: numberOrNull(first?.newestMemberId) ?? 0,
  };
}

export async function readCheckpoint(db: Queryable): Promise<number> {
  const [row] = await db.$queryRaw<{ lastEventId: unknown }[]>`
    SELECT "lastEventId" FROM "ScorerState" WHERE "id" = ${scorerStateId}`;
  return Number(row?.lastEventId ?? 0);
}

/**
 * Records that every event up to `eventId` is applied. Call it inside the transaction that
 * commits the last writes of those events, so a crash before it replays them rather than losing
 * them. It never moves back. The ScorerState row exists: the lease created it.
 */
export async function advanceCheckpoint(tx: Queryable, eventId: number, now: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE "ScorerState" SET "lastEventId" = ${eventId}, "updatedAt" = ${now}
    WHERE "id" = ${scorerStateId} AND "lastEventId" < ${eventId}`;
}

const pruneChunk = 10_000;

/**
 * Deletes events the scorer has applied (id ≤ checkpoint) that were written before `before`, a
 * chunk at a time so no statement holds the table long; returns how many went. A full run reads
 * the tables themselves, so applied events are needed by nothing but curiosity.
 */
export async function pruneAppliedEvents(db: Queryable, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "GraphEvent" WHERE "id" IN (
        SELECT "id" FROM "GraphEvent"
        WHERE "id" <= COALESCE((SELECT "lastEventId" FROM "ScorerState" WHERE "id" = ${scorerStateId}), 0)
          AND "createdAt" < ${before}
        ORDER BY "id" LIMIT ${pruneChunk})`;
    total += deleted;
    if (deleted < pruneChunk) return total;
  }
}

export interface NewGraphEvent {
  kind: GraphEventKind;
  actorId?: number | null;
  subjectId?: number | null;
  refId?: number | null;
}

// Any fixed number, the same in every instance and unlike the migration lock's: "swev" in ASCII.
const eventLogLockKey = 0x73776576;

const eventColumns: Columns = [
  ["kind", { enum: "GraphEventKind" }],
  ["actorId", "int"],
  ["subjectId", "int"],
  ["refId", "int"],
  ["createdAt", "timestamp"],
];

/**
 * Appends events inside the caller's transaction, which must also hold the changes they describe;
 * make it the transaction's last statement. On PostgreSQL, ids come from a sequence and are handed
 * out before commit, so two writers could commit ids 11 then 10 and the scorer, having applied 11,
 * would skip 10; a transaction-scoped advisory lock makes ids commit in order. It is taken by the
 * same statement, before any id is drawn: an uncorrelated sub-select in WHERE runs once, before
 * the first row passes, and each row's id (the column default) is drawn only as it is inserted.
 * SQLite has one writer at a time, so its ids always do. One statement, whatever the count.
 * Returns the newest event's id (null when there were none), for the wake (realtime/wake.ts).
 */
export async function appendGraphEvents(
  tx: Queryable,
  provider: Database["provider"],
  events: readonly NewGraphEvent[],
): Promise<number | null> {
  if (events.length === 0) return null;
  const now = new Date();
  const rows = rowsTable(
    provider,
    eventColumns,
    events.map((e) => [e.kind, e.actorId ?? null, e.subjectId ?? null, e.refId ?? null, now]),
  );
  const columns = quoted(eventColumns.map(([name]) => name));
  const ids =
    provider === "postgresql"
      ? await tx.$queryRaw<{ id: unknown }[]>`
          WITH "appended" AS (
            INSERT INTO "GraphEvent" (${columns}) SELECT * FROM (${rows}) AS "event"
            WHERE (SELECT 1 FROM pg_advisory_xact_lock(${eventLogLockKey})) = 1 RETURNING "id")
          SELECT MAX("id") AS "id" FROM "appended"`
      : await tx.$queryRaw<{ id: unknown }[]>`INSERT INTO "GraphEvent" (${columns}) ${rows} RETURNING "id"`;
  return ids.reduce<number | null>((newest, row) => Math.max(newest ?? 0, Number(row.id)), null);
}

/**
 * PostgreSQL only: the event for each row a data-modifying CTE named `changes` returned (columns
 * "actorId" and "subjectId"), as a CTE named `event` (returning "id") to put after it — so the
 * change and its event are one statement, atomic without a transaction of round trips. The
 * event-log lock is taken as in appendGraphEvents, before any id is drawn.
 */
export function pgEventsOf(changes: string, kind: GraphEventKind, now: Date): Sql {
  return sqltag`"event" AS (
    INSERT INTO "GraphEvent" ("kind", "actorId", "subjectId", "createdAt")
    SELECT ${kind}::"GraphEventKind", "actorId", "subjectId", ${now}::timestamp(3) FROM ${raw(`"${changes}"`)}
    WHERE (SELECT 1 FROM pg_advisory_xact_lock(${eventLogLockKey})) = 1 RETURNING "id")`;
}

/** appendGraphEvents for one event. */
export function appendGraphEvent(
  tx: Queryable,
  provider: Database["provider"],
  event: NewGraphEvent,
): Promise<number | null> {
  return appendGraphEvents(tx, provider, [event]);
}
