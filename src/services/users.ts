// Member profiles.
import type { Db } from "../db/client.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { NotifyDirection, Prisma, ScoreVisibility, User } from "../generated/prisma/sqlite/client.js";
import { requireViewer } from "./access.js";
import type { Viewer } from "./accounts.js";
import { cleanBio, cleanName, normalizeHandle } from "./validation.js";

function checkMinDelta(value: number): number {
  if (!(value >= 0 && value <= 100)) {
    throw new ValidationError("notifyMinDelta is a score move from 0 to 100.", "notifyMinDelta");
  }
  return value;
}

export interface ProfileChanges {
  name?: string | null;
  bio?: string | null;
  scoreVisibility?: ScoreVisibility | null;
  notifyMinDelta?: number | null;
  notifyDirection?: NotifyDirection | null;
}

/** What to load with a member: the GraphQL layer passes the selection it needs. */
export type UserQuery = { include?: Prisma.UserInclude; select?: Prisma.UserSelect };

export function createUsers(db: Db) {
  return {
    async byHandle(rawHandle: string, query: UserQuery = {}): Promise<User> {
      const user = await db.user.findUnique({ ...query, where: { handle: normalizeHandle(rawHandle) } });
      if (!user) throw new NotFoundError("Member");
      return user;
    },

    async updateProfile(
      viewer: Viewer | null,
      changes: ProfileChanges,
      query: UserQuery = {},
    ): Promise<User> {
      const { id } = requireViewer(viewer);
      return db.user.update({
        ...query,
        where: { id },
        data: {
          ...(changes.name != null && { name: cleanName(changes.name) }),
          ...(changes.bio != null && { bio: cleanBio(changes.bio) }),
          ...(changes.scoreVisibility != null && { scoreVisibility: changes.scoreVisibility }),
          ...(changes.notifyMinDelta != null && { notifyMinDelta: checkMinDelta(changes.notifyMinDelta) }),
          ...(changes.notifyDirection != null && { notifyDirection: changes.notifyDirection }),
        },
      });
    },
  };
}

export type Users = ReturnType<typeof createUsers>;
