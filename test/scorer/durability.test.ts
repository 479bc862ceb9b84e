// Durable: the scorer applies events in order, records how far it got with its last write, and a
// stop or crash mid-stream replays the rest without losing or repeating anything. Subscribers hear
// of a change only once its history row is committed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { appendGraphEvent, pruneAppliedEvents } from "../../src/scorer/events.js";
import { loadCommunity } from "../../src/scorer/load.js";
import type { Scorer } from "../../src/scorer/scorer.js";
import type { ScoreChange } from "../../src/scorer/write.js";
import { defaultModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import {
  addMembers,
  checkpoint,
  follow,
  interact,
  lastEventId,
  now,
  type ScorerTestDatabase,
  scorerTestDatabase,
  storedScoreTolerance,
  testScorer,
  until,
} from "./fixtures.js";

let t: ScorerTestDatabase;
let db: Db;
const scorers: Scorer[] = [];

/** A scorer on a connection of its own, as the app gives it. */
async function scorer(options: Parameters<typeof testScorer>[1] = {}): Promise<Scorer> {
  const created = testScorer(await t.connectScorer(), {
    pollMs: 20,
    renewMs: 100,
    leaseMs: 2000,
    ...options,
  });
  scorers.push(created);
  return created;
}

/**
 * Every stored score agrees with a full recompute of the database as it is now: within the noise
 * floor plus the live state's drift allowance (a tenth of it), as incremental.ts states.
 */
async function expectScoresCurrent(): Promise<void> {
  const loaded = await loadCommunity(db);
  const { score } = recomputeAll(loaded.community, defaultModel, now);
  const stored = new Map((await db.score.findMany()).map((row) => [row.userId, row.value]));
  expect(stored.size).toBe(loaded.members.ids.length);
  loaded.members.ids.forEach((id, v) => {
    expect(Math.abs((stored.get(id) as number) - (score[v] as number))).toBeLessThan(storedScoreTolerance);
  });
}

/** Each member's first score is in history exactly once. */
async function expectOneFirstEntryEach(memberIds: number[]): Promise<void> {
  const history = await db.scoreHistory.findMany();
  for (const id of memberIds) {
    expect(history.filter((entry) => entry.userId === id && entry.delta === entry.value)).toHaveLength(1);
  }
}

beforeEach(async () => {
  t = await scorerTestDatabase();
  db = t.db;
});

afterEach(async () => {
  for (const s of scorers.splice(0)) await s.stop();
  await t.close();
});

describe("decay", () => {
  it("is recorded by a full run every interval, also while events keep the scorer busy", async () => {
    const ids = Object.values(await addMembers(db, ["a", "b", "c", "d"]));
    let fullRuns = 0;
    const s = await scorer({
      decayIntervalMs: 300,
      // Only a full run loads the community.
      onProgress: (phase, done) => {
        if (phase === "members" && done === 0) fullRuns++;
      },
    });
    await s.start();
    expect(fullRuns).toBe(1);
    const until = Date.now() + 1200;
    for (let i = 0; Date.now() < until; i++) {
      await interact(db, ids[i % 4] as number, ids[(i + 1) % 4] as number);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(fullRuns).toBeGreaterThanOrEqual(3);
    expect(await checkpoint(db)).toBeGreaterThan(0);
  });
});

describe("the event log", () => {
  it("loses applied events past the retention, never pending or recent ones", async () => {
    const [a, b, c] = Object.values(await addMembers(db, ["a", "b", "c"])) as [number, number, number];
    const old = await follow(db, a, b);
    await db.graphEvent.update({
      where: { id: old },
      data: { createdAt: new Date(Date.now() - 3 * 86_400_000) },
    });
    const recent = await follow(db, b, c);
    const s = await scorer({ eventRetentionMs: 86_400_000 });
    await s.start();
    expect(await checkpoint(db)).toBe(recent);
    // Applied and old: gone. Applied but recent: kept.
    expect((await db.graphEvent.findMany()).map((event) => event.id)).toEqual([recent]);

    // Pending events stay, however old, until applied.
    await s.stop();
    const pending = await follow(db, c, a);
    await db.graphEvent.update({
      where: { id: pending },
      data: { createdAt: new Date(Date.now() - 3 * 86_400_000) },
    });
    expect(await pruneAppliedEvents(db, new Date())).toBe(1);
    expect((await db.graphEvent.findMany()).map((event) => event.id)).toEqual([pending]);
  });
});

describe("the checkpoint", () => {
  it("follows the events the running scorer applies, and a restart picks up the rest", async () => {
    const ids = Object.values(await addMembers(db, ["a", "b", "c", "d", "e", "f"]));
    const [a, b, c, d, e, f] = ids as [number, number, number, number, number, number];
    const first = await scorer();
    await first.start();
    expect(await checkpoint(db)).toBe(0);

    await follow(db, a, b);
    await follow(db, c, b);
    await until(async () => (await checkpoint(db)) === (await lastEventId(db)));
    await first.stop();

    await follow(db, d, e);
    await follow(db, f, e);
    await follow(db, b, a);
    expect(await checkpoint(db)).toBeLessThan(await lastEventId(db));

    const second = await scorer();
    await second.start();
    expect(await checkpoint(db)).toBe(await lastEventId(db));
    await expectScoresCurrent();
    await expectOneFirstEntryEach(ids);
    const activity = await db.scoreHistory.findMany({ where: { reason: "ACTIVITY" } });
    expect(activity.filter((entry) => entry.userId === e)).toHaveLength(1);
  });

  it("is not advanced by a run cut short between batches, which the next scorer replays", async () => {
    const ids = Object.values(await addMembers(db, ["a", "b", "c", "d", "e", "f", "g"]));
    for (let i = 1; i < ids.length; i++) await follow(db, ids[i] as number, ids[0] as number);
    const batches: ScoreChange[][] = [];
    const cut: Scorer = await scorer({
      batchSize: 2,
      onScoresChanged(changes) {
        batches.push(changes);
        // Stopping between batches stands in for a crash there: the rest must wait for a successor.
        void cut.stop();
      },
    });
    await cut.start();
    await cut.stop();
    expect(batches).toHaveLength(1);
    expect(await db.score.count()).toBe(2);
    expect(await checkpoint(db)).toBe(0);

    await follow(db, ids[0] as number, ids[6] as number);
    const successor = await scorer({ batchSize: 2 });
    await successor.start();
    expect(await checkpoint(db)).toBe(await lastEventId(db));
    await expectScoresCurrent();
    await expectOneFirstEntryEach(ids);
  });

  it("reads events appended through appendGraphEvent, in the writer's transaction", async () => {
    const { a, b } = await addMembers(db, ["a", "b"]);
    await db.$transaction(async (tx) => {
      await tx.follow.create({ data: { followerId: a as number, followeeId: b as number } });
      await appendGraphEvent(tx, t.database.provider, { kind: "FOLLOW", actorId: a, subjectId: b });
    });
    const s = await scorer();
    expect(await s.acquireLease()).toBe(true);
    expect(await s.applyPendingEvents()).toMatchObject({ events: 1, checkpoint: await lastEventId(db) });
    expect(await db.scoreHistory.findFirst({ where: { userId: b as number } })).toMatchObject({
      reason: "ACTIVITY",
    });
  });
});

describe("onScoresChanged", () => {
  it("is called after the history rows are committed and visible to other connections", async () => {
    const observer = (await t.connect()).prisma;
    const { a, b } = await addMembers(db, ["a", "b", "c"]);
    const seen: { changes: ScoreChange[]; visible: number[] }[] = [];
    const s = await scorer({
      batchSize: 1,
      async onScoresChanged(changes) {
        const ids = changes.map((change) => change.historyId);
        const rows = await observer.scoreHistory.findMany({ where: { id: { in: ids } } });
        seen.push({ changes, visible: rows.map((row) => row.id) });
      },
    });
    await s.start();
    await follow(db, a as number, b as number);
    await until(async () => (await checkpoint(db)) === (await lastEventId(db)));
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const { changes, visible } of seen) {
      expect(visible.sort()).toEqual(changes.map((change) => change.historyId).sort());
      for (const change of changes) {
        expect(change.delta).toBeCloseTo(change.new - (change.old ?? 0), 12);
        expect(change.modelVersion).toBe(1);
      }
    }
    const followed = seen.flatMap(({ changes }) => changes).find((c) => c.userId === b && c.old !== null);
    expect(followed).toMatchObject({ reason: "ACTIVITY" });
  });
});
