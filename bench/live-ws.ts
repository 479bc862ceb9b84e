// A minimal graphql-ws ("graphql-transport-ws" protocol) subscriber on `ws`, for the live
// benchmarks: connection_init with an optional bearer token, one subscription per socket, and the
// receive time of every message taken before anything else is done with it. Leaner than
// graphql-ws' own client, so that 10,000 of them fit in a few processes next to the server.
import WebSocket from "ws";

/** Milliseconds on a clock that processes on one machine share (wall clock at high resolution). */
export const clock = (): number => performance.timeOrigin + performance.now();

export interface SubscriptionSpec {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
}

export interface SubscriptionHandlers {
  /** A `next` payload, with the time its message was received. */
  onNext(payload: { data?: unknown; errors?: unknown }, receivedAt: number): void;
  /** The subscription ended (error or complete message, or the socket closed). */
  onEnd(why: string): void;
}

/**
 * Opens a socket, waits for connection_ack and sends the subscription. Resolves with the socket
 * once the subscribe message is sent; rejects if the connection is refused or not acknowledged
 * within `timeoutMs`.
 */
export function subscribe(
  spec: SubscriptionSpec,
  handlers: SubscriptionHandlers,
  timeoutMs = 30_000,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(spec.url.replace(/^http/, "ws"), "graphql-transport-ws", {
      perMessageDeflate: false,
    });
    let acknowledged = false;
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      handlers.onEnd(why);
    };
    const timer = setTimeout(() => {
      if (acknowledged) return;
      socket.terminate();
      reject(new Error(`no connection_ack within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("open", () => {
      const payload = spec.token === undefined ? {} : { authorization: `Bearer ${spec.token}` };
      socket.send(JSON.stringify({ type: "connection_init", payload }));
    });
    socket.on("message", (data) => {
      const receivedAt = clock();
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      switch (message.type) {
        case "next":
          handlers.onNext(message.payload as { data?: unknown; errors?: unknown }, receivedAt);
          break;
        case "connection_ack":
          acknowledged = true;
          clearTimeout(timer);
          socket.send(
            JSON.stringify({
              id: "1",
              type: "subscribe",
              payload: { query: spec.query, variables: spec.variables ?? {} },
            }),
          );
          resolve(socket);
          break;
        case "ping":
          socket.send(JSON.stringify({ type: "pong" }));
          break;
        case "error":
          end(`error: ${JSON.stringify(message.payload)}`);
          break;
        case "complete":
          end("complete");
          break;
      }
    });
    socket.on("error", (error) => {
      if (!acknowledged) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on("close", (code) => {
      clearTimeout(timer);
      if (!acknowledged) reject(new Error(`closed with ${code} before connection_ack`));
      end(`closed ${code}`);
    });
  });
}
