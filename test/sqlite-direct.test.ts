// The scorer's Prisma-free SQLite connection (src/db/sqlite-direct.ts): what it writes, Prisma
// reads as its own and the other way round; Sql values compose as they do for Prisma;
// transactions commit, roll back and take turns; and the errors the scorer acts on are recognised.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sqltag } from "@prisma/client/runtime/client";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backstopPages } from "../src/db/checkpointer.js";
import { connectDatabase, type Database } from "../src/db/client.js";
import { isUniqueViolation } from "../src/db/errors.js";
import { migrate } from "../src/db/migrate.js";
import type { SqlDatabase, SqlQueryable } from "../src/db/sql-client.js";
import { openSqliteDirect } from "../src/db/sqlite-direct.js";
import { toMs } from "../src/scorer/load.js";
import { idsIn } from "../src/scorer/sql.js";
import { isLockBusy } from "../src/scorer/write-gate.js";

const dir = mkdtempSync(path.join(tmpdir(), "sway-direct-"));
const url = `file:${path.join(dir, "sway.db")}`;
let prisma: Database;
let direct: SqlDatabase;

beforeAll(async () => {
  await migrate(url);
  prisma = await connectDatabase({ databaseUrl: url, databaseProvider: "sqlite", databasePoolSize: 1 });
  direct = openSqliteDirect(url);
});

afterAll(async () => {
  await direct.close();
  await prisma.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (db: SqlDatabase, handle: string) => {
  const [row] = await db.sql.$queryRaw<
    { n: number }[]
  >`SELECT COUNT(*) AS "n" FROM "User" WHERE "handle" = ${handle}`;
  return Number(row?.n);
};

const addUser = (db: SqlQueryable, handle: string) =>
  db.$executeRaw`INSERT INTO "User" ("handle", "name", "passwordHash", "createdAt", "updatedAt")
    VALUES (${handle}, ${handle}, 'x', ${new Date()}, ${new Date()})`;

describe("the direct SQLite connection", () => {
  it("binds values as Prisma does, so each reads what the other wrote", async () => {
    const at = new Date(Date.UTC(2026, 10, 27, 3, 4, 5, 678));
    await direct.sql.$executeRaw`
      INSERT INTO "ScoringModel" ("version", "description", "parameters", "status", "createdAt", "activatedAt")
      VALUES (${41}, ${"direct"}, ${{ damping: 0.8 }}, ${"DRAFT"}, ${at}, ${null})`;
    const model = await prisma.prisma.scoringModel.findUniqueOrThrow({ where: { version: 41 } });
    expect(model).toMatchObject({ description: "direct", parameters: { damping: 0.8 }, status: "DRAFT" });
    expect(model.createdAt).toEqual(at);
    expect(model.activatedAt).toBeNull();

    await prisma.prisma.scoringModel.create({
      data: { version: 42, parameters: { damping: 0.7 }, status: "DRAFT", createdAt: at },
    });
    const [row] = await direct.sql.$queryRaw<{ version: number; parameters: string; createdAt: string }[]>`
      SELECT "version", "parameters", "createdAt" FROM "ScoringModel" WHERE "version" = ${42}`;
    expect(row?.version).toBe(42);
    expect(JSON.parse(row?.parameters as string)).toEqual({ damping: 0.7 });
    expect(toMs(row?.createdAt)).toBe(at.getTime());
  });

  it("takes Sql values with nested fragments, and unsafe text with values", async () => {
    await addUser(direct.sql, "nested_a");
    await addUser(direct.sql, "nested_b");
    const users = await direct.sql.$queryRaw<{ id: number }[]>`SELECT "id" FROM "User" ORDER BY "id"`;
    const ids = users.map((u) => u.id);
    const found = await direct.sql.$queryRaw<{ handle: string }[]>(
      sqltag`SELECT "handle" FROM "User" WHERE ${idsIn("sqlite", "id", ids)} AND "handle" LIKE ${"nested_%"} ORDER BY "handle"`,
    );
    expect(found.map((u) => u.handle)).toEqual(["nested_a", "nested_b"]);
    expect(await direct.sql.$queryRawUnsafe(`SELECT ? + ? AS "sum"`, 2, 3)).toEqual([{ sum: 5 }]);
    // A statement that returns no rows answers an empty list.
    expect(await direct.sql.$queryRawUnsafe(`UPDATE "User" SET "bio" = '' WHERE "id" = ?`, -1)).toEqual([]);
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
    expect(await count(direct, "kept")).toBe(1);
    expect(await count(direct, "undone")).toBe(0);
  });

  it("runs transactions one after the other, also when the first waits on a timer", async () => {
    const order: string[] = [];
    const first = direct.sql.$transaction(async (tx) => {
      order.push("first begins");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await addUser(tx, "turn_one");
      order.push("first ends");
    });
    const second = direct.sql.$transaction(async (tx) => {
      order.push("second begins");
      await addUser(tx, "turn_two");
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["first begins", "first ends", "second begins"]);
    // A failed transaction does not stop the next one.
    const failing = direct.sql.$transaction(async () => {
      throw new Error("no");
    });
    const after = direct.sql.$transaction(async (tx) => addUser(tx, "turn_three"));
    await expect(failing).rejects.toThrow("no");
    expect(await after).toBe(1);
  });

  it("fails in ways the scorer recognises: a unique key taken, a lock held elsewhere", async () => {
    const error = await addUser(direct.sql, "kept").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error)).toBe(true);

    const impatient = openSqliteDirect(url, { busyTimeoutMs: 0 });
    const other = new Sqlite(url.replace(/^file:/, ""));
    try {
      other.prepare("BEGIN IMMEDIATE").run();
      const busy = await impatient.sql
        .$transaction(async (tx) => addUser(tx, "blocked"))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isLockBusy(busy)).toBe(true);
      other.prepare("ROLLBACK").run();
      expect(await impatient.sql.$transaction(async (tx) => addUser(tx, "unblocked"))).toBe(1);
    } finally {
      other.close();
      await impatient.close();
    }
  });

  it("leaves WAL checkpoints to the checkpointer when asked, up to the backstop", async () => {
    const pages = async (db: SqlDatabase) =>
      Object.values(
        (
          (await db.sql.$queryRawUnsafe<Record<string, number>[]>("PRAGMA wal_autocheckpoint")) as Record<
            string,
            number
          >[]
        )[0] ?? {},
      )[0];
    const background = openSqliteDirect(url, { backgroundCheckpoints: true });
    try {
      expect(await pages(background)).toBe(backstopPages);
      expect(await pages(direct)).toBe(1000);
      const [{ foreign_keys }] = (await background.sql.$queryRawUnsafe("PRAGMA foreign_keys")) as [
        { foreign_keys: number },
      ];
      expect(foreign_keys).toBe(1);
    } finally {
      await background.close();
    }
  });

  it("closes after the transaction in progress ends", async () => {
    const closing = openSqliteDirect(url);
    let committed = false;
    const running = closing.sql.$transaction(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await addUser(tx, "before_close");
      committed = true;
    });
    await closing.close();
    expect(committed).toBe(true);
    await running;
    expect(await count(direct, "before_close")).toBe(1);
  });
});
