// Follows: the influence graph's backbone. Each change is written with its graph event atomically
// (the event last; see appendGraphEvent), so the scorer sees exactly what happened.

import { sqltag } from "@prisma/client/runtime/client";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { User } from "../generated/prisma/sqlite/client.js";
import { appendGraphEvent, pgEventsOf } from "../scorer/events.js";
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
  /**
   * Writes the change and its event; the event's id, or null when nothing changed. Nothing is
   * written for an unknown handle or oneself (the caller tells those apart afterwards). The change
   * is made by handle, so nothing needs reading first: on PostgreSQL it is one statement with its
   * event (no transaction of round trips); on SQLite, a short transaction whose first statement
   * takes the write lock, then the event.
   */
  async function write(id: number, handle: string, follow: boolean): Promise<number | null> {
    const now = new Date();
    if (provider === "postgresql") {
      const change = follow
        ? sqltag`INSERT INTO "Follow" ("followerId", "followeeId", "createdAt")
            SELECT ${id}::int, "id", ${now}::timestamp(3) FROM "User" WHERE "handle" = ${handle} AND "id" <> ${id}::int
            ON CONFLICT DO NOTHING RETURNING "followerId" AS "actorId", "followeeId" AS "subjectId"`
        : sqltag`DELETE FROM "Follow"
            WHERE "followerId" = ${id}::int AND "followeeId" = (SELECT "id" FROM "User" WHERE "handle" = ${handle})
            RETURNING "followerId" AS "actorId", "followeeId" AS "subjectId"`;
      const [row] = await db.$queryRaw<{ eventId: unknown }[]>`
        WITH "changes" AS (${change}), ${pgEventsOf("changes", follow ? "FOLLOW" : "UNFOLLOW", now)}
        SELECT MAX("id") AS "eventId" FROM "event"`;
      return row?.eventId === null || row?.eventId === undefined ? null : Number(row.eventId);
    }
    return transaction(
      db,
      provider,
      async (tx: Tx) => {
        // ON CONFLICT rather than catching a unique violation, as on PostgreSQL.
        const changed = follow
          ? await tx.$queryRaw<{ followeeId: unknown }[]>`
              INSERT INTO "Follow" ("followerId", "followeeId", "createdAt")
              SELECT ${id}, "id", ${now} FROM "User" WHERE "handle" = ${handle} AND "id" <> ${id}
              ON CONFLICT DO NOTHING RETURNING "followeeId"`
          : await tx.$queryRaw<{ followeeId: unknown }[]>`
              DELETE FROM "Follow"
              WHERE "followerId" = ${id} AND "followeeId" = (SELECT "id" FROM "User" WHERE "handle" = ${handle})
              RETURNING "followeeId"`;
        const [row] = changed;
        if (!row) return null;
        return appendGraphEvent(tx, provider, {
          kind: follow ? "FOLLOW" : "UNFOLLOW",
          actorId: id,
          subjectId: Number(row.followeeId),
        });
      },
      { startsWithWrite: true },
    );
  }

  async function change(viewer: Viewer | null, rawHandle: string, follow: boolean): Promise<FollowChange> {
    const { id } = requireViewer(viewer);
    const handle = normalizeHandle(rawHandle, "handle");
    const eventId = await write(id, handle, follow);
    const changed = eventId !== null;
    if (changed) notify.graphChanged(eventId);
    // Both members in one read, after the change (which wrote nothing for an unknown or own handle).
    const members = await db.user.findMany({ where: { OR: [{ id }, { handle }] } });
    const followee = members.find((member) => member.handle === handle);
    if (!followee) throw new NotFoundError("Member");
    if (followee.id === id) throw new ValidationError("A member cannot follow themselves.", "handle");
    const follower = members.find((member) => member.id === id);
    if (!follower) throw new NotFoundError("Member");
    return { follower, followee, changed };
  }

  return {
    follow: (viewer: Viewer | null, handle: string) => change(viewer, handle, true),
    unfollow: (viewer: Viewer | null, handle: string) => change(viewer, handle, false),
  };
}

export type Follows = ReturnType<typeof createFollows>;
