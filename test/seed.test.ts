// The seeded demo community: counts, the rules every row must respect, a skewed network, and
// determinism, on a fresh migrated database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { connectDatabase, type Database } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { demoAdminHandle, type SeedSummary, seedCommunity, seedDemoIfEmpty } from "../src/seed/community.js";
import { handlePattern } from "../src/services/validation.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

const members = 300;
const seed = 42;
const now = new Date();
const dayMs = 24 * 60 * 60 * 1000;

interface Seeded {
  testDatabase: TestDatabase;
  database: Database;
}

async function freshDatabase(): Promise<Seeded> {
  const testDatabase = await createTestDatabase();
  await migrate(testDatabase.url);
  const database = await connectDatabase(loadConfig({ DATABASE_URL: testDatabase.url }));
  return { testDatabase, database };
}

async function dispose(seeded: Seeded | undefined): Promise<void> {
  await seeded?.database.close();
  await seeded?.testDatabase.drop();
}

const handlesOf = async (seeded: Seeded) =>
  (await seeded.database.prisma.user.findMany({ orderBy: { id: "asc" }, select: { handle: true } })).map(
    (user) => user.handle,
  );

describe("seedCommunity", () => {
  let seeded: Seeded;
  let summary: SeedSummary;
  const progress: [string, number, number][] = [];

  beforeAll(async () => {
    seeded = await freshDatabase();
    summary = await seedCommunity(seeded.database.prisma, {
      members,
      seed,
      now,
      onProgress: (phase, done, total) => progress.push([phase, done, total]),
    });
  });

  afterAll(() => dispose(seeded));

  const db = () => seeded.database.prisma;

  it("writes the counts it reports, in the expected ranges", async () => {
    const counts = {
      members: await db().user.count(),
      topics: await db().topic.count(),
      follows: await db().follow.count(),
      interactions: await db().interaction.count(),
      endorsements: await db().endorsement.count(),
    };
    expect(counts).toEqual({
      members: summary.members,
      topics: summary.topics,
      follows: summary.follows,
      interactions: summary.interactions,
      endorsements: summary.endorsements,
    });
    expect(counts.members).toBe(members);
    expect(counts.topics).toBe(8);
    expect(counts.follows / members).toBeGreaterThan(7);
    expect(counts.follows / members).toBeLessThan(13);
    expect(counts.interactions / members).toBeGreaterThan(3.5);
    expect(counts.interactions / members).toBeLessThan(7);
    expect(counts.endorsements / members).toBeGreaterThan(0.5);
    expect(counts.endorsements / members).toBeLessThan(4);
    expect(summary.anonymousInteractions / summary.interactions).toBeGreaterThan(0.01);
    expect(summary.anonymousInteractions / summary.interactions).toBeLessThan(0.06);
  });

  it("reports progress for each phase, ending at its total", () => {
    const phases = [...new Set(progress.map(([phase]) => phase))];
    expect(phases).toEqual(["topics", "planning", "members", "follows", "interactions", "endorsements"]);
    for (const phase of phases) {
      const last = progress.filter(([name]) => name === phase).at(-1);
      expect(last?.[1]).toBe(last?.[2]);
    }
  });

  it("gives members valid, unique handles, one admin and a mix of score visibilities", async () => {
    const users = await db().user.findMany({ select: { handle: true, role: true, scoreVisibility: true } });
    for (const user of users) expect(user.handle).toMatch(handlePattern);
    expect(new Set(users.map((user) => user.handle)).size).toBe(users.length);
    expect(users.filter((user) => user.role === "ADMIN").map((user) => user.handle)).toEqual([
      demoAdminHandle,
    ]);
    const share = (visibility: string) =>
      users.filter((u) => u.scoreVisibility === visibility).length / users.length;
    expect(share("PUBLIC")).toBeGreaterThan(0.3);
    expect(share("PUBLIC")).toBeLessThan(0.5);
    expect(share("MEMBERS")).toBeGreaterThan(0.1);
    expect(share("MEMBERS")).toBeLessThan(0.3);
  });

  it("builds a follow network with hubs and a long tail, and no self-follows", async () => {
    const follows = await db().follow.findMany();
    expect(follows.filter((f) => f.followerId === f.followeeId)).toEqual([]);
    const inDegree = new Map<number, number>();
    for (const user of await db().user.findMany({ select: { id: true } })) inDegree.set(user.id, 0);
    for (const f of follows) inDegree.set(f.followeeId, (inDegree.get(f.followeeId) ?? 0) + 1);
    const degrees = [...inDegree.values()].sort((a, b) => b - a);
    const median = degrees[Math.floor(degrees.length / 2)] as number;
    const topPercent = degrees.slice(0, Math.ceil(degrees.length / 100)).reduce((sum, d) => sum + d, 0);
    // The top 1% hold at least five times their headcount's share of all follows.
    expect(topPercent / follows.length).toBeGreaterThan(0.05);
    expect(degrees[0]).toBeGreaterThan(8 * Math.max(1, median));
  });

  it("keeps non-members anonymous and counts them in anonymousReach", async () => {
    const interactions = await db().interaction.findMany();
    expect(interactions.filter((i) => i.actorId === null && i.targetId === null)).toEqual([]);
    const anonymous = interactions.filter((i) => i.actorId === null || i.targetId === null);
    expect(anonymous.length).toBe(summary.anonymousInteractions);
    const expected = new Map<number, number>();
    for (const i of anonymous) {
      const member = (i.actorId ?? i.targetId) as number;
      expected.set(member, (expected.get(member) ?? 0) + 1);
    }
    const users = await db().user.findMany({ where: { anonymousReach: { gt: 0 } } });
    expect(new Map(users.map((user) => [user.id, user.anonymousReach]))).toEqual(expected);
  });

  it("aims interactions mostly at followed members, within the last 90 days", async () => {
    const interactions = await db().interaction.findMany();
    const follows = new Set((await db().follow.findMany()).map((f) => `${f.followerId}>${f.followeeId}`));
    const between = interactions.filter((i) => i.actorId !== null && i.targetId !== null);
    expect(between.filter((i) => i.actorId === i.targetId)).toEqual([]);
    const toFollowed = between.filter((i) => follows.has(`${i.actorId}>${i.targetId}`)).length;
    expect(toFollowed / between.length).toBeGreaterThan(0.7);
    for (const i of interactions) {
      expect(i.occurredAt.getTime()).toBeGreaterThanOrEqual(now.getTime() - 90 * dayMs);
      expect(i.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    expect(new Set(interactions.map((i) => i.key)).size).toBe(interactions.length);
    const likes = interactions.filter((i) => i.kind === "LIKE").length;
    expect(likes / interactions.length).toBeGreaterThan(0.4);
  });

  it("respects the endorsement rules", async () => {
    const endorsements = await db().endorsement.findMany();
    expect(endorsements.filter((e) => e.endorserId === e.endorseeId)).toEqual([]);
    const triples = endorsements.map((e) => `${e.endorserId}>${e.endorseeId}@${e.topicId}`);
    expect(new Set(triples).size).toBe(endorsements.length);
    const perDay = new Map<string, number>();
    for (const e of endorsements) {
      const key = `${e.endorserId}@${e.createdAt.toISOString().slice(0, 10)}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
      expect(e.createdAt.getTime()).toBeGreaterThanOrEqual(now.getTime() - 90 * dayMs);
    }
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(5);
    expect(endorsements.some((e) => e.note !== null)).toBe(true);
  });

  it("favours well-followed members when endorsing", async () => {
    const received = await db().user.findMany({
      select: { _count: { select: { followers: true, endorsementsReceived: true } } },
    });
    const ranked = received.map((u) => u._count).sort((a, b) => b.followers - a.followers);
    const tenth = Math.ceil(ranked.length / 10);
    const endorsementsOf = (rows: typeof ranked) => rows.reduce((sum, r) => sum + r.endorsementsReceived, 0);
    expect(endorsementsOf(ranked.slice(0, tenth))).toBeGreaterThan(endorsementsOf(ranked.slice(-tenth)) * 3);
  });
});

describe("seedDemoIfEmpty", () => {
  let seeded: Seeded | undefined;
  let again: Seeded | undefined;

  afterAll(async () => {
    await dispose(seeded);
    await dispose(again);
  });

  it("seeds the demo community into an empty database, the same for the same seed", async () => {
    seeded = await freshDatabase();
    again = await freshDatabase();
    const first = await seedDemoIfEmpty(seeded.database.prisma, { seed, now });
    const second = await seedDemoIfEmpty(again.database.prisma, { seed, now });
    expect(first?.members).toBe(members);
    expect(second && { ...second, seconds: 0 }).toEqual(first && { ...first, seconds: 0 });
    expect(await handlesOf(again)).toEqual(await handlesOf(seeded));
  });

  it("does nothing when there are members", async () => {
    const db = (seeded as Seeded).database.prisma;
    const before = await db.user.count();
    expect(await seedDemoIfEmpty(db, { seed })).toBeNull();
    expect(await db.user.count()).toBe(before);
  });

  it("adds to an existing community without colliding handles or keys", async () => {
    const db = (seeded as Seeded).database.prisma;
    const summary = await seedCommunity(db, { members, seed });
    expect(summary.members).toBe(members);
    const handles = await handlesOf(seeded as Seeded);
    expect(handles).toHaveLength(2 * members);
    expect(new Set(handles).size).toBe(handles.length);
    expect(await db.user.count({ where: { role: "ADMIN" } })).toBe(1);
    expect(await db.interaction.count()).toBeGreaterThan(summary.interactions);
  });
});
