// Database round trips do not grow with list lengths: the same nested profile query over 5 and
// over 50 members makes the same number of Prisma operations (plugin-prisma folds relations into
// the parent query; DataLoader batches influence lists and the members they name).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/index.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { type Members, makeVisible, scored, signUpMembers } from "./support/members.js";

const Follow = graphql(`
  mutation FollowForRoundTrips($handle: String!) { follow(handle: $handle) { __typename } }
`);
const Endorse = graphql(`
  mutation EndorseForRoundTrips($handle: String!, $topic: String!) {
    endorse(handle: $handle, topic: $topic, note: "Good") { __typename }
  }
`);

const Profiles = graphql(`
  query Profiles($first: Int!) {
    users(first: $first) {
      edges {
        node {
          handle
          anonymousReach
          score {
            value
            modelVersion
            breakdown { raw network }
            topics { topic { slug } value }
            explanation { kind share member { handle } endorsement { note endorser { handle } } topic { slug } }
          }
          scoreHistory(first: 3) { edges { node { value reason causes { share member { handle } } } } }
          followers(first: 5) { edges { node { follower { handle } } } }
          following(first: 5) { edges { node { followee { handle } } } }
          endorsementsReceived(first: 5) { edges { node { endorser { handle } topic { slug } } } }
          influencers(first: 3) { share member { handle } }
          influencees(first: 3) { share member { handle } }
        }
      }
    }
  }
`);

let t: TestApp;
let m: Members;
const count = 50;
const handles = Array.from({ length: count }, (_, i) => `rt${String(i).padStart(2, "0")}`);

beforeAll(async () => {
  // The query over 50 members costs more than the default limit allows; limits are not the point here.
  t = await startTestApp({ MAX_QUERY_COST: "1000000" });
  m = await signUpMembers(t, handles);
  await t.app.database.prisma.topic.create({ data: { slug: "cycling", name: "Cycling" } });
  for (const [i, handle] of handles.entries()) {
    await makeVisible(t, handle, i % 3 === 0 ? "PRIVATE" : "PUBLIC");
    for (const step of [1, 2, 7]) {
      await t.execute(Follow, { handle: handles[(i + step) % count] as string }, { token: m.token[handle] });
    }
    if (i % 2 === 0) {
      await t.execute(
        Endorse,
        { handle: handles[(i + 3) % count] as string, topic: "cycling" },
        { token: m.token[handle] },
      );
    }
  }
  await scored(t, 60_000);
}, 180_000);
afterAll(() => t?.close());

describe("round trips", () => {
  it("are the same for a nested profile query over 5 and over 50 members", async () => {
    const run = async (first: number) => {
      t.queries.length = 0;
      const { data, errors } = await t.execute(Profiles, { first }, { token: m.token.rt01 });
      expect(errors, JSON.stringify(errors)).toBeUndefined();
      expect(data?.users.edges).toHaveLength(first);
      return t.queries.map((q) => `${q.model ?? "raw"}.${q.operation}`);
    };
    // The recorder sees every operation on the app's client, the publisher's included.
    await t.quiet();
    const small = await run(5);
    const large = await run(50);
    expect(large.length, `5: ${small.join(", ")}\n50: ${large.join(", ")}`).toBe(small.length);
    // The token, the page with every folded relation, the endorsers named in explanations, the
    // two influence lists (model, scores, follows, interactions each) and the members they name.
    expect(small.length).toBeLessThanOrEqual(12);
    // Everything is really there, so nothing was skipped to get the count down.
    const { data } = await t.execute(Profiles, { first: 50 }, { token: m.token.rt01 });
    const nodes = data?.users.edges.map((edge) => edge.node) ?? [];
    expect(nodes.filter((node) => node.score !== null).length).toBe(
      handles.filter((_, i) => i % 3 !== 0).length,
    );
    expect(nodes.every((node) => node.following.edges.length === 3)).toBe(true);
    expect(nodes.some((node) => (node.influencers?.length ?? 0) > 0)).toBe(true);
  });
});
