// The business rules the GraphQL layer calls. Resolvers stay thin; rules live here.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Publisher } from "../realtime/publish.js";
import { createAccounts } from "./accounts.js";
import { createEndorsements } from "./endorsements.js";
import { createFollows } from "./follows.js";
import { createInfluence } from "./influence.js";
import { createInteractions } from "./interactions.js";
import { createUsers } from "./users.js";

export function createServices(db: Db, config: Config, publisher: Publisher) {
  const provider = config.databaseProvider;
  return {
    accounts: createAccounts(db, config, publisher),
    users: createUsers(db),
    follows: createFollows(db, provider),
    interactions: createInteractions(db, provider),
    endorsements: createEndorsements(db, provider, publisher),
    influence: createInfluence(db),
  };
}

export type Services = ReturnType<typeof createServices>;
