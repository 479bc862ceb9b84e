// Per-request DataLoaders: whatever a request asks about many members (influence lists, members
// named in lists) is loaded in one batch per kind, so round trips do not grow with list lengths.
import DataLoader from "dataloader";
import type { Db } from "../db/client.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import type { Services } from "./index.js";

export function createLoaders(db: Db, services: Services) {
  return {
    /** influencers and influencees by member id (src/services/influence.ts). */
    influence: services.influence.loader(),
    /** Members by id; null for an id that no longer exists. */
    user: new DataLoader<number, User | null>(
      async (ids) => {
        const rows = await db.user.findMany({ where: { id: { in: [...ids] } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: 500 },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
