import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";

const SignUp = graphql(`
  mutation SignUpMember($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { token user { id } }
    }
  }
`);

const Users = graphql(`
  query Users($first: Int, $after: String) {
    users(first: $first, after: $after) {
      edges { cursor node { id handle name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const UserByHandle = graphql(`
  query UserByHandle($handle: String!) {
    user(handle: $handle) {
      __typename
      ... on User { id handle name bio scoreVisibility }
      ... on NotFoundError { message resource }
      ... on ValidationError { field }
    }
  }
`);

const Node = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on User { handle }
      ... on Topic { slug name }
    }
  }
`);

const Topics = graphql(`
  query Topics {
    topics { id slug name }
  }
`);

const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on User { handle name bio scoreVisibility }
      ... on ValidationError { field message }
      ... on UnauthenticatedError { message }
    }
  }
`);

let t: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const handles = ["m01", "m02", "m03", "m04", "m05", "m06", "m07"];

beforeAll(async () => {
  t = await startTestApp();
  for (const handle of handles) {
    const { data } = await t.execute(SignUp, {
      input: { handle, name: `Member ${handle}`, password: "password-123" },
    });
    if (data?.signUp.__typename !== "AuthPayload") throw new Error(`sign-up of ${handle} failed`);
    tokens[handle] = data.signUp.token;
    ids[handle] = data.signUp.user.id;
  }
  await t.app.database.prisma.topic.createMany({
    data: [
      { slug: "cycling", name: "Cycling" },
      { slug: "food", name: "Food" },
    ],
  });
});
afterAll(() => t?.close());

describe("users", () => {
  it("pages through every member with Relay cursors", async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { data, errors } = await t.execute(Users, { first: 3, after });
      expect(errors).toBeUndefined();
      const page = data?.users;
      if (!page) throw new Error("no page");
      seen.push(...page.edges.map((edge) => edge.node.handle));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(handles);
  });

  it("makes the same number of database round-trips for a page of 2 and of 7", async () => {
    await t.quiet();
    await t.execute(Users, { first: 2 });
    const small = t.queries.length;
    t.queries.length = 0;
    await t.execute(Users, { first: 7 });
    expect(t.queries.length).toBe(small);
    expect(small).toBe(1);
  });

  it("refuses a malformed cursor with a clear error", async () => {
    const { errors } = await t.execute(Users, { first: 2, after: "not-a-cursor" });
    expect(errors?.[0]?.message).toMatch(/cursor/i);
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("finds a member by handle, and types the misses", async () => {
    const found = await t.execute(UserByHandle, { handle: "m03" });
    expect(found.data?.user).toMatchObject({ __typename: "User", handle: "m03", name: "Member m03" });
    const missing = await t.execute(UserByHandle, { handle: "nobody" });
    expect(missing.data?.user).toEqual({
      __typename: "NotFoundError",
      message: "Member not found.",
      resource: "Member",
    });
    const bad = await t.execute(UserByHandle, { handle: "Not A Handle!" });
    expect(bad.data?.user).toEqual({ __typename: "ValidationError", field: "handle" });
  });

  it("resolves global ids of members and topics through node(id:)", async () => {
    const member = await t.execute(Node, { id: ids.m02 as string });
    expect(member.data?.node).toMatchObject({ __typename: "User", handle: "m02", id: ids.m02 });

    const { data } = await t.execute(Topics, {});
    expect(data?.topics.map((topic) => topic.slug)).toEqual(["cycling", "food"]);
    const topicId = data?.topics[0]?.id as string;
    const topic = await t.execute(Node, { id: topicId });
    expect(topic.data?.node).toMatchObject({ __typename: "Topic", slug: "cycling", name: "Cycling" });

    const unknown = await t.execute(Node, { id: Buffer.from("User:999999").toString("base64") });
    expect(unknown.data?.node).toBeNull();
  });
});

describe("updateProfile", () => {
  it("needs a logged-in member", async () => {
    const { data } = await t.execute(UpdateProfile, { input: { name: "Nobody" } });
    expect(data?.updateProfile.__typename).toBe("UnauthenticatedError");
  });

  it("changes only the given fields", async () => {
    const { data } = await t.execute(
      UpdateProfile,
      { input: { bio: "  Rides bikes, cooks food.  ", scoreVisibility: "PUBLIC" } },
      { token: tokens.m04 },
    );
    expect(data?.updateProfile).toEqual({
      __typename: "User",
      handle: "m04",
      name: "Member m04",
      bio: "Rides bikes, cooks food.",
      scoreVisibility: "PUBLIC",
    });
  });

  it("refuses a bad value with a typed error and changes nothing", async () => {
    const { data } = await t.execute(
      UpdateProfile,
      { input: { name: "A new name", bio: "x".repeat(501) } },
      { token: tokens.m05 },
    );
    expect(data?.updateProfile).toMatchObject({ __typename: "ValidationError", field: "bio" });
    const m05 = await t.app.database.prisma.user.findUniqueOrThrow({ where: { handle: "m05" } });
    expect(m05.name).toBe("Member m05");
  });

  it("shows a member's visibility setting to that member alone", async () => {
    const own = await t.execute(UserByHandle, { handle: "m04" }, { token: tokens.m04 });
    expect(own.data?.user).toMatchObject({ scoreVisibility: "PUBLIC" });
    const other = await t.execute(UserByHandle, { handle: "m04" }, { token: tokens.m01 });
    expect(other.data?.user).toMatchObject({ handle: "m04", scoreVisibility: null });
    const anonymous = await t.execute(UserByHandle, { handle: "m04" });
    expect(anonymous.data?.user).toMatchObject({ handle: "m04", scoreVisibility: null });
  });
});
