// The scorer's bulk write: whatever the source says is what the tables hold afterwards, bit for
// bit — scores and breakdowns, explanations (rewritten rank by rank, shorter, longer, renamed, or
// with a gap an erasure left), topic expertise, history and its causes — on either database.
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import type { SqlDatabase } from "../../src/db/sql-client.js";
import type { Cause } from "../../src/scorer/causes.js";
import { createLease, type Lease } from "../../src/scorer/lease.js";
import type { Queryable } from "../../src/scorer/load.js";
import { reasonsFor } from "../../src/scorer/reasons.js";
import {
  minConcurrentBatch,
  type ScoreChange,
  type ScoreSource,
  writeChanges,
} from "../../src/scorer/write.js";
import { defaultModel } from "../../src/scoring/model.js";
import { testPostgresUrl } from "../support/database.js";
import {
  addMembers,
  addTopic,
  memberCause as member,
  now,
  remainderCause as remainder,
  type ScorerTestDatabase,
  scorerTestDatabase,
} from "./fixtures.js";

interface Member {
  userId: number;
  score: number;
  raw: number;
  network: number;
  endorsement: number;
  topics: { topicId: number; value: number }[];
  causes: Cause[];
}

function sourceOf(members: Member[]): ScoreSource {
  return {
    userId: (v) => (members[v] as Member).userId,
    score: (v) => (members[v] as Member).score,
    raw: (v) => (members[v] as Member).raw,
    components: (v) => ({
      network: (members[v] as Member).network,
      endorsement: (members[v] as Member).endorsement,
    }),
    topicScores: (v) => (members[v] as Member).topics,
    explanation: (v) => (members[v] as Member).causes,
  };
}

describe("writeChanges", () => {
  let t: ScorerTestDatabase;
  let db: Db;
  /** The scorer's kind of connection, which writes; `db` (Prisma) arranges and checks. */
  let database: SqlDatabase;
  let lease: Lease;
  let ids: Record<string, number>;
  let topic: number;
  let endorsementId: number;

  beforeAll(async () => {
    t = await scorerTestDatabase();
    database = t.scorerDatabase;
    db = t.db;
    ids = await addMembers(db, ["ann", "bob", "cy", "dee", "eve", "fay"]);
    topic = await addTopic(db, "rust");
    endorsementId = (
      await db.endorsement.create({
        data: {
          endorserId: ids.bob as number,
          endorseeId: ids.ann as number,
          topicId: topic,
          createdAt: new Date(now),
        },
      })
    ).id;
    await db.user.update({ where: { id: ids.cy as number }, data: { anonymousReach: 7 } });
    // Visibility travels with each change (the publisher authorizes events by it).
    await db.user.update({ where: { id: ids.dee as number }, data: { scoreVisibility: "PUBLIC" } });
    await db.user.update({ where: { id: ids.ann as number }, data: { scoreVisibility: "MEMBERS" } });
    lease = createLease({
      db: database.sql,
      holderId: "write-test",
      ttlMs: 60_000,
      now: Date.now,
      provider: database.provider,
    });
    expect(await lease.acquire()).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await lease.release();
    await t.close();
  });

  /** The changes each write reported as committed (what the publisher is given). */
  let committed: ScoreChange[] = [];
  const write = (members: Member[], batchSize = 2, at = new Date(now)) => {
    committed = [];
    return writeChanges(
      database,
      sourceOf(members),
      members.map((_, v) => v),
      { ...defaultModel, version: 1 },
      {
        batchSize,
        now: at,
        reasonOf: reasonsFor({ kind: "decay" }),
        beforeBatch: (tx) => lease.fence(tx, lease.term),
        onCommitted: async (changes) => {
          committed.push(...changes);
        },
      },
    );
  };

  async function expectStored(members: Member[], at: Date) {
    for (const m of members) {
      const score = await db.score.findUniqueOrThrow({ where: { userId: m.userId } });
      expect(score.value).toBe(m.score);
      expect(score.raw).toBe(m.raw);
      expect(score.modelVersion).toBe(1);
      expect(score.updatedAt.getTime()).toBe(at.getTime());
      const reach = (await db.user.findUniqueOrThrow({ where: { id: m.userId } })).anonymousReach;
      expect(score.breakdown).toEqual({
        network: m.network,
        endorsement: m.endorsement,
        raw: m.raw,
        anonymousReach: reach,
      });
      const contributions = await db.scoreContribution.findMany({
        where: { userId: m.userId },
        orderBy: { rank: "asc" },
      });
      expect(
        contributions.map(({ rank, kind, share, contributorId, endorsementId, topicId }) => ({
          rank,
          cause: { kind, share, memberId: contributorId, endorsementId, topicId },
        })),
      ).toEqual(m.causes.map((cause, r) => ({ rank: r + 1, cause })));
      const topics = await db.topicScore.findMany({
        where: { userId: m.userId },
        orderBy: { topicId: "asc" },
      });
      expect(
        topics.map(({ topicId, value, updatedAt }) => ({ topicId, value, at: updatedAt.getTime() })),
      ).toEqual(m.topics.map(({ topicId, value }) => ({ topicId, value, at: at.getTime() })));
    }
  }

  /** Each change as its history row and causes hold it: the change carries the row's own causes. */
  async function expectHistory(changes: ScoreChange[], at: Date) {
    for (const change of changes) {
      const entry = await db.scoreHistory.findUniqueOrThrow({
        where: { id: change.historyId },
        include: { causes: { orderBy: { rank: "asc" } } },
      });
      expect(entry).toMatchObject({
        userId: change.userId,
        value: change.new,
        delta: change.delta,
        reason: change.reason,
        modelVersion: 1,
      });
      expect(entry.createdAt.getTime()).toBe(at.getTime());
      expect(change.createdAt.getTime()).toBe(at.getTime());
      const owner = await db.user.findUniqueOrThrow({ where: { id: change.userId } });
      expect(change.visibility).toBe(owner.scoreVisibility);
      expect(entry.causes.length).toBeGreaterThan(0);
      expect(entry.causes.map((c) => c.rank)).toEqual(entry.causes.map((_, r) => r + 1));
      expect(entry.causes.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 9);
      expect(
        entry.causes.map(({ kind, share, memberId, endorsementId, topicId }) => ({
          kind,
          share,
          memberId,
          endorsementId,
          topicId,
        })),
      ).toEqual(change.causes);
    }
  }

  it("records exactly the source's rows, then only what changed on a second write", async () => {
    const id = (handle: string) => ids[handle] as number;
    const first: Member[] = [
      {
        userId: id("ann"),
        score: 71 + 1 / 3,
        raw: 1.2345678901234567e-4,
        network: 1.5,
        endorsement: 0.1 + 0.2,
        topics: [{ topicId: topic, value: 33.333333333333336 }],
        causes: [
          member(id("bob"), 0.5),
          { kind: "ENDORSEMENT", share: 0.25, memberId: id("bob"), endorsementId, topicId: topic },
          member(id("cy"), 1 / 7),
          remainder(1 - 0.5 - 0.25 - 1 / 7),
        ],
      },
      {
        userId: id("bob"),
        score: 12.5,
        raw: 2e-9,
        network: 0,
        endorsement: 0,
        topics: [],
        causes: [member(id("ann"), 0.9), remainder(0.1)],
      },
      {
        userId: id("cy"),
        score: 1,
        raw: 1e-300,
        network: 3,
        endorsement: 1,
        topics: [],
        causes: [member(id("dee"), 0.5), member(id("eve"), 0.25), remainder(0.25)],
      },
      {
        userId: id("dee"),
        score: 100,
        raw: 0.5,
        network: 2,
        endorsement: 0,
        topics: [],
        causes: [member(id("eve"), 0.6), member(id("fay"), 0.3), remainder(0.1)],
      },
    ];
    const at = new Date(now);
    const summary = await write(first, 3, at);
    expect(summary.changed).toBe(4);
    await expectStored(first, at);
    const history = await db.scoreHistory.findMany({ orderBy: { id: "asc" } });
    expect(history.map((h) => [h.userId, h.value, h.delta, h.reason])).toEqual(
      first.map((m) => [m.userId, m.score, m.score, "NETWORK"]),
    );
    expect(committed.map((c) => c.historyId)).toEqual(history.map((h) => h.id));
    await expectHistory(committed, at);

    // An erasure-like gap: dee's rank 2 (fay) is gone, its share folded into the remainder.
    await db.scoreContribution.delete({ where: { userId_rank: { userId: id("dee"), rank: 2 } } });
    await db.scoreContribution.update({
      where: { userId_rank: { userId: id("dee"), rank: 3 } },
      data: { share: 0.4 },
    });

    const second: Member[] = [
      // Same names, new shares; a topic value that fell to zero goes.
      {
        ...(first[0] as Member),
        score: 72,
        topics: [],
        causes: [
          member(id("bob"), 0.4),
          { kind: "ENDORSEMENT", share: 0.3, memberId: id("bob"), endorsementId, topicId: topic },
          member(id("cy"), 1 / 7),
          remainder(1 - 0.4 - 0.3 - 1 / 7),
        ],
      },
      // Longer, and renamed at rank 1.
      {
        ...(first[1] as Member),
        score: 13,
        topics: [{ topicId: topic, value: 5 }],
        causes: [member(id("cy"), 0.5), member(id("ann"), 0.3), member(id("dee"), 0.1), remainder(0.1)],
      },
      // Shorter.
      { ...(first[2] as Member), score: 2, causes: [remainder(1)] },
      // Fills the gap and drops the last rank.
      { ...(first[3] as Member), score: 99, causes: [member(id("eve"), 0.7), remainder(0.3)] },
    ];
    const later = new Date(now + 60_000);
    const written = await write(second, 2, later);
    expect(written.changed).toBe(4);
    await expectStored(second, later);
    const changes = (
      await db.scoreHistory.findMany({ where: { createdAt: later }, orderBy: { id: "asc" } })
    ).map((h) => h.id);
    expect(changes).toHaveLength(4);
    const moves = await db.scoreHistory.findMany({ where: { id: { in: changes } } });
    expect(moves.map((h) => [h.userId, h.value, h.delta, h.reason]).sort()).toEqual(
      second.map((m, v) => [m.userId, m.score, m.score - (first[v] as Member).score, "DECAY"]).sort(),
    );
    expect(committed.map((c) => c.historyId).sort()).toEqual([...changes].sort());
    await expectHistory(committed, later);
  });

  it.skipIf(testPostgresUrl !== undefined)(
    "waits out SQLite's write lock held by another connection, rather than failing the run",
    async () => {
      // Fail at once on a busy lock instead of waiting in SQLite (which would block this thread).
      await database.sql.$queryRawUnsafe("PRAGMA busy_timeout = 0");
      const other = new BetterSqlite3(t.testDatabase.url.replace(/^file:/, ""));
      try {
        other.prepare("BEGIN IMMEDIATE").run();
        const released = new Promise<void>((resolve) =>
          setTimeout(() => {
            other.prepare("COMMIT").run();
            resolve();
          }, 300),
        );
        const committed: number[] = [];
        const summary = await writeChanges(
          database,
          sourceOf([
            {
              userId: ids.eve as number,
              score: 42,
              raw: 1,
              network: 1,
              endorsement: 0,
              topics: [],
              causes: [remainder(1)],
            },
          ]),
          [0],
          { ...defaultModel, version: 1 },
          {
            batchSize: 10,
            now: new Date(now),
            reasonOf: reasonsFor({ kind: "decay" }),
            beforeBatch: (tx) => lease.fence(tx, lease.term),
            onCommitted: async (changes) => {
              committed.push(...changes.map((c) => c.userId));
            },
          },
        );
        await released;
        expect(summary.changed).toBe(1);
        expect(committed).toEqual([ids.eve]);
        expect((await db.score.findUniqueOrThrow({ where: { userId: ids.eve as number } })).value).toBe(42);
      } finally {
        if (other.inTransaction) other.prepare("ROLLBACK").run();
        other.close();
        await database.sql.$queryRawUnsafe("PRAGMA busy_timeout = 10000");
      }
    },
  );

  it("lets the first members' moves be delivered before it writes the rest", async () => {
    const handles = ["ann", "bob", "cy", "dee", "eve", "fay"];
    const members: Member[] = handles.map((handle, i) => ({
      userId: ids[handle] as number,
      score: 40 + i,
      raw: 1 + i,
      network: 1,
      endorsement: 0,
      topics: [],
      causes: [remainder(1)],
    }));
    const steps: string[] = [];
    const writeWith = (firstMembers: number) =>
      writeChanges(
        database,
        sourceOf(members),
        members.map((_, v) => v),
        { ...defaultModel, version: 1 },
        {
          batchSize: 2,
          now: new Date(now + 60_000),
          reasonOf: reasonsFor({ kind: "decay" }),
          beforeBatch: (tx) => lease.fence(tx, lease.term),
          firstMembers,
          beforeRest: async () => {
            steps.push("delivered?");
          },
          onCommitted: async (changes) => {
            steps.push(`committed ${changes.length}`);
          },
        },
      );
    // Three first members: two transactions of them, then the wait, then the rest's two.
    await writeWith(3);
    expect(steps).toEqual(["committed 2", "committed 1", "delivered?", "committed 2", "committed 1"]);
    // No first members (a full run), or no rest: nothing to wait for.
    steps.length = 0;
    members.forEach((m) => {
      m.score += 10;
    });
    await writeWith(0);
    expect(steps).toEqual(["committed 2", "committed 2", "committed 2"]);
    steps.length = 0;
    members.forEach((m) => {
      m.score += 10;
    });
    await writeWith(6);
    expect(steps).toEqual(["committed 2", "committed 2", "committed 2"]);
  });

  describe("with firstConcurrency", () => {
    let crowd: number[];
    beforeAll(async () => {
      crowd = Object.values(
        await addMembers(
          db,
          Array.from({ length: 80 }, (_, i) => `crowd${i}`),
        ),
      );
    });

    /** `database` with its transactions counted: how many were in flight at once, at most. */
    function counted() {
      const seen = { open: 0, most: 0, started: 0 };
      const sql: SqlDatabase["sql"] = {
        ...database.sql,
        $transaction: async (work, options) => {
          seen.started++;
          seen.open++;
          seen.most = Math.max(seen.most, seen.open);
          try {
            return await database.sql.$transaction(work, options);
          } finally {
            seen.open--;
          }
        },
      };
      return { seen, database: { ...database, sql } };
    }

    let round = 0;
    /** The crowd's first `count` members, with scores that differ from any written before. */
    const crowdOf = (count: number): Member[] => {
      round++;
      return crowd.slice(0, count).map((userId, i) => ({
        userId,
        score: 10 + round + i / 100,
        raw: 1 + i,
        network: 1,
        endorsement: 0,
        topics: [],
        causes: [member(ids.ann as number, 0.5), remainder(0.5)],
      }));
    };

    const writeCrowd = (
      target: Pick<SqlDatabase, "sql" | "provider">,
      members: Member[],
      firstMembers: number,
      steps: string[],
      fence: (tx: Queryable, batch: number) => Promise<void> = (tx) => lease.fence(tx, lease.term),
    ) => {
      let batches = 0;
      return writeChanges(
        target,
        sourceOf(members),
        members.map((_, v) => v),
        { ...defaultModel, version: 1 },
        {
          batchSize: 100,
          firstConcurrency: 2,
          now: new Date(now + round * 60_000),
          reasonOf: reasonsFor({ kind: "decay" }),
          beforeBatch: (tx) => fence(tx, ++batches),
          firstMembers,
          checkpoint: async () => {
            steps.push("checkpoint");
          },
          beforeRest: async () => {
            steps.push("delivered?");
          },
          onCommitted: async (changes) => {
            steps.push(`committed ${changes.length}`);
          },
        },
      );
    };

    it("writes the first members in that many transactions at once, then the rest", async () => {
      const { seen, database: target } = counted();
      const steps: string[] = [];
      const members = crowdOf(80);
      const summary = await writeCrowd(target, members, 60, steps);
      expect(summary).toMatchObject({ changed: 80, written: 80 });
      expect(seen).toEqual({ open: 0, most: 2, started: 3 });
      // The checkpoint is written in the last transaction, before it commits.
      expect(steps).toEqual(["committed 30", "committed 30", "delivered?", "checkpoint", "committed 20"]);
      await expectStored(members, new Date(now + round * 60_000));
    });

    it("records the checkpoint once they all committed, when nothing follows them", async () => {
      const { seen, database: target } = counted();
      const steps: string[] = [];
      await writeCrowd(target, crowdOf(60), 60, steps);
      expect(seen).toEqual({ open: 0, most: 2, started: 3 });
      expect(steps).toEqual(["committed 30", "committed 30", "checkpoint"]);
    });

    it("keeps fewer than two batches' worth of members in one transaction", async () => {
      const { seen, database: target } = counted();
      const steps: string[] = [];
      await writeCrowd(target, crowdOf(2 * minConcurrentBatch - 1), 2 * minConcurrentBatch - 1, steps);
      expect(seen).toEqual({ open: 0, most: 1, started: 1 });
      expect(steps).toEqual(["checkpoint", `committed ${2 * minConcurrentBatch - 1}`]);
    });

    it("fails once every one of them has ended, with no checkpoint", async () => {
      const { seen, database: target } = counted();
      const steps: string[] = [];
      const members = crowdOf(80);
      const failure = new Error("the lease is gone");
      const outcome = await writeCrowd(target, members, 60, steps, async (tx, batch) => {
        await lease.fence(tx, lease.term);
        if (batch === 1) throw failure;
      }).then(
        () => "written",
        (error: unknown) => ({ error, open: seen.open }),
      );
      // The other transaction committed before the failure reached the caller; nothing else ran.
      expect(outcome).toEqual({ error: failure, open: 0 });
      expect(steps).toEqual(["committed 30"]);
      expect(seen.started).toBe(2);
    });
  });

  it("writes nothing for a member erased since the scores were computed", async () => {
    const [gone] = await addMembers(db, ["gone"]).then((m) => Object.values(m));
    await db.user.delete({ where: { id: gone as number } });
    const summary = await write([
      {
        userId: gone as number,
        score: 5,
        raw: 1,
        network: 1,
        endorsement: 0,
        topics: [],
        causes: [remainder(1)],
      },
    ]);
    expect(summary.changed).toBe(0);
    expect(await db.score.findUnique({ where: { userId: gone as number } })).toBeNull();
  });
});
