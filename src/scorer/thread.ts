// Runs the scorer in a worker thread, so its full runs (seconds at a million members) and its
// bursts of incremental work never stall the API's event loop. The worker opens its own database
// connection and runs createScorer as before; score changes come back as messages, sent after
// their history rows are committed. If the worker dies, it is started again after a pause (the
// lease makes sure no two scorers overlap, here or across instances).
import { Worker } from "node:worker_threads";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { ScoreChange } from "./write.js";
import { appWriteGate, leave, type WriteGate } from "./write-gate.js";

export interface ScorerThreadOptions {
  config: Config;
  logger: Logger;
  onScoresChanged?: (changes: ScoreChange[]) => void | Promise<void>;
  /** Pause before a dead worker is started again (default 5 s). */
  restartMs?: number;
  /** How long stop() waits for the worker to finish its batch and release the lease (default 8 s). */
  stopMs?: number;
}

export interface ScorerThread {
  /** Whether the worker's scorer held the lease when it last said. */
  readonly holdsLease: boolean;
  /** Resolves when the worker's first attempt is done (its first full run, when it got the lease). */
  readonly started: Promise<void>;
  /** Stops the scorer (the current write batch finishes, the lease is released) and the worker. */
  stop(): Promise<void>;
  /**
   * Graph events were committed (up to `eventId`, when known): the scorer (if it holds the lease)
   * steps now, not at its next poll.
   */
  wake(eventId?: number): void;
}

/** Messages from the worker (src/scorer/thread-worker.ts). */
export type WorkerMessage =
  | { type: "started" }
  | { type: "lease"; held: boolean }
  /** `seq` counts the worker's reports; the main thread answers each with `delivered`. */
  | { type: "changes"; changes: ScoreChange[]; seq: number }
  | { type: "stopped" };

export interface WorkerInput {
  config: Config;
  /** The main thread's count of API write transactions in flight (see write-gate.ts). */
  gate: WriteGate;
  /**
   * [0] is raised with every wake message, so the scorer sees a wake in the middle of a step; [1]
   * is the newest event id a wake announced (see ScorerOptions.wakes).
   */
  wakes: Int32Array;
}

/**
 * The worker runs TypeScript like the rest of the service: its entry is a tiny script that loads
 * thread-worker.ts through tsx (a worker does not inherit the parent's module hooks).
 */
function spawn(config: Config, wakes: Int32Array): Worker {
  const entry = new URL("./thread-worker.ts", import.meta.url).href;
  const code = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, {
    eval: true,
    workerData: { config, gate: appWriteGate(), wakes } satisfies WorkerInput,
  });
}

export function startScorerThread(options: ScorerThreadOptions): ScorerThread {
  const log = options.logger;
  const restartMs = options.restartMs ?? 5_000;
  const stopMs = options.stopMs ?? 8_000;
  let holdsLease = false;
  let stopping = false;
  let worker: Worker;
  let restartTimer: NodeJS.Timeout | undefined;
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });

  const wakes = new Int32Array(new SharedArrayBuffer(8));
  const run = () => {
    const current = spawn(options.config, wakes);
    worker = current;
    current.on("message", (message: WorkerMessage) => {
      switch (message.type) {
        case "started":
          markStarted();
          break;
        case "lease":
          holdsLease = message.held;
          break;
        case "changes": {
          const { seq } = message;
          Promise.resolve(options.onScoresChanged?.(message.changes))
            .catch((error: unknown) => {
              log.error({ err: error, changes: message.changes.length }, "a score-change subscriber failed");
            })
            // Published; the fan-out hands them to the sockets in this turn's promise reactions,
            // so by the next turn they are on their way.
            .finally(() => setImmediate(() => current.postMessage({ type: "delivered", seq })));
          break;
        }
      }
    });
    current.on("error", (error) => log.error({ err: error }, "the scorer thread failed"));
    current.on("exit", (code) => {
      holdsLease = false;
      // A worker that died inside a write transaction must not hold the API's writes back.
      leave(appWriteGate());
      if (stopping || worker !== current) return;
      log.error({ code, restartMs }, "the scorer thread exited; starting it again");
      restartTimer = setTimeout(run, restartMs);
    });
  };
  run();

  return {
    get holdsLease() {
      return holdsLease;
    },
    started,
    wake(eventId) {
      if (stopping) return;
      // Only this thread writes it; event ids are 32-bit integers.
      if (eventId !== undefined && eventId > Atomics.load(wakes, 1) && eventId <= 0x7fffffff) {
        Atomics.store(wakes, 1, eventId);
      }
      Atomics.add(wakes, 0, 1);
      worker.postMessage({ type: "wake" });
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const current = worker;
      const exited = new Promise<void>((resolve) => {
        if (current.threadId === -1) resolve();
        else current.once("exit", () => resolve());
      });
      current.postMessage({ type: "stop" });
      // A worker that does not wind down in time (a hung database call) is ended; its lease expires.
      const timer = setTimeout(() => {
        log.warn({ stopMs }, "the scorer thread did not stop in time; terminating it");
        void current.terminate();
      }, stopMs);
      await exited;
      clearTimeout(timer);
      holdsLease = false;
    },
  };
}
