// A migrated throwaway database for scorer tests, and terse ways to add members, edges and the
// graph events that announce them, straight through Prisma.
import { loadConfig } from "../../src/config.js";
import { connectDatabase, type Database, type Db } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { connectSqlDatabase, type SqlDatabase } from "../../src/db/sql-client.js";
import { createLogger } from "../../src/logger.js";
import type { Cause } from "../../src/scorer/causes.js";
import { createScorer, type Scorer, type ScorerOptions } from "../../src/scorer/scorer.js";
import { defaultModel, type ModelParameters } from "../../src/scoring/model.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

export const day = 24 * 60 * 60 * 1000;
/** Every scorer in these tests sees the same moment, so runs are reproducible. */
export const now = Date.UTC(2026, 10, 1);

/**
 * How far a stored score may be from a full recompute of the database as it is: the noise floor,
 * plus the live state's drift allowance (a tenth of the floor) and its accuracy (30ε, ε = 1e-3);
 * see src/scoring/incremental.ts.
 */
export const storedScoreTolerance = defaultModel.noiseFloor * 1.1 + 0.03;

export interface ScorerTestDatabase {
  testDatabase: TestDatabase;
  database: Database;
  db: Db;
  /** A scorer's connection, as the server opens one (connectSqlDatabase: without Prisma). */
  scorerDatabase: SqlDatabase;
  /** Another connection to the same database (an outside observer). */
  connect(): Promise<Database>;
  /** Another scorer's connection. */
  connectScorer(): Promise<SqlDatabase>;
  close(): Promise<void>;
}

export async function scorerTestDatabase(): Promise<ScorerTestDatabase> {
  const testDatabase = await createTestDatabase();
  await migrate(testDatabase.url);
  const config = loadConfig({ DATABASE_URL: testDatabase.url, DATABASE_POOL_SIZE: "3" });
  const connections: { close(): Promise<void> }[] = [];
  const connect = async () => {
    const connection = await connectDatabase(config);
    connections.push(connection);
    return connection;
  };
  const connectScorer = async () => {
    const connection = await connectSqlDatabase(config);
    connections.push(connection);
    return connection;
  };
  const database = await connect();
  return {
    testDatabase,
    database,
    db: database.prisma,
    scorerDatabase: await connectScorer(),
    connect,
    connectScorer,
    async close() {
      for (const connection of connections) await connection.close();
      await testDatabase.drop();
    },
  };
}

export function testScorer(database: SqlDatabase, options: Partial<ScorerOptions> = {}): Scorer {
  return createScorer({
    database,
    logger: createLogger((process.env.SCORER_TEST_LOG as "silent") ?? "silent"),
    now: () => now,
    ...options,
  });
}

export async function addMembers(db: Db, handles: string[]): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const handle of handles) {
    const user = await db.user.create({ data: { handle, name: handle, passwordHash: "x" } });
    ids[handle] = user.id;
  }
  return ids;
}

export async function addTopic(db: Db, slug: string): Promise<number> {
  return (await db.topic.create({ data: { slug, name: slug } })).id;
}

/** Follows without events, as the seeder writes them. */
export async function addFollows(db: Db, pairs: [number, number][]): Promise<void> {
  await db.follow.createMany({
    data: pairs.map(([followerId, followeeId]) => ({
      followerId,
      followeeId,
      createdAt: new Date(now - day),
    })),
  });
}

export async function follow(db: Db, followerId: number, followeeId: number): Promise<number> {
  await db.follow.create({ data: { followerId, followeeId, createdAt: new Date(now) } });
  const event = await db.graphEvent.create({
    data: { kind: "FOLLOW", actorId: followerId, subjectId: followeeId },
  });
  return event.id;
}

export async function interact(
  db: Db,
  actorId: number | null,
  targetId: number | null,
  kind: "MENTION" | "REPLY" | "SHARE" | "LIKE" = "SHARE",
  daysAgo = 0,
): Promise<number> {
  const interaction = await db.interaction.create({
    data: { key: `k-${Math.random()}`, kind, actorId, targetId, occurredAt: new Date(now - daysAgo * day) },
  });
  const event = await db.graphEvent.create({
    data: { kind: "INTERACTION", actorId, subjectId: targetId, refId: interaction.id },
  });
  return event.id;
}

export async function endorse(
  db: Db,
  endorserId: number,
  endorseeId: number,
  topicId: number,
): Promise<{ endorsementId: number; eventId: number }> {
  const endorsement = await db.endorsement.create({
    data: { endorserId, endorseeId, topicId, createdAt: new Date(now) },
  });
  const event = await db.graphEvent.create({
    data: { kind: "ENDORSE", actorId: endorserId, subjectId: endorseeId, refId: endorsement.id },
  });
  return { endorsementId: endorsement.id, eventId: event.id };
}

export async function revoke(db: Db, endorsementId: number): Promise<number> {
  const endorsement = await db.endorsement.update({
    where: { id: endorsementId },
    data: { revokedAt: new Date(now) },
  });
  const event = await db.graphEvent.create({
    data: {
      kind: "REVOKE_ENDORSEMENT",
      actorId: endorsement.endorserId,
      subjectId: endorsement.endorseeId,
      refId: endorsementId,
    },
  });
  return event.id;
}

/** Makes `parameters` the active model, retiring the others. */
export async function activateModel(db: Db, version: number, parameters: Partial<ModelParameters>) {
  await db.scoringModel.updateMany({ where: { status: "ACTIVE" }, data: { status: "RETIRED" } });
  await db.scoringModel.create({
    data: { version, parameters: { ...parameters, version }, status: "ACTIVE", activatedAt: new Date(now) },
  });
}

export async function checkpoint(db: Db): Promise<number> {
  return (await db.scorerState.findUnique({ where: { id: "main" } }))?.lastEventId ?? 0;
}

export async function lastEventId(db: Db): Promise<number> {
  return (await db.graphEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Causes as the scorer stores them, for expectations. */
export const memberCause = (memberId: number, share: number): Cause => ({
  kind: "MEMBER",
  share,
  memberId,
  endorsementId: null,
  topicId: null,
});
export const endorsementCause = (endorsementId: number, share: number, topicId = 1): Cause => ({
  kind: "ENDORSEMENT",
  share,
  memberId: null,
  endorsementId,
  topicId,
});
export const remainderCause = (share: number): Cause => ({
  kind: "REMAINDER",
  share,
  memberId: null,
  endorsementId: null,
  topicId: null,
});
