// The sweep worker failing: the thread waiting for it at a barrier gets an error, not a hang, and
// later work runs on the calling thread alone. (A file of its own: the failure retires the one
// worker for the rest of the process.)
import { describe, expect, it } from "vitest";
import { pagerank } from "../../src/scoring/index.js";
import { ctrlSlots } from "../../src/scoring/pagerank-sweep.js";
import {
  parallelMinEdges,
  sharedControl,
  TwoThreads,
  threadsAvailable,
} from "../../src/scoring/pagerank-threads.js";

describe("a failing sweep worker", () => {
  it("fails the work it was part of, even when it failed before the other thread reached the barrier", () => {
    expect(threadsAvailable()).toBe(true);
    const state = { ctrl: sharedControl() };
    const threads = TwoThreads.start(
      state,
      `function entry() { throw new Error("the task failed"); } return entry;`,
    );
    expect(threads).not.toBeNull();
    const deadline = performance.now() + 10_000;
    expect(() =>
      threads?.task(() => {
        // Arrive only once the worker has failed.
        while (Atomics.load(state.ctrl, ctrlSlots.failed) === 0 && performance.now() < deadline) {}
      }),
    ).toThrow("the sweep worker failed");
    expect(Atomics.load(state.ctrl, ctrlSlots.failed)).toBe(1);

    // The worker is retired: a graph big enough for two threads is ranked on one.
    expect(threadsAvailable()).toBe(false);
    const n = 1000;
    const m = parallelMinEdges + 1000;
    const from = Int32Array.from({ length: m }, (_, e) => e % n);
    const to = Int32Array.from({ length: m }, (_, e) => (e * 7 + 1) % n);
    const ranks = pagerank({ nodeCount: n, from, to });
    expect(ranks.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
