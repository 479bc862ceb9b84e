// Warming the request path before the server listens. A fresh process compiles its code as it
// first runs it — Yoga's pipeline, the schema's resolvers, Prisma's client — so the first requests
// after a start were the slow ones: under 1,000 events/s (bench:live A), the first second's events
// reached their subscribers up to twice as late as the rest, partly because the first API writes
// held SQLite's write lock while their code was still being compiled. So before listening, the
// server runs a few read-only requests of the kinds its busy paths make: an anonymous GraphQL query
// through Yoga (the whole pipeline, as a client sends it), and the reads that the write services
// (in a transaction) and the publisher begin with. Nothing is written.
import type { YogaServerInstance } from "graphql-yoga";
import type { Context } from "./builder.js";
import type { Db } from "./db/client.js";

const query = /* GraphQL */ `
  query WarmUp {
    leaderboard(first: 10) {
      ... on Leaderboard {
        entries {
          rank
          value
          member {
            handle
          }
        }
      }
    }
    topics {
      slug
    }
  }
`;

interface WarmUpResult {
  data?: { leaderboard?: { entries?: { member: { handle: string } }[] } };
  errors?: { message: string }[];
}

/** Runs `rounds` rounds of read-only requests; returns how long they took (ms). */
export async function warmUpRequests(
  yoga: YogaServerInstance<Record<string, never>, Context>,
  db: Db,
  rounds = 20,
): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const response = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, operationName: "WarmUp" }),
    });
    const result = (await response.json()) as WarmUpResult;
    if (result.errors?.length) throw new Error(`the warm-up query failed: ${result.errors[0]?.message}`);
    // An empty community has no leaders: the reads then look for a handle nobody has.
    const handles = result.data?.leaderboard?.entries?.map((entry) => entry.member.handle) ?? [];
    if (handles.length === 0) handles.push("warm-up");
    const members = await db.$transaction((tx) =>
      tx.user.findMany({ where: { handle: { in: handles } }, select: { id: true, handle: true } }),
    );
    await db.user.findMany({
      where: { id: { in: members.length > 0 ? members.map((member) => member.id) : [0] } },
      select: { id: true, scoreVisibility: true },
    });
  }
  return performance.now() - started;
}
