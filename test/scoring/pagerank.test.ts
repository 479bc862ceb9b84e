// The PageRank kernel: hand-checkable graphs, properties over random graphs, agreement with
// networkx, and input validation.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pagerank, pagerankReport } from "../../src/scoring/index.js";
import { pagerankOfCsr } from "../../src/scoring/pagerank.js";
import { solve } from "../../src/scoring/pagerank-solve.js";
import { buildSystem } from "../../src/scoring/pagerank-system.js";
import {
  parallelMinEdges,
  setPagerankThreads,
  threadsAvailable,
} from "../../src/scoring/pagerank-threads.js";

type Edge = [number, number] | [number, number, number];

function edgesOf(nodeCount: number, list: Edge[]) {
  const from = Int32Array.from(list.map((e) => e[0]));
  const to = Int32Array.from(list.map((e) => e[1]));
  const weighted = list.some((e) => e.length === 3);
  return weighted
    ? { nodeCount, from, to, weight: Float64Array.from(list.map((e) => e[2] ?? 1)) }
    : { nodeCount, from, to };
}

/** The definition, iterated naively until the L1 change is below 1e-15. */
function reference(nodeCount: number, list: Edge[], alpha = 0.85): Float64Array {
  const out = new Float64Array(nodeCount);
  for (const [u, , w = 1] of list) out[u] = (out[u] as number) + w;
  let x = new Float64Array(nodeCount).fill(1 / nodeCount);
  for (let iteration = 0; iteration < 100_000; iteration++) {
    let dangling = 0;
    for (let u = 0; u < nodeCount; u++) if (out[u] === 0) dangling += x[u] as number;
    const next = new Float64Array(nodeCount).fill((1 - alpha + alpha * dangling) / nodeCount);
    for (const [u, v, w = 1] of list) {
      if (w > 0) next[v] = (next[v] as number) + (alpha * w * (x[u] as number)) / (out[u] as number);
    }
    const change = l1(next, x);
    x = next;
    if (change < 1e-15) break;
  }
  return x;
}

function l1(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum;
}

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

/** Small seeded generator so random graphs are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomGraph(seed: number, nodeCount: number, edgeCount: number, weighted = false): Edge[] {
  const random = rng(seed);
  const list: Edge[] = [];
  for (let e = 0; e < edgeCount; e++) {
    const u = Math.floor(random() * nodeCount);
    // Skewed targets, and a few nodes left without out-edges.
    const v = Math.floor(random() ** 2 * nodeCount);
    if (u % 7 === 3) continue;
    list.push(weighted ? [u, v, Math.floor(random() * 5)] : [u, v]);
  }
  return list;
}

function expectMatches(nodeCount: number, list: Edge[], alpha = 0.85): void {
  const got = pagerank(edgesOf(nodeCount, list), { damping: alpha });
  expect(l1(got, reference(nodeCount, list, alpha))).toBeLessThan(1e-9);
}

describe("pagerank on hand-checkable graphs", () => {
  it("gives an empty result for no nodes and 1 for a single node", () => {
    expect(pagerank(edgesOf(0, []))).toEqual(new Float64Array(0));
    expect(pagerank(edgesOf(1, []))[0]).toBeCloseTo(1, 15);
  });

  it("is uniform on cycles and on graphs without edges", () => {
    for (const x of pagerank(
      edgesOf(2, [
        [0, 1],
        [1, 0],
      ]),
    ))
      expect(x).toBeCloseTo(1 / 2, 12);
    for (const x of pagerank(
      edgesOf(3, [
        [0, 1],
        [1, 2],
        [2, 0],
      ]),
    ))
      expect(x).toBeCloseTo(1 / 3, 12);
    for (const x of pagerank(edgesOf(5, []))) expect(x).toBeCloseTo(1 / 5, 15);
  });

  it("solves a star pointing in by hand", () => {
    // Leaves l, dangling centre c, N = 4: l = 0.15/4 + 0.85·c/4 and c = 0.15/4 + 0.85·(3l + c/4).
    const x = pagerank(
      edgesOf(4, [
        [1, 0],
        [2, 0],
        [3, 0],
      ]),
    );
    const c = x[0] as number;
    const l = x[1] as number;
    expect(l).toBeCloseTo(0.15 / 4 + (0.85 * c) / 4, 10);
    expect(c).toBeCloseTo(0.15 / 4 + 0.85 * (3 * l + c / 4), 10);
    expect(x[2]).toBeCloseTo(l, 10);
    expectMatches(4, [
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it("solves a star pointing out, whose leaves are dangling", () => {
    // Centre c = 0.15/4 + 0.85·3l/4; leaf l = 0.15/4 + 0.85·(c/3 + 3l/4).
    const x = pagerank(
      edgesOf(4, [
        [0, 1],
        [0, 2],
        [0, 3],
      ]),
    );
    const c = x[0] as number;
    const l = x[1] as number;
    expect(c).toBeCloseTo(0.15 / 4 + (0.85 * 3 * l) / 4, 10);
    expect(l).toBeCloseTo(0.15 / 4 + 0.85 * (c / 3 + (3 * l) / 4), 10);
  });

  it("handles dangling nodes and disconnected components", () => {
    const twoCycles = pagerank(
      edgesOf(4, [
        [0, 1],
        [1, 0],
        [2, 3],
        [3, 2],
      ]),
    );
    for (const x of twoCycles) expect(x).toBeCloseTo(1 / 4, 12);
    expectMatches(6, [
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 3],
      [4, 5],
    ]);
  });

  it("handles self-loops, parallel edges and weights", () => {
    expectMatches(3, [
      [0, 0],
      [0, 1],
      [1, 2],
      [2, 0],
      [2, 2],
    ]);
    const parallel = pagerank(
      edgesOf(3, [
        [0, 1],
        [0, 1],
        [0, 2],
        [1, 0],
        [2, 0],
      ]),
    );
    const doubled = pagerank(
      edgesOf(3, [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 1],
        [2, 0, 1],
      ]),
    );
    expect(l1(parallel, doubled)).toBeLessThan(1e-12);
    expectMatches(4, [
      [0, 1, 0.5],
      [0, 2, 3],
      [1, 3, 1],
      [2, 3, 0],
      [3, 0, 2],
    ]);
  });

  it("treats a node whose out-edges all weigh 0 as dangling", () => {
    const zero = pagerank(
      edgesOf(3, [
        [0, 1, 0],
        [1, 2, 1],
        [2, 1, 1],
      ]),
    );
    const none = pagerank(
      edgesOf(3, [
        [1, 2],
        [2, 1],
      ]),
    );
    expect(l1(zero, none)).toBeLessThan(1e-12);
  });

  it("follows the damping factor, down to 0", () => {
    expectMatches(
      5,
      [
        [0, 1],
        [1, 2],
        [2, 0],
        [3, 0],
      ],
      0.5,
    );
    expectMatches(
      5,
      [
        [0, 1],
        [1, 2],
        [2, 0],
        [3, 0],
      ],
      0.99,
    );
    for (const x of pagerank(edgesOf(3, [[0, 1]]), { damping: 0 })) expect(x).toBeCloseTo(1 / 3, 15);
  });
});

describe("pagerank properties on random graphs", () => {
  const graphs = [1, 2, 3, 4, 5].map((seed) => ({
    seed,
    n: 50 * seed,
    list: randomGraph(seed, 50 * seed, 400 * seed),
  }));

  it("sums to 1, has no NaN, and matches the definition", () => {
    for (const { n, list } of graphs) {
      const x = pagerank(edgesOf(n, list));
      expect(Math.abs(sum(x) - 1)).toBeLessThan(1e-12);
      expect(x.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      expect(l1(x, reference(n, list))).toBeLessThan(1e-9);
    }
    const weighted = randomGraph(9, 120, 900, true);
    expect(l1(pagerank(edgesOf(120, weighted)), reference(120, weighted))).toBeLessThan(1e-9);
  });

  it("is deterministic", () => {
    for (const { n, list } of graphs) expect(pagerank(edgesOf(n, list))).toEqual(pagerank(edgesOf(n, list)));
  });

  it("never lowers a node's rank when it gains an in-edge", () => {
    const random = rng(77);
    for (const { n, list } of graphs) {
      const before = pagerank(edgesOf(n, list));
      for (let trial = 0; trial < 5; trial++) {
        const u = Math.floor(random() * n);
        const v = Math.floor(random() * n);
        const after = pagerank(edgesOf(n, [...list, [u, v]]));
        expect(after[v]).toBeGreaterThanOrEqual((before[v] as number) - 1e-12);
      }
    }
  });

  it("is equivariant under renumbering the nodes", () => {
    const random = rng(5);
    for (const { n, list } of graphs) {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [p[i], p[j]] = [p[j] as number, p[i] as number];
      }
      const renamed = list.map(([u, v]) => [p[u], p[v]] as Edge);
      // Both within 1e-10 of the same vector (the default bound, 9.9e-10, leaves them further apart).
      const x = pagerank(edgesOf(n, list), { tolerance: 1e-10 });
      const y = pagerank(edgesOf(n, renamed), { tolerance: 1e-10 });
      for (let i = 0; i < n; i++)
        expect(Math.abs((y[p[i] as number] as number) - (x[i] as number))).toBeLessThan(1e-12);
    }
  });

  it("reports an error bound within the requested tolerance", () => {
    const { n, list } = graphs[2] as (typeof graphs)[number];
    const report = pagerankReport(edgesOf(n, list), { tolerance: 1e-6 });
    expect(report.errorBound).toBeLessThanOrEqual(1e-6);
    expect(l1(report.ranks, reference(n, list))).toBeLessThanOrEqual(1e-6);
  });
});

/** A python3 that can import networkx: $PYTHON, Debian's, or whatever is on PATH. */
function findPython(): string | undefined {
  const candidates = [process.env.PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ["-c", "import networkx"], { stdio: "ignore" });
      return candidate;
    } catch {}
  }
  return undefined;
}

const python = findPython();
if (python === undefined) {
  console.warn(
    "pagerank.test: skipping the networkx comparison: no python3 with networkx (apt-get install python3-networkx)",
  );
}

describe.skipIf(python === undefined)("pagerank agrees with networkx", () => {
  const dir = mkdtempSync(join(tmpdir(), "sway-pagerank-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const script = `
import json, sys, networkx as nx
data = json.load(open(sys.argv[1]))
g = nx.MultiDiGraph()
g.add_nodes_from(range(data["n"]))
for u, v, w in data["edges"]:
    g.add_edge(u, v, weight=w)
r = nx.pagerank(g, alpha=data["alpha"], tol=1e-14, max_iter=100000, weight="weight")
json.dump([r[i] for i in range(data["n"])], open(sys.argv[2], "w"))
`;

  function networkx(n: number, list: Edge[], alpha: number): Float64Array {
    const input = join(dir, "graph.json");
    const output = join(dir, "ranks.json");
    writeFileSync(input, JSON.stringify({ n, alpha, edges: list.map(([u, v, w = 1]) => [u, v, w]) }));
    execFileSync(python as string, ["-c", script, input, output]);
    return Float64Array.from(JSON.parse(readFileSync(output, "utf8")) as number[]);
  }

  it("within 1e-9 (L1) on random graphs, weighted and not", () => {
    const cases: [number, Edge[], number][] = [
      [300, randomGraph(11, 300, 3000), 0.85],
      [1000, randomGraph(12, 1000, 8000), 0.85],
      [400, randomGraph(13, 400, 2500, true), 0.85],
      [200, [...randomGraph(14, 200, 1000), [5, 5], [5, 5], [6, 7]], 0.7],
    ];
    for (const [n, list, alpha] of cases) {
      expect(l1(pagerank(edgesOf(n, list), { damping: alpha }), networkx(n, list, alpha))).toBeLessThan(1e-9);
    }
  });
});

describe("pagerank on two threads", () => {
  // Big enough for the sweeps to use the worker (pagerank-threads.ts).
  const n = 40_000;
  const random = rng(21);
  const m = parallelMinEdges + 50_000;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const weight = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    from[e] = Math.floor(random() * n * 0.95);
    to[e] = Math.floor(random() ** 3 * n);
    weight[e] = 1 + Math.floor(random() * 4);
  }

  it("gives bit-for-bit the result of one thread, weighted and not", () => {
    for (const edges of [
      { nodeCount: n, from, to },
      { nodeCount: n, from, to, weight },
    ]) {
      const sys = buildSystem(edges);
      expect(sys.col.buffer).toBeInstanceOf(SharedArrayBuffer);
      const options = { alpha: 0.85, tolerance: 1e-10, maxIterations: 200 };
      const one = solve(sys, { ...options, threads: 1 });
      const two = solve(sys, { ...options, threads: 2 });
      expect(two.iterations).toBe(one.iterations);
      expect(two.errorBound).toBe(one.errorBound);
      expect(two.x).toEqual(one.x);
      // The worker ran (no failure fell back to one thread).
      expect(threadsAvailable()).toBe(true);
      expect(l1(pagerank(edges), reference(n, edgeList(edges)))).toBeLessThan(1e-9);
    }
  });

  it("builds the same CSR on shared memory or not, with sources packed or not", () => {
    // Over 2^20 nodes the sources no longer fit beside a bucket offset in 32 bits (pagerank-system.ts).
    const big = 2 ** 20 + 10;
    const wide = { nodeCount: big, from: from.map((u) => (u * 26) % big), to: to.map((v) => (v * 29) % big) };
    for (const edges of [{ nodeCount: n, from, to }, { nodeCount: n, from, to, weight }, wide]) {
      const two = buildSystem(edges);
      expect(two.col.buffer).toBeInstanceOf(SharedArrayBuffer);
      setPagerankThreads(1);
      const one = (() => {
        try {
          return buildSystem(edges);
        } finally {
          setPagerankThreads(2);
        }
      })();
      expect(one.col.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      expect(sameArray(two.rowStart, one.rowStart)).toBe(true);
      expect(sameArray(two.col, one.col)).toBe(true);
      expect(two.val === null ? one.val === null : one.val !== null && sameArray(two.val, one.val)).toBe(
        true,
      );
      expect(sameArray(two.invOut, one.invOut)).toBe(true);
      // Rows in input order, and 1 / out-weight.
      const nodes = edges.nodeCount;
      const rowStart = new Int32Array(nodes + 1);
      const out = new Float64Array(nodes);
      for (let e = 0; e < m; e++) {
        const v = edges.to[e] as number;
        rowStart[v + 1] = (rowStart[v + 1] as number) + 1;
        const u = edges.from[e] as number;
        out[u] = (out[u] as number) + ("weight" in edges ? (edges.weight[e] as number) : 1);
      }
      for (let v = 0; v < nodes; v++) rowStart[v + 1] = (rowStart[v + 1] as number) + (rowStart[v] as number);
      const col = new Int32Array(m);
      const cursor = rowStart.slice(0, nodes);
      for (let e = 0; e < m; e++) {
        const v = edges.to[e] as number;
        col[cursor[v] as number] = edges.from[e] as number;
        cursor[v] = (cursor[v] as number) + 1;
      }
      expect(sameArray(one.rowStart, rowStart)).toBe(true);
      expect(sameArray(one.col, col)).toBe(true);
      expect(
        sameArray(
          one.invOut,
          out.map((w) => (w === 0 ? 0 : 1 / w)),
        ),
      ).toBe(true);
    }
  });

  it("adds a second, weighted CSR over the same rows to edges of one weight", () => {
    // Edges split in two: the first half weighing `unit` each, the rest weighted, as the
    // recompute splits follows from interactions.
    const unit = 2;
    const half = m >> 1;
    const csrOf = (a: number, b: number) => {
      const rowStart = new Int32Array(n + 1);
      for (let e = a; e < b; e++)
        rowStart[(to[e] as number) + 1] = (rowStart[(to[e] as number) + 1] as number) + 1;
      for (let v = 0; v < n; v++) rowStart[v + 1] = (rowStart[v + 1] as number) + (rowStart[v] as number);
      const cursor = rowStart.slice(0, n);
      const col = new Int32Array(b - a);
      const val = new Float64Array(b - a);
      for (let e = a; e < b; e++) {
        const k = cursor[to[e] as number] as number;
        cursor[to[e] as number] = k + 1;
        col[k] = from[e] as number;
        val[k] = weight[e] as number;
      }
      return { rowStart, col, val };
    };
    const plain = csrOf(0, half);
    const extra = csrOf(half, m);
    const all = new Float64Array(m);
    const outWeight = new Float64Array(n);
    for (let e = 0; e < m; e++) {
      all[e] = e < half ? unit : (weight[e] as number);
      outWeight[from[e] as number] = (outWeight[from[e] as number] as number) + (all[e] as number);
    }
    const split = pagerankOfCsr({
      nodeCount: n,
      rowStart: plain.rowStart,
      col: plain.col,
      val: null,
      unit,
      extra,
      outWeight,
    });
    const whole = pagerank({ nodeCount: n, from, to, weight: all });
    expect(l1(split.ranks, whole)).toBeLessThan(1e-9);
  });
});

/** Bit-for-bit equality (toEqual walks a million entries slowly). */
function sameArray(a: Int32Array | Float64Array, b: Int32Array | Float64Array): boolean {
  const bytes = (x: Int32Array | Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return a.constructor === b.constructor && bytes(a).equals(bytes(b));
}

function edgeList(edges: { from: Int32Array; to: Int32Array; weight?: Float64Array }): Edge[] {
  return Array.from(edges.from, (u, e) =>
    edges.weight === undefined
      ? [u, edges.to[e] as number]
      : [u, edges.to[e] as number, edges.weight[e] as number],
  );
}

describe("pagerank input validation", () => {
  const ok = { nodeCount: 2, from: Int32Array.of(0), to: Int32Array.of(1) };

  it("rejects mismatched lengths and out-of-range indices", () => {
    expect(() => pagerank({ ...ok, to: Int32Array.of(1, 0) })).toThrow(/from has 1 entries but to has 2/);
    expect(() => pagerank({ ...ok, to: Int32Array.of(2) })).toThrow(/outside \[0, 2\)/);
    expect(() => pagerank({ ...ok, from: Int32Array.of(-1) })).toThrow(/outside \[0, 2\)/);
    expect(() => pagerank({ ...ok, weight: Float64Array.of(1, 2) })).toThrow(/weight has 2 entries/);
    expect(() => pagerank({ ...ok, nodeCount: 1.5 })).toThrow(/nodeCount/);
    expect(() => pagerank({ ...ok, nodeCount: 0 })).toThrow(/outside \[0, 0\)/);
  });

  it("rejects negative and non-finite weights", () => {
    for (const w of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pagerank({ ...ok, weight: Float64Array.of(w) })).toThrow(
        /weights must be finite and >= 0/,
      );
    }
  });

  it("rejects bad options and reports non-convergence", () => {
    for (const damping of [1, -0.1, Number.NaN]) expect(() => pagerank(ok, { damping })).toThrow(/damping/);
    expect(() => pagerank(ok, { tolerance: 0 })).toThrow(/tolerance/);
    expect(() => pagerank(ok, { maxIterations: 0 })).toThrow(/maxIterations/);
    const { n, list } = { n: 300, list: randomGraph(3, 300, 2000) };
    expect(() => pagerank(edgesOf(n, list), { maxIterations: 2 })).toThrow(/no convergence in 2 iterations/);
  });
});
