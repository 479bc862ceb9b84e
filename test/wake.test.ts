// Waking the scorer on commit (src/realtime/wake.ts), over the in-process pub/sub: an instance
// wakes its own scorer once per turn of the event loop, after that turn's commits, without waiting
// for its wake to come back through Redis; other instances sharing the pub/sub are woken by
// it (the multi-instance test does the same through Redis); a wake carries the newest event id of
// its commits when the services said it; and an instance's own commits wake its scorer even while
// Redis is unreachable.
import { createServer } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { createRealtime, type Realtime } from "../src/realtime/pubsub.js";
import { createWaker, type Waker } from "../src/realtime/wake.js";

describe("the scorer's wake-ups", () => {
  const logger = createLogger("silent");
  let realtime: Realtime | undefined;
  const wakers: Waker[] = [];

  afterEach(async () => {
    for (const waker of wakers.splice(0)) waker.stop();
    await realtime?.close();
  });

  /** Lets the pub/sub deliver whatever was published (a few turns of the event loop). */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await nextTurn();
  };

  it("wake this instance's scorer once per turn, and no second time when its wake comes back", async () => {
    realtime = createRealtime(undefined);
    let woken = 0;
    wakers.push(createWaker(realtime.pubsub, () => woken++, logger));
    await settle();
    // Another instance's view of the channel.
    const subscription = realtime.pubsub.subscribe("graph")[Symbol.asyncIterator]();
    const heard: unknown[] = [];
    const listening = (async () => {
      for (let next = await subscription.next(); !next.done; next = await subscription.next()) {
        heard.push(next.value);
      }
    })();
    await settle();

    const waker = wakers[0] as Waker;
    waker.graphChanged();
    waker.graphChanged();
    waker.graphChanged();
    // Not before the commits of this turn are all done.
    expect(woken).toBe(0);
    await nextTurn();
    expect(woken).toBe(1);
    await settle();
    // The wake went out for the other instances, and did not wake this one again.
    expect(heard).toHaveLength(1);
    expect(woken).toBe(1);

    waker.graphChanged();
    await settle();
    expect(woken).toBe(2);
    expect(heard).toHaveLength(2);
    await subscription.return?.();
    await listening;
  });

  it("wake the other instances' scorers through the pub/sub", async () => {
    realtime = createRealtime(undefined);
    let wokenA = 0;
    let wokenB = 0;
    const a = createWaker(realtime.pubsub, () => wokenA++, logger);
    const b = createWaker(realtime.pubsub, () => wokenB++, logger);
    wakers.push(a, b);
    await settle();
    a.graphChanged();
    await settle();
    expect([wokenA, wokenB]).toEqual([1, 1]);
    b.graphChanged();
    await settle();
    expect([wokenA, wokenB]).toEqual([2, 2]);
  });

  it("carry the newest event id of the turn's commits, when the services said it", async () => {
    realtime = createRealtime(undefined);
    const heardA: (number | undefined)[] = [];
    const heardB: (number | undefined)[] = [];
    const a = createWaker(realtime.pubsub, (eventId) => heardA.push(eventId), logger);
    const b = createWaker(realtime.pubsub, (eventId) => heardB.push(eventId), logger);
    wakers.push(a, b);
    await settle();
    a.graphChanged(12);
    a.graphChanged(null);
    a.graphChanged(15);
    a.graphChanged();
    await settle();
    expect(heardA).toEqual([15]);
    expect(heardB).toEqual([15]);
    // The next turn's wake starts afresh.
    b.graphChanged();
    await settle();
    expect(heardA).toEqual([15, undefined]);
    expect(heardB).toEqual([15, undefined]);
    // A wake from elsewhere whose id is not an integer carries none.
    realtime.pubsub.publish("graph", { at: Date.now(), eventId: "20" as unknown as number });
    await settle();
    expect(heardA.at(-1)).toBeUndefined();
  });

  it("wake this instance's scorer while Redis is unreachable", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    realtime = createRealtime(`redis://127.0.0.1:${port}`);
    let woken = 0;
    const waker = createWaker(realtime.pubsub, () => woken++, logger);
    wakers.push(waker);
    waker.graphChanged();
    await nextTurn();
    expect(woken).toBe(1);
  });
});
