"""networkx peer, used as the converged reference: reads a SWAYGRF1 graph file, runs
nx.pagerank with tol=1e-14/N (its rule is L1 change < N*tol), prints JSON.

usage: networkx_pagerank.py GRAPH_FILE [RESULT_FILE]
RESULT_FILE, when given, receives the ranks as raw little-endian float64.
"""
import json
import resource
import sys
import time

import networkx as nx
import numpy as np


def read_graph(path):
    with open(path, "rb") as f:
        header = f.read(16)
        if header[:8] != b"SWAYGRF1":
            raise SystemExit(f"{path} is not a SWAYGRF1 graph file")
        n = int.from_bytes(header[8:12], "little")
        m = int.from_bytes(header[12:16], "little")
        edges = np.fromfile(f, dtype="<i4", count=2 * m).reshape(2, m)
    return n, edges


def main():
    n, edges = read_graph(sys.argv[1])
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(edges[0].tolist(), edges[1].tolist()))
    start = time.perf_counter()
    # networkx stops at L1 change < N*tol: make that 1e-14 overall, not per node.
    ranks = nx.pagerank(graph, alpha=0.85, tol=1e-14 / n, max_iter=100000)
    seconds = time.perf_counter() - start
    if len(sys.argv) > 2:
        np.asarray([ranks[i] for i in range(n)], dtype="<f8").tofile(sys.argv[2])
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "runs": [seconds], "peakRssBytes": peak_kib * 1024,
                      "note": f"networkx {nx.__version__}, tol 1e-14/N"}))


main()
