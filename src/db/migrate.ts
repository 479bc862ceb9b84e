// Applies the SQL migrations under prisma/<provider>/migrations with dbmate, which creates the
// database when it is missing and records what it applied in its schema_migrations table.
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import Sqlite from "better-sqlite3";
import { resolveBinary } from "dbmate";
import pg from "pg";
import { type DatabaseProvider, databaseProviderOf } from "../config.js";

export interface MigrateOptions {
  log?: (message: string) => void;
}

interface DbmateTarget {
  provider: DatabaseProvider;
  url: string;
  /** Where the migrations go, without credentials, for the log. */
  description: string;
  sqliteFile?: string;
}

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

export const migrationsDir = (provider: DatabaseProvider) =>
  path.join(root, "prisma", provider, "migrations");

/** The file Prisma's better-sqlite3 adapter opens for this URL: it strips "file:" and opens the rest
 * as a path, relative to the current directory. */
export function sqliteFileOf(databaseUrl: string): string {
  const file = databaseUrl.replace(/^file:/, "");
  if (file === "" || file.startsWith(":memory:"))
    throw new Error(`Cannot migrate an in-memory SQLite database (${databaseUrl})`);
  return path.resolve(file);
}

function sqliteTarget(databaseUrl: string): DbmateTarget {
  const file = sqliteFileOf(databaseUrl);
  // dbmate un-escapes the path, so characters such as "%", "?" and "#" must arrive escaped.
  return {
    provider: "sqlite",
    url: `sqlite:${pathToFileURL(file).pathname}`,
    description: file,
    sqliteFile: file,
  };
}

function postgresTarget(databaseUrl: string): DbmateTarget {
  const url = new URL(databaseUrl);
  const description = `${url.host}${url.pathname}`;
  // node-postgres (the app's driver) uses no TLS unless sslmode says so; dbmate's lib/pq would require it.
  if (!url.searchParams.has("sslmode")) url.searchParams.set("sslmode", "disable");
  return { provider: "postgresql", url: url.toString(), description };
}

export function dbmateTarget(databaseUrl: string): DbmateTarget {
  const provider = databaseProviderOf(databaseUrl);
  if (provider === "sqlite") return sqliteTarget(databaseUrl);
  if (provider === "postgresql") return postgresTarget(databaseUrl);
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)");
}

function dbmateArgs(target: DbmateTarget): string[] {
  return ["--url", target.url, "--migrations-dir", migrationsDir(target.provider), "--no-dump-schema", "up"];
}

function stderrOf(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim() : String(error);
}

// Any fixed 64-bit number, the same in every instance: "sway" in ASCII.
const migrationLockKey = 0x73776179;

/**
 * dbmate takes no lock, so instances that start together on one PostgreSQL database take turns
 * through a session advisory lock; the later ones then find nothing left to apply. A database that
 * does not exist yet has nothing to race over: dbmate creates it.
 */
async function withMigrationLock(databaseUrl: string, target: DbmateTarget, work: () => Promise<void>) {
  if (target.sqliteFile) return withSqliteLock(target.sqliteFile, work);
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: unknown }).code === "3D000") return work();
    throw error;
  }
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await work();
  } finally {
    await client.end();
  }
}

const sqliteQueues = new Map<string, Promise<void>>();

/**
 * On SQLite, migrations of one file take turns within this process (a queue) and across processes
 * (an exclusive transaction on a lock file beside the database, released when the process ends).
 */
function withSqliteLock(file: string, work: () => Promise<void>): Promise<void> {
  const previous = sqliteQueues.get(file) ?? Promise.resolve();
  const turn = previous
    .catch(() => {})
    .then(async () => {
      const lock = new Sqlite(`${file}.migrate-lock`, { timeout: 120_000 });
      try {
        lock.exec("BEGIN EXCLUSIVE");
        await work();
      } finally {
        lock.close();
      }
    });
  sqliteQueues.set(file, turn);
  return turn;
}

/** Brings the database at `databaseUrl` up to the newest migration, creating it if needed. */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const target = dbmateTarget(databaseUrl);
  if (target.sqliteFile) await mkdir(path.dirname(target.sqliteFile), { recursive: true });
  log(`migrating the ${target.provider} database ${target.description}`);
  await withMigrationLock(databaseUrl, target, async () => {
    let stdout: string;
    try {
      ({ stdout } = await run(resolveBinary(), dbmateArgs(target)));
    } catch (error) {
      throw new Error(
        `dbmate could not migrate the ${target.provider} database ${target.description}:\n${stderrOf(error)}`,
      );
    }
    for (const line of stdout.split("\n")) if (line.trim() !== "") log(line.trim());
  });
}
