// Scores: the current score with its breakdown and explanation, the history of its moves, and the
// leaderboards. Every path here applies the consent rule (src/services/access.ts): a score, its
// history and the member's anonymous reach are seen only by those its owner allows, leaderboards
// list only such members, and a member named in someone's explanation whose own score is hidden
// from the viewer appears as an anonymous share (member and endorsement null).
import { builder, type Context } from "../builder.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Topic, User } from "../generated/prisma/sqlite/client.js";
import { CauseKind, ScoreChangeReason } from "../generated/prisma/sqlite/enums.js";
import { scoreVisibleTo, visibleScoreOwners } from "../services/access.js";
import { EndorsementRef } from "./endorsement.js";
import { listSize } from "./lists.js";
import { TopicRef } from "./topic.js";
import { UserRef } from "./user.js";

export const CauseKindEnum = builder.enumType(CauseKind, {
  name: "CauseKind",
  description:
    "What a share of a score is due to: a MEMBER's attention, an ENDORSEMENT, ANONYMOUS_REACH, DECAY, a MODEL_CHANGE, or the REMAINDER (teleport, small causes and anyone not named).",
});

export const ScoreChangeReasonEnum = builder.enumType(ScoreChangeReason, {
  name: "ScoreChangeReason",
  description: "Why a score moved. MODEL_CHANGE and ERASURE are never the member's own doing.",
});

/**
 * The member a cause names (for an ENDORSEMENT: its giver), when the viewer may see them; null
 * makes the share anonymous.
 */
export function shownMember(ctx: Context, member: User | null): User | null {
  return member !== null && scoreVisibleTo(ctx.viewer, member) ? member : null;
}

builder.prismaObject("ScoreContribution", {
  name: "ExplanationEntry",
  description:
    "One line of a score's explanation: a share of the score and what it is due to. The shares of an explanation sum to 1.",
  fields: (t) => ({
    kind: t.expose("kind", { type: CauseKindEnum }),
    share: t.exposeFloat("share", { description: "The fraction of the score, in [0, 1]." }),
    member: t.field({
      type: UserRef,
      nullable: true,
      description:
        "The member this share is due to (for ENDORSEMENT: who gave it); null when they have not made their score visible to you.",
      select: (_args, _ctx, nested) => ({ contributor: nested(true) }),
      resolve: (entry, _args, ctx) => shownMember(ctx, entry.contributor),
    }),
    endorsement: t.field({
      type: EndorsementRef,
      nullable: true,
      description: "For an ENDORSEMENT share: the endorsement, when its giver is visible to you.",
      select: (_args, _ctx, nested) => ({ contributor: true, endorsement: nested(true) }),
      resolve: (entry, _args, ctx) => (shownMember(ctx, entry.contributor) ? entry.endorsement : null),
    }),
    topic: t.relation("topic", { nullable: true }),
  }),
});

builder.prismaObject("ScoreHistoryCause", {
  name: "ScoreChangeCause",
  description: "A top cause of a recorded score move, with its share of the move.",
  fields: (t) => ({
    kind: t.expose("kind", { type: CauseKindEnum }),
    share: t.exposeFloat("share"),
    member: t.field({
      type: UserRef,
      nullable: true,
      description:
        "The member this share is due to; null when they have not made their score visible to you.",
      select: (_args, _ctx, nested) => ({ member: nested(true) }),
      resolve: (cause, _args, ctx) => shownMember(ctx, cause.member),
    }),
    endorsement: t.field({
      type: EndorsementRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ member: true, endorsement: nested(true) }),
      resolve: (cause, _args, ctx) => (shownMember(ctx, cause.member) ? cause.endorsement : null),
    }),
    topic: t.relation("topic", { nullable: true }),
  }),
});

interface Breakdown {
  network: number;
  endorsement: number;
  raw: number;
  anonymousReach: number;
}

const ScoreBreakdown = builder.objectRef<Breakdown>("ScoreBreakdown").implement({
  description:
    "The figures a score is computed from, relative to the average member (1): raw = (1 − s)·network + s·endorsement, with s the model's endorsement share; the 1–100 value is the model's scale applied to raw.",
  fields: (t) => ({
    network: t.exposeFloat("network", { description: "Network influence: N × PageRank." }),
    endorsement: t.exposeFloat("endorsement", { description: "Endorsements received, weighted." }),
    raw: t.exposeFloat("raw"),
    anonymousReach: t.exposeInt("anonymousReach", {
      description: "Interactions with people who are not members, counted when the score was computed.",
    }),
  }),
});

const TopicScoreRef = builder.objectRef<{ topic: Topic; value: number }>("TopicScore").implement({
  description: "Expertise in one topic, 1–100, from the endorsements received in it.",
  fields: (t) => ({
    topic: t.field({ type: TopicRef, resolve: (row) => row.topic }),
    value: t.exposeFloat("value"),
  }),
});

builder.prismaObject("Score", {
  description: "A member's current score.",
  fields: (t) => ({
    value: t.exposeFloat("value", { description: "1–100." }),
    modelVersion: t.exposeInt("modelVersion"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    breakdown: t.field({
      type: ScoreBreakdown,
      resolve: (score) => {
        const stored = (score.breakdown ?? {}) as Partial<Breakdown>;
        return {
          network: Number(stored.network ?? 0),
          endorsement: Number(stored.endorsement ?? 0),
          raw: Number(stored.raw ?? score.raw),
          anonymousReach: Number(stored.anonymousReach ?? 0),
        };
      },
    }),
    topics: t.field({
      type: [TopicScoreRef],
      description: "Expertise per topic, highest first; topics without endorsements are left out.",
      select: {
        user: {
          select: {
            topicScores: { include: { topic: true }, orderBy: [{ value: "desc" }, { topicId: "asc" }] },
          },
        },
      },
      resolve: (score) => score.user.topicScores,
    }),
    explanation: t.relation("contributions", {
      description: "The top causes of the score, best first, then the REMAINDER; the shares sum to 1.",
      query: { orderBy: { rank: "asc" } },
    }),
  }),
});

builder.prismaObject("ScoreHistory", {
  name: "ScoreChange",
  description: "One recorded move of a score. Nothing moves without one of these.",
  fields: (t) => ({
    value: t.exposeFloat("value", { description: "The score after the move." }),
    delta: t.exposeFloat("delta", { description: "The move; a first score moves from 0." }),
    reason: t.expose("reason", { type: ScoreChangeReasonEnum }),
    modelVersion: t.exposeInt("modelVersion"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    causes: t.relation("causes", { query: { orderBy: { rank: "asc" } } }),
  }),
});

const visibleToViewer = {
  authScopes: (user: User, _args: unknown, ctx: { viewer: Parameters<typeof scoreVisibleTo>[0] }) =>
    scoreVisibleTo(ctx.viewer, user),
  unauthorizedResolver: () => null,
} as const;

builder.prismaObjectFields(UserRef, (t) => ({
  score: t.relation("score", {
    nullable: true,
    description: "The current score: null when not yet computed or not visible to you.",
    ...visibleToViewer,
  }),
  scoreHistory: t.relatedConnection(
    "scoreHistory",
    {
      cursor: "id",
      nullable: true,
      description: "Recorded moves of the score, newest first; null when the score is not visible to you.",
      query: { orderBy: { id: "desc" } },
      ...visibleToViewer,
    },
    { name: "ScoreHistoryConnection" },
    { name: "ScoreHistoryEdge" },
  ),
  anonymousReach: t.int({
    nullable: true,
    description:
      "Interactions with people who are not members (never named, only counted); null when the score is not visible to you.",
    ...visibleToViewer,
    resolve: (user) => user.anonymousReach,
  }),
}));

interface LeaderboardEntryShape {
  rank: number;
  value: number;
  member: User;
}

const LeaderboardEntry = builder.objectRef<LeaderboardEntryShape>("LeaderboardEntry").implement({
  fields: (t) => ({
    rank: t.exposeInt("rank", { description: "1 for the highest score among the members you can see." }),
    value: t.exposeFloat("value", { description: "The score, or the topic expertise, 1–100." }),
    member: t.field({ type: UserRef, resolve: (entry) => entry.member }),
  }),
});

export const LeaderboardRef = builder
  .objectRef<{ topic: Topic | null; entries: LeaderboardEntryShape[] }>("Leaderboard")
  .implement({
    description: "The highest scores (or topic expertise) among members whose scores you may see.",
    fields: (t) => ({
      topic: t.field({ type: TopicRef, nullable: true, resolve: (board) => board.topic }),
      entries: t.field({ type: [LeaderboardEntry], resolve: (board) => board.entries }),
    }),
  });

builder.queryFields((t) => ({
  leaderboard: t.field({
    type: LeaderboardRef,
    description:
      "The top members overall, or in one topic (by slug). Lists only members whose scores you may see; ranks count those alone.",
    errors: { types: [NotFoundError, ValidationError] },
    args: {
      topic: t.arg.string({ description: "A topic slug; leave out for the overall leaderboard." }),
      first: t.arg.int({ defaultValue: 10, description: "0 to 100." }),
    },
    resolve: (_root, args, ctx) => leaderboardFor(ctx, args.topic, args.first),
  }),
}));

/** The top `first` members (overall, or in the topic with this slug) whose scores the viewer may see. */
export async function leaderboardFor(
  ctx: Context,
  topicSlug: string | null | undefined,
  requested: number | null | undefined,
): Promise<{ topic: Topic | null; entries: LeaderboardEntryShape[] }> {
  const first = listSize(requested, 10);
  const visible = { user: visibleScoreOwners(ctx.viewer) };
  const order = [{ value: "desc" as const }, { userId: "asc" as const }];
  const ranked = (rows: { value: number; user: User }[]) =>
    rows.map((row, i) => ({ rank: i + 1, value: row.value, member: row.user }));
  if (topicSlug == null) {
    const rows = await ctx.db.score.findMany({
      where: visible,
      orderBy: order,
      take: first,
      include: { user: true },
    });
    return { topic: null, entries: ranked(rows) };
  }
  const topic = await ctx.db.topic.findUnique({ where: { slug: topicSlug.trim().toLowerCase() } });
  if (!topic) throw new NotFoundError("Topic");
  const rows = await ctx.db.topicScore.findMany({
    where: { topicId: topic.id, ...visible },
    orderBy: order,
    take: first,
    include: { user: true },
  });
  return { topic, entries: ranked(rows) };
}
