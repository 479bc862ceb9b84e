// A PostgreSQL connection without Prisma, for the scorer (sql-client.ts): node-postgres itself,
// taking the same `Sql` values (sqltag) as Prisma's $queryRaw, each statement text prepared once
// per connection.
//
// Why: the scorer only runs raw SQL, and on PostgreSQL its writes took about four times as long as
// on SQLite, part of it on the client: a three-statement transaction took 1.3–1.5 ms through
// Prisma's query engine and adapter against 0.5–0.6 ms here (BENCHMARKS.md, "Live
// subscriptions"). Values are bound as Prisma's adapter binds them (dates as ISO 8601 text, which
// a `timestamp` column takes as UTC; objects as JSON), and rows come back as Prisma gives them to
// raw queries' readers here: `timestamp` columns as Dates (UTC), JSON parsed, 64-bit integers and
// numerics as text (the scorer reads numbers through Number()).
//
// A small pool (three connections by default), all opened at once and kept: a transaction holds
// one connection to its end, and a statement outside a transaction never joins one. A transaction
// whose work throws is rolled back in the background, so the caller need not wait for a statement
// the work stopped waiting for (write.ts gives up a batch of network moves that way). Such a
// statement is cancelled rather than left to finish, and the connection returns to the pool once
// the rollback is done.
//
// `deferWrites` (the scorer's write transactions): each $executeRaw is held, resolving at once
// with 0 (its count unknown), and sent with the transaction's next $queryRaw or its COMMIT, as one
// simple-protocol query with the values written in as quoted literals (untyped, as bound text
// values are; pg.escapeLiteral); reads asked for in the same turn (Promise.all) go in that query
// too. A write batch of a dozen statements then takes three round trips instead of up to
// fourteen, each a wake-up of two processes on a busy machine; planning each statement again
// costs less. A held write that fails fails the reads or the COMMIT it went with. Only for work
// that never looks at a write's count.
import type { Sql } from "@prisma/client/runtime/client";
import pg from "pg";
import { type SqlClient, type SqlDatabase, type SqlQueryable, sqlOf } from "./sql-client.js";

export interface PostgresDirectOptions {
  /**
   * Connections in the pool (default 3: a write transaction, one given up and still rolling back,
   * and the lease, or the cancel of the one given up, beside them; the scorer thread opens 4, for
   * a second write transaction at once).
   */
  poolSize?: number;
}

/** Statement texts kept prepared (per connection) at most; the scorer's are a few dozen. */
const maxNamedStatements = 500;

/** `timestamp` (without time zone) as written: UTC. */
const timestampOid = 1114;

/** What statements are sent through: the pool, or one connection's statements (watched). */
interface Sendable {
  query(config: pg.QueryConfig | string): Promise<pg.QueryResult>;
}

/** A connection's statements, each kept in `running` until it has settled. */
function watched(connection: pg.PoolClient): Sendable & { running: ReadonlySet<Promise<unknown>> } {
  const running = new Set<Promise<unknown>>();
  return {
    running,
    query(config) {
      const statement = connection.query(config);
      running.add(statement);
      const forget = () => running.delete(statement);
      statement.then(forget, forget);
      return statement;
    },
  };
}

/** The connection's server process id, from the server's BackendKeyData (pg keeps it). */
function backendPid(connection: pg.PoolClient): number {
  return (connection as unknown as { processID: number }).processID;
}

function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * A statement with its values written in as literals, untyped as bound text values are. Its text
 * holds no `$` but its placeholders (sqltag's, as every statement here).
 */
function inlined(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = bindable(values[Number(n) - 1]);
    if (value === null || value === undefined) return "NULL";
    return pg.escapeLiteral(typeof value === "object" ? JSON.stringify(value) : String(value));
  });
}

export function openPostgresDirect(url: string, options: PostgresDirectOptions = {}): SqlDatabase {
  const poolSize = options.poolSize ?? 3;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Kept open: opening one under load costs more than any statement the scorer runs.
    idleTimeoutMillis: 0,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === timestampOid
          ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // A connection that fails while idle is dropped from the pool (the next query opens another);
  // without a listener the error would end the process.
  pool.on("error", () => {});
  // Every connection opened now, before the first burst of work needs it (a failure here is left
  // to the first statement to report).
  void Promise.allSettled(Array.from({ length: poolSize }, () => pool.connect())).then((opened) => {
    for (const result of opened) if (result.status === "fulfilled") result.value.release();
  });

  const names = new Map<string, string>();
  const config = (text: string, values: readonly unknown[]): pg.QueryConfig => {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamedStatements) {
      name = `sway_scorer_${names.size + 1}`;
      names.set(text, name);
    }
    return { ...(name !== undefined && { name }), text, values: values.map(bindable) };
  };
  const queryableOn = (target: Sendable): SqlQueryable => ({
    async $queryRaw<T>(query: TemplateStringsArray | Sql, ...values: unknown[]) {
      const { text, values: bound } = sqlOf(query, values);
      return (await target.query(config(text, bound))).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]) {
      const { text, values: bound } = sqlOf(query, values);
      return (await target.query(config(text, bound))).rowCount ?? 0;
    },
  });

  /**
   * A transaction whose writes wait to go with its next read, or with the COMMIT, and whose reads
   * asked for in one turn go together: see `deferWrites` in the header. BEGIN goes with the first.
   */
  const deferredOn = (connection: Sendable) => {
    /** Statements not sent yet, in order; a read, with what its caller waits on. */
    let queued: { text: string; read?: { resolve(rows: unknown[]): void; reject(error: unknown): void } }[] =
      [{ text: "BEGIN" }];
    let scheduled = false;
    /** One simple query at a time: a batch asked for while one runs goes after it. */
    let sending: Promise<void> = Promise.resolve();
    /** Set once the transaction failed: nothing more is sent but its rollback. */
    let ended = false;
    const sendQueued = async () => {
      const batch = queued;
      queued = [];
      try {
        if (ended) throw new Error("the transaction has ended");
        const answer = (await connection.query(
          batch.map((statement) => statement.text).join(";\n"),
        )) as unknown as pg.QueryResult | pg.QueryResult[];
        const results = Array.isArray(answer) ? answer : [answer];
        if (results.length !== batch.length) {
          throw new Error(`${batch.length} statements sent, ${results.length} results received`);
        }
        for (const [i, statement] of batch.entries()) {
          statement.read?.resolve((results[i] as pg.QueryResult).rows);
        }
      } catch (error) {
        for (const statement of batch) statement.read?.reject(error);
      }
    };
    /** The rows of `text`, sent with what is held and the other reads asked for in this turn. */
    const send = (text: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        queued.push({ text, read: { resolve, reject } });
        if (scheduled) return;
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          sending = sending.then(sendQueued);
        });
      });
    const tx: SqlQueryable = {
      async $queryRaw<R>(query: TemplateStringsArray | Sql, ...values: unknown[]) {
        const { text, values: bound } = sqlOf(query, values);
        return (await send(inlined(text, bound))) as R;
      },
      async $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]) {
        const { text, values: bound } = sqlOf(query, values);
        queued.push({ text: inlined(text, bound) });
        return 0;
      },
    };
    /** Sends nothing more; resolves once what was sent is done. */
    const end = () => {
      ended = true;
      return sending;
    };
    return { tx, send, end };
  };

  /**
   * Rolls back, in the background, a transaction whose work threw, and then returns its connection
   * to the pool (or, if even that failed, closes it). A statement still running is cancelled first
   * (pg_cancel_backend from another connection): the work stopped waiting for it, and all it would
   * do is compete with what runs next. The rollback goes once the statements are done (`sent`:
   * what a deferred transaction still had on its way), so that nothing is queued behind a running
   * one (which pg 9 refuses).
   */
  const rollBackBehind = (
    connection: pg.PoolClient,
    running: ReadonlySet<Promise<unknown>>,
    sent: Promise<void>,
  ) => {
    const done = Promise.allSettled([...running, sent]);
    const cancelled =
      running.size === 0
        ? done
        : pool.query("SELECT pg_cancel_backend($1)", [backendPid(connection)]).then(
            () => done,
            // Not cancelled (no connection to send it from): the statements finish on their own.
            () => done,
          );
    void cancelled
      .then(() => connection.query("ROLLBACK"))
      .then(
        () => connection.release(),
        (rollbackError: Error) => connection.release(rollbackError),
      );
  };

  const client: SqlClient = {
    ...queryableOn(pool),
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await pool.query(config(query, values))).rows as T;
    },
    async $transaction<T>(
      work: (tx: SqlQueryable) => Promise<T>,
      options?: { deferWrites?: boolean },
    ): Promise<T> {
      const connection = await pool.connect();
      const statements = watched(connection);
      const deferred = options?.deferWrites ? deferredOn(statements) : undefined;
      let value: T;
      try {
        if (deferred) {
          value = await work(deferred.tx);
          await deferred.send("COMMIT");
        } else {
          await statements.query("BEGIN");
          value = await work(queryableOn(statements));
          await statements.query("COMMIT");
        }
      } catch (error) {
        rollBackBehind(connection, statements.running, deferred?.end() ?? Promise.resolve());
        throw error;
      }
      connection.release();
      return value;
    },
  };

  return { sql: client, provider: "postgresql", close: () => pool.end() };
}
