// The scoring model the scorer runs: the ACTIVE ScoringModel row with the highest version. A
// database with no model at all gets version 1 from the defaults, so every history entry's
// modelVersion names a real row.
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { defaultModel, type ModelParameters, parseModel } from "../scoring/model.js";

/** The ACTIVE model with the highest version, or null when none is. */
async function activeModel(db: Db): Promise<ModelParameters | null> {
  const active = await db.scoringModel.findFirst({
    where: { status: "ACTIVE" },
    orderBy: { version: "desc" },
    select: { version: true, parameters: true },
  });
  // The row's version is the one history refers to, whatever the stored parameters say.
  return active ? { ...parseModel(active.parameters), version: active.version } : null;
}

/** The model in force, for readers (the API): the defaults before the scorer has created one. */
export async function readActiveModel(db: Db): Promise<ModelParameters> {
  return (await activeModel(db)) ?? defaultModel;
}

export async function loadActiveModel(db: Db): Promise<ModelParameters> {
  const active = await activeModel(db);
  if (active) return active;
  if ((await db.scoringModel.count()) > 0) return defaultModel;
  try {
    await db.scoringModel.create({
      data: {
        version: defaultModel.version,
        description: "The default model, created by the scorer on first start.",
        parameters: { ...defaultModel },
        status: "ACTIVE",
        activatedAt: new Date(),
      },
    });
  } catch (error) {
    // Another scorer (or the CLI) created it first: read theirs.
    if (!isUniqueViolation(error)) throw error;
    return loadActiveModel(db);
  }
  return defaultModel;
}
