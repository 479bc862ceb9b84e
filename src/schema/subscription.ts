// Live subscriptions (over graphql-ws and SSE): score moves, endorsements received, leaderboards.
//
// Authorization is checked when a subscription starts and again for every event: a score move is
// delivered only while its owner's visibility (as read in the transaction that recorded the move)
// lets the viewer see it, so a score made private stops flowing at once: no move recorded after it
// reaches another member. Calm by default: a move is pushed only when
// it is at least the threshold — `minDelta`, else the viewer's stored preference, never below the
// model's noise floor — and goes the preferred way (UP, DOWN or BOTH). When the member watched or
// the viewer erases their account, the subscription ends.
import DataLoader from "dataloader";
import {
  GraphQLError,
  type GraphQLResolveInfo,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";
import { builder } from "../builder.js";
import type { Db } from "../db/client.js";
import { NotFoundError } from "../errors.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import { liveFeed } from "../realtime/feed.js";
import type { ScoreEvent } from "../realtime/pubsub.js";
import { readActiveModel } from "../scorer/active-model.js";
import type { ModelParameters } from "../scoring/model.js";
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

/** How long the active model's noise floor is reused for new subscriptions. */
const modelTtlMs = 1000;
const models = new WeakMap<Db, { at: number; model: Promise<ModelParameters> }>();

/** The active model, read at most once a second for all new subscriptions. */
function activeModel(db: Db): Promise<ModelParameters> {
  const cached = models.get(db);
  if (cached && performance.now() - cached.at < modelTtlMs) return cached.model;
  const model = readActiveModel(db);
  models.set(db, { at: performance.now(), model });
  model.catch(() => models.delete(db));
  return model;
}

/**
 * Members by handle for new subscriptions, read in batches: lookups that arrive while a batch is
 * being read wait for it to finish and then go in one query together (when idle, a lookup waits
 * only for the end of the current turn of the event loop). A burst of subscribers to one member
 * thus costs a few queries, not one each. Nothing is cached: each subscription sees the member as
 * stored after it asked.
 */
const ownersByHandle = new WeakMap<Db, DataLoader<string, User | null>>();
function ownerByHandle(db: Db, handle: string): Promise<User | null> {
  let loader = ownersByHandle.get(db);
  if (loader === undefined) {
    let reading: Promise<unknown> | undefined;
    loader = new DataLoader<string, User | null>(
      async (handles) => {
        const read = db.user.findMany({ where: { handle: { in: [...new Set(handles)] } } });
        reading = read;
        try {
          const byHandle = new Map((await read).map((row) => [row.handle, row]));
          return handles.map((h) => byHandle.get(h) ?? null);
        } finally {
          if (reading === read) reading = undefined;
        }
      },
      {
        cache: false,
        maxBatchSize: 1000,
        batchScheduleFn: (run) => {
          if (reading === undefined) setImmediate(run);
          else
            void reading.then(
              () => setImmediate(run),
              () => setImmediate(run),
            );
        },
      },
    );
    ownersByHandle.set(db, loader);
  }
  return loader.load(handle);
}

/**
 * Fields of a score move whose value, for a logged-in viewer the move does not name (not its owner,
 * not a member in its causes), depends on nothing but that the viewer is logged in: such viewers
 * may share one execution of the move (src/realtime/fanout.ts). Anything else (a member's score,
 * their lists…) may depend on who exactly is asking.
 */
const sameForEveryMember: Readonly<Record<string, ReadonlySet<string>>> = {
  ScoreChangeEvent: new Set([
    "__typename",
    "member",
    "oldValue",
    "value",
    "delta",
    "reason",
    "modelVersion",
    "createdAt",
    "causes",
  ]),
  ScoreChangeEventCause: new Set(["__typename", "kind", "share", "member", "topic"]),
  User: new Set(["__typename", "id", "handle", "name", "bio", "createdAt"]),
  Topic: new Set(["__typename", "id", "slug", "name"]),
};

/** Whether the subscription selects only fields of `sameForEveryMember`. */
function selectsOnlyMemberIndependent(info: GraphQLResolveInfo): boolean {
  const visited = new Set<string>();
  const walk = (typeName: string, selectionSet: SelectionSetNode | undefined): boolean => {
    if (selectionSet === undefined) return true;
    const allowed = sameForEveryMember[typeName];
    const type = info.schema.getType(typeName);
    if (allowed === undefined || !isObjectType(type)) return false;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!allowed.has(selection.name.value)) return false;
        if (selection.selectionSet === undefined) continue;
        const field = type.getFields()[selection.name.value];
        if (field === undefined || !walk(getNamedType(field.type).name, selection.selectionSet)) return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value ?? typeName;
        if (on !== typeName || !walk(typeName, selection.selectionSet)) return false;
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment === undefined || fragment.typeCondition.name.value !== typeName) return false;
        if (visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        if (!walk(typeName, fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  return info.fieldNodes.every((node) => walk("ScoreChangeEvent", node.selectionSet));
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
    subscribe: async (_root, args, ctx, info) => {
      const viewer = ctx.viewer;
      if (args.handle == null && viewer === null) {
        throw refused("UNAUTHENTICATED", "Log in to follow your own score, or name a member with `handle`.");
      }
      const owner =
        args.handle == null
          ? await ctx.db.user.findUnique({ where: { id: (viewer as { id: number }).id } })
          : await ownerByHandle(ctx.db, normalizeHandle(args.handle));
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
      const { noiseFloor } = await activeModel(ctx.db);
      const threshold = Math.max(noiseFloor, args.minDelta ?? preference?.notifyMinDelta ?? noiseFloor);
      const direction = args.minDelta != null ? "BOTH" : (preference?.notifyDirection ?? "BOTH");
      const ownerId = owner.id;
      // Who this viewer is to a move, for sharing its execution (see sameForEveryMember).
      const memberClass =
        viewer === null
          ? "anonymous"
          : selectsOnlyMemberIndependent(info)
            ? `member:${viewer.role}`
            : undefined;
      const self = viewer === null ? "" : `viewer:${viewer.id}`;
      return liveFeed<ScoreEvent>(ctx, ctx.pubsub, {
        channel: `score:${ownerId}`,
        // Per event: consent as of the move's recording, then the threshold and direction.
        accepts: (event) =>
          scoreVisibleTo(viewer, { id: ownerId, scoreVisibility: event.visibility }) &&
          Math.abs(event.delta) >= threshold &&
          (direction === "BOTH" || (direction === "UP" ? event.delta > 0 : event.delta < 0)),
        endsWith: viewer ? [ownerId, viewer.id] : [ownerId],
        classOf: (event) => {
          if (viewer === null) return "anonymous";
          if (memberClass === undefined || viewer.id === event.userId) return self;
          for (const cause of event.causes) if (cause.memberId === viewer.id) return self;
          return memberClass;
        },
      });
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
      return liveFeed<{ endorsementId: number }>(ctx, ctx.pubsub, {
        channel: `endorsement:${viewer.id}`,
        accepts: () => true,
        endsWith: [viewer.id],
        classOf: () => `viewer:${viewer.id}`,
      });
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
      const viewer = ctx.viewer;
      // A board lists the members the viewer may see, themselves included: shared by anonymous
      // viewers only.
      const viewerClass = viewer === null ? "anonymous" : `viewer:${viewer.id}`;
      return liveFeed<{ at: string }>(ctx, ctx.pubsub, {
        channel: "leaderboard",
        first: { at: new Date().toISOString() },
        accepts: () => true,
        endsWith: viewer ? [viewer.id] : [],
        classOf: () => viewerClass,
      });
    },
    resolve: (_nudge, args, ctx) => leaderboardFor(ctx, args.topic, args.first),
  }),
}));
