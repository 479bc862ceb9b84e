// The scorer as the service runs it: in a worker thread with its own connection, reporting score
// changes back after commit, and stopping cleanly (lease released, thread gone).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { startScorerThread } from "../../src/scorer/thread.js";
import type { ScoreChange } from "../../src/scorer/write.js";
import { addMembers, follow, type ScorerTestDatabase, scorerTestDatabase, until } from "./fixtures.js";

let t: ScorerTestDatabase;
let db: Db;

beforeAll(async () => {
  t = await scorerTestDatabase();
  db = t.db;
});

afterAll(async () => {
  await t?.close();
});

/**
 * A scorer thread on the test database, once it holds the lease; `heard` collects what it reports,
 * and `answer` is what the main thread's handler returns for each report.
 */
async function scorerThread(answer: () => void | Promise<void> = () => {}) {
  const config = loadConfig({ DATABASE_URL: t.testDatabase.url, LOG_LEVEL: "silent" });
  const heard: ScoreChange[] = [];
  const thread = startScorerThread({
    config,
    logger: createLogger("silent"),
    onScoresChanged: (changes) => {
      heard.push(...changes);
      return answer();
    },
  });
  await thread.started;
  await until(() => thread.holdsLease);
  return { thread, heard };
}

describe("the scorer thread", () => {
  it("scores in a worker, reports committed changes, and releases the lease when stopped", async () => {
    const { a, b, c } = (await addMembers(db, ["a", "b", "c"])) as Record<string, number>;
    const { thread, heard } = await scorerThread();
    // The first full run scored everyone, and said so only once the rows were there.
    await until(() => heard.length === 3);
    expect(await db.score.count()).toBe(3);

    await follow(db as Db, a as number, b as number);
    await follow(db as Db, c as number, b as number);
    await until(() => heard.some((change) => change.userId === b && change.reason === "ACTIVITY"));
    const entry = heard.find((change) => change.userId === b && change.reason === "ACTIVITY");
    expect(await db.scoreHistory.findUnique({ where: { id: entry?.historyId as number } })).toMatchObject({
      userId: b,
      value: entry?.new,
    });

    await thread.stop();
    expect(thread.holdsLease).toBe(false);
    // Released: anyone may take it at once.
    expect(await db.scorerState.findUnique({ where: { id: "main" } })).toMatchObject({
      holder: null,
      leaseExpiresAt: null,
    });
  });

  it("writes a run's ripple even when the main thread never says its subjects' moves were delivered", async () => {
    const { x, y, z } = (await addMembers(db, ["x", "y", "z"])) as Record<string, number>;
    // y follows z: whatever moves y's score moves z's (the ripple of an event about y).
    await follow(db as Db, y as number, z as number);
    // Never settles: the main thread never answers that it delivered them.
    const { thread, heard } = await scorerThread(() => new Promise<void>(() => {}));
    await until(() => heard.some((change) => change.userId === z));
    const before = heard.length;
    await follow(db as Db, x as number, y as number);
    // y is the event's subject; z moves with it and is written after the scorer gave up waiting.
    await until(() => heard.slice(before).some((change) => change.userId === z));
    expect(heard.slice(before).findIndex((change) => change.userId === y)).toBeLessThan(
      heard.slice(before).findIndex((change) => change.userId === z),
    );
    await thread.stop();
  });
});
