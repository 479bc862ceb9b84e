// The shared fan-out for graphql-ws subscriptions: one pub/sub listener per channel (not per
// subscriber), and each event executed once per (operation, viewer class) and serialized once.
//
// Per event, in publication order per channel:
//   1. every subscriber of the channel runs its own `accepts` (consent as of the event, threshold,
//      direction) — exact per subscriber, as on the per-subscription path;
//   2. those that accept are grouped by operation (document, operation name, variables) and the
//      viewer class the feed gives for this event (src/realtime/feed.ts): anonymous, a logged-in
//      member not named by the event, or the viewer alone;
//   3. each group's event is executed once, with one member's context (Yoga's enveloped execute:
//      the same plugins, masking and resolvers as any other execution), its result serialized
//      once, and the same bytes (per operation id) handed to every socket of the group.
// A member's erasure ends the subscriptions that name them (one listener per member).
//
// Memory: a subscriber is one small record in a Set; nothing is queued per subscriber (messages
// go straight to the socket's buffer, which ws.ts bounds). Events that arrive while one is being
// delivered wait in the channel's one pub/sub queue (bounded, src/realtime/pubsub.ts); if the
// process falls that far behind, the channel's subscriptions end with the SLOW_CONSUMER error.
import type { ExecutionResult } from "graphql";
import type { FeedSpec } from "./feed.js";
import type { SwayPubSub } from "./pubsub.js";

export interface SharedSubscription {
  /** The graphql-ws operation id (the client's). */
  id: string;
  /** Same document, operation name and variables ⇔ same key. */
  operationKey: string;
  spec: FeedSpec<unknown>;
  /** Executes the operation for one event, with this subscriber's context. */
  execute(event: unknown): Promise<ExecutionResult> | ExecutionResult;
  /** Hands one serialized graphql-ws message to the socket (never waits). */
  send(message: Buffer): void;
}

type Settle = (result: IteratorResult<never>) => void;

interface Subscriber extends SharedSubscription {
  /** Interned operationKey. */
  operation: number;
  ended: boolean;
  end(error?: unknown): void;
}

interface Channel {
  name: string;
  subscribers: Set<Subscriber>;
  /** Deliveries run one after the other, so each socket gets events in publication order. */
  tail: Promise<void>;
  events: AsyncIterator<unknown>;
}

interface Group {
  representative: Subscriber;
  members: Subscriber[];
}

export interface FanoutStats {
  channels: number;
  subscribers: number;
}

export function createFanout(pubsub: SwayPubSub, onError: (error: unknown) => void) {
  const ps = pubsub as unknown as { subscribe(channel: string): AsyncIterable<unknown> };
  const channels = new Map<string, Channel>();
  /** member id → subscribers that end when they are erased, and the listener's iterator. */
  const gone = new Map<number, { subscribers: Set<Subscriber>; events: AsyncIterator<unknown> }>();
  const operations = new Map<string, { id: number; count: number }>();
  let nextOperation = 0;

  const deliverTo = async (group: Group, event: unknown) => {
    let result: ExecutionResult;
    try {
      result = await group.representative.execute(event);
    } catch (error) {
      // Execution results carry their own errors; a throw is a bug: end the group's subscriptions.
      onError(error);
      for (const subscriber of group.members) subscriber.end(error);
      return;
    }
    const payload = JSON.stringify(result);
    let lastId: string | undefined;
    let message: Buffer | undefined;
    for (const subscriber of group.members) {
      if (subscriber.ended) continue;
      if (subscriber.id !== lastId || message === undefined) {
        lastId = subscriber.id;
        message = Buffer.from(`{"id":${JSON.stringify(subscriber.id)},"type":"next","payload":${payload}}`);
      }
      subscriber.send(message);
    }
  };

  const deliver = async (channel: Channel, event: unknown) => {
    const groups = new Map<string, Group>();
    for (const subscriber of channel.subscribers) {
      if (subscriber.ended || !subscriber.spec.accepts(event)) continue;
      const key = `${subscriber.operation}:${subscriber.spec.classOf(event)}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { representative: subscriber, members: [subscriber] });
      else group.members.push(subscriber);
    }
    if (groups.size === 1) {
      await deliverTo(groups.values().next().value as Group, event);
      return;
    }
    await Promise.all([...groups.values()].map((group) => deliverTo(group, event)));
  };

  const pump = async (channel: Channel) => {
    try {
      for (;;) {
        const next = await channel.events.next();
        if (next.done) {
          // Returned because its last subscriber left; otherwise the pub/sub ended: so do they.
          if (channels.get(channel.name) === channel) channels.delete(channel.name);
          for (const subscriber of [...channel.subscribers]) subscriber.end();
          return;
        }
        channel.tail = channel.tail.then(() => deliver(channel, next.value));
        await channel.tail;
      }
    } catch (error) {
      // The channel's queue overflowed (SLOW_CONSUMER) or the pub/sub failed: end them all.
      if (channels.get(channel.name) === channel) channels.delete(channel.name);
      for (const subscriber of [...channel.subscribers]) subscriber.end(error);
    }
  };

  const openChannel = (name: string): Channel => {
    let channel = channels.get(name);
    if (channel === undefined) {
      channel = {
        name,
        subscribers: new Set(),
        tail: Promise.resolve(),
        events: ps.subscribe(name)[Symbol.asyncIterator](),
      };
      channels.set(name, channel);
      void pump(channel);
    }
    return channel;
  };

  const watchMember = (memberId: number, subscriber: Subscriber) => {
    let watch = gone.get(memberId);
    if (watch === undefined) {
      const events = ps.subscribe(`member-gone:${memberId}`)[Symbol.asyncIterator]();
      const created = { subscribers: new Set<Subscriber>(), events };
      watch = created;
      gone.set(memberId, created);
      const finish = () => {
        if (gone.get(memberId) === created) gone.delete(memberId);
        void events.return?.();
      };
      events.next().then(
        (next) => {
          finish();
          if (!next.done) for (const ending of [...created.subscribers]) ending.end();
        },
        (error: unknown) => {
          finish();
          for (const ending of [...created.subscribers]) ending.end(error);
        },
      );
    }
    watch.subscribers.add(subscriber);
  };

  const unwatchMember = (memberId: number, subscriber: Subscriber) => {
    const watch = gone.get(memberId);
    if (watch === undefined || !watch.subscribers.delete(subscriber) || watch.subscribers.size > 0) return;
    gone.delete(memberId);
    void watch.events.return?.();
  };

  const internOperation = (key: string): number => {
    const known = operations.get(key);
    if (known) {
      known.count++;
      return known.id;
    }
    const id = nextOperation++;
    operations.set(key, { id, count: 1 });
    return id;
  };

  const releaseOperation = (key: string) => {
    const known = operations.get(key);
    if (known && --known.count === 0) operations.delete(key);
  };

  return {
    /**
     * Adds a subscription to its channel. Returns what graphql-ws iterates: it yields nothing (the
     * fan-out sends directly), completes when the subscription ends from here (erasure), throws
     * when it ends with an error, and unsubscribes when graphql-ws returns it.
     */
    join(shared: SharedSubscription): AsyncGenerator<never, void, unknown> {
      let settle: Settle | undefined;
      let fail: ((error: unknown) => void) | undefined;
      let outcome: { error?: unknown } | undefined;
      const endsWith = [...new Set(shared.spec.endsWith)];
      const channel = openChannel(shared.spec.channel);
      const subscriber: Subscriber = {
        ...shared,
        operation: internOperation(shared.operationKey),
        ended: false,
        end(error?: unknown) {
          if (subscriber.ended) return;
          subscriber.ended = true;
          outcome = { error };
          channel.subscribers.delete(subscriber);
          if (channel.subscribers.size === 0 && channels.get(channel.name) === channel) {
            channels.delete(channel.name);
            void channel.events.return?.();
          }
          for (const memberId of endsWith) unwatchMember(memberId, subscriber);
          releaseOperation(shared.operationKey);
          if (error === undefined) settle?.({ done: true, value: undefined });
          else fail?.(error);
          settle = undefined;
          fail = undefined;
        },
      };
      channel.subscribers.add(subscriber);
      for (const memberId of endsWith) watchMember(memberId, subscriber);
      const first = shared.spec.first;
      if (first !== undefined) {
        // Its first value, to this subscriber alone, in order with the channel's deliveries.
        channel.tail = channel.tail.then(() =>
          subscriber.ended
            ? undefined
            : deliverTo({ representative: subscriber, members: [subscriber] }, first),
        );
      }
      const iterator: AsyncGenerator<never, void, unknown> = {
        next: () => {
          if (outcome !== undefined) {
            return outcome.error === undefined
              ? Promise.resolve({ done: true, value: undefined })
              : Promise.reject(outcome.error);
          }
          return new Promise<IteratorResult<never>>((resolve, reject) => {
            settle = resolve;
            fail = reject;
          });
        },
        return: () => {
          subscriber.end();
          return Promise.resolve({ done: true, value: undefined });
        },
        throw: (error: unknown) => {
          subscriber.end();
          return Promise.reject(error);
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      } as AsyncGenerator<never, void, unknown>;
      return iterator;
    },

    stats(): FanoutStats {
      let subscribers = 0;
      for (const channel of channels.values()) subscribers += channel.subscribers.size;
      return { channels: channels.size, subscribers };
    },
  };
}

export type Fanout = ReturnType<typeof createFanout>;
