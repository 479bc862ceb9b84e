// The business rules the GraphQL layer calls. Resolvers stay thin; rules live here.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { createAccounts } from "./accounts.js";
import { createUsers } from "./users.js";

export function createServices(db: Db, config: Config) {
  return {
    accounts: createAccounts(db, config),
    users: createUsers(db),
  };
}

export type Services = ReturnType<typeof createServices>;
