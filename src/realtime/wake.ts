// Waking the scorer on commit, so a change is scored (and its subscribers told) in milliseconds
// rather than at the scorer's next poll (SCORER_POLL_MS). A service that committed graph events
// calls `graphChanged()`; that goes out on the pub/sub's `graph` channel, so it reaches the scorer
// thread of whichever instance holds the lease (through Redis when there are several); each
// instance wakes its own thread, and a thread without the lease steps cheaply. The pub/sub delivers
// an instance's own wake in process (pubsub.ts), so it does not wait for a round trip to Redis, nor
// for a Redis that is down. Commits in the same turn of the event loop make one wake, sent once
// they have all committed. A wake carries the newest event id its commits wrote, when the service
// knew it: a scorer busy with older events then knows newer ones wait without asking the database.
// The poll stays as the safety net: a lost wake (a Redis hiccup, a subscription that overflowed
// and is re-opened) delays a change by one poll.
import type { Logger } from "../logger.js";
import type { SwayPubSub } from "./pubsub.js";

export interface Waker {
  /** Tell every instance's scorer that graph events were just committed (up to `eventId`, if known). */
  graphChanged(eventId?: number | null): void;
  stop(): void;
}

export function createWaker(
  pubsub: SwayPubSub,
  wakeScorer: (eventId?: number) => void,
  logger: Logger,
): Waker {
  let stopped = false;
  let pending = false;
  /** The newest event id of the commits this wake is for, when any said it. */
  let newest: number | undefined;
  let current: AsyncIterator<{ eventId?: unknown }> | undefined;

  const listen = async () => {
    while (!stopped) {
      current = pubsub.subscribe("graph")[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await current.next();
          if (next.done) break;
          // Another instance's wake came through Redis as JSON: an id only if it is one.
          const eventId = next.value?.eventId;
          wakeScorer(Number.isSafeInteger(eventId) ? (eventId as number) : undefined);
        }
      } catch (error) {
        // E.g. the subscription's queue overflowed while this thread was busy: listen again.
        if (!stopped) logger.warn({ err: error }, "scorer wake-ups interrupted; listening again");
      }
      // Never a tight loop, whatever ended the subscription.
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 100).unref());
    }
  };
  void listen();

  return {
    graphChanged(eventId) {
      if (typeof eventId === "number") newest = Math.max(newest ?? 0, eventId);
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        const eventIdOf = newest === undefined ? {} : { eventId: newest };
        newest = undefined;
        pubsub.publish("graph", { at: Date.now(), ...eventIdOf });
      });
    },
    stop() {
      stopped = true;
      void current?.return?.();
    },
  };
}
