// A stream of random events through the running scorer's incremental path: afterwards every
// member's stored score, breakdown, explanation and history agree with a full recompute of the
// database as it is, within the stated tolerance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { foldCausesNaming } from "../../src/scorer/erasure.js";
import { loadCommunity } from "../../src/scorer/load.js";
import type { RunSummary } from "../../src/scorer/run.js";
import type { Scorer } from "../../src/scorer/scorer.js";
import { defaultModel } from "../../src/scoring/model.js";
import { recomputeAll } from "../../src/scoring/recompute.js";
import { lcg } from "../support/community.js";
import {
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

beforeAll(async () => {
  t = await scorerTestDatabase();
  db = t.db;
  scorer = testScorer(t.scorerDatabase);
  expect(await scorer.acquireLease()).toBe(true);
});

afterAll(async () => {
  await scorer?.stop();
  await t?.close();
});

async function unfollow(followerId: number, followeeId: number) {
  await db.follow.delete({ where: { followerId_followeeId: { followerId, followeeId } } });
  await db.graphEvent.create({ data: { kind: "UNFOLLOW", actorId: followerId, subjectId: followeeId } });
}

describe("a stream of events", () => {
  it("leaves every score, breakdown, explanation and history as a full recompute has them", async () => {
    const random = lcg(2026);
    const handles = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const ids = Object.values(await addMembers(db, handles));
    const topics = [await addTopic(db, "cycling"), await addTopic(db, "food")];
    const pick = () => ids[Math.floor(ids.length * random() ** 2)] as number;
    const follows = new Set<string>();
    for (const u of ids.slice(0, 20)) {
      const v = pick();
      if (u !== v && !follows.has(`${u}:${v}`)) {
        follows.add(`${u}:${v}`);
        await follow(db, u, v);
      }
    }
    // The first run is full: it builds the live state the rest of the stream moves forward.
    expect(await scorer.applyPendingEvents()).toMatchObject({ mode: "full" });

    const summaries: RunSummary[] = [];
    const endorsements: { id: number; a: number; b: number }[] = [];
    let erased = 0;
    for (let batch = 0; batch < 12; batch++) {
      for (let i = 0; i < 15; i++) {
        const roll = random();
        const [u, v] = [ids[Math.floor(random() * ids.length)] as number, pick()];
        if (roll < 0.35)
          await interact(db, u, v, (["MENTION", "REPLY", "SHARE", "LIKE"] as const)[i % 4], random() * 20);
        else if (roll < 0.6 && u !== v && !follows.has(`${u}:${v}`)) {
          follows.add(`${u}:${v}`);
          await follow(db, u, v);
        } else if (roll < 0.7 && follows.size > 0) {
          const key = [...follows][Math.floor(random() * follows.size)] as string;
          follows.delete(key);
          const [a, b] = key.split(":").map(Number) as [number, number];
          await unfollow(a, b);
        } else if (roll < 0.85 && u !== v) {
          endorsements.push({
            id: (await endorse(db, u, v, topics[i % 2] as number)).endorsementId,
            a: u,
            b: v,
          });
        } else if (roll < 0.92 && endorsements.length > 0) {
          const [gone] = endorsements.splice(Math.floor(random() * endorsements.length), 1);
          await revoke(db, (gone as { id: number }).id);
        } else if (roll < 0.95 && ids.length > 20) {
          // An erasure, as deleteAccount does it: the rows go by cascade, the event names nobody.
          const [x] = ids.splice(Math.floor(random() * ids.length), 1) as [number];
          erased++;
          await db.$transaction(async (tx) => {
            await foldCausesNaming(tx, x);
            await tx.user.delete({ where: { id: x } });
            await tx.graphEvent.create({ data: { kind: "ERASURE" } });
          });
          for (const key of [...follows]) if (key.split(":").map(Number).includes(x)) follows.delete(key);
          for (let j = endorsements.length - 1; j >= 0; j--) {
            const e = endorsements[j] as { a: number; b: number };
            if (e.a === x || e.b === x) endorsements.splice(j, 1);
          }
        } else {
          // A member who joins: no event names them until they act.
          const [id] = Object.values(await addMembers(db, [`new${batch}-${i}`]));
          ids.push(id as number);
        }
      }
      const summary = await scorer.applyPendingEvents();
      if (summary) summaries.push(summary);
    }
    expect(summaries.length).toBeGreaterThan(5);
    expect(erased).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary.mode).toBe("incremental");
    expect(await checkpoint(db)).toBe(await lastEventId(db));

    const loaded = await loadCommunity(db);
    const full = recomputeAll(loaded.community, defaultModel, now);
    const n = loaded.members.ids.length;
    const scores = new Map((await db.score.findMany()).map((row) => [row.userId, row]));
    expect(scores.size).toBe(n);
    const history = await db.scoreHistory.findMany({ orderBy: { id: "asc" }, include: { causes: true } });
    const contributions = await db.scoreContribution.findMany();
    loaded.members.ids.forEach((id, v) => {
      const row = scores.get(id);
      if (!row) throw new Error(`member ${id} has no score`);
      // Stability: the stored score is within the noise floor (plus the drift allowance) of the truth.
      expect(Math.abs(row.value - (full.score[v] as number))).toBeLessThan(storedScoreTolerance);
      const breakdown = row.breakdown as { network: number; endorsement: number; raw: number };
      expect(breakdown.raw).toBe(row.raw);
      // Its parts are relative to the average current member, and make up raw.
      const s = defaultModel.endorsementShare;
      expect((1 - s) * breakdown.network + s * breakdown.endorsement).toBeCloseTo(row.raw, 9);
      // History tells the whole story: its deltas add up to the stored value, its last entry is it.
      const mine = history.filter((entry) => entry.userId === id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.at(-1)?.value).toBe(row.value);
      expect(mine.reduce((total, entry) => total + entry.delta, 0)).toBeCloseTo(row.value, 9);
      for (const entry of mine)
        expect(entry.causes.reduce((total, c) => total + c.share, 0)).toBeCloseTo(1, 9);
      // The explanation sums to 1 and names only current members.
      const explanation = contributions.filter((c) => c.userId === id);
      expect(explanation.reduce((total, c) => total + c.share, 0)).toBeCloseTo(1, 9);
      for (const c of explanation)
        if (c.contributorId !== null)
          expect(loaded.members.indexOf(c.contributorId)).toBeGreaterThanOrEqual(0);
    });
  });
});
