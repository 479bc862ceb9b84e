// deleteAccount: the member and every row that names them go; the members whose scores change are
// told why (ERASURE); afterwards no row anywhere holds their id (in a column that refers to a
// member) or their handle (in any text).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatamodel } from "../src/generated/pothos-prisma-types.js";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { type Members, makeVisible, scored, signUpMembers } from "./support/members.js";

const Follow = graphql(`
  mutation FollowForErasure($handle: String!) { follow(handle: $handle) { __typename } }
`);
const Endorse = graphql(`
  mutation EndorseForErasure($handle: String!, $topic: String!) { endorse(handle: $handle, topic: $topic) { __typename } }
`);
const Record = graphql(`
  mutation RecordForErasure($input: [InteractionInput!]!) { recordInteractions(input: $input) { __typename } }
`);
const LogIn = graphql(`
  mutation LogInForErasure($input: LogInInput!) { logIn(input: $input) { __typename } }
`);
const DeleteAccount = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password) {
      __typename
      ... on DeleteAccountPayload { erased }
      ... on Error { message }
    }
  }
`);
const Viewer = graphql(`
  query ViewerForErasure { viewer { handle } }
`);

// The erased member's handle has an underscore, which no stored hash can hold (passwords are
// standard base64, tokens hex), so finding it anywhere after erasure can only mean a leftover.
const zed = "zed_erased";

let t: TestApp;
let m: Members;
const db = () => t.app.database.prisma;

/** Every (table, column) that refers to a member, from the data model. */
function memberColumns(): [string, string][] {
  const columns: [string, string][] = [["User", "id"]];
  for (const [model, { fields }] of Object.entries(getDatamodel().datamodel.models)) {
    for (const field of fields) {
      if (field.kind === "object" && field.type === "User") {
        for (const column of field.relationFromFields ?? []) columns.push([model, column]);
      }
    }
  }
  return columns;
}

async function tables(): Promise<string[]> {
  const rows =
    t.database.provider === "postgresql"
      ? await db().$queryRaw<
          { name: string }[]
        >`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`
      : await db().$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'table'`;
  return rows
    .map((row) => row.name)
    .filter((name) => !name.startsWith("sqlite_") && name !== "schema_migrations");
}

beforeAll(async () => {
  t = await startTestApp();
  m = await signUpMembers(t, [zed, "amy", "ben", "cal"]);
  await db().topic.create({ data: { slug: "cycling", name: "Cycling" } });
  for (const handle of ["amy", "ben", "cal"]) await makeVisible(t, handle, "PUBLIC");
  const as = (handle: string) => ({ token: m.token[handle] });
  for (const [who, whom] of [
    [zed, "amy"],
    ["amy", zed],
    ["ben", zed],
    ["cal", "ben"],
    [zed, "ben"],
  ] as const) {
    await t.execute(Follow, { handle: whom }, as(who));
  }
  await t.execute(Endorse, { handle: "amy", topic: "cycling" }, as(zed));
  await t.execute(Endorse, { handle: zed, topic: "cycling" }, as("ben"));
  await t.execute(Endorse, { handle: "ben", topic: "cycling" }, as("cal"));
  await t.execute(
    Record,
    {
      input: [
        { key: `${zed}-likes-cal`, kind: "LIKE", actor: zed, target: "cal" },
        { key: `${zed}-out`, kind: "SHARE", actor: zed },
      ],
    },
    as(zed),
  );
  await t.execute(
    Record,
    { input: [{ key: `cal-replies-${zed}`, kind: "REPLY", actor: "cal", target: zed }] },
    as("cal"),
  );
  await t.execute(LogIn, { input: { handle: zed, password: `password-${zed}` } });
  await scored(t);
}, 60_000);
afterAll(() => t?.close());

describe("deleteAccount", () => {
  it("needs the member's password", async () => {
    const anonymous = await t.execute(DeleteAccount, { password: `password-${zed}` });
    expect(anonymous.data?.deleteAccount.__typename).toBe("UnauthenticatedError");
    const wrong = await t.execute(DeleteAccount, { password: "not-it" }, { token: m.token[zed] });
    expect(wrong.data?.deleteAccount.__typename).toBe("InvalidCredentialsError");
    expect(await db().user.count({ where: { handle: zed } })).toBe(1);
  });

  it("erases the member and everything that names them, and the others' history says ERASURE", async () => {
    const id = m.id[zed] as number;
    // Before: zed is named in rows of many tables, including other members' explanations.
    expect(await db().scoreContribution.count({ where: { contributorId: id } })).toBeGreaterThan(0);
    const amyBefore = await db().score.findUniqueOrThrow({ where: { userId: m.id.amy } });

    const { data } = await t.execute(DeleteAccount, { password: `password-${zed}` }, { token: m.token[zed] });
    expect(data?.deleteAccount).toEqual({ __typename: "DeleteAccountPayload", erased: true });
    // Every session ended with the account.
    const after = await t.execute(Viewer, {}, { token: m.token[zed] });
    expect(after.status).toBe(401);

    await scored(t);
    const amyAfter = await db().score.findUniqueOrThrow({ where: { userId: m.id.amy } });
    expect(Math.abs(amyAfter.value - amyBefore.value)).toBeGreaterThan(0.5);
    const erasure = await db().scoreHistory.findFirst({
      where: { userId: m.id.amy },
      orderBy: { id: "desc" },
    });
    expect(erasure?.reason).toBe("ERASURE");
    // Every explanation and history entry left still sums to 1.
    for (const userId of [m.id.amy, m.id.ben, m.id.cal] as number[]) {
      const shares = await db().scoreContribution.findMany({ where: { userId } });
      expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 9);
    }

    const columns = memberColumns();
    expect(columns.length).toBeGreaterThan(10);
    for (const table of await tables()) {
      const rows = await db().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}"`);
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const refersToMember = columns.some(([model, name]) => model === table && name === column);
          if (refersToMember) expect(Number(value), `${table}.${column}`).not.toBe(id);
          if (typeof value === "string") expect(value.toLowerCase(), `${table}.${column}`).not.toContain(zed);
        }
      }
    }
    // The outsider side of zed's interaction went too; the others' interactions with members stay.
    expect(await db().interaction.count()).toBe(0);
  });
});
