// graphology-metrics' pagerank as a peer: usage: graphology.ts GRAPH_FILE RANKS_OUT [--tolerance X]
// Only the pagerank call is timed (it builds its own neighbourhood index inside). Its stopping
// rule is ‖Δ‖₁ < N·tolerance with a default tolerance of 1e-6: loose, N·1e-6 is 1 at 1M nodes.
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import type { DirectedGraph as DirectedGraphType } from "graphology";
import { readGraph } from "../graph.js";
import { peakRss, report, writeRanks } from "./protocol.js";

// Both packages are CommonJS whose typings declare ESM defaults: load them the CommonJS way.
const require = createRequire(import.meta.url);
const { DirectedGraph } = require("graphology") as { DirectedGraph: typeof DirectedGraphType };
type Pagerank = (graph: DirectedGraphType, options: Record<string, unknown>) => Record<string, number>;
const pagerank = require("graphology-metrics/centrality/pagerank") as Pagerank;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tolerance: { type: "string" }, "max-iterations": { type: "string", default: "1000" } },
});
const [graphFile, ranksFile] = positionals;
if (graphFile === undefined) throw new Error("usage: graphology.ts GRAPH_FILE [RANKS_OUT] [--tolerance X]");
const { nodeCount, from, to } = readGraph(graphFile);
const graph = new DirectedGraph({ allowSelfLoops: true });
for (let u = 0; u < nodeCount; u++) graph.addNode(u);
for (let e = 0; e < from.length; e++) graph.addEdge(from[e], to[e]);
const options = {
  alpha: 0.85,
  getEdgeWeight: null,
  maxIterations: Number(values["max-iterations"]),
  ...(values.tolerance === undefined ? {} : { tolerance: Number(values.tolerance) }),
};
const start = performance.now();
const ranks = pagerank(graph, options);
const seconds = (performance.now() - start) / 1000;
const ordered = new Float64Array(nodeCount);
for (let u = 0; u < nodeCount; u++) ordered[u] = ranks[String(u)] ?? Number.NaN;
writeRanks(ranksFile, ordered);
report({
  seconds,
  runs: [seconds],
  peakRssBytes: peakRss(),
  note: `tolerance ${options.tolerance ?? "1e-6 (default)"}`,
});
