// Multi-row statements that run unchanged on SQLite and PostgreSQL.
//
// The scorer's rows hold only numbers, dates, nulls and its own enum names and numeric JSON, so
// inserts render them as SQL literals instead of bound values: Prisma's per-value handling made
// bound multi-row inserts about four times slower, and a first recompute writes millions of rows.
// Anything else is refused, so no text from outside can reach the SQL.
import { empty, join, raw, type Sql, sqltag } from "@prisma/client/runtime/client";

/** Bound values per statement: SQLite's historical default limit (PostgreSQL allows 65,535). */
const maxBindValues = 999;
const rowsPerStatement = 1000;

/** Text the scorer itself produces (enum names, JSON of numbers): never a quote or a backslash. */
const safeText = /^[A-Za-z0-9_{}":.,+\- ]*$/;

export const quoted = (names: readonly string[]) => raw(names.map((name) => `"${name}"`).join(", "));

/** A value as an SQL literal; dates as Prisma's SQLite adapter stores them, which PostgreSQL also reads. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write the number ${value}`);
    return String(value);
  }
  if (value instanceof Date) return `'${value.toISOString().replace("Z", "+00:00")}'`;
  if (typeof value === "string" && safeText.test(value)) return `'${value}'`;
  throw new TypeError(`cannot write ${JSON.stringify(value)} as a literal`);
}

/** `INSERT INTO table (columns) VALUES …` plus `suffix` (an ON CONFLICT or RETURNING clause), chunked. */
export function insertStatements(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix: Sql = empty,
): Sql[] {
  const statements: Sql[] = [];
  for (let from = 0; from < rows.length; from += rowsPerStatement) {
    const tuples = rows
      .slice(from, from + rowsPerStatement)
      .map((row) => `(${row.map(literal).join(", ")})`)
      .join(", ");
    statements.push(
      sqltag`INSERT INTO ${quoted([table])} (${quoted(columns)}) VALUES ${raw(tuples)} ${suffix}`,
    );
  }
  return statements;
}

/** `"column" IN (…)` (or `"table"."column"`) for a non-empty list that fits one statement. */
export function inList(column: string, values: readonly number[]): Sql {
  if (values.length === 0 || values.length > maxBindValues) {
    throw new RangeError(`an IN list needs 1 to ${maxBindValues} values, got ${values.length}`);
  }
  return sqltag`${raw(
    column
      .split(".")
      .map((part) => `"${part}"`)
      .join("."),
  )} IN (${join(values as number[])})`;
}
