// The one place that creates the Prisma client for the configured database.
//
// A generated Prisma client is tied to one provider, so there are two (see prisma/models.prisma).
// Both are generated from the same models and expose the same API; the rest of the code is typed
// against the SQLite one, and test/db-clients.typecheck.ts proves the PostgreSQL one fits that type.
import type { Config } from "../config.js";
import type { PrismaClient } from "../generated/prisma/sqlite/client.js";
import { backstopPages } from "./checkpointer.js";

export type Db = PrismaClient;

export interface QueryRecord {
  model: string | undefined;
  operation: string;
}

export interface DatabaseOptions {
  /** Called once per Prisma operation (one database round-trip); tests use it to pin query counts. */
  onQuery?: (query: QueryRecord) => void;
  /**
   * SQLite: a checkpointer thread runs this database's WAL checkpoints (see checkpointer.ts), so
   * this connection's commits leave them to it up to the backstop.
   */
  backgroundCheckpoints?: boolean;
}

export interface Database {
  prisma: Db;
  provider: Config["databaseProvider"];
  close(): Promise<void>;
}

type DatabaseConfig = Pick<Config, "databaseUrl" | "databaseProvider" | "databasePoolSize">;

async function createClient(config: DatabaseConfig): Promise<Db> {
  if (config.databaseProvider === "postgresql") {
    const [{ PrismaClient: PgClient }, { PrismaPg }] = await Promise.all([
      import("../generated/prisma/postgresql/client.js"),
      import("@prisma/adapter-pg"),
    ]);
    const adapter = new PrismaPg({ connectionString: config.databaseUrl, max: config.databasePoolSize });
    return new PgClient({ adapter }) as unknown as Db;
  }
  const [{ PrismaClient: SqliteClient }, { PrismaBetterSqlite3 }] = await Promise.all([
    import("../generated/prisma/sqlite/client.js"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  // better-sqlite3 waits this long for a lock held by another process before failing.
  const adapter = new PrismaBetterSqlite3({ url: config.databaseUrl, timeout: 10_000 });
  return new SqliteClient({ adapter });
}

function recordQueries(prisma: Db, onQuery: (query: QueryRecord) => void): Db {
  return prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        onQuery({ model, operation });
        return query(args);
      },
    },
  }) as unknown as Db;
}

export async function connectDatabase(
  config: DatabaseConfig,
  options: DatabaseOptions = {},
): Promise<Database> {
  const base = await createClient(config);
  await base.$connect();
  if (config.databaseProvider === "sqlite") {
    // WAL lets readers run while the single writer commits; it is a property of the file.
    await base.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    if (options.backgroundCheckpoints)
      await base.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${backstopPages}`);
  }
  const prisma = options.onQuery ? recordQueries(base, options.onQuery) : base;
  return {
    prisma,
    provider: config.databaseProvider,
    close: () => base.$disconnect(),
  };
}
