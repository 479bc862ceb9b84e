// Live subscriptions with real clients: graphql-ws over `ws` and SSE over fetch, on the configured
// database. Score moves are published by the scorer after their history rows commit; every event
// is authorized for its subscriber; calm by default.

import type { Client } from "graphql-ws";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { subscribeSse, subscribeWs, wsClient } from "./support/live.js";
import { type Members, makeVisible, scored, signUpMembers } from "./support/members.js";

const Follow = graphql(`
  mutation FollowLive($handle: String!) { follow(handle: $handle) { __typename } }
`);
const Endorse = graphql(`
  mutation EndorseLive($handle: String!, $topic: String!) {
    endorse(handle: $handle, topic: $topic, note: "Live") { __typename }
  }
`);
const Preferences = graphql(`
  mutation PreferencesLive($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on User { notificationPreference { minDelta direction } }
    }
  }
`);
const DeleteAccountLive = graphql(`
  mutation DeleteAccountLive($password: String!) { deleteAccount(password: $password) { __typename } }
`);

const ScoreChanged = graphql(`
  subscription ScoreChanged($handle: String, $minDelta: Float) {
    scoreChanged(handle: $handle, minDelta: $minDelta) {
      member { handle }
      oldValue
      value
      delta
      reason
      modelVersion
      createdAt
      causes { kind share member { handle } }
    }
  }
`);
const EndorsementReceived = graphql(`
  subscription EndorsementReceived {
    endorsementReceived { note endorser { handle } topic { slug } }
  }
`);
const LeaderboardChanged = graphql(`
  subscription LeaderboardChanged {
    leaderboardChanged(first: 5) { entries { rank value member { handle } } }
  }
`);

const LeaderboardWide = graphql(`
  subscription LeaderboardWide {
    leaderboardChanged(first: 101) { entries { rank } }
  }
`);

let t: TestApp;
let m: Members;
const clients: Client[] = [];
const client = (token?: string) => {
  const created = wsClient(t.url, token);
  clients.push(created);
  return created;
};
const as = (handle: string) => ({ token: m.token[handle] });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await startTestApp();
  m = await signUpMembers(t, ["ann", "bob", "cat", "dan", "eve", "fay"]);
  await t.app.database.prisma.topic.create({ data: { slug: "cycling", name: "Cycling" } });
  for (const handle of ["ann", "bob", "cat"]) await makeVisible(t, handle, "PUBLIC");
  await scored(t);
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.close();
});

describe("scoreChanged over graphql-ws", () => {
  it("pushes the viewer's own move once its history row exists, with its causes", async () => {
    const live = subscribeWs(client(m.token.ann), ScoreChanged, {});
    await wait(200);
    await t.execute(Follow, { handle: "ann" }, as("bob"));
    const event = await live.nth(1);
    expect(event.errors).toBeUndefined();
    const move = event.data?.scoreChanged;
    expect(move).toMatchObject({ member: { handle: "ann" }, reason: "ACTIVITY", modelVersion: 1 });
    expect(Math.abs(move?.delta ?? 0)).toBeGreaterThanOrEqual(0.5);
    expect(move?.value).toBeCloseTo((move?.oldValue ?? 0) + (move?.delta ?? 0), 9);
    expect(move?.causes.some((cause) => cause.member?.handle === "bob")).toBe(true);
    expect(move?.causes.reduce((sum, cause) => sum + cause.share, 0)).toBeCloseTo(1, 9);
    // History already had it when it was pushed.
    const newest = await t.app.database.prisma.scoreHistory.findFirst({
      where: { userId: m.id.ann },
      orderBy: { id: "desc" },
    });
    expect(newest?.value).toBeCloseTo(move?.value ?? 0, 9);
    live.stop();
  });

  it("refuses a bad token at connection_init, and a hidden score at the start", async () => {
    const closed = await new Promise<number>((resolve) => {
      const socket = new WebSocket(t.url.replace(/^http/, "ws"), "graphql-transport-ws");
      socket.on("open", () =>
        socket.send(
          JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer nonsense" } }),
        ),
      );
      socket.on("close", (code) => resolve(code));
    });
    expect(closed).toBe(4403);

    // A refusal at the start is one result with the error, then the end.
    const hidden = subscribeWs(client(m.token.ann), ScoreChanged, { handle: "dan" });
    await hidden.done;
    expect(hidden.events.map((event) => event.errors?.[0]?.extensions?.code)).toEqual(["FORBIDDEN"]);
    const anonymousOwn = subscribeWs(client(), ScoreChanged, {});
    await anonymousOwn.done;
    expect(anonymousOwn.events.map((event) => event.errors?.[0]?.extensions?.code)).toEqual([
      "UNAUTHENTICATED",
    ]);
    // The same limits as over HTTP: one pipeline.
    const tooWide = subscribeWs(client(m.token.ann), LeaderboardWide, {});
    await tooWide.done;
    expect(tooWide.events.map((event) => event.errors?.[0]?.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("stops delivering another member's moves the moment they make their score private", async () => {
    const watcher = subscribeWs(client(m.token.eve), ScoreChanged, { handle: "cat", minDelta: 0 });
    const owner = subscribeWs(client(m.token.cat), ScoreChanged, { minDelta: 0 });
    await wait(200);
    await t.execute(Follow, { handle: "cat" }, as("dan"));
    await watcher.nth(1);
    await owner.nth(1);
    await makeVisible(t, "cat", "PRIVATE");
    await t.execute(Follow, { handle: "cat" }, as("fay"));
    await owner.nth(2);
    await wait(500);
    expect(watcher.events).toHaveLength(1);
    watcher.stop();
    owner.stop();
  });

  it("is calm by default: the viewer's threshold and direction apply when minDelta is not given", async () => {
    const prefs = await t.execute(
      Preferences,
      { input: { notifyMinDelta: 99, notifyDirection: "UP" } },
      as("bob"),
    );
    expect(prefs.data?.updateProfile).toMatchObject({
      notificationPreference: { minDelta: 99, direction: "UP" },
    });
    const calm = subscribeWs(client(m.token.bob), ScoreChanged, {});
    const everything = subscribeWs(client(m.token.bob), ScoreChanged, { minDelta: 0 });
    await wait(200);
    await t.execute(Follow, { handle: "bob" }, as("eve"));
    await everything.nth(1);
    await wait(300);
    expect(calm.events).toHaveLength(0);
    const refused = await t.execute(Preferences, { input: { notifyMinDelta: 101 } }, as("bob"));
    expect(refused.data?.updateProfile.__typename).toBe("ValidationError");
    calm.stop();
    everything.stop();
  });
});

describe("endorsementReceived and leaderboardChanged", () => {
  it("pushes an endorsement to its receiver, and the leaderboard at once and after moves", async () => {
    const endorsements = subscribeWs(client(m.token.ann), EndorsementReceived);
    const board = subscribeWs(client(), LeaderboardChanged);
    const first = await board.nth(1);
    const handles = first.data?.leaderboardChanged.entries.map((entry) => entry.member.handle) ?? [];
    expect(handles).not.toContain("dan"); // PRIVATE: not on an anonymous viewer's board
    await wait(200);
    await t.execute(Endorse, { handle: "ann", topic: "cycling" }, as("cat"));
    const received = await endorsements.nth(1);
    expect(received.data?.endorsementReceived).toEqual({
      note: "Live",
      endorser: { handle: "cat" },
      topic: { slug: "cycling" },
    });
    await board.nth(2);
    endorsements.stop();
    board.stop();
  });
});

describe("waking the scorer on commit", () => {
  it("delivers a move without waiting for the scorer's poll", async () => {
    // A second app whose scorer would poll only every ten minutes: moves arrive because each
    // commit wakes it.
    const slow = await startTestApp({ SCORER_POLL_MS: "600000" });
    try {
      const members = await signUpMembers(slow, ["gil", "hal"]);
      const gil = wsClient(slow.url, members.token.gil);
      clients.push(gil);
      const live = subscribeWs(gil, ScoreChanged, { minDelta: 0 });
      await wait(200);
      await slow.execute(Follow, { handle: "gil" }, { token: members.token.hal });
      const event = await live.nth(1, 20_000);
      expect(event.data?.scoreChanged.member.handle).toBe("gil");
      live.stop();
    } finally {
      await slow.close();
    }
  });
});

describe("SSE", () => {
  it("carries the same subscription over Server-Sent Events", async () => {
    const live = subscribeSse(t.url, ScoreChanged, { minDelta: 0 }, m.token.fay);
    await wait(300);
    await t.execute(Follow, { handle: "fay" }, as("ann"));
    const event = await live.nth(1);
    expect(event.data?.scoreChanged.member.handle).toBe("fay");
    live.stop();
  });
});

describe("erasure", () => {
  it("ends the subscriptions of a deleted account", async () => {
    const own = subscribeWs(client(m.token.dan), ScoreChanged, {});
    await wait(200);
    await t.execute(DeleteAccountLive, { password: "password-dan" }, as("dan"));
    const { error } = await own.done;
    expect(error).toBeUndefined();
    await scored(t);
  });
});

// graphql-ws subscriptions share one execution of an event per operation and viewer class
// (src/realtime/fanout.ts); each subscriber's consent is still checked per event.
describe("the shared fan-out", () => {
  // Each test counts the moves of one member: the moves an earlier test's events still cause
  // (the scorer writes an event's subject first, the members it moves through the network after)
  // must have been written and delivered before it subscribes.
  beforeEach(async () => {
    await scored(t);
    await wait(200);
  });

  it("gives viewers of different classes their own payloads of one move", async () => {
    // (ann holds the top score, 100: a new follower would not move it.)
    await makeVisible(t, "cat", "PUBLIC");
    await makeVisible(t, "eve", "MEMBERS");
    const anonymous = [
      subscribeWs(client(), ScoreChanged, { handle: "cat", minDelta: 0 }),
      subscribeWs(client(), ScoreChanged, { handle: "cat", minDelta: 0 }),
    ];
    const member = subscribeWs(client(m.token.fay), ScoreChanged, { handle: "cat", minDelta: 0 });
    const named = subscribeWs(client(m.token.eve), ScoreChanged, { handle: "cat", minDelta: 0 });
    await wait(300);
    await t.execute(Follow, { handle: "cat" }, as("eve"));
    const events = await Promise.all([...anonymous, member, named].map((live) => live.nth(1)));
    for (const event of events) expect(event.errors).toBeUndefined();
    const [a1, a2, fromMember, fromNamed] = events.map((event) => event.data?.scoreChanged);
    if (!a1 || !fromMember || !fromNamed) throw new Error("a move without data");
    // One move, the same for everyone but who is named in it.
    expect(a2).toEqual(a1);
    for (const move of [fromMember, fromNamed]) {
      expect(move.value).toBe(a1.value);
      expect(move.causes.map((cause) => cause.share)).toEqual(a1.causes.map((cause) => cause.share));
    }
    // eve's share: MEMBERS — hidden from anonymous viewers, shown to members and to eve herself.
    const eveAt = fromMember.causes.findIndex((cause) => cause.member?.handle === "eve");
    expect(eveAt).toBeGreaterThanOrEqual(0);
    expect(a1.causes[eveAt]?.member).toBeNull();
    expect(fromNamed.causes[eveAt]?.member?.handle).toBe("eve");
    for (const live of [...anonymous, member, named]) live.stop();
  });

  it("stops a move at once for each viewer its owner's new visibility excludes", async () => {
    const anonymous = [
      subscribeWs(client(), ScoreChanged, { handle: "bob", minDelta: 0 }),
      subscribeWs(client(), ScoreChanged, { handle: "bob", minDelta: 0 }),
    ];
    const member = subscribeWs(client(m.token.fay), ScoreChanged, { handle: "bob", minDelta: 0 });
    const owner = subscribeWs(client(m.token.bob), ScoreChanged, { minDelta: 0 });
    await wait(300);
    await t.execute(Follow, { handle: "bob" }, as("ann"));
    await Promise.all([...anonymous, member, owner].map((live) => live.nth(1)));

    await makeVisible(t, "bob", "MEMBERS");
    await t.execute(Follow, { handle: "bob" }, as("cat"));
    await owner.nth(2);
    await member.nth(2);
    await makeVisible(t, "bob", "PRIVATE");
    await t.execute(Follow, { handle: "bob" }, as("fay"));
    await owner.nth(3);
    await wait(500);
    expect(anonymous.map((live) => live.events.length)).toEqual([1, 1]);
    expect(member.events).toHaveLength(2);
    expect(owner.events).toHaveLength(3);
    for (const live of [...anonymous, member, owner]) live.stop();
    await makeVisible(t, "bob", "PUBLIC");
  });

  it("ends every subscription to a member who erases their account", async () => {
    const gone = await signUpMembers(t, ["gus"]);
    await makeVisible(t, "gus", "PUBLIC");
    const watchers = [
      subscribeWs(client(), ScoreChanged, { handle: "gus", minDelta: 0 }),
      subscribeWs(client(), ScoreChanged, { handle: "gus", minDelta: 0 }),
      subscribeWs(client(m.token.fay), ScoreChanged, { handle: "gus", minDelta: 0 }),
    ];
    await wait(300);
    await t.execute(DeleteAccountLive, { password: "password-gus" }, { token: gone.token.gus });
    for (const { error } of await Promise.all(watchers.map((live) => live.done))) {
      expect(error).toBeUndefined();
    }
    await scored(t);
  });
});
