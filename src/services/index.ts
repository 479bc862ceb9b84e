// The business rules the GraphQL layer calls. Resolvers stay thin; rules live here.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { createAccounts } from "./accounts.js";
import { createEndorsements } from "./endorsements.js";
import { createFollows } from "./follows.js";
import { createInfluence } from "./influence.js";
import { createInteractions } from "./interactions.js";
import { createUsers } from "./users.js";

export function createServices(db: Db, config: Config) {
  const provider = config.databaseProvider;
  return {
    accounts: createAccounts(db, config),
    users: createUsers(db),
    follows: createFollows(db, provider),
    interactions: createInteractions(db, provider),
    endorsements: createEndorsements(db, provider),
    influence: createInfluence(db),
  };
}

export type Services = ReturnType<typeof createServices>;
