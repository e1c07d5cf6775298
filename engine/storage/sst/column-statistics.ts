/**
 * Row-group statistics as values: a Parquet min/max is the plain encoding of one value of the
 * column's physical type, and this turns it into the JS value of the Tessera column type, and
 * orders such values the way Parquet does (so pruning agrees with the writer's bounds).
 */

import type { ColumnType } from '../region-schema.ts';
import { ParquetPhysicalType, type ParquetLeaf } from './parquet-footer.ts';

/**
 * One statistic value, by column type: `boolean`; `number` for 8/16/32-bit integers, floats
 * and dates (days since the epoch); `bigint` for int64, uint64, timestamps (in their unit) and
 * decimal128 (the unscaled integer); `string`; `Uint8Array` for binary.
 */
export type SstStatValue = boolean | number | bigint | string | Uint8Array;

/** Min/max/null count of one column in one row group; bounds are absent when unknown. */
export interface SstColumnStats {
  /** A lower bound of the non-null values (exact for everything Tessera writes but long strings). */
  min?: SstStatValue;
  max?: SstStatValue;
  nullCount?: number;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one Parquet statistic of `leaf` as a value of `type`, or undefined when the bytes do
 * not fit the type (a statistic that cannot be trusted is treated as absent, never guessed).
 */
export function decodeStatValue(type: ColumnType, leaf: ParquetLeaf, bytes: Uint8Array): SstStatValue | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const physical = leaf.physicalType;
  const is = (expected: number, length: number): boolean => physical === expected && bytes.length === length;
  switch (type.kind) {
    case 'boolean':
      return is(ParquetPhysicalType.Boolean, 1) ? bytes[0] !== 0 : undefined;
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'date':
      return is(ParquetPhysicalType.Int32, 4) ? view.getInt32(0, true) : undefined;
    case 'uint32':
      return is(ParquetPhysicalType.Int32, 4) ? view.getUint32(0, true) : undefined;
    case 'int64':
    case 'timestamp':
      return is(ParquetPhysicalType.Int64, 8) ? view.getBigInt64(0, true) : undefined;
    case 'uint64':
      return is(ParquetPhysicalType.Int64, 8) ? view.getBigUint64(0, true) : undefined;
    case 'float32':
      return is(ParquetPhysicalType.Float, 4) ? view.getFloat32(0, true) : undefined;
    case 'float64':
      return is(ParquetPhysicalType.Double, 8) ? view.getFloat64(0, true) : undefined;
    case 'string':
      if (physical !== ParquetPhysicalType.ByteArray) return undefined;
      try {
        return utf8Decoder.decode(bytes);
      } catch {
        return undefined; // a truncated bound can end inside a character
      }
    case 'binary':
      return physical === ParquetPhysicalType.ByteArray ? bytes.slice() : undefined;
    case 'decimal128':
      // Writers pick the smallest physical type that holds the precision (INT32 up to 9 digits,
      // INT64 up to 18, else a big-endian two's complement byte array).
      if (is(ParquetPhysicalType.Int32, 4)) return BigInt(view.getInt32(0, true));
      if (is(ParquetPhysicalType.Int64, 8)) return view.getBigInt64(0, true);
      if (physical === ParquetPhysicalType.FixedLenByteArray || physical === ParquetPhysicalType.ByteArray) {
        return bigEndianSigned(bytes);
      }
      return undefined;
  }
}

function bigEndianSigned(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0 || bytes.length > 16) return undefined;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return BigInt.asIntN(bytes.length * 8, value);
}

/**
 * Orders two statistic values of the same column: numbers and bigints numerically (mixed is
 * fine), strings by code point (= UTF-8 byte order, Parquet's order; JS `<` compares UTF-16
 * units and misplaces characters above U+FFFF), bytes unsigned lexicographically, false < true.
 */
export function compareStatValues(left: SstStatValue, right: SstStatValue): number {
  if (typeof left === 'string' && typeof right === 'string') return compareCodePoints(left, right);
  if (left instanceof Uint8Array && right instanceof Uint8Array) {
    const length = Math.min(left.length, right.length);
    for (let i = 0; i < length; i++) if (left[i] !== right[i]) return left[i]! - right[i]!;
    return left.length - right.length;
  }
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  if (
    (typeof left === 'number' || typeof left === 'bigint') &&
    (typeof right === 'number' || typeof right === 'bigint')
  ) {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  throw new TypeError(`cannot compare ${typeof left} with ${typeof right}`);
}

function compareCodePoints(left: string, right: string): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  let i = 0;
  while (i < length && left.charCodeAt(i) === right.charCodeAt(i)) i++;
  if (i === length) return left.length - right.length;
  // Back up onto a high surrogate so the comparison sees whole code points.
  if (i > 0 && isHighSurrogate(left.charCodeAt(i - 1))) i--;
  return left.codePointAt(i)! - right.codePointAt(i)!;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
