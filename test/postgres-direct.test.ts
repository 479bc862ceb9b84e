// The scorer's Prisma-free PostgreSQL connection (src/db/postgres-direct.ts), in the PostgreSQL
// run only: what it writes, Prisma reads as its own and the other way round; Sql values compose as
// they do for Prisma; transactions commit and roll back, each on a connection of its own, which a
// statement outside them never joins, and one given up rolls back behind its statement in flight;
// with deferWrites, writes go with the next read or the commit, values intact; a taken unique key is recognised; and a list of ids reaches a
// table through its index.
import { sqltag } from "@prisma/client/runtime/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../src/db/client.js";
import { isUniqueViolation } from "../src/db/errors.js";
import { migrate } from "../src/db/migrate.js";
import { openPostgresDirect } from "../src/db/postgres-direct.js";
import type { SqlDatabase, SqlQueryable } from "../src/db/sql-client.js";
import { toMs } from "../src/scorer/load.js";
import { idsIn, rowsTable, throughIndex } from "../src/scorer/sql.js";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "./support/database.js";

describe.skipIf(testPostgresUrl === undefined)("the direct PostgreSQL connection", () => {
  let database: TestDatabase;
  let prisma: Database;
  let direct: SqlDatabase;
  // Dates must not depend on the process' time zone (node-postgres' own defaults would).
  const zone = process.env.TZ;

  beforeAll(async () => {
    process.env.TZ = "America/New_York";
    database = await createTestDatabase();
    await migrate(database.url);
    prisma = await connectDatabase({
      databaseUrl: database.url,
      databaseProvider: "postgresql",
      databasePoolSize: 2,
    });
    direct = openPostgresDirect(database.url);
  });

  afterAll(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await direct?.close();
    await prisma?.close();
    await database?.drop();
  });

  const count = async (handle: string) => {
    const [row] = await prisma.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT COUNT(*) AS "n" FROM "User" WHERE "handle" = ${handle}`;
    return Number(row?.n);
  };

  const addUser = (db: SqlQueryable, handle: string) =>
    db.$executeRaw`INSERT INTO "User" ("handle", "name", "passwordHash", "createdAt", "updatedAt")
      VALUES (${handle}, ${handle}, 'x', ${new Date()}::timestamp(3), ${new Date()}::timestamp(3))`;

  it("binds values as Prisma does, so each reads what the other wrote", async () => {
    const at = new Date(Date.UTC(2026, 10, 27, 3, 4, 5, 678));
    await direct.sql.$executeRaw`
      INSERT INTO "ScoringModel" ("version", "description", "parameters", "status", "createdAt", "activatedAt")
      VALUES (${41}, ${"direct"}, ${JSON.stringify({ damping: 0.8 })}::jsonb, ${"DRAFT"}::"ScoringModelStatus",
        ${at}::timestamp(3), ${null}::timestamp(3))`;
    const model = await prisma.prisma.scoringModel.findUniqueOrThrow({ where: { version: 41 } });
    expect(model).toMatchObject({ description: "direct", parameters: { damping: 0.8 }, status: "DRAFT" });
    expect(model.createdAt).toEqual(at);
    expect(model.activatedAt).toBeNull();

    await prisma.prisma.scoringModel.create({
      data: { version: 42, parameters: { damping: 0.7 }, status: "DRAFT", createdAt: at },
    });
    const [row] = await direct.sql.$queryRaw<{ version: number; parameters: unknown; createdAt: unknown }[]>`
      SELECT "version", "parameters", "createdAt" FROM "ScoringModel" WHERE "version" = ${42}`;
    expect(row?.version).toBe(42);
    expect(row?.parameters).toEqual({ damping: 0.7 });
    expect(row?.createdAt).toEqual(at);
    expect(toMs(row?.createdAt)).toBe(at.getTime());
  });

  it("takes Sql values with nested fragments, and unsafe text with values", async () => {
    await addUser(direct.sql, "nested_a");
    await addUser(direct.sql, "nested_b");
    const users = await direct.sql.$queryRaw<{ id: number }[]>`SELECT "id" FROM "User" ORDER BY "id"`;
    const ids = users.map((u) => u.id);
    const found = await direct.sql.$queryRaw<{ handle: string }[]>(
      sqltag`SELECT "handle" FROM "User" WHERE ${idsIn("postgresql", "id", ids)} AND "handle" LIKE ${"nested_%"} ORDER BY "handle"`,
    );
    expect(found.map((u) => u.handle)).toEqual(["nested_a", "nested_b"]);
    // The same text again (now a prepared statement) with other values.
    const again = await direct.sql.$queryRaw<{ handle: string }[]>(
      sqltag`SELECT "handle" FROM "User" WHERE ${idsIn("postgresql", "id", ids.slice(0, 1))} AND "handle" LIKE ${"nested_%"} ORDER BY "handle"`,
    );
    expect(again.map((u) => u.handle)).toEqual(["nested_a"]);
    expect(await direct.sql.$queryRawUnsafe(`SELECT $1::int + $2::int AS "sum"`, 2, 3)).toEqual([{ sum: 5 }]);
    expect(await direct.sql.$executeRaw`UPDATE "User" SET "bio" = '' WHERE "id" = ${-1}`).toBe(0);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await direct.sql.$transaction(async (tx) => {
      await addUser(tx, "kept");
    });
    await expect(
      direct.sql.$transaction(async (tx) => {
        await addUser(tx, "undone");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await count("kept")).toBe(1);
    expect(await count("undone")).toBe(0);
  });

  it("keeps a statement outside a transaction out of it", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = direct.sql.$transaction(async (tx) => {
      await addUser(tx, "inside");
      await held;
      throw new Error("rolled back");
    });
    // While the transaction is open, a bare statement commits on its own.
    await addUser(direct.sql, "outside");
    release();
    await expect(transaction).rejects.toThrow("rolled back");
    expect(await count("outside")).toBe(1);
    expect(await count("inside")).toBe(0);
  });

  it("rolls back a transaction whose work threw behind a statement still running, without holding the caller", async () => {
    let statement: Promise<unknown> | undefined;
    const started = performance.now();
    await expect(
      direct.sql.$transaction(async (tx) => {
        await addUser(tx, "given-up");
        statement = tx.$queryRaw`SELECT pg_sleep(30)`;
        statement.catch(() => {});
        throw new Error("not waiting for it");
      }),
    ).rejects.toThrow("not waiting for it");
    // The caller went on at once; the statement left behind was cancelled, not waited for...
    expect(performance.now() - started).toBeLessThan(900);
    await expect(statement).rejects.toThrow(/cancel/);
    expect(performance.now() - started).toBeLessThan(10_000);
    // ...the transaction rolled back, and its connection came back: the pool's three all serve again.
    await Promise.all(
      ["after-1", "after-2", "after-3"].map((handle) =>
        direct.sql.$transaction(async (tx) => {
          await addUser(tx, handle);
          await tx.$queryRaw`SELECT pg_sleep(0.05)`;
        }),
      ),
    );
    expect(await count("given-up")).toBe(0);
    expect(await count("after-3")).toBe(1);
  });

  it("with deferWrites, sends writes with the next read or the commit, their values intact", async () => {
    const awkward = `it's a \\ "test" $1 ${"\u00e9"}`;
    const at = new Date(Date.UTC(2026, 10, 27, 13, 14, 15, 160));
    let held = 0;
    const seen = await direct.sql.$transaction(
      async (tx) => {
        const started = performance.now();
        held = await tx.$executeRaw`SELECT pg_sleep(0.5)`;
        await addUser(tx, "deferred-1");
        await tx.$executeRaw`
          INSERT INTO "ScoringModel" ("version", "description", "parameters", "status", "createdAt", "activatedAt")
          VALUES (${77}, ${awkward}, ${JSON.stringify({ note: awkward, share: 0.125 })}::jsonb,
            ${"DRAFT"}::"ScoringModelStatus", ${at}::timestamp(3), ${null}::timestamp(3))`;
        // Held, not run: the sleep has not happened yet.
        expect(performance.now() - started).toBeLessThan(400);
        // A read in the transaction sees what was held before it.
        return tx.$queryRaw<
          { n: bigint }[]
        >`SELECT COUNT(*) AS "n" FROM "User" WHERE "handle" = ${"deferred-1"}`;
      },
      { deferWrites: true },
    );
    expect(held).toBe(0);
    expect(Number(seen[0]?.n)).toBe(1);
    expect(await count("deferred-1")).toBe(1);
    const model = await prisma.prisma.scoringModel.findUnique({ where: { version: 77 } });
    expect(model?.description).toBe(awkward);
    expect(model?.parameters).toEqual({ note: awkward, share: 0.125 });
    expect(model?.createdAt.getTime()).toBe(at.getTime());
    expect(model?.activatedAt).toBeNull();

    // A held write that fails fails the transaction, which leaves nothing behind.
    await expect(
      direct.sql.$transaction(
        async (tx) => {
          await addUser(tx, "deferred-2");
          await addUser(tx, "deferred-1");
        },
        { deferWrites: true },
      ),
    ).rejects.toSatisfy(isUniqueViolation);
    expect(await count("deferred-2")).toBe(0);
  });

  it("with deferWrites, sends the reads asked for in one turn together, each with its own rows", async () => {
    // statement_timestamp() is when the server received the query message: the same for every
    // statement of one simple query, later for a query sent after an answer came back.
    type Stamp = { at: Date; handle: string | null }[];
    const stamp = (tx: SqlQueryable, handle: string) =>
      tx.$queryRaw<Stamp>`SELECT statement_timestamp() AS "at", (SELECT "handle" FROM "User" WHERE "handle" = ${handle}) AS "handle"`;
    const [together, apart] = await direct.sql.$transaction(
      async (tx) => {
        await addUser(tx, "together-1");
        const both = await Promise.all([stamp(tx, "together-1"), stamp(tx, "nobody")]);
        await tx.$queryRaw`SELECT pg_sleep(0.01)`;
        return [both, await stamp(tx, "together-1")] as const;
      },
      { deferWrites: true },
    );
    const [first, second] = together;
    expect(first?.[0]?.handle).toBe("together-1");
    expect(second?.[0]?.handle).toBeNull();
    expect(first?.[0]?.at.getTime()).toBe(second?.[0]?.at.getTime());
    expect(apart[0]?.at.getTime()).toBeGreaterThan(first?.[0]?.at.getTime() as number);

    // A failing statement fails every read it went with.
    const results = await direct.sql
      .$transaction(
        (tx) =>
          Promise.allSettled([
            stamp(tx, "nobody"),
            tx.$queryRaw`SELECT 1 / 0 AS "never"`,
            stamp(tx, "nobody"),
          ]),
        { deferWrites: true },
      )
      .catch(() => null);
    expect(results?.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
  });

  it("with deferWrites, sends nothing more once the work threw, not even a read it asked for", async () => {
    let late: Promise<unknown> | undefined;
    await expect(
      direct.sql.$transaction(
        async (tx) => {
          await addUser(tx, "never-sent");
          // Asked for in the turn the work fails: it would have gone out a moment later.
          late = tx.$queryRaw`SELECT COUNT(*) FROM "User"`;
          late.catch(() => {});
          throw new Error("failed");
        },
        { deferWrites: true },
      ),
    ).rejects.toThrow("failed");
    await expect(late).rejects.toThrow("the transaction has ended");
    // The connection was rolled back and returned: the pool's three all serve again.
    await Promise.all(
      [1, 2, 3].map(() => direct.sql.$transaction((tx) => tx.$queryRaw`SELECT pg_sleep(0.05)`)),
    );
    expect(await count("never-sent")).toBe(0);
  });

  it("fails on a taken unique key in a way the scorer recognises", async () => {
    const error = await addUser(direct.sql, "kept").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("reaches rows by a list of ids through the table's index, not by scanning it", async () => {
    await direct.sql.$executeRaw`
      INSERT INTO "User" ("handle", "name", "passwordHash", "createdAt", "updatedAt")
      SELECT 'scan' || i, 'scan' || i, 'x', now(), now() FROM generate_series(1, 20000) AS i`;
    await direct.sql.$executeRaw`ANALYZE "User"`;
    const [{ first }] = (await direct.sql.$queryRaw<{ first: number }[]>`
      SELECT MIN("id") AS "first" FROM "User" WHERE "handle" LIKE 'scan%'`) as [{ first: number }];
    const ids = Array.from({ length: 60 }, (_, i) => first + i * 31);
    const plan = async (query: ReturnType<typeof sqltag>) => {
      const rows = await direct.sql.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ${query}`;
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    };
    const read = await plan(sqltag`SELECT "id" FROM "User" WHERE ${idsIn("postgresql", "id", ids)}`);
    expect(read).toMatch(/Index|Bitmap/);
    expect(read).not.toMatch(/Seq Scan on "User"/);
    // The scorer's share update joins explanations with its rows on (userId, rank); at 10,000 rows
    // the planner would rather hash them all than look 300 up.
    await direct.sql.$executeRaw`
      INSERT INTO "Score" ("userId", "value", "raw", "breakdown", "modelVersion", "updatedAt")
      SELECT "id", 50, 1, '{}', 1, now() FROM "User" WHERE "handle" LIKE 'scan%' ORDER BY "id" LIMIT 2000`;
    await direct.sql.$executeRaw`
      INSERT INTO "ScoreContribution" ("userId", "rank", "kind", "share")
      SELECT "userId", r, 'REMAINDER', 0.2 FROM "Score", generate_series(1, 5) AS r`;
    await direct.sql.$executeRaw`ANALYZE "ScoreContribution"`;
    const shares = ids.flatMap((id) => [1, 2, 3, 4, 5].map((rank) => [id, rank, 0.2]));
    const update = await plan(sqltag`
      UPDATE "ScoreContribution" SET "share" = "new"."share"
      FROM (${rowsTable(
        "postgresql",
        [
          ["userId", "int"],
          ["rank", "int"],
          ["share", "float"],
        ],
        shares,
      )}) AS "new"
      WHERE "ScoreContribution"."userId" = "new"."userId" AND "ScoreContribution"."rank" = "new"."rank"
        ${throughIndex("postgresql", "ScoreContribution.userId", ids)}`);
    expect(update).not.toMatch(/Seq Scan on "ScoreContribution"/);
    const selected = await direct.sql.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "User" WHERE ${idsIn("postgresql", "id", ids)} ORDER BY "id"`;
    expect(selected.map((row) => row.id)).toEqual(ids);
  });
});
