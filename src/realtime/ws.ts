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
//
// Shared fan-out. A subscription whose resolver describes its events with a feed
// (src/realtime/feed.ts: scoreChanged, endorsementReceived, leaderboardChanged) is authorized and
// set up by the resolver as usual (Yoga's subscribe, all plugins), but its events are not run
// through a pipeline of its own: the fan-out (src/realtime/fanout.ts) listens once per channel,
// checks each subscriber's consent and preference per event, executes the event once per
// (operation, viewer class) and hands the same serialized message to every socket of the group,
// through the same bounded `send` as everything else.
import type { Server } from "node:http";
import type { ExecutionArgs, ExecutionResult } from "graphql";
import { execute as executeEvent, GraphQLError } from "graphql";
import { CloseCode, handleProtocols, makeServer } from "graphql-ws";
import type { YogaServerInstance } from "graphql-yoga";
import { isAsyncIterable } from "graphql-yoga";
import { type WebSocket, WebSocketServer } from "ws";
import type { Context } from "../builder.js";
import type { Logger } from "../logger.js";
import { createFanout, type Fanout } from "./fanout.js";
import { takeFeed } from "./feed.js";
import { type SwayPubSub, slowConsumerCode } from "./pubsub.js";

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
  /** false: every subscription runs its own pipeline (the shared fan-out is on by default). */
  sharedFanout?: boolean;
}

type Enveloped = ReturnType<YogaServerInstance<Record<string, never>, Context>["getEnveloped"]>;
interface Root {
  execute: Enveloped["execute"];
  subscribe: Enveloped["subscribe"];
  /** The graphql-ws operation id and the socket's send, for the shared fan-out. */
  id: string;
  send(message: Buffer): void;
  /** The subscribe message's document, operation name and variables. */
  operationKey: string;
}

/** Yoga's error masking (its `maskedErrors` option, as the app configured it), or null when off. */
interface Masking {
  errorMessage: string;
  maskError(error: unknown, message: string): Error;
}

/**
 * One event of a subscription executed as graphql-js does for each event of a subscription
 * (`execute` with the event as root value: the field's `resolve`, then the selection), with
 * unexpected errors masked as Yoga masks them. Yoga's `execute` cannot be used here: it treats a
 * subscription document as a new subscription. Its plugins' per-request checks (limits) ran when
 * the subscription started; none of them changes an event's result.
 */
async function executeOneEvent(args: ExecutionArgs, masking: Masking | null): Promise<ExecutionResult> {
  const result = await executeEvent(args);
  if (masking === null || result.errors === undefined) return result;
  return {
    ...result,
    errors: result.errors.map((error) => masking.maskError(error, masking.errorMessage) as GraphQLError),
  };
}

/** ws sends a Buffer as a binary frame unless told otherwise; graphql-ws messages are text. */
const textFrame = { binary: false } as const;

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
  const masking = (yoga as unknown as { maskedErrorsOpts?: Masking | null }).maskedErrorsOpts ?? null;
  /** One fan-out per pub/sub (the contexts' `pubsub`: one per app). */
  const fanouts = new WeakMap<SwayPubSub, Fanout>();
  const fanoutFor = (pubsub: SwayPubSub): Fanout => {
    let fanout = fanouts.get(pubsub);
    if (fanout === undefined) {
      fanout = createFanout(pubsub, (error) => logger.error({ err: error }, "fan-out failed"));
      fanouts.set(pubsub, fanout);
    }
    return fanout;
  };
  const requests = new WeakMap<object, Request>();
  /** Each socket's bounded send (see the header), for messages the fan-out serialized. */
  const sendTo = new WeakMap<WebSocket, (message: Buffer) => void>();

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
    onSubscribe: async (ctx, id, payload) => {
      // One Request per connection (its token does not change): only its headers are read.
      let request = requests.get(ctx.extra);
      if (request === undefined) {
        const token = tokenOf(ctx.connectionParams);
        request = new Request(`http://localhost${options.path}`, {
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        });
        requests.set(ctx.extra, request);
      }
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
        rootValue: {
          execute,
          subscribe,
          id,
          send: sendTo.get(ctx.extra.socket) ?? (() => {}),
          operationKey: JSON.stringify([
            payload.query,
            payload.operationName ?? null,
            payload.variables ?? null,
          ]),
        } satisfies Root,
      };
      return args;
    },
    execute: (args) => (args.rootValue as Root).execute(args),
    subscribe: async (args) => {
      const root = args.rootValue as Root;
      const result = await root.subscribe(args);
      const spec = takeFeed(args.contextValue);
      if (options.sharedFanout === false || spec === undefined || !isAsyncIterable(result)) return result;
      // Authorized and set up; its events come from the shared fan-out instead of this stream
      // (which has not listened to anything yet: nothing reads it).
      void (result as AsyncGenerator).return?.(undefined);
      const { schema, document, operationName, variableValues, contextValue } = args;
      return fanoutFor((contextValue as Context).pubsub).join({
        id: root.id,
        operationKey: root.operationKey,
        spec,
        execute: (event) =>
          executeOneEvent(
            { schema, document, operationName, variableValues, contextValue, rootValue: event },
            masking,
          ),
        send: root.send,
      });
    },
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
    // Not awaited: see the header. ws keeps the order of messages.
    const send = (data: string | Buffer) => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(data, textFrame);
      if (socket.bufferedAmount > maxBufferedBytes) tooSlow(socket, "bytes buffered");
    };
    sendTo.set(socket, send);
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send,
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
