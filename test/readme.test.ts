// README.md's GraphQL tour, kept true: every ```graphql block runs, in order, as one client would
// on a freshly seeded demo community (the token of the latest signUp/logIn goes with the blocks
// after it), and none may fail. A block whose first line is `# expect: SomeError` shows that
// typed error on purpose: it must come back, and nothing else may fail.
import { readFileSync } from "node:fs";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  visit,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpoint, lastEventId, until } from "./scorer/fixtures.js";
import { startTestApp, type TestApp } from "./support/app.js";

interface Block {
  /** 1-based, in README order. */
  n: number;
  text: string;
  document: DocumentNode;
  /** The error type the block shows on purpose, from its `# expect: …` first line. */
  expect: string | undefined;
  /** The operation's root fields, for test names and the coverage check. */
  fields: string[];
}

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

const blocks: Block[] = [...readme.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((match, i) => {
  const text = match[1] as string;
  const document = parse(text);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return {
    n: i + 1,
    text,
    document,
    expect: /^#\s*expect:\s*(\w+)/.exec(text)?.[1],
    fields: (operation?.selectionSet.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [s.name.value] : [],
    ),
  };
});

/**
 * The block with `__typename` asked for in every selection set, so that an error result hiding
 * behind a fragment the block does not spread (and so coming back as `{}`) is still seen.
 */
function withTypenames(
  document: DocumentNode,
): TypedDocumentNode<Record<string, unknown>, Record<string, unknown>> {
  return visit(document, {
    SelectionSet(node): SelectionSetNode | undefined {
      const asked = node.selections.some(
        (s) => s.kind === Kind.FIELD && s.name.value === "__typename" && !s.alias,
      );
      if (asked) return undefined;
      return {
        ...node,
        selections: [
          ...node.selections,
          { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } },
        ],
      };
    },
  });
}

/** Every [key, value] pair in a response, depth first, in document order. */
function* entries(value: unknown): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    for (const item of value) yield* entries(item);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      yield [key, child];
      yield* entries(child);
    }
  }
}

/** Fields that are null only when a score is hidden: the tour shows only scores the reader may see. */
const visibleScoreFields = new Set(["score", "scoreHistory", "influencers", "influencees", "anonymousReach"]);

let t: TestApp;
let token: string | undefined;
/** The latest value of each response field, by name: a block's `$id` is the last `id` returned. */
const remembered = new Map<string, unknown>();

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO_DATA: "true" });
  const db = t.app.database.prisma;
  // The scorer's first run scores the whole seeded community; then every graph event is applied.
  await until(async () => {
    const members = await db.user.count();
    return (
      members > 0 && (await db.score.count()) >= members && (await checkpoint(db)) >= (await lastEventId(db))
    );
  }, 40_000);
}, 60_000);
afterAll(() => t?.close());

describe("the README's GraphQL tour", () => {
  it("walks through sign-up, log-in, scores, the graph mutations and account deletion", () => {
    const fields = blocks.flatMap((block) => block.fields);
    for (const field of [
      "signUp",
      "viewer",
      "logIn",
      "leaderboard",
      "user",
      "follow",
      "recordInteractions",
      "endorse",
      "revokeEndorsement",
      "updateProfile",
      "deleteAccount",
    ]) {
      expect(fields, field).toContain(field);
    }
    expect(blocks.at(-1)?.fields).toEqual(["deleteAccount"]);
    expect(blocks.filter((block) => block.expect).map((block) => block.expect)).toEqual(["RateLimitedError"]);
  });

  for (const block of blocks) {
    it(`block ${block.n} (${block.fields.join(", ")}) works on the demo data`, async () => {
      const operation = block.document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      const variables: Record<string, unknown> = {};
      for (const definition of operation?.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        if (!remembered.has(name)) throw new Error(`block ${block.n}: no earlier block returned a "${name}"`);
        variables[name] = remembered.get(name);
      }

      const response = await t.execute(withTypenames(block.document), variables, { token });
      const context = `block ${block.n}:\n${block.text}\n→ ${JSON.stringify(response, null, 1)}`;
      expect(response.errors, context).toBeUndefined();
      expect(response.status, context).toBe(200);

      const typenames: string[] = [];
      for (const [key, value] of entries(response.data)) {
        if (key === "__typename") typenames.push(value as string);
        else if (visibleScoreFields.has(key)) expect(value, `${key} in ${context}`).not.toBeNull();
        if (key === "token" && typeof value === "string") token = value;
        if (value === null || typeof value !== "object") remembered.set(key, value);
      }
      const errors = typenames.filter((name) => name.endsWith("Error"));
      expect(errors, context).toEqual(block.expect ? [block.expect] : []);
    });
  }
});
