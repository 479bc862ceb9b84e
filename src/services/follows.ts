// Follows: the influence graph's backbone. Each change is written with its graph event in one
// transaction (the event last; see appendGraphEvent), so the scorer sees exactly what happened.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import { appendGraphEvent } from "../scorer/events.js";
import { requireViewer } from "./access.js";
import type { Viewer } from "./accounts.js";
import type { Notify } from "./index.js";
import { type Tx, transaction } from "./transaction.js";
import { normalizeHandle } from "./validation.js";

export interface FollowChange {
  follower: User;
  followee: User;
  /** false when nothing changed: already following (follow) or not following (unfollow). */
  changed: boolean;
}

export async function memberByHandle(
  tx: Pick<Db, "user">,
  rawHandle: string,
  field = "handle",
): Promise<User> {
  const user = await tx.user.findUnique({ where: { handle: normalizeHandle(rawHandle, field) } });
  if (!user) throw new NotFoundError("Member");
  return user;
}

export function createFollows(
  db: Db,
  provider: Config["databaseProvider"],
  notify: Pick<Notify, "graphChanged">,
) {
  async function change(viewer: Viewer | null, rawHandle: string, follow: boolean): Promise<FollowChange> {
    const { id } = requireViewer(viewer);
    const result = await transaction(db, provider, async (tx: Tx) => {
      const followee = await memberByHandle(tx, rawHandle);
      if (followee.id === id) throw new ValidationError("A member cannot follow themselves.", "handle");
      const follower = await tx.user.findUniqueOrThrow({ where: { id } });
      // ON CONFLICT rather than catching a unique violation: on PostgreSQL a failed statement
      // aborts the whole transaction.
      const changed = follow
        ? await tx.$executeRaw`
            INSERT INTO "Follow" ("followerId", "followeeId", "createdAt") VALUES (${id}, ${followee.id}, ${new Date()})
            ON CONFLICT DO NOTHING`
        : await tx.$executeRaw`
            DELETE FROM "Follow" WHERE "followerId" = ${id} AND "followeeId" = ${followee.id}`;
      if (changed > 0) {
        await appendGraphEvent(tx, provider, {
          kind: follow ? "FOLLOW" : "UNFOLLOW",
          actorId: id,
          subjectId: followee.id,
        });
      }
      return { follower, followee, changed: changed > 0 };
    });
    if (result.changed) notify.graphChanged();
    return result;
  }

  return {
    follow: (viewer: Viewer | null, handle: string) => change(viewer, handle, true),
    unfollow: (viewer: Viewer | null, handle: string) => change(viewer, handle, false),
  };
}

export type Follows = ReturnType<typeof createFollows>;
