// The load generator for bench/live.ts: sends follow/unfollow mutations over HTTP (keep-alive) on
// a fixed schedule — operation i is due at start + i / rate, whatever the responses do (open
// loop), with at most `maxInFlight` requests outstanding — and writes when each was due, sent
// and answered to a file, then exits.
//
//   node --import tsx bench/live-generator.ts <plan.json>
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { clock } from "./live-ws.js";

export interface GeneratorOp {
  token: string;
  handle: string;
  follow: boolean;
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

function post(op: GeneratorOp): Promise<number> {
  const body = JSON.stringify({
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
          authorization: `Bearer ${op.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            const changed = (JSON.parse(text) as { data?: { r?: { changed?: boolean } } }).data?.r?.changed;
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
      const index = next++;
      const op = plan.ops[index] as GeneratorOp;
      results[index * 4] = started + index * interval;
      results[index * 4 + 1] = clock();
      inFlight++;
      void post(op).then((outcome) => {
        results[index * 4 + 2] = clock();
        results[index * 4 + 3] = outcome;
        inFlight--;
        answered++;
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
