// GraphQL over WebSocket (the graphql-ws protocol, on the `ws` server) on the same path as HTTP,
// sharing Yoga's plugin pipeline through getEnveloped: the same context (viewer from the bearer
// token), limits, masking and schema as an HTTP request.
//
// The token travels in connectionParams, as `{ "authorization": "Bearer <token>" }` (or
// `{ "token": "<token>" }`); a bad or expired one is refused at connection_init (close code 4403).
// A client that stops reading does not grow the server's memory without bound: once more than
// `maxBufferedBytes` are waiting to be sent to it, its socket is closed with code 4413.
import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { YogaServerInstance } from "graphql-yoga";
import { WebSocketServer } from "ws";
import type { Context } from "../builder.js";
import type { Logger } from "../logger.js";

/** Close code for a subscriber that stopped reading (see README, "Subscriptions"). */
export const slowConsumerCloseCode = 4413;

export interface WebSocketOptions {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  path: string;
  /** Resolves a bearer token to whether it is valid. */
  tokenIsValid(token: string): Promise<boolean>;
  maxBufferedBytes: number;
  logger: Logger;
}

type Enveloped = ReturnType<YogaServerInstance<Record<string, never>, Context>["getEnveloped"]>;
interface Root {
  execute: Enveloped["execute"];
  subscribe: Enveloped["subscribe"];
}

/** The bearer token in connectionParams, if any. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === "string") return authorization.replace(/^Bearer\s+/i, "").trim() || undefined;
  return typeof params?.token === "string" ? params.token : undefined;
}

export function attachWebSockets(server: Server, options: WebSocketOptions): { close(): Promise<void> } {
  const { yoga, logger } = options;
  const sockets = new WebSocketServer({ server, path: options.path });
  const disposable = useServer<Record<string, unknown>>(
    {
      onConnect: async ({ connectionParams }) => {
        const token = tokenOf(connectionParams);
        // Anonymous connections are allowed (public scores, leaderboards); a bad token is not.
        return token === undefined || (await options.tokenIsValid(token));
      },
      onSubscribe: async (ctx, _id, payload) => {
        const token = tokenOf(ctx.connectionParams);
        const request = new Request(`http://localhost${options.path}`, {
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        });
        const { schema, parse, validate, contextFactory, execute, subscribe } = yoga.getEnveloped({
          request,
          params: payload,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError("Could not parse the document.")];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies Root,
        };
        return args;
      },
      execute: (args) => (args.rootValue as Root).execute(args),
      subscribe: (args) => (args.rootValue as Root).subscribe(args),
      onNext: (ctx) => {
        const socket = (
          ctx.extra as { socket: { bufferedAmount: number; close(code: number, reason: string): void } }
        ).socket;
        if (socket.bufferedAmount > options.maxBufferedBytes) {
          logger.warn({ buffered: socket.bufferedAmount }, "closing a subscriber that stopped reading");
          socket.close(slowConsumerCloseCode, "Slow consumer: too much unsent data");
        }
      },
    },
    sockets,
  );
  return {
    async close() {
      // 1001: going away. Clients reconnect (to another instance, behind a load balancer).
      for (const client of sockets.clients) client.close(1001, "Server stopping");
      await disposable.dispose();
    },
  };
}
