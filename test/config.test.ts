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
