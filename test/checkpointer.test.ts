// The SQLite WAL checkpointer (src/db/checkpointer.ts): with the service's connections leaving
// checkpoints to it, the pages they commit reach the database file from its thread, and nowhere
// else until the backstop; stop() ends the thread; a checkpointer that cannot open the file says so.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { backstopPages, startCheckpointer } from "../src/db/checkpointer.js";
import { connectDatabase } from "../src/db/client.js";
import { sqliteFileOf } from "../src/db/migrate.js";
import { until } from "./scorer/fixtures.js";
import { startTestApp } from "./support/app.js";
import { testPostgresUrl } from "./support/database.js";

const dir = mkdtempSync(path.join(tmpdir(), "sway-checkpointer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A logger whose lines are kept, parsed. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const sizeOf = (file: string) => statSync(file).size;

/** A WAL database whose own connection checkpoints only past the backstop, with ~4 MB committed. */
function writer(file: string) {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`wal_autocheckpoint = ${backstopPages}`);
  db.exec("CREATE TABLE t (x BLOB)");
  const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
  const write = (rows: number) =>
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(Buffer.alloc(2000, i % 251));
    })();
  return { db, write };
}

describe("the WAL checkpointer", () => {
  it("copies committed pages into the database file, which the writers' commits leave to it", async () => {
    const file = path.join(dir, "copies.db");
    const { db, write } = writer(file);
    for (let i = 0; i < 4; i++) write(500);
    // 2,000 rows of 2 kB: all in the WAL, none in the database file yet.
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(4_000_000);
    expect(sizeOf(file)).toBeLessThan(100_000);

    const { logger, lines } = capturingLogger();
    const checkpointer = startCheckpointer({ file, logger, intervalMs: 20 });
    await until(() => sizeOf(file) > 4_000_000, 10_000);
    // And it keeps doing so while the writer goes on.
    write(1000);
    await until(() => sizeOf(file) > 6_000_000, 10_000);
    await checkpointer.stop();
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);

    // Stopped: nothing more reaches the file.
    write(1000);
    const after = sizeOf(file);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sizeOf(file)).toBe(after);
    expect((db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n).toBe(4000);
    db.close();
  });

  it("is what the service's connections leave their checkpoints to, up to the backstop", async () => {
    const file = path.join(dir, "connection.db");
    const leaving = await connectDatabase(
      { databaseUrl: `file:${file}`, databaseProvider: "sqlite", databasePoolSize: 1 },
      { backgroundCheckpoints: true },
    );
    const plain = await connectDatabase({
      databaseUrl: `file:${file}`,
      databaseProvider: "sqlite",
      databasePoolSize: 1,
    });
    try {
      const threshold = async (db: typeof leaving) =>
        Number(
          (
            (await db.prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint")) as {
              wal_autocheckpoint: unknown;
            }[]
          )[0]?.wal_autocheckpoint,
        );
      expect(await threshold(leaving)).toBe(backstopPages);
      expect(await threshold(plain)).toBe(1000);
    } finally {
      await leaving.close();
      await plain.close();
    }
  });

  it.skipIf(testPostgresUrl !== undefined)(
    "is how a SQLite app runs: its connection leaves checkpoints to the app's checkpointer",
    async () => {
      const test = await startTestApp();
      try {
        const rows = (await test.app.database.prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint")) as {
          wal_autocheckpoint: unknown;
        }[];
        expect(Number(rows[0]?.wal_autocheckpoint)).toBe(backstopPages);
        // Its checkpointer copies what the app commits into the file.
        const file = sqliteFileOf(test.database.url);
        const before = sizeOf(file);
        const db = test.app.database.prisma;
        await db.$executeRawUnsafe("CREATE TABLE scratch (x BLOB)");
        await db.$executeRawUnsafe(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO scratch SELECT randomblob(2000) FROM n",
        );
        await until(() => sizeOf(file) > before + 1_500_000, 10_000);
      } finally {
        await test.close();
      }
    },
  );

  it("reports a database it cannot open, and stops all the same", async () => {
    const { logger, lines } = capturingLogger();
    const checkpointer = startCheckpointer({
      file: path.join(dir, "no-such-directory", "x.db"),
      logger,
      intervalMs: 20,
    });
    await until(() => lines.some((line) => line.msg === "the WAL checkpointer died"), 10_000);
    await checkpointer.stop();
  });
});
