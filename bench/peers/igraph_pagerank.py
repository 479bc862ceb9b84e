"""igraph PRPACK peer: reads a SWAYGRF1 graph file, times only Graph.pagerank, prints JSON.

usage: igraph_pagerank.py GRAPH_FILE [RESULT_FILE] [REPEAT]
RESULT_FILE, when given, receives the ranks as raw little-endian float64; the call is timed
REPEAT times (default 3) and the median reported. PRPACK's tolerance is fixed at 1e-10.
"""
import json
import resource
import sys
import time

import igraph
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
    graph = igraph.Graph(n=n, edges=edges.T, directed=True)
    del edges
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    runs = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        ranks = graph.pagerank(damping=0.85, implementation="prpack")
        runs.append(time.perf_counter() - start)
    if len(sys.argv) > 2 and sys.argv[2]:
        np.asarray(ranks, dtype="<f8").tofile(sys.argv[2])
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": sorted(runs)[len(runs) // 2], "runs": runs, "peakRssBytes": peak_kib * 1024,
                      "note": f"python-igraph {igraph.__version__}, PRPACK"}))


main()
