// `npm run db:migration -- <name>`: writes the next dbmate migration for both dialects from what
// changed between prisma/migrations.snapshot.prisma and prisma/models.prisma, then moves the
// snapshot on and re-derives prisma/<provider>/schema.prisma.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffModels, type MigrationScripts } from "./engine.js";
import {
  deriveSchema,
  migrationsDir,
  type Provider,
  providers,
  readModels,
  readSnapshot,
  root,
  schemaPath,
  snapshotPath,
} from "./providers.js";

type Plan = Record<Provider, MigrationScripts>;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function migrationName(): string {
  const name = process.argv[2];
  if (!name || process.argv.length > 3 || !/^[a-z0-9_]+$/.test(name)) {
    fail("Usage: npm run db:migration -- <name>, where <name> is made of a-z, 0-9 and _ (e.g. add_user_bio)");
  }
  return name;
}

/** dbmate's version format: the UTC time as YYYYMMDDHHMMSS. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function newestVersion(provider: Provider): Promise<string> {
  const files = await readdir(migrationsDir(provider)).catch(() => []);
  const versions = files.map((file) => file.slice(0, 14)).sort();
  return versions.at(-1) ?? "";
}

async function checkVersion(version: string): Promise<void> {
  for (const provider of providers) {
    const newest = await newestVersion(provider);
    if (newest >= version)
      fail(`prisma/${provider}/migrations already has a migration from ${newest}; wait a second and retry`);
  }
}

async function checkSnapshot(snapshot: string | null): Promise<void> {
  if (snapshot === null && (await newestVersion("sqlite")) !== "") {
    fail("prisma/migrations.snapshot.prisma is missing although migrations exist: restore it from git first");
  }
}

async function plan(snapshot: string | null, models: string): Promise<Plan> {
  return {
    sqlite: await diffModels("sqlite", snapshot, models),
    postgresql: await diffModels("postgresql", snapshot, models),
  };
}

function section(direction: "up" | "down", sql: string): string {
  return `-- migrate:${direction}\n${sql === "" ? "-- Nothing to do in this dialect." : sql}\n`;
}

async function writeMigration(provider: Provider, file: string, scripts: MigrationScripts): Promise<void> {
  await mkdir(migrationsDir(provider), { recursive: true });
  const target = path.join(migrationsDir(provider), file);
  await writeFile(target, `${section("up", scripts.up)}\n${section("down", scripts.down)}`);
  console.log(`wrote ${path.relative(root, target)}`);
}

async function moveSnapshotOn(models: string): Promise<void> {
  await writeFile(snapshotPath, models);
  for (const provider of providers) await writeFile(schemaPath(provider), deriveSchema(provider, models));
  console.log(`updated ${path.relative(root, snapshotPath)} and prisma/<provider>/schema.prisma`);
}

const name = migrationName();
const models = await readModels();
const snapshot = await readSnapshot();
await checkSnapshot(snapshot);
const scripts = await plan(snapshot, models);
if (providers.every((provider) => scripts[provider].up === "")) {
  fail("Nothing to migrate: prisma/models.prisma matches prisma/migrations.snapshot.prisma.");
}
const version = timestamp(new Date());
await checkVersion(version);
for (const provider of providers) await writeMigration(provider, `${version}_${name}.sql`, scripts[provider]);
await moveSnapshotOn(models);
