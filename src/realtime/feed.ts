// What a subscription listens to, described once by its resolver (src/schema/subscription.ts) and
// delivered one of two ways:
//
// - Per subscription (SSE, and anything not on the shared path): `liveFeed` returns one Repeater
//   that reads the channel, applies the subscriber's own per-event check (`accepts`) and ends when
//   a member in `endsWith` erases their account. graphql-js then executes each event for it.
// - Shared (graphql-ws, src/realtime/fanout.ts): the same description is registered for the
//   context (`takeFeed`), and the fan-out runs `accepts` per subscriber but executes each event
//   once per (operation, viewer class) and serializes it once for the whole group.
//
// `accepts` is the per-event authorization and preference check: the same function on both paths,
// so a score made private stops flowing on both the moment the event says so.
import { Repeater } from "graphql-yoga";
import type { SwayPubSub } from "./pubsub.js";

export interface FeedSpec<T> {
  /** The pub/sub channel. */
  channel: string;
  /** Whether this subscriber may have this event (consent, threshold, direction). */
  accepts(event: T): boolean;
  /** Members whose erasure ends the subscription (the viewer, the member watched). */
  endsWith: readonly number[];
  /** Delivered first, before any event (a leaderboard's current state). */
  first?: T;
  /**
   * The viewer's class for this event: subscribers of the same operation whose classes are equal
   * get byte-identical payloads, so the event is executed once for all of them. When in doubt, the
   * viewer's own id (a group of one).
   */
  classOf(event: T): string;
}

const feeds = new WeakMap<object, FeedSpec<unknown>>();

/** The feed the subscription with this context registered, if any (taken once). */
export function takeFeed(context: unknown): FeedSpec<unknown> | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const spec = feeds.get(context);
  feeds.delete(context);
  return spec;
}

/**
 * The subscription's event stream on the per-subscription path, and the same feed registered for
 * the shared one (under `context`). Nothing listens before the stream is first read.
 */
export function liveFeed<T>(context: object, pubsub: SwayPubSub, spec: FeedSpec<T>): AsyncIterable<T> {
  feeds.set(context, spec as FeedSpec<unknown>);
  const ps = pubsub as unknown as { subscribe(channel: string): AsyncIterable<unknown> };
  return new Repeater<T>(async (push, stop) => {
    const events = ps.subscribe(spec.channel)[Symbol.asyncIterator]();
    const gone = [...new Set(spec.endsWith)].map((id) =>
      ps.subscribe(`member-gone:${id}`)[Symbol.asyncIterator](),
    );
    const release = () => {
      void events.return?.();
      for (const channel of gone) void channel.return?.();
    };
    void stop.then(release);
    for (const channel of gone) {
      channel.next().then(
        (next) => {
          if (!next.done) stop();
        },
        (error: unknown) => stop(error),
      );
    }
    const ended = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      // Listening before the first value is pushed, so nothing published meanwhile is missed.
      let next = events.next();
      if (spec.first !== undefined) await push(spec.first);
      for (;;) {
        const result = await Promise.race([next, ended]);
        if (result.done) break;
        if (spec.accepts(result.value as T)) await push(result.value as T);
        next = events.next();
      }
    } finally {
      release();
    }
    stop();
  });
}
