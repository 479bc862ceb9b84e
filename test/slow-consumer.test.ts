// Slow clients: a WebSocket subscriber that stops reading does not grow the server's memory
// without bound. The server is started with WS_MAX_BUFFERED_BYTES at its minimum (1024); the
// subscriber speaks graphql-transport-ws over a raw `ws` socket and then pauses its TCP socket,
// so back-pressure builds up to the server. Events are published straight onto the app's
// pub/sub (score moves otherwise come from the scorer, about once a second), each one large.
//
// What is bounded, and where (src/realtime/ws.ts, src/realtime/pubsub.ts):
// - bytes: once more than WS_MAX_BUFFERED_BYTES wait in `ws` for one socket (the kernel's
//   buffers being full), the socket is closed with 4413 and nothing more is sent to it;
// - events: a subscription whose resolvers fall more than 1,000 events behind ends with
//   SLOW_CONSUMER, and over WebSocket its socket is closed with 4413 too.
// A normal subscriber on the same server keeps receiving everything.
//
// The pub/sub here is in-process (REDIS_URL unset even in CI's Redis run): the bound under test
// is the WebSocket's, and publishing in-process lets the test pace the events exactly.
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ScoreEvent } from "../src/realtime/pubsub.js";
import { slowConsumerCloseCode } from "../src/realtime/ws.js";
import { graphql } from "./generated/index.js";
import { until } from "./scorer/fixtures.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { subscribeWs, wsClient } from "./support/live.js";
import { type Members, scored, signUpMembers } from "./support/members.js";

const SlowScoreChanged = graphql(`
  subscription SlowScoreChanged {
    scoreChanged(minDelta: 0) { value delta causes { kind share } }
  }
`);
const query = "subscription { scoreChanged(minDelta: 0) { value delta causes { kind share } } }";

let t: TestApp;
let m: Members;
let ann: number;
let bob: number;
let cat: number;
const clients: Client[] = [];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A score move for `userId` whose message is about `causes` × 30 bytes long. */
function move(userId: number, n: number, causes: number): ScoreEvent {
  return {
    userId,
    visibility: "PRIVATE",
    historyId: n,
    oldValue: 50,
    value: 51,
    delta: 1,
    reason: "ACTIVITY",
    modelVersion: 1,
    createdAt: new Date().toISOString(),
    causes: Array.from({ length: causes }, () => ({
      kind: "REMAINDER" as const,
      share: 1 / causes,
      memberId: null,
      endorsementId: null,
      topicId: null,
    })),
  };
}

interface RawSubscriber {
  socket: WebSocket;
  /** `next` messages received so far. */
  nexts: number;
  /** Other messages received (error, complete). */
  others: { type: string; payload?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-transport-ws client on a raw socket, subscribed to its own score moves. */
async function rawSubscriber(url: string, token: string): Promise<RawSubscriber> {
  const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
  const subscriber: RawSubscriber = {
    socket,
    nexts: 0,
    others: [],
    closed: new Promise((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
    ),
  };
  const acknowledged = new Promise<void>((resolve, reject) => {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === "connection_ack") resolve();
      else if (message.type === "next") subscriber.nexts++;
      else if (message.type !== "ping" && message.type !== "pong") subscriber.others.push(message);
    });
    socket.once("close", () => reject(new Error("closed before connection_ack")));
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  await acknowledged;
  socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
  return subscriber;
}

/** Publishes until `subscriber` has heard one event: its subscription is in place. */
async function subscribed(userId: number, subscriber: { readonly nexts: number } | { events: unknown[] }) {
  const heard = () => ("nexts" in subscriber ? subscriber.nexts : subscriber.events.length) > 0;
  let n = 0;
  while (!heard()) {
    t.app.realtime.pubsub.publish(`score:${userId}`, move(userId, n++, 1));
    await wait(50);
    if (n > 200) throw new Error("the subscription did not start");
  }
  // Probes published meanwhile arrive too: let them.
  await wait(300);
}

beforeAll(async () => {
  t = await startTestApp({ WS_MAX_BUFFERED_BYTES: "1024", REDIS_URL: "" });
  m = await signUpMembers(t, ["ann", "bob", "cat"]);
  // The scorer's first scores are published too: have them out of the way.
  await scored(t);
  [ann, bob, cat] = [m.id.ann, m.id.bob, m.id.cat] as [number, number, number];
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.close();
});

describe("a WebSocket subscriber that stops reading", () => {
  it("is closed with 4413 once its unsent bytes pass WS_MAX_BUFFERED_BYTES; others are unaffected", async () => {
    const slow = await rawSubscriber(t.url, m.token.ann as string);
    await subscribed(ann, slow);
    const normalClient = wsClient(t.url, m.token.bob);
    clients.push(normalClient);
    const normal = subscribeWs(normalClient, SlowScoreChanged, {});
    await subscribed(bob, normal);
    const normalBefore = normal.events.length;

    // Stop reading: the kernel's buffers fill, then ws' own.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const seenBefore = slow.nexts;

    // ~30 KB per message, 50 MB in all: far beyond what loopback's socket buffers hold. Paced, so
    // that resolvers keep up (the byte bound is under test here, not the event queue's).
    const total = 1600;
    const normalEvery = 40;
    for (let n = 0; n < total; n++) {
      t.app.realtime.pubsub.publish(`score:${ann}`, move(ann, n, 1000));
      if (n % normalEvery === 0) t.app.realtime.pubsub.publish(`score:${bob}`, move(bob, n, 1));
      if (n % 20 === 19) await wait(5);
    }
    const normalSent = Math.ceil(total / normalEvery);

    // The normal subscriber got every event meant for it, and is still connected.
    await until(() => normal.events.length >= normalBefore + normalSent, 15_000);
    await wait(200);
    expect(normal.events).toHaveLength(normalBefore + normalSent);
    expect(normal.events.every((event) => event.errors === undefined)).toBe(true);

    // Reading again, the slow client gets what was buffered, then the close frame.
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await slow.closed;
    expect(code).toBe(slowConsumerCloseCode);
    expect(reason).toMatch(/too much unsent data/);
    // Nothing was sent once the bound was hit: it got only part of the events.
    expect(slow.nexts - seenBefore).toBeGreaterThan(0);
    expect(slow.nexts - seenBefore).toBeLessThan(total);

    // The normal subscriber still hears of moves.
    t.app.realtime.pubsub.publish(`score:${bob}`, move(bob, total, 1));
    await normal.nth(normalBefore + normalSent + 1);
    normal.stop();
  });

  it("a subscription that falls more than 1,000 events behind ends, and the socket is closed with 4413", async () => {
    const behind = await rawSubscriber(t.url, m.token.cat as string);
    await subscribed(cat, behind);
    // One burst, published faster than its resolvers can run.
    for (let n = 0; n < 1500; n++) t.app.realtime.pubsub.publish(`score:${cat}`, move(cat, n, 1));
    const { code, reason } = await behind.closed;
    expect(code).toBe(slowConsumerCloseCode);
    expect(reason).toMatch(/too many undelivered events/);
    // What was queued (1,000 events) was delivered first, then the error.
    expect(behind.nexts).toBeGreaterThanOrEqual(1000);
    expect(behind.others.map((message) => message.type)).toEqual(["error"]);
    expect(JSON.stringify(behind.others[0]?.payload)).toMatch(/events are waiting for this subscriber/);
  });
});
