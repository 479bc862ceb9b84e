// `npm run recompute [-- --wait]`: a full recompute of every score in DATABASE_URL, under the scorer lease.
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { connectDatabase, type Database } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { connectSqlDatabase } from "../src/db/sql-client.js";
import { createLogger } from "../src/logger.js";
import { scorerStateId } from "../src/scorer/events.js";
import type { RunSummary } from "../src/scorer/run.js";
import { createScorer, type Scorer } from "../src/scorer/scorer.js";
import { setPagerankThreads } from "../src/scoring/pagerank-threads.js";
import { createProgressBar } from "../src/seed/progress.js";
import { runCli, UsageError } from "./cli.js";

const usage = `Usage: npm run recompute [-- --wait]

Recomputes every member's score, topic expertise and explanation in the database named by
DATABASE_URL (default file:./data/sway.db). Graph events not yet applied are applied first (their
history says why each member moved); with none pending, the moves are recorded as DECAY. Only
scores that moved by at least the model's noise floor are written.

It takes the scorer lease, so it refuses to run while a Sway server is scoring the same database.

Options:
  --wait      wait for the lease to come free instead of refusing
  -h, --help  show this help`;

function parseCli(args: string[]): { wait: boolean } | null {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { wait: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    return values.help ? null : { wait: values.wait ?? false };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function describeHolder(database: Database): Promise<string> {
  const state = await database.prisma.scorerState.findUnique({ where: { id: scorerStateId } });
  const until = state?.leaseExpiresAt ? ` until ${state.leaseExpiresAt.toISOString()}` : "";
  return `${state?.holder ?? "another scorer"}${until}`;
}

/** True once this process holds the lease; false when it is taken and we may not wait. */
async function takeLease(scorer: Scorer, database: Database, wait: boolean): Promise<boolean> {
  if (await scorer.acquireLease()) return true;
  const holder = await describeHolder(database);
  if (!wait) {
    console.error(
      `recompute: the scorer lease is held by ${holder}: a running Sway server is scoring this database.\n` +
        "Stop it first, or pass --wait to wait until the lease comes free.",
    );
    return false;
  }
  console.error(`recompute: waiting for the scorer lease, held by ${holder}…`);
  while (!(await scorer.acquireLease())) await new Promise((resolve) => setTimeout(resolve, 1000));
  return true;
}

async function describe(summary: RunSummary, database: Database): Promise<string> {
  const n = (value: number) => value.toLocaleString("en-US");
  const ids = summary.largest.map((change) => change.userId);
  const users = await database.prisma.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, handle: true },
  });
  const handles = new Map(users.map((user) => [user.id, user.handle]));
  const loaded = summary.loaded;
  const rows = loaded
    ? ` over ${n(loaded.follows + loaded.interactions)} edges (${n(loaded.follows)} follows, ` +
      `${n(loaded.interactions)} interactions) and ${n(loaded.endorsements)} endorsements`
    : "";
  const lines = [
    `Recomputed ${n(summary.members)} scores (model v${summary.modelVersion})${rows} ` +
      `in ${summary.seconds.total.toFixed(1)}s (load ${summary.seconds.load.toFixed(1)}s, ` +
      `compute ${summary.seconds.compute.toFixed(1)}s, write ${summary.seconds.write.toFixed(1)}s).`,
    `${n(summary.changed)} scores changed${summary.events > 0 ? `; ${n(summary.events)} events applied` : ""}.`,
  ];
  if (summary.largest.length > 0) lines.push("Largest moves:");
  for (const change of summary.largest) {
    const delta = `${change.delta >= 0 ? "+" : ""}${change.delta.toFixed(1)}`;
    const what = change.old === null ? "first score" : `from ${change.old.toFixed(1)}`;
    lines.push(
      `  ${(handles.get(change.userId) ?? `#${change.userId}`).padEnd(32)} ${delta.padStart(6)}  ` +
        `(${what} to ${change.new.toFixed(1)}, ${change.reason})`,
    );
  }
  return lines.join("\n");
}

async function recompute(wait: boolean): Promise<number> {
  const config = loadConfig();
  setPagerankThreads(config.pagerankThreads);
  await migrate(config.databaseUrl, { log: (message) => console.error(message) });
  // The scorer writes on a connection of its own, as in the server (Prisma-free on SQLite); this
  // one only reads, for the messages.
  const database = await connectDatabase(config);
  const scorerDatabase = await connectSqlDatabase(config);
  const progress = createProgressBar();
  const scorer = createScorer({
    database: scorerDatabase,
    logger: createLogger("warn"),
    holderId: `recompute:${hostname()}:${process.pid}`,
    onProgress: progress.update,
  });
  try {
    if (!(await takeLease(scorer, database, wait))) return 1;
    const summary = (await scorer.applyPendingEvents()) ?? (await scorer.recompute({ kind: "decay" }));
    progress.finish();
    console.log(await describe(summary, database));
    return 0;
  } finally {
    await scorer.stop();
    await scorerDatabase.close();
    await database.close();
  }
}

await runCli("recompute", usage, parseCli, (options) => recompute(options.wait));
