// The scorer against a real database: what a run writes (scores, explanations, topic expertise,
// history with reasons and causes), stability without events, and the noise floor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { loadCommunity } from "../../src/scorer/load.js";
import type { Scorer } from "../../src/scorer/scorer.js";
import { defaultModel, type ModelParameters, parseModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import {
  activateModel,
  addFollows,
  addMembers,
  addTopic,
  checkpoint,
  endorse,
  follow,
  interact,
  lastEventId,
  now,
  revoke,
  type ScorerTestDatabase,
  scorerTestDatabase,
  storedScoreTolerance,
  testScorer,
} from "./fixtures.js";

let t: ScorerTestDatabase;
let db: Db;
let scorer: Scorer;
let m: Record<string, number>;
let cycling: number;
let food: number;

/** What a full recompute of the database as it is now gives each member (by User.id). */
async function freshScores(model: ModelParameters = defaultModel): Promise<Map<number, number>> {
  const loaded = await loadCommunity(db);
  const { score } = recomputeAll(loaded.community, model, now);
  return new Map(Array.from(loaded.members.ids, (id, v) => [id, score[v] as number]));
}

async function storedScores() {
  const rows = await db.score.findMany();
  return new Map(rows.map((row) => [row.userId, row]));
}

const historyAfter = (id: number) =>
  db.scoreHistory.findMany({ where: { id: { gt: id } }, include: { causes: { orderBy: { rank: "asc" } } } });

const maxHistoryId = async () => (await db.scoreHistory.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The live state's scores are within 30ε (ε = 1e-3) of a full recompute's: see incremental.ts. */
const liveTolerance = 0.03;

beforeAll(async () => {
  t = await scorerTestDatabase();
  db = t.db;
  m = await addMembers(db, ["ana", "ben", "cai", "dev", "eli", "fay", "gus", "hal"]);
  cycling = await addTopic(db, "cycling");
  food = await addTopic(db, "food");
  const id = (handle: string) => m[handle] as number;
  await addFollows(db, [
    [id("ana"), id("ben")],
    [id("cai"), id("ben")],
    [id("dev"), id("ben")],
    [id("eli"), id("ana")],
    [id("fay"), id("cai")],
    [id("gus"), id("dev")],
    [id("hal"), id("eli")],
    [id("ben"), id("ana")],
    [id("fay"), id("ben")],
  ]);
  await db.endorsement.create({
    data: { endorserId: id("ana"), endorseeId: id("ben"), topicId: cycling, createdAt: new Date(now) },
  });
  await db.interaction.create({
    data: { key: "anon", kind: "LIKE", actorId: null, targetId: id("cai"), occurredAt: new Date(now) },
  });
  await db.user.update({ where: { id: id("cai") }, data: { anonymousReach: 1 } });
  scorer = testScorer(t.scorerDatabase);
  expect(await scorer.acquireLease()).toBe(true);
});

afterAll(async () => {
  await scorer?.stop();
  await t?.close();
});

describe("the first run", () => {
  it("scores every member as a full recompute does, with a numeric breakdown", async () => {
    expect(await scorer.applyPendingEvents()).toBeNull();
    const summary = await scorer.recompute({ kind: "decay" });
    expect(summary).toMatchObject({
      mode: "full",
      members: 8,
      loaded: { follows: 9, interactions: 0, endorsements: 1 },
      changed: 8,
    });
    const fresh = await freshScores();
    const stored = await storedScores();
    expect(stored.size).toBe(8);
    for (const [userId, row] of stored) {
      expect(Math.abs(row.value - (fresh.get(userId) as number))).toBeLessThan(liveTolerance);
      expect(row.modelVersion).toBe(1);
      const breakdown = row.breakdown as Record<string, unknown>;
      expect(Object.keys(breakdown).sort()).toEqual(["anonymousReach", "endorsement", "network", "raw"]);
      for (const value of Object.values(breakdown)) expect(typeof value).toBe("number");
      expect(breakdown.raw).toBe(row.raw);
    }
    expect(stored.get(m.cai as number)?.breakdown).toMatchObject({ anonymousReach: 1 });
    const model = await db.scoringModel.findMany();
    expect(model).toMatchObject([{ version: 1, status: "ACTIVE" }]);
    expect(parseModel(model[0]?.parameters)).toEqual(defaultModel);
  });

  it("explains every score: ranked causes and a remainder summing to 1, naming members and endorsements", async () => {
    const rows = await db.scoreContribution.findMany({ orderBy: [{ userId: "asc" }, { rank: "asc" }] });
    const endorsement = await db.endorsement.findFirstOrThrow();
    for (const userId of Object.values(m)) {
      const mine = rows.filter((row) => row.userId === userId);
      expect(mine.map((row) => row.rank)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.at(-1)?.kind).toBe("REMAINDER");
      expect(sum(mine.map((row) => row.share))).toBeCloseTo(1, 9);
      for (const row of mine.slice(0, -1)) {
        if (row.kind === "MEMBER") {
          expect(Object.values(m)).toContain(row.contributorId);
          expect(row.endorsementId).toBeNull();
        } else {
          expect(row).toMatchObject({ kind: "ENDORSEMENT", endorsementId: endorsement.id, topicId: cycling });
        }
      }
    }
    const ben = rows.filter((row) => row.userId === m.ben);
    expect(ben.some((row) => row.kind === "ENDORSEMENT")).toBe(true);
    expect(ben.some((row) => row.kind === "MEMBER" && row.contributorId === m.ana)).toBe(true);
  });

  it("writes topic expertise only where a member was endorsed", async () => {
    const topicScores = await db.topicScore.findMany();
    expect(topicScores).toHaveLength(1);
    expect(topicScores[0]).toMatchObject({ userId: m.ben, topicId: cycling });
    expect(topicScores[0]?.value).toBeGreaterThanOrEqual(1);
    expect(topicScores[0]?.value).toBeLessThanOrEqual(100);
  });

  it("records each first score in history: delta = value, NETWORK, causes = the explanation", async () => {
    const history = await historyAfter(0);
    expect(history).toHaveLength(8);
    const stored = await storedScores();
    const contributions = await db.scoreContribution.findMany();
    for (const entry of history) {
      expect(entry).toMatchObject({ reason: "NETWORK", modelVersion: 1 });
      expect(entry.value).toBe(stored.get(entry.userId)?.value);
      expect(entry.delta).toBe(entry.value);
      expect(sum(entry.causes.map((cause) => cause.share))).toBeCloseTo(1, 9);
      const explanation = contributions
        .filter((row) => row.userId === entry.userId)
        .sort((a, b) => a.rank - b.rank)
        .map((row) => [row.kind, row.contributorId, row.endorsementId]);
      const named = entry.causes.map((cause) => [cause.kind, cause.memberId, cause.endorsementId]);
      expect(named.slice(0, -1).sort()).toEqual(explanation.slice(0, -1).sort());
      expect(entry.causes.at(-1)?.kind).toBe("REMAINDER");
    }
  });
});

describe("stability", () => {
  it("writes nothing when run again without new events", async () => {
    const before = await db.score.findMany({ orderBy: { userId: "asc" } });
    const historyCount = await db.scoreHistory.count();
    expect(await scorer.applyPendingEvents()).toBeNull();
    const summary = await scorer.recompute({ kind: "decay" });
    expect(summary.changed).toBe(0);
    expect(await db.scoreHistory.count()).toBe(historyCount);
    expect(await db.score.findMany({ orderBy: { userId: "asc" } })).toEqual(before);
  });
});

describe("events", () => {
  it("gives ENDORSEMENT to the endorsee, ACTIVITY to the followed, NETWORK to the rest, with causes", async () => {
    const since = await maxHistoryId();
    const old = await storedScores();
    const { endorsementId } = await endorse(db, m.cai as number, m.dev as number, food);
    await follow(db, m.ben as number, m.eli as number);
    const summary = await scorer.applyPendingEvents();
    expect(summary).toMatchObject({
      trigger: "events",
      mode: "incremental",
      events: 2,
      checkpoint: await lastEventId(db),
    });
    expect(await checkpoint(db)).toBe(await lastEventId(db));

    const history = await historyAfter(since);
    const dev = history.find((entry) => entry.userId === m.dev);
    const eli = history.find((entry) => entry.userId === m.eli);
    expect(dev?.reason).toBe("ENDORSEMENT");
    expect(eli?.reason).toBe("ACTIVITY");
    expect(history.find((entry) => entry.userId === m.ana)?.reason).toBe("NETWORK");
    for (const entry of history) {
      if (entry.userId !== m.dev && entry.userId !== m.eli) expect(entry.reason).toBe("NETWORK");
      const previous = old.get(entry.userId)?.value as number;
      expect(entry.delta).toBeCloseTo(entry.value - previous, 12);
      expect(Math.abs(entry.delta)).toBeGreaterThanOrEqual(0.5);
      expect(sum(entry.causes.map((cause) => cause.share))).toBeCloseTo(1, 9);
    }
    expect(dev?.causes.find((cause) => cause.kind === "ENDORSEMENT")).toMatchObject({
      endorsementId,
      topicId: food,
    });
    expect(eli?.causes[0]).toMatchObject({ kind: "MEMBER", memberId: m.ben });
    expect(await db.topicScore.findMany({ where: { userId: m.dev as number } })).toMatchObject([
      { topicId: food },
    ]);

    const fresh = await freshScores();
    for (const [userId, row] of await storedScores()) {
      expect(Math.abs(row.value - (fresh.get(userId) as number))).toBeLessThan(0.5);
    }
  });

  it("drops topic expertise that a revocation took to 0", async () => {
    const since = await maxHistoryId();
    const endorsement = await db.endorsement.findFirstOrThrow({ where: { topicId: food } });
    await revoke(db, endorsement.id);
    await scorer.applyPendingEvents();
    const dev = (await historyAfter(since)).find((entry) => entry.userId === m.dev);
    expect(dev?.reason).toBe("ENDORSEMENT");
    expect(await db.topicScore.findMany({ where: { userId: m.dev as number } })).toEqual([]);
    expect(await db.topicScore.findMany({ where: { userId: m.ben as number } })).toMatchObject([
      { topicId: cycling },
    ]);
  });

  it("gives a member's first score NETWORK when no event was about them", async () => {
    const since = await maxHistoryId();
    const { ivy } = await addMembers(db, ["ivy"]);
    await interact(db, m.hal as number, m.fay as number);
    await scorer.applyPendingEvents();
    const entry = (await historyAfter(since)).find((row) => row.userId === ivy);
    expect(entry?.reason).toBe("NETWORK");
    expect(entry?.delta).toBe(entry?.value);
  });
});

describe("the noise floor", () => {
  it("records and changes exactly the members who moved by at least the floor", async () => {
    await interact(db, m.hal as number, m.gus as number, "LIKE", 20);
    const before = await storedScores();
    const fresh = await freshScores();
    const moves = [...fresh].map(([userId, value]) =>
      Math.abs(value - (before.get(userId)?.value as number)),
    );
    const distinct = [...new Set(moves.filter((move) => move > 0))].sort((a, b) => a - b);
    expect(distinct.length).toBeGreaterThanOrEqual(2);
    const floor = ((distinct[0] as number) + (distinct.at(-1) as number)) / 2;
    await activateModel(db, 2, { noiseFloor: floor });

    const since = await maxHistoryId();
    await scorer.applyPendingEvents();
    const history = await historyAfter(since);
    const after = await storedScores();
    let quiet = 0;
    for (const [userId, value] of fresh) {
      const old = before.get(userId);
      const entry = history.find((row) => row.userId === userId);
      if (Math.abs(value - (old?.value as number)) >= floor) {
        expect(entry?.modelVersion).toBe(2);
        expect(Math.abs((entry?.value as number) - value)).toBeLessThan(liveTolerance);
        expect(after.get(userId)?.value).toBe(entry?.value);
      } else {
        quiet += Math.abs(value - (old?.value as number)) > 0 ? 1 : 0;
        expect(entry).toBeUndefined();
        expect(after.get(userId)).toEqual(old);
      }
    }
    expect(quiet).toBeGreaterThan(0);
  });
});

describe("a model change", () => {
  it("is recorded as MODEL_CHANGE with the new version, never as the member's doing", async () => {
    const since = await maxHistoryId();
    await activateModel(db, 3, { damping: 0.6, noiseFloor: 0.5 });
    const summary = await scorer.recompute({ kind: "model-change" });
    expect(summary.changed).toBeGreaterThan(0);
    const history = await historyAfter(since);
    expect(history).toHaveLength(summary.changed);
    for (const entry of history) {
      expect(entry).toMatchObject({ reason: "MODEL_CHANGE", modelVersion: 3 });
      expect(entry.causes).toMatchObject([{ kind: "MODEL_CHANGE", share: 1 }]);
    }
    const fresh = await freshScores(parseModel({ damping: 0.6, version: 3 }));
    for (const entry of history) {
      expect(Math.abs(entry.value - (fresh.get(entry.userId) as number))).toBeLessThan(liveTolerance);
    }
  });
});

describe("an erasure", () => {
  it("moves others with reason ERASURE and leaves nothing naming the erased member", async () => {
    const since = await maxHistoryId();
    const ben = m.ben as number;
    await db.user.delete({ where: { id: ben } });
    await db.graphEvent.create({ data: { kind: "ERASURE" } });
    const summary = await scorer.applyPendingEvents();
    // Incremental: the erased member leaves the live state; nobody needs a full rebuild.
    expect(summary).toMatchObject({
      mode: "incremental",
      members: await db.user.count(),
      checkpoint: await lastEventId(db),
    });
    // Model 3 (the model change above) is still the active one.
    const fresh = await freshScores(parseModel({ damping: 0.6, version: 3 }));
    for (const [userId, row] of await storedScores()) {
      expect(Math.abs(row.value - (fresh.get(userId) as number))).toBeLessThan(storedScoreTolerance);
    }
    const history = await historyAfter(since);
    expect(history.length).toBeGreaterThan(0);
    for (const entry of history) expect(entry.reason).toBe("ERASURE");
    expect(await db.score.count({ where: { userId: ben } })).toBe(0);
    expect(await db.scoreContribution.count({ where: { contributorId: ben } })).toBe(0);
    expect(await db.scoreHistoryCause.count({ where: { memberId: ben } })).toBe(0);
  });
});

describe("ids out of order", () => {
  it("takes in a member whose id is below one it has seen, as PostgreSQL can commit them", async () => {
    // A member with a higher id first; then one with a lower id, as when two sign-ups commit out
    // of order. Last in the file: the explicit ids leave PostgreSQL's sequence behind them.
    const zed = await db.user.create({ data: { id: 5000, handle: "zed", name: "zed", passwordHash: "x" } });
    await follow(db, zed.id, m.ana as number);
    await scorer.applyPendingEvents();
    const late = await db.user.create({
      data: { id: 4000, handle: "late", name: "late", passwordHash: "x" },
    });
    await follow(db, late.id, m.ana as number);
    expect(await scorer.applyPendingEvents()).toMatchObject({ mode: "incremental" });
    expect(await db.score.findUnique({ where: { userId: late.id } })).not.toBeNull();
    const entry = await db.scoreHistory.findFirst({
      where: { userId: m.ana as number },
      orderBy: { id: "desc" },
    });
    expect(entry?.reason).toBe("ACTIVITY");
  });
});
