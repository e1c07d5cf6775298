/**
 * How a region column's values sit in Arrow memory, for the code that copies them without going
 * through Arrow's per-value accessors (memtable, merge): the Arrow type of each `ColumnType`,
 * and a `ValueLayout` that says which typed array to copy with and how many elements per value.
 *
 * The Arrow types are the ones `engine/storage/sst` uses (`sst/arrow-types.ts`): string tags are
 * `Dictionary<Int32, Utf8>`, timestamps `Timestamp<unit>` without a zone over a `BigInt64Array`.
 * `column-types.test.ts` checks that the two mappings agree; if one changes, change both (or
 * move the mapping to one shared file under engine/storage).
 */

import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Type,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type DataType,
} from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnSchema, ColumnType } from '../region-schema.ts';

/** Arrow field metadata key for the column id (the same key the SST writer maps to `field_id`). */
export const fieldIdMetadataKey = 'PARQUET:field_id';

/** The Arrow value type of a column type (string tags are wrapped in a dictionary by `sortedRunFieldOf`). */
export function arrowTypeOf(type: ColumnType): DataType {
  switch (type.kind) {
    case 'boolean':
      return new Bool();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'string':
      return new Utf8();
    case 'binary':
      return new Binary();
    case 'date':
      return new DateDay();
    case 'timestamp':
      switch (type.unit) {
        case 's':
          return new TimestampSecond();
        case 'ms':
          return new TimestampMillisecond();
        case 'us':
          return new TimestampMicrosecond();
        case 'ns':
          return new TimestampNanosecond();
      }
      break;
    case 'decimal128':
      return new Decimal(type.scale, type.precision, 128);
  }
  throw new TesseraError(ErrorCode.Unsupported, `Column type ${JSON.stringify(type)} has no Arrow type`);
}

/** True for columns held as `Dictionary<Int32, Utf8>` in sorted runs: string tags. */
export function isDictionaryTag(column: ColumnSchema): boolean {
  return column.semantic === 'tag' && column.type.kind === 'string';
}

/** The Arrow field of a user column in a sorted run: its type (dictionary for string tags), nullability and id. */
export function sortedRunFieldOf(column: ColumnSchema): Field {
  const valueType = arrowTypeOf(column.type);
  // A fresh Dictionary type per field gives each tag its own dictionary id in IPC streams.
  const type = isDictionaryTag(column) ? new Dictionary(valueType, new Int32()) : valueType;
  return new Field(column.name, type, column.nullable, new Map([[fieldIdMetadataKey, String(column.columnId)]]));
}

/**
 * How to copy a column's values as raw elements.
 *
 * * `fixed`: `Data.values` is a typed array holding `stride` elements of `words`' kind per value,
 *   already sliced to the Data's first row. Copies go through a *word view* of the same bytes
 *   (`wordArray`): 64-bit integers and timestamps as two `Int32`s, so no BigInt is ever created,
 *   and float32 as `Int32` so NaN payloads survive (float64 is copied as `Float64`: a field's NaN
 *   payload carries no meaning, and one read per value is faster than two).
 * * `bool`: bit-packed `Data.values`, not sliced: value `i` is bit `offset + i`.
 * * `binary`: Utf8/Binary; `valueOffsets` sliced, `values` absolute.
 */
export type ValueLayout =
  { kind: 'fixed'; byteWidth: number; words: WordKind; stride: number } | { kind: 'bool' } | { kind: 'binary' };

/** The element type a fixed-width column is copied with. */
export type WordKind = 'uint8' | 'uint16' | 'int32' | 'float64';

/** The layout of a column type's values (for string tags: of the dictionary's values). */
export function valueLayoutOf(type: ColumnType): ValueLayout {
  switch (type.kind) {
    case 'boolean':
      return { kind: 'bool' };
    case 'string':
    case 'binary':
      return { kind: 'binary' };
    case 'int8':
    case 'uint8':
      return { kind: 'fixed', byteWidth: 1, words: 'uint8', stride: 1 };
    case 'int16':
    case 'uint16':
      return { kind: 'fixed', byteWidth: 2, words: 'uint16', stride: 1 };
    case 'int32':
    case 'uint32':
    case 'float32':
    case 'date':
      return { kind: 'fixed', byteWidth: 4, words: 'int32', stride: 1 };
    case 'float64':
      return { kind: 'fixed', byteWidth: 8, words: 'float64', stride: 1 };
    case 'int64':
    case 'uint64':
    case 'timestamp':
      return { kind: 'fixed', byteWidth: 8, words: 'int32', stride: 2 };
    case 'decimal128':
      return { kind: 'fixed', byteWidth: 16, words: 'int32', stride: 4 };
  }
}

/** Any of the typed arrays a word view can be. */
export type WordArray = Uint8Array | Uint16Array | Int32Array | Float64Array;

/** A word view over the bytes of `values` (any typed array), from its first byte, for `length` words. */
export function wordArray(words: WordKind, values: ArrayBufferView, length: number): WordArray {
  switch (words) {
    case 'uint8':
      return new Uint8Array(values.buffer, values.byteOffset, length);
    case 'uint16':
      return new Uint16Array(values.buffer, values.byteOffset, length);
    case 'int32':
      return new Int32Array(values.buffer, values.byteOffset, length);
    case 'float64':
      return new Float64Array(values.buffer, values.byteOffset, length);
  }
}

/** A new zeroed word array of `length` words. */
export function newWordArray(words: WordKind, length: number): WordArray {
  switch (words) {
    case 'uint8':
      return new Uint8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

/**
 * The typed array Arrow expects as `data` for a fixed-width column, over the bytes of `words`
 * (zero copy): `makeData` keeps whatever array it is given, and readers index it per element.
 */
export function arrowValuesOf(type: ColumnType, words: WordArray): ArrayBufferView {
  const { buffer, byteOffset, byteLength } = words;
  switch (type.kind) {
    case 'int8':
      return new Int8Array(buffer, byteOffset, byteLength);
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, byteLength);
    case 'int16':
      return new Int16Array(buffer, byteOffset, byteLength / 2);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, byteLength / 2);
    case 'int32':
    case 'date':
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case 'uint32':
    case 'decimal128':
      return new Uint32Array(buffer, byteOffset, byteLength / 4);
    case 'float32':
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    case 'float64':
      return new Float64Array(buffer, byteOffset, byteLength / 8);
    case 'int64':
    case 'timestamp':
      return new BigInt64Array(buffer, byteOffset, byteLength / 8);
    case 'uint64':
      return new BigUint64Array(buffer, byteOffset, byteLength / 8);
    default:
      throw new TesseraError(ErrorCode.Internal, `Column type ${type.kind} is not fixed-width`);
  }
}

/** Whether two Arrow types hold the same values: equal type ids and parameters (ids and zones aside). */
export function sameValueType(expected: DataType, actual: DataType): boolean {
  if (expected.typeId !== actual.typeId) return false;
  const a = expected as unknown as Record<string, unknown>;
  const b = actual as unknown as Record<string, unknown>;
  for (const key of ['bitWidth', 'isSigned', 'precision', 'scale', 'unit']) {
    if (a[key] !== b[key]) return false;
  }
  return true;
}

/**
 * Whether a batch column of Arrow type `actual` can be read as `column`: its plain type, or for
 * string tags also a dictionary of strings with any integer keys.
 */
export function acceptsArrowType(column: ColumnSchema, actual: DataType): boolean {
  const valueType = arrowTypeOf(column.type);
  if (actual.typeId === Type.Dictionary) {
    return isDictionaryTag(column) && sameValueType(valueType, (actual as Dictionary).dictionary);
  }
  return sameValueType(valueType, actual);
}
