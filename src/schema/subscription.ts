// Live subscriptions (over graphql-ws and SSE): score moves, endorsements received, leaderboards.
//
// Authorization is checked when a subscription starts and again for every event: a score move is
// delivered only while its owner's visibility (as of the move's publication) lets the viewer see
// it, so a score made private stops flowing at once. Calm by default: a move is pushed only when
// it is at least the threshold — `minDelta`, else the viewer's stored preference, never below the
// model's noise floor — and goes the preferred way (UP, DOWN or BOTH). When the member watched or
// the viewer erases their account, the subscription ends.
import { GraphQLError } from "graphql";
import { filter, pipe, Repeater } from "graphql-yoga";
import { builder, type Context } from "../builder.js";
import { NotFoundError } from "../errors.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import type { ScoreEvent } from "../realtime/pubsub.js";
import { readActiveModel } from "../scorer/active-model.js";
import { scoreVisibleTo } from "../services/access.js";
import { normalizeHandle } from "../services/validation.js";
import { EndorsementRef } from "./endorsement.js";
import {
  CauseKindEnum,
  LeaderboardRef,
  leaderboardFor,
  ScoreChangeReasonEnum,
  shownMember,
} from "./score.js";
import { TopicRef } from "./topic.js";
import { UserRef } from "./user.js";

const refused = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

/** Pushes what `source` yields until it ends or the repeater stops (`end`), then returns it. */
async function forward<T>(
  source: AsyncIterable<T>,
  push: (value: T) => Promise<unknown>,
  end: Promise<unknown>,
) {
  const events = source[Symbol.asyncIterator]();
  void end.then(() => events.return?.());
  for (;;) {
    const next = await Promise.race([
      events.next(),
      end.then(() => ({ done: true as const, value: undefined })),
    ]);
    if (next.done) return;
    await push(next.value);
  }
}

/** `source` until `stop` yields once (or either ends). */
function until<T>(source: AsyncIterable<T>, stop: AsyncIterable<unknown>): AsyncIterable<T> {
  return new Repeater<T>(async (push, end) => {
    const stopper = stop[Symbol.asyncIterator]();
    void stopper.next().then(() => end(), end);
    void end.then(() => stopper.return?.());
    await forward(source, push, end);
    end();
  });
}

/** `first`, then what `source` yields. */
function startingWith<T>(first: T, source: AsyncIterable<T>): AsyncIterable<T> {
  return new Repeater<T>(async (push, end) => {
    await push(first);
    await forward(source, push, end);
    end();
  });
}

/** Ends when either member erases their account. */
function whileMembersExist<T>(
  ctx: Context,
  source: AsyncIterable<T>,
  ...userIds: number[]
): AsyncIterable<T> {
  const gone = new Repeater<unknown>(async (push, end) => {
    const channels = [...new Set(userIds)].map((id) =>
      ctx.pubsub.subscribe(`member-gone:${id}`)[Symbol.asyncIterator](),
    );
    try {
      // Ends with the subscription too: its channels must not outlive it (their listeners would).
      const first = await Promise.race([...channels.map((channel) => channel.next()), end.then(() => null)]);
      if (first !== null) await push(true);
    } finally {
      for (const channel of channels) void channel.return?.();
    }
    end();
  });
  return until(source, gone);
}

const ScoreChangeEventCause = builder
  .objectRef<ScoreEvent["causes"][number]>("ScoreChangeEventCause")
  .implement({
    description: "A top cause of a live score move, with its share of the move (as in history).",
    fields: (t) => ({
      kind: t.field({ type: CauseKindEnum, resolve: (cause) => cause.kind }),
      share: t.exposeFloat("share"),
      member: t.field({
        type: UserRef,
        nullable: true,
        description:
          "The member this share is due to; null when they have not made their score visible to you.",
        resolve: async (cause, _args, ctx) =>
          cause.memberId === null ? null : shownMember(ctx, await ctx.loaders.user.load(cause.memberId)),
      }),
      topic: t.field({
        type: TopicRef,
        nullable: true,
        resolve: (cause, _args, ctx) =>
          cause.topicId === null ? null : ctx.loaders.topic.load(cause.topicId),
      }),
    }),
  });

const ScoreChangeEvent = builder.objectRef<ScoreEvent>("ScoreChangeEvent").implement({
  description: "A recorded move of a score, pushed as soon as its history entry exists.",
  fields: (t) => ({
    member: t.field({
      type: UserRef,
      resolve: async (event, _args, ctx) => (await ctx.loaders.user.load(event.userId)) as User,
    }),
    oldValue: t.float({ nullable: true, description: "null for a first score.", resolve: (e) => e.oldValue }),
    value: t.exposeFloat("value"),
    delta: t.exposeFloat("delta"),
    reason: t.field({ type: ScoreChangeReasonEnum, resolve: (e) => e.reason }),
    modelVersion: t.exposeInt("modelVersion"),
    createdAt: t.field({ type: "DateTime", resolve: (e) => new Date(e.createdAt) }),
    causes: t.field({ type: [ScoreChangeEventCause], resolve: (e) => e.causes }),
  }),
});

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  scoreChanged: t.field({
    type: ScoreChangeEvent,
    description:
      "Moves of your score, or of another member's whose score you may see (by handle). Pushed only when |delta| ≥ minDelta — default: your notification preference (threshold and direction), never below the model's noise floor.",
    args: {
      handle: t.arg.string({ description: "Whose score; yours when left out." }),
      minDelta: t.arg.float({
        description: "Smallest move to push, both directions. Default: your preference.",
      }),
    },
    subscribe: async (_root, args, ctx) => {
      const viewer = ctx.viewer;
      if (args.handle == null && viewer === null) {
        throw refused("UNAUTHENTICATED", "Log in to follow your own score, or name a member with `handle`.");
      }
      const owner =
        args.handle == null
          ? await ctx.db.user.findUnique({ where: { id: (viewer as { id: number }).id } })
          : await ctx.db.user.findUnique({ where: { handle: normalizeHandle(args.handle) } });
      if (!owner) throw refused("NOT_FOUND", "Member not found.");
      if (!scoreVisibleTo(viewer, owner)) {
        throw refused("FORBIDDEN", `${owner.handle} has not made their score visible to you.`);
      }
      // The viewer's own preference: read with the owner when they are the owner.
      const preference =
        viewer === null
          ? null
          : viewer.id === owner.id
            ? owner
            : await ctx.db.user.findUnique({
                where: { id: viewer.id },
                select: { notifyMinDelta: true, notifyDirection: true },
              });
      const { noiseFloor } = await readActiveModel(ctx.db);
      const threshold = Math.max(noiseFloor, args.minDelta ?? preference?.notifyMinDelta ?? noiseFloor);
      const direction = args.minDelta != null ? "BOTH" : (preference?.notifyDirection ?? "BOTH");
      const moves = pipe(
        ctx.pubsub.subscribe(`score:${owner.id}`),
        filter(
          (event: ScoreEvent) =>
            scoreVisibleTo(viewer, { id: owner.id, scoreVisibility: event.visibility }) &&
            Math.abs(event.delta) >= threshold &&
            (direction === "BOTH" || (direction === "UP" ? event.delta > 0 : event.delta < 0)),
        ),
      );
      return whileMembersExist(ctx, moves, owner.id, ...(viewer ? [viewer.id] : []));
    },
    resolve: (event, _args, ctx) => {
      // A subscription's context lives long: members are read afresh for every event.
      ctx.loaders.user.clearAll();
      return event;
    },
  }),

  endorsementReceived: t.field({
    type: EndorsementRef,
    description: "Endorsements you receive, as they are given.",
    subscribe: (_root, _args, ctx) => {
      const viewer = ctx.viewer;
      if (viewer === null) throw refused("UNAUTHENTICATED", "Log in to hear of endorsements you receive.");
      return whileMembersExist(ctx, ctx.pubsub.subscribe(`endorsement:${viewer.id}`), viewer.id);
    },
    resolve: async (payload, _args, ctx) =>
      ctx.db.endorsement.findUniqueOrThrow({ where: { id: payload.endorsementId } }),
  }),

  leaderboardChanged: t.field({
    type: LeaderboardRef,
    description:
      "The leaderboard (overall, or one topic by slug) now, and again whenever scores move (at most once a second); only members whose scores you may see.",
    args: {
      topic: t.arg.string(),
      first: t.arg.int({ defaultValue: 10, description: "0 to 100." }),
    },
    subscribe: async (_root, args, ctx) => {
      // Refuse an unknown topic at the start rather than on the first move.
      await leaderboardFor(ctx, args.topic, 0).catch((error: unknown) => {
        throw error instanceof NotFoundError ? refused("NOT_FOUND", "Topic not found.") : error;
      });
      const withFirst = startingWith({ at: new Date().toISOString() }, ctx.pubsub.subscribe("leaderboard"));
      return ctx.viewer ? whileMembersExist(ctx, withFirst, ctx.viewer.id) : withFirst;
    },
    resolve: (_nudge, args, ctx) => leaderboardFor(ctx, args.topic, args.first),
  }),
}));
