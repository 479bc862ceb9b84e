// Recognising database errors without depending on one provider's generated client.

/**
 * A unique constraint refused the write: model queries say P2002; raw queries wrap the driver
 * adapter's error in P2010. The same on every provider. Without Prisma (sqlite-direct.ts,
 * postgres-direct.ts), better-sqlite3 names the constraint kind in its code, PostgreSQL gives
 * SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  return (
    code === "P2002" ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    code === "23505" ||
    meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation"
  );
}
