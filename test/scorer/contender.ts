// A scorer-lease contender in a process of its own: connects as a scorer does, says "ready", and on "go" (stdin)
// tries once to take the lease and prints whether it won.
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config.js";
import { connectSqlDatabase } from "../../src/db/sql-client.js";
import { createLease } from "../../src/scorer/lease.js";

const [url, holderId] = process.argv.slice(2) as [string, string];
const database = await connectSqlDatabase(loadConfig({ DATABASE_URL: url }));
const lease = createLease({
  db: database.sql,
  holderId,
  ttlMs: 60_000,
  now: Date.now,
  provider: database.provider,
});
const lines = createInterface({ input: process.stdin });
console.log("ready");
for await (const line of lines) {
  if (line !== "go") continue;
  console.log(JSON.stringify({ holderId, won: await lease.acquire() }));
  break;
}
lines.close();
await database.close();
