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

describe("the scorer thread", () => {
  it("scores in a worker, reports committed changes, and releases the lease when stopped", async () => {
    const { a, b, c } = (await addMembers(db, ["a", "b", "c"])) as Record<string, number>;
    const config = loadConfig({ DATABASE_URL: t.testDatabase.url, LOG_LEVEL: "silent" });
    const heard: ScoreChange[] = [];
    const thread = startScorerThread({
      config,
      logger: createLogger("silent"),
      onScoresChanged: (changes) => {
        heard.push(...changes);
      },
    });
    await thread.started;
    await until(() => thread.holdsLease);
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
});
