// What the scorer needs of a database connection: raw SQL and transactions, nothing of Prisma's
// model API. Prisma's client has it, and so does the Prisma-free SQLite connection the scorer uses
// on the embedded database (sqlite-direct.ts).
import type { Sql } from "@prisma/client/runtime/client";
import type { Config } from "../config.js";
import { connectDatabase, type Database, type DatabaseOptions } from "./client.js";

/**
 * A date as Prisma's SQLite adapter stores a DateTime (its default "iso8601" format), so that
 * what raw SQL writes reads back the same through Prisma.
 */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** Raw queries, on the client or inside a transaction (`tx`). */
export interface SqlQueryable {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]): Promise<number>;
}

export interface SqlClient extends SqlQueryable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Prisma applies `maxWait` / `timeout`; the direct SQLite connection runs a transaction to its
   * end (its statements complete synchronously) and ignores them.
   */
  $transaction<T>(
    work: (tx: SqlQueryable) => Promise<T>,
    options?: { maxWait?: number; timeout?: number },
  ): Promise<T>;
}

export interface SqlDatabase {
  sql: SqlClient;
  provider: Database["provider"];
  close(): Promise<void>;
}

/** A Prisma connection seen as an SqlDatabase (closing it closes the Prisma client). */
function sqlDatabaseOf(database: Database): SqlDatabase {
  return { sql: database.prisma, provider: database.provider, close: () => database.close() };
}

/**
 * The scorer's own connection: on SQLite the direct one (sqlite-direct.ts says why), on PostgreSQL
 * a Prisma client.
 */
export async function connectSqlDatabase(
  config: Pick<Config, "databaseUrl" | "databaseProvider" | "databasePoolSize">,
  options: Pick<DatabaseOptions, "backgroundCheckpoints"> = {},
): Promise<SqlDatabase> {
  if (config.databaseProvider === "sqlite") {
    const { openSqliteDirect } = await import("./sqlite-direct.js");
    return openSqliteDirect(config.databaseUrl, options);
  }
  return sqlDatabaseOf(await connectDatabase(config, options));
}
