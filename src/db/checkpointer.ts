// SQLite's WAL checkpoints, on a thread of their own.
//
// In WAL mode a commit appends its pages to the -wal file, and by default the commit that takes
// the file past 1,000 pages also copies them back into the database file and syncs both. That
// copy took 25–34 ms on the live bench, on about every third transaction of the scorer (which
// writes most pages): paid inside the very commit that its subscribers' events wait for, or inside
// an API write on the main thread, which stops every response and WebSocket frame meanwhile.
//
// So the service's own connections raise that threshold to a backstop (`backstopPages`, for a
// checkpointer that fell behind or died) and this thread runs a PASSIVE checkpoint every
// `intervalMs` on a connection of its own. A PASSIVE checkpoint takes no lock that a writer or a
// reader waits for: it copies what no reader still needs and returns; whatever it leaves, the
// next one takes. The WAL starts over only when a writer finds it wholly copied and no reader in
// it; a steady stream of commits gives it no such moment (on the live bench the WAL reached the
// backstop every second or two, and a committer checkpointed). Holding the writers off for a
// RESTART checkpoint past 4,000 pages kept it under 6,700 but did not change the bench's
// latencies, so it was not kept (BENCHMARKS.md, ninth session).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger.js";

/** The threshold (wal_autocheckpoint, in pages) of connections whose checkpoints run here. */
export const backstopPages = 10_000;

export interface CheckpointerOptions {
  /** The database file (see sqliteFileOf). */
  file: string;
  logger: Logger;
  /** Between two checkpoints (default 250 ms). */
  intervalMs?: number;
}

export interface Checkpointer {
  /** Runs one last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

/** Messages from the thread. */
type CheckpointerMessage = { type: "failed"; message: string };

/**
 * The thread's body, shipped as text (a worker from a file would need tsx's loader: 30 MB and a
 * second to start for a dozen lines). CommonJS, since eval'd workers are scripts.
 */
const body = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let failed = false;
const run = () => {
  try {
    checkpoint.get();
    failed = false;
  } catch (error) {
    // Reported once per run of failures; the next interval tries again.
    if (!failed) parentPort.postMessage({ type: "failed", message: String(error && error.message) });
    failed = true;
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  run();
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(body, {
    eval: true,
    workerData: { file: options.file, driver, intervalMs: options.intervalMs ?? 250 },
  });
  const log = options.logger;
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", (message: CheckpointerMessage) => {
    log.warn({ error: message.message }, "a WAL checkpoint failed; will retry");
  });
  worker.on("error", (error) => log.error({ err: error }, "the WAL checkpointer died"));
  worker.on("exit", (code) => {
    if (!stopped)
      log.error({ code }, "the WAL checkpointer exited; commits past the backstop checkpoint themselves");
  });
  return {
    async stop() {
      if (stopped) return exited;
      stopped = true;
      worker.postMessage("stop");
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
