// The one place that reads configuration from the environment. Every bad value is reported
// at once, by name, before anything starts.

export type DatabaseProvider = "sqlite" | "postgresql";
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  databaseProvider: DatabaseProvider;
  /** Connections per instance in the PostgreSQL pool. */
  databasePoolSize: number;
  redisUrl: string | undefined;
  /** How often the scorer looks for new graph events when nothing wakes it (commits do). */
  scorerPollMs: number;
  /** A WebSocket subscriber with more unsent bytes than this is disconnected (code 4413). */
  wsMaxBufferedBytes: number;
  logLevel: LogLevel;
  /** Seed the demo community when the database has no members yet (default: on for SQLite only). */
  seedDemoData: boolean;
  graphiql: boolean;
  tokenTtlDays: number;
  /** Applied graph events older than this are deleted by the scorer (0 keeps them all). */
  eventRetentionDays: number;
  /** Threads a PageRank solve may use (2 sweeps on a second core when there is one). */
  pagerankThreads: 1 | 2;
  /** What one GraphQL operation may ask for (src/limits.ts). */
  limits: Limits;
}

export interface Limits {
  /** Nesting of fields; fragments do not add a level. */
  maxDepth: number;
  /** graphql-armor's cost model, with every page size counted (see src/limits.ts). */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens in the document, checked while parsing. */
  maxTokens: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const logLevels: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export const defaultDatabaseUrl = "file:./data/sway.db";

export function databaseProviderOf(url: string): DatabaseProvider | undefined {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  return undefined;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const databaseUrl = read("DATABASE_URL") ?? defaultDatabaseUrl;
  const databaseProvider = databaseProviderOf(databaseUrl);
  if (!databaseProvider) {
    problems.push(
      `DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL), got "${databaseUrl}"`,
    );
  }

  const redisUrl = read("REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }

  const logLevel = (read("LOG_LEVEL") ?? "info").toLowerCase();
  if (!logLevels.includes(logLevel as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(", ")}, got "${logLevel}"`);
  }

  const config: Config = {
    port: integer("PORT", 4000, 0, 65535),
    host: read("HOST") ?? "127.0.0.1",
    databaseUrl,
    databaseProvider: databaseProvider ?? "sqlite",
    databasePoolSize: integer("DATABASE_POOL_SIZE", 10, 1, 1000),
    redisUrl,
    logLevel: logLevel as LogLevel,
    // Demo members share a published password: never seed them into a production database by default.
    seedDemoData: boolean("SEED_DEMO_DATA", databaseProvider !== "postgresql"),
    graphiql: boolean("GRAPHIQL", true),
    tokenTtlDays: integer("TOKEN_TTL_DAYS", 30, 1, 3650),
    eventRetentionDays: integer("EVENT_RETENTION_DAYS", 7, 0, 3650),
    pagerankThreads: integer("PAGERANK_THREADS", 2, 1, 2) as 1 | 2,
    scorerPollMs: integer("SCORER_POLL_MS", 1000, 10, 3_600_000),
    wsMaxBufferedBytes: integer("WS_MAX_BUFFERED_BYTES", 1_048_576, 1024, 1_073_741_824),
    // A profile with its followers' score explanations nests 9 deep; a member's followers'
    // followers at the default page of 20 cost ~65,000, 100 members' 20 followers ~145,000.
    limits: {
      maxDepth: integer("MAX_QUERY_DEPTH", 12, 1, 1000),
      maxCost: integer("MAX_QUERY_COST", 100_000, 1, 1_000_000_000),
      maxAliases: integer("MAX_QUERY_ALIASES", 15, 0, 10_000),
      maxDirectives: integer("MAX_QUERY_DIRECTIVES", 50, 0, 10_000),
      maxTokens: integer("MAX_QUERY_TOKENS", 2000, 1, 1_000_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
