// The scorer thread's body (see thread.ts): its own database connection and scorer, reporting
// score changes and lease changes to the main thread, and stopping cleanly when asked.
import { parentPort, workerData } from "node:worker_threads";
import { connectSqlDatabase } from "../db/sql-client.js";
import { createLogger } from "../logger.js";
import { defaultModel } from "../scoring/model.js";
import { setPagerankThreads } from "../scoring/pagerank-threads.js";
import { createScorer } from "./scorer.js";
import type { WorkerInput, WorkerMessage } from "./thread.js";
import { warmUpIncremental } from "./warm-up.js";

const port = parentPort;
if (!port) throw new Error("thread-worker.ts runs only as a worker thread (see thread.ts)");
const { config, gate, wakes } = workerData as WorkerInput;
const send = (message: WorkerMessage) => port.postMessage(message);

setPagerankThreads(config.pagerankThreads);
const logger = createLogger(config.logLevel).child({ component: "scorer" });
// A small pool: the scorer writes in one transaction at a time, or two at once for a run's own
// members on PostgreSQL (see scorer.ts), beside one it gave up that may still be rolling back, and
// the lease's. Without Prisma
// (src/db/sqlite-direct.ts, src/db/postgres-direct.ts); on SQLite the app runs a checkpointer
// thread for it (src/db/checkpointer.ts).
const database = await connectSqlDatabase(
  { ...config, databasePoolSize: 4 },
  { backgroundCheckpoints: config.databaseProvider === "sqlite" },
);
// Reports sent, and the last one the main thread said it delivered: an incremental run lets the
// main thread deliver its events' own members' moves before it writes their network moves, which
// would compete with that for the CPU; never for longer than maxDeliveryWaitMs.
const maxDeliveryWaitMs = 20;
let reported = 0;
let delivered = 0;
let whenDelivered: (() => void) | undefined;
const allDelivered = () =>
  delivered >= reported
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          whenDelivered = undefined;
          resolve();
        };
        const timer = setTimeout(done, maxDeliveryWaitMs);
        whenDelivered = done;
      });

const scorer = createScorer({
  database,
  logger,
  eventRetentionMs: config.eventRetentionDays * 24 * 3_600_000,
  pollMs: config.scorerPollMs,
  wakes,
  ...(config.databaseProvider === "sqlite" && { gate }),
  onScoresChanged: (changes) => send({ type: "changes", changes, seq: ++reported }),
  delivered: allDelivered,
});

let held = false;
const reportLease = () => {
  if (scorer.holdsLease === held) return;
  held = scorer.holdsLease;
  send({ type: "lease", held });
};
const leaseWatch = setInterval(reportLease, 500);

port.on("message", async (message: { type: string; seq?: number }) => {
  if (message.type === "delivered") {
    delivered = Math.max(delivered, message.seq ?? 0);
    if (delivered >= reported) whenDelivered?.();
    return;
  }
  // Graph events were committed (by this instance or, through the pub/sub, another). A scorer
  // without the lease steps cheaply: it retries the lease only every few seconds.
  if (message.type === "wake") {
    scorer.wake();
    return;
  }
  if (message.type !== "stop") return;
  clearInterval(leaseWatch);
  await scorer.stop();
  await database.close();
  port.close();
});

// Its first incremental runs are not the slow ones (see warm-up.ts): about 0.1 s, before the lease.
const warmUp = warmUpIncremental(defaultModel);
logger.debug({ moves: warmUp.moves, ms: Math.round(warmUp.ms) }, "warmed up the incremental scorer");
await scorer.start();
reportLease();
send({ type: "started" });
