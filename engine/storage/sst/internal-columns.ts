/**
 * The sorted-run internal columns (`__sequence`, `__op_type`; ../merge/sorted-run.ts) as an SST
 * stores them, so flushes and compactions keep versions and tombstones on disk.
 *
 * In memory a run's `__sequence` is Float64 (cheap merge comparisons); on disk it is an INT64
 * column with `DELTA_BINARY_PACKED`: within a series sequences rise by a near-constant stride,
 * so the deltas pack to a few bits per row where a DOUBLE column costs bytes per row (this is
 * what keeps TSBS files under 0.45 bytes per value). The conversions go through Int32 word
 * views, no BigInt per row. `__op_type` is stored as is (UINT_8 in an INT32 column, all-puts
 * runs pack to nothing).
 *
 * A file that has them lists them in the `tessera.internal_columns` metadata key; they are the
 * file's last Parquet columns, after the region schema's.
 */

import type { Data } from 'apache-arrow';
import { Field, Float64, Int64, Uint8, makeData, type DataType } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { opTypeColumnName, sequenceColumnName } from '../merge/sorted-run.ts';

/** Internal column names in the order a file stores them. */
export const sstInternalColumnNames: readonly string[] = [sequenceColumnName, opTypeColumnName];

/** The Arrow fields the Parquet columns are encoded from and decoded to (before `__sequence` becomes Float64). */
export function storedInternalFields(): Field[] {
  return [new Field(sequenceColumnName, new Int64(), false), new Field(opTypeColumnName, new Uint8(), false)];
}

const twoTo32 = 2 ** 32;

/** A Float64 `__sequence` column as the Int64 the file stores (exact below 2**53). */
export function sequenceToStored(data: Data): Data {
  if (data.typeId !== new Float64().typeId) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Column "${sequenceColumnName}" must be Float64 but is ${String(data.type)}`,
    );
  }
  if (data.nullCount > 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Column "${sequenceColumnName}" has ${data.nullCount} nulls`);
  }
  const n = data.length;
  const source = data.values as Float64Array;
  const words = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const value = source[i]!;
    const hi = Math.floor(value / twoTo32);
    words[2 * i] = (value - hi * twoTo32) | 0;
    words[2 * i + 1] = hi;
  }
  return makeData({ type: new Int64(), length: n, nullCount: 0, data: new BigInt64Array(words.buffer) });
}

/** The stored Int64 `__sequence` back as the Float64 column sorted runs use. */
export function sequenceFromStored(data: Data): Data {
  const n = data.length;
  const big = data.values as BigInt64Array;
  const words = new Int32Array(big.buffer, big.byteOffset, n * 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = words[2 * i + 1]! * twoTo32 + (words[2 * i]! >>> 0);
  return makeData({ type: new Float64(), length: n, nullCount: 0, data: out });
}

/** The type the stored column of `name` has, or undefined for a name that is not internal. */
export function storedInternalType(name: string): DataType | undefined {
  return storedInternalFields().find((field) => field.name === name)?.type;
}
