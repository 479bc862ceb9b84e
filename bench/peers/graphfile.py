"""What the Python peers share: reading a SWAYGRF1 graph file (see bench/graph.ts) and
printing the result line bench/run.ts reads."""
import json
import resource

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


def write_ranks(path, ranks):
    np.asarray(ranks, dtype="<f8").tofile(path)


def report(runs, note):
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": sorted(runs)[len(runs) // 2], "runs": runs, "peakRssBytes": peak_kib * 1024,
                      "note": note}))
