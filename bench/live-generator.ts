// The load generator for bench/live.ts: sends follow/unfollow mutations over HTTP (keep-alive) on
// a fixed schedule — operation i is due at start + i / rate, whatever the responses do (open
// loop), with at most `maxInFlight` requests outstanding — and writes when each was due, sent
// and answered to a file, then exits. With `batch` > 1 the operations go instead as interactions
// (`actor` LIKEs `handle`), `batch` of them per recordInteractions call by an ADMIN token — the
// way an ingestion service sends them — each call due when its first operation is.
//
//   node --import tsx bench/live-generator.ts <plan.json>
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { clock } from "./live-ws.js";

export interface GeneratorOp {
  token: string;
  handle: string;
  follow: boolean;
  /** Batch mode: the member who interacts with `handle`. */
  actor?: string;
}

export interface GeneratorPlan {
  url: string;
  ops: GeneratorOp[];
  /** Operations per second. */
  rate: number;
  maxInFlight: number;
  /** No operation is sent later than this many ms after the start; the rest count as unsent (-2). */
  deadlineMs: number;
  resultPath: string;
  /** Operations per recordInteractions call (1: one follow/unfollow mutation per operation). */
  batch?: number;
  /** Batch mode: the ADMIN token the calls are sent with. */
  adminToken?: string;
}

/** Outcome of an operation: 1 changed the graph, 0 changed nothing, -1 failed, -2 not sent (deadline). */
export interface GeneratorResult {
  /** Flat, per operation: due, sent, answered (ms, shared clock), outcome. */
  ops: number[];
  firstError?: string;
  seconds: number;
}

const plan = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as GeneratorPlan;
const target = new URL(plan.url);
const agent = new Agent({ keepAlive: true, maxSockets: plan.maxInFlight });
const mutation = (follow: boolean) =>
  `mutation($h: String!) { r: ${follow ? "follow" : "unfollow"}(handle: $h) { __typename ... on FollowPayload { changed } } }`;
const documents = { follow: mutation(true), unfollow: mutation(false) };

const results = new Array<number>(plan.ops.length * 4).fill(Number.NaN);
let firstError: string | undefined;

const record =
  "mutation($input: [InteractionInput!]!) { r: recordInteractions(input: $input) { __typename ... on RecordInteractionsPayload { recorded } } }";
let keys = 0;

function post(op: GeneratorOp, group: GeneratorOp[] = [op]): Promise<number> {
  const batched = (plan.batch ?? 1) > 1;
  const body = batched
    ? JSON.stringify({
        query: record,
        variables: {
          input: group.map((o) => ({
            key: `live-${process.pid}-${keys++}`,
            kind: "LIKE",
            actor: o.actor,
            target: o.handle,
          })),
        },
      })
    : JSON.stringify({
        query: op.follow ? documents.follow : documents.unfollow,
        variables: { h: op.handle },
      });
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${batched ? plan.adminToken : op.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            const r = (JSON.parse(text) as { data?: { r?: { changed?: boolean; recorded?: number } } }).data
              ?.r;
            const changed = batched ? (r?.recorded === group.length ? true : undefined) : r?.changed;
            if (changed === undefined) throw new Error(text.slice(0, 300));
            resolve(changed ? 1 : 0);
          } catch (error) {
            firstError ??= error instanceof Error ? error.message : String(error);
            resolve(-1);
          }
        });
      },
    );
    req.on("error", (error) => {
      firstError ??= error.message;
      resolve(-1);
    });
    req.end(body);
  });
}

const started = clock();
const batch = Math.max(1, plan.batch ?? 1);
const interval = 1000 / plan.rate;
let next = 0;
let inFlight = 0;
let answered = 0;
let timer: NodeJS.Timeout | undefined;

await new Promise<void>((done) => {
  const finish = () => {
    clearTimeout(timer);
    for (let index = next; index < plan.ops.length; index++) results[index * 4 + 3] = -2;
    done();
  };
  const pump = () => {
    const now = clock();
    if (now > started + plan.deadlineMs) {
      if (inFlight === 0) finish();
      return;
    }
    while (next < plan.ops.length && inFlight < plan.maxInFlight && started + next * interval <= now) {
      const first = next;
      next = Math.min(plan.ops.length, next + batch);
      const group = plan.ops.slice(first, next);
      const sentAt = clock();
      for (let index = first; index < next; index++) {
        results[index * 4] = started + first * interval;
        results[index * 4 + 1] = sentAt;
      }
      inFlight++;
      void post(group[0] as GeneratorOp, group).then((outcome) => {
        const answeredAt = clock();
        for (let index = first; index < first + group.length; index++) {
          results[index * 4 + 2] = answeredAt;
          results[index * 4 + 3] = outcome;
        }
        inFlight--;
        answered += group.length;
        if (answered === next && (next === plan.ops.length || clock() > started + plan.deadlineMs)) finish();
        else pump();
      });
    }
    if (next < plan.ops.length && timer === undefined) {
      const wait = started + next * interval - clock();
      timer = setTimeout(
        () => {
          timer = undefined;
          pump();
        },
        Math.max(0, Math.min(wait, 1)),
      );
    }
  };
  pump();
});

const result: GeneratorResult = { ops: results, firstError, seconds: (clock() - started) / 1000 };
writeFileSync(plan.resultPath, JSON.stringify(result));
agent.destroy();
