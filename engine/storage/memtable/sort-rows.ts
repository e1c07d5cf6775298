/**
 * The sorted order of a memtable's rows: by series rank (primary-key order), time ascending,
 * sequence descending — the sorted-run order — as an `Int32Array` of row numbers.
 *
 * A counting sort by series rank first (stable, O(rows + series)), then each series' rows are
 * checked and only sorted when out of order. Rows of a series arrive in write order, which for
 * time-series data is almost always time order, so the common case is two linear passes and no
 * comparison sort at all.
 */

/** What the sort reads, all indexed by row (`ts` by word: row `r` is `ts[2r + 1]`:`ts[2r]`). */
export interface SortInput {
  rows: number;
  seriesIds: Int32Array;
  /** `rank[seriesId]`: position of the series in primary-key order. */
  rank: Int32Array;
  seriesCount: number;
  ts: Int32Array;
  sequence: Float64Array;
}

/** Row numbers `[0, rows)` in sorted-run order. */
export function sortRows(input: SortInput): Int32Array {
  const { rows, seriesIds, rank, seriesCount, ts, sequence } = input;
  const starts = new Int32Array(seriesCount + 1);
  for (let r = 0; r < rows; r++) starts[rank[seriesIds[r]!]! + 1]!++;
  for (let s = 0; s < seriesCount; s++) starts[s + 1]! += starts[s]!;
  const next = starts.slice(0, seriesCount);
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) order[next[rank[seriesIds[r]!]!]!++] = r;

  const compare = (a: number, b: number): number => compareRows(ts, sequence, a, b);
  for (let s = 0; s < seriesCount; s++) {
    const from = starts[s]!;
    const to = starts[s + 1]!;
    for (let j = from + 1; j < to; j++) {
      if (compareRows(ts, sequence, order[j - 1]!, order[j]!) > 0) {
        order.subarray(from, to).sort(compare);
        break;
      }
    }
  }
  return order;
}

/** Time ascending (signed 64-bit as hi:lo words), then sequence descending. */
function compareRows(ts: Int32Array, sequence: Float64Array, a: number, b: number): number {
  const hiA = ts[2 * a + 1]!;
  const hiB = ts[2 * b + 1]!;
  if (hiA !== hiB) return hiA < hiB ? -1 : 1;
  const loA = ts[2 * a]! >>> 0;
  const loB = ts[2 * b]! >>> 0;
  if (loA !== loB) return loA < loB ? -1 : 1;
  return sequence[b]! - sequence[a]!;
}
