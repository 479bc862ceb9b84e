// `npm run db:check`: fails when the derived schemas, the snapshot or the SQL migrations have
// drifted from prisma/models.prisma, naming the command that fixes each problem.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { migrate } from "../../src/db/migrate.js";
import { diffDatabase, diffModels, readOnlyAdapter } from "./engine.js";
import {
  deriveSchema,
  migrationsDir,
  type Provider,
  providers,
  readModels,
  readSnapshot,
  root,
  schemaPath,
} from "./providers.js";

const relative = (file: string) => path.relative(root, file);

async function derivedSchemaProblems(models: string): Promise<string[]> {
  const problems: string[] = [];
  for (const provider of providers) {
    const written = await readFile(schemaPath(provider), "utf8").catch(() => "");
    if (written !== deriveSchema(provider, models)) {
      problems.push(
        `${relative(schemaPath(provider))} is not derived from prisma/models.prisma: run npm run db:schema`,
      );
    }
  }
  return problems;
}

async function snapshotProblems(snapshot: string | null, models: string): Promise<string[]> {
  const problems: string[] = [];
  for (const provider of providers) {
    if ((await diffModels(provider, snapshot, models)).up !== "") {
      problems.push(
        `prisma/models.prisma changed the ${provider} schema since the newest migration: run npm run db:migration -- <name>`,
      );
    }
  }
  return problems;
}

async function migrationFiles(provider: Provider): Promise<string[]> {
  const files = await readdir(migrationsDir(provider)).catch(() => []);
  return files.filter((file) => file.endsWith(".sql")).sort();
}

async function pairingProblems(): Promise<string[]> {
  const [sqlite, postgresql] = await Promise.all([migrationFiles("sqlite"), migrationFiles("postgresql")]);
  const unpaired = [
    ...sqlite.filter((file) => !postgresql.includes(file)).map((file) => `prisma/sqlite/migrations/${file}`),
    ...postgresql
      .filter((file) => !sqlite.includes(file))
      .map((file) => `prisma/postgresql/migrations/${file}`),
  ];
  return unpaired.map(
    (file) => `${file} has no twin in the other dialect: write migrations only with npm run db:migration`,
  );
}

async function missingSnapshotProblems(snapshot: string | null): Promise<string[]> {
  if (snapshot !== null || (await migrationFiles("sqlite")).length === 0) return [];
  return ["prisma/migrations.snapshot.prisma is missing although migrations exist: restore it from git"];
}

/** Applies the SQLite migrations to a scratch file and diffs the result against the snapshot. */
async function appliedSqliteProblems(snapshot: string | null): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "sway-db-check-"));
  try {
    const url = `file:${path.join(dir, "check.db")}`;
    const failure = await migrate(url).catch((error: Error) => error.message);
    if (failure) return [`prisma/sqlite/migrations do not apply to an empty database: ${failure}`];
    const adapter = readOnlyAdapter(new PrismaBetterSqlite3({ url }));
    const drift = await diffDatabase(adapter, deriveSchema("sqlite", snapshot ?? ""), ["schema_migrations"]);
    if (drift === "") return [];
    return [
      "Applying prisma/sqlite/migrations does not give the schema in prisma/migrations.snapshot.prisma " +
        `(a migration or the snapshot was edited by hand); the database still needs:\n${drift}`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function allProblems(models: string, snapshot: string | null): Promise<string[]> {
  const missing = await missingSnapshotProblems(snapshot);
  if (missing.length > 0) return missing;
  return [
    ...(await derivedSchemaProblems(models)),
    ...(await snapshotProblems(snapshot, models)),
    ...(await pairingProblems()),
    ...(await appliedSqliteProblems(snapshot)),
  ];
}

const [models, snapshot] = await Promise.all([readModels(), readSnapshot()]);
const problems = await allProblems(models, snapshot);
if (problems.length > 0) {
  console.error(`db:check failed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exit(1);
}
console.log("db:check: schemas, snapshot and migrations match prisma/models.prisma");
