// Live-subscription benchmarks (PRODUCT.md §8): event → subscriber latency at 1,000 events/s, and
// a broadcast to 10,000 WebSocket subscribers on one process. The server (src/main.ts), the
// subscribers (bench/live-subscriber.ts) and the load generator (bench/live-generator.ts) are
// separate processes on 127.0.0.1; their clocks are the machine's (performance.timeOrigin + now).
//
//   npm run bench:live -- [--scenarios a,b] [--members 2000] [--subscribers 100] [--rate 1000]
//                         [--seconds 20] [--batch 1] [--warmup 0] [--connections 10000] [--clients 3]
//                         [--broadcasts 20]
//                         [--database postgres://… (an empty database)] [--keep] [--log-level warn]
//                         [--server-cpu-prof <dir> (the server's CPU profile, written on exit)]
//                         [--samples <file> (every sample of the target figures, as JSON)]
//
// Setup: a temporary SQLite database (or --database) is migrated and seeded with a demo community
// (src/seed, seed 1) before the server starts; bearer tokens for the members the bench acts as
// are written directly (as logIn would, without its ~100 ms scrypt each). The server's scorer
// scores everyone in its first full run; the bench waits for it.
//
// A (latency): `--subscribers` members, each subscribed to their own scoreChanged(minDelta: 0)
// over its own socket; the generator sends follow/unfollow mutations aimed at them at `--rate`
// per second for `--seconds` (followee i % K; each has 4 actors who follow it in turn, then
// unfollow). A mutation's latency is the time from its HTTP response (commit) to the first
// scoreChanged event of its followee received after it, skipping events whose history row was
// stamped before the mutation was even sent (they cannot contain it). `--batch N` sends the
// operations instead as LIKE interactions, N per recordInteractions call. `--warmup S` first runs
// S seconds of the same load, unmeasured, on as many other followees (subscribed as well) with
// actors of their own (the next 100 strongest), then waits 3 s for the scorer to finish with it.
// B (broadcast): `--connections` anonymous sockets from `--clients` processes all subscribe to one
// public member's scoreChanged(handle:, minDelta: 0) { value delta reason createdAt }; the
// generator then makes that member move once a second (`--broadcasts` times, after one warm-up).
// A delivery's latency is its receive time minus the response time of the mutation that caused it
// (the last one sent before the event's history row was stamped); also against the stamp itself
// and against the broadcast's first delivery (fan-out).
//
// `--samples` writes the samples behind the two target figures (A: each event, its cause's response
// → received; B: each delivery, its mutation's response → delivery), so that runs can be pooled:
// `npm run bench:live-pool -- <files…>` (bench/live-pool.ts).
import { type ChildProcess, fork, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { hashToken, newToken } from "../src/auth/tokens.js";
import { loadConfig } from "../src/config.js";
import { connectDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { seedCommunity } from "../src/seed/community.js";
import type { GeneratorOp, GeneratorPlan, GeneratorResult } from "./live-generator.js";
import type { SubscriberMessage, SubscriberPlan, SubscriberResult } from "./live-subscriber.js";
import { clock } from "./live-ws.js";
import { percentile } from "./percentile.js";

/** What `--samples` writes: ms, to a tenth. */
export interface LiveSamples {
  members: number;
  loadBefore: string;
  loadAfter: string;
  /** A: per event, its cause's response → received. */
  a?: number[];
  /** B: per delivery, its mutation's response → delivery. */
  b?: number[];
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);

const { values } = parseArgs({
  options: {
    scenarios: { type: "string", default: "a,b" },
    members: { type: "string", default: "2000" },
    subscribers: { type: "string", default: "100" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "10000" },
    clients: { type: "string", default: "3" },
    broadcasts: { type: "string", default: "20" },
    batch: { type: "string", default: "1" },
    warmup: { type: "string", default: "0" },
    database: { type: "string" },
    keep: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    /** A directory: the server runs with `node --cpu-prof` and writes its profile there on exit. */
    "server-cpu-prof": { type: "string" },
    /** A file: the target figures' samples, for bench/live-pool.ts. */
    samples: { type: "string" },
  },
});
const scenarios = new Set(values.scenarios.split(",").map((s) => s.trim().toLowerCase()));
const memberCount = Number(values.members);
const subscriberCount = Number(values.subscribers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const connectionCount = Number(values.connections);
const clientCount = Number(values.clients);
const broadcastCount = Number(values.broadcasts);
/** Scenario A: 1 sends follow/unfollow mutations; N > 1 sends interactions, N per recordInteractions call. */
const batchSize = Number(values.batch);
/** Scenario A: seconds of the same load first, on members of its own, not measured. */
const warmupSeconds = Number(values.warmup);
const actorsPerFollowee = 4;

const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib: number) => Math.round(kib / 1024);
const inSeconds = (milliseconds: number) => (milliseconds / 1000).toFixed(1);
const cores = (cpuMs: number, wallMs: number) => (cpuMs / wallMs).toFixed(2);
const ms = (value: number | undefined) => (value === undefined ? "—" : `${value.toFixed(1)} ms`);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
}
type Summary = ReturnType<typeof summary>;

/**
 * The samples ([at, value]) by the second of the run they fall in, counted from the first: where
 * a percentile over the whole run comes from (a burst at the start, or all along).
 */
function bySecond(samples: [number, number][]): Summary[] {
  if (samples.length === 0) return [];
  const start = Math.min(...samples.map(([at]) => at));
  const seconds: number[][] = [];
  for (const [at, value] of samples) {
    const second = Math.floor((at - start) / 1000);
    while (seconds.length <= second) seconds.push([]);
    seconds[second]?.push(value);
  }
  return seconds.map(summary);
}
const triple = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
const round = (s: Summary) => ({
  count: s.count,
  p50: s.p50 === undefined ? null : Math.round(s.p50 * 10) / 10,
  p99: s.p99 === undefined ? null : Math.round(s.p99 * 10) / 10,
  max: s.max === undefined ? null : Math.round(s.max * 10) / 10,
});

/** VmRSS and VmHWM of a process, in KiB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/**
 * CPU time (user + system, ms) a process has used so far, all its threads included (/proc, clock
 * ticks of 10 ms); NaN once it has exited.
 */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU used by the server and by the subscriber processes from now until the returned function is called (ms). */
function cpuMeter(server: number, subscribers: (number | undefined)[]) {
  const ofSubscribers = () => subscribers.reduce((total: number, pid) => total + cpuMsOf(pid), 0);
  const start = { server: cpuMsOf(server), subscribers: ofSubscribers(), at: clock() };
  return () => ({
    wallMs: Math.round(clock() - start.at),
    server: Math.round(cpuMsOf(server) - start.server),
    subscribers: Math.round(ofSubscribers() - start.subscribers),
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

// ---------------------------------------------------------------------------------------------
// Setup: a seeded community, the members the bench acts as, their tokens.

const tmp = mkdtempSync(join(tmpdir(), "sway-live-"));
const port = await freePort();
const databaseUrl = values.database ?? `file:${join(tmp, "sway.db")}`;
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  SEED_DEMO_DATA: "false",
  LOG_LEVEL: values["log-level"],
  GRAPHIQL: "false",
  HOST: "127.0.0.1",
  PORT: String(port),
};
const url = `http://127.0.0.1:${port}/graphql`;

interface Member {
  id: number;
  handle: string;
  token: string;
}

interface Cast {
  followees: Member[];
  /** Per followee, the members who follow and unfollow it. */
  actorsOf: Member[][];
  /** A's warm-up: as many other followees, each with actors of their own (none of the above). */
  warmFollowees: Member[];
  warmActorsOf: Member[][];
  star: Member;
  starActors: Member[];
  /** An ADMIN (an ingestion service account), for batched interactions. */
  admin: Member;
}

async function setUp(): Promise<Cast> {
  const config = loadConfig(serverEnv);
  log(`migrating and seeding ${memberCount} members into ${config.databaseProvider}`);
  await migrate(databaseUrl);
  const database = await connectDatabase(config);
  const db = database.prisma;
  try {
    if ((await db.user.count()) > 0) throw new Error("the database must be empty");
    const seeded = await seedCommunity(db, { members: memberCount, seed: 1 });
    log(`seeded ${seeded.members} members, ${seeded.follows} follows in ${seeded.seconds} s`);
    const users = await db.user.findMany({ select: { id: true, handle: true }, orderBy: { id: "asc" } });
    const follows = await db.follow.findMany({ select: { followerId: true, followeeId: true } });
    const followers = new Map<number, number>();
    const following = new Map<number, number>();
    const pairs = new Set<string>();
    for (const { followerId, followeeId } of follows) {
      followers.set(followeeId, (followers.get(followeeId) ?? 0) + 1);
      following.set(followerId, (following.get(followerId) ?? 0) + 1);
      pairs.add(`${followerId}>${followeeId}`);
    }
    // Followees: the least followed members (one follow moves them visibly). Actors: members whose
    // follow carries most (many followers, few follows of their own).
    const byFewestFollowers = [...users].sort(
      (a, b) => (followers.get(a.id) ?? 0) - (followers.get(b.id) ?? 0) || a.id - b.id,
    );
    const [starUser, ...rest] = byFewestFollowers;
    if (!starUser) throw new Error("no members");
    const followeeUsers = rest.slice(0, subscriberCount);
    const warmFolloweeUsers = warmupSeconds > 0 ? rest.slice(subscriberCount, 2 * subscriberCount) : [];
    const taken = new Set([
      starUser.id,
      ...followeeUsers.map((u) => u.id),
      ...warmFolloweeUsers.map((u) => u.id),
    ]);
    const weight = (id: number) => ((followers.get(id) ?? 0) + 1) / ((following.get(id) ?? 0) + 1);
    const actorUsers = users
      .filter((u) => !taken.has(u.id))
      .sort((a, b) => weight(b.id) - weight(a.id))
      .slice(0, 200);
    // The measured phase's actors are the 100 strongest; the warm-up's the next 100, so that the
    // warm-up leaves the measured actors' weight where it was.
    const warmActorUsers = actorUsers.splice(100);
    const tokens = new Map<number, string>();
    const member = (user: { id: number; handle: string }): Member => {
      let token = tokens.get(user.id);
      if (token === undefined) {
        token = newToken();
        tokens.set(user.id, token);
      }
      return { id: user.id, handle: user.handle, token };
    };
    const actorsFor = (followee: { id: number }, offset: number, from = actorUsers) => {
      const chosen: Member[] = [];
      for (let k = 0; chosen.length < actorsPerFollowee && k < from.length; k++) {
        const actor = from[(offset + k) % from.length] as { id: number; handle: string };
        if (!pairs.has(`${actor.id}>${followee.id}`)) chosen.push(member(actor));
      }
      return chosen;
    };
    const cast: Cast = {
      followees: followeeUsers.map(member),
      actorsOf: followeeUsers.map((u, j) => actorsFor(u, j * actorsPerFollowee)),
      warmFollowees: warmFolloweeUsers.map(member),
      warmActorsOf: warmFolloweeUsers.map((u, j) => actorsFor(u, j * actorsPerFollowee, warmActorUsers)),
      star: member(starUser),
      starActors: [],
      admin: member(actorUsers.at(-1) as { id: number; handle: string }),
    };
    await db.user.update({ where: { id: cast.admin.id }, data: { role: "ADMIN" } });
    // The broadcast's member moves by the five strongest actors in turn.
    for (const actor of actorUsers) {
      if (cast.starActors.length === 5) break;
      if (!pairs.has(`${actor.id}>${starUser.id}`)) cast.starActors.push(member(actor));
    }
    await db.user.update({ where: { id: starUser.id }, data: { scoreVisibility: "PUBLIC" } });
    const expiresAt = new Date(Date.now() + 7 * 24 * 3_600_000);
    await db.authToken.createMany({
      data: [...tokens].map(([userId, token]) => ({ userId, tokenHash: hashToken(token), expiresAt })),
    });
    log(
      `followees have ${followers.get(followeeUsers[0]?.id ?? 0) ?? 0}–${followers.get(followeeUsers.at(-1)?.id ?? 0) ?? 0} followers; ` +
        `broadcast member @${starUser.handle} has ${followers.get(starUser.id) ?? 0}`,
    );
    return cast;
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes.

let server: ChildProcess | undefined;
const children = new Set<ChildProcess>();

async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function startServer(star: Member): Promise<number> {
  const profile = values["server-cpu-prof"];
  const profiling = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...profiling, "--import", "tsx", join(repoDir, "src", "main.ts")], {
    cwd: repoDir,
    env: serverEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  server = child;
  child.once("exit", (code, signal) => {
    if (server === child) log(`the server exited (${code ?? signal})`);
  });
  const started = clock();
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited while starting");
    if (clock() - started > 300_000) throw new Error("the server did not start within 5 minutes");
    try {
      const body = (await graphql(
        `query($h: String!) { user(handle: $h) { ... on User { score { value } } } }`,
        { h: star.handle },
      )) as { data?: { user?: { score?: { value: number } | null } } };
      // Ready once the scorer's first full run has written scores.
      if (body.data?.user?.score) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  log(`server pid ${child.pid} ready in ${((clock() - started) / 1000).toFixed(1)} s`);
  // Let the first run's write batches and publications finish.
  await sleep(3000);
  return child.pid as number;
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await once(child, "exit");
  clearTimeout(timer);
}

function forkTs(script: string, planPath: string): ChildProcess {
  const child = fork(join(benchDir, script), [planPath], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function nextMessage(child: ChildProcess, type: SubscriberMessage["type"]): Promise<SubscriberMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: SubscriberMessage) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`a bench process exited (${code}) early`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

interface Subscribers {
  processes: ChildProcess[];
  resultPaths: string[];
  connected: number;
  failed: number;
  firstError?: string;
}

async function startSubscribers(
  name: string,
  query: string,
  subscriptions: SubscriberPlan["subscriptions"],
  processes: number,
): Promise<Subscribers> {
  const result: Subscribers = { processes: [], resultPaths: [], connected: 0, failed: 0 };
  const readies: Promise<SubscriberMessage>[] = [];
  const per = Math.ceil(subscriptions.length / processes);
  for (let p = 0; p < processes; p++) {
    const plan: SubscriberPlan = {
      url,
      query,
      subscriptions: subscriptions.slice(p * per, (p + 1) * per),
      connectConcurrency: 50,
      resultPath: join(tmp, `${name}-subscriber-${p}.result.json`),
    };
    const planPath = join(tmp, `${name}-subscriber-${p}.plan.json`);
    writeFileSync(planPath, JSON.stringify(plan));
    const child = forkTs("live-subscriber.ts", planPath);
    result.processes.push(child);
    result.resultPaths.push(plan.resultPath);
    readies.push(nextMessage(child, "ready"));
  }
  for (const ready of await Promise.all(readies)) {
    if (ready.type !== "ready") continue;
    result.connected += ready.connected;
    result.failed += ready.failed;
    result.firstError ??= ready.firstError;
  }
  return result;
}

/** Results of every subscriber process, subscription indexes made global. */
async function collect(subscribers: Subscribers, perProcess: number): Promise<SubscriberResult> {
  const all: SubscriberResult = { events: [], errors: 0, ended: {} };
  for (const [p, child] of subscribers.processes.entries()) {
    const dumped = nextMessage(child, "dumped");
    child.send("dump");
    await dumped;
    const result = JSON.parse(readFileSync(subscribers.resultPaths[p] as string, "utf8")) as SubscriberResult;
    for (let i = 0; i < result.events.length; i += 4) {
      all.events.push(
        (result.events[i] as number) + p * perProcess,
        result.events[i + 1] as number,
        result.events[i + 2] as number,
        result.events[i + 3] as number,
      );
    }
    all.errors += result.errors;
    for (const [why, count] of Object.entries(result.ended)) all.ended[why] = (all.ended[why] ?? 0) + count;
    child.send("exit");
  }
  return all;
}

async function generate(
  name: string,
  ops: GeneratorOp[],
  opsPerSecond: number,
  maxInFlight: number,
  batching: { batch: number; adminToken: string } | null = null,
) {
  const plan: GeneratorPlan = {
    url,
    ops,
    rate: opsPerSecond,
    maxInFlight,
    ...(batching && { batch: batching.batch, adminToken: batching.adminToken }),
    deadlineMs: (ops.length / opsPerSecond) * 1000 * 1.5 + 5000,
    resultPath: join(tmp, `${name}-generator.result.json`),
  };
  const planPath = join(tmp, `${name}-generator.plan.json`);
  writeFileSync(planPath, JSON.stringify(plan));
  const child = forkTs("live-generator.ts", planPath);
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the generator exited with ${code}`);
  return JSON.parse(readFileSync(plan.resultPath, "utf8")) as GeneratorResult;
}

/** Samples the server's RSS until stopped; returns the largest sample (KiB). */
function sampleRss(pid: number) {
  let max = 0;
  const timer = setInterval(() => {
    max = Math.max(max, memoryOf(pid).rss);
  }, 200);
  return () => {
    clearInterval(timer);
    return max;
  };
}

interface Op {
  due: number;
  sent: number;
  answered: number;
  outcome: number;
}

function opsOf(result: GeneratorResult): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < result.ops.length; i += 4) {
    ops.push({
      due: result.ops[i] as number,
      sent: result.ops[i + 1] as number,
      answered: result.ops[i + 2] as number,
      outcome: result.ops[i + 3] as number,
    });
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// Scenario A: one event → its subscriber, at `rate` mutations per second.

async function scenarioA(cast: Cast, pid: number) {
  const query = "subscription { scoreChanged(minDelta: 0) { value delta createdAt } }";
  log(`A: ${cast.followees.length} members subscribe to their own scores`);
  const subscribers = await startSubscribers(
    "a",
    query,
    cast.followees.map((m) => ({ token: m.token })),
    1,
  );
  if (subscribers.failed > 0)
    throw new Error(`A: ${subscribers.failed} subscriptions failed: ${subscribers.firstError}`);
  await sleep(2000);

  /** `total` operations on the followees in turn, each by its actors in turn. */
  const opsFor = (followees: Member[], actorsOf: Member[][], total: number) => {
    const ops: GeneratorOp[] = [];
    const followeeOf: number[] = [];
    for (let i = 0; i < total; i++) {
      const j = i % followees.length;
      const step = Math.floor(i / followees.length) % (2 * actorsPerFollowee);
      const actors = actorsOf[j] as Member[];
      const actor = actors[step % actors.length] as Member;
      ops.push({
        token: actor.token,
        handle: (followees[j] as Member).handle,
        follow: step < actorsPerFollowee,
        actor: actor.handle,
      });
      followeeOf.push(j);
    }
    return { ops, followeeOf };
  };
  const batching = batchSize > 1 ? { batch: batchSize, adminToken: cast.admin.token } : null;

  if (warmupSeconds > 0) {
    // The same load on other members (subscribed too, so delivery runs as well), unmeasured: the
    // server's code is compiled and its caches filled before the measured seconds begin.
    const warm = await startSubscribers(
      "a-warm",
      query,
      cast.warmFollowees.map((m) => ({ token: m.token })),
      1,
    );
    if (warm.failed > 0)
      throw new Error(`A: ${warm.failed} warm-up subscriptions failed: ${warm.firstError}`);
    log(`A: warm-up, ${warmupSeconds} s of the same load on ${cast.warmFollowees.length} other members`);
    const { ops: warmOps } = opsFor(cast.warmFollowees, cast.warmActorsOf, Math.round(rate * warmupSeconds));
    const warmed = await generate("a-warm", warmOps, rate, 64, batching);
    if (warmed.firstError) throw new Error(`A: the warm-up failed: ${warmed.firstError}`);
    // Let the scorer finish with the warm-up's events.
    await sleep(3000);
    for (const child of warm.processes) child.send("exit");
  }

  const K = cast.followees.length;
  const total = Math.round(rate * seconds);
  const { ops, followeeOf } = opsFor(cast.followees, cast.actorsOf, total);
  const rssBefore = memoryOf(pid);
  log(
    batchSize > 1
      ? `A: ${total} interactions at ${rate}/s, ${batchSize} per recordInteractions call`
      : `A: ${total} mutations at ${rate}/s`,
  );
  const stopSampling = sampleRss(pid);
  const stopCpu = cpuMeter(
    pid,
    subscribers.processes.map((child) => child.pid),
  );
  const generated = await generate("a", ops, rate, 64, batching);
  const cpu = stopCpu();
  await sleep(2000);
  const rssMax = stopSampling();
  const received = await collect(subscribers, K);
  const rssAfter = memoryOf(pid);

  // Events per followee, in receive order: [receivedAt, createdAt].
  const eventsOf: [number, number][][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < received.events.length; i += 4) {
    eventsOf[received.events[i] as number]?.push([
      received.events[i + 1] as number,
      received.events[i + 2] as number,
    ]);
  }
  for (const list of eventsOf) list.sort((a, b) => a[0] - b[0]);

  const done = opsOf(generated);
  const nextSentOnSame = new Array<number>(done.length).fill(Number.POSITIVE_INFINITY);
  const lastIndexOf = new Map<number, number>();
  for (let i = done.length - 1; i >= 0; i--) {
    const j = followeeOf[i] as number;
    const later = lastIndexOf.get(j);
    if (later !== undefined) nextSentOnSame[i] = (done[later] as Op).sent;
    lastIndexOf.set(j, i);
  }
  const latencies: number[] = [];
  const unambiguous: number[] = [];
  const fromSend: number[] = [];
  const roundTrips: number[] = [];
  const lags: number[] = [];
  let changed = 0;
  let unchanged = 0;
  let failed = 0;
  let unsent = 0;
  let withoutEvent = 0;
  const attributed = new Set<string>();
  for (const [i, op] of done.entries()) {
    if (op.outcome === -2) {
      unsent++;
      continue;
    }
    roundTrips.push(op.answered - op.sent);
    lags.push(op.sent - op.due);
    if (op.outcome === 0) unchanged++;
    if (op.outcome === -1) failed++;
    if (op.outcome !== 1) continue;
    changed++;
    const list = eventsOf[followeeOf[i] as number] as [number, number][];
    // createdAt has millisecond resolution on the server's Date.now: allow 2 ms.
    const event = list.find(([at, createdAt]) => at > op.answered && createdAt >= op.sent - 2);
    if (!event) {
      withoutEvent++;
      continue;
    }
    attributed.add(`${followeeOf[i]}:${event[0]}`);
    latencies.push(event[0] - op.answered);
    fromSend.push(event[0] - op.sent);
    if (event[0] < (nextSentOnSame[i] as number)) unambiguous.push(event[0] - op.answered);
  }
  // Per delivered event (a move the scorer published), not per mutation: a mutation that moved its
  // followee by less than the noise floor has no event of its own, and the figures above then wait
  // for a later mutation's. From the event's history row (stamped as the scorer's write begins),
  // and from the response of the last changing mutation on that followee sent before the stamp.
  const eventFromStamp: number[] = [];
  const eventFromCause: number[] = [];
  // [received at, latency from the cause], to split the run by the second the events came in.
  const causedAt: [number, number][] = [];
  const opsOfFollowee: Op[][] = Array.from({ length: K }, () => []);
  for (const [i, op] of done.entries())
    if (op.outcome === 1) opsOfFollowee[followeeOf[i] as number]?.push(op);
  for (const [j, list] of eventsOf.entries()) {
    const ops = opsOfFollowee[j] as Op[];
    for (const [at, createdAt] of list) {
      eventFromStamp.push(at - createdAt);
      const cause = ops.filter((op) => op.sent <= createdAt + 2).at(-1);
      if (cause && cause.answered <= at) {
        eventFromCause.push(at - cause.answered);
        causedAt.push([at, at - cause.answered]);
      }
    }
  }
  const sentOps = done.filter((o) => o.outcome !== -2);
  const firstSent = Math.min(...sentOps.map((o) => o.sent));
  const lastAnswered = Math.max(...sentOps.map((o) => o.answered));
  return {
    subscribers: subscribers.connected,
    mutations: done.length,
    changed,
    unchanged,
    failed,
    firstError: generated.firstError,
    unsent,
    achievedRate: Math.round(sentOps.length / ((lastAnswered - firstSent) / 1000)),
    roundTrip: summary(roundTrips),
    scheduleLag: summary(lags),
    events: received.events.length / 4,
    eventsAttributed: attributed.size,
    eventErrors: received.errors,
    ended: received.ended,
    withoutEvent,
    latency: summary(latencies),
    latencyUnambiguous: summary(unambiguous),
    latencyFromSend: summary(fromSend),
    eventFromStamp: summary(eventFromStamp),
    eventFromCause: summary(eventFromCause),
    eventFromCauseBySecond: bySecond(causedAt),
    samples: eventFromCause,
    rssBeforeMiB: mib(rssBefore.rss),
    cpu,
    rssMaxMiB: mib(rssMax),
    rssAfterMiB: mib(rssAfter.rss),
  };
}

// ---------------------------------------------------------------------------------------------
// Scenario B: a broadcast to `connections` subscribers.

async function scenarioB(cast: Cast, pid: number) {
  const query =
    "subscription($h: String!) { scoreChanged(handle: $h, minDelta: 0) { value delta reason createdAt } }";
  const rssIdle = memoryOf(pid);
  log(`B: opening ${connectionCount} subscriptions from ${clientCount} processes`);
  const openStart = clock();
  const subscribers = await startSubscribers(
    "b",
    query,
    Array.from({ length: connectionCount }, () => ({ variables: { h: cast.star.handle } })),
    clientCount,
  );
  const openSeconds = (clock() - openStart) / 1000;
  log(`B: ${subscribers.connected} connected, ${subscribers.failed} failed in ${openSeconds.toFixed(1)} s`);
  await sleep(5000);
  const rssConnected = memoryOf(pid);

  const ops: GeneratorOp[] = [];
  const n = cast.starActors.length;
  for (let i = 0; i <= broadcastCount; i++) {
    const step = i % (2 * n);
    const actor = cast.starActors[step % n] as Member;
    ops.push({ token: actor.token, handle: cast.star.handle, follow: step < n });
  }
  log(`B: 1 warm-up and ${broadcastCount} moves, one a second`);
  const stopSampling = sampleRss(pid);
  const stopCpu = cpuMeter(
    pid,
    subscribers.processes.map((child) => child.pid),
  );
  const generated = await generate("b", ops, 1, 1);
  const cpu = stopCpu();
  await sleep(3000);
  const rssMax = stopSampling();
  const rssAfter = memoryOf(pid);
  const perProcess = Math.ceil(connectionCount / clientCount);
  const received = await collect(subscribers, perProcess);
  const done = opsOf(generated);

  // Group deliveries by event (history createdAt + value), and give each event to the last
  // mutation sent before its first delivery.
  interface Broadcast {
    firstAt: number;
    createdAt: number;
    deliveries: number[];
  }
  const broadcasts = new Map<string, Broadcast>();
  for (let i = 0; i < received.events.length; i += 4) {
    const at = received.events[i + 1] as number;
    const createdAt = received.events[i + 2] as number;
    const key = `${createdAt}:${received.events[i + 3]}`;
    let broadcast = broadcasts.get(key);
    if (!broadcast) {
      broadcast = { firstAt: at, createdAt, deliveries: [] };
      broadcasts.set(key, broadcast);
    }
    broadcast.firstAt = Math.min(broadcast.firstAt, at);
    broadcast.deliveries.push(at);
  }
  const warmUpEnd = (done[1] as Op | undefined)?.sent ?? Number.POSITIVE_INFINITY;
  const fromMutation: number[] = [];
  const fromHistory: number[] = [];
  const fromFirst: number[] = [];
  const lastDeliveryPerBroadcast: number[] = [];
  /** Per broadcast: from its history row to its last delivery (when it had reached everyone). */
  const allReachedPerBroadcast: number[] = [];
  let measured = 0;
  let delivered = 0;
  let withoutCause = 0;
  for (const broadcast of broadcasts.values()) {
    if (broadcast.firstAt < warmUpEnd) continue;
    measured++;
    delivered += broadcast.deliveries.length;
    allReachedPerBroadcast.push(Math.max(...broadcast.deliveries) - broadcast.createdAt);
    for (const at of broadcast.deliveries) {
      fromHistory.push(at - broadcast.createdAt);
      fromFirst.push(at - broadcast.firstAt);
    }
    // The mutation that caused it: the last one sent before its history row was stamped (the
    // scorer stamps after reading the event, which commits after the request is sent; moves are a
    // second apart), when that one answered that it changed the graph (a failed request may or
    // may not have committed). createdAt has millisecond resolution: allow 2 ms.
    const cause = done.filter((op) => op.outcome !== -2 && op.sent <= broadcast.createdAt + 2).at(-1);
    if (cause?.outcome !== 1) {
      withoutCause++;
      continue;
    }
    for (const at of broadcast.deliveries) fromMutation.push(at - cause.answered);
    lastDeliveryPerBroadcast.push(Math.max(...broadcast.deliveries) - cause.answered);
  }
  return {
    connections: subscribers.connected,
    connectFailed: subscribers.failed,
    connectError: subscribers.firstError,
    openSeconds: Math.round(openSeconds * 10) / 10,
    moves: done.length - 1,
    movesChanged: done.slice(1).filter((op) => op.outcome === 1).length,
    movesFailed: done.slice(1).filter((op) => op.outcome === -1).length,
    movesUnsent: done.slice(1).filter((op) => op.outcome === -2).length,
    withoutCause,
    firstError: generated.firstError,
    broadcasts: measured,
    deliveries: delivered,
    expected: measured * subscribers.connected,
    eventErrors: received.errors,
    ended: received.ended,
    fromMutation: summary(fromMutation),
    samples: fromMutation,
    fromHistory: summary(fromHistory),
    fromFirst: summary(fromFirst),
    lastDelivery: summary(lastDeliveryPerBroadcast),
    allReached: summary(allReachedPerBroadcast),
    rssIdleMiB: mib(rssIdle.rss),
    rssConnectedMiB: mib(rssConnected.rss),
    perConnectionKiB:
      Math.round(((rssConnected.rss - rssIdle.rss) / Math.max(1, subscribers.connected)) * 10) / 10,
    cpuPerBroadcast: {
      server: Math.round(cpu.server / ops.length),
      subscribers: Math.round(cpu.subscribers / ops.length),
    },
    rssMaxMiB: mib(rssMax),
    rssAfterMiB: mib(rssAfter.rss),
    hwmMiB: mib(memoryOf(pid).hwm),
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
  const cast = await setUp();
  const pid = await startServer(cast.star);
  const a = scenarios.has("a") ? await scenarioA(cast, pid) : undefined;
  if (a) await sleep(2000);
  const b = scenarios.has("b") ? await scenarioB(cast, pid) : undefined;
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
  await stopServer();

  const lines = [
    `### Live subscriptions — ${memberCount.toLocaleString("en")} members${a && warmupSeconds > 0 ? `, A after a ${warmupSeconds} s warm-up on other members` : ""}, load average ${loadBefore} → ${loadAfter}`,
    "",
    "| what | measured | target |",
    "|---|---|---|",
  ];
  if (a) {
    lines.push(
      `| A: mutation → its subscriber's event, p50 / p99 / max | ${triple(a.latency)} | p99 ≤ 50 ms (${a.latency.p99 === undefined ? "—" : `${(a.latency.p99 / 50).toFixed(2)}×`}) |`,
      `| A: same, events received before the followee's next mutation was sent | ${triple(a.latencyUnambiguous)} (${a.latencyUnambiguous.count}) | |`,
      `| A: from the mutation's send, p50 / p99 / max | ${triple(a.latencyFromSend)} | |`,
      `| A: per event: its cause's response → received, p50 / p99 / max | ${triple(a.eventFromCause)} (${a.eventFromCause.count}) | |`,
      `| A: per event: its history row stamped → received, p50 / p99 / max | ${triple(a.eventFromStamp)} | |`,
      `| A: per event, p99 (events) by the second received | ${a.eventFromCauseBySecond.map((x) => `${ms(x.p99)} (${x.count})`).join(", ")} | |`,
      `| A: mutations (changed / unchanged / failed / not sent by the deadline), achieved rate | ${a.changed} / ${a.unchanged} / ${a.failed} / ${a.unsent}, ${a.achievedRate}/s of ${rate}/s | |`,
      `| A: mutation round trip, p50 / p99 / max | ${triple(a.roundTrip)} | |`,
      `| A: send lag behind schedule, p50 / p99 / max | ${triple(a.scheduleLag)} | |`,
      `| A: events received; mutations without an event | ${a.events} (${a.eventsAttributed} attributed); ${a.withoutEvent} | |`,
      `| A: server RSS before / max / after | ${a.rssBeforeMiB} / ${a.rssMaxMiB} / ${a.rssAfterMiB} MiB | |`,
      `| A: CPU while the mutations ran (${inSeconds(a.cpu.wallMs)} s): server / subscriber processes | ${inSeconds(a.cpu.server)} s / ${inSeconds(a.cpu.subscribers)} s (${cores(a.cpu.server, a.cpu.wallMs)} / ${cores(a.cpu.subscribers, a.cpu.wallMs)} of the cores) | |`,
    );
  }
  if (b) {
    lines.push(
      `| B: subscribers connected (failed), time to open | ${b.connections} (${b.connectFailed}), ${b.openSeconds} s | 10,000 |`,
      `| B: moves changed / failed / not sent by the deadline | ${b.movesChanged} / ${b.movesFailed} / ${b.movesUnsent} of ${b.moves} | |`,
      `| B: broadcasts measured (without a known mutation); deliveries / expected | ${b.broadcasts} (${b.withoutCause}); ${b.deliveries} / ${b.expected} | |`,
      `| B: mutation response → delivery, p50 / p99 / max | ${triple(b.fromMutation)} | p99 ≤ 250 ms (${b.fromMutation.p99 === undefined ? "—" : `${(b.fromMutation.p99 / 250).toFixed(2)}×`}) |`,
      `| B: history row stamped → delivery, p50 / p99 / max | ${triple(b.fromHistory)} | |`,
      `| B: first delivery → delivery (fan-out), p50 / p99 / max | ${triple(b.fromFirst)} | |`,
      `| B: last delivery of a broadcast after its mutation, p50 / max | ${ms(b.lastDelivery.p50)} / ${ms(b.lastDelivery.max)} | |`,
      `| B: last delivery of a broadcast after its history row, p50 / max | ${ms(b.allReached.p50)} / ${ms(b.allReached.max)} | |`,
      `| B: server RSS idle / 10k connected / max / after; VmHWM | ${b.rssIdleMiB} / ${b.rssConnectedMiB} / ${b.rssMaxMiB} / ${b.rssAfterMiB} MiB; ${b.hwmMiB} MiB | |`,
      `| B: RSS per connection (connected − idle) | ${b.perConnectionKiB} KiB | |`,
      `| B: CPU per move (${b.moves + 1} moves): server / subscriber processes | ${b.cpuPerBroadcast.server} ms / ${b.cpuPerBroadcast.subscribers} ms | |`,
    );
  }
  console.log(lines.join("\n"));
  if (values.samples !== undefined) {
    const tenths = (samples: number[] | undefined) => samples?.map((v) => Math.round(v * 10) / 10);
    const saved: LiveSamples = {
      members: memberCount,
      loadBefore,
      loadAfter,
      ...(a && { a: tenths(a.samples) }),
      ...(b && { b: tenths(b.samples) }),
    };
    writeFileSync(values.samples, JSON.stringify(saved));
    log(`samples written to ${values.samples}`);
  }
  console.log(
    JSON.stringify({
      members: memberCount,
      loadBefore,
      loadAfter,
      a: a && {
        ...a,
        samples: undefined,
        latency: round(a.latency),
        latencyUnambiguous: round(a.latencyUnambiguous),
        latencyFromSend: round(a.latencyFromSend),
        eventFromStamp: round(a.eventFromStamp),
        eventFromCause: round(a.eventFromCause),
        eventFromCauseBySecond: a.eventFromCauseBySecond.map(round),
        roundTrip: round(a.roundTrip),
        scheduleLag: round(a.scheduleLag),
      },
      b: b && {
        ...b,
        samples: undefined,
        fromMutation: round(b.fromMutation),
        fromHistory: round(b.fromHistory),
        fromFirst: round(b.fromFirst),
        lastDelivery: round(b.lastDelivery),
        allReached: round(b.allReached),
      },
    }),
  );
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGKILL");
  await stopServer().catch(() => {});
  if (!values.keep) rmSync(tmp, { recursive: true, force: true });
  else log(`kept ${tmp}`);
}
