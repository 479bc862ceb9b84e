// Our kernel as a peer: usage: sway.ts GRAPH_FILE RANKS_OUT [--tolerance X] [--repeat N]
// PAGERANK_THREADS=1 in the environment measures it on one thread, as the service's setting does.
import { parseArgs } from "node:util";
import { pagerankReport, setPagerankThreads } from "../../src/scoring/index.js";
import { readGraph } from "../graph.js";
import { median, peakRss, report, writeRanks } from "./protocol.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tolerance: { type: "string" }, repeat: { type: "string", default: "3" } },
});
const [graphFile, ranksFile] = positionals;
if (graphFile === undefined)
  throw new Error("usage: sway.ts GRAPH_FILE [RANKS_OUT] [--tolerance X] [--repeat N]");
if (process.env.PAGERANK_THREADS === "1") setPagerankThreads(1);
const graph = readGraph(graphFile);
const options = values.tolerance === undefined ? {} : { tolerance: Number(values.tolerance) };
const runs: number[] = [];
let last: ReturnType<typeof pagerankReport> | undefined;
for (let run = 0; run < Math.max(1, Number(values.repeat)); run++) {
  const start = performance.now();
  last = pagerankReport(graph, options);
  runs.push((performance.now() - start) / 1000);
}
writeRanks(ranksFile, last?.ranks ?? []);
report({
  seconds: median(runs),
  runs,
  peakRssBytes: peakRss(),
  iterations: last?.iterations,
  note: `L1 error bound ${last?.errorBound.toExponential(1)}`,
});
