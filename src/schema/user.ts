// Members: the User type and the queries and mutations about profiles.
import { builder } from "../builder.js";
import { NotFoundError, UnauthenticatedError, ValidationError } from "../errors.js";
import { NotifyDirection, ScoreVisibility } from "../generated/prisma/sqlite/enums.js";

export const ScoreVisibilityEnum = builder.enumType(ScoreVisibility, {
  name: "ScoreVisibility",
  description: "Who may see a member's score. PRIVATE (the default) is the owner alone.",
});

export const UserRef = builder.prismaNode("User", {
  id: { field: "id" },
  description: "A member: someone who signed up. Nobody else is ever a node here.",
  fields: (t) => ({
    handle: t.exposeString("handle"),
    name: t.exposeString("name"),
    bio: t.exposeString("bio"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    scoreVisibility: t.expose("scoreVisibility", {
      type: ScoreVisibilityEnum,
      nullable: true,
      description:
        "Who may see this member's score. Only the member themselves can read this; null for others.",
      authScopes: (user, _args, ctx) => ctx.viewer?.id === user.id,
      unauthorizedResolver: () => null,
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.prismaField({
    type: "User",
    nullable: true,
    description: "The logged-in member, or null for an anonymous request.",
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer ? ctx.db.user.findUnique({ ...query, where: { id: ctx.viewer.id } }) : null,
  }),
  user: t.prismaField({
    type: "User",
    description: "A member by handle.",
    errors: { types: [NotFoundError, ValidationError] },
    args: { handle: t.arg.string({ required: true }) },
    resolve: (query, _root, { handle }, ctx) => ctx.services.users.byHandle(handle, query),
  }),
  users: t.prismaConnection(
    {
      type: "User",
      cursor: "id",
      description: "Every member, oldest first.",
      resolve: (query, _root, _args, ctx) => ctx.db.user.findMany({ ...query, orderBy: { id: "asc" } }),
    },
    { name: "UserConnection" },
    { name: "UserEdge" },
  ),
}));

export const NotifyDirectionEnum = builder.enumType(NotifyDirection, {
  name: "NotifyDirection",
  description: "Which score moves are worth a message: UP, DOWN or BOTH.",
});

const NotificationPreference = builder
  .objectRef<{ minDelta: number | null; direction: NotifyDirection }>("NotificationPreference")
  .implement({
    description:
      "What moves of a score are worth pushing to this member (used when a subscription gives no minDelta).",
    fields: (t) => ({
      minDelta: t.float({
        nullable: true,
        description: "Smallest move worth a message; null means the model's noise floor.",
        resolve: (p) => p.minDelta,
      }),
      direction: t.field({ type: NotifyDirectionEnum, resolve: (p) => p.direction }),
    }),
  });

builder.prismaObjectFields(UserRef, (t) => ({
  notificationPreference: t.field({
    type: NotificationPreference,
    nullable: true,
    description: "Only the member themselves can read this; null for others.",
    authScopes: (user, _args, ctx) => ctx.viewer?.id === user.id,
    unauthorizedResolver: () => null,
    resolve: (user) => ({ minDelta: user.notifyMinDelta, direction: user.notifyDirection }),
  }),
}));

const UpdateProfileInput = builder.inputType("UpdateProfileInput", {
  description: "Fields left out stay as they are.",
  fields: (t) => ({
    name: t.string(),
    bio: t.string(),
    scoreVisibility: t.field({ type: ScoreVisibilityEnum }),
    notifyMinDelta: t.float({
      description: "Smallest score move worth a message (0–100); below the noise floor counts as the floor.",
    }),
    notifyDirection: t.field({ type: NotifyDirectionEnum }),
  }),
});

builder.mutationFields((t) => ({
  updateProfile: t.prismaField({
    type: "User",
    description: "Changes the logged-in member's profile.",
    errors: { types: [UnauthenticatedError, ValidationError] },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => ctx.services.users.updateProfile(ctx.viewer, input, query),
  }),
}));
