// What the scorer needs of a database connection: raw SQL and transactions, nothing of Prisma's
// model API. Prisma's client has it, and so do the Prisma-free connections the scorer uses
// (sqlite-direct.ts, postgres-direct.ts).
import { type Sql, sqltag } from "@prisma/client/runtime/client";
import type { Config } from "../config.js";
import type { Database, DatabaseOptions } from "./client.js";

/**
 * A date as Prisma's SQLite adapter stores a DateTime (its default "iso8601" format), so that
 * what raw SQL writes reads back the same through Prisma.
 */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** A raw query as one `Sql` value, whether it came as a tagged template or already as one. */
export function sqlOf(query: TemplateStringsArray | Sql, values: unknown[]): Sql {
  return Array.isArray(query) ? sqltag(query as TemplateStringsArray, ...values) : (query as Sql);
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
   * Prisma applies `maxWait` / `timeout`; the direct connections run a transaction to its end and
   * ignore them. `deferWrites`: on the direct PostgreSQL connection, writes are sent together with
   * the next read or the commit, and $executeRaw resolves with 0 (postgres-direct.ts); elsewhere
   * it changes nothing.
   */
  $transaction<T>(
    work: (tx: SqlQueryable) => Promise<T>,
    options?: { maxWait?: number; timeout?: number; deferWrites?: boolean },
  ): Promise<T>;
}

export interface SqlDatabase {
  sql: SqlClient;
  provider: Database["provider"];
  close(): Promise<void>;
}

/** The scorer's own connection, without Prisma (sqlite-direct.ts and postgres-direct.ts say why). */
export async function connectSqlDatabase(
  config: Pick<Config, "databaseUrl" | "databaseProvider" | "databasePoolSize">,
  options: Pick<DatabaseOptions, "backgroundCheckpoints"> = {},
): Promise<SqlDatabase> {
  if (config.databaseProvider === "sqlite") {
    const { openSqliteDirect } = await import("./sqlite-direct.js");
    return openSqliteDirect(config.databaseUrl, options);
  }
  const { openPostgresDirect } = await import("./postgres-direct.js");
  return openPostgresDirect(config.databaseUrl, { poolSize: config.databasePoolSize });
}
