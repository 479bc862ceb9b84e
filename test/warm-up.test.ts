// The warm-ups that keep a fresh process's first events from being its slowest (src/warm-up.ts,
// src/scorer/warm-up.ts): the scorer's runs the incremental path itself, the same way on every
// start; the request path's runs before the server listens and only ever reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warmUpIncremental } from "../src/scorer/warm-up.js";
import { defaultModel } from "../src/scoring/model.js";
import { warmUpRequests } from "../src/warm-up.js";
import { startTestApp, type TestApp } from "./support/app.js";

describe("the scorer's warm-up", () => {
  it("takes and explains moves, the same ones on every start", () => {
    const first = warmUpIncremental(defaultModel, { members: 400, rounds: 4 });
    const again = warmUpIncremental(defaultModel, { members: 400, rounds: 4 });
    expect(first.moves).toBeGreaterThan(0);
    expect(again.moves).toBe(first.moves);
  });
});

describe("the request path's warm-up", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const operations = () => t.queries.map((q) => `${q.model ?? "raw"}.${q.operation}`);

  it("ran before the server listened, reading only", () => {
    // startTestApp records every Prisma operation from the start: the warm-up's are all there.
    expect(operations().filter((op) => op === "User.findMany").length).toBeGreaterThanOrEqual(20);
    expect(
      operations().filter((op) => !/\.(findMany|findFirst|findUnique|count|queryRaw)$/.test(op)),
    ).toEqual([]);
  });

  it("with a community to read, still writes nothing", async () => {
    const db = t.app.database.prisma;
    await Promise.all(
      ["warm_a", "warm_b"].map((handle, i) =>
        db.user.create({
          data: {
            handle,
            name: handle,
            passwordHash: "x",
            scoreVisibility: "PUBLIC",
            score: { create: { value: 50 + i, raw: 1, breakdown: {}, modelVersion: 1 } },
          },
        }),
      ),
    );
    const before = await db.user.findMany({ orderBy: { id: "asc" } });
    t.queries.length = 0;
    await warmUpRequests(t.app.yoga, db, 2);
    const read = operations();
    expect(read.filter((op) => op === "User.findMany").length).toBeGreaterThanOrEqual(4);
    expect(read.filter((op) => !/\.(findMany|findFirst|findUnique|count|queryRaw)$/.test(op))).toEqual([]);
    expect(await db.user.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
