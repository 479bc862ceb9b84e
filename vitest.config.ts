import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CJS entry for Yoga and Pothos; Vite would give our code the .mjs one,
    // and two copies of GraphQLError break Yoga's instanceof checks (e.g. HTTP status codes).
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Each file starts its own server and database; forks keep native modules isolated.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
