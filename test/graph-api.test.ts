// The influence graph through the API: follows, interaction ingestion and endorsements, with
// their rules and typed errors, on the configured database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { type Members, signUpMembers } from "./support/members.js";

const Follow = graphql(`
  mutation Follow($handle: String!) {
    follow(handle: $handle) {
      __typename
      ... on FollowPayload { changed follower { handle } followee { handle } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const Unfollow = graphql(`
  mutation Unfollow($handle: String!) {
    unfollow(handle: $handle) {
      __typename
      ... on FollowPayload { changed }
      ... on Error { message }
    }
  }
`);

const FollowLists = graphql(`
  query FollowLists($handle: String!, $after: String) {
    user(handle: $handle) {
      __typename
      ... on User {
        followers(first: 2, after: $after) {
          edges { node { follower { handle } } }
          pageInfo { hasNextPage endCursor }
        }
        following(first: 10) { edges { node { followee { handle } } } }
      }
    }
  }
`);

const Record = graphql(`
  mutation Record($input: [InteractionInput!]!) {
    recordInteractions(input: $input) {
      __typename
      ... on RecordInteractionsPayload { recorded duplicateKeys anonymous }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const Endorse = graphql(`
  mutation Endorse($handle: String!, $topic: String!, $note: String) {
    endorse(handle: $handle, topic: $topic, note: $note) {
      __typename
      ... on Endorsement { id note endorser { handle } endorsee { handle } topic { slug } }
      ... on RateLimitedError { retryAfter }
      ... on Error { message }
      ... on ValidationError { field }
      ... on NotFoundError { resource }
    }
  }
`);

const Revoke = graphql(`
  mutation Revoke($id: ID!) {
    revokeEndorsement(id: $id) {
      __typename
      ... on Endorsement { id revokedAt }
      ... on Error { message }
    }
  }
`);

const Endorsements = graphql(`
  query Endorsements($handle: String!) {
    user(handle: $handle) {
      __typename
      ... on User {
        endorsementsReceived(first: 20) { edges { node { endorser { handle } topic { slug } note } } }
        endorsementsGiven(first: 20) { edges { node { endorsee { handle } } } }
      }
    }
  }
`);

let t: TestApp;
let m: Members;
const db = () => t.app.database.prisma;
const events = (kind: "FOLLOW" | "UNFOLLOW" | "INTERACTION" | "ENDORSE" | "REVOKE_ENDORSEMENT") =>
  db().graphEvent.count({ where: { kind } });

beforeAll(async () => {
  t = await startTestApp();
  m = await signUpMembers(t, ["ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"]);
  await db().topic.createMany({
    data: [
      { slug: "cycling", name: "Cycling" },
      { slug: "food", name: "Food" },
    ],
  });
  await db().user.update({ where: { handle: "hal" }, data: { role: "ADMIN" } });
});
afterAll(() => t?.close());

describe("follow and unfollow", () => {
  it("follows, lists both ways, pages, and writes one event per change", async () => {
    for (const who of ["bob", "cat", "dan"]) {
      const { data } = await t.execute(Follow, { handle: "ann" }, { token: m.token[who] });
      expect(data?.follow).toEqual({
        __typename: "FollowPayload",
        changed: true,
        follower: { handle: who },
        followee: { handle: "ann" },
      });
    }
    const again = await t.execute(Follow, { handle: "ANN " }, { token: m.token.bob });
    expect(again.data?.follow).toMatchObject({ __typename: "FollowPayload", changed: false });
    expect(await events("FOLLOW")).toBe(3);

    const first = await t.execute(FollowLists, { handle: "ann" });
    const page1 = first.data?.user.__typename === "User" ? first.data.user : undefined;
    expect(page1?.followers.edges).toHaveLength(2);
    expect(page1?.followers.pageInfo.hasNextPage).toBe(true);
    const second = await t.execute(FollowLists, {
      handle: "ann",
      after: page1?.followers.pageInfo.endCursor,
    });
    const page2 = second.data?.user.__typename === "User" ? second.data.user : undefined;
    const followers = [...(page1?.followers.edges ?? []), ...(page2?.followers.edges ?? [])].map(
      (edge) => edge.node.follower.handle,
    );
    expect(followers.sort()).toEqual(["bob", "cat", "dan"]);

    const bob = await t.execute(FollowLists, { handle: "bob" });
    expect(bob.data?.user.__typename === "User" && bob.data.user.following.edges).toEqual([
      { node: { followee: { handle: "ann" } } },
    ]);

    const gone = await t.execute(Unfollow, { handle: "ann" }, { token: m.token.dan });
    expect(gone.data?.unfollow).toEqual({ __typename: "FollowPayload", changed: true });
    const notFollowing = await t.execute(Unfollow, { handle: "ann" }, { token: m.token.dan });
    expect(notFollowing.data?.unfollow).toEqual({ __typename: "FollowPayload", changed: false });
    expect(await events("UNFOLLOW")).toBe(1);
    expect(await db().follow.count({ where: { followeeId: m.id.ann } })).toBe(2);
  });

  it("writes exactly one event, naming the pair, per change made concurrently; none for a refusal", async () => {
    const before = await db().graphEvent.findFirst({ orderBy: { id: "desc" } });
    const after = { id: { gt: before?.id ?? 0 } };
    const pairs = ["eve", "fay", "gus"].flatMap((who) => ["dan", "cat"].map((whom) => [who, whom] as const));
    // Each pair twice at once: one of the two changes something.
    const follows = await Promise.all(
      [...pairs, ...pairs].map(([who, whom]) => t.execute(Follow, { handle: whom }, { token: m.token[who] })),
    );
    expect(
      follows.filter((r) => r.data?.follow.__typename === "FollowPayload" && r.data.follow.changed),
    ).toHaveLength(pairs.length);
    const unfollows = await Promise.all(
      pairs.map(([who, whom]) => t.execute(Unfollow, { handle: whom }, { token: m.token[who] })),
    );
    expect(
      unfollows.every((r) => r.data?.unfollow.__typename === "FollowPayload" && r.data.unfollow.changed),
    ).toBe(true);
    const refusals = [
      (await t.execute(Unfollow, { handle: "nobody" }, { token: m.token.eve })).data?.unfollow.__typename,
      (await t.execute(Unfollow, { handle: "eve" }, { token: m.token.eve })).data?.unfollow.__typename,
      (await t.execute(Follow, { handle: "eve" }, { token: m.token.eve })).data?.follow.__typename,
    ];
    expect(refusals).toEqual(["NotFoundError", "ValidationError", "ValidationError"]);
    const written = await db().graphEvent.findMany({ where: after, orderBy: { id: "asc" } });
    const name = (id: number | null) => Object.entries(m.id).find(([, v]) => v === id)?.[0];
    const described = (kind: string) =>
      written
        .filter((e) => e.kind === kind)
        .map((e) => `${name(e.actorId)}>${name(e.subjectId)}`)
        .sort();
    const expected = pairs.map(([who, whom]) => `${who}>${whom}`).sort();
    expect(described("FOLLOW")).toEqual(expected);
    expect(described("UNFOLLOW")).toEqual(expected);
    expect(written).toHaveLength(2 * pairs.length);
    expect(
      await db().follow.count({ where: { followerId: { in: [m.id.eve, m.id.fay, m.id.gus] as number[] } } }),
    ).toBe(0);
  });

  it("types every refusal", async () => {
    expect((await t.execute(Follow, { handle: "ann" })).data?.follow.__typename).toBe("UnauthenticatedError");
    const unknown = await t.execute(Follow, { handle: "nobody" }, { token: m.token.bob });
    expect(unknown.data?.follow).toMatchObject({ __typename: "NotFoundError" });
    const self = await t.execute(Follow, { handle: "bob" }, { token: m.token.bob });
    expect(self.data?.follow).toMatchObject({ __typename: "ValidationError", field: "handle" });
    const bad = await t.execute(Follow, { handle: "Not a handle!" }, { token: m.token.bob });
    expect(bad.data?.follow).toMatchObject({ __typename: "ValidationError", field: "handle" });
  });
});

describe("recordInteractions", () => {
  const at = "2026-11-20T10:00:00.000Z";

  it("records a batch once: repeated keys are reported, not counted", async () => {
    const input = [
      { key: "k-1", kind: "LIKE" as const, actor: "eve", target: "ann", occurredAt: at },
      { key: "k-2", kind: "REPLY" as const, actor: "eve", target: "bob", occurredAt: at },
      { key: "k-1", kind: "LIKE" as const, actor: "eve", target: "ann", occurredAt: at },
    ];
    const first = await t.execute(Record, { input }, { token: m.token.eve });
    expect(first.data?.recordInteractions).toEqual({
      __typename: "RecordInteractionsPayload",
      recorded: 2,
      duplicateKeys: ["k-1"],
      anonymous: 0,
    });
    const second = await t.execute(Record, { input: input.slice(0, 2) }, { token: m.token.eve });
    expect(second.data?.recordInteractions).toMatchObject({ recorded: 0, duplicateKeys: ["k-1", "k-2"] });
    expect(await db().interaction.count()).toBe(2);
    expect(await events("INTERACTION")).toBe(2);
  });

  it("counts an outsider only in the member's anonymous reach and names nobody", async () => {
    const { data, errors } = await t.execute(
      Record,
      {
        input: [
          { key: "out-1", kind: "SHARE", target: "fay" },
          { key: "out-2", kind: "MENTION", target: "fay" },
          { key: "out-3", kind: "LIKE", actor: "fay" },
        ],
      },
      { token: m.token.hal },
    );
    expect(data?.recordInteractions, JSON.stringify(errors)).toMatchObject({ recorded: 3, anonymous: 3 });
    expect((await db().user.findUniqueOrThrow({ where: { handle: "fay" } })).anonymousReach).toBe(3);
    const rows = await db().interaction.findMany({ where: { key: { startsWith: "out-" } } });
    expect(rows.every((row) => (row.actorId === null) !== (row.targetId === null))).toBe(true);
    // No graph change: no events for them.
    expect(await events("INTERACTION")).toBe(2);
  });

  it("is all or nothing: one bad row and nothing is stored", async () => {
    const before = await db().interaction.count();
    const cases = [
      {
        input: [
          { key: "ok-1", kind: "LIKE" as const, actor: "eve", target: "ann" },
          { key: "bad", kind: "LIKE" as const, actor: "eve", target: "nobody" },
        ],
        type: "NotFoundError",
      },
      {
        input: [{ key: "ok-2", kind: "LIKE" as const, actor: "eve", target: "eve" }],
        type: "ValidationError",
      },
      { input: [{ key: "ok-3", kind: "LIKE" as const }], type: "ValidationError" },
      {
        input: [{ key: "has space", kind: "LIKE" as const, actor: "eve", target: "ann" }],
        type: "ValidationError",
      },
      {
        input: [
          {
            key: "future",
            kind: "LIKE" as const,
            actor: "eve",
            target: "ann",
            occurredAt: "2999-01-01T00:00:00Z",
          },
        ],
        type: "ValidationError",
      },
      {
        input: [{ key: "theirs", kind: "LIKE" as const, actor: "ann", target: "bob" }],
        type: "ForbiddenError",
      },
      { input: [], type: "ValidationError" },
    ];
    for (const { input, type } of cases) {
      const { data } = await t.execute(Record, { input }, { token: m.token.eve });
      expect(data?.recordInteractions.__typename, JSON.stringify(input)).toBe(type);
    }
    const unauthenticated = await t.execute(Record, { input: cases[0]?.input ?? [] });
    expect(unauthenticated.data?.recordInteractions.__typename).toBe("UnauthenticatedError");
    expect(await db().interaction.count()).toBe(before);
  });

  it("takes 1,000 in one call and refuses 1,001", async () => {
    const batch = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({
        key: `${prefix}-${i}`,
        kind: "LIKE" as const,
        actor: "gus",
        target: ["ann", "bob", "cat"][i % 3] as string,
        occurredAt: at,
      }));
    const over = await t.execute(Record, { input: batch(1001, "over") }, { token: m.token.gus });
    expect(over.data?.recordInteractions).toMatchObject({ __typename: "ValidationError", field: "input" });
    const full = await t.execute(Record, { input: batch(1000, "full") }, { token: m.token.gus });
    expect(full.data?.recordInteractions).toMatchObject({ recorded: 1000, duplicateKeys: [] });
    expect(await db().interaction.count({ where: { actorId: m.id.gus } })).toBe(1000);
  });
});

describe("endorse and revokeEndorsement", () => {
  it("endorses, lists, and types every refusal", async () => {
    const ok = await t.execute(
      Endorse,
      { handle: "ann", topic: "cycling", note: "Fast." },
      { token: m.token.bob },
    );
    expect(ok.data?.endorse).toMatchObject({
      __typename: "Endorsement",
      note: "Fast.",
      endorser: { handle: "bob" },
      endorsee: { handle: "ann" },
      topic: { slug: "cycling" },
    });
    const listed = await t.execute(Endorsements, { handle: "ann" });
    expect(listed.data?.user.__typename === "User" && listed.data.user.endorsementsReceived.edges).toEqual([
      { node: { endorser: { handle: "bob" }, topic: { slug: "cycling" }, note: "Fast." } },
    ]);

    const refusals: [
      Parameters<typeof t.execute<unknown, { handle: string; topic: string; note?: string }>>[1],
      string,
      string | undefined,
    ][] = [
      [{ handle: "bob", topic: "cycling" }, "ValidationError", "handle"],
      [{ handle: "ann", topic: "knitting" }, "NotFoundError", undefined],
      [{ handle: "nobody", topic: "cycling" }, "NotFoundError", undefined],
      [{ handle: "cat", topic: "cycling", note: "x".repeat(281) }, "ValidationError", "note"],
    ];
    for (const [variables, type, field] of refusals) {
      const { data } = await t.execute(Endorse, variables as never, { token: m.token.bob });
      expect(data?.endorse, JSON.stringify(variables)).toMatchObject({
        __typename: type,
        ...(field && { field }),
      });
    }
    const anonymous = await t.execute(Endorse, { handle: "ann", topic: "food" });
    expect(anonymous.data?.endorse.__typename).toBe("UnauthenticatedError");

    // The same pair and topic again within 7 days.
    const twice = await t.execute(Endorse, { handle: "ann", topic: "cycling" }, { token: m.token.bob });
    expect(twice.data?.endorse).toMatchObject({ __typename: "RateLimitedError" });
    const retryAfter =
      twice.data?.endorse.__typename === "RateLimitedError" ? twice.data.endorse.retryAfter : 0;
    expect(retryAfter).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(retryAfter).toBeLessThanOrEqual(7 * 24 * 3600);
  });

  it("lets only the giver revoke, once, and the revoked one still counts against the limits", async () => {
    const given = await t.execute(Endorse, { handle: "bob", topic: "food" }, { token: m.token.cat });
    const id = given.data?.endorse.__typename === "Endorsement" ? given.data.endorse.id : "";
    const notTheirs = await t.execute(Revoke, { id }, { token: m.token.bob });
    expect(notTheirs.data?.revokeEndorsement.__typename).toBe("ForbiddenError");
    const revoked = await t.execute(Revoke, { id }, { token: m.token.cat });
    expect(revoked.data?.revokeEndorsement).toMatchObject({ __typename: "Endorsement", id });
    const again = await t.execute(Revoke, { id }, { token: m.token.cat });
    expect(again.data?.revokeEndorsement).toMatchObject({ __typename: "Endorsement", id });
    expect(await events("REVOKE_ENDORSEMENT")).toBe(1);
    const bad = await t.execute(Revoke, { id: "nonsense" }, { token: m.token.cat });
    expect(bad.data?.revokeEndorsement.__typename).toBe("ValidationError");
    const missing = await t.execute(
      Revoke,
      { id: Buffer.from("Endorsement:99999").toString("base64") },
      { token: m.token.cat },
    );
    expect(missing.data?.revokeEndorsement.__typename).toBe("NotFoundError");
    const userId = await t.execute(Revoke, { id: m.gid.ann as string }, { token: m.token.cat });
    expect(userId.data?.revokeEndorsement.__typename).toBe("ValidationError");

    const listed = await t.execute(Endorsements, { handle: "cat" });
    expect(listed.data?.user.__typename === "User" && listed.data.user.endorsementsGiven.edges).toEqual([]);
    const sameAgain = await t.execute(Endorse, { handle: "bob", topic: "food" }, { token: m.token.cat });
    expect(sameAgain.data?.endorse.__typename).toBe("RateLimitedError");
  });

  it("allows exactly 5 of 50 concurrent endorsements from one member", async () => {
    const receivers = ["ann", "bob", "cat", "dan", "fay", "gus", "hal"];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.execute(
          Endorse,
          { handle: receivers[i % receivers.length] as string, topic: i % 2 === 0 ? "cycling" : "food" },
          { token: m.token.eve },
        ),
      ),
    );
    const types = results.map((r) => r.data?.endorse.__typename ?? r.errors?.[0]?.message);
    expect(types.filter((type) => type === "Endorsement")).toHaveLength(5);
    expect(types.filter((type) => type !== "Endorsement" && type !== "RateLimitedError")).toEqual([]);
    expect(await db().endorsement.count({ where: { endorserId: m.id.eve } })).toBe(5);
    const limited = results.find((r) => r.data?.endorse.__typename === "RateLimitedError");
    const retryAfter =
      limited?.data?.endorse.__typename === "RateLimitedError" ? limited.data.endorse.retryAfter : 0;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
  });
});
