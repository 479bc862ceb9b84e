// Multi-row statements that run on SQLite and PostgreSQL.
//
// The scorer's rows go in as one bound value per statement: a JSON array of row arrays, which the
// database itself unpacks (SQLite's json_each, PostgreSQL's jsonb_array_elements: as jsonb, the
// array is parsed once, where `->>` on json parses each row again for every column, 0.52–0.58 ms
// against 0.13–0.17 ms for 205 rows of 7 columns). So a statement's
// text depends only on the table and columns, never on the values or how many rows there are: it
// is short, the database parses it quickly, and no value is ever spliced into SQL. (Binding one
// value per column made Prisma's per-value handling the bottleneck, and rendering the values as
// SQL literals made each statement a new, large text for the database to parse.)
import { empty, raw, type Sql, sqltag } from "@prisma/client/runtime/client";
import type { Database } from "../db/client.js";
import { sqliteTimestamp } from "../db/sql-client.js";

export type Provider = Database["provider"];

/**
 * How a JSON value becomes a column's value. SQLite needs no cast (the column's affinity decides,
 * as it did for a literal); PostgreSQL is given the column's type. An enum names its type.
 */
export type ColumnType = "int" | "float" | "text" | "json" | "timestamp" | { enum: string };

export type Columns = readonly (readonly [name: string, type: ColumnType])[];

export const quoted = (names: readonly string[]) => raw(names.map((name) => `"${name}"`).join(", "));

const pgCast = (type: ColumnType) =>
  typeof type === "object"
    ? `::"${type.enum}"`
    : { int: "::int", float: "::float8", text: "", json: "::jsonb", timestamp: "::timestamp(3)" }[type];

/**
 * A value as JSON; dates as Prisma's SQLite adapter stores them, which PostgreSQL also reads. Any
 * text is safe: it travels inside the bound value, never in the statement.
 */
function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    // JSON has no NaN or Infinity (JSON.stringify would write null).
    if (!Number.isFinite(value)) throw new RangeError(`cannot write the number ${value}`);
    return value;
  }
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === "string") return value;
  throw new TypeError(`cannot write ${JSON.stringify(value)}`);
}

/** The rows as the one bound value of a statement. */
export function rowsJson(rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(rows.map((row) => row.map(jsonValue)));
}

/**
 * `SELECT <column i of each row> AS "name", … FROM <the rows>`: the rows as a table, for
 * `INSERT … SELECT`. On SQLite it ends in `WHERE true`, so an ON CONFLICT clause after it parses.
 */
export function rowsTable(provider: Provider, columns: Columns, rows: readonly (readonly unknown[])[]): Sql {
  const json = rowsJson(rows);
  const select = raw(
    columns
      .map(([name, type], i) =>
        provider === "postgresql"
          ? `("value"->>${i})${pgCast(type)} AS "${name}"`
          : `"value"->>${i} AS "${name}"`,
      )
      .join(", "),
  );
  return provider === "postgresql"
    ? sqltag`SELECT ${select} FROM jsonb_array_elements(${json}::jsonb)`
    : sqltag`SELECT ${select} FROM json_each(${json}) WHERE true`;
}

/** `INSERT INTO table (columns) SELECT … FROM <the rows>` plus `suffix` (ON CONFLICT / RETURNING). */
export function insertRows(
  provider: Provider,
  table: string,
  columns: Columns,
  rows: readonly (readonly unknown[])[],
  suffix: Sql = empty,
): Sql {
  return sqltag`INSERT INTO ${quoted([table])} (${quoted(columns.map(([name]) => name))})
    ${rowsTable(provider, columns, rows)} ${suffix}`;
}

/**
 * `"column" IN (…)` (or `"table"."column"`) for a list of ids of any length, as one bound value:
 * the same statement text whatever the list.
 *
 * On PostgreSQL it is `= ANY(ARRAY(…))`, which the planner turns into an index condition. As `IN
 * (SELECT … FROM json_array_elements_text(…))` it is a join with a set function the planner
 * believes has 100 rows, and it chose a hash join over a sequential scan of the whole table: 1.2 ms
 * against 0.13 ms to read 60 members' explanations from 11,124 rows, and the scan grows with the
 * table.
 */
export function idsIn(provider: Provider, column: string, ids: readonly number[]): Sql {
  const name = raw(
    column
      .split(".")
      .map((part) => `"${part}"`)
      .join("."),
  );
  const json = JSON.stringify(ids);
  return provider === "postgresql"
    ? sqltag`${name} = ANY(ARRAY(SELECT "value"::int FROM jsonb_array_elements_text(${json}::jsonb)))`
    : sqltag`${name} IN (SELECT "value" FROM json_each(${json}))`;
}

/**
 * For a statement that joins a table with `rowsTable` rows on a key: on PostgreSQL, `AND column =
 * ANY(…)` with the distinct values of that key, so that the table is reached through its index
 * (see idsIn). Believing the rows are 100, the planner would rather hash a table of some thousand
 * rows whole: updating 335 explanation shares among 11,124 took 3.9 ms so, 1.8 ms through the
 * index. Nothing on SQLite, whose plan already looks each row up.
 */
export function throughIndex(provider: Provider, column: string, ids: readonly number[]): Sql {
  return provider === "postgresql" ? sqltag`AND ${idsIn(provider, column, [...new Set(ids)])}` : empty;
}
