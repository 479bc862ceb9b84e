// The scoring model the scorer runs: the ACTIVE ScoringModel row with the highest version. A
// database with no model at all gets version 1 from the defaults, so every history entry's
// modelVersion names a real row. Raw SQL, so that it runs on the scorer's connection whatever it
// is (sql-client.ts) as well as on the API's Prisma client.
import { isUniqueViolation } from "../db/errors.js";
import type { SqlQueryable } from "../db/sql-client.js";
import { defaultModel, type ModelParameters, parseModel } from "../scoring/model.js";
import { type Columns, insertRows, type Provider } from "./sql.js";

const modelColumns: Columns = [
  ["version", "int"],
  ["description", "text"],
  ["parameters", "json"],
  ["status", { enum: "ScoringModelStatus" }],
  ["createdAt", "timestamp"],
  ["activatedAt", "timestamp"],
];

/** The ACTIVE model with the highest version, or null when none is. */
async function activeModel(db: SqlQueryable): Promise<ModelParameters | null> {
  const [active] = await db.$queryRaw<{ version: unknown; parameters: unknown }[]>`
    SELECT "version", "parameters" FROM "ScoringModel" WHERE "status" = 'ACTIVE'
    ORDER BY "version" DESC LIMIT 1`;
  if (!active) return null;
  // JSON comes back as text from SQLite, parsed from PostgreSQL.
  const parameters =
    typeof active.parameters === "string" ? JSON.parse(active.parameters) : active.parameters;
  // The row's version is the one history refers to, whatever the stored parameters say.
  return { ...parseModel(parameters), version: Number(active.version) };
}

/** The model in force, for readers (the API): the defaults before the scorer has created one. */
export async function readActiveModel(db: SqlQueryable): Promise<ModelParameters> {
  return (await activeModel(db)) ?? defaultModel;
}

export async function loadActiveModel(db: SqlQueryable, provider: Provider): Promise<ModelParameters> {
  const active = await activeModel(db);
  if (active) return active;
  const [{ count }] = (await db.$queryRaw<{ count: unknown }[]>`
    SELECT COUNT(*) AS "count" FROM "ScoringModel"`) as [{ count: unknown }];
  if (Number(count) > 0) return defaultModel;
  const now = new Date();
  try {
    await db.$executeRaw(
      insertRows(provider, "ScoringModel", modelColumns, [
        [
          defaultModel.version,
          "The default model, created by the scorer on first start.",
          JSON.stringify(defaultModel),
          "ACTIVE",
          now,
          now,
        ],
      ]),
    );
  } catch (error) {
    // Another scorer (or the CLI) created it first: read theirs.
    if (!isUniqueViolation(error)) throw error;
    return loadActiveModel(db, provider);
  }
  return defaultModel;
}
