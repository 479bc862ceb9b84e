import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("runs on the embedded default with nothing set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: "file:./data/sway.db",
      databaseProvider: "sqlite",
      redisUrl: undefined,
      logLevel: "info",
      seedDemoData: true,
      eventRetentionDays: 7,
      pagerankThreads: 2,
    });
  });

  it("recognises PostgreSQL and does not seed demo members into it by default", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://sway@127.0.0.1:5432/sway" });
    expect(config.databaseProvider).toBe("postgresql");
    expect(config.seedDemoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: "postgresql://h/db", SEED_DEMO_DATA: "yes" }).seedDemoData).toBe(true);
  });

  it("reads the query limits, and refuses ones that are not positive integers", () => {
    expect(loadConfig({}).limits).toEqual({
      maxDepth: 12,
      maxCost: 100_000,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 2000,
    });
    const env = {
      MAX_QUERY_DEPTH: "20",
      MAX_QUERY_COST: "200000",
      MAX_QUERY_ALIASES: "30",
      MAX_QUERY_DIRECTIVES: "10",
      MAX_QUERY_TOKENS: "5000",
    };
    expect(loadConfig(env).limits).toEqual({
      maxDepth: 20,
      maxCost: 200_000,
      maxAliases: 30,
      maxDirectives: 10,
      maxTokens: 5000,
    });
    try {
      loadConfig({ MAX_QUERY_DEPTH: "0", MAX_QUERY_COST: "lots", MAX_QUERY_TOKENS: "1.5" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      for (const name of ["MAX_QUERY_DEPTH", "MAX_QUERY_COST", "MAX_QUERY_TOKENS"])
        expect(problems).toContain(name);
    }
  });

  it("reports every bad value at once, by name", () => {
    const attempt = () =>
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        REDIS_URL: "localhost:6379",
        LOG_LEVEL: "loud",
        SEED_DEMO_DATA: "maybe",
        EVENT_RETENTION_DAYS: "-1",
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      for (const name of [
        "PORT",
        "DATABASE_URL",
        "REDIS_URL",
        "LOG_LEVEL",
        "SEED_DEMO_DATA",
        "EVENT_RETENTION_DAYS",
      ]) {
        expect(problems).toContain(name);
      }
    }
  });
});
