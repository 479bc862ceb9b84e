// A throwaway database per test file: a temp SQLite file by default, or a fresh database on the
// PostgreSQL server named by TEST_DATABASE_URL (the same suite runs on both).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface TestDatabase {
  url: string;
  provider: "sqlite" | "postgresql";
  drop(): Promise<void>;
}

export const testPostgresUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `sway_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    provider: "postgresql",
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "sway-test-"));
  return {
    url: `file:${path.join(dir, "sway.db")}`,
    provider: "sqlite",
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

export function createTestDatabase(): Promise<TestDatabase> {
  return testPostgresUrl ? createPostgresDatabase(testPostgresUrl) : createSqliteDatabase();
}
