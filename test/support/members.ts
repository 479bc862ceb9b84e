// Members for API tests: signed up through the API, as a client would.
import { graphql } from "../generated/index.js";
import { checkpoint, lastEventId, until } from "../scorer/fixtures.js";
import type { TestApp } from "./app.js";

const SignUp = graphql(`
  mutation SignUpForTest($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { token user { id } }
    }
  }
`);

export interface Members {
  token: Record<string, string>;
  /** Global (Relay) ids. */
  gid: Record<string, string>;
  /** Database ids. */
  id: Record<string, number>;
}

export async function signUpMembers(t: TestApp, handles: string[]): Promise<Members> {
  const members: Members = { token: {}, gid: {}, id: {} };
  for (const handle of handles) {
    const { data } = await t.execute(SignUp, {
      input: { handle, name: `Member ${handle}`, password: `password-${handle}` },
    });
    if (data?.signUp.__typename !== "AuthPayload") throw new Error(`sign-up of ${handle} failed`);
    members.token[handle] = data.signUp.token;
    members.gid[handle] = data.signUp.user.id;
    members.id[handle] = (await t.app.database.prisma.user.findUniqueOrThrow({ where: { handle } })).id;
  }
  return members;
}

/** Waits until the scorer has applied every graph event written so far. */
export async function scored(t: TestApp, timeoutMs = 20_000): Promise<void> {
  const db = t.app.database.prisma;
  const target = await lastEventId(db);
  await until(async () => (await checkpoint(db)) >= target, timeoutMs);
}

export async function makeVisible(
  t: TestApp,
  handle: string,
  scoreVisibility: "PUBLIC" | "MEMBERS" | "PRIVATE",
) {
  await t.app.database.prisma.user.update({ where: { handle }, data: { scoreVisibility } });
}
