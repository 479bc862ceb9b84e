// Sign-up, log-in and bearer tokens.
import { hashPassword, unmatchableHash, verifyPassword } from "../auth/password.js";
import { hashToken, newToken } from "../auth/tokens.js";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { HandleTakenError, InvalidCredentialsError } from "../errors.js";
import type { Role, User } from "../generated/prisma/sqlite/client.js";
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

export function createAccounts(db: Db, config: Pick<Config, "tokenTtlDays">) {
  const expiry = () => new Date(Date.now() + config.tokenTtlDays * dayMs);

  return {
    async signUp(input: { handle: string; name: string; password: string }): Promise<Session> {
      const handle = normalizeHandle(input.handle);
      const name = cleanName(input.name);
      const passwordHash = await hashPassword(checkPassword(input.password));
      const token = newToken();
      const expiresAt = expiry();
      try {
        // One statement: the member and their first token exist together or not at all.
        const user = await db.user.create({
          data: {
            handle,
            name,
            passwordHash,
            tokens: { create: { tokenHash: hashToken(token), expiresAt } },
          },
        });
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
