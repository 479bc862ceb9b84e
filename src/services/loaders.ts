// Per-request DataLoaders: whatever a request asks about many members (influence lists, members
// named in lists) is loaded in one batch per kind, so round trips do not grow with list lengths.
import DataLoader from "dataloader";
import type { Db } from "../db/client.js";
import type { Services } from "./index.js";

/** Rows by id, a batch per query; null for an id that no longer exists. */
function byId<T extends { id: number }>(find: (ids: number[]) => Promise<T[]>) {
  return new DataLoader<number, T | null>(
    async (ids) => {
      const rows = new Map((await find([...ids])).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    },
    { maxBatchSize: 500 },
  );
}

export function createLoaders(db: Db, services: Services) {
  return {
    /** influencers and influencees by member id (src/services/influence.ts). */
    influence: services.influence.loader(),
    user: byId((ids) => db.user.findMany({ where: { id: { in: ids } } })),
    /** Topics live score causes name. */
    topic: byId((ids) => db.topic.findMany({ where: { id: { in: ids } } })),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
