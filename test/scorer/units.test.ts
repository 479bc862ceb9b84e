// The scorer's pure parts: reasons from triggers, causes of a move, the noise-floor filter, SQL
// literals, dense indices and timestamps.
import { describe, expect, it } from "vitest";
import { type Cause, causesOfMove } from "../../src/scorer/causes.js";
import type { GraphEventRow } from "../../src/scorer/events.js";
import { denseIndex, toMs } from "../../src/scorer/load.js";
import { reasonsFor } from "../../src/scorer/reasons.js";
import { rowsJson } from "../../src/scorer/sql.js";
import { batchBounds } from "../../src/scorer/write.js";
import { appWriteGate, asAppWrite, asScorerWrite, yieldToAppWrites } from "../../src/scorer/write-gate.js";
import {
  endorsementCause as endorsement,
  memberCause as member,
  remainderCause as remainder,
} from "./fixtures.js";

const event = (
  id: number,
  kind: GraphEventRow["kind"],
  actorId: number | null,
  subjectId: number | null,
) => ({
  id,
  kind,
  actorId,
  subjectId,
  refId: null,
});

const total = (causes: Cause[]) => causes.reduce((sum, cause) => sum + cause.share, 0);

describe("reasonsFor", () => {
  it("names endorsees ENDORSEMENT, subjects of activity ACTIVITY, everyone else NETWORK", () => {
    const reasonOf = reasonsFor({
      kind: "events",
      events: [
        event(1, "FOLLOW", 1, 2),
        event(2, "INTERACTION", 3, 4),
        event(3, "ENDORSE", 5, 6),
        event(4, "REVOKE_ENDORSEMENT", 7, 8),
        event(5, "UNFOLLOW", 9, 6),
        event(6, "INTERACTION", 3, null),
      ],
    });
    expect([2, 4, 6, 8, 1, 3, 5, 10].map((id) => reasonOf(id, false))).toEqual([
      "ACTIVITY",
      "ACTIVITY",
      "ENDORSEMENT",
      "ENDORSEMENT",
      "NETWORK",
      "NETWORK",
      "NETWORK",
      "NETWORK",
    ]);
    expect(reasonOf(2, true)).toBe("ACTIVITY");
  });

  it("says ERASURE for members moved by an erasure in the batch", () => {
    const reasonOf = reasonsFor({
      kind: "events",
      events: [event(1, "FOLLOW", 1, 2), event(2, "ERASURE", null, null)],
    });
    expect([reasonOf(2, false), reasonOf(3, false)]).toEqual(["ACTIVITY", "ERASURE"]);
  });

  it("uses the trigger's reason for moves, and NETWORK for first scores outside event runs", () => {
    expect(reasonsFor({ kind: "decay" })(1, false)).toBe("DECAY");
    expect(reasonsFor({ kind: "model-change" })(1, false)).toBe("MODEL_CHANGE");
    expect(reasonsFor({ kind: "erasure" })(1, false)).toBe("ERASURE");
    expect(reasonsFor({ kind: "decay" })(1, true)).toBe("NETWORK");
  });
});

describe("causesOfMove", () => {
  it("gives a first score its explanation", () => {
    const after = { raw: 2, causes: [member(7, 0.5), endorsement(3, 0.2), remainder(0.3)] };
    const causes = causesOfMove("NETWORK", null, after, 5);
    expect(causes.map((c) => [c.kind, c.memberId ?? c.endorsementId])).toEqual([
      ["MEMBER", 7],
      ["ENDORSEMENT", 3],
      ["REMAINDER", null],
    ]);
    expect(causes[0]?.share).toBeCloseTo(0.5, 12);
    expect(causes[1]?.share).toBeCloseTo(0.2, 12);
    expect(total(causes)).toBeCloseTo(1, 12);
  });

  it("attributes a move to what changed, signed, largest first, and sums to 1", () => {
    const before = { raw: 1, causes: [member(1, 0.6), member(2, 0.2), remainder(0.2)] };
    // Member 1 now contributes 0.6 (was 0.6), member 2 gives 0.1 (was 0.2), endorsement 9 adds 0.5.
    const after = {
      raw: 1.5,
      causes: [member(1, 0.4), endorsement(9, 1 / 3), member(2, 0.1 / 1.5), remainder(0.2)],
    };
    const causes = causesOfMove("ENDORSEMENT", before, after, 5);
    expect(causes.map((c) => c.kind)).toEqual(["ENDORSEMENT", "MEMBER", "REMAINDER"]);
    expect(causes[0]).toMatchObject({ endorsementId: 9, topicId: 1 });
    expect(causes[0]?.share).toBeCloseTo(1, 9);
    expect(causes[1]).toMatchObject({ memberId: 2 });
    expect(causes[1]?.share).toBeCloseTo(-0.2, 9);
    expect(total(causes)).toBeCloseTo(1, 12);
  });

  it("keeps only the top causes, leaving the rest to the remainder", () => {
    const after = { raw: 1, causes: [member(1, 0.4), member(2, 0.3), member(3, 0.2), remainder(0.1)] };
    const causes = causesOfMove("NETWORK", null, after, 2);
    expect(causes.map((c) => c.memberId)).toEqual([1, 2, null]);
    expect(causes[2]?.share).toBeCloseTo(0.3, 12);
  });

  it("names decay and model changes as the causes of moves they explain", () => {
    const before = { raw: 1, causes: [member(1, 1)] };
    const after = { raw: 0.9, causes: [member(1, 1)] };
    expect(causesOfMove("DECAY", before, after, 5)).toMatchObject([{ kind: "DECAY", share: 1 }]);
    expect(causesOfMove("MODEL_CHANGE", before, after, 5)).toMatchObject([
      { kind: "MODEL_CHANGE", share: 1 },
    ]);
  });
});

describe("rowsJson", () => {
  it("carries numbers, nulls, dates and text as JSON, one array per row", () => {
    const rows = [
      [1.5e-7, -3, null, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))],
      ["MODEL_CHANGE", '{"network":1.5,"raw":-2e-9}', 0.1 + 0.2, undefined],
    ];
    const json = rowsJson(rows);
    expect(json).toBe(
      '[[1.5e-7,-3,null,"2026-01-02T03:04:05.006+00:00"],["MODEL_CHANGE","{\\"network\\":1.5,\\"raw\\":-2e-9}",0.30000000000000004,null]]',
    );
    // Every number comes back bit for bit.
    expect(JSON.parse(json)[1][2]).toBe(0.1 + 0.2);
  });

  it("refuses what JSON cannot carry exactly", () => {
    expect(() => rowsJson([[Number.NaN]])).toThrow(RangeError);
    expect(() => rowsJson([[Number.POSITIVE_INFINITY]])).toThrow(RangeError);
    expect(() => rowsJson([[{}]])).toThrow(TypeError);
  });
});

describe("denseIndex", () => {
  it("maps ids to indices both ways, with a table or a search", () => {
    for (const ids of [Int32Array.from([2, 3, 7, 40]), Int32Array.from([5, 90_000, 2_000_000_000])]) {
      const index = denseIndex(ids);
      ids.forEach((id, i) => {
        expect(index.indexOf(id)).toBe(i);
      });
      expect(index.indexOf(4)).toBe(-1);
      expect(index.indexOf(-1)).toBe(-1);
      expect(index.indexOf(2_000_000_001)).toBe(-1);
    }
  });
});

describe("toMs", () => {
  it("reads dates as either database returns them", () => {
    const ms = Date.UTC(2026, 10, 25, 18, 38, 1, 250);
    expect(toMs(new Date(ms))).toBe(ms);
    expect(toMs("2026-11-25T18:38:01.250+00:00")).toBe(ms);
    expect(toMs("2026-11-25 18:38:01.250")).toBe(ms);
    expect(toMs(BigInt(ms))).toBe(ms);
    expect(() => toMs("yesterday")).toThrow();
  });
});

describe("the write gate", () => {
  it("lets the scorer through at once when no API write is in flight, else after the last ends", async () => {
    const gate = appWriteGate();
    await yieldToAppWrites(gate); // nothing in flight: returns at once
    let release: () => void = () => {};
    const inFlight = asAppWrite(() => new Promise<void>((resolve) => (release = resolve)));
    expect(Atomics.load(gate, 0)).toBe(1);
    let through = false;
    const waiting = yieldToAppWrites(gate, 10_000).then(() => {
      through = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(through).toBe(false);
    release();
    await inFlight;
    await waiting;
    expect(through).toBe(true);
    expect(Atomics.load(gate, 0)).toBe(0);
  });

  it("never holds the scorer longer than its limit, and counts a failed write as ended", async () => {
    const gate = appWriteGate();
    let release: () => void = () => {};
    const inFlight = asAppWrite(
      () => new Promise<void>((_, reject) => (release = () => reject(new Error("x")))),
    );
    await yieldToAppWrites(gate, 5);
    expect(Atomics.load(gate, 0)).toBe(1);
    release();
    await expect(inFlight).rejects.toThrow("x");
    expect(Atomics.load(gate, 0)).toBe(0);
  });

  it("holds an API write back, without blocking its thread, while the scorer is inside a write", async () => {
    const gate = appWriteGate();
    let release: () => void = () => {};
    const scorerWrite = asScorerWrite(gate, () => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    expect(Atomics.load(gate, 1)).toBe(1);
    const order: string[] = [];
    const apiWrite = asAppWrite(async () => {
      order.push("api");
    });
    // The event loop runs meanwhile: a timer fires while the API write waits.
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push("timer");
    release();
    await scorerWrite;
    await apiWrite;
    expect(order).toEqual(["timer", "api"]);
    expect(Array.from(gate)).toEqual([0, 0]);
  });

  it("has the scorer step back for an API write already in flight, for a bounded time", async () => {
    const gate = appWriteGate();
    let release: () => void = () => {};
    const apiWrite = asAppWrite(() => new Promise<void>((resolve) => (release = resolve)));
    const order: string[] = [];
    const scorerWrite = asScorerWrite(gate, async () => {
      order.push("scorer");
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    expect(Atomics.load(gate, 1)).toBe(0);
    order.push("api");
    release();
    await apiWrite;
    await scorerWrite;
    expect(order).toEqual(["api", "scorer"]);
    // Never starved: an API write that does not end is waited for only up to the limit.
    const stuck = asAppWrite(() => new Promise<void>(() => {}));
    await asScorerWrite(gate, async () => {}, 5);
    expect(Atomics.load(gate, 0)).toBe(1);
    void stuck;
    Atomics.sub(gate, 0, 1);
  });
});

describe("the scorer's write transactions", () => {
  it("put the first members in transactions of their own, then the rest", () => {
    expect(batchBounds(0, 0, 250)).toEqual([0, 0]);
    expect(batchBounds(600, 0, 250)).toEqual([0, 250, 500, 600]);
    expect(batchBounds(600, 3, 250)).toEqual([0, 3, 253, 503, 600]);
    expect(batchBounds(600, 260, 250)).toEqual([0, 250, 260, 510, 600]);
    expect(batchBounds(3, 3, 250)).toEqual([0, 3]);
    // The first members in batches of their own size.
    expect(batchBounds(200, 92, 60, 250)).toEqual([0, 92, 152, 200]);
    expect(batchBounds(200, 92, 60, 50)).toEqual([0, 50, 92, 152, 200]);
  });
});
