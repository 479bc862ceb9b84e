// Grouping by small integer keys without a comparison sort.
//
// A counting sort over as many buckets as there are members (a million) makes two dependent
// random accesses per item (the bucket's cursor, then the slot it points to), each a cache miss:
// about 100 ms per million items here. Instead the order comes from a least-significant-digit
// radix sort with 2^11 buckets per pass, whose counters stay in cache and whose writes go to a few
// thousand sequential streams; only the row starts need one pass of random increments.

const digitBits = 11;
const radix = 1 << digitBits;

/** Bits needed for keys in [0, rows). */
function bitsFor(rows: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(rows, 2))));
}

/**
 * The indices 0..m-1 in stable order of their keys, the last array of `keys` most significant
 * (so [actor, target] orders by target, then actor, then index); every key in [0, rows).
 */
export function radixOrder(
  keys: readonly Int32Array[],
  rows: number,
  int32?: (length: number) => Int32Array,
): Int32Array {
  const m = keys[0]?.length ?? 0;
  const bits = bitsFor(rows);
  let order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  let spare = new Int32Array(m);
  let value = new Int32Array(m);
  let spareValue = new Int32Array(m);
  const count = new Int32Array(radix);
  for (const key of keys) {
    // The key of each item in the current order, carried along so every pass reads in sequence.
    for (let j = 0; j < m; j++) value[j] = key[order[j] as number] as number;
    for (let shift = 0; shift < bits; shift += digitBits) {
      digitStarts(value, shift, count);
      for (let j = 0; j < m; j++) {
        const v = value[j] as number;
        const d = (v >>> shift) & (radix - 1);
        const at = count[d] as number;
        count[d] = at + 1;
        spare[at] = order[j] as number;
        spareValue[at] = v;
      }
      [order, spare] = [spare, order];
      [value, spareValue] = [spareValue, value];
    }
  }
  if (int32 === undefined) return order;
  const result = int32(m);
  result.set(order);
  return result;
}

/** Row starts for keys in [0, rows): row r is [start[r], start[r + 1]) of a stable order by key. */
export function rowStarts(
  key: Int32Array,
  rows: number,
  int32: (length: number) => Int32Array = (length) => new Int32Array(length),
): Int32Array {
  const start = int32(rows + 1);
  for (let i = 0; i < key.length; i++) {
    const r = (key[i] as number) + 1;
    start[r] = (start[r] as number) + 1;
  }
  for (let r = 0; r < rows; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  return start;
}

/**
 * The indices 0..keys.length-1 grouped by key, in index order within a group: row r is
 * order[start[r] .. start[r+1]). `int32` allocates the two results (on shared memory, say).
 */
export function groupIndicesByKey(
  keys: Int32Array,
  rows: number,
  int32?: (length: number) => Int32Array,
): { start: Int32Array; order: Int32Array } {
  return { start: rowStarts(keys, rows, int32), order: radixOrder([keys], rows, int32) };
}

/** Items sorted by (major, minor), stable: the keys and each item's value, in that order. */
export interface SortedPairs {
  minor: Int32Array;
  major: Int32Array;
  value: Float64Array;
}

/**
 * The items (minor[i], major[i], value[i]) in stable order of major, then minor; every key in
 * [0, rows). The same least-significant-digit passes as radixOrder, but each pass moves the keys
 * and the value along instead of an index: a caller that reads the items in their new order then
 * reads in sequence, where reading through radixOrder's permutation makes a random access per item
 * (about 150 ms per million items here for the interaction pairs, against 90 ms for the sort).
 * The result's arrays come from `int32` and `float64` (on shared memory, say), the other
 * pass's from plain ones; the caller owns them all.
 */
export function radixSortPairs(
  minor: Int32Array,
  major: Int32Array,
  value: Float64Array,
  rows: number,
  int32: (length: number) => Int32Array = (length) => new Int32Array(length),
  float64: (length: number) => Float64Array = (length) => new Float64Array(length),
): SortedPairs {
  const m = minor.length;
  const digits = Math.ceil(bitsFor(rows) / digitBits);
  const buffer = (result: boolean): SortedPairs =>
    result
      ? { minor: int32(m), major: int32(m), value: float64(m) }
      : { minor: new Int32Array(m), major: new Int32Array(m), value: new Float64Array(m) };
  // An even number of passes from the input: the last lands in the second buffer.
  let to = buffer(false);
  let spare = buffer(true);
  let from: SortedPairs = { minor, major, value };
  for (const byMajor of [false, true]) {
    for (let digit = 0; digit < digits; digit++) {
      pairsPass(from, to, byMajor ? from.major : from.minor, digit * digitBits, new Int32Array(radix));
      from = to;
      [to, spare] = [spare, to];
    }
  }
  return from;
}

/** One stable counting pass of radixSortPairs on the digit of `key` at `shift`, from → to. */
function pairsPass(
  from: SortedPairs,
  to: SortedPairs,
  key: Int32Array,
  shift: number,
  count: Int32Array,
): void {
  const m = key.length;
  digitStarts(key, shift, count);
  const { minor, major, value } = from;
  const { minor: toMinor, major: toMajor, value: toValue } = to;
  for (let j = 0; j < m; j++) {
    const d = ((key[j] as number) >>> shift) & (radix - 1);
    const at = count[d] as number;
    count[d] = at + 1;
    toMinor[at] = minor[j] as number;
    toMajor[at] = major[j] as number;
    toValue[at] = value[j] as number;
  }
}

/** count[d] = where the items whose digit of `key` at `shift` is d start, in a stable pass. */
function digitStarts(key: Int32Array, shift: number, count: Int32Array): void {
  count.fill(0);
  for (let j = 0; j < key.length; j++) {
    const d = ((key[j] as number) >>> shift) & (radix - 1);
    count[d] = (count[d] as number) + 1;
  }
  let total = 0;
  for (let d = 0; d < radix; d++) {
    const c = count[d] as number;
    count[d] = total;
    total += c;
  }
}

/**
 * groupIndicesByKey, radixSortPairs and what they call, as source text for a worker
 * (recompute.ts): these functions use nothing but each other and the two constants.
 */
export const groupSource = `const digitBits = ${digitBits};
const radix = ${radix};
${[bitsFor, digitStarts, radixOrder, rowStarts, groupIndicesByKey, radixSortPairs, pairsPass].map(String).join("\n")}`;
