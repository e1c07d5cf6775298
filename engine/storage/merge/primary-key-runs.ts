/**
 * Splits a sorted-run batch into *primary-key runs*: maximal row ranges with one series, each
 * with its encoded key (key-encoding.ts). Keys are built once per run, not per row, so comparing
 * two runs' positions costs one string comparison per change of series.
 */

import type { TagColumn } from './tag-column.ts';

/** The primary-key runs of one batch. */
export interface PrimaryKeyRuns {
  /** Number of runs (0 for an empty batch). */
  count: number;
  /** `starts[r]` is the first row of run `r`; `starts[count]` is the number of rows. */
  starts: Int32Array;
  /** `keys[r]` is the memcomparable key of run `r`: equal strings are equal series. */
  keys: string[];
}

/** The runs of a batch of `numRows` rows whose tag columns (primary-key order) are `tags`. */
export function primaryKeyRuns(tags: readonly TagColumn[], numRows: number): PrimaryKeyRuns {
  if (numRows === 0) return { count: 0, starts: new Int32Array(1), keys: [] };
  const changed = new Uint8Array(numRows);
  for (const tag of tags) tag.markChanges(changed);
  let count = 1;
  for (let i = 1; i < numRows; i++) count += changed[i]!;
  const starts = new Int32Array(count + 1);
  let run = 1;
  for (let i = 1; i < numRows; i++) if (changed[i] === 1) starts[run++] = i;
  starts[count] = numRows;
  const keys = new Array<string>(count);
  for (let r = 0; r < count; r++) keys[r] = encodeRowKey(tags, starts[r]!);
  return { count, starts, keys };
}

/** The encoded primary key of row `row`. */
export function encodeRowKey(tags: readonly TagColumn[], row: number): string {
  let key = '';
  for (const tag of tags) key += tag.pieceAt(row);
  return key;
}
