// The per-provider Prisma schemas are derived from prisma/models.prisma: one source of truth,
// two generated clients (a Prisma client is tied to one provider).
import { readFile } from "node:fs/promises";
import path from "node:path";

export const providers = ["sqlite", "postgresql"] as const;
export type Provider = (typeof providers)[number];

export const root = path.resolve(import.meta.dirname, "../..");
export const modelsPath = path.join(root, "prisma/models.prisma");
export const schemaPath = (provider: Provider) => path.join(root, "prisma", provider, "schema.prisma");
export { migrationsDir } from "../../src/db/migrate.js";
/** The models as of the newest migration: diffing it against models.prisma gives the next one. */
export const snapshotPath = path.join(root, "prisma/migrations.snapshot.prisma");

function header(provider: Provider): string {
  // Pothos' types are generated once, from the SQLite client: both clients have the same API.
  const pothos =
    provider === "sqlite"
      ? `
generator pothos {
  provider     = "prisma-pothos-types"
  clientOutput = "./prisma/sqlite/client.js"
  output       = "../../src/generated/pothos-prisma-types.ts"
}
`
      : "";
  return `// GENERATED from prisma/models.prisma by \`npm run db:schema\`. Do not edit.

datasource db {
  provider = "${provider}"
}

generator client {
  provider               = "prisma-client"
  output                 = "../../src/generated/prisma/${provider}"
  runtime                = "nodejs"
  moduleFormat           = "esm"
  importFileExtension    = "js"
  generatedFileExtension = "ts"
}
${pothos}
`;
}

export function deriveSchema(provider: Provider, models: string): string {
  return header(provider) + models;
}

export async function readModels(file = modelsPath): Promise<string> {
  return readFile(file, "utf8");
}

/** The models as of the newest migration; null before the first one (an empty database). */
export async function readSnapshot(): Promise<string | null> {
  try {
    return await readFile(snapshotPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
