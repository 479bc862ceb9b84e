// Interactive transactions for the services: one place for their timeouts and for SQLite's locking.
//
// Timeouts: under a burst (50 endorsements at once on a pool of 10 connections) a transaction may
// wait for a connection longer than Prisma's 2-second default before it starts.
//
// SQLite: Prisma's adapter begins transactions DEFERRED. A transaction that reads, then writes
// after another connection (the scorer's, in its worker thread) committed, fails at once with
// SQLITE_BUSY: its snapshot is stale, and waiting cannot help. So the first statement takes the
// write lock — a write that changes nothing — which waits (busy timeout) like BEGIN IMMEDIATE.
// The adapter already runs one transaction at a time per connection. A transaction can still be
// turned away (SQLITE_BUSY) — after the busy timeout, or at once when SQLite sees that waiting
// could deadlock — and then it is run again, since nothing of it was written.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { asAppWrite, retryWhileBusy } from "../scorer/write-gate.js";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function transaction<T>(
  db: Db,
  provider: Config["databaseProvider"],
  work: (tx: Tx) => Promise<T>,
  options: { startsWithWrite?: boolean } = {},
): Promise<T> {
  const run = () =>
    db.$transaction(
      async (tx) => {
        // A `work` whose first statement writes takes the lock itself, before it reads anything.
        if (provider === "sqlite" && !options.startsWithWrite) {
          await tx.$executeRaw`UPDATE "ScorerState" SET "id" = "id" WHERE 0 = 1`;
        }
        return work(tx);
      },
      { maxWait: 15_000, timeout: 15_000 },
    );
  // On SQLite the scorer thread lets API writes in flight go first (src/scorer/write-gate.ts),
  // and a transaction the lock turned away is rolled back whole, so it runs again.
  return provider === "sqlite" ? asAppWrite(() => retryWhileBusy(run, busyRetryMs)) : run();
}

/** How long an API transaction keeps being retried while SQLite's lock turns it away. */
const busyRetryMs = 10_000;
