// Recognising database errors without depending on one provider's generated client.

/** A unique constraint refused the write (Prisma's P2002, the same on every provider). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
