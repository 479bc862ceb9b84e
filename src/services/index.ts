// The business rules the GraphQL layer calls. Resolvers stay thin; rules live here.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Publisher } from "../realtime/publish.js";
import type { Waker } from "../realtime/wake.js";
import { createAccounts } from "./accounts.js";
import { createEndorsements } from "./endorsements.js";
import { createFollows } from "./follows.js";
import { createInfluence } from "./influence.js";
import { createInteractions } from "./interactions.js";
import { createUsers } from "./users.js";

/** What services tell the rest of the system after they commit (src/realtime). */
export type Notify = Pick<Publisher, "endorsementReceived" | "memberGone"> & Pick<Waker, "graphChanged">;

export function createServices(db: Db, config: Config, notify: Notify) {
  const provider = config.databaseProvider;
  return {
    accounts: createAccounts(db, config, notify),
    users: createUsers(db),
    follows: createFollows(db, provider, notify),
    interactions: createInteractions(db, provider, notify),
    endorsements: createEndorsements(db, provider, notify),
    influence: createInfluence(db),
  };
}

export type Services = ReturnType<typeof createServices>;
