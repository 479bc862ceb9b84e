// GraphQL over WebSocket (the graphql-ws protocol, on the `ws` server) on the same path as HTTP,
// sharing Yoga's plugin pipeline through getEnveloped: the same context (viewer from the bearer
// token), limits, masking and schema as an HTTP request.
//
// The token travels in connectionParams, as `{ "authorization": "Bearer <token>" }` (or
// `{ "token": "<token>" }`); a bad or expired one is refused at connection_init (close code 4403).
//
// Slow clients. A client that stops reading does not grow the server's memory without bound:
// - What is bounded: the bytes `ws` holds for one socket that the kernel would not take yet
//   (`socket.bufferedAmount`: the socket's write queue plus ws' sender queue). After every message
//   sent, if more than `maxBufferedBytes` (WS_MAX_BUFFERED_BYTES) are waiting, the socket is
//   closed with code 4413. The close frame queues behind that data; ws destroys the socket if
//   the close handshake has not finished 30 s later, so what it held is freed by then at the latest.
// - Why sends are not awaited: graphql-ws's own `ws` adapter (graphql-ws/use/ws) resolves `send`
//   only once the data reached the kernel and awaits it before taking the next event. With a
//   client that stopped reading, that send never resolves, bufferedAmount never grows past one
//   message, and the events pile up unseen in the pub/sub instead (until Yoga's Repeater throws
//   at 1,024). So this adapter (otherwise the same as graphql-ws/use/ws: subprotocol check,
//   keep-alive pings, 1011 on internal errors) hands each message to ws and returns at once;
//   every event goes straight to the socket's buffer, which is what we bound.
// - Behind that, each subscription's pub/sub queue is bounded too (src/realtime/pubsub.ts,
//   for resolvers that fall behind); a subscription ended that way closes the socket with 4413.
import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { GraphQLError } from "graphql";
import { CloseCode, handleProtocols, makeServer } from "graphql-ws";
import type { YogaServerInstance } from "graphql-yoga";
import { type WebSocket, WebSocketServer } from "ws";
import type { Context } from "../builder.js";
import type { Logger } from "../logger.js";
import { slowConsumerCode } from "./pubsub.js";

/** Close code for a subscriber that stopped reading (see README, "Subscriptions"). */
export const slowConsumerCloseCode = 4413;

export interface WebSocketOptions {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  path: string;
  /** Resolves a bearer token to whether it is valid. */
  tokenIsValid(token: string): Promise<boolean>;
  maxBufferedBytes: number;
  logger: Logger;
  /** Ping every this many ms; a client that does not answer within as long is dropped (12 s). */
  keepAliveMs?: number;
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

/** Whether an error (as graphql-ws hands it over) ended a subscription that fell behind. */
function isSlowConsumerError(error: GraphQLError): boolean {
  const original = error.originalError as GraphQLError | undefined;
  return error.extensions?.code === slowConsumerCode || original?.extensions?.code === slowConsumerCode;
}

export function attachWebSockets(server: Server, options: WebSocketOptions): { close(): Promise<void> } {
  const { yoga, logger, maxBufferedBytes } = options;
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const sockets = new WebSocketServer({ server, path: options.path, handleProtocols });

  /** Ends a socket's subscriptions (graphql-ws' `closed`); called again on its 'close' event. */
  const endSubscriptions = new WeakMap<WebSocket, (code: number, reason: string) => Promise<void>>();
  const tooSlow = (socket: WebSocket, why: "bytes buffered" | "events queued") => {
    if (socket.readyState !== socket.OPEN) return;
    logger.warn({ buffered: socket.bufferedAmount, why }, "closing a subscriber that stopped reading");
    const reason =
      why === "bytes buffered"
        ? "Slow consumer: too much unsent data"
        : "Slow consumer: too many undelivered events";
    socket.close(slowConsumerCloseCode, reason);
    // Stop working for it now, not when the close handshake ends (up to 30 s if it never reads).
    void endSubscriptions.get(socket)?.(slowConsumerCloseCode, reason);
  };

  const graphqlWs = makeServer<Record<string, unknown>, { socket: WebSocket }>({
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
    onError: (ctx, _id, _payload, errors) => {
      // After the error message itself has gone out (it is sent once this hook returns).
      if (errors.some(isSlowConsumerError)) setImmediate(() => tooSlow(ctx.extra.socket, "events queued"));
    },
  });

  // The HTTP server's own errors (e.g. on listen) reach its caller; ws re-emits them here too.
  sockets.on("error", (error) => logger.error({ err: error }, "WebSocket server error"));
  sockets.on("connection", (socket) => {
    socket.once("error", (error) => {
      logger.warn({ err: error }, "WebSocket error");
      socket.close(CloseCode.InternalServerError, "Internal server error");
    });
    let pongWait: NodeJS.Timeout | undefined;
    const pinger =
      keepAliveMs > 0
        ? setInterval(() => {
            if (socket.readyState !== socket.OPEN) return;
            pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
            socket.once("pong", () => clearTimeout(pongWait));
            socket.ping();
          }, keepAliveMs)
        : undefined;
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        // Not awaited: see the header. ws keeps the order of messages.
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          socket.send(data);
          if (socket.bufferedAmount > maxBufferedBytes) tooSlow(socket, "bytes buffered");
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, "a WebSocket message could not be handled");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      { socket },
    );
    endSubscriptions.set(socket, closed);
    socket.once("close", (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(pinger);
      void closed(code, String(reason));
    });
  });

  return {
    async close() {
      // 1001: going away. Clients reconnect (to another instance, behind a load balancer).
      for (const client of sockets.clients) client.close(1001, "Server stopping");
      await new Promise<void>((resolve, reject) =>
        sockets.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
