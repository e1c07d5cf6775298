/**
 * The sorted-run format: how every source of region rows — a memtable's `sortedRun()`, an SST's
 * row groups, a compaction's output — hands rows to `mergeSortedRuns`, and what the merge hands
 * back when it is asked to keep internal columns (a flush or a compaction writing an SST).
 *
 * A sorted run is a sequence of Arrow `RecordBatch`es whose rows, across the whole sequence, are
 * ordered by
 *
 *     (primary key ascending, time index ascending, __sequence descending)
 *
 * Columns, looked up by name (their order does not matter to the merge; `sortedRunSchema` gives
 * the canonical order: tags in primary-key order, time index, fields, `__sequence`, `__op_type`):
 *
 * * Every tag column of the region, in memory as:
 *   - string tags: `Dictionary<Int32, Utf8>` (plain `Utf8` and other integer key types are read
 *     too). A tag is a handful of distinct values repeated in long runs, so a dictionary is what
 *     Parquet stores, what parquet-wasm returns, and what the merge reads fastest: an `Int32Array`
 *     read per row, with string work per dictionary entry. Each batch has its own dictionary;
 *     it needs neither to be sorted nor to be free of duplicates.
 *   - other tag types: their plain Arrow type (../arrow-types.ts).
 *   A tag missing from a batch (added to the region after the batch was written) reads as null.
 * * The time index: `Timestamp<unit>` without time zone, values a `BigInt64Array` in the region's
 *   unit; never null.
 * * Any subset of field columns, each its plain Arrow type; a missing field reads as null.
 * * `__sequence`: `Float64`, never null — the sequence number of the write that produced the
 *   row. Float64 rather than Uint64 because every comparison in the merge reads it, and a
 *   `Float64Array` read is a plain number while a `BigUint64Array` read allocates a BigInt;
 *   sequences are integers below 2**53 (at a million writes per second that is 285 years), where
 *   a double is exact. Parquet stores it as DOUBLE with ordinary min/max statistics.
 * * `__op_type`: `Uint8`, never null — `OpType.Delete` (0) or `OpType.Put` (1). A delete row
 *   carries the tags and the time index of the key it deletes; its fields are null.
 *
 * Primary-key order is lexicographic over the tag columns in primary-key order, each compared by
 * its type, nulls first; strings compare by UTF-8 bytes, which is Unicode code point order. It is
 * defined by one encoding (key-encoding.ts) that the memtable, the merge and anything that writes
 * runs must sort by: use `encodeKeyPiece` / `primaryKeyRuns` rather than re-deriving the order.
 * Time compares as signed 64-bit integers. Two rows with equal primary key, time index and
 * sequence never occur in one region (sequences are unique per write); the merge breaks such ties
 * by run position (earlier run first).
 *
 * A run may hold several rows for one (primary key, time index): versions from different writes,
 * including deletes. Deduplication is the merge's job, by merge mode (merge-sorted-runs.ts).
 */

import { Field, Float64, Schema, Uint8 } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import { arrowFieldOf } from '../arrow-types.ts';

/** Name of the internal sequence column (Float64, never null). */
export const sequenceColumnName = '__sequence';

/** Name of the internal operation column (Uint8, never null, values `OpType`). */
export const opTypeColumnName = '__op_type';

/** The operation a row records: its `__op_type` value (GreptimeDB's `OpType`: Delete = 0, Put = 1). */
export const OpType = { Delete: 0, Put: 1 } as const;
export type OpType = (typeof OpType)[keyof typeof OpType];

/** Sequences are integers in [0, maxSequence]: exact in a Float64 column and a JS number. */
export const maxSequence = Number.MAX_SAFE_INTEGER;

/** A region schema split by semantic type. */
export interface RegionColumns {
  /** Tag columns in primary-key order. */
  tags: ColumnSchema[];
  timeIndex: ColumnSchema;
  fields: ColumnSchema[];
}

/** Splits `schema` by semantic type; throws when it has no single timestamp-typed time index. */
export function regionColumnsOf(schema: RegionSchema): RegionColumns {
  const tags: ColumnSchema[] = [];
  const fields: ColumnSchema[] = [];
  const timeIndexes: ColumnSchema[] = [];
  for (const column of schema.columns) {
    if (column.semantic === 'tag') tags.push(column);
    else if (column.semantic === 'timestamp') timeIndexes.push(column);
    else fields.push(column);
  }
  const timeIndex = timeIndexes[0];
  if (timeIndexes.length !== 1 || timeIndex === undefined || timeIndex.type.kind !== 'timestamp') {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Region schema version ${schema.version} must have exactly one time index of a timestamp type, ` +
        `found [${timeIndexes.map((c) => `${c.name}: ${c.type.kind}`).join(', ')}]`,
    );
  }
  return { tags, timeIndex, fields };
}

/**
 * The user columns named by `projection` (in its order), or every column in storage order.
 * Throws `InvalidArguments` for a name the schema does not have.
 */
export function projectedColumns(schema: RegionSchema, projection: readonly string[] | undefined): ColumnSchema[] {
  if (projection === undefined) return schema.columns.slice();
  return projection.map((name) => {
    const column = schema.columns.find((c) => c.name === name);
    if (column === undefined) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Column "${name}" is not in region schema version ${schema.version} ` +
          `(columns: ${schema.columns.map((c) => c.name).join(', ')})`,
      );
    }
    return column;
  });
}

/** The `__sequence` field of sorted runs. */
export function sequenceField(): Field {
  return new Field(sequenceColumnName, new Float64(), false);
}

/** The `__op_type` field of sorted runs. */
export function opTypeField(): Field {
  return new Field(opTypeColumnName, new Uint8(), false);
}

/**
 * The canonical Arrow schema of a sorted run of `schema`: every tag, the time index, the fields
 * named in `projection` (all when undefined; tags and the time index are always there because
 * the merge orders by them), then `__sequence` and `__op_type`.
 */
export function sortedRunSchema(schema: RegionSchema, projection?: readonly string[]): Schema {
  return new Schema(sortedRunColumns(schema, projection).map(arrowFieldOf).concat([sequenceField(), opTypeField()]));
}

/** The user columns of a sorted run, in its column order (see `sortedRunSchema`). */
export function sortedRunColumns(schema: RegionSchema, projection?: readonly string[]): ColumnSchema[] {
  const { tags, timeIndex, fields } = regionColumnsOf(schema);
  const wanted =
    projection === undefined ? undefined : new Set(projectedColumns(schema, projection).map((c) => c.name));
  return [...tags, timeIndex, ...fields.filter((field) => wanted === undefined || wanted.has(field.name))];
}
