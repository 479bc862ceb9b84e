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
import { raw, sqltag } from "@prisma/client/runtime/client";
import { scorerStateId } from "./events.js";
import type { Queryable } from "./load.js";

export async function foldCausesNaming(tx: Queryable, userId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "ScorerState" SET "updatedAt" = "updatedAt" WHERE "id" = ${scorerStateId}`;
  // Per explanation (by member) and per history entry (by entry): the causes that name the member,
  // or an endorsement they gave or received, go into that row set's REMAINDER.
  const fold = (table: string, key: string, member: string) => {
    const t = raw(`"${table}"`);
    const k = raw(`"${key}"`);
    const names = sqltag`(c.${raw(`"${member}"`)} = ${userId} OR c."endorsementId" IN (
      SELECT "id" FROM "Endorsement" WHERE "endorserId" = ${userId} OR "endorseeId" = ${userId}))`;
    return tx.$executeRaw(sqltag`
      UPDATE ${t} SET "share" = "share" + (
        SELECT COALESCE(SUM(c."share"), 0) FROM ${t} c WHERE c.${k} = ${t}.${k} AND ${names})
      WHERE "kind" = 'REMAINDER' AND ${k} IN (SELECT c.${k} FROM ${t} c WHERE ${names})`);
  };
  await fold("ScoreContribution", "userId", "contributorId");
  await fold("ScoreHistoryCause", "historyId", "memberId");
}
