// `npm run db:migrate`: brings DATABASE_URL (default: the SQLite file data/sway.db) up to date.
import { defaultDatabaseUrl } from "../config.js";
import { migrate } from "./migrate.js";

const databaseUrl = process.env.DATABASE_URL?.trim() || defaultDatabaseUrl;

try {
  await migrate(databaseUrl, { log: (message) => console.log(message) });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
