// The influence graph: follows, and from the scoring module who builds a member's score
// (influencers) and whose scores a member builds (influencees).
import { builder } from "../builder.js";
import { NotFoundError, UnauthenticatedError, ValidationError } from "../errors.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import { scoreVisibleTo } from "../services/access.js";
import type { FollowChange } from "../services/follows.js";
import type { InfluenceEntry } from "../services/influence.js";
import { listSize } from "./lists.js";
import { shownMember } from "./score.js";
import { UserRef } from "./user.js";

builder.prismaObject("Follow", {
  description: "follower follows followee: the followee influences the follower.",
  fields: (t) => ({
    follower: t.relation("follower"),
    followee: t.relation("followee"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const Influence = builder.objectRef<InfluenceEntry>("Influence").implement({
  description:
    "A member and their share of a score, as in the explanation of that score: the same formula, from the stored figures.",
  fields: (t) => ({
    member: t.field({
      type: UserRef,
      nullable: true,
      description: "null when they have not made their score visible to you: the share stays, anonymous.",
      resolve: async (entry, _args, ctx) => shownMember(ctx, await ctx.loaders.user.load(entry.memberId)),
    }),
    share: t.exposeFloat("share", { description: "The fraction of the score, in [0, 1]." }),
  }),
});

builder.prismaObjectFields(UserRef, (t) => ({
  followers: t.relatedConnection(
    "followers",
    { cursor: "followerId_followeeId", query: { orderBy: [{ createdAt: "desc" }, { followerId: "asc" }] } },
    { name: "FollowerConnection" },
    { name: "FollowerEdge" },
  ),
  following: t.relatedConnection(
    "following",
    { cursor: "followerId_followeeId", query: { orderBy: [{ createdAt: "desc" }, { followeeId: "asc" }] } },
    { name: "FollowingConnection" },
    { name: "FollowingEdge" },
  ),
  influencers: t.field({
    type: [Influence],
    nullable: true,
    description:
      "Who builds this member's score most — the members whose follows and interactions flow into it — with their share of it, largest first. null when the score is not visible to you.",
    args: { first: t.arg.int({ defaultValue: 10, description: "0 to 100." }) },
    resolve: async (user, { first }, ctx) => {
      if (!scoreVisibleTo(ctx.viewer, user)) return null;
      return (await ctx.loaders.influence.load(user.id)).influencers.slice(0, listSize(first, 10));
    },
  }),
  influencees: t.field({
    type: [Influence],
    nullable: true,
    description:
      "Whose scores this member builds most — the members they follow and engage with — with this member's share of each, largest first. A member whose score is not visible to you appears anonymous; null when this member's own score is not visible to you.",
    args: { first: t.arg.int({ defaultValue: 10, description: "0 to 100." }) },
    resolve: async (user, { first }, ctx) => {
      if (!scoreVisibleTo(ctx.viewer, user)) return null;
      return (await ctx.loaders.influence.load(user.id)).influencees.slice(0, listSize(first, 10));
    },
  }),
}));

const FollowPayload = builder.objectRef<FollowChange>("FollowPayload").implement({
  fields: (t) => ({
    follower: t.field({ type: UserRef, resolve: (change): User => change.follower }),
    followee: t.field({ type: UserRef, resolve: (change): User => change.followee }),
    changed: t.exposeBoolean("changed", {
      description: "false when nothing changed (already following, or not following).",
    }),
  }),
});

builder.mutationFields((t) => ({
  follow: t.field({
    type: FollowPayload,
    description: "The logged-in member follows a member. Following again changes nothing.",
    errors: { types: [UnauthenticatedError, NotFoundError, ValidationError] },
    args: { handle: t.arg.string({ required: true }) },
    resolve: (_root, { handle }, ctx) => ctx.services.follows.follow(ctx.viewer, handle),
  }),
  unfollow: t.field({
    type: FollowPayload,
    description: "The logged-in member stops following a member.",
    errors: { types: [UnauthenticatedError, NotFoundError, ValidationError] },
    args: { handle: t.arg.string({ required: true }) },
    resolve: (_root, { handle }, ctx) => ctx.services.follows.unfollow(ctx.viewer, handle),
  }),
}));
