// Bearer tokens: 256 random bits shown to the client once; only their SHA-256 is stored, so a
// leaked database does not leak usable tokens.
import { createHash, randomBytes } from "node:crypto";

const prefix = "sway_";

export function newToken(): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Reads the token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
