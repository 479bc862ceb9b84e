// The services' transactions on SQLite: one that the write lock turns away (SQLITE_BUSY) is rolled
// back whole and run again, so a busy scorer costs the caller a wait, never an error or a half write.
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transaction } from "../src/services/transaction.js";
import { addMembers, type ScorerTestDatabase, scorerTestDatabase } from "./scorer/fixtures.js";
import { testPostgresUrl } from "./support/database.js";

let t: ScorerTestDatabase;

beforeAll(async () => {
  t = await scorerTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe.skipIf(testPostgresUrl !== undefined)("a service transaction on SQLite", () => {
  it("turned away by another connection's write lock runs again once it is free, and writes once", async () => {
    const { a, b } = (await addMembers(t.db, ["a", "b"])) as Record<string, number>;
    // Fail at once on a busy lock instead of waiting in SQLite (which would block this thread).
    await t.db.$queryRawUnsafe("PRAGMA busy_timeout = 0");
    const other = new BetterSqlite3(t.testDatabase.url.replace(/^file:/, ""));
    try {
      other.prepare("BEGIN IMMEDIATE").run();
      let released = false;
      const release = setTimeout(() => {
        other.prepare("COMMIT").run();
        released = true;
      }, 200);
      let attempts = 0;
      // Starting with its own write, so that the work itself meets the lock (counted).
      await transaction(
        t.db,
        "sqlite",
        async (tx) => {
          attempts++;
          await tx.follow.create({ data: { followerId: a as number, followeeId: b as number } });
        },
        { startsWithWrite: true },
      );
      clearTimeout(release);
      expect(released).toBe(true);
      expect(attempts).toBeGreaterThan(1);
      expect(await t.db.follow.count({ where: { followerId: a as number, followeeId: b as number } })).toBe(
        1,
      );

      // Any other failure is not retried.
      attempts = 0;
      await expect(
        transaction(t.db, "sqlite", async (tx) => {
          attempts++;
          await tx.follow.create({ data: { followerId: a as number, followeeId: b as number } });
        }),
      ).rejects.toThrow();
      expect(attempts).toBe(1);
    } finally {
      if (other.inTransaction) other.prepare("ROLLBACK").run();
      other.close();
      await t.db.$queryRawUnsafe("PRAGMA busy_timeout = 10000");
    }
  });
});
