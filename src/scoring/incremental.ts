// Incremental scoring: the state a full recompute leaves behind, kept in memory and moved forward
// by events, each touching only the members it reaches.
//
// Network influence. networkx's PageRank with uniform teleport and uniform dangling mass is the
// normalised solution of the "leaky" system
//
//   y = b + α·Pᵀy        (P: row-stochastic over out-weights; a dangling row is all zero;
//                         b = 1 for every member, 0 for an erased one)
//
// i.e. PageRank = y / S with S = Σ y (substitute x = c·y into x = αPᵀx + (α·d·x + 1 − α)/N).
// Keeping y instead of the PageRank vector makes every change local: a new member adds y = 1 and
// moves nobody, and a changed edge changes the residual r = b + αPᵀy − y only at the targets of
// its source. Forward push (Gauss–Southwell) then moves residual along out-edges until every
// |r_v| ≤ ε. The error e = y − y* solves (I − αPᵀ)e = −r, and y* = (I − αPᵀ)⁻¹·b has the same
// non-negative inverse, so |r| ≤ ε everywhere bounds every member's relative error (y*_v ≥ 1):
//
//   |y_v − y*_v| ≤ ε · y*_v        and so   |S − S*| ≤ ε · S*.
//
// Network influence relative to the average member, N·y_v/S, is then within about 2ε of the
// full recompute's, whatever the sequence of events. Construction computes the exact residual of
// the full recompute's vector once and pushes it below ε too, so the bound holds from the start.
// Events only add residual; the next read (or `settle`) pushes it, so a burst of events moves
// through the hubs once rather than once per event.
//
// Endorsements are valued in the same units (y of the endorser × age decay × reciprocity), and
// both the endorsement component and topic expertise are relative to their mean, so the global
// factor N/S cancels there: only the endorsements given by members whose y moved change value.
//
// Time. The state is anchored at the moment it was built (`anchor`): every weight and decay is
// evaluated there, also for events that arrive later (their age counts as 0, as a full recompute
// at `anchor` would count it). Decay is therefore applied by the periodic full recompute, which
// builds a new state; between two of them only events move scores.
//
// Reporting (the stability rule). Each member has an accepted score — the one last recorded.
// `takeChanges` reports the members whose current score is at least the noise floor away from it,
// looking only at members an event touched, plus everyone when the global factors (N/S and the
// endorsement mean) have drifted enough since the last full sweep that an untouched member could
// have moved by `driftAllowance` (default a tenth of the noise floor). So a move below the noise
// floor is never reported, and a move of noiseFloor + driftAllowance always is (measured on these
// scores, which are within 30ε of a full recompute's).
import {
  CauseCode,
  type Community,
  type Explanations,
  interactionKindCodes,
  type Scores,
} from "./community.js";
import { buildInfluenceGraph, pairWeight } from "./graph.js";
import { groupIndicesByKey } from "./group.js";
import type { ModelParameters } from "./model.js";
import { networkInfluence } from "./recompute.js";
import { scaler } from "./scale.js";

const dayMs = 24 * 60 * 60 * 1000;

export interface LiveOptions {
  /**
   * ε above: the largest residual left after an update, and so the relative error bound of every
   * member's y. Default 1e-3: scores within 30ε = 0.03 points of a full recompute (a score moves
   * at most 99γ/4 ≈ 15 points per unit of relative change, and raw is within 2ε), explanation
   * shares within 4ε — an order of magnitude below the 0.5 noise floor — while an event's push
   * stops once what it spreads falls below a thousandth of a member's own standing. On the 1M
   * bench community, 1e-4 costs about 6× the pushes (BENCHMARKS.md).
   */
  tolerance?: number;
  /** Score points an untouched member may drift before everyone is re-checked (default noiseFloor / 10). */
  driftAllowance?: number;
}

/** What a settle did, to show it stayed local. */
export interface UpdateStats {
  /** Residual pushes (each reads one member's out-edges). */
  pushes: number;
  /** Members whose network influence changed. */
  moved: number;
  /** Members whose endorsement total changed. */
  endorsed: number;
}

/** One member's explanation, as in Explanations but for a single member. */
export interface Explanation {
  kind: CauseCode[];
  source: number[];
  share: number[];
  remainder: number;
}

type Typed = Int32Array | Float64Array | Uint8Array;

function grow<T extends Typed>(array: T, needed: number, fill?: number): T {
  if (needed <= array.length) return array;
  const capacity = Math.max(needed, Math.ceil(array.length * 1.5) + 16);
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  if (fill !== undefined) next.fill(fill, array.length);
  return next;
}

/**
 * A base CSR (rows 0..baseRows-1 from the full build) plus rows grown since, for adjacency lists
 * that gain entries one at a time.
 */
class Adjacency {
  /** Items added to each row since the base was built (read directly only in the push loop). */
  readonly extra = new Map<number, number[]>();

  /** `items` null: the base items are their own positions (the in-edge CSR, whose edge ids are positions). */
  constructor(
    readonly start: Int32Array,
    readonly items: Int32Array | null,
  ) {}

  private item(i: number): number {
    return this.items === null ? i : (this.items[i] as number);
  }

  forEach(row: number, visit: (item: number) => void): void {
    if (row < this.start.length - 1) {
      for (let i = this.start[row] as number; i < (this.start[row + 1] as number); i++) visit(this.item(i));
    }
    const more = this.extra.size > 0 ? this.extra.get(row) : undefined;
    if (more) for (const item of more) visit(item);
  }

  size(row: number): number {
    const base =
      row < this.start.length - 1 ? (this.start[row + 1] as number) - (this.start[row] as number) : 0;
    return this.extra.size === 0 ? base : base + (this.extra.get(row)?.length ?? 0);
  }

  /** The first item in the row that `match` accepts, or -1. */
  find(row: number, match: (item: number) => boolean): number {
    if (row < this.start.length - 1) {
      for (let i = this.start[row] as number; i < (this.start[row + 1] as number); i++) {
        if (match(this.item(i))) return this.item(i);
      }
    }
    for (const item of this.extra.get(row) ?? []) if (match(item)) return item;
    return -1;
  }

  add(row: number, item: number): void {
    const more = this.extra.get(row);
    if (more) more.push(item);
    else this.extra.set(row, [item]);
  }
}

/** Groups indices 0..keys.length-1 by key: row r lists the i with keys[i] = r. */
function groupBy(keys: Int32Array, rows: number): Adjacency {
  const { start, order } = groupIndicesByKey(keys, rows);
  return new Adjacency(start, order);
}

/** Keeps the k largest (kind, source, value) offers, best first. */
function topK(k: number) {
  const kind: CauseCode[] = [];
  const source: number[] = [];
  const value: number[] = [];
  return {
    kind,
    source,
    value,
    offer(causeKind: CauseCode, from: number, amount: number) {
      if (!(amount > 0)) return;
      if (value.length === k && amount <= (value[k - 1] as number)) return;
      let i = value.length;
      while (i > 0 && (value[i - 1] as number) < amount) i--;
      kind.splice(i, 0, causeKind);
      source.splice(i, 0, from);
      value.splice(i, 0, amount);
      if (value.length > k) {
        kind.pop();
        source.pop();
        value.pop();
      }
    },
  };
}

export class LiveScores {
  readonly model: ModelParameters;
  /** The moment every weight and decay is evaluated at (ms since the epoch). */
  readonly anchor: number;
  readonly topicCount: number;
  readonly tolerance: number;
  readonly driftAllowance: number;
  /** The model's 1–100 map. */
  private readonly scale: (x: number) => number;
  /** How many times `takeChanges` looked at every member. */
  sweeps = 0;

  private n: number;
  /** Erased members keep their index (so nothing renumbers) but leave the graph and the teleport. */
  private removed: Uint8Array;
  private removedCount = 0;
  private readonly alpha: number;
  // Network influence: y, its residual, their sum, and each member's out-weight.
  private y: Float64Array;
  private r: Float64Array;
  private sum = 0;
  private outWeight: Float64Array;
  // Edges by id: the base graph's in-CSR order, then edges added since.
  private edgeCount: number;
  private edgeSource: Int32Array;
  private edgeTarget: Int32Array;
  private edgeWeight: Float64Array;
  private edgeFollows: Uint8Array;
  private edgeInteractionSum: Float64Array;
  private readonly inEdges: Adjacency;
  private readonly outEdges: Adjacency;
  // Endorsements by index: the community's order, then those added since.
  private endorsementCount: number;
  private endorser: Int32Array;
  private endorsee: Int32Array;
  private endorsementTopic: Int32Array;
  private endorsedAt: Float64Array;
  private active: Uint8Array;
  /** Age decay × reciprocity discount; 0 for a self-endorsement or a revoked one. */
  private factor: Float64Array;
  /** factor × y of the endorser, as last propagated. */
  private value: Float64Array;
  private readonly given: Adjacency;
  private readonly received: Adjacency;
  private endorsementTotal: Float64Array;
  private byTopic: Float64Array;
  private endorsementSum = 0;
  private readonly topicSum: Float64Array;
  // How many endorsements with a value make up each sum above: at 0 the sum is exactly 0 again,
  // whatever rounding the additions and subtractions left (topic expertise 0 means none).
  private countByTopic: Int32Array;
  private countTotal: Int32Array;
  private countAll = 0;
  private readonly countTopic: Int32Array;
  // Pushing and reporting.
  private queue: Int32Array;
  private queued: Uint8Array;
  private touched: Uint8Array;
  private touchedList: number[] = [];
  /** Per member, the last settle that moved their y (so it revalues their endorsements once). */
  private movedIn: Int32Array;
  private settles = 0;
  private accepted: Float64Array;
  private sweepFactors: { network: number; endorsement: number } | null = null;

  private constructor(community: Community, model: ModelParameters, anchor: number, options: LiveOptions) {
    this.model = model;
    this.anchor = anchor;
    this.alpha = model.damping;
    this.topicCount = community.topicCount;
    this.tolerance = options.tolerance ?? 1e-3;
    this.driftAllowance = options.driftAllowance ?? model.noiseFloor / 10;
    this.scale = scaler(model);
    if (!(this.tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${this.tolerance}`);
    const n = community.memberCount;
    this.n = n;

    const graph = buildInfluenceGraph(community, model, anchor, { keepPairs: true });
    const pairs = graph.pairs as NonNullable<typeof graph.pairs>;
    const m = graph.source.length;
    // Edge ids are positions in the out-edge CSR, so a push reads its source's edges (target and
    // weight) sequentially; the in-edges (explanations, pair lookups) go through inItems.
    const outStart = new Int32Array(n + 1);
    for (let k = 0; k < m; k++)
      outStart[(graph.source[k] as number) + 1] = (outStart[(graph.source[k] as number) + 1] as number) + 1;
    for (let v = 0; v < n; v++) outStart[v + 1] = (outStart[v + 1] as number) + (outStart[v] as number);
    const cursor = outStart.slice(0, n);
    const inItems = new Int32Array(m);
    this.edgeCount = m;
    this.edgeSource = new Int32Array(m);
    this.edgeTarget = new Int32Array(m);
    this.edgeWeight = new Float64Array(m);
    this.edgeFollows = new Uint8Array(m);
    this.edgeInteractionSum = new Float64Array(m);
    for (let v = 0; v < n; v++) {
      for (let k = graph.rowStart[v] as number; k < (graph.rowStart[v + 1] as number); k++) {
        const u = graph.source[k] as number;
        const e = cursor[u] as number;
        cursor[u] = e + 1;
        inItems[k] = e;
        this.edgeSource[e] = u;
        this.edgeTarget[e] = v;
        this.edgeWeight[e] = graph.weight[k] as number;
        this.edgeFollows[e] = pairs.follows[k] as number;
        this.edgeInteractionSum[e] = pairs.interactionSum[k] as number;
      }
    }
    this.inEdges = new Adjacency(graph.rowStart, inItems);
    this.outEdges = new Adjacency(outStart, null);
    this.outWeight = graph.outWeight;

    // y from the full recompute's PageRank: S = N / (1 − α + α·D) where D is the dangling rank.
    const pagerank = networkInfluence(graph, this.alpha);
    let dangling = 0;
    for (let v = 0; v < n; v++) if (!((this.outWeight[v] as number) > 0)) dangling += pagerank[v] as number;
    const scale = n / (1 - this.alpha + this.alpha * dangling);
    this.y = pagerank.map((p) => p * scale);
    this.r = new Float64Array(n);
    this.queue = new Int32Array(Math.max(16, n));
    this.queued = new Uint8Array(n);
    this.touched = new Uint8Array(n);
    this.removed = new Uint8Array(n);
    this.movedIn = new Int32Array(n);
    this.accepted = new Float64Array(n).fill(Number.NaN);

    const e = community.endorsements;
    const q = e.endorser.length;
    this.endorsementCount = q;
    this.endorser = e.endorser.slice();
    this.endorsee = e.endorsee.slice();
    this.endorsementTopic = e.topic.slice();
    this.endorsedAt = e.at.slice();
    this.active = new Uint8Array(q).fill(1);
    this.factor = new Float64Array(q);
    this.value = new Float64Array(q);
    for (let i = 0; i < q; i++) {
      const a = this.endorser[i] as number;
      const b = this.endorsee[i] as number;
      const k = this.endorsementTopic[i] as number;
      if (!(a >= 0 && a < n && b >= 0 && b < n && k >= 0 && k < this.topicCount)) {
        throw new RangeError(`endorsement ${i} (${a} → ${b}, topic ${k}) is out of range`);
      }
    }
    this.given = groupBy(this.endorser, n);
    this.received = groupBy(this.endorsee, n);
    this.endorsementTotal = new Float64Array(n);
    this.byTopic = new Float64Array(n * this.topicCount);
    this.topicSum = new Float64Array(this.topicCount);
    this.countByTopic = new Int32Array(n * this.topicCount);
    this.countTotal = new Int32Array(n);
    this.countTopic = new Int32Array(this.topicCount);
    for (let i = 0; i < q; i++) {
      this.factor[i] = this.factorOf(i);
      this.revalue(i);
    }

    // The exact residual of the starting vector, pushed below ε like any other.
    let total = 0;
    for (let v = 0; v < n; v++) total += this.y[v] as number;
    this.sum = total;
    const { rowStart, source, weight } = graph;
    for (let v = 0; v < n; v++) {
      let inflow = 0;
      for (let k = rowStart[v] as number; k < (rowStart[v + 1] as number); k++) {
        const u = source[k] as number;
        const w = weight[k] as number;
        if (w > 0) inflow += ((this.y[u] as number) * w) / (this.outWeight[u] as number);
      }
      this.addResidual(v, 1 + this.alpha * inflow - (this.y[v] as number));
    }
    this.settle();
    this.touchedList = [];
    this.touched.fill(0);
  }

  /** Builds the state from a whole community, computing it as `recomputeAll` at `anchor` would. */
  static build(community: Community, model: ModelParameters, anchor: number, options: LiveOptions = {}) {
    return new LiveScores(community, model, anchor, options);
  }

  /** Member indices in use, erased ones included (they keep their index). */
  get memberCount(): number {
    return this.n;
  }

  /** Members who count: the N of "relative to the average member". */
  get activeMembers(): number {
    return this.n - this.removedCount;
  }

  isRemoved(v: number): boolean {
    return this.removed[v] === 1;
  }

  // ── Events ────────────────────────────────────────────────────────────────────────────────

  /** A new member, with no edges yet: influence from teleport alone. Returns their index. */
  addMember(): number {
    const v = this.n++;
    this.y = grow(this.y, this.n);
    this.y[v] = 1;
    this.sum += 1;
    this.r = grow(this.r, this.n);
    this.outWeight = grow(this.outWeight, this.n);
    if (this.queue.length < this.n) this.growQueue(this.n * 2);
    this.queued = grow(this.queued, this.n);
    this.touched = grow(this.touched, this.n);
    this.removed = grow(this.removed, this.n);
    this.movedIn = grow(this.movedIn, this.n);
    this.accepted = grow(this.accepted, this.n, Number.NaN);
    this.endorsementTotal = grow(this.endorsementTotal, this.n);
    this.byTopic = grow(this.byTopic, this.n * this.topicCount);
    this.countByTopic = grow(this.countByTopic, this.n * this.topicCount);
    this.countTotal = grow(this.countTotal, this.n);
    this.touch(v);
    return v;
  }

  /** `follower` follows `followee`: influence flows from the follower to the followee. */
  follow(follower: number, followee: number): void {
    this.changePair(follower, followee, 1, 0);
  }

  unfollow(follower: number, followee: number): void {
    this.changePair(follower, followee, 0, 0);
  }

  /** An interaction between two members (`kind` indexes interactionKindCodes), at time `at`. */
  interact(actor: number, target: number, kind: number, at: number): void {
    const name = interactionKindCodes[kind];
    if (name === undefined) throw new RangeError(`unknown interaction kind code ${kind}`);
    const age = Math.max(0, this.anchor - at);
    const decay = Math.LN2 / (this.model.interactionHalfLifeDays * dayMs);
    const weight = this.model.interactionWeights[name] * Math.exp(-decay * age);
    this.changePair(actor, target, -1, weight);
  }

  /** A new endorsement; returns its index (explanations name endorsements by index). */
  endorse(endorser: number, endorsee: number, topic: number, at: number): number {
    this.checkMember(endorser);
    this.checkMember(endorsee);
    if (!(Number.isInteger(topic) && topic >= 0 && topic < this.topicCount)) {
      throw new RangeError(`topic ${topic} is outside [0, ${this.topicCount})`);
    }
    const i = this.endorsementCount++;
    const q = this.endorsementCount;
    this.endorser = grow(this.endorser, q);
    this.endorsee = grow(this.endorsee, q);
    this.endorsementTopic = grow(this.endorsementTopic, q);
    this.endorsedAt = grow(this.endorsedAt, q);
    this.active = grow(this.active, q);
    this.factor = grow(this.factor, q);
    this.value = grow(this.value, q);
    this.endorser[i] = endorser;
    this.endorsee[i] = endorsee;
    this.endorsementTopic[i] = topic;
    this.endorsedAt[i] = at;
    this.active[i] = 1;
    this.value[i] = 0;
    this.given.add(endorser, i);
    this.received.add(endorsee, i);
    this.refreshPairEndorsements(endorser, endorsee, topic);
    return i;
  }

  revokeEndorsement(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.endorsementCount)) {
      throw new RangeError(`endorsement ${i} is unknown`);
    }
    if (!this.active[i]) return;
    this.active[i] = 0;
    const a = this.endorser[i] as number;
    const b = this.endorsee[i] as number;
    this.refreshPairEndorsements(a, b, this.endorsementTopic[i] as number);
  }

  /**
   * An erased member: every edge to and from them goes, every endorsement they gave or received
   * is revoked, and they leave the teleport (so N shrinks). Their y becomes 0 exactly: with no
   * in-edges and no teleport, their residual is −y, and with no out-edges nothing flows from them.
   */
  removeMember(v: number): void {
    this.checkMember(v);
    // Who passed influence to v: each of their rows is re-weighed without the edge.
    this.inEdges.forEach(v, (e) => {
      const before = this.edgeWeight[e] as number;
      this.clearEdge(e);
      if (before > 0) this.reweighOutEdges(this.edgeSource[e] as number, e, before);
    });
    // What v passed on: its targets lose v's share of α·y_v.
    const total = this.outWeight[v] as number;
    const flow = this.alpha * (this.y[v] as number);
    this.outEdges.forEach(v, (e) => {
      const before = this.edgeWeight[e] as number;
      this.clearEdge(e);
      if (before > 0 && total > 0) this.addResidual(this.edgeTarget[e] as number, (-flow * before) / total);
    });
    this.outWeight[v] = 0;
    const revoke = (i: number) => {
      if (!this.active[i]) return;
      this.active[i] = 0;
      this.refreshPairEndorsements(
        this.endorser[i] as number,
        this.endorsee[i] as number,
        this.endorsementTopic[i] as number,
      );
    };
    this.given.forEach(v, revoke);
    this.received.forEach(v, revoke);
    this.removed[v] = 1;
    this.removedCount++;
    this.sum -= this.y[v] as number;
    this.y[v] = 0;
    this.r[v] = 0;
    this.accepted[v] = Number.NaN;
  }

  // ── Reading ───────────────────────────────────────────────────────────────────────────────

  /** Network influence as PageRank (summing to 1 over members). */
  networkOf(v: number): number {
    this.settled();
    return (this.y[v] as number) / this.sum;
  }

  /** The endorsement component relative to the average member (0 when nobody is endorsed). */
  endorsementOf(v: number): number {
    this.settled();
    return this.endorsementSum > 0
      ? (this.activeMembers * (this.endorsementTotal[v] as number)) / this.endorsementSum
      : 0;
  }

  rawOf(v: number, factors = this.factors()): number {
    this.settled();
    return (
      factors.network * (this.y[v] as number) + factors.endorsement * (this.endorsementTotal[v] as number)
    );
  }

  scoreOf(v: number): number {
    return this.scale(this.rawOf(v));
  }

  /** Member v's expertise in topic k on the 1–100 scale; 0 without endorsements there. */
  topicScoreOf(v: number, k: number): number {
    this.settled();
    const value = this.byTopic[v * this.topicCount + k] as number;
    if (!(value > 0)) return 0;
    return this.scale((this.activeMembers * value) / (this.topicSum[k] as number));
  }

  /** Member v's explanation from the same numbers as their score: top causes and the remainder. */
  explain(v: number): Explanation {
    this.settled();
    const { network, endorsement } = this.factors();
    const top = topK(this.model.topCauses);
    this.inEdges.forEach(v, (e) => {
      const u = this.edgeSource[e] as number;
      const w = this.edgeWeight[e] as number;
      if (w > 0) {
        const amount = (network * this.alpha * (this.y[u] as number) * w) / (this.outWeight[u] as number);
        top.offer(CauseCode.Member, u, amount);
      }
    });
    this.received.forEach(v, (i) => {
      if (this.active[i]) top.offer(CauseCode.Endorsement, i, endorsement * (this.value[i] as number));
    });
    const raw = this.rawOf(v);
    const share = top.value.map((x) => x / raw);
    const named = share.reduce((a, b) => a + b, 0);
    return { kind: top.kind, source: top.source, share, remainder: Math.max(0, 1 - named) };
  }

  /** Every member's values, in recomputeAll's shape (O(members + edges); for checks and tests). */
  snapshot(): Scores {
    const n = this.n;
    const t = this.topicCount;
    const k = this.model.topCauses;
    const raw = new Float64Array(n);
    const score = new Float64Array(n);
    const network = new Float64Array(n);
    const endorsement = new Float64Array(n);
    const topicStart = new Int32Array(n + 1);
    const topic: number[] = [];
    const topicScore: number[] = [];
    const explanations: Explanations = {
      k,
      kind: new Uint8Array(n * k),
      source: new Int32Array(n * k),
      share: new Float64Array(n * k),
      remainder: new Float64Array(n),
    };
    for (let v = 0; v < n; v++) {
      raw[v] = this.rawOf(v);
      score[v] = this.scale(raw[v] as number);
      network[v] = this.networkOf(v);
      endorsement[v] = this.endorsementOf(v);
      topicStart[v] = topic.length;
      for (let j = 0; j < t; j++) {
        const value = this.topicScoreOf(v, j);
        if (value > 0) {
          topic.push(j);
          topicScore.push(value);
        }
      }
      const x = this.explain(v);
      x.share.forEach((s, r) => {
        explanations.kind[v * k + r] = x.kind[r] as number;
        explanations.source[v * k + r] = x.source[r] as number;
        explanations.share[v * k + r] = s;
      });
      explanations.remainder[v] = x.remainder;
    }
    topicStart[n] = topic.length;
    const topics = { start: topicStart, topic: Int32Array.from(topic), score: Float64Array.from(topicScore) };
    return { raw, score, network, endorsement, topics, explanations };
  }

  /** The endorsement at index i, as the state knows it. */
  endorsementAt(i: number) {
    return {
      endorser: this.endorser[i] as number,
      endorsee: this.endorsee[i] as number,
      topic: this.endorsementTopic[i] as number,
      at: this.endorsedAt[i] as number,
      active: this.active[i] === 1,
    };
  }

  // ── Reporting ─────────────────────────────────────────────────────────────────────────────

  /** Sets the scores last recorded (NaN: none yet), e.g. as read from the database. */
  setAccepted(v: number, score: number): void {
    this.accepted[v] = score;
  }

  /** Records that member v's current score has been written. */
  accept(v: number): void {
    this.accepted[v] = this.scoreOf(v);
  }

  /**
   * Whether member v (not removed) is at least the noise floor from their accepted score, or has
   * none: what takeChanges asks of each member it looks at.
   */
  hasMoved(v: number, factors = this.factors()): boolean {
    if (this.removed[v]) return false;
    const old = this.accepted[v] as number;
    return Number.isNaN(old) || Math.abs(this.scale(this.rawOf(v, factors)) - old) >= this.model.noiseFloor;
  }

  /**
   * The members whose current score is at least the noise floor from their accepted one (or who
   * have none), ascending; see the header for which members are looked at.
   */
  takeChanges(): number[] {
    this.settled();
    const changed: number[] = [];
    const factors = this.factors();
    const check = (v: number) => {
      if (this.hasMoved(v, factors)) changed.push(v);
    };
    if (this.driftExceeded()) {
      for (let v = 0; v < this.n; v++) check(v);
      this.sweepFactors = factors;
      this.sweeps++;
    } else {
      for (const v of this.touchedList) check(v);
      changed.sort((a, b) => a - b);
    }
    for (const v of this.touchedList) this.touched[v] = 0;
    this.touchedList = [];
    return changed;
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────

  /** Events only queue residual; whatever reads the numbers pushes it first. */
  private settled(): void {
    if (this.queueLength > 0) this.settle();
  }

  /** raw = network·y + endorsement·total: the global factors every score shares. */
  private factors() {
    this.settled();
    const share = this.endorsementSum > 0 ? this.model.endorsementShare : 0;
    const n = this.activeMembers;
    return {
      network: ((1 - share) * n) / this.sum,
      endorsement: this.endorsementSum > 0 ? (share * n) / this.endorsementSum : 0,
    };
  }

  /** Could a member no event touched have moved by driftAllowance since the last sweep? */
  private driftExceeded(): boolean {
    const before = this.sweepFactors;
    if (!before) return true;
    const now = this.factors();
    if ((before.endorsement === 0) !== (now.endorsement === 0)) return true;
    const drift = Math.max(
      Math.abs(Math.log(now.network / before.network)),
      now.endorsement > 0 ? Math.abs(Math.log(now.endorsement / before.endorsement)) : 0,
    );
    // d score / d ln raw ≤ 99γ/4 (scale.ts), and raw moves by at most a factor e^drift. A member
    // last looked at between sweeps may have seen the factors drift one way since the sweep and
    // then the other: half the allowance each way keeps their unseen move within it.
    return ((99 * this.model.scaleSteepness) / 4) * drift >= this.driftAllowance / 2;
  }

  private checkMember(v: number): void {
    if (!(Number.isInteger(v) && v >= 0 && v < this.n)) {
      throw new RangeError(`member ${v} is outside [0, ${this.n})`);
    }
    if (this.removed[v]) throw new RangeError(`member ${v} was erased`);
  }

  private clearEdge(e: number): void {
    this.edgeWeight[e] = 0;
    this.edgeFollows[e] = 0;
    this.edgeInteractionSum[e] = 0;
  }

  private touch(v: number): void {
    if (this.touched[v]) return;
    this.touched[v] = 1;
    this.touchedList.push(v);
  }

  /** The pair edge u → v: follows set to 0/1 (or left with -1), plus interaction weight. */
  private changePair(u: number, v: number, follows: number, addSum: number): void {
    this.checkMember(u);
    this.checkMember(v);
    if (u === v) return;
    // Look the pair up along the shorter of u's out-edges and v's in-edges.
    let e =
      this.outEdges.size(u) <= this.inEdges.size(v)
        ? this.outEdges.find(u, (f) => this.edgeTarget[f] === v)
        : this.inEdges.find(v, (f) => this.edgeSource[f] === u);
    if (e < 0) {
      if (follows !== 1 && !(addSum > 0)) return;
      e = this.addEdge(u, v);
    }
    if (follows >= 0) this.edgeFollows[e] = follows;
    this.edgeInteractionSum[e] = (this.edgeInteractionSum[e] as number) + addSum;
    const before = this.edgeWeight[e] as number;
    const after = pairWeight(this.model, this.edgeFollows[e] as number, this.edgeInteractionSum[e] as number);
    if (after === before) return;
    this.edgeWeight[e] = after;
    this.reweighOutEdges(u, e, before);
  }

  private addEdge(u: number, v: number): number {
    const e = this.edgeCount++;
    const m = this.edgeCount;
    this.edgeSource = grow(this.edgeSource, m);
    this.edgeTarget = grow(this.edgeTarget, m);
    this.edgeWeight = grow(this.edgeWeight, m);
    this.edgeFollows = grow(this.edgeFollows, m);
    this.edgeInteractionSum = grow(this.edgeInteractionSum, m);
    this.edgeSource[e] = u;
    this.edgeTarget[e] = v;
    this.edgeWeight[e] = 0;
    this.edgeFollows[e] = 0;
    this.edgeInteractionSum[e] = 0;
    this.outEdges.add(u, e);
    this.inEdges.add(v, e);
    return e;
  }

  /**
   * Edge `changed` of u went from weight `before` to its current weight: u's out-weight and so
   * every share of u's rank change, and with them the residual at each of u's targets.
   */
  private reweighOutEdges(u: number, changed: number, before: number): void {
    const oldTotal = this.outWeight[u] as number;
    let newTotal = 0;
    this.outEdges.forEach(u, (f) => {
      newTotal += this.edgeWeight[f] as number;
    });
    const flow = this.alpha * (this.y[u] as number);
    this.outEdges.forEach(u, (f) => {
      const now = this.edgeWeight[f] as number;
      const was = f === changed ? before : now;
      const delta = (newTotal > 0 ? now / newTotal : 0) - (oldTotal > 0 ? was / oldTotal : 0);
      if (delta !== 0) this.addResidual(this.edgeTarget[f] as number, flow * delta);
    });
    this.outWeight[u] = newTotal;
  }

  private addResidual(v: number, amount: number): void {
    const r = (this.r[v] as number) + amount;
    this.r[v] = r;
    if (Math.abs(r) > this.tolerance && !this.queued[v]) {
      this.queued[v] = 1;
      this.enqueue(v);
    }
  }

  private head = 0;
  private tail = 0;
  private queueLength = 0;

  /** Unrolls the ring into a larger buffer, keeping its order. */
  private growQueue(capacity: number): void {
    const next = new Int32Array(capacity);
    for (let i = 0; i < this.queueLength; i++)
      next[i] = this.queue[(this.head + i) % this.queue.length] as number;
    this.queue = next;
    this.head = 0;
    this.tail = this.queueLength;
  }

  private enqueue(v: number): void {
    if (this.queueLength === this.queue.length) this.growQueue(this.queue.length * 2);
    this.queue[this.tail] = v;
    this.tail = (this.tail + 1) % this.queue.length;
    this.queueLength++;
  }

  /**
   * Pushes residual until none exceeds ε, then revalues the endorsements of every member whose y
   * moved. Each push moves r_v into y_v and hands α·r_v along v's out-edges by weight.
   */
  settle(): UpdateStats {
    const moved: number[] = [];
    const settle = ++this.settles;
    let pushes = 0;
    while (this.queueLength > 0) {
      const v = this.queue[this.head] as number;
      this.head = (this.head + 1) % this.queue.length;
      this.queueLength--;
      this.queued[v] = 0;
      const rv = this.r[v] as number;
      if (!(Math.abs(rv) > this.tolerance)) continue;
      pushes++;
      this.r[v] = 0;
      this.y[v] = (this.y[v] as number) + rv;
      this.sum += rv;
      if (this.movedIn[v] !== settle) {
        this.movedIn[v] = settle;
        moved.push(v);
      }
      this.touch(v);
      const total = this.outWeight[v] as number;
      if (!(total > 0)) continue;
      const flow = (this.alpha * rv) / total;
      // The hot loop: v's base out-edges, whose ids are their CSR positions, then any added since.
      const { start, extra } = this.outEdges;
      if (v < start.length - 1) {
        for (let e = start[v] as number; e < (start[v + 1] as number); e++) {
          const w = this.edgeWeight[e] as number;
          if (w > 0) this.addResidual(this.edgeTarget[e] as number, flow * w);
        }
      }
      const more = extra.size > 0 ? extra.get(v) : undefined;
      if (more) {
        for (const e of more) {
          const w = this.edgeWeight[e] as number;
          if (w > 0) this.addResidual(this.edgeTarget[e] as number, flow * w);
        }
      }
    }
    let endorsed = 0;
    const given = this.given;
    const visit = (i: number) => {
      if (this.revalue(i)) endorsed++;
    };
    for (const a of moved) if (given.size(a) > 0) given.forEach(a, visit);
    return { pushes, moved: moved.length, endorsed };
  }

  /** Recomputes every endorsement factor between a and b in `topic`: reciprocity may have changed. */
  private refreshPairEndorsements(a: number, b: number, topic: number): void {
    const refresh = (i: number) => {
      const partner = this.endorser[i] === a ? b : a;
      if (this.endorsee[i] !== partner || this.endorsementTopic[i] !== topic) return;
      this.factor[i] = this.factorOf(i);
      this.revalue(i);
    };
    this.given.forEach(a, refresh);
    if (b !== a) this.given.forEach(b, refresh);
  }

  /** Age decay × reciprocity for endorsement i (0 when revoked or self-given). */
  private factorOf(i: number): number {
    const a = this.endorser[i] as number;
    const b = this.endorsee[i] as number;
    if (!this.active[i] || a === b) return 0;
    const k = this.endorsementTopic[i] as number;
    const mutual =
      this.given.find(
        b,
        (j) => this.active[j] === 1 && this.endorsee[j] === a && this.endorsementTopic[j] === k,
      ) >= 0;
    const age = Math.max(0, this.anchor - (this.endorsedAt[i] as number));
    const decay = Math.exp((-Math.LN2 / (this.model.endorsementHalfLifeDays * dayMs)) * age);
    return decay * (mutual ? this.model.reciprocalEndorsementFactor : 1);
  }

  /** Brings endorsement i's value in line with its endorser's y; true when it changed. */
  private revalue(i: number): boolean {
    const next = (this.factor[i] as number) * (this.y[this.endorser[i] as number] as number);
    const before = this.value[i] as number;
    const delta = next - before;
    if (delta === 0) return false;
    this.value[i] = next;
    const b = this.endorsee[i] as number;
    const k = this.endorsementTopic[i] as number;
    const slot = b * this.topicCount + k;
    const counted = (next > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
    this.countByTopic[slot] = (this.countByTopic[slot] as number) + counted;
    this.countTotal[b] = (this.countTotal[b] as number) + counted;
    this.countTopic[k] = (this.countTopic[k] as number) + counted;
    this.countAll += counted;
    const add = (sum: number, count: number) => (count === 0 ? 0 : sum + delta);
    this.byTopic[slot] = add(this.byTopic[slot] as number, this.countByTopic[slot] as number);
    this.endorsementTotal[b] = add(this.endorsementTotal[b] as number, this.countTotal[b] as number);
    this.topicSum[k] = add(this.topicSum[k] as number, this.countTopic[k] as number);
    this.endorsementSum = add(this.endorsementSum, this.countAll);
    this.touch(b);
    return true;
  }
}
