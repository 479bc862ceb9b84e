// The pub/sub over a real Redis (src/realtime/pubsub.ts): an instance's own events reach its own
// listeners in process, once (the copy Redis sends back is dropped), and the other instances
// through Redis; plain JSON published by another Redis client is delivered too; and an instance's
// own events still reach its listeners while Redis is unreachable.
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { setTimeout as wait } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRealtime, type Realtime } from "../src/realtime/pubsub.js";
import { startRedis, type TestRedis } from "./support/redis.js";

let redis: TestRedis;
const opened: Realtime[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((realtime) => realtime.close()));
});

afterAll(async () => {
  await redis?.stop();
});

/** Everything a subscription to `channel` hears, as it arrives. */
function listen(realtime: Realtime, channel: string) {
  const events = (realtime.pubsub as unknown as { subscribe(channel: string): AsyncIterable<unknown> })
    .subscribe(channel)
    [Symbol.asyncIterator]();
  const heard: unknown[] = [];
  const done = (async () => {
    for (let next = await events.next(); !next.done; next = await events.next()) heard.push(next.value);
  })();
  return {
    heard,
    async stop() {
      await events.return?.();
      await done;
    },
  };
}

/** Lets promise reactions run, without a turn of the event loop (so no I/O is handled). */
async function microtasks() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function until(condition: () => boolean) {
  for (let tries = 0; tries < 200 && !condition(); tries++) await wait(10);
  expect(condition()).toBe(true);
}

/** Until the Redis server has `count` subscribers on the channel (SUBSCRIBE is asynchronous). */
async function subscribed(channel: string, count: number) {
  const client = new Redis(redis.url);
  try {
    for (let tries = 0; tries < 200; tries++) {
      const [, subscribers] = (await client.pubsub("NUMSUB", channel)) as [string, number];
      if (Number(subscribers) >= count) return;
      await wait(10);
    }
    throw new Error(`${channel} never had ${count} subscribers`);
  } finally {
    client.disconnect();
  }
}

describe("the pub/sub through Redis", () => {
  it("delivers an instance's own events in process, once, and the other instances' through Redis", async () => {
    const prefix = `sway-pubsub-${randomBytes(4).toString("hex")}:`;
    const a = createRealtime(redis.url, { channelPrefix: prefix });
    const b = createRealtime(redis.url, { channelPrefix: prefix });
    opened.push(a, b);
    const onA = listen(a, "score:1");
    const onB = listen(b, "score:1");
    await subscribed(`${prefix}score:1`, 2);

    a.pubsub.publish("score:1", { from: "a" } as never);
    // In process: heard by A's listener within this turn of the event loop, before anything could
    // come back from Redis (which takes I/O, so another turn).
    await microtasks();
    expect(onA.heard).toEqual([{ from: "a" }]);
    await until(() => onB.heard.length === 1);
    b.pubsub.publish("score:1", { from: "b" } as never);
    await microtasks();
    expect(onB.heard).toEqual([{ from: "a" }, { from: "b" }]);
    await wait(300);
    // Each instance heard its own event once (Redis' copy was dropped) and the other's once.
    expect(onA.heard).toEqual([{ from: "a" }, { from: "b" }]);
    expect(onB.heard).toEqual([{ from: "a" }, { from: "b" }]);
    await Promise.all([onA.stop(), onB.stop()]);
  });

  it("delivers plain JSON that another Redis client published", async () => {
    const prefix = `sway-pubsub-${randomBytes(4).toString("hex")}:`;
    const a = createRealtime(redis.url, { channelPrefix: prefix });
    opened.push(a);
    const onA = listen(a, "graph");
    await subscribed(`${prefix}graph`, 1);
    const other = new Redis(redis.url);
    await other.publish(`${prefix}graph`, JSON.stringify({ at: 1, from: "redis-cli" }));
    other.disconnect();
    await wait(300);
    expect(onA.heard).toEqual([{ at: 1, from: "redis-cli" }]);
    await onA.stop();
  });

  it("delivers an instance's own events while Redis is unreachable", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const a = createRealtime(`redis://127.0.0.1:${port}`);
    opened.push(a);
    const onA = listen(a, "score:7");
    await microtasks();
    a.pubsub.publish("score:7", { value: 42 } as never);
    await microtasks();
    expect(onA.heard).toEqual([{ value: 42 }]);
    await onA.stop();
  });
});
