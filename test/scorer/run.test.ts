// The runner's naming of full runs: a decay run that takes in events committed since the
// checkpoint (they land between the scorer's catch-up and the run's snapshot) names their moves
// by the events, so a new follower is never passed off as the passing of time. And the order of an
// incremental run's writes: its events' members first, network moves after (or in the next run
// when more events are waiting; on PostgreSQL, newer events also cut the batch in progress short,
// even in the middle of a statement), with a full run to repair whatever a failure left behind. A
// run that stops early for newer events leaves the checkpoint to the next run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLease } from "../../src/scorer/lease.js";
import { loadCommunity } from "../../src/scorer/load.js";
import { createRunner, type RunOptions, ScorerStoppingError } from "../../src/scorer/run.js";
import type { ScoreChange } from "../../src/scorer/write.js";
import { defaultModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import { testPostgresUrl } from "../support/database.js";
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
  until,
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
    const lease = createLease({
      db: t.scorerDatabase.sql,
      provider: t.scorerDatabase.provider,
      holderId: "run-test",
      ttlMs: 60_000,
      now: () => Date.now(),
    });
    expect(await lease.acquire()).toBe(true);
    const runner = createRunner({
      database: t.scorerDatabase,
      lease,
      now: () => now,
      batchSize: 500,
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
  it("writes its events' members in transactions of batchSize, its network moves in ones of incrementalBatchSize", async () => {
    const { id, runner, lease, committed } = await scoredCommunity("sizes", {
      batchSize: 8,
      incrementalBatchSize: 2,
      eventsWaiting: () => false,
    });
    // Eight new followers for eight members: eight subjects, more than one batch of the ripple.
    const subjects = new Set<number>();
    for (let i = 0; i < 8; i++) {
      await follow(t.db, id(i + 20), id(i * 2));
      subjects.add(id(i * 2));
    }
    expect(await runner.applyEventBatch()).toMatchObject({ mode: "incremental", events: 8, deferred: 0 });
    const [own, ...rest] = committed;
    expect(own?.length).toBeGreaterThan(2);
    expect(own?.every((c) => subjects.has(c.userId))).toBe(true);
    expect(rest.length).toBeGreaterThan(0);
    for (const batch of rest) {
      expect(batch.length).toBeLessThanOrEqual(2);
      expect(batch.some((c) => subjects.has(c.userId))).toBe(false);
    }
    await lease.release();
  });

  /**
   * 40 members who follow three others each, fully scored by a runner that applies at most 8
   * events a run and records what each transaction committed.
   */
  async function scoredCommunity(
    prefix: string,
    options: Pick<RunOptions, "batchSize"> &
      Partial<Pick<RunOptions, "incrementalBatchSize" | "eventsWaiting" | "onWake">> & {
        stopping?: (committed: ScoreChange[][]) => boolean;
      },
  ) {
    const handles = Array.from({ length: 40 }, (_, i) => `${prefix}${i}`);
    const ids = Object.values(await addMembers(t.db, handles));
    const id = (i: number) => ids[i % ids.length] as number;
    await addFollows(
      t.db,
      ids.flatMap((_, i) => [1, 3, 7].map((step) => [id(i), id(i + step)] as [number, number])),
    );
    const lease = createLease({
      db: t.scorerDatabase.sql,
      provider: t.scorerDatabase.provider,
      holderId: "ripple-test",
      ttlMs: 60_000,
      now: () => Date.now(),
    });
    expect(await lease.acquire()).toBe(true);
    const committed: ScoreChange[][] = [];
    const { stopping, ...runOptions } = options;
    const runner = createRunner({
      ...runOptions,
      database: t.scorerDatabase,
      lease,
      now: () => now,
      eventBatchSize: 8,
      stopping: () => stopping?.(committed) ?? false,
      onCommitted: async (changes) => {
        committed.push(changes);
      },
    });
    await runner.recompute({ kind: "decay" });
    committed.length = 0;
    return { ids, id, runner, lease, committed };
  }

  /**
   * scoredCommunity (transactions of 2 members); then 8 of its members follow member 0, and
   * member 20 follows member 30.
   */
  async function community(
    prefix: string,
    options: {
      waiting: () => boolean;
      stopping?: (committed: ScoreChange[][]) => boolean;
      onWake?: (listener: () => void) => () => void;
    },
  ) {
    const { ids, id, runner, lease, committed } = await scoredCommunity(prefix, {
      batchSize: 2,
      eventsWaiting: options.waiting,
      ...(options.stopping && { stopping: options.stopping }),
      ...(options.onWake && { onWake: options.onWake }),
    });
    /** The checkpoint before the nine events below. */
    const checkpointed = await checkpoint(t.db);
    const named = new Set([id(0)]);
    for (let i = 11; i <= 18; i++) {
      await follow(t.db, id(i), id(0));
      named.add(id(i));
    }
    await follow(t.db, id(20), id(30));
    return { ids, runner, lease, committed, named, namedLater: new Set([id(20), id(30)]), checkpointed };
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
    const { ids, runner, lease, committed, named, namedLater, checkpointed } = await community("waiting", {
      waiting: () => waiting,
    });
    const historyBefore = await t.db.scoreHistory.count();
    const first = await runner.applyEventBatch();
    expect(first).toMatchObject({ mode: "incremental", events: 8 });
    const moved = committed.flat();
    expect(moved.find((c) => c.userId === ids[0])?.reason).toBe("ACTIVITY");
    expect(await t.db.scoreHistory.count()).toBe(historyBefore + moved.length);
    // The members the events named went first, in transactions of their own.
    const namedFirst = committed.findIndex((batch) => batch.some((c) => !named.has(c.userId)));
    if (t.scorerDatabase.provider === "postgresql") {
      // On PostgreSQL the network moves all wait for the next run: newer events were there before
      // their first batch. The run stopped early, so the checkpoint waits for the next run too.
      expect(committed.length).toBeGreaterThan(0);
      expect(namedFirst).toBe(-1);
      expect(await checkpoint(t.db)).toBe(checkpointed);
    } else {
      // On SQLite one batch of network moves, the checkpoint with it; the rest left for later.
      expect(namedFirst).toBeGreaterThan(0);
      expect(moved.filter((c) => named.has(c.userId))).toHaveLength(
        committed.slice(0, namedFirst).flat().length,
      );
      expect(committed.length).toBe(namedFirst + 1);
      expect(await checkpoint(t.db)).toBe((await lastEventId(t.db)) - 1);
    }
    const left = first?.deferred ?? 0;
    expect(left).toBeGreaterThan(0);

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

  it("with newer events arriving during its network moves, writes no batch after the one in progress", async () => {
    // Newer events "arrive" once a batch of network moves has committed.
    let setup: Awaited<ReturnType<typeof community>> | undefined;
    const rippleCommitted = () =>
      setup?.committed.some((batch) => batch.some((c) => !setup?.named.has(c.userId))) ?? false;
    setup = await community("arriving", { waiting: rippleCommitted });
    const { ids, runner, lease, committed, named, checkpointed } = setup;
    const first = await runner.applyEventBatch();
    expect(first).toMatchObject({ mode: "incremental", events: 8 });
    const namedBatches = committed.findIndex((batch) => batch.some((c) => !named.has(c.userId)));
    expect(namedBatches).toBeGreaterThan(0);
    // The batch in progress when they arrived, and nothing after it, nor the checkpoint.
    expect(committed.length).toBe(namedBatches + 1);
    expect(first?.deferred).toBeGreaterThan(0);
    expect(await checkpoint(t.db)).toBe(checkpointed);

    setup = undefined;
    const second = await runner.applyEventBatch();
    expect(second).toMatchObject({ mode: "incremental", events: 1, deferred: 0 });
    expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
    await expectScoresCurrent(ids);
    await lease.release();
  });

  it.skipIf(testPostgresUrl === undefined)(
    "on PostgreSQL, rolls back the batch of network moves in progress when newer events arrive, but never two runs running",
    async () => {
      // "ripple": newer events arrive as the run's second transaction (its first of network moves,
      // after member 0's own) begins; "always": they are there all along.
      let arrive: "ripple" | "always" | "never" = "ripple";
      let begun = 0;
      const { ids, runner, lease, committed, checkpointed } = await community("cut", {
        waiting: () => arrive === "always" || (arrive === "ripple" && begun >= 2),
        stopping: () => {
          begun++;
          return false;
        },
      });
      const historyBefore = await t.db.scoreHistory.count();
      begun = 0;
      const first = await runner.applyEventBatch();
      expect(first).toMatchObject({ mode: "incremental", events: 8 });
      // Member 0's move committed; the batch begun after it was rolled back whole, and nothing
      // more: two transactions, and the checkpoint left for the next run.
      expect(committed.map((batch) => batch.map((c) => c.userId))).toEqual([[ids[0]]]);
      expect(await t.db.scoreHistory.count()).toBe(historyBefore + 1);
      expect(begun).toBe(2);
      expect(first?.deferred).toBeGreaterThan(2);
      expect(await checkpoint(t.db)).toBe(checkpointed);

      // Eight more events, so that the next run (eight events at most) has newer ones behind it as
      // well: having had none of its network moves written, it still writes their first batch whole.
      for (let i = 0; i < 8; i++) await follow(t.db, ids[21 + i] as number, ids[5] as number);
      // The next run's events name member 30 (followed before) and member 5.
      const subjects = new Set([ids[30], ids[5]]);
      arrive = "always";
      committed.length = 0;
      const second = await runner.applyEventBatch();
      expect(second).toMatchObject({ mode: "incremental", events: 8 });
      const network = committed.filter((batch) => batch.some((c) => !subjects.has(c.userId)));
      expect(network).toHaveLength(1);
      expect(committed.at(-1)).toBe(network[0]);
      expect(second?.deferred).toBeGreaterThan(0);
      expect(await checkpoint(t.db)).toBe((await lastEventId(t.db)) - 1);

      arrive = "never";
      expect(await runner.applyEventBatch()).toMatchObject({ mode: "incremental", events: 1, deferred: 0 });
      expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
      await expectScoresCurrent(ids);
      await lease.release();
    },
  );

  it.skipIf(testPostgresUrl === undefined)(
    "on PostgreSQL, gives up a held-up statement of its network moves when newer events arrive: cancelled, the batch rolled back",
    async () => {
      const listeners = new Set<() => void>();
      let arrived = false;
      const { ids, runner, lease, committed, checkpointed } = await community("held", {
        waiting: () => arrived,
        onWake: (listener) => {
          listeners.add(listener);
          return () => {
            listeners.delete(listener);
          };
        },
      });
      const historyBefore = await t.db.scoreHistory.count();
      const lockWaits = async () => {
        const [row] = await t.db.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        return Number(row?.n ?? 0);
      };
      // Another connection holds every Score row but member 0's: the run's first write of network
      // moves waits for it.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = () => {};
      const held = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const holder = t.db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM "Score" WHERE "userId" <> ${ids[0]} FOR UPDATE`;
          holding();
          await released;
        },
        { timeout: 30_000 },
      );
      try {
        await held;
        const run = runner.applyEventBatch();
        await until(async () => (await lockWaits()) > 0);
        // Newer events arrive while the statement waits.
        arrived = true;
        for (const listener of [...listeners]) listener();
        const first = await Promise.race([
          run,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error("the run waited for its held-up statement")), 3_000),
          ),
        ]);
        expect(first).toMatchObject({ mode: "incremental", events: 8 });
        expect(first?.deferred).toBeGreaterThan(0);
        // Member 0's move alone committed; the batch of network moves still waits, given up.
        expect(committed.map((batch) => batch.map((c) => c.userId))).toEqual([[ids[0]]]);
        // The statement given up is cancelled while the rows are still held: it waits no more.
        await until(async () => (await lockWaits()) === 0);
        expect(await checkpoint(t.db)).toBe(checkpointed);
      } finally {
        release();
        await holder;
      }
      // The batch rolled back: none of it was recorded.
      expect(await t.db.scoreHistory.count()).toBe(historyBefore + 1);

      arrived = false;
      expect(await runner.applyEventBatch()).toMatchObject({ mode: "incremental", events: 1, deferred: 0 });
      expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
      await expectScoresCurrent(ids);
      await lease.release();
    },
  );

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
    const before = await checkpoint(t.db);
    await expect(runner.applyEventBatch()).rejects.toThrow(ScorerStoppingError);
    expect(await checkpoint(t.db)).toBe(before);
    failing = false;
    // From the checkpoint: on PostgreSQL the first run left it before all nine events.
    const pending = Math.min(8, (await lastEventId(t.db)) - before);
    const repair = await runner.applyEventBatch();
    expect(repair).toMatchObject({ mode: "full", events: pending });
    expect(await checkpoint(t.db)).toBe(await lastEventId(t.db));
    await expectScoresCurrent(ids);
    await lease.release();
  });
});
