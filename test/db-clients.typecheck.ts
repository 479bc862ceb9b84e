// Compile-time proof (checked by `npm run typecheck`) that the PostgreSQL client reads and writes
// the same shapes as the SQLite client the code is typed against, so src/db/client.ts may hand it
// out under that type. (Whole clients are too generic for TypeScript to compare structurally.)
import type * as Pg from "../src/generated/prisma/postgresql/client.js";
import type * as Sqlite from "../src/generated/prisma/sqlite/client.js";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Model = keyof Sqlite.Prisma.TypeMap["model"];

type RowsAgree = {
  [M in Model]: Same<
    Pg.Prisma.TypeMap["model"][M]["payload"]["scalars"],
    Sqlite.Prisma.TypeMap["model"][M]["payload"]["scalars"]
  >;
};
// PostgreSQL accepts more (e.g. case-insensitive filters), so only this direction must hold.
type PgAcceptsSqliteArgs<Op extends "findMany" | "create" | "update" | "upsert" | "deleteMany"> = {
  [M in Model]: [Sqlite.Prisma.TypeMap["model"][M]["operations"][Op]["args"]] extends [
    Pg.Prisma.TypeMap["model"][M]["operations"][Op]["args"],
  ]
    ? true
    : false;
};
type AllTrue<T> = T[keyof T] extends true ? true : false;

export const clientsAgree: [
  AllTrue<RowsAgree>,
  AllTrue<PgAcceptsSqliteArgs<"findMany">>,
  AllTrue<PgAcceptsSqliteArgs<"create">>,
  AllTrue<PgAcceptsSqliteArgs<"update">>,
  AllTrue<PgAcceptsSqliteArgs<"upsert">>,
  AllTrue<PgAcceptsSqliteArgs<"deleteMany">>,
  Same<keyof Pg.Prisma.TypeMap["model"], Model>,
] = [true, true, true, true, true, true, true];
