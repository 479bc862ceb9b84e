// A subscriber process for bench/live.ts (forked with IPC): opens one graphql-ws subscription per
// entry of its plan, records every event it receives, and writes them to a file when told.
//
//   node --import tsx bench/live-subscriber.ts <plan.json>
//
// Messages to the parent: { type: "ready", connected, failed, firstError }. From the parent:
// "dump" (write the results file, answer { type: "dumped" }) and "exit".
import { readFileSync, writeFileSync } from "node:fs";
import type WebSocket from "ws";
import { subscribe } from "./live-ws.js";

export interface SubscriberPlan {
  url: string;
  query: string;
  /** One subscription (and socket) each. */
  subscriptions: { token?: string; variables?: Record<string, unknown> }[];
  /** Sockets being opened at once. */
  connectConcurrency: number;
  resultPath: string;
}

export interface SubscriberResult {
  /** Flat: subscription index, receive time (ms, shared clock), history createdAt (ms), value. */
  events: number[];
  /** `next` payloads with errors. */
  errors: number;
  /** Why subscriptions ended, with counts. */
  ended: Record<string, number>;
}

export type SubscriberMessage =
  | { type: "ready"; connected: number; failed: number; firstError?: string }
  | { type: "dumped" };

const plan = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as SubscriberPlan;
const events: number[] = [];
const ended: Record<string, number> = {};
let errors = 0;
const sockets: WebSocket[] = [];

interface ScorePayload {
  data?: { scoreChanged?: { value: number; createdAt: string } | null } | null;
  errors?: unknown;
}

async function connectAll(): Promise<{ connected: number; failed: number; firstError?: string }> {
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const spec = plan.subscriptions[index];
      if (spec === undefined) return;
      try {
        const socket = await subscribe(
          { url: plan.url, query: plan.query, token: spec.token, variables: spec.variables },
          {
            onNext(payload, receivedAt) {
              const event = (payload as ScorePayload).data?.scoreChanged;
              if (payload.errors !== undefined || !event) {
                errors++;
                return;
              }
              events.push(index, receivedAt, Date.parse(event.createdAt), event.value);
            },
            onEnd(why) {
              ended[why] = (ended[why] ?? 0) + 1;
            },
          },
        );
        sockets.push(socket);
        connected++;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.connectConcurrency }, worker));
  return { connected, failed, firstError };
}

const send = (message: SubscriberMessage) => process.send?.(message);

process.on("message", (message) => {
  if (message === "dump") {
    const result: SubscriberResult = { events, errors, ended };
    writeFileSync(plan.resultPath, JSON.stringify(result));
    send({ type: "dumped" });
  } else if (message === "exit") {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});

const outcome = await connectAll();
send({ type: "ready", ...outcome });
