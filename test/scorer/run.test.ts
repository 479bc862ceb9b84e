// The runner's naming of full runs: a decay run that takes in events committed since the
// checkpoint (they land between the scorer's catch-up and the run's snapshot) names their moves
// by the events, so a new follower is never passed off as the passing of time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLease } from "../../src/scorer/lease.js";
import { createRunner } from "../../src/scorer/run.js";
import { addMembers, follow, now, type ScorerTestDatabase, scorerTestDatabase } from "./fixtures.js";

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
