// Several instances: two Sway servers on one database, with live events through a real Redis
// (a throwaway redis-server started here). Exactly one scorer holds the lease; a subscriber on
// one instance hears of a change caused through the other, whichever instance scores; when the
// scoring instance stops, the other takes over and its subscribers still hear of moves.
import { randomBytes } from "node:crypto";
import type { ResultOf } from "@graphql-typed-document-node/core";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/index.js";
import { until } from "./scorer/fixtures.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { type Received, subscribeSse, subscribeWs, wsClient } from "./support/live.js";
import { type Members, makeVisible, scored, signUpMembers } from "./support/members.js";
import { startRedis, type TestRedis } from "./support/redis.js";

const Follow = graphql(`
  mutation MultiFollow($handle: String!) { follow(handle: $handle) { __typename } }
`);
const Endorse = graphql(`
  mutation MultiEndorse($handle: String!, $topic: String!) {
    endorse(handle: $handle, topic: $topic, note: "Across") { __typename }
  }
`);
const ScoreChanged = graphql(`
  subscription MultiScoreChanged($minDelta: Float) {
    scoreChanged(minDelta: $minDelta) {
      member { handle }
      delta
      reason
      createdAt
      causes { member { handle } }
    }
  }
`);
const EndorsementReceived = graphql(`
  subscription MultiEndorsementReceived {
    endorsementReceived { note endorser { handle } topic { slug } }
  }
`);

let redis: TestRedis;
let database: TestDatabase;
let a: TestApp;
let b: TestApp;
let m: Members;
/** Instances a test stopped already. */
const stopped = new Set<TestApp>();
const clients: Client[] = [];
const client = (t: TestApp, token?: string) => {
  const created = wsClient(t.url, token);
  clients.push(created);
  return created;
};
const as = (handle: string) => ({ token: m.token[handle] });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once a received move names `handle` among its causes. */
async function moveCausedBy(
  live: Received<ResultOf<typeof ScoreChanged>>,
  handle: string,
  timeoutMs = 15_000,
): Promise<void> {
  await until(
    () =>
      live.events.some((event) =>
        event.data?.scoreChanged.causes.some((cause) => cause.member?.handle === handle),
      ),
    timeoutMs,
  );
}

/** Waits for a move recorded after `since` (ms since the epoch), whatever its reason and causes. */
async function moveAfter(
  live: Received<ResultOf<typeof ScoreChanged>>,
  since: number,
  timeoutMs = 15_000,
): Promise<void> {
  await until(
    () =>
      live.events.some((event) => {
        const createdAt = event.data?.scoreChanged.createdAt;
        return createdAt !== undefined && new Date(createdAt).getTime() >= since;
      }),
    timeoutMs,
  );
}

/** The instance whose scorer holds the lease, once one does (and the other does not). */
async function scoringInstance(): Promise<{ holder: TestApp; other: TestApp }> {
  await until(() => a.app.scorer.holdsLease || b.app.scorer.holdsLease, 20_000);
  // The worker reports lease changes every 500 ms: give a second claim time to show up.
  await wait(1_200);
  return a.app.scorer.holdsLease ? { holder: a, other: b } : { holder: b, other: a };
}

beforeAll(async () => {
  redis = await startRedis();
  database = await createTestDatabase();
  // Both instances share the database, the Redis and the channel names (as in production).
  const shared = { database, redisChannelPrefix: `sway-multi-${randomBytes(4).toString("hex")}:` };
  a = await startTestApp({ REDIS_URL: redis.url }, shared);
  b = await startTestApp({ REDIS_URL: redis.url }, shared);
  await Promise.all([a.app.scorer.started, b.app.scorer.started]);
  const handles = ["ann", "bob", "cat", "dan", "eve", "fay", "gus"];
  m = await signUpMembers(a, handles);
  // Public scores: a move's causes name the members behind it.
  for (const handle of handles) await makeVisible(a, handle, "PUBLIC");
  await a.app.database.prisma.topic.create({ data: { slug: "cycling", name: "Cycling" } });
  await scored(a);
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const t of [a, b]) if (t && !stopped.has(t)) await t.close();
  await database?.drop();
  await redis?.stop();
});

describe("two instances on one database and one Redis", () => {
  it("run exactly one scorer between them", async () => {
    await scoringInstance();
    expect([a.app.scorer.holdsLease, b.app.scorer.holdsLease].filter(Boolean)).toHaveLength(1);
    const stored = await a.app.database.prisma.scorerState.findUnique({ where: { id: "main" } });
    expect(stored?.holder).toBeTruthy();
  });

  it("deliver on one instance what was caused through the other, both ways, over graphql-ws and SSE", async () => {
    const rounds: [TestApp, TestApp, string, string][] = [
      [a, b, "bob", "cat"],
      [b, a, "dan", "eve"],
    ];
    for (const [listening, acting, follower, endorser] of rounds) {
      const moves = subscribeWs(client(listening, m.token.ann), ScoreChanged, { minDelta: 0 });
      const sse = subscribeSse(listening.url, ScoreChanged, { minDelta: 0 }, m.token.ann);
      const endorsements = subscribeWs(client(listening, m.token.ann), EndorsementReceived);
      // Subscribing reaches Redis asynchronously (SUBSCRIBE): let it settle.
      await wait(400);

      await acting.execute(Follow, { handle: "ann" }, as(follower));
      await acting.execute(Endorse, { handle: "ann", topic: "cycling" }, as(endorser));

      const received = await endorsements.nth(1);
      expect(received.data?.endorsementReceived).toEqual({
        note: "Across",
        endorser: { handle: endorser },
        topic: { slug: "cycling" },
      });
      await moveCausedBy(moves, follower);
      await moveCausedBy(sse, follower);
      const move = moves.events.find((event) =>
        event.data?.scoreChanged.causes.some((cause) => cause.member?.handle === follower),
      );
      // One scorer batch may hold the endorsement too: then ENDORSEMENT is its reason.
      expect(move?.data?.scoreChanged.member.handle).toBe("ann");
      expect(["ACTIVITY", "ENDORSEMENT"]).toContain(move?.data?.scoreChanged.reason);
      moves.stop();
      sse.stop();
      endorsements.stop();
    }
  }, 60_000);

  it("hand scoring over when the scoring instance stops; the survivor's subscribers still hear of moves", async () => {
    const { holder, other } = await scoringInstance();
    // Subscribed before the handover, on the instance that stays.
    const before = subscribeWs(client(other, m.token.ann), ScoreChanged, { minDelta: 0 });
    await wait(400);

    // A clean stop releases the lease (src/scorer/thread.ts), so the other takes over within a poll.
    stopped.add(holder);
    await holder.app.stop();
    await until(() => other.app.scorer.holdsLease, 20_000);
    expect(holder.app.scorer.holdsLease).toBe(false);
    const stored = await other.app.database.prisma.scorerState.findUnique({ where: { id: "main" } });
    expect(stored?.holder).toBeTruthy();

    const after = subscribeWs(client(other, m.token.ann), ScoreChanged, { minDelta: 0 });
    await wait(400);
    // The new holder starts with a full run; if it takes in the follow below, the move is
    // recorded as DECAY with no member named. So: any move of ann recorded after the follow.
    const since = Date.now();
    await other.execute(Follow, { handle: "ann" }, as("gus"));
    await moveAfter(before, since, 20_000);
    await moveAfter(after, since, 20_000);
    before.stop();
    after.stop();
  }, 60_000);
});
