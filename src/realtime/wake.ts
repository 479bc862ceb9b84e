// Waking the scorer on commit, so a change is scored (and its subscribers told) in milliseconds
// rather than at the scorer's next poll (SCORER_POLL_MS). A service that committed graph events
// calls `graphChanged()`; that goes out on the pub/sub's `graph` channel, so it reaches the scorer
// thread of whichever instance holds the lease (through Redis when there are several); each
// instance wakes its own thread, and a thread without the lease steps cheaply. The pub/sub delivers
// an instance's own wake in process (pubsub.ts), so it does not wait for a round trip to Redis, nor
// for a Redis that is down. Commits in the same turn of the event loop make one wake, sent once
// they have all committed. The poll stays as the safety net: a lost wake (a Redis hiccup, a
// subscription that overflowed and is re-opened) delays a change by one poll.
import type { Logger } from "../logger.js";
import type { SwayPubSub } from "./pubsub.js";

export interface Waker {
  /** Tell every instance's scorer that graph events were just committed. */
  graphChanged(): void;
  stop(): void;
}

export function createWaker(pubsub: SwayPubSub, wakeScorer: () => void, logger: Logger): Waker {
  let stopped = false;
  let pending = false;
  let current: AsyncIterator<unknown> | undefined;

  const listen = async () => {
    while (!stopped) {
      current = pubsub.subscribe("graph")[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await current.next();
          if (next.done) break;
          wakeScorer();
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
    graphChanged() {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        pubsub.publish("graph", { at: Date.now() });
      });
    },
    stop() {
      stopped = true;
      void current?.return?.();
    },
  };
}
