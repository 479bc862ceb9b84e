"""igraph PRPACK peer: reads a SWAYGRF1 graph file, times only Graph.pagerank, prints JSON.

usage: igraph_pagerank.py GRAPH_FILE [RESULT_FILE] [REPEAT]
RESULT_FILE, when given, receives the ranks as raw little-endian float64; the call is timed
REPEAT times (default 3) and the median reported. PRPACK's tolerance is fixed at 1e-10.
"""
import sys
import time

import igraph

from graphfile import read_graph, report, write_ranks


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
        write_ranks(sys.argv[2], ranks)
    report(runs, f"python-igraph {igraph.__version__}, PRPACK")


main()
