// Loads the community the scoring module computes from, straight from the tables: raw SQL over
// integer and date columns, read in keyset-paged chunks into typed arrays, so a million members
// and ten million follows never become Prisma model objects.
import { type Sql, sqltag } from "@prisma/client/runtime/client";
import type { SqlDatabase, SqlQueryable } from "../db/sql-client.js";
import { type Community, interactionKindCodes } from "../scoring/community.js";

/** What the loaders need: raw queries, on the client or inside a transaction. */
export type Queryable = SqlQueryable;

export type LoadProgress = (phase: string, done: number, total: number) => void;

/** Dense indices 0..n-1 for ascending database ids, and the way back. */
export interface DenseIndex {
  /** index → database id, ascending. */
  ids: Int32Array;
  /** database id → index, or -1 when the id is not in this snapshot. */
  indexOf(id: number): number;
}

export interface LoadedCommunity {
  community: Community;
  members: DenseIndex;
  topics: DenseIndex;
  /** Endorsement.id of each endorsement in community.endorsements (causes name them). */
  endorsementIds: Int32Array;
  /** User.anonymousReach per member index. */
  anonymousReach: Int32Array;
}

/** Rows per query: few round-trips, bounded memory, and on SQLite (synchronous) short stalls of the event loop. */
const chunkRows = 10_000;

/** A direct table when ids are dense enough (they are autoincrement), else a binary search. */
export function denseIndex(ids: Int32Array): DenseIndex {
  const maxId = ids.length > 0 ? (ids[ids.length - 1] as number) : -1;
  if (maxId < 4 * ids.length + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) table[ids[i] as number] = i;
    return { ids, indexOf: (id) => (id >= 0 && id <= maxId ? (table[id] as number) : -1) };
  }
  const indexOf = (id: number) => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < ids.length && ids[lo] === id ? lo : -1;
  };
  return { ids, indexOf };
}

/** SQLite gives DATETIME columns back as Dates via Prisma, PostgreSQL too; text and numbers are tolerated. */
export function toMs(value: unknown): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === "string"
        ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`)
        : Number(value);
  if (!Number.isFinite(ms)) throw new Error(`Unreadable timestamp from the database: ${String(value)}`);
  return ms;
}

async function count(db: Queryable, query: Sql): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>(query);
  return Number(row?.n ?? 0);
}

/**
 * Reads a table in key order, `chunkRows` at a time; `after` turns the last row of a chunk into
 * the condition for the next one.
 */
async function readChunked<Row>(
  db: Queryable,
  query: (after: Row | undefined) => Sql,
  onChunk: (rows: Row[]) => void,
): Promise<void> {
  let last: Row | undefined;
  for (;;) {
    const rows = await db.$queryRaw<Row[]>(query(last));
    if (rows.length > 0) onChunk(rows);
    if (rows.length < chunkRows) return;
    last = rows[rows.length - 1];
  }
}

async function loadMembers(db: Queryable, report: LoadProgress) {
  const total = await count(db, sqltag`SELECT COUNT(*) AS n FROM "User"`);
  const ids = new Int32Array(total);
  const anonymousReach = new Int32Array(total);
  let n = 0;
  report("members", 0, total);
  await readChunked<{ id: number; anonymousReach: number }>(
    db,
    (after) =>
      sqltag`SELECT "id", "anonymousReach" FROM "User" WHERE "id" > ${after?.id ?? 0}
             ORDER BY "id" LIMIT ${chunkRows}`,
    (rows) => {
      for (const row of rows) {
        if (n === total) break;
        ids[n] = Number(row.id);
        anonymousReach[n++] = Number(row.anonymousReach);
      }
      report("members", n, total);
    },
  );
  return { members: denseIndex(ids.subarray(0, n)), anonymousReach: anonymousReach.subarray(0, n) };
}

/** Every member id as it is now, without the rest of the community (the scorer's erasure check). */
export async function loadMemberIds(db: Queryable): Promise<DenseIndex> {
  const ids: number[] = [];
  await readChunked<{ id: number }>(
    db,
    (after) =>
      sqltag`SELECT "id" FROM "User" WHERE "id" > ${after?.id ?? 0} ORDER BY "id" LIMIT ${chunkRows}`,
    (rows) => {
      for (const row of rows) ids.push(Number(row.id));
    },
  );
  return denseIndex(Int32Array.from(ids));
}

async function loadTopics(db: Queryable): Promise<DenseIndex> {
  const rows = await db.$queryRaw<{ id: number }[]>(sqltag`SELECT "id" FROM "Topic" ORDER BY "id"`);
  return denseIndex(Int32Array.from(rows, (row) => Number(row.id)));
}

async function loadFollows(db: Queryable, members: DenseIndex, report: LoadProgress) {
  const total = await count(db, sqltag`SELECT COUNT(*) AS n FROM "Follow"`);
  const follower = new Int32Array(total);
  const followee = new Int32Array(total);
  let n = 0;
  report("follows", 0, total);
  await readChunked<{ followerId: number; followeeId: number }>(
    db,
    (after) =>
      sqltag`SELECT "followerId", "followeeId" FROM "Follow"
             WHERE ("followerId", "followeeId") > (${after?.followerId ?? 0}, ${after?.followeeId ?? 0})
             ORDER BY "followerId", "followeeId" LIMIT ${chunkRows}`,
    (rows) => {
      for (const row of rows) {
        const a = members.indexOf(Number(row.followerId));
        const b = members.indexOf(Number(row.followeeId));
        if (a < 0 || b < 0 || n === total) continue;
        follower[n] = a;
        followee[n++] = b;
      }
      report("follows", n, total);
    },
  );
  return { follower: follower.subarray(0, n), followee: followee.subarray(0, n) };
}

const kindCode = new Map(interactionKindCodes.map((kind, code) => [kind as string, code]));

/** Only interactions between two members: a null side counts in anonymousReach alone. */
async function loadInteractions(db: Queryable, members: DenseIndex, report: LoadProgress) {
  const total = await count(
    db,
    sqltag`SELECT COUNT(*) AS n FROM "Interaction" WHERE "actorId" IS NOT NULL AND "targetId" IS NOT NULL`,
  );
  const actor = new Int32Array(total);
  const target = new Int32Array(total);
  const kind = new Uint8Array(total);
  const at = new Float64Array(total);
  let n = 0;
  report("interactions", 0, total);
  await readChunked<{ id: number; actorId: number; targetId: number; kind: string; occurredAt: unknown }>(
    db,
    (after) =>
      sqltag`SELECT "id", "actorId", "targetId", "kind", "occurredAt" FROM "Interaction"
             WHERE "id" > ${after?.id ?? 0} AND "actorId" IS NOT NULL AND "targetId" IS NOT NULL
             ORDER BY "id" LIMIT ${chunkRows}`,
    (rows) => {
      for (const row of rows) {
        const a = members.indexOf(Number(row.actorId));
        const b = members.indexOf(Number(row.targetId));
        const code = kindCode.get(row.kind);
        if (code === undefined) throw new Error(`Unknown interaction kind ${row.kind} (id ${row.id})`);
        if (a < 0 || b < 0 || n === total) continue;
        actor[n] = a;
        target[n] = b;
        kind[n] = code;
        at[n++] = toMs(row.occurredAt);
      }
      report("interactions", n, total);
    },
  );
  return {
    actor: actor.subarray(0, n),
    target: target.subarray(0, n),
    kind: kind.subarray(0, n),
    at: at.subarray(0, n),
  };
}

/** Endorsements in force (not revoked), with their ids kept aligned. */
async function loadEndorsements(
  db: Queryable,
  members: DenseIndex,
  topics: DenseIndex,
  report: LoadProgress,
) {
  const total = await count(db, sqltag`SELECT COUNT(*) AS n FROM "Endorsement" WHERE "revokedAt" IS NULL`);
  const ids = new Int32Array(total);
  const endorser = new Int32Array(total);
  const endorsee = new Int32Array(total);
  const topic = new Int32Array(total);
  const at = new Float64Array(total);
  let n = 0;
  report("endorsements", 0, total);
  await readChunked<{
    id: number;
    endorserId: number;
    endorseeId: number;
    topicId: number;
    createdAt: unknown;
  }>(
    db,
    (after) =>
      sqltag`SELECT "id", "endorserId", "endorseeId", "topicId", "createdAt" FROM "Endorsement"
             WHERE "id" > ${after?.id ?? 0} AND "revokedAt" IS NULL
             ORDER BY "id" LIMIT ${chunkRows}`,
    (rows) => {
      for (const row of rows) {
        const a = members.indexOf(Number(row.endorserId));
        const b = members.indexOf(Number(row.endorseeId));
        const k = topics.indexOf(Number(row.topicId));
        if (a < 0 || b < 0 || k < 0 || n === total) continue;
        ids[n] = Number(row.id);
        endorser[n] = a;
        endorsee[n] = b;
        topic[n] = k;
        at[n++] = toMs(row.createdAt);
      }
      report("endorsements", n, total);
    },
  );
  return {
    endorsementIds: ids.subarray(0, n),
    endorsements: {
      endorser: endorser.subarray(0, n),
      endorsee: endorsee.subarray(0, n),
      topic: topic.subarray(0, n),
      at: at.subarray(0, n),
    },
  };
}

/**
 * Loads the whole community. Run it inside `inSnapshot` so every table is read as of one moment;
 * rows that name a member or topic outside the snapshot are skipped all the same.
 */
export async function loadCommunity(
  db: Queryable,
  report: LoadProgress = () => {},
): Promise<LoadedCommunity> {
  const { members, anonymousReach } = await loadMembers(db, report);
  const topics = await loadTopics(db);
  const follows = await loadFollows(db, members, report);
  const interactions = await loadInteractions(db, members, report);
  const { endorsementIds, endorsements } = await loadEndorsements(db, members, topics, report);
  return {
    community: {
      memberCount: members.ids.length,
      topicCount: topics.ids.length,
      follows,
      interactions,
      endorsements,
    },
    members,
    topics,
    endorsementIds,
    anonymousReach,
  };
}

/** A read-only run of queries that all see the database as of one moment, on either provider. */
export function inSnapshot<T>(
  database: Pick<SqlDatabase, "sql" | "provider">,
  read: (db: Queryable) => Promise<T>,
): Promise<T> {
  return database.sql.$transaction(
    async (tx) => {
      // SQLite (WAL) already reads one snapshot per transaction; PostgreSQL's default is per statement.
      if (database.provider === "postgresql") {
        await tx.$executeRaw`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`;
      }
      return read(tx);
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}
