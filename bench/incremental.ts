// Incremental update benchmark: the latency of one event through the live scoring state, at a
// community size, against a full recompute of the same community in the same process.
//
//   npx tsx bench/incremental.ts --members 1m [--events 2000] [--batch 1000] [--tolerance 1e-3]
//
// The community is bench/community.ts's (follows from the power-law graph, interactions,
// endorsements). Events are a seeded mix of what the service sees: interactions (40%), follows
// (30%), unfollows of existing follows (10%), endorsements (15%) and revocations (5%). Each event
// is timed from the call to the list of members whose score moved by the noise floor, plus those
// members' new scores, topic expertise and explanations: everything the scorer computes before
// it writes. Batches then time `--batch` events applied together before one takeChanges, which
// is how the scorer handles a burst (it polls once a second).
import { parseArgs } from "node:util";
import { LiveScores } from "../src/scoring/incremental.js";
import { defaultModel } from "../src/scoring/model.js";
import { recomputeAll } from "../src/scoring/recompute.js";
import { benchCommunity, benchNow } from "./community.js";
import { parseSize, rng } from "./graph.js";
import { median, peakRss } from "./peers/protocol.js";

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "1m" },
    events: { type: "string", default: "2000" },
    batch: { type: "string", default: "1000" },
    tolerance: { type: "string", default: "1e-3" },
  },
});
const members = parseSize(values.members as string);
const eventCount = Number(values.events);
const batchSize = Number(values.batch);
const tolerance = Number(values.tolerance);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

const community = benchCommunity(members, 42);
const fullStart = performance.now();
recomputeAll(community, defaultModel, benchNow);
const fullSeconds = (performance.now() - fullStart) / 1000;

const buildStart = performance.now();
const live = LiveScores.build(community, defaultModel, benchNow, { tolerance });
const buildSeconds = (performance.now() - buildStart) / 1000;
for (let v = 0; v < live.memberCount; v++) live.accept(v);
live.takeChanges();
const rssAfterBuild = process.memoryUsage().rss;

const random = rng(7);
const day = 24 * 60 * 60 * 1000;
const { follower, followee } = community.follows;
const endorsed: number[] = [];
/** A member picked as the power-law graph picks followees: mostly the popular. */
const popular = () => followee[Math.floor(random() * followee.length)] as number;
const anyone = () => Math.floor(random() * members);

function randomEvent(): void {
  const roll = random();
  if (roll < 0.4) live.interact(anyone(), popular(), Math.floor(random() * 4), benchNow - random() * day);
  else if (roll < 0.7) live.follow(anyone(), popular());
  else if (roll < 0.8) {
    const i = Math.floor(random() * follower.length);
    live.unfollow(follower[i] as number, followee[i] as number);
  } else if (roll < 0.95) {
    endorsed.push(live.endorse(anyone(), popular(), Math.floor(random() * 8), benchNow));
  } else if (endorsed.length > 0) {
    live.revokeEndorsement(endorsed.splice(Math.floor(random() * endorsed.length), 1)[0] as number);
  }
}

/** What the scorer computes for each reported member before writing it. */
function evaluate(changed: number[]): void {
  for (const v of changed) {
    live.scoreOf(v);
    for (let k = 0; k < live.topicCount; k++) live.topicScoreOf(v, k);
    live.explain(v);
  }
}

// Warm up the JIT on events that are not measured.
for (let i = 0; i < 200; i++) randomEvent();
evaluate(live.takeChanges());

const latencies: number[] = [];
const pushes: number[] = [];
const reported: number[] = [];
for (let i = 0; i < eventCount; i++) {
  const start = performance.now();
  randomEvent();
  const { pushes: pushed } = live.settle();
  const changed = live.takeChanges();
  evaluate(changed);
  latencies.push(performance.now() - start);
  pushes.push(pushed);
  reported.push(changed.length);
  for (const v of changed) live.accept(v);
}

const batches: number[] = [];
for (let b = 0; b < 3; b++) {
  const start = performance.now();
  for (let i = 0; i < batchSize; i++) randomEvent();
  const changed = live.takeChanges();
  evaluate(changed);
  batches.push(performance.now() - start);
  for (const v of changed) live.accept(v);
}

const sorted = [...latencies].sort((a, b) => a - b);
const sortedPushes = [...pushes].sort((a, b) => a - b);
const p50 = percentile(sorted, 50);
console.log(
  JSON.stringify({
    members,
    tolerance,
    edges: community.follows.follower.length + community.interactions.actor.length,
    fullRecomputeSeconds: Math.round(fullSeconds * 1000) / 1000,
    liveBuildSeconds: Math.round(buildSeconds * 1000) / 1000,
    events: eventCount,
    latencyMs: {
      p50: Math.round(p50 * 1000) / 1000,
      p99: Math.round(percentile(sorted, 99) * 1000) / 1000,
      max: Math.round((sorted.at(-1) as number) * 1000) / 1000,
    },
    pushes: { p50: percentile(sortedPushes, 50), p99: percentile(sortedPushes, 99) },
    reportedPerEvent: { mean: Math.round((reported.reduce((a, b) => a + b, 0) / eventCount) * 100) / 100 },
    sweeps: live.sweeps,
    fullOverIncrementalP50: Math.round((fullSeconds * 1000) / p50),
    batch: { events: batchSize, medianMs: Math.round(median(batches)), runsMs: batches.map(Math.round) },
    rssAfterBuildMB: mb(rssAfterBuild),
    peakRssMB: mb(peakRss()),
  }),
);
