// `npm run seed -- --members N [--seed S] [--force]`: migrates DATABASE_URL and seeds a demo community.
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { connectDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import {
  defaultSeed,
  demoAdminHandle,
  demoPassword,
  type SeedSummary,
  seedCommunity,
} from "../src/seed/community.js";
import { createProgressBar } from "../src/seed/progress.js";
import { runCli, UsageError } from "./cli.js";

// The whole plan is held in memory: about 1 GB of heap at 1M members.
const maxMembers = 1_000_000;
const maxSeed = 2 ** 32 - 1;

const usage = `Usage: npm run seed -- --members N [--seed S] [--force]

Adds N demo members, with topics, follows, interactions and endorsements, to the database named by
DATABASE_URL (default file:./data/sway.db), migrating it first. The same seed gives the same
community. No scores are written: the scorer computes them (when Sway starts, or by "npm run recompute").

Every demo member logs in with the password "${demoPassword}"; ${demoAdminHandle} is an admin.

Options:
  --members N   how many members to create, 1 to ${maxMembers.toLocaleString("en-US")} (100_000 is fine)
  --seed S      the generator's seed, 0 to ${maxSeed} (default ${defaultSeed})
  --force       seed even though the database already has members. Nothing existing is changed:
                the new members are added as a community of their own (they follow, engage with
                and endorse each other only), a handle that is taken gets a numeric suffix instead
                (${demoAdminHandle} is created only if missing), and interaction keys carry the id
                of the first new member (seed-<seed>-<id>-<n>), so they never collide
  -h, --help    show this help`;

interface Options {
  members: number;
  seed: number;
  force: boolean;
}

function integerFlag(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+(_\d+)*$/.test(raw) ? Number(raw.replaceAll("_", "")) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The options, or null when help was asked for. */
function parseCli(args: string[]): Options | null {
  let values: { members?: string; seed?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        members: { type: "string" },
        seed: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  if (values.members === undefined) throw new UsageError("--members is required");
  return {
    members: integerFlag("--members", values.members, 1, maxMembers),
    seed: values.seed === undefined ? defaultSeed : integerFlag("--seed", values.seed, 0, maxSeed),
    force: values.force ?? false,
  };
}

function describeSummary(s: SeedSummary): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    `Seeded ${n(s.members)} members in ${s.seconds.toFixed(1)}s: ${n(s.topics)} topics, ${n(s.follows)} follows,`,
    `${n(s.interactions)} interactions (${n(s.anonymousInteractions)} with non-members), ${n(s.endorsements)} endorsements.`,
    `Members log in with the password "${demoPassword}"; ${demoAdminHandle} is an admin.`,
  ].join("\n");
}

async function seed(options: Options): Promise<number> {
  const config = loadConfig();
  await migrate(config.databaseUrl, { log: (message) => console.error(message) });
  const database = await connectDatabase(config);
  try {
    const existing = await database.prisma.user.count();
    if (existing > 0 && !options.force) {
      console.error(
        `seed: the database already has ${existing} members; pass --force to add more (see --help)`,
      );
      return 1;
    }
    const progress = createProgressBar();
    const summary = await seedCommunity(database.prisma, { ...options, onProgress: progress.update });
    progress.finish();
    console.log(describeSummary(summary));
    return 0;
  } finally {
    await database.close();
  }
}

await runCli("seed", usage, parseCli, seed);
