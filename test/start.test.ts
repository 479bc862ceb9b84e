// `npm start` end to end: the real entry point, on an empty database, seeds the demo community,
// serves GraphQL and GraphiQL, and exits cleanly on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

let database: TestDatabase;
let child: ChildProcess;
let url: string;
const logs: Record<string, unknown>[] = [];

function waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs: number) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such log line within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      logs.push(line);
      if (predicate(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
}

async function post(query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data: Record<string, unknown>; errors?: unknown[] };
}

beforeAll(async () => {
  database = await createTestDatabase();
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: "0", SEED_DEMO_DATA: "true", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const listening = await waitForLog((line) => line.msg === "Sway is listening", 120_000);
  url = listening.url as string;
}, 150_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  await database.drop();
});

describe("npm start", () => {
  it("seeds a demo community into an empty database and serves it", async () => {
    const seeded = logs.find((line) => line.msg === "seeded the demo community");
    expect(seeded).toMatchObject({ members: 300 });
    const { data, errors } = await post(
      "{ users(first: 100) { edges { node { handle } } } topics { slug } }",
    );
    expect(errors).toBeUndefined();
    expect((data.users as { edges: unknown[] }).edges).toHaveLength(100);
    expect((data.topics as unknown[]).length).toBeGreaterThanOrEqual(8);
  });

  it("serves GraphiQL to a browser", async () => {
    const response = await fetch(url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("graphiql");
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(logs.some((line) => line.msg === "shutting down")).toBe(true);
  });
});
