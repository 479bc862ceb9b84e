// Real subscription clients for tests: graphql-ws over `ws`, and SSE over fetch.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

export interface Received<T> {
  /** Every `next` payload so far. */
  events: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Resolves with the n-th payload (1-based), or rejects after `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<Received<T>["events"][number]>;
  /** Settles when the subscription completes (or errors). */
  done: Promise<{ error?: unknown }>;
  stop(): void;
}

function collector<T>(): {
  received: Received<T>;
  push(event: Received<T>["events"][number]): void;
  finish(error?: unknown): void;
} {
  const waiters: (() => void)[] = [];
  let finish: (result: { error?: unknown }) => void = () => {};
  const done = new Promise<{ error?: unknown }>((resolve) => {
    finish = resolve;
  });
  const received: Received<T> = {
    events: [],
    nth(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const event = received.events[n - 1];
          if (event) {
            clearTimeout(timer);
            resolve(event);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`no event #${n} within ${timeoutMs} ms`)), timeoutMs);
        if (!check()) waiters.push(() => void check());
      });
    },
    done,
    stop: () => {},
  };
  return {
    received,
    push(event) {
      received.events.push(event);
      for (const waiter of waiters.splice(0)) waiter();
    },
    finish: (error?: unknown) => finish({ error }),
  };
}

export function wsClient(httpUrl: string, token?: string): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribeWs<T, V>(
  client: Client,
  document: TypedDocumentNode<T, V>,
  variables?: V,
): Received<T> {
  const { received, push, finish } = collector<T>();
  const unsubscribe = client.subscribe<T>(
    { query: print(document), variables: variables as Record<string, unknown> | undefined },
    {
      next: (value) => push(value as Received<T>["events"][number]),
      error: (error) => finish(error),
      complete: () => finish(),
    },
  );
  received.stop = unsubscribe;
  return received;
}

/** A subscription over Server-Sent Events (Yoga's GraphQL over SSE, "distinct connections" mode). */
export function subscribeSse<T, V>(
  httpUrl: string,
  document: TypedDocumentNode<T, V>,
  variables?: V,
  token?: string,
): Received<T> {
  const { received, push, finish } = collector<T>();
  const abort = new AbortController();
  received.stop = () => abort.abort();
  void (async () => {
    try {
      const response = await fetch(httpUrl, {
        method: "POST",
        signal: abort.signal,
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const kind = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (kind === "next" && data) push(JSON.parse(data));
          if (kind === "complete") {
            finish();
            return;
          }
          end = buffer.indexOf("\n\n");
        }
      }
      finish();
    } catch (error) {
      finish(error);
    }
  })();
  return received;
}
