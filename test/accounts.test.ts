import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { token expiresAt user { id handle name } }
      ... on ValidationError { message field }
      ... on HandleTakenError { message handle }
    }
  }
`);

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload { token user { handle } }
      ... on InvalidCredentialsError { message }
    }
  }
`);

const LogOut = graphql(`
  mutation LogOut {
    logOut {
      __typename
      ... on LogOutPayload { loggedOut }
      ... on UnauthenticatedError { message }
    }
  }
`);

const Viewer = graphql(`
  query Viewer {
    viewer { handle name scoreVisibility }
  }
`);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function signUp(handle: string, password = "correct horse battery", name = "Some One") {
  const { data, errors } = await t.execute(SignUp, { input: { handle, name, password } });
  expect(errors).toBeUndefined();
  return data?.signUp;
}

async function memberCount() {
  return t.app.database.prisma.user.count();
}

describe("sign up, log in, viewer", () => {
  it("signs up, then the token identifies the viewer over HTTP", async () => {
    const result = await signUp("ada", "lovelace-1815", "Ada Lovelace");
    expect(result?.__typename).toBe("AuthPayload");
    if (result?.__typename !== "AuthPayload") return;
    expect(result.user.handle).toBe("ada");
    expect(result.token).toMatch(/^sway_[A-Za-z0-9_-]{43}$/);
    expect(new Date(result.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const { data } = await t.execute(Viewer, {}, { token: result.token });
    expect(data?.viewer).toEqual({ handle: "ada", name: "Ada Lovelace", scoreVisibility: "PRIVATE" });

    const anonymous = await t.execute(Viewer, {});
    expect(anonymous.data?.viewer).toBeNull();
  });

  it("logs in with the right password and the new token works", async () => {
    const { data } = await t.execute(LogIn, { input: { handle: "ada", password: "lovelace-1815" } });
    expect(data?.logIn.__typename).toBe("AuthPayload");
    if (data?.logIn.__typename !== "AuthPayload") return;
    const viewer = await t.execute(Viewer, {}, { token: data.logIn.token });
    expect(viewer.data?.viewer?.handle).toBe("ada");
  });

  it("accepts a handle in other case and with spaces, stored lower-case", async () => {
    const result = await signUp("  Grace_H ", "cobol-1959!");
    expect(result?.__typename === "AuthPayload" && result.user.handle).toBe("grace_h");
    const { data } = await t.execute(LogIn, { input: { handle: "GRACE_H", password: "cobol-1959!" } });
    expect(data?.logIn.__typename).toBe("AuthPayload");
  });

  it("refuses a wrong password and an unknown handle alike", async () => {
    for (const input of [
      { handle: "ada", password: "wrong-password" },
      { handle: "nobody_here", password: "lovelace-1815" },
    ]) {
      const { data } = await t.execute(LogIn, { input });
      expect(data?.logIn).toEqual({
        __typename: "InvalidCredentialsError",
        message: "Wrong handle or password.",
      });
    }
  });

  it("refuses a taken handle with a typed error and writes nothing", async () => {
    const before = await memberCount();
    const result = await signUp("ada", "another-password", "Impostor");
    expect(result).toMatchObject({ __typename: "HandleTakenError", handle: "ada" });
    expect(await memberCount()).toBe(before);
    const ada = await t.app.database.prisma.user.findUniqueOrThrow({ where: { handle: "ada" } });
    expect(ada.name).toBe("Ada Lovelace");
  });

  it.each(["a", "has space", "dash-ed", "émile", "x".repeat(31), ""])(
    "refuses the bad handle %j with a ValidationError and writes nothing",
    async (handle) => {
      const before = await memberCount();
      const result = await signUp(handle);
      expect(result).toMatchObject({ __typename: "ValidationError", field: "handle" });
      expect(await memberCount()).toBe(before);
    },
  );

  it("refuses a short password and an empty name", async () => {
    expect(await signUp("shorty", "1234567")).toMatchObject({
      __typename: "ValidationError",
      field: "password",
    });
    expect(await signUp("nameless", "long enough", "   ")).toMatchObject({
      __typename: "ValidationError",
      field: "name",
    });
    expect(
      await t.app.database.prisma.user.count({ where: { handle: { in: ["shorty", "nameless"] } } }),
    ).toBe(0);
  });

  it("lets exactly one of several concurrent sign-ups take a handle", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => signUp("race", "same-password")));
    const kinds = results.map((r) => r?.__typename).sort();
    expect(kinds).toEqual(["AuthPayload", ...Array(5).fill("HandleTakenError")]);
    expect(await t.app.database.prisma.user.count({ where: { handle: "race" } })).toBe(1);
  });
});

describe("tokens and passwords at rest", () => {
  it("stores only hashes of passwords and tokens", async () => {
    const result = await signUp("hashed", "plain-text-password");
    if (result?.__typename !== "AuthPayload") throw new Error("sign-up failed");
    const db = t.app.database.prisma;
    const user = await db.user.findUniqueOrThrow({ where: { handle: "hashed" }, include: { tokens: true } });
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.passwordHash).not.toContain("plain-text-password");
    expect(user.tokens).toHaveLength(1);
    expect(user.tokens[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await db.authToken.count({ where: { tokenHash: result.token } })).toBe(0);
  });

  it("answers 401 with a clear error for an unknown token", async () => {
    const response = await t.execute(Viewer, {}, { token: "sway_not-a-real-token" });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.message).toMatch(/invalid or has expired/);
    expect(response.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("answers 401 for an expired token", async () => {
    const result = await signUp("expiring", "password-123");
    if (result?.__typename !== "AuthPayload") throw new Error("sign-up failed");
    const db = t.app.database.prisma;
    const user = await db.user.findUniqueOrThrow({ where: { handle: "expiring" } });
    await db.authToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await t.execute(Viewer, {}, { token: result.token });
    expect(response.status).toBe(401);
  });

  it("logs out: the token stops working, and logging out needs a token", async () => {
    const result = await signUp("leaver", "password-123");
    if (result?.__typename !== "AuthPayload") throw new Error("sign-up failed");
    const out = await t.execute(LogOut, {}, { token: result.token });
    expect(out.data?.logOut).toEqual({ __typename: "LogOutPayload", loggedOut: true });
    expect((await t.execute(Viewer, {}, { token: result.token })).status).toBe(401);
    const anonymous = await t.execute(LogOut, {});
    expect(anonymous.data?.logOut.__typename).toBe("UnauthenticatedError");
  });
});
