// Exactly one scorer per database: a lease on the ScorerState row "main".
//
// Why two scorers never both write:
// - Acquiring is one conditional UPDATE ("holder is me, or nobody, or the lease has expired"). One
//   statement is atomic on both databases: SQLite runs one writer at a time, and PostgreSQL locks
//   the row and re-checks the condition against the committed row before updating, so two
//   contenders cannot both see the old holder and both win. A missing row is created with
//   INSERT … ON CONFLICT DO NOTHING, so racing creators get exactly one winner and no error.
// - Every write transaction of the scorer starts with the fence, which locks the row "where the
//   holder is me" until commit. It fails (rolling the transaction back) once another scorer holds
//   the lease, and nobody can take the lease over while a batch is in flight: committed batches of
//   two scorers never interleave, whatever their clocks say. On PostgreSQL the lock is a shared one
//   (SELECT … FOR SHARE), so that a batch given up and still rolling back does not hold the next
//   one back; the lease's own UPDATEs, and an erasure's (erasure.ts), wait for every holder of it.
//   SQLite has one writer at a time, and the fence is an UPDATE of the row.
// - Renewing only extends a lease still held by me. Once it is lost, the current term ends: a run
//   started in an older term fails its fence even if this scorer later gets the lease back.
//
// Clocks: the holder writes the expiry by its clock and a contender judges it by its own. A
// contender whose clock runs ahead may take over early, and a holder stalled for longer than the
// lease loses it; either costs a repeated recompute, never a double write (the fence sees to that).
// Keep instance clocks within a few seconds (NTP), well under the lease, so a live holder keeps it.
import type { SqlClient } from "../db/sql-client.js";
import { scorerStateId } from "./events.js";
import { type Queryable, toMs } from "./load.js";

export class LeaseLostError extends Error {
  constructor(holderId: string) {
    super(`Scorer ${holderId} no longer holds the scorer lease`);
    this.name = "LeaseLostError";
  }
}

export interface LeaseHolder {
  holder: string | null;
  leaseExpiresAt: Date | null;
}

export interface Lease {
  readonly holderId: string;
  /** Whether this scorer believes it holds the lease (the fence has the last word). */
  readonly held: boolean;
  /** Counts acquisitions: a run remembers the term it started in. */
  readonly term: number;
  acquire(): Promise<boolean>;
  /** Extends the lease; false (and no longer held) when another scorer has it. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
  /** The first statement of every write transaction; throws LeaseLostError. */
  fence(tx: Queryable, term: number): Promise<void>;
  /** Who holds the lease now, as stored. */
  current(): Promise<LeaseHolder | null>;
}

export interface LeaseOptions {
  db: SqlClient;
  holderId: string;
  ttlMs: number;
  now: () => number;
  /** Which fence to use (see the header). */
  provider: "sqlite" | "postgresql";
}

export function createLease({ db, holderId, ttlMs, now, provider }: LeaseOptions): Lease {
  let held = false;
  let term = 0;
  // Its own transaction: on SQLite the scorer's one connection may be inside a write batch, and a
  // bare statement would join (and could roll back with) that batch.
  const alone = <T>(work: (tx: Queryable) => Promise<T>) =>
    db.$transaction(work, { maxWait: ttlMs, timeout: ttlMs });

  return {
    holderId,
    get held() {
      return held;
    },
    get term() {
      return term;
    },

    async acquire() {
      const at = new Date(now());
      const expires = new Date(at.getTime() + ttlMs);
      const won = await alone(async (tx) => {
        const updated = await tx.$executeRaw`
          UPDATE "ScorerState" SET "holder" = ${holderId}, "leaseExpiresAt" = ${expires}, "updatedAt" = ${at}
          WHERE "id" = ${scorerStateId}
            AND ("holder" IS NULL OR "holder" = ${holderId} OR "leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${at})`;
        if (updated > 0) return true;
        const inserted = await tx.$executeRaw`
          INSERT INTO "ScorerState" ("id", "lastEventId", "holder", "leaseExpiresAt", "updatedAt")
          VALUES (${scorerStateId}, 0, ${holderId}, ${expires}, ${at}) ON CONFLICT ("id") DO NOTHING`;
        return inserted > 0;
      });
      if (won && !held) term++;
      held = won;
      return won;
    },

    async renew() {
      if (!held) return false;
      const at = new Date(now());
      const updated = await alone(
        (tx) => tx.$executeRaw`
          UPDATE "ScorerState" SET "leaseExpiresAt" = ${new Date(at.getTime() + ttlMs)}, "updatedAt" = ${at}
          WHERE "id" = ${scorerStateId} AND "holder" = ${holderId}`,
      );
      if (updated === 0) held = false;
      return held;
    },

    async release() {
      if (!held) return;
      held = false;
      await alone(
        (tx) => tx.$executeRaw`
          UPDATE "ScorerState" SET "holder" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${new Date(now())}
          WHERE "id" = ${scorerStateId} AND "holder" = ${holderId}`,
      );
    },

    async fence(tx, runTerm) {
      if (!held || runTerm !== term) throw new LeaseLostError(holderId);
      const locked =
        provider === "postgresql"
          ? (
              await tx.$queryRaw<unknown[]>`
                SELECT 1 FROM "ScorerState" WHERE "id" = ${scorerStateId} AND "holder" = ${holderId} FOR SHARE`
            ).length
          : await tx.$executeRaw`
              UPDATE "ScorerState" SET "updatedAt" = ${new Date(now())}
              WHERE "id" = ${scorerStateId} AND "holder" = ${holderId}`;
      if (locked === 0) {
        held = false;
        throw new LeaseLostError(holderId);
      }
    },

    async current() {
      const [row] = await db.$queryRaw<{ holder: string | null; leaseExpiresAt: unknown }[]>`
        SELECT "holder", "leaseExpiresAt" FROM "ScorerState" WHERE "id" = ${scorerStateId}`;
      if (!row) return null;
      const expires = row.leaseExpiresAt;
      return { holder: row.holder, leaseExpiresAt: expires === null ? null : new Date(toMs(expires)) };
    },
  };
}
