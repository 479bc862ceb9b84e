// Exactly one scorer per database: the lease is won by one contender at a time, passes on when
// its holder stops or goes silent, and a scorer that lost it can no longer write.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createLease, LeaseLostError } from "../../src/scorer/lease.js";
import type { Scorer } from "../../src/scorer/scorer.js";
import { addMembers, type ScorerTestDatabase, scorerTestDatabase, testScorer, until } from "./fixtures.js";

let t: ScorerTestDatabase;
const scorers: Scorer[] = [];

const holder = async () => (await t.db.scorerState.findUnique({ where: { id: "main" } }))?.holder ?? null;

function lease(database: Database, holderId: string, ttlMs = 10_000, clock = () => Date.now()) {
  return createLease({ db: database.prisma, holderId, ttlMs, now: clock, provider: database.provider });
}

/** A process that takes part in a race for the lease (test/scorer/contender.ts). */
function contender(holderId: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/scorer/contender.ts", t.testDatabase.url, holderId],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let readyNow: () => void;
  const ready = new Promise<void>((resolve) => {
    readyNow = resolve;
  });
  const result = new Promise<{ holderId: string; won: boolean }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`contender ${holderId} exited with ${code}`)));
    lines.on("line", (line) => {
      if (line === "ready") readyNow();
      else resolve(JSON.parse(line));
    });
  });
  return { child, ready, result };
}

beforeEach(async () => {
  t = await scorerTestDatabase();
});

afterEach(async () => {
  for (const s of scorers.splice(0)) await s.stop();
  await t.close();
});

describe("the scorer lease", () => {
  it("goes to exactly one of several processes racing for it, also when the row does not exist yet", async () => {
    const contenders = ["p1", "p2", "p3"].map((holderId) => contender(holderId));
    await Promise.all(contenders.map((c) => c.ready));
    for (const c of contenders) c.child.stdin?.write("go\n");
    const results = await Promise.all(contenders.map((c) => c.result));
    expect(results.filter((result) => result.won)).toHaveLength(1);
    expect(await holder()).toBe(results.find((result) => result.won)?.holderId);
  }, 60_000);

  it("passes to a contender once the holder goes silent past its expiry, and fences the old holder out", async () => {
    let clock = Date.now();
    const first = lease(await t.connect(), "first", 1000, () => clock);
    const second = lease(await t.connect(), "second", 1000, () => clock);
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    clock += 1001;
    expect(await second.acquire()).toBe(true);
    expect(await holder()).toBe("second");

    const term = first.term;
    await expect(t.db.$transaction((tx) => first.fence(tx, term))).rejects.toBeInstanceOf(LeaseLostError);
    expect(first.held).toBe(false);
    expect(await first.renew()).toBe(false);
    await expect(t.db.$transaction((tx) => second.fence(tx, second.term))).resolves.toBeUndefined();
  });

  it("ends a term when lost: a run started before cannot write after the lease comes back", async () => {
    let clock = Date.now();
    const mine = lease(await t.connect(), "mine", 1000, () => clock);
    const other = lease(await t.connect(), "other", 1000, () => clock);
    await mine.acquire();
    const term = mine.term;
    clock += 1001;
    await other.acquire();
    await other.release();
    expect(await mine.renew()).toBe(false);
    expect(await mine.acquire()).toBe(true);
    await expect(t.db.$transaction((tx) => mine.fence(tx, term))).rejects.toBeInstanceOf(LeaseLostError);
    await expect(t.db.$transaction((tx) => mine.fence(tx, mine.term))).resolves.toBeUndefined();
  });

  it("lets only one of two scorers score; the other takes over when the first stops", async () => {
    await addMembers(t.db, ["a", "b"]);
    const options = { renewMs: 50, leaseMs: 5000, pollMs: 20 };
    const a = testScorer(await t.connectScorer(), { ...options, holderId: "scorer-a" });
    const b = testScorer(await t.connectScorer(), { ...options, holderId: "scorer-b" });
    scorers.push(a, b);
    await a.start();
    await b.start();
    expect(a.holdsLease).toBe(true);
    expect(b.holdsLease).toBe(false);
    expect(await holder()).toBe("scorer-a");
    expect(await b.applyPendingEvents()).toBeNull();
    await expect(b.recompute({ kind: "decay" })).rejects.toBeInstanceOf(LeaseLostError);

    await a.stop();
    await until(() => b.holdsLease);
    expect(await holder()).toBe("scorer-b");
    expect(a.holdsLease).toBe(false);
  });
});
