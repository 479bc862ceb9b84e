import { afterEach, describe, expect, it } from "vitest";
import { connectDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function tablesOf(db: TestDatabase) {
  const connection = await connectDatabase({
    databaseUrl: db.url,
    databaseProvider: db.provider,
    databasePoolSize: 2,
  });
  try {
    const sql =
      db.provider === "sqlite"
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
    const rows = await connection.prisma.$queryRawUnsafe<{ name: string }[]>(sql);
    return rows.map((row) => row.name).sort();
  } finally {
    await connection.close();
  }
}

describe("migrate", () => {
  it("creates every table on an empty database, and a second run changes nothing", async () => {
    database = await createTestDatabase();
    const log: string[] = [];
    await migrate(database.url, { log: (line) => log.push(line) });
    const tables = await tablesOf(database);
    for (const table of ["User", "AuthToken", "Follow", "Interaction", "Topic", "Endorsement", "Score"]) {
      expect(tables).toContain(table);
    }
    expect(tables).toContain("schema_migrations");
    expect(log.some((line) => /Applying: \d+_init\.sql/.test(line))).toBe(true);

    const again: string[] = [];
    await migrate(database.url, { log: (line) => again.push(line) });
    expect(again.some((line) => /Applying/.test(line))).toBe(false);
    expect(await tablesOf(database)).toEqual(tables);
  });

  it("lets several instances start at once: each migration is applied exactly once", async () => {
    database = await createTestDatabase();
    const url = database.url;
    const logs: string[][] = [[], [], []];
    await Promise.all(logs.map((log) => migrate(url, { log: (line) => log.push(line) })));
    const applied = logs.flat().filter((line) => /Applying: \d+_init\.sql/.test(line));
    expect(applied).toHaveLength(1);
  });

  it("fails with dbmate's reason when the database cannot be reached", async () => {
    const attempt = migrate("postgres://nobody@127.0.0.1:1/nothing");
    await expect(attempt).rejects.toThrow(/could not|ECONNREFUSED|refused/i);
  });
});
