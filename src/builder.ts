// The one SchemaBuilder: plugins (in this order on purpose), scalars and the request context.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import type { Db } from "./db/client.js";
import type PrismaTypes from "./generated/pothos-prisma-types.js";
import { getDatamodel } from "./generated/pothos-prisma-types.js";
import type { SwayPubSub } from "./realtime/pubsub.js";
import type { Viewer } from "./services/accounts.js";
import type { Services } from "./services/index.js";
import type { Loaders } from "./services/loaders.js";

export interface Context {
  db: Db;
  services: Services;
  /** The logged-in member, or null for an anonymous request. */
  viewer: Viewer | null;
  /** The bearer token of this request, if one was sent and is valid. */
  token: string | null;
  /** This request's DataLoaders (src/services/loaders.ts). */
  loaders: Loaders;
  /** Live events (src/realtime/pubsub.ts). */
  pubsub: SwayPubSub;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { member: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date } };
}>({
  // scope-auth wraps everything; errors sits inside it so its typed results cover resolvers.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({ member: ctx.viewer !== null, admin: ctx.viewer?.role === "ADMIN" }),
  },
  errors: { directResult: true },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: 100,
    defaultConnectionSize: 20,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
  },
  relay: { clientMutationId: "omit", cursorType: "String" },
});

builder.scalarType("DateTime", {
  description: "A point in time, as an ISO 8601 string in UTC.",
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === "string" ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      throw new GraphQLError("DateTime must be an ISO 8601 string.");
    }
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
