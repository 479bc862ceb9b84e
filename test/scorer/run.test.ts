// The runner's naming of full runs: a decay run that takes in events committed since the
// checkpoint (they land between the scorer's catch-up and the run's snapshot) names their moves
// by the events, so a new follower is never passed off as the passing of time. And the order of an
// incremental run's writes: its events' members first, network moves after (or in the next run
// when more events are waiting), with a full run to repair whatever a failure left behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLease } from "../../src/scorer/lease.js";
import { loadCommunity } from "../../src/scorer/load.js";
import { createRunner, ScorerStoppingError } from "../../src/scorer/run.js";
import type { ScoreChange } from "../../src/scorer/write.js";
import { defaultModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import {
  addFollows,
  addMembers,
  checkpoint,
  follow,
  lastEventId,
  now,
  type ScorerTestDatabase,
  scorerTestDatabase,
  storedScoreTolerance,
} from "./fixtures.js";

let t: ScorerTestDatabase;

beforeAll(async () => {
  t = await scorerTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe("a decay run with events in its snapshot", () => {
  it("records their effect under the events' reasons, naming who caused it", async () => {
    const { a, b, c, d } = (await addMembers(t.db, ["a", "b", "c", "d"])) as Record<string, number>;
    await follow(t.db, a as number, b as number);
    const lease = createLease({ db: t.db, holderId: "run-test", ttlMs: 60_000, now: () => Date.now() });
    expect(await lease.acquire()).toBe(true);
    const runner = createRunner({
      database: t.database,
      lease,
      now: () => now,
      batchSize: 500,
      restBatchSize: 500,
      maxDeferMs: 1_000,
      eventBatchSize: 500,
      stopping: () => false,
    });
    await runner.recompute({ kind: "decay" });

    // Committed after the catch-up, before the decay run's snapshot.
    await follow(t.db, c as number, b as number);
    await follow(t.db, d as number, b as number);
    const summary = await runner.recompute({ kind: "decay" });
    expect(summary.events).toBe(2);
    const move = await t.db.scoreHistory.findFirst({
      where: { userId: b },
      orderBy: { id: "desc" },
      include: { causes: true },
    });
    expect(move?.reason).toBe("ACTIVITY");
    expect(move?.causes.some((cause) => cause.memberId === c || cause.memberId === d)).toBe(true);

    // With nothing pending, decay is decay.
    const quiet = await runner.recompute({ kind: "decay" });
    expect(quiet.trigger).toBe("decay");
    await lease.release();
  });
});

describe("an incremental run", () => {
  /**
   * 40 members who follow three others each, fully scored; then 8 of them follow member 0, and
   * member 20 follows member 30. A run applies at most 8 events.
   */
  async function community(
    prefix: string,
    options: {
      waiting: () => boolean;
      stopping?: (committed: ScoreChange[][]) => boolean;
      restBatchSize?: number;
      maxDeferMs?: number;
    },
  ) {
    const handles = Array.from({ length: 40 }, (_, i) => `${prefix}${i}`);
    const ids = Object.values(await addMembers(t.db, handles));
    const id = (i: number) => ids[i % ids.length] as number;
    await addFollows(
      t.db,
      ids.flatMap((_, i) => [1, 3, 7].map((step) => [id(i), id(i + step)] as [number, number])),
    );
    const lease = createLease({ db: t.db, holderId: "ripple-test", ttlMs: 60_000, now: () => Date.now() });
    expect(await lease.acquire()).toBe(true);
    const committed: ScoreChange[][] = [];
    const runner = createRunner({
      database: t.database,
      lease,
      now: () => now,
      batchSize: 2,
      restBatchSize: options.restBatchSize ?? 2,
      maxDeferMs: options.maxDeferMs ?? 60_000,
      eventBatchSize: 8,
      stopping: () => options.stopping?.(committed) ?? false,
      eventsWaiting: options.waiting,
      onCommitted: async (changes) => {
        committed.push(changes);
      },
    });
    await runner.recompute({ kind: "decay" });
    committed.length = 0;
    const named = new Set([id(0)]);
    for (let i = 11; i <= 18; i++) {
      await follow(t.db, id(i), id(0));
      named.add(id(i));
    }
    await follow(t.db, id(20), id(30));
    return { ids, runner, lease, committed, named, namedLater: new Set([id(20), id(30)]) };
  }

  async function expectScoresCurrent(ids: number[]) {
    const loaded = await loadCommunity(t.db);
    const { score } = recomputeAll(loaded.community, defaultModel, now);
    const stored = new Map((await t.db.score.findMany()).map((row) => [row.userId, row.value]));
    for (const id of ids) {
      const v = loaded.members.ids.indexOf(id);
      expect(Math.abs((stored.get(id) as number) - (score[v] as number))).toBeLessThan(storedScoreTolerance);
    }
  }

  it("writes its events' members first and, with newer events waiting, leaves network moves for the next run", async () => {
    let waiting = true;
    const { ids, runner, lease, committed, named, namedLater } = await community("waiting", {
      waiting: () => waiting,
    });
    const first = await runner.applyEventBatch();
    expect(first).toMatchObject({ mode: "incremental", events: 8 });
    // The members the events named, in transactions of their own, and with newer events waiting
    // nothing else: the network moves are left for later, the checkpoint with the named members.
    expect(committed[0]?.length).toBeGreaterThan(0);
    const moved = committed.flat();
    expect(moved.every((c) => named.has(c.userId))).toBe(true);
    expect(moved.find((c) => c.userId === ids[0])?.reason).toBe("ACTIVITY");
    const left = first?.deferred ?? 0;
    expect(left).toBeGreaterThan(0);
    expect(await checkpoint(t.db)).toBe((await lastEventId(t.db)) - 1);

    // The next run applies the newer event: its members first, then what was left, under the
    // reason it had then.
    waiting = false;
    committed.length = 0;
    const second = await runner.applyEventBatch();
    expect(second).toMatchObject({ mode: "incremental", events: 1, deferred: 0 });
    const later = committed.flat();
    const ownFirst = later.findIndex((c) => !namedLater.has(c.userId));
    expect(later.slice(0, ownFirst).every((c) => namedLater.has(c.userId))).toBe(true);
    expect(later.slice(ownFirst, ownFirst + left).every((c) => c.reason === "NETWORK")).toBe(true);
    expect(second?.changed).toBeGreaterThanOrEqual(left);
    expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
    expect(await runner.applyEventBatch()).toBeNull();
    await expectScoresCurrent(ids);
    await lease.release();
  });

  it("with events waiting, still writes one batch of the network moves left longer than maxDeferMs", async () => {
    const { ids, runner, lease, committed, named, namedLater } = await community("owed", {
      waiting: () => true,
      restBatchSize: 1,
      maxDeferMs: 0,
    });
    const first = await runner.applyEventBatch();
    const left = first?.deferred ?? 0;
    expect(left).toBeGreaterThan(1);
    expect(committed.flat().every((c) => named.has(c.userId))).toBe(true);

    // Eight more events, so that the next run (eight at most) also has a newer one waiting.
    for (let i = 21; i <= 28; i++) {
      await follow(t.db, ids[i] as number, ids[37] as number);
      namedLater.add(ids[i] as number);
    }
    namedLater.add(ids[37] as number);
    committed.length = 0;
    const second = await runner.applyEventBatch();
    expect(second).toMatchObject({ mode: "incremental", events: 8 });
    const later = committed.flat();
    const own = later.filter((c) => namedLater.has(c.userId)).length;
    // The events' own members, then exactly one batch (of one) of what the first run left.
    expect(own).toBeGreaterThan(0);
    expect(later.length).toBe(own + 1);
    expect(committed.at(-1)).toHaveLength(1);
    expect(committed.at(-1)?.[0]?.reason).toBe("NETWORK");
    expect(namedLater.has(committed.at(-1)?.[0]?.userId as number)).toBe(false);
    expect(await checkpoint(t.db)).toBe((await lastEventId(t.db)) - 1);
    await lease.release();
  });

  it("that fails after one that left network moves is followed by a full run, which writes them", async () => {
    let waiting = true;
    let failing = false;
    const { ids, runner, lease, committed } = await community("failing", {
      waiting: () => waiting,
      // Once failing, a run stops after its first transaction.
      stopping: (committed) => failing && committed.length > 0,
    });
    expect((await runner.applyEventBatch())?.deferred).toBeGreaterThan(0);
    waiting = false;
    committed.length = 0;
    failing = true;
    // The run fails after its events' own members, which carried the checkpoint.
    await expect(runner.applyEventBatch()).rejects.toThrow(ScorerStoppingError);
    expect(committed).toHaveLength(1);
    expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
    failing = false;
    // No event is pending, but the moves that failure left unwritten are: a full run writes them.
    const repair = await runner.applyEventBatch();
    expect(repair).toMatchObject({ mode: "full", events: 0 });
    expect(repair?.changed).toBeGreaterThan(0);
    expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
    await expectScoresCurrent(ids);
    await lease.release();
  });
});
