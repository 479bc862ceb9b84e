// Erasing a member must leave every other explanation whole. Explanations (ScoreContribution) and
// the causes of recorded moves (ScoreHistoryCause) name members and endorsements as rows, so the
// cascade that erases a member also deletes the causes that named them or their endorsements —
// and the shares left behind would no longer sum to 1. Run this in the erasing transaction,
// before the delete: it moves each such share into the REMAINDER of the same explanation or
// history entry, which then says "not named" rather than naming someone who is gone.
//
// It first locks the scorer's state row, as every scorer write transaction does (its lease
// fence), so on PostgreSQL an erasure and a scorer batch never interleave: a batch writing new
// causes that name the member would otherwise commit between the fold and the cascade.
import { scorerStateId } from "./events.js";
import type { Queryable } from "./load.js";

export async function foldCausesNaming(tx: Queryable, userId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "ScorerState" SET "updatedAt" = "updatedAt" WHERE "id" = ${scorerStateId}`;
  // Causes that name the member, or an endorsement they gave or received.
  await tx.$executeRaw`
    UPDATE "ScoreContribution" SET "share" = "share" + (
      SELECT COALESCE(SUM(c."share"), 0) FROM "ScoreContribution" c
      WHERE c."userId" = "ScoreContribution"."userId"
        AND (c."contributorId" = ${userId} OR c."endorsementId" IN (
          SELECT "id" FROM "Endorsement" WHERE "endorserId" = ${userId} OR "endorseeId" = ${userId})))
    WHERE "kind" = 'REMAINDER' AND "userId" <> ${userId} AND "userId" IN (
      SELECT c."userId" FROM "ScoreContribution" c
      WHERE c."contributorId" = ${userId} OR c."endorsementId" IN (
        SELECT "id" FROM "Endorsement" WHERE "endorserId" = ${userId} OR "endorseeId" = ${userId}))`;
  await tx.$executeRaw`
    UPDATE "ScoreHistoryCause" SET "share" = "share" + (
      SELECT COALESCE(SUM(c."share"), 0) FROM "ScoreHistoryCause" c
      WHERE c."historyId" = "ScoreHistoryCause"."historyId"
        AND (c."memberId" = ${userId} OR c."endorsementId" IN (
          SELECT "id" FROM "Endorsement" WHERE "endorserId" = ${userId} OR "endorseeId" = ${userId})))
    WHERE "kind" = 'REMAINDER' AND "historyId" IN (
      SELECT c."historyId" FROM "ScoreHistoryCause" c
      WHERE c."memberId" = ${userId} OR c."endorsementId" IN (
        SELECT "id" FROM "Endorsement" WHERE "endorserId" = ${userId} OR "endorseeId" = ${userId}))`;
}
