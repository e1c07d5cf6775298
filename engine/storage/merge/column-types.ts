/**
 * How a region column's values sit in Arrow memory, for the code that copies them without going
 * through Arrow's per-value accessors (memtable, merge): a `ValueLayout` that says which typed
 * array to copy with and how many elements per value, and which batch column types a region
 * column accepts.
 *
 * The Arrow type of each `ColumnType` is defined once in `engine/storage/arrow-types.ts` (shared
 * with the SSTs): string tags are `Dictionary<Int32, Utf8>`, timestamps `Timestamp<unit>`
 * without a zone over a `BigInt64Array`.
 */

import { Type, type DataType, type Dictionary } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { arrowTypeOf, isDictionaryTag, sameArrowType } from '../arrow-types.ts';
import type { ColumnSchema, ColumnType } from '../region-schema.ts';

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

/**
 * Whether a batch column of Arrow type `actual` can be read as `column`: its plain type, or for
 * string tags also a dictionary of strings with any integer keys.
 */
export function acceptsArrowType(column: ColumnSchema, actual: DataType): boolean {
  const valueType = arrowTypeOf(column.type);
  if (actual.typeId === Type.Dictionary) {
    return isDictionaryTag(column) && sameArrowType(valueType, (actual as Dictionary).dictionary);
  }
  return sameArrowType(valueType, actual);
}
