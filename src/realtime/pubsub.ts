// The pub/sub that carries live events to subscribers: in-process by default; with REDIS_URL,
// through Redis (@graphql-yoga/redis-event-target), so a change scored on one instance reaches
// subscribers on every instance.
//
// Channels (payloads are plain JSON, as they cross Redis: numbers, strings, null, arrays of such
// objects; no Date, no undefined):
//   score:<userId>        a recorded score move (ScoreEvent), published after its history row commits
//   endorsement:<userId>  an endorsement the member received
//   leaderboard           some score moved: leaderboards may have changed (at most once a second)
//   member-gone:<userId>  the member erased their account: their subscriptions end
// On Redis, each channel name is prefixed with `channelPrefix` (none by default), so deployments
// (or test servers) sharing one Redis but not one database do not hear each other.
//
// Local first: with Redis, an event still reaches this instance's own listeners at once, in
// process, and goes to Redis for the other instances; each message carries its instance's tag
// (`@<uuid> ` before the JSON), so the copy Redis sends back is dropped unparsed. This instance's
// subscribers so do not wait for a round trip to Redis (nor for a Redis that is down), and an
// untagged message (plain JSON, e.g. from redis-cli) is delivered as before.
//
// Bounded per subscription: events that arrived but were not yet taken by the subscriber wait in a
// queue of at most `maxQueuedEvents` (Yoga's own pub/sub queues without a bound until the
// Repeater throws from inside the event dispatch). When a subscriber falls that far behind, its
// subscription ends with a SLOW_CONSUMER error (over WebSocket: close code 4413, see ws.ts); the
// client re-subscribes and reads scoreHistory for what it missed. Over graphql-ws, the shared
// fan-out (fanout.ts) has one such subscription per channel, not per subscriber: it hands each
// event straight to the sockets (bounded by bytes in ws.ts), so only a process that cannot keep up
// with a channel at all fills that queue, and then every subscription on the channel ends so.
//
// In-process, listeners are kept in a Set per channel (createLocalTarget), not in Node's
// EventTarget, whose add/removeEventListener scan every listener of the type.
import { randomUUID } from "node:crypto";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { GraphQLError } from "graphql";
import { type PubSub, Repeater, type RepeaterBuffer } from "graphql-yoga";
import { Redis } from "ioredis";
import type { CauseKind, ScoreChangeReason, ScoreVisibility } from "../generated/prisma/sqlite/enums.js";
import type { Logger } from "../logger.js";

export interface ScoreEventCause {
  kind: CauseKind;
  share: number;
  memberId: number | null;
  endorsementId: number | null;
  topicId: number | null;
}

/** One recorded move of a member's score, as published. */
export interface ScoreEvent {
  userId: number;
  /** The owner's visibility when the move was published. */
  visibility: ScoreVisibility;
  historyId: number;
  /** null for a first score. */
  oldValue: number | null;
  value: number;
  delta: number;
  reason: ScoreChangeReason;
  modelVersion: number;
  /** ISO 8601. */
  createdAt: string;
  causes: ScoreEventCause[];
}

export type Channels = {
  [key: `score:${number}`]: [ScoreEvent];
  [key: `endorsement:${number}`]: [{ endorsementId: number }];
  leaderboard: [{ at: string }];
  [key: `member-gone:${number}`]: [{ userId: number }];
  /** Graph events were committed, up to `eventId` when the sender knew it (wake.ts). */
  graph: [{ at: number; eventId?: number }];
};

export type SwayPubSub = PubSub<Channels>;

export interface Realtime {
  pubsub: SwayPubSub;
  close(): Promise<void>;
}

export interface RealtimeOptions {
  /** Prepended to every Redis channel name (default none). */
  channelPrefix?: string;
  /** Events that may wait for one subscriber before its subscription ends (default 1,000). */
  maxQueuedEvents?: number;
  logger?: Logger;
}

/** The code of the error that ends a subscription whose subscriber fell too far behind. */
export const slowConsumerCode = "SLOW_CONSUMER";

export const defaultMaxQueuedEvents = 1000;

/** A FIFO that is never "full" to the Repeater (so push never waits or throws); we bound it. */
class Queue<T> implements RepeaterBuffer<T> {
  private items: T[] = [];
  private head = 0;
  get length() {
    return this.items.length - this.head;
  }
  get empty() {
    return this.length === 0;
  }
  get full() {
    return false;
  }
  add(value: T) {
    this.items.push(value);
  }
  remove(): T {
    if (this.empty) throw new Error("empty queue");
    const value = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }
}

interface EventTargetLike {
  addEventListener(type: string, listener: (event: CustomEvent) => void): void;
  removeEventListener(type: string, listener: (event: CustomEvent) => void): void;
  dispatchEvent(event: CustomEvent): boolean;
}

/**
 * The in-process event target: listeners in a Set per channel. (Node's EventTarget looks for a
 * duplicate among all of a type's listeners on every addEventListener and removeEventListener, so
 * thousands of subscribers on one channel cost O(n²) to open and close.) Listeners added while an
 * event is dispatched do not hear it, as with EventTarget.
 */
function createLocalTarget(): EventTargetLike {
  const listeners = new Map<string, Set<(event: CustomEvent) => void>>();
  return {
    addEventListener(type, listener) {
      let set = listeners.get(type);
      if (set === undefined) {
        set = new Set();
        listeners.set(type, set);
      }
      set.add(listener);
    },
    removeEventListener(type, listener) {
      const set = listeners.get(type);
      if (set?.delete(listener) && set.size === 0) listeners.delete(type);
    },
    dispatchEvent(event) {
      const set = listeners.get(event.type);
      if (set === undefined) return true;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (error) {
          // As EventTarget does: one listener's failure does not stop the others.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      return true;
    },
  };
}

/** Yoga's createPubSub, with a bounded queue per subscription (see the header). */
export function createBoundedPubSub(target: EventTargetLike, maxQueuedEvents: number): SwayPubSub {
  const pubsub = {
    publish(topic: string, payload: unknown) {
      target.dispatchEvent(new CustomEvent(topic, { detail: payload ?? null }));
    },
    subscribe(topic: string) {
      const queue = new Queue<unknown>();
      return new Repeater<unknown>((push, stop) => {
        const listener = (event: CustomEvent) => {
          if (queue.length >= maxQueuedEvents) {
            stop(
              new GraphQLError(
                `More than ${maxQueuedEvents} events are waiting for this subscriber; subscribe again and read scoreHistory for what was missed.`,
                { extensions: { code: slowConsumerCode } },
              ),
            );
            return;
          }
          void push(event.detail);
        };
        target.addEventListener(topic, listener);
        void stop.then(() => target.removeEventListener(topic, listener));
      }, queue);
    },
  };
  return pubsub as unknown as SwayPubSub;
}

/** Prefixes channel names on their way to and from Redis. */
function prefixed(target: EventTargetLike, prefix: string): EventTargetLike {
  if (prefix === "") return target;
  return {
    addEventListener: (type, listener) => target.addEventListener(prefix + type, listener),
    removeEventListener: (type, listener) => target.removeEventListener(prefix + type, listener),
    dispatchEvent: (event) =>
      target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  };
}

/**
 * Listeners hear this process's events from `local`, at once, and other processes' from `remote`
 * (which drops this process's own); events go to both.
 */
function localFirst(local: EventTargetLike, remote: EventTargetLike): EventTargetLike {
  return {
    addEventListener(type, listener) {
      local.addEventListener(type, listener);
      remote.addEventListener(type, listener);
    },
    removeEventListener(type, listener) {
      local.removeEventListener(type, listener);
      remote.removeEventListener(type, listener);
    },
    dispatchEvent(event) {
      local.dispatchEvent(event);
      return remote.dispatchEvent(event);
    },
  };
}

export function createRealtime(redisUrl: string | undefined, options: RealtimeOptions = {}): Realtime {
  const maxQueuedEvents = options.maxQueuedEvents ?? defaultMaxQueuedEvents;
  if (redisUrl === undefined) {
    return {
      pubsub: createBoundedPubSub(createLocalTarget(), maxQueuedEvents),
      close: async () => {},
    };
  }
  const publishClient = new Redis(redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
  });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  // ioredis reconnects by itself; without a listener it would print every failed attempt.
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (error: Error) => options.logger?.warn({ err: error }, "Redis connection error"));
  }
  // The event target fires PUBLISH, SUBSCRIBE and UNSUBSCRIBE without awaiting them: a failure
  // (Redis unreachable, or a subscription ending while the app closes) is logged here instead of
  // becoming an unhandled rejection.
  const failed = (what: string) => (error: unknown) =>
    options.logger?.warn({ err: error }, `Redis ${what} failed`);
  // This instance's tag on what it publishes (see the header): its own messages come back from
  // Redis and are dropped before they are parsed; the others' are parsed without their tag.
  const tag = `@${randomUUID()} `;
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: {
      publish: (channel: string, message: string) =>
        publishClient.publish(channel, message).catch(failed("PUBLISH")),
    } as unknown as Redis,
    subscribeClient: {
      on: (event: "message", listener: (channel: string, message: string) => void) =>
        subscribeClient.on(event, (channel: string, message: string) => {
          if (!message.startsWith(tag)) listener(channel, message);
        }),
      subscribe: (channel: string) => subscribeClient.subscribe(channel).catch(failed("SUBSCRIBE")),
      unsubscribe: (channel: string) => subscribeClient.unsubscribe(channel).catch(failed("UNSUBSCRIBE")),
    } as unknown as Redis,
    serializer: {
      stringify: (value: unknown) => tag + JSON.stringify(value),
      parse: (message: string) =>
        JSON.parse(message.startsWith("@") ? message.slice(message.indexOf(" ") + 1) : message),
    },
  });
  const remote = prefixed(eventTarget as unknown as EventTargetLike, options.channelPrefix ?? "");
  return {
    pubsub: createBoundedPubSub(localFirst(createLocalTarget(), remote), maxQueuedEvents),
    async close() {
      // QUIT waits for pending replies; a Redis that is gone would make it wait for ever.
      const quit = (client: Redis) =>
        Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await Promise.allSettled([quit(publishClient), quit(subscribeClient)]);
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
