// Sign-up, log-in and bearer tokens.
import { hashPassword, unmatchableHash, verifyPassword } from "../auth/password.js";
import { hashToken, newToken } from "../auth/tokens.js";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { HandleTakenError, InvalidCredentialsError } from "../errors.js";
import type { Role, User } from "../generated/prisma/sqlite/client.js";
import { foldCausesNaming } from "../scorer/erasure.js";
import { appendGraphEvent } from "../scorer/events.js";
import { requireViewer } from "./access.js";
import type { Notify } from "./index.js";
import { transaction } from "./transaction.js";
import { checkPassword, cleanName, normalizeHandle } from "./validation.js";

/** Who is making a request. */
export interface Viewer {
  id: number;
  handle: string;
  role: Role;
}

export interface Session {
  token: string;
  expiresAt: Date;
  user: User;
}

const dayMs = 24 * 60 * 60 * 1000;

export function createAccounts(
  db: Db,
  config: Pick<Config, "tokenTtlDays" | "databaseProvider">,
  notify: Pick<Notify, "memberGone" | "graphChanged">,
) {
  const provider = config.databaseProvider;
  const expiry = () => new Date(Date.now() + config.tokenTtlDays * dayMs);

  return {
    async signUp(input: { handle: string; name: string; password: string }): Promise<Session> {
      const handle = normalizeHandle(input.handle);
      const name = cleanName(input.name);
      const passwordHash = await hashPassword(checkPassword(input.password));
      const token = newToken();
      const expiresAt = expiry();
      try {
        // The member, their first token and the JOIN event (so the scorer scores them without
        // waiting for their first edge) exist together or not at all.
        const user = await transaction(db, provider, async (tx) => {
          const created = await tx.user.create({
            data: {
              handle,
              name,
              passwordHash,
              tokens: { create: { tokenHash: hashToken(token), expiresAt } },
            },
          });
          await appendGraphEvent(tx, provider, { kind: "JOIN", actorId: created.id });
          return created;
        });
        notify.graphChanged();
        return { token, expiresAt, user };
      } catch (error) {
        if (isUniqueViolation(error)) throw new HandleTakenError(handle);
        throw error;
      }
    },

    async logIn(input: { handle: string; password: string }): Promise<Session> {
      const handle = input.handle.trim().toLowerCase();
      const user = await db.user.findUnique({ where: { handle } });
      const matches = await verifyPassword(input.password, user?.passwordHash ?? (await unmatchableHash()));
      if (!user || !matches) throw new InvalidCredentialsError();
      const token = newToken();
      const expiresAt = expiry();
      await db.authToken.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt } });
      return { token, expiresAt, user };
    },

    /** Ends the session of this token; other sessions of the member stay. */
    async logOut(token: string): Promise<void> {
      await db.authToken.deleteMany({ where: { tokenHash: hashToken(token) } });
    },

    /**
     * Erases the viewer and every row that names them (every foreign key to User cascades), in
     * one transaction: first the shares of other members' explanations and history that named
     * them move into those entries' REMAINDER (foldCausesNaming), then the delete, then an
     * ERASURE event that names nobody — the scorer finds who went by comparing with User, and
     * records the moves of everyone whose score changes with reason ERASURE.
     */
    async deleteAccount(viewer: Viewer | null, password: string): Promise<void> {
      const me = requireViewer(viewer);
      const user = await db.user.findUnique({ where: { id: me.id } });
      if (!user || !(await verifyPassword(password, user.passwordHash))) throw new InvalidCredentialsError();
      await transaction(db, provider, async (tx) => {
        await foldCausesNaming(tx, me.id);
        await tx.user.delete({ where: { id: me.id } });
        await appendGraphEvent(tx, provider, { kind: "ERASURE" });
      });
      // Their subscriptions, and everyone's subscriptions to their score, end.
      notify.memberGone(me.id);
      notify.graphChanged();
    },

    async viewerForToken(token: string): Promise<Viewer | null> {
      const row = await db.authToken.findUnique({
        where: { tokenHash: hashToken(token) },
        select: { expiresAt: true, user: { select: { id: true, handle: true, role: true } } },
      });
      if (!row || row.expiresAt.getTime() <= Date.now()) return null;
      return row.user;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
