// A SQLite connection without Prisma, for the scorer (sql-client.ts): better-sqlite3 itself,
// taking the same `Sql` values (sqltag) as Prisma's $queryRaw, with each statement prepared once.
//
// Why: the statements are the same, but Prisma's query engine and its adapter (which prepares
// every statement anew) cost a quarter or more of each scorer write. Replaying the live bench's
// first 6,000 interactions through the scorer (8,328 score moves written): 393–459 µs per member
// written through Prisma, 270–336 µs here; on the live bench the server used 16–24% less CPU
// (BENCHMARKS.md, "Live subscriptions"). Values are bound as Prisma's SQLite adapter binds them
// (dates as ISO 8601 text with "+00:00", booleans as 1/0), so rows read the same whichever
// connection wrote them; rows come back as plain objects, dates as that text (the scorer reads
// them through load.ts' toMs).
//
// Like Prisma's adapter, the connection is one: a statement issued while a transaction is open runs
// inside it. Transactions take turns (a second waits for the first to end); each runs to its end,
// since every statement completes synchronously.
import type { Sql } from "@prisma/client/runtime/client";
import Sqlite from "better-sqlite3";
import { backstopPages } from "./checkpointer.js";
import { type SqlClient, type SqlDatabase, type SqlQueryable, sqliteTimestamp, sqlOf } from "./sql-client.js";

export interface SqliteDirectOptions {
  /** A checkpointer thread runs this database's WAL checkpoints (see checkpointer.ts). */
  backgroundCheckpoints?: boolean;
  /** How long a statement waits for another connection's lock before failing (default 10 s, as Prisma's). */
  busyTimeoutMs?: number;
}

/** Statements kept prepared at most; the scorer's texts are a few dozen (values are bound). */
const maxCachedStatements = 500;

/** A value as Prisma's SQLite adapter binds it. */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "object" && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

export function openSqliteDirect(url: string, options: SqliteDirectOptions = {}): SqlDatabase {
  const file = url.replace(/^file:/, "");
  const db = new Sqlite(file, { timeout: options.busyTimeoutMs ?? 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  if (options.backgroundCheckpoints) db.pragma(`wal_autocheckpoint = ${backstopPages}`);

  const statements = new Map<string, Sqlite.Statement>();
  const prepared = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= maxCachedStatements) statements.clear();
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const run = (text: string, values: readonly unknown[]) => prepared(text).run(...values.map(bindable));
  const all = (text: string, values: readonly unknown[]) => {
    const statement = prepared(text);
    const bound = values.map(bindable);
    if (statement.reader) return statement.all(...bound);
    statement.run(...bound);
    return [];
  };
  const queryable: SqlQueryable = {
    $queryRaw<T>(query: TemplateStringsArray | Sql, ...values: unknown[]) {
      return settled(() => {
        const { sql, values: bound } = sqlOf(query, values);
        return all(sql, bound) as T;
      });
    },
    $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]) {
      return settled(() => {
        const { sql, values: bound } = sqlOf(query, values);
        return run(sql, bound).changes;
      });
    },
  };

  /** The end of the transaction before, which the next one waits for. */
  let turn: Promise<unknown> = Promise.resolve();

  const client: SqlClient = {
    ...queryable,
    $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return settled(() => all(query, values) as T);
    },
    $transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const result = turn.then(async () => {
        prepared("BEGIN").run();
        try {
          const value = await work(queryable);
          prepared("COMMIT").run();
          return value;
        } catch (error) {
          // A failed COMMIT (or a statement SQLite rolled back itself) may have ended it already.
          if (db.inTransaction) prepared("ROLLBACK").run();
          throw error;
        }
      });
      turn = result.catch(() => {});
      return result;
    },
  };

  return {
    sql: client,
    provider: "sqlite",
    async close() {
      await turn;
      statements.clear();
      db.close();
    },
  };
}

/** A synchronous call as a promise: its value, or its exception as a rejection. */
function settled<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}
