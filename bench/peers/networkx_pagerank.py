"""networkx peer, used as the converged reference: reads a SWAYGRF1 graph file, runs
nx.pagerank with tol=1e-14/N (its rule is L1 change < N*tol), prints JSON.

usage: networkx_pagerank.py GRAPH_FILE [RESULT_FILE]
RESULT_FILE, when given, receives the ranks as raw little-endian float64.
"""
import sys
import time

import networkx as nx

from graphfile import read_graph, report, write_ranks


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
        write_ranks(sys.argv[2], [ranks[i] for i in range(n)])
    report([seconds], f"networkx {nx.__version__}, tol 1e-14/N")


main()
