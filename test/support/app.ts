// Starts a real Sway server on a free port over a throwaway database, records every Prisma
// round-trip, and executes typed operations over HTTP. With TEST_REDIS_URL set (CI's PostgreSQL +
// Redis run), live events go through that Redis, on channels of the test app's own (so test files
// running side by side on one Redis do not hear each other).

import { randomBytes } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { QueryRecord } from "../../src/db/client.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { testRedisUrl } from "./redis.js";

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  app: App;
  url: string;
  database: TestDatabase;
  /** Every Prisma operation since the last `queries.length = 0`. */
  queries: QueryRecord[];
  /**
   * Waits until the app's client has been idle for a while — the scorer's publisher reads history
   * on the same client after each scorer batch — and empties `queries`: call before counting.
   */
  quiet(): Promise<void>;
  execute<T, V>(
    document: TypedDocumentNode<T, V>,
    variables?: V,
    options?: { token?: string },
  ): Promise<GraphQLResponse<T> & { status: number }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** An existing database (several apps on one database); it is left for its owner to drop. */
  database?: TestDatabase;
  /** Redis channel prefix; apps that must hear each other share one (default: one per app). */
  redisChannelPrefix?: string;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const ownsDatabase = options.database === undefined;
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    SEED_DEMO_DATA: "false",
    PORT: "0",
    ...(testRedisUrl && { REDIS_URL: testRedisUrl }),
    ...env,
  });
  const queries: QueryRecord[] = [];
  const app = await createApp(config, {
    onQuery: (query) => queries.push(query),
    redisChannelPrefix: options.redisChannelPrefix ?? `sway-test-${randomBytes(6).toString("hex")}:`,
  });
  const url = await app.start();

  return {
    app,
    url,
    database,
    queries,
    async quiet() {
      for (let idle = 0; idle < 3; ) {
        queries.length = 0;
        await new Promise((resolve) => setTimeout(resolve, 200));
        idle = queries.length === 0 ? idle + 1 : 0;
      }
    },
    async execute(document, variables, options = {}) {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
          ...(options.token && { authorization: `Bearer ${options.token}` }),
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return { status: response.status, ...(await response.json()) };
    },
    async close() {
      await app.stop();
      if (ownsDatabase) await database.drop();
    },
  };
}
