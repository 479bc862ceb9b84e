// PageRank benchmark: our kernel against igraph (PRPACK), graphology-metrics and networkx, each
// in its own process on the same generated graph file. Prints a markdown table.
//
// usage: npm run bench -- [--sizes 10k,100k,1m] [--peers sway,igraph,graphology,networkx]
//                          [--repeat 3] [--timeout 900]
// Graph files are cached in bench/.data/. The converged reference is networkx (tol 1e-14/N) where
// it runs (up to 100k nodes), else our kernel at tolerance 1e-14.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseSize, powerLawGraph, writeGraph } from "./graph.js";
import type { PeerResult } from "./peers/protocol.js";

const benchDir = dirname(fileURLToPath(import.meta.url));
const dataDir = join(benchDir, ".data");
const seed = 42;

interface Peer {
  name: string;
  /** Which sizes it runs at; undefined means all. */
  maxNodes?: number;
  command: (graph: string, ranks: string, repeat: number) => [string, string[]];
}

function findPython(module: string): string | undefined {
  for (const candidate of [process.env.PYTHON, "/usr/bin/python3", "python3"]) {
    if (candidate === undefined) continue;
    if (spawnSync(candidate, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0) return candidate;
  }
  return undefined;
}

const tsx = (script: string, args: string[]): [string, string[]] => [
  process.execPath,
  ["--import", "tsx", join(benchDir, "peers", script), ...args],
];

function peers(): Peer[] {
  const igraph = findPython("igraph");
  const networkx = findPython("networkx");
  const list: Peer[] = [
    { name: "sway", command: (g, r, n) => tsx("sway.ts", [g, r, "--repeat", String(n)]) },
    {
      name: "sway (tol 1e-14)",
      command: (g, r) => tsx("sway.ts", [g, r, "--tolerance", "1e-14", "--repeat", "1"]),
    },
    {
      name: "graphology (default tol)",
      command: (g, r) => tsx("graphology.ts", [g, r]),
    },
    {
      // ‖Δ‖₁ < N·tol with N·tol = 1.76e-11 gives the same 1e-10 bound our kernel stops at.
      name: "graphology (matched tol)",
      command: (g, r) => tsx("graphology.ts", [g, r, "--tolerance", String(1.76e-11 / nodesOf(g))]),
    },
  ];
  if (igraph !== undefined) {
    list.push({
      name: "igraph PRPACK",
      command: (g, r, n) => [igraph, [join(benchDir, "peers", "igraph_pagerank.py"), g, r, String(n)]],
    });
  } else console.warn("no python3 with igraph: skipping igraph (apt-get install python3-igraph)");
  if (networkx !== undefined) {
    list.push({
      name: "networkx (tol 1e-14/N)",
      maxNodes: 100_000,
      command: (g, r) => [networkx, [join(benchDir, "peers", "networkx_pagerank.py"), g, r]],
    });
  } else console.warn("no python3 with networkx: skipping networkx (apt-get install python3-networkx)");
  return list;
}

function nodesOf(graphFile: string): number {
  return readFileSync(graphFile).readUInt32LE(8);
}

function graphFile(nodes: number): string {
  const path = join(dataDir, `powerlaw-${nodes}-seed${seed}.bin`);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const started = performance.now();
    writeGraph(path, powerLawGraph(nodes, { seed }));
    console.error(`generated ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return path;
}

interface Outcome {
  peer: string;
  result?: PeerResult;
  ranks?: Float64Array;
  error?: string;
}

function runPeer(peer: Peer, graph: string, repeat: number, timeoutSeconds: number): Outcome {
  const ranksPath = join(dataDir, `ranks-${peer.name.replace(/\W+/g, "_")}.f64`);
  const [command, args] = peer.command(graph, ranksPath, repeat);
  console.error(`  ${peer.name} …`);
  const child = spawnSync(command, args, {
    encoding: "utf8",
    timeout: timeoutSeconds * 1000,
    maxBuffer: 1 << 24,
    killSignal: "SIGKILL",
  });
  if (child.status !== 0) {
    const why = child.error?.message ?? child.stderr.trim().split("\n").slice(-3).join(" ");
    return { peer: peer.name, error: why || `exit ${child.status ?? child.signal}` };
  }
  const line = child.stdout.trim().split("\n").at(-1) ?? "";
  const ranks = new Float64Array(new Uint8Array(readFileSync(ranksPath)).buffer);
  return { peer: peer.name, result: JSON.parse(line) as PeerResult, ranks };
}

function l1(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;

function table(nodes: number, edges: number, outcomes: Outcome[], referenceName: string): string {
  const ours = outcomes.find((o) => o.peer === "sway")?.result?.seconds;
  const reference = outcomes.find((o) => o.peer === referenceName)?.ranks;
  const rows = outcomes.map(({ peer, result, ranks, error }) => {
    if (result === undefined) return `| ${peer} | failed: ${error} | | | | |`;
    const ratio = ours === undefined ? "" : `${(result.seconds / ours).toFixed(2)}×`;
    const accuracy =
      reference === undefined || ranks === undefined ? "" : l1(ranks, reference).toExponential(1);
    const runs = result.runs.map((s) => s.toFixed(3)).join(", ");
    return `| ${peer} | ${result.seconds.toFixed(3)} (${runs}) | ${ratio} | ${mib(result.peakRssBytes)} | ${accuracy} | ${result.note ?? ""} |`;
  });
  return [
    `### ${nodes.toLocaleString("en")} nodes, ${edges.toLocaleString("en")} edges`,
    "",
    `| peer | seconds (runs) | time / sway | peak RSS MiB | L1 vs ${referenceName} | note |`,
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10k,100k,1m" },
      peers: { type: "string" },
      repeat: { type: "string", default: "3" },
      timeout: { type: "string", default: "900" },
    },
  });
  const wanted = values.peers?.split(",").map((p) => p.trim().toLowerCase());
  const selected = peers().filter(
    (p) => wanted === undefined || wanted.some((w) => p.name.toLowerCase().startsWith(w)),
  );
  const out: string[] = [];
  for (const size of values.sizes.split(",")) {
    const nodes = parseSize(size);
    const graph = graphFile(nodes);
    const edges = (readFileSync(graph).length - 16) / 8;
    console.error(`${nodes} nodes, ${edges} edges`);
    const runnable = selected.filter((p) => p.maxNodes === undefined || nodes <= p.maxNodes);
    const outcomes = runnable.map((p) => runPeer(p, graph, Number(values.repeat), Number(values.timeout)));
    const hasNetworkx = outcomes.some((o) => o.peer.startsWith("networkx") && o.ranks !== undefined);
    const reference = hasNetworkx ? "networkx (tol 1e-14/N)" : "sway (tol 1e-14)";
    out.push(table(nodes, edges, outcomes, reference));
    console.log(out.at(-1));
  }
}

main();
