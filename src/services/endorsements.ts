// Endorsements (+K), with the rules that keep them from driving scores: no self-endorsement, the
// topic must exist, at most `perDay` given per member in any 24 hours and at most one per giver →
// receiver → topic in any 7 days. Revoked endorsements still count against both limits, so
// revoking never hands budget back.
//
// The limits hold under concurrency: the check and the insert run in one transaction that first
// locks the giver's User row (PostgreSQL: SELECT … FOR UPDATE), so a giver's endorsements are
// decided one at a time; SQLite runs one write transaction at a time anyway.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from "../errors.js";
import type { Endorsement, Prisma } from "../generated/prisma/sqlite/client.js";
import { appendGraphEvent } from "../scorer/events.js";
import { requireViewer } from "./access.js";
import type { Viewer } from "./accounts.js";
import { memberByHandle } from "./follows.js";
import type { Notify } from "./index.js";
import { transaction } from "./transaction.js";

export const endorsementLimits = {
  perDay: 5,
  dayMs: 24 * 60 * 60 * 1000,
  pairWindowMs: 7 * 24 * 60 * 60 * 1000,
  noteLength: 280,
};

/** What to load with the endorsement: the GraphQL layer passes the selection it needs. */
export type EndorsementQuery = { include?: Prisma.EndorsementInclude; select?: Prisma.EndorsementSelect };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createEndorsements(
  db: Db,
  provider: Config["databaseProvider"],
  notify: Pick<Notify, "endorsementReceived" | "graphChanged">,
) {
  return {
    async endorse(
      viewer: Viewer | null,
      input: { handle: string; topic: string; note?: string | null },
      query: EndorsementQuery = {},
    ): Promise<Endorsement> {
      const me = requireViewer(viewer);
      const note = input.note?.trim() || null;
      if (note !== null && note.length > endorsementLimits.noteLength) {
        throw new ValidationError(`A note is at most ${endorsementLimits.noteLength} characters.`, "note");
      }
      const endorsement = await transaction(db, provider, async (tx) => {
        if (provider === "postgresql")
          await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${me.id} FOR UPDATE`;
        const endorsee = await memberByHandle(tx, input.handle);
        if (endorsee.id === me.id) throw new ValidationError("A member cannot endorse themselves.", "handle");
        const topic = await tx.topic.findUnique({ where: { slug: input.topic.trim().toLowerCase() } });
        if (!topic) throw new NotFoundError("Topic");
        const now = Date.now();
        const today = await tx.endorsement.findMany({
          where: { endorserId: me.id, createdAt: { gt: new Date(now - endorsementLimits.dayMs) } },
          orderBy: { createdAt: "asc" },
          select: { createdAt: true },
        });
        if (today.length >= endorsementLimits.perDay) {
          const frees =
            (today[today.length - endorsementLimits.perDay]?.createdAt.getTime() ?? now) +
            endorsementLimits.dayMs;
          throw new RateLimitedError(
            `At most ${endorsementLimits.perDay} endorsements in 24 hours.`,
            seconds(frees - now),
          );
        }
        const recent = await tx.endorsement.findFirst({
          where: {
            endorserId: me.id,
            endorseeId: endorsee.id,
            topicId: topic.id,
            createdAt: { gt: new Date(now - endorsementLimits.pairWindowMs) },
          },
          orderBy: { createdAt: "desc" },
          select: { createdAt: true },
        });
        if (recent) {
          throw new RateLimitedError(
            `You endorsed ${endorsee.handle} for ${topic.slug} in the last 7 days.`,
            seconds(recent.createdAt.getTime() + endorsementLimits.pairWindowMs - now),
          );
        }
        const endorsement = await tx.endorsement.create({
          ...query,
          data: {
            endorserId: me.id,
            endorseeId: endorsee.id,
            topicId: topic.id,
            note,
            createdAt: new Date(now),
          },
        });
        await appendGraphEvent(tx, provider, {
          kind: "ENDORSE",
          actorId: me.id,
          subjectId: endorsee.id,
          refId: endorsement.id,
        });
        return endorsement;
      });
      notify.graphChanged();
      notify.endorsementReceived(endorsement.endorseeId, endorsement.id);
      return endorsement;
    },

    /** Revokes one of the viewer's endorsements; revoking it again changes nothing. */
    async revoke(viewer: Viewer | null, id: number, query: EndorsementQuery = {}): Promise<Endorsement> {
      const me = requireViewer(viewer);
      const changed = false;
      const result = await transaction(db, provider, async (tx) => {
        const endorsement = await tx.endorsement.findUnique({ where: { id } });
        if (!endorsement) throw new NotFoundError("Endorsement");
        if (endorsement.endorserId !== me.id) {
          throw new ForbiddenError("Only the member who gave an endorsement can revoke it.");
        }
        if (endorsement.revokedAt !== null)
          return tx.endorsement.findUniqueOrThrow({ ...query, where: { id } });
        const revoked = await tx.endorsement.update({
          ...query,
          where: { id },
          data: { revokedAt: new Date() },
        });
        await appendGraphEvent(tx, provider, {
          kind: "REVOKE_ENDORSEMENT",
          actorId: me.id,
          subjectId: endorsement.endorseeId,
          refId: id,
        });
        return revoked;
      });
      if (changed) notify.graphChanged();
      return result;
    },
  };
}

export type Endorsements = ReturnType<typeof createEndorsements>;
