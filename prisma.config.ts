// Configuration for the Prisma CLI, which Sway uses only for `prisma generate`.
// The CLI would download its native schema engine for anything else; pointing it at a stub that
// fails loudly keeps every command offline (see prisma/no-schema-engine.sh).
import path from "node:path";
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.resolve("prisma/no-schema-engine.sh");
process.env.CHECKPOINT_DISABLE = "1";

export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
});
