/**
 * How a region's columns look in Arrow: the in-memory type of every `ColumnType`, and the Arrow
 * schema of a region (the schema of every batch a memtable holds, a merge emits, and an SST is
 * written from and read into).
 *
 * It sits at the storage level, not in `sst/`, so that the memtable and merge (the write path)
 * share the one mapping without importing `sst/index.ts`, which loads parquet-wasm. The
 * raw-copy layouts built on it live in `merge/column-types.ts`.
 *
 * String tags are `Dictionary<Int32, Utf8>` in memory. Why: a region holds few series and many
 * rows per series, so a tag column is a handful of distinct strings repeated in long runs; the
 * Parquet file stores exactly that (a dictionary page plus RLE keys), parquet-wasm hands the
 * dictionary over without expanding it, and operators compare or group `Int32Array` keys
 * instead of strings. String fields stay `Utf8` (high cardinality is normal there).
 *
 * Timestamps are `Timestamp<unit>` without a time zone (GreptimeDB's `Timestamp(unit, None)`);
 * their values are a `BigInt64Array` in the time index unit. Each field carries its column id as
 * `PARQUET:field_id` metadata, which the Parquet writer turns into the standard `field_id`.
 */

import type { DataType } from 'apache-arrow';
import { Dictionary, Field, Int32, Schema, Type } from 'apache-arrow';
import { arrowTypeOf } from '../common/index.ts';
import type { ColumnSchema, RegionSchema } from './region-schema.ts';

/** Arrow field metadata key that Parquet writers map to the schema element's `field_id`. */
export const fieldIdMetadataKey = 'PARQUET:field_id';

/** The Arrow type of a column type, without the tag dictionary (see `arrowFieldOf`); from engine/common. */
export { arrowTypeOf } from '../common/index.ts';

/** True for the columns held as `Dictionary<Int32, Utf8>`: string tags. */
export function isDictionaryTag(column: ColumnSchema): boolean {
  return column.semantic === 'tag' && column.type.kind === 'string';
}

/** The Arrow field of a column: its type (dictionary for string tags), nullability and id. */
export function arrowFieldOf(column: ColumnSchema): Field {
  const valueType = arrowTypeOf(column.type);
  // A fresh Dictionary type per field gives each tag its own dictionary id in IPC streams.
  const type = isDictionaryTag(column) ? new Dictionary(valueType, new Int32()) : valueType;
  return new Field(column.name, type, column.nullable, new Map([[fieldIdMetadataKey, String(column.columnId)]]));
}

/** The Arrow schema of a region's batches, in storage order (tags, time index, fields). */
export function arrowSchemaOf(schema: RegionSchema): Schema {
  return new Schema(schema.columns.map(arrowFieldOf));
}

/**
 * Whether `actual` carries the same values as `expected` without conversion: equal type ids and
 * parameters, ignoring dictionary ids and timestamp time zones (neither changes the values).
 */
export function sameArrowType(expected: DataType, actual: DataType): boolean {
  if (expected.typeId !== actual.typeId) return false;
  // Arrow's typeId for these is already specific (Int64, TimestampMillisecond, ...), but the
  // generic ids (Type.Int, Type.Timestamp) also occur, so compare the parameters too.
  const a = expected as unknown as Record<string, unknown>;
  const b = actual as unknown as Record<string, unknown>;
  switch (expected.typeId) {
    case Type.Dictionary:
      return (
        sameArrowType((expected as Dictionary).dictionary, (actual as Dictionary).dictionary) &&
        sameArrowType((expected as Dictionary).indices, (actual as Dictionary).indices)
      );
    case Type.Decimal:
      return a.scale === b.scale && a.precision === b.precision && a.bitWidth === b.bitWidth;
    default:
      for (const key of ['bitWidth', 'isSigned', 'precision', 'unit']) {
        if (a[key] !== b[key]) return false;
      }
      return true;
  }
}
