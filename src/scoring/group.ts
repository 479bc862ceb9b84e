// Grouping by a small integer key without a comparison sort.

/**
 * Counting-sorts the indices 0..keys.length-1 by key: row r is order[start[r] .. start[r+1]).
 * `int32` allocates the two results (on shared memory, say).
 */
export function groupIndicesByKey(
  keys: Int32Array,
  rows: number,
  int32: (length: number) => Int32Array = (length) => new Int32Array(length),
): { start: Int32Array; order: Int32Array } {
  const start = int32(rows + 1);
  for (let i = 0; i < keys.length; i++) {
    const r = keys[i] as number;
    start[r + 1] = (start[r + 1] as number) + 1;
  }
  for (let r = 0; r < rows; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const cursor = start.slice(0, rows);
  const order = int32(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const r = keys[i] as number;
    order[cursor[r] as number] = i;
    cursor[r] = (cursor[r] as number) + 1;
  }
  return { start, order };
}
