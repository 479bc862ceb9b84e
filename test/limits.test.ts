import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { graphql } from "./generated/index.js";
import { type GraphQLResponse, startTestApp, type TestApp } from "./support/app.js";

const SignUp = graphql(`
  mutation LimitsSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
    }
  }
`);

const UsersPage = graphql(`
  query LimitsUsersPage($first: Int, $last: Int) {
    users(first: $first, last: $last) {
      edges { node { handle } }
    }
  }
`);

const UsersPageOf101 = graphql(`
  query LimitsUsersPageOf101 {
    users(first: 101) {
      edges { node { handle } }
    }
  }
`);

const UsersPageInFragment = graphql(`
  query LimitsUsersPageInFragment {
    ...LimitsUsersOf101
  }
  fragment LimitsUsersOf101 on Query {
    users(first: 101) { edges { node { handle } } }
  }
`);

const Profile = graphql(`
  query LimitsProfile($handle: String!) {
    user(handle: $handle) {
      __typename
      ... on User { handle name bio createdAt }
    }
    users(first: 100) {
      edges { cursor node { id handle name } }
      pageInfo { hasNextPage endCursor }
    }
    topics { slug name }
  }
`);

const defaults = loadConfig({}).limits;
let t: TestApp;

/** Sends a raw body, for documents and requests no client would write by hand. */
async function post(body: unknown): Promise<GraphQLResponse<Record<string, unknown>> & { status: number }> {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...(await response.json()) };
}

/** `__type(name: "User") { fields { type { ofType { … { name } } } } }`, `depth` fields deep. */
function nestedTypeQuery(depth: number): string {
  let selection = "name";
  for (let level = depth - 1; level > 3; level--) selection = `ofType { ${selection} }`;
  return `{ __type(name: "User") { fields { type { ${selection} } } } }`;
}

/**
 * A valid document of exactly `tokens` tokens: `__typename`s shared among aliased `topics`, so
 * graphql-js' check of overlapping fields (quadratic in same-named fields) stays within its budget.
 */
function documentOfTokens(tokens: number): string {
  const groups = defaults.maxAliases; // `tN: topics { … }` is 5 tokens each, `{ }` 2 in all
  const typenames = tokens - 2 - 5 * groups;
  const group = (i: number) =>
    `t${i}: topics { ${"__typename ".repeat(Math.floor(typenames / groups) + (i < typenames % groups ? 1 : 0))}}`;
  return `{ ${Array.from({ length: groups }, (_, i) => group(i)).join(" ")} }`;
}

/**
 * The same page of members `count` times. Repeating one field needs no alias, and the response
 * merges the copies, but each is fetched and costed: that is what the cost limit is for.
 */
function repeatedPages(count: number, args: string, variables = ""): string {
  const page = `fragment Page on UserConnection {
    edges { cursor node { id handle name bio createdAt } } pageInfo { hasNextPage endCursor } }`;
  return `query ${variables} { ${`users${args} { ...Page } `.repeat(count)}} ${page}`;
}

function refusal(response: GraphQLResponse<unknown> & { status: number }) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  return {
    status: response.status,
    message: response.errors?.[0]?.message,
    code: response.errors?.[0]?.extensions?.code,
  };
}

beforeAll(async () => {
  t = await startTestApp();
  for (const handle of ["ada", "grace"]) {
    await t.execute(SignUp, { input: { handle, name: handle, password: "password-123" } });
  }
});
afterAll(() => t?.close());

describe("limits", () => {
  it("lets a realistic query and GraphiQL's introspection query through", async () => {
    const profile = await t.execute(Profile, { handle: "ada" });
    expect(profile.errors).toBeUndefined();
    expect(profile.data?.users.edges.map((edge) => edge.node.handle)).toEqual(["ada", "grace"]);

    const introspection = await post({
      query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true }),
    });
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data?.__schema).toBeTruthy();
  });

  it("leaves self-nesting introspection to graphql-js' own introspection depth rule", async () => {
    const response = await post({
      query: "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
    });
    expect(refusal(response)).toEqual({
      status: 400,
      message: "Maximum introspection depth exceeded",
      code: "GRAPHQL_VALIDATION_FAILED",
    });
  });

  it("refuses a document of too many tokens while parsing it", async () => {
    const fine = await post({ query: documentOfTokens(defaults.maxTokens) });
    expect(fine.errors).toBeUndefined();

    const response = await post({ query: documentOfTokens(defaults.maxTokens + 1) });
    expect(refusal(response)).toEqual({
      status: 400,
      message: `Token limit of ${defaults.maxTokens} exceeded.`,
      code: "TOO_MANY_TOKENS",
    });
  });

  it("refuses an operation nested too deep", async () => {
    const fine = await post({ query: nestedTypeQuery(defaults.maxDepth) });
    expect(fine.errors).toBeUndefined();

    const response = await post({ query: nestedTypeQuery(defaults.maxDepth + 1) });
    expect(refusal(response)).toEqual({
      status: 400,
      message: `Query depth limit of ${defaults.maxDepth} exceeded, found ${defaults.maxDepth + 1}.`,
      code: "QUERY_TOO_DEEP",
    });
  });

  it("counts depth by fields: fragments do not add a level", async () => {
    const spreads = "... on User { ".repeat(20);
    const response = await post({
      query: `{ users(first: 1) { edges { node { ${spreads} handle ${"}".repeat(20)} } } } }`,
    });
    expect(response.errors).toBeUndefined();
  });

  it("refuses too many aliases", async () => {
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `t${i}: topics { slug }`).join(" ")} }`;
    expect((await post({ query: aliases(defaults.maxAliases) })).errors).toBeUndefined();

    const response = await post({ query: aliases(defaults.maxAliases + 1) });
    expect(refusal(response)).toEqual({
      status: 400,
      message: `Aliases limit of ${defaults.maxAliases} exceeded, found ${defaults.maxAliases + 1}.`,
      code: "TOO_MANY_ALIASES",
    });
  });

  it("refuses too many directives", async () => {
    const directives = (count: number) => `{ ${"topics @include(if: true) { slug } ".repeat(count)}}`;
    expect((await post({ query: directives(defaults.maxDirectives) })).errors).toBeUndefined();

    const response = await post({ query: directives(defaults.maxDirectives + 1) });
    expect(refusal(response)).toEqual({
      status: 400,
      message: `Directives limit of ${defaults.maxDirectives} exceeded, found ${defaults.maxDirectives + 1}.`,
      code: "TOO_MANY_DIRECTIVES",
    });
  });

  it("refuses an operation that costs too much, counting page sizes given as variables", async () => {
    const pages = repeatedPages(30, "(first: $first)", "($first: Int)");
    const small = await post({ query: pages, variables: { first: 10 } });
    expect(small.errors).toBeUndefined();

    await t.quiet();
    const { status, message, code } = refusal(await post({ query: pages, variables: { first: 100 } }));
    expect({ status, code }).toEqual({ status: 400, code: "QUERY_TOO_COSTLY" });
    expect(message).toMatch(new RegExp(`^Query Cost limit of ${defaults.maxCost} exceeded, found \\d+`));
    expect(t.queries).toHaveLength(0);

    const literal = refusal(await post({ query: repeatedPages(30, "(first: 100)") }));
    expect(literal.message).toBe(message);
  });

  it("counts an omitted first as a page of 20", async () => {
    expect((await post({ query: repeatedPages(150, "(first: 1)") })).errors).toBeUndefined();
    const omitted = refusal(await post({ query: repeatedPages(150, "") }));
    expect(omitted.code).toBe("QUERY_TOO_COSTLY");
    expect(omitted.message).toBe(refusal(await post({ query: repeatedPages(150, "(first: 20)") })).message);
  });
});

describe("page sizes", () => {
  const outOfRange = (name: string, size: number) => ({
    status: 400,
    message: `"${name}" on Query.users must be from 0 to 100, got ${size}.`,
    code: "BAD_USER_INPUT",
  });

  it("allows a page of 100", async () => {
    const { data, errors } = await t.execute(UsersPage, { first: 100 });
    expect(errors).toBeUndefined();
    expect(data?.users.edges).toHaveLength(2);
  });

  it("refuses first over 100 as a literal, in a fragment or as a variable, before touching the database", async () => {
    await t.quiet();
    expect(refusal(await t.execute(UsersPageOf101, {}))).toEqual(outOfRange("first", 101));
    expect(refusal(await t.execute(UsersPageInFragment, {}))).toEqual(outOfRange("first", 101));
    expect(refusal(await t.execute(UsersPage, { first: 101 }))).toEqual(outOfRange("first", 101));
    expect(refusal(await t.execute(UsersPage, { first: 1_000_000 }))).toEqual(outOfRange("first", 1_000_000));
    expect(t.queries).toHaveLength(0);
  });

  it("refuses a negative first, and last out of range", async () => {
    expect(refusal(await t.execute(UsersPage, { first: -1 }))).toEqual(outOfRange("first", -1));
    expect(refusal(await t.execute(UsersPage, { last: 101 }))).toEqual(outOfRange("last", 101));
  });

  it("points at the argument that is out of range", async () => {
    const response = await t.execute(UsersPageOf101, {});
    expect(response.errors?.[0]).toMatchObject({ locations: [{ line: 2, column: 9 }] });
  });
});

describe("batches", () => {
  it("refuses a JSON array of operations", async () => {
    const response = await post([{ query: "{ topics { slug } }" }, { query: "{ topics { name } }" }]);
    expect(refusal(response)).toEqual({
      status: 400,
      message: "Batching is not supported.",
      code: "BAD_REQUEST",
    });
  });
});
