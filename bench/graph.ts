// Seeded power-law directed graph for the PageRank benchmark, and its binary file format.
//
// Sources: lognormal out-degree (mean ~10.9) with a share of dangling nodes (no out-edges).
// Targets: Zipf-distributed in-degree over a random permutation of the nodes, so hubs are not
// simply the low ids. Parallel edges and self-loops are dropped, then the edge order is shuffled
// the way rows would arrive from a database.
//
// File layout (little-endian): "SWAYGRF1" (8 bytes), nodeCount u32, edgeCount u32,
// from[edgeCount] i32, to[edgeCount] i32.
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";

export interface Graph {
  nodeCount: number;
  from: Int32Array;
  to: Int32Array;
}

export interface GraphOptions {
  seed?: number;
  /** Share of nodes with no out-edges. */
  danglingShare?: number;
  /** Zipf exponent of the in-degree rank distribution. */
  zipf?: number;
  /** Mean out-degree of the non-dangling nodes before duplicates are dropped. */
  meanOutDegree?: number;
}

const magic = "SWAYGRF1";
const headerBytes = 16;

/** mulberry32: small, fast, good enough for a benchmark input, and the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  shuffle([p], random);
  return p;
}

/** Fisher–Yates, applying the same swaps to every array. */
function shuffle(arrays: Int32Array[], random: () => number): void {
  const n = arrays[0]?.length ?? 0;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    for (const a of arrays) {
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
  }
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Inverse-CDF sample of a continuous power law on [1, n + 1), floored to a rank in [0, n). */
function zipfRank(n: number, s: number, random: () => number): number {
  const e = 1 - s;
  const top = (n + 1) ** e - 1;
  const rank = Math.floor((1 + random() * top) ** (1 / e)) - 1;
  return Math.min(Math.max(rank, 0), n - 1);
}

export function powerLawGraph(nodeCount: number, options: GraphOptions = {}): Graph {
  const random = rng(options.seed ?? 1);
  const danglingShare = options.danglingShare ?? 0.08;
  const zipf = options.zipf ?? 0.9;
  const mu = Math.log(options.meanOutDegree ?? 10.9) - 0.5;
  const rankToNode = permutation(nodeCount, random);
  const from: number[] = [];
  const to: number[] = [];
  const targets = new Int32Array(Math.max(nodeCount, 1));
  for (let u = 0; u < nodeCount; u++) {
    if (random() < danglingShare) continue;
    const degree = Math.min(Math.max(1, Math.round(Math.exp(mu + gaussian(random)))), nodeCount - 1);
    let count = 0;
    for (let k = 0; k < degree; k++) {
      const v = rankToNode[zipfRank(nodeCount, zipf, random)] as number;
      if (v !== u) targets[count++] = v;
    }
    const row = targets.subarray(0, count).sort();
    for (let k = 0; k < count; k++) {
      if (k > 0 && row[k] === row[k - 1]) continue;
      from.push(u);
      to.push(row[k] as number);
    }
  }
  const graph = { nodeCount, from: Int32Array.from(from), to: Int32Array.from(to) };
  shuffle([graph.from, graph.to], random);
  return graph;
}

export function writeGraph(path: string, graph: Graph): void {
  const header = Buffer.alloc(headerBytes);
  header.write(magic, 0, "latin1");
  header.writeUInt32LE(graph.nodeCount, 8);
  header.writeUInt32LE(graph.from.length, 12);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    writeSync(fd, new Uint8Array(graph.from.buffer, graph.from.byteOffset, graph.from.byteLength));
    writeSync(fd, new Uint8Array(graph.to.buffer, graph.to.byteOffset, graph.to.byteLength));
  } finally {
    closeSync(fd);
  }
}

export function readGraph(path: string): Graph {
  const bytes = readFileSync(path);
  if (bytes.toString("latin1", 0, 8) !== magic) throw new Error(`${path} is not a SWAYGRF1 graph file`);
  const nodeCount = bytes.readUInt32LE(8);
  const edgeCount = bytes.readUInt32LE(12);
  if (bytes.length !== headerBytes + 8 * edgeCount) throw new Error(`${path} is truncated`);
  const copy = (offset: number) =>
    new Int32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * edgeCount));
  return { nodeCount, from: copy(headerBytes), to: copy(headerBytes + 4 * edgeCount) };
}

/** "10k" → 10000, "1m" → 1000000. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size "${text}" (expected e.g. 10k, 100k, 1m)`);
  const scale = { "": 1, k: 1e3, m: 1e6 }[(match[2] ?? "").toLowerCase()] ?? 1;
  return Math.round(Number(match[1]) * scale);
}
