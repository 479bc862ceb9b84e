// The server as a value: createApp(config) migrates and connects the database, seeds the demo
// community when asked, and returns { start, stop } so tests can run it on a free port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PothosValidationError } from "@pothos/core";
import { GraphQLError } from "graphql";
import { createYoga, type MaskError, maskError, type YogaServerInstance } from "graphql-yoga";
import { bearerToken } from "./auth/tokens.js";
import type { Context } from "./builder.js";
import type { Config } from "./config.js";
import { startCheckpointer } from "./db/checkpointer.js";
import { connectDatabase, type Database, type DatabaseOptions } from "./db/client.js";
import { migrate, sqliteFileOf } from "./db/migrate.js";
import { limitPlugins } from "./limits.js";
import { createLogger, type Logger } from "./logger.js";
import { createPublisher } from "./realtime/publish.js";
import { createRealtime, type Realtime } from "./realtime/pubsub.js";
import { createWaker } from "./realtime/wake.js";
import { attachWebSockets } from "./realtime/ws.js";
import { schema } from "./schema/index.js";
import { type ScorerThread, startScorerThread } from "./scorer/thread.js";
import { seedDemoIfEmpty } from "./seed/community.js";
import { createServices, type Services } from "./services/index.js";
import { createLoaders } from "./services/loaders.js";
import { warmUpRequests } from "./warm-up.js";

export interface AppOptions extends DatabaseOptions {
  logger?: Logger;
  /** Prepended to Redis channel names: servers sharing a Redis but not a database (tests). */
  redisChannelPrefix?: string;
}

export interface App {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  database: Database;
  services: Services;
  scorer: ScorerThread;
  /** The pub/sub live events go through (in-process, or Redis with REDIS_URL). */
  readonly realtime: Realtime;
  logger: Logger;
  /** Listens on config.host; `port` overrides config.port (0 picks a free one). Returns the URL. */
  start(port?: number): Promise<string>;
  stop(): Promise<void>;
}

const invalidToken = () =>
  new GraphQLError("The bearer token is invalid or has expired; log in again.", {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });

/**
 * Unexpected errors stay masked (Yoga's maskError). Pothos' validation errors — a malformed
 * cursor or global ID given by the client — keep their message and get the code BAD_USER_INPUT.
 */
const codeInputErrors: MaskError = (error, message, isDev) => {
  if (error instanceof GraphQLError && error.originalError instanceof PothosValidationError) {
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { ...error.extensions, code: "BAD_USER_INPUT" },
    });
  }
  return maskError(error, message, isDev);
};

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  await migrate(config.databaseUrl, { log: (message) => logger.info({ component: "migrate" }, message) });
  // SQLite's WAL checkpoints run on a thread of their own, not inside the commits that wait.
  const checkpointer =
    config.databaseProvider === "sqlite"
      ? startCheckpointer({
          file: sqliteFileOf(config.databaseUrl),
          logger: logger.child({ component: "checkpointer" }),
        })
      : null;
  const database = await connectDatabase(config, {
    ...options,
    backgroundCheckpoints: checkpointer !== null,
  });
  const db = database.prisma;

  if (config.seedDemoData) {
    const summary = await seedDemoIfEmpty(db);
    if (summary) logger.info({ component: "seed", ...summary }, "seeded the demo community");
  }

  // Live events go out through the pub/sub (Redis when REDIS_URL is set); the scorer's changes are
  // published after their history commits. The scorer runs in a worker thread with a connection
  // of its own: see src/scorer/thread.ts.
  const realtime = createRealtime(config.redisUrl, {
    channelPrefix: options.redisChannelPrefix,
    logger: logger.child({ component: "pubsub" }),
  });
  const publisher = createPublisher(realtime.pubsub);
  const scorer = startScorerThread({
    config,
    logger: logger.child({ component: "scorer" }),
    onScoresChanged: (changes) => publisher.scoresChanged(changes),
  });

  const waker = createWaker(
    realtime.pubsub,
    (eventId) => scorer.wake(eventId),
    logger.child({ component: "wake" }),
  );
  const services = createServices(db, config, {
    endorsementReceived: publisher.endorsementReceived,
    memberGone: publisher.memberGone,
    graphChanged: waker.graphChanged,
  });
  const yogaLog = logger.child({ component: "graphql" });

  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: config.graphiql ? { title: "Sway" } : false,
    landingPage: false,
    // One operation per request: a JSON array body is refused ("Batching is not supported.").
    batching: false,
    plugins: limitPlugins(config.limits),
    maskedErrors: { maskError: codeInputErrors },
    logging: {
      debug: (...args) => yogaLog.debug(args),
      info: (...args) => yogaLog.info(args),
      warn: (...args) => yogaLog.warn(args),
      error: (...args) => yogaLog.error(args),
    },
    context: async ({ request }): Promise<Context> => {
      const token = bearerToken(request.headers.get("authorization"));
      const loaders = createLoaders(db, services);
      const pubsub = realtime.pubsub;
      if (token === undefined) return { db, services, loaders, pubsub, viewer: null, token: null };
      const viewer = await services.accounts.viewerForToken(token);
      if (!viewer) throw invalidToken();
      return { db, services, loaders, pubsub, viewer, token };
    },
  });

  let server: Server | undefined;
  let webSockets: { close(): Promise<void> } | undefined;

  return {
    yoga,
    database,
    services,
    scorer,
    realtime,
    logger,
    async start(port = config.port) {
      // The first requests are not the slow ones: see src/warm-up.ts.
      const warmUpMs = await warmUpRequests(yoga, db);
      logger.debug({ ms: Math.round(warmUpMs) }, "warmed up the request path");
      const listening = createServer(yoga);
      server = listening;
      webSockets = attachWebSockets(listening, {
        yoga,
        path: "/graphql",
        tokenIsValid: async (token) => (await services.accounts.viewerForToken(token)) !== null,
        maxBufferedBytes: config.wsMaxBufferedBytes,
        logger: logger.child({ component: "ws" }),
      });
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(port, config.host, resolve);
      });
      const address = listening.address() as AddressInfo;
      const url = `http://${config.host}:${address.port}/graphql`;
      logger.info({ url, database: config.databaseProvider }, "Sway is listening");
      return url;
    },
    async stop() {
      await webSockets?.close();
      webSockets = undefined;
      if (server) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve, reject) => {
          closing.close((error) => (error ? reject(error) : resolve()));
          closing.closeIdleConnections();
        });
      }
      await scorer.stop();
      waker.stop();
      publisher.close();
      await realtime.close();
      await database.close();
      await checkpointer?.stop();
    },
  };
}
