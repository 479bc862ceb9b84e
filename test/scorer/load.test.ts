// Loading the community and the active model from the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { loadActiveModel } from "../../src/scorer/active-model.js";
import { inSnapshot, loadCommunity } from "../../src/scorer/load.js";
import { interactionKindCodes } from "../../src/scoring/community.js";
import { defaultModel } from "../../src/scoring/model.js";
import {
  activateModel,
  addMembers,
  addTopic,
  day,
  now,
  type ScorerTestDatabase,
  scorerTestDatabase,
} from "./fixtures.js";

let t: ScorerTestDatabase;
let db: Db;
let m: Record<string, number>;
let topics: number[];

beforeAll(async () => {
  t = await scorerTestDatabase();
  db = t.db;
  topics = [await addTopic(db, "food"), await addTopic(db, "cycling")];
  m = await addMembers(db, ["ann", "bob", "cat", "dan"]);
  const { ann, bob, cat, dan } = m as Record<"ann" | "bob" | "cat" | "dan", number>;
  await db.follow.createMany({
    data: [
      { followerId: ann, followeeId: bob },
      { followerId: cat, followeeId: bob },
      { followerId: bob, followeeId: dan },
    ],
  });
  await db.interaction.createMany({
    data: [
      { key: "1", kind: "REPLY", actorId: ann, targetId: cat, occurredAt: new Date(now - day) },
      { key: "2", kind: "LIKE", actorId: null, targetId: cat, occurredAt: new Date(now) },
      { key: "3", kind: "SHARE", actorId: dan, targetId: null, occurredAt: new Date(now) },
      { key: "4", kind: "MENTION", actorId: cat, targetId: ann, occurredAt: new Date(now - 2 * day) },
    ],
  });
  await db.endorsement.createMany({
    data: [
      { endorserId: ann, endorseeId: bob, topicId: topics[1] as number, createdAt: new Date(now - 3 * day) },
      { endorserId: cat, endorseeId: bob, topicId: topics[0] as number, revokedAt: new Date(now) },
      { endorserId: dan, endorseeId: ann, topicId: topics[0] as number, createdAt: new Date(now - 4 * day) },
    ],
  });
  await db.user.update({ where: { id: cat }, data: { anonymousReach: 1 } });
  await db.user.update({ where: { id: dan }, data: { anonymousReach: 1 } });
  // A timestamp in SQLite's own CURRENT_TIMESTAMP text form, as rows written by SQL defaults have.
  await db.$executeRaw`INSERT INTO "Interaction" ("key", "kind", "actorId", "targetId", "occurredAt", "createdAt")
    VALUES ('5', 'SHARE', ${dan}, ${bob}, '2026-10-31 12:00:00', '2026-10-31 12:00:00')`;
});

afterAll(() => t.close());

describe("loadCommunity", () => {
  it("gives members dense indices in id order, with a way back", async () => {
    const loaded = await inSnapshot(t.scorerDatabase, (tx) => loadCommunity(tx));
    const ids = Object.values(m).sort((a, b) => a - b);
    expect([...loaded.members.ids]).toEqual(ids);
    ids.forEach((id, i) => {
      expect(loaded.members.indexOf(id)).toBe(i);
    });
    expect(loaded.community.memberCount).toBe(4);
    expect([...loaded.topics.ids]).toEqual(topics);
    expect(loaded.community.topicCount).toBe(2);
    expect([...loaded.anonymousReach]).toEqual([0, 0, 1, 1]);
  });

  it("loads follows and only the interactions between two members, with times in ms", async () => {
    const loaded = await loadCommunity(db);
    const id = (i: number) => loaded.members.ids[i];
    const { follows, interactions } = loaded.community;
    const pairs = Array.from(follows.follower, (a, i) => [id(a), id(follows.followee[i] as number)]);
    expect(pairs.sort()).toEqual(
      [
        [m.ann, m.bob],
        [m.cat, m.bob],
        [m.bob, m.dan],
      ].sort(),
    );
    const loadedInteractions = Array.from(interactions.actor, (a, i) => [
      id(a),
      id(interactions.target[i] as number),
      interactionKindCodes[interactions.kind[i] as number],
      interactions.at[i],
    ]);
    expect(loadedInteractions).toEqual([
      [m.ann, m.cat, "REPLY", now - day],
      [m.cat, m.ann, "MENTION", now - 2 * day],
      [m.dan, m.bob, "SHARE", Date.UTC(2026, 9, 31, 12)],
    ]);
  });

  it("loads endorsements in force, keeping their ids aligned", async () => {
    const loaded = await loadCommunity(db);
    const rows = await db.endorsement.findMany({ where: { revokedAt: null }, orderBy: { id: "asc" } });
    const { endorser, endorsee, topic, at } = loaded.community.endorsements;
    expect([...loaded.endorsementIds]).toEqual(rows.map((row) => row.id));
    rows.forEach((row, i) => {
      expect(loaded.members.ids[endorser[i] as number]).toBe(row.endorserId);
      expect(loaded.members.ids[endorsee[i] as number]).toBe(row.endorseeId);
      expect(loaded.topics.ids[topic[i] as number]).toBe(row.topicId);
      expect(at[i]).toBe(row.createdAt.getTime());
    });
  });
});

describe("loadActiveModel", () => {
  it("creates version 1 from the defaults when there is no model, once", async () => {
    expect(await loadActiveModel(t.scorerDatabase.sql, t.scorerDatabase.provider)).toEqual(defaultModel);
    expect(await loadActiveModel(t.scorerDatabase.sql, t.scorerDatabase.provider)).toEqual(defaultModel);
    expect(await db.scoringModel.findMany()).toMatchObject([{ version: 1, status: "ACTIVE" }]);
  });

  it("uses the newest active model, its row's version winning over its parameters'", async () => {
    await activateModel(db, 4, { damping: 0.7 });
    await db.scoringModel.create({ data: { version: 5, parameters: { damping: 0.5 }, status: "DRAFT" } });
    await db.scoringModel.update({
      where: { version: 4 },
      data: { parameters: { damping: 0.7, version: 9 } },
    });
    expect(await loadActiveModel(t.scorerDatabase.sql, t.scorerDatabase.provider)).toEqual({
      ...defaultModel,
      damping: 0.7,
      version: 4,
    });
  });
});
