// Seeds a believable demo community (its shape is planned in plan.ts) with bulk inserts that work
// on SQLite and PostgreSQL. No scores are written: the scorer computes them from these tables.
import { hashPassword } from "../auth/password.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import type { Prisma } from "../generated/prisma/sqlite/client.js";
import { insertRows, insertRowsReturning, type Table } from "./bulk.js";
import { type CommunityPlan, demoAdminHandle, planCommunity } from "./plan.js";
import { demoTopics } from "./vocabulary.js";

export { demoAdminHandle };

/**
 * Every seeded member, demo_admin included, logs in with this one public password, so a seeded
 * database is for demos and development only.
 */
export const demoPassword = "sway-demo-password";

/** How many members `seedDemoIfEmpty` creates. */
export const demoMemberCount = 300;

export const defaultSeed = 1;

export type SeedProgress = (phase: string, done: number, total: number) => void;

export interface SeedOptions {
  members: number;
  seed?: number;
  onProgress?: SeedProgress;
  /** The moment the generated activity leads up to; defaults to now. */
  now?: Date;
}

export interface SeedSummary {
  members: number;
  topics: number;
  follows: number;
  interactions: number;
  endorsements: number;
  /** Interactions whose other side is not a member (counted in anonymousReach, never named). */
  anonymousInteractions: number;
  seconds: number;
}

/** Rows per transaction: big enough to make commits rare, small enough for steady progress. */
const chunkRows = 10_000;

type Insert = (from: number, to: number) => Promise<unknown>;

async function insertInChunks(
  phase: string,
  total: number,
  report: SeedProgress,
  insert: Insert,
): Promise<void> {
  report(phase, 0, total);
  for (let from = 0; from < total; from += chunkRows) {
    const to = Math.min(total, from + chunkRows);
    await insert(from, to);
    report(phase, to, total);
  }
}

async function upsertTopics(db: Db, report: SeedProgress): Promise<number[]> {
  const ids: number[] = [];
  report("topics", 0, demoTopics.length);
  for (const { slug, name } of demoTopics) {
    const topic = await db.topic.upsert({
      where: { slug },
      create: { slug, name },
      update: {},
      select: { id: true },
    });
    ids.push(topic.id);
    report("topics", ids.length, demoTopics.length);
  }
  return ids;
}

async function existingHandles(db: Db): Promise<Set<string>> {
  const users = await db.user.findMany({ select: { handle: true } });
  return new Set(users.map((user) => user.handle));
}

const userTable: Table<Prisma.UserCreateManyInput> = {
  name: "User",
  columns: [
    "handle",
    "name",
    "bio",
    "passwordHash",
    "role",
    "scoreVisibility",
    "anonymousReach",
    "createdAt",
    "updatedAt",
  ],
};
const followTable: Table<Prisma.FollowCreateManyInput> = {
  name: "Follow",
  columns: ["followerId", "followeeId", "createdAt"],
};
const interactionTable: Table<Prisma.InteractionCreateManyInput> = {
  name: "Interaction",
  columns: ["key", "kind", "actorId", "targetId", "occurredAt", "createdAt"],
};
const endorsementTable: Table<Prisma.EndorsementCreateManyInput> = {
  name: "Endorsement",
  columns: ["endorserId", "endorseeId", "topicId", "note", "createdAt"],
};

/** Inserts the members and returns their database ids, by plan index. */
async function insertMembers(db: Db, plan: CommunityPlan, report: SeedProgress): Promise<Int32Array> {
  const passwordHash = await hashPassword(demoPassword);
  const indexOf = new Map(plan.members.map((member, i) => [member.handle, i]));
  const ids = new Int32Array(plan.members.length);
  await insertInChunks("members", plan.members.length, report, async (from, to) => {
    const rows = plan.members.slice(from, to).map((member) => ({
      handle: member.handle,
      name: member.name,
      bio: member.bio,
      passwordHash,
      role: member.role,
      scoreVisibility: member.scoreVisibility,
      anonymousReach: member.anonymousReach,
      createdAt: new Date(member.joinedAt),
      updatedAt: new Date(member.joinedAt),
    }));
    const inserted = await insertRowsReturning<
      Prisma.UserCreateManyInput,
      { id: number | bigint; handle: string }
    >(db, userTable, rows, ["id", "handle"]);
    for (const row of inserted) ids[indexOf.get(row.handle) as number] = Number(row.id);
  });
  return ids;
}

function insertFollows(db: Db, plan: CommunityPlan, ids: Int32Array, report: SeedProgress): Promise<void> {
  const { follower, followee, at } = plan.follows;
  return insertInChunks("follows", follower.length, report, (from, to) =>
    insertRows(
      db,
      followTable,
      Array.from({ length: to - from }, (_, k) => ({
        followerId: ids[follower[from + k] as number] as number,
        followeeId: ids[followee[from + k] as number] as number,
        createdAt: new Date(at[from + k] as number),
      })),
    ),
  );
}

/** Keys are `seed-<seed>-<first new member id>-<n>`: ids are never reused, so runs never collide. */
function insertInteractions(
  db: Db,
  plan: CommunityPlan,
  ids: Int32Array,
  seed: number,
  report: SeedProgress,
) {
  const prefix = `seed-${seed}-${ids.reduce((min, id) => Math.min(min, id), Number.MAX_SAFE_INTEGER)}-`;
  const idOf = (index: number) => (index < 0 ? null : (ids[index] as number));
  return insertInChunks("interactions", plan.interactions.length, report, (from, to) =>
    insertRows(
      db,
      interactionTable,
      plan.interactions.slice(from, to).map((interaction, k) => ({
        key: `${prefix}${from + k}`,
        kind: interaction.kind,
        actorId: idOf(interaction.actor),
        targetId: idOf(interaction.target),
        occurredAt: new Date(interaction.at),
        createdAt: new Date(interaction.at),
      })),
    ),
  );
}

function insertEndorsements(
  db: Db,
  plan: CommunityPlan,
  ids: Int32Array,
  topicIds: number[],
  report: SeedProgress,
) {
  return insertInChunks("endorsements", plan.endorsements.length, report, (from, to) =>
    insertRows(
      db,
      endorsementTable,
      plan.endorsements.slice(from, to).map((endorsement) => ({
        endorserId: ids[endorsement.endorser] as number,
        endorseeId: ids[endorsement.endorsee] as number,
        topicId: topicIds[endorsement.topic] as number,
        note: endorsement.note,
        createdAt: new Date(endorsement.at),
      })),
    ),
  );
}

function checkOptions(options: SeedOptions): void {
  if (!Number.isInteger(options.members) || options.members < 1) {
    throw new RangeError(`members must be a positive integer, got ${options.members}`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new RangeError(`seed must be an integer, got ${options.seed}`);
  }
}

/**
 * Adds `members` demo members with follows, interactions and endorsements, the same for the same
 * seed. Handles already in the database are avoided, so it can add to an existing community.
 */
export async function seedCommunity(db: Db, options: SeedOptions): Promise<SeedSummary> {
  checkOptions(options);
  const started = performance.now();
  const seed = options.seed ?? defaultSeed;
  const report = options.onProgress ?? (() => {});
  const topicIds = await upsertTopics(db, report);
  const now = (options.now ?? new Date()).getTime();
  report("planning", 0, 1);
  const plan = planCommunity(options.members, seed, now, await existingHandles(db));
  report("planning", 1, 1);
  const ids = await insertMembers(db, plan, report);
  await insertFollows(db, plan, ids, report);
  await insertInteractions(db, plan, ids, seed, report);
  await insertEndorsements(db, plan, ids, topicIds, report);
  return {
    members: plan.members.length,
    topics: topicIds.length,
    follows: plan.follows.follower.length,
    interactions: plan.interactions.length,
    endorsements: plan.endorsements.length,
    anonymousInteractions: plan.interactions.filter((i) => i.actor < 0 || i.target < 0).length,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}

/**
 * Seeds the demo community (300 members unless told otherwise) when there are no members yet.
 * When several instances start on one empty database, the one that loses the race gets null: its
 * members go in one transaction, which a taken handle rolls back whole.
 */
export async function seedDemoIfEmpty(
  db: Db,
  options: Partial<SeedOptions> = {},
): Promise<SeedSummary | null> {
  if ((await db.user.count()) > 0) return null;
  try {
    return await seedCommunity(db, { ...options, members: options.members ?? demoMemberCount });
  } catch (error) {
    if (isUniqueViolation(error) && (await db.user.count()) > 0) return null;
    throw error;
  }
}
